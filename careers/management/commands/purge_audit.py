"""Delete served recommendation lists older than the retention period (EU AI Act: keep logs at least 6 months)."""
from django.core.management.base import BaseCommand, CommandError

from careers.services.oversight import AUDIT_RETENTION_DAYS, purge_audit


class Command(BaseCommand):
    help = "Delete logged recommendation lists (and their items) older than --older-than-days (default 183)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--older-than-days", type=int, default=AUDIT_RETENTION_DAYS)
        parser.add_argument(
            "--force", action="store_true",
            help=f"Allow a period shorter than {AUDIT_RETENTION_DAYS} days (breaks the retention rule).")

    def handle(self, *args, older_than_days: int, force: bool, **options) -> None:
        if older_than_days < 0:
            raise CommandError("--older-than-days must not be negative.")
        if older_than_days < AUDIT_RETENTION_DAYS and not force:
            raise CommandError(f"Audit logs are kept at least {AUDIT_RETENTION_DAYS} days; "
                               f"refusing --older-than-days {older_than_days} without --force.")
        done = purge_audit(older_than_days=older_than_days)
        self.stdout.write(f"purged {done['lists']} recommendation lists and {done['items']} items "
                          f"served before {done['cutoff']:%Y-%m-%d %H:%M} UTC")
