"""One command from an empty database to a running demo: migrate, load data, build indexes, print logins."""
from __future__ import annotations

import os

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrate, load reference and demo data (idempotent), import ESCO if ESCO_DIR is set, print demo logins."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--no-esco", action="store_true", help="Skip the full ESCO import even if ESCO_DIR is set.")

    def handle(self, *args, **options) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("database migrated")
        available = get_commands()
        esco_dir = os.environ.get("ESCO_DIR", "")
        if esco_dir and not options["no_esco"] and "import_esco" in available:
            call_command("import_esco", esco_dir, stdout=self.stdout)
        for name in ("load_reference", "load_demo", "build_index"):
            if name in available:
                call_command(name, stdout=self.stdout)
