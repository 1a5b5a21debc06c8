"""`manage.py import_esco PATH`: load the official ESCO CSV download (folder of CSVs or the published ZIPs)."""
from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from careers.esco import EscoImportError, esco_import


class Command(BaseCommand):
    help = (
        "Import ESCO skills, occupations and their relations from PATH (the CSVs or the published ZIPs), "
        "plus Latvian labels, Latvian classifier codes and RIASEC profiles when found beside it. "
        "Idempotent; all or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="Folder with the ESCO CSV files or ZIPs.")
        parser.add_argument("--lv-labels", type=Path, help="Latvian labels CSV (default: PATH/occupations_lv.csv).")
        parser.add_argument(
            "--lv-mapping", type=Path,
            help="ESCO–Latvian classifier mapping (default: PATH/../latvia/esco_lv_profesiju_klasifikators_mapping.csv).",
        )
        parser.add_argument(
            "--onet-dir", type=Path, help="Folder with Interests.txt and esco_onet_crosswalk.csv (default: PATH/../onet)."
        )
        parser.add_argument("--no-extras", action="store_true", help="Skip Latvian labels, classifier codes and RIASEC.")

    def handle(self, *args: object, **options: object) -> None:
        started = time.perf_counter()
        try:
            report = esco_import(
                path=options["path"],
                lv_labels=options["lv_labels"],
                lv_mapping=options["lv_mapping"],
                onet_dir=options["onet_dir"],
                extras=not options["no_extras"],
            )
        except EscoImportError as exc:
            raise CommandError(f"ESCO import failed, nothing was written: {exc}") from exc
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(f"elapsed {time.perf_counter() - started:.1f} s")
