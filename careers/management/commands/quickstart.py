"""One command from an empty database to a running demo: migrate, load data, build indexes, train the ranker,
print logins."""
from __future__ import annotations

import os

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand

from careers.demo import demo_logins_table


class Command(BaseCommand):
    help = ("Migrate, load reference and demo data (idempotent), import ESCO if ESCO_DIR is set, build the index, "
            "train the ranker on the demo feedback, print demo logins.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--no-esco", action="store_true", help="Skip the full ESCO import even if ESCO_DIR is set.")

    def handle(self, *args, **options) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("database migrated")
        available = get_commands()
        esco_dir = os.environ.get("ESCO_DIR", "")
        if esco_dir and not options["no_esco"] and "import_esco" in available:
            call_command("import_esco", esco_dir, stdout=self.stdout)
        # train_ranker learns from the demo's feedback history (and stores nothing new when it has not changed).
        # snapshot_market: today's market figures beside the demo's invented year (a daily job runs it too).
        # assign_counsellors: supervised profiles without a counsellor get the one covering their school or town.
        for name in ("load_reference", "load_demo", "assign_counsellors", "snapshot_market", "build_index",
                     "train_ranker"):
            if name in available:
                # load_demo's own logins table would be printed twice: quickstart prints it last.
                extra = {"no_logins": True} if name == "load_demo" else {}
                call_command(name, stdout=self.stdout, **extra)
        self._print_logins()

    def _print_logins(self) -> None:
        self.stdout.write("")
        self.stdout.write(demo_logins_table())
        self.stdout.write("")
        self.stdout.write("Run `python manage.py runserver`, then open:")
        self.stdout.write("  Web site:  http://127.0.0.1:8000/  (sign in with the logins above)")
        self.stdout.write("  API docs:  http://127.0.0.1:8000/api/docs/")
        self.stdout.write("  Admin:     http://127.0.0.1:8000/admin/  (user admin)")
