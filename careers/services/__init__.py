"""Writes: each module holds the services of one area (``accounts``: registration, profile, export, erasure)."""
