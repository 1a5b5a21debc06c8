"""`manage.py load_demo`: the invented demo world (vacancies, candidates, staff, applications) on the reference data."""
from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from careers.demo import DemoDataMissing, demo_load, demo_logins_table


class Command(BaseCommand):
    help = (
        "Load the demo data from fixtures/demo on top of `load_reference`: vacancies, candidates, counsellors, "
        "provider staff, employer members, applications and the demo logins. Deterministic, idempotent, all or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today", type=dt.date.fromisoformat, default=None,
            help="Date the demo is built around (YYYY-MM-DD; default: today). Publication and expiry dates follow it.",
        )
        parser.add_argument("--no-logins", action="store_true", help="Do not print the demo logins table.")

    def handle(self, *args: object, **options: object) -> None:
        started = time.perf_counter()
        try:
            report = demo_load(today=options["today"])
        except DemoDataMissing as exc:
            raise CommandError(str(exc)) from exc
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(f"elapsed {time.perf_counter() - started:.1f} s")
        if not options["no_logins"]:
            self.stdout.write("")
            self.stdout.write(demo_logins_table())
