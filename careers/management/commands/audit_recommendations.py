"""``manage.py audit_recommendations``: every list of every candidate judged as the person would (issue 10)."""
from django.core.management.base import BaseCommand

from careers.services.audit import audit_lines, audit_recommendations


class Command(BaseCommand):
    help = ("Ask the jobs, programmes, careers and pathways lists of every candidate with processing consent and "
            "count what the person would object to: items sharing no skill, out of reach, not open to them, order "
            "disagreeing with the score shown, empty lists without a reason. Changes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("--language", choices=["lv", "en"], default="en")

    def handle(self, *args, language: str, **options):
        for line in audit_lines(audit_recommendations(language=language)):
            self.stdout.write(line)
