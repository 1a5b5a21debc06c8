"""Employers in the demo: the invented ones from ``fixtures/demo/employers.json`` beside the real reference ones."""
from __future__ import annotations

from careers.models import Employer

from .common import fixture
from .reference import Reference
from .sync import upsert


def invented_employers_sync(*, ref: Reference) -> dict[str, Employer]:
    """Create or update the invented employers; returns fixture key -> employer."""
    rows = fixture("employers.json")["employers"]
    existing = {e.name: e for e in Employer.objects.filter(name__in=[r["name"] for r in rows])}
    planned = {}
    for row in rows:
        town = ref.towns.get(row["town"]) or ref.towns["Valmiera"]
        planned[row["name"]] = {
            "name": row["name"],
            "town_id": town.pk,
            "sector": row["sector"],
            "description": row["description"],
            "verified": row["verified"],
            "source": "Invented for the demo (fixtures/demo/employers.json); not a real business.",
        }
    by_name = upsert(Employer, existing, planned)
    return {row["key"]: by_name[row["name"]] for row in rows}


def all_employers(*, ref: Reference, invented: dict[str, Employer]) -> list[Employer]:
    """Reference and invented employers by name, each with its town object from the reference (no query per row)."""
    employers = sorted({e.pk: e for e in [*ref.employers, *invented.values()]}.values(), key=lambda e: e.name)
    for employer in employers:
        employer.town = next((t for t in ref.towns.values() if t.pk == employer.town_id), employer.town)
    return employers
