"""Give every supervised profile without a counsellor the one who covers their school or town (issue 17)."""
from __future__ import annotations

from django.core.management.base import BaseCommand

from careers.services.caseload import counsellors_assign_missing


class Command(BaseCommand):
    help = ("Assign a counsellor to every supervised profile (minors, supervised adults) that has none: school first, "
            "then town, then the least loaded. Those nobody covers stay in the staff's unassigned list. Idempotent.")

    def handle(self, *args, **options) -> None:
        report = counsellors_assign_missing()
        self.stdout.write(f"counsellors assigned: {report.assigned}; supervised without a covering counsellor "
                          f"(unassigned list): {report.unassigned}; supervised profiles: {report.supervised}")
