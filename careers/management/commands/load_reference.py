"""`manage.py load_reference`: load the curated taxonomy and the sourced reference data from fixtures/."""
from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from careers.reference import ReferenceDataError, load_reference


class Command(BaseCommand):
    help = (
        "Load fixtures/taxonomy (skills, occupations) then fixtures/reference (towns, distances, institutions, "
        "programmes with upcoming intakes, employers). Idempotent; all or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fixtures-dir", type=Path, default=None, help="Folder holding taxonomy/ and reference/.")

    def handle(self, *args: object, **options: object) -> None:
        started = time.perf_counter()
        try:
            report = load_reference(fixtures_dir=options["fixtures_dir"])
        except ReferenceDataError as exc:
            raise CommandError(f"reference data not loaded, nothing was written: {exc}") from exc
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(f"elapsed {time.perf_counter() - started:.1f} s")
