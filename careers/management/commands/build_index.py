"""Build the match index and the taxonomy models from the database and print what went in and how long it took."""
from __future__ import annotations

import resource
import time

from django.core.management.base import BaseCommand

from careers.runtime.matches import MatchService


class Command(BaseCommand):
    help = ("Build the in-memory match index (vacancies, candidates) and the skill-extraction and title models "
            "from the database; prints counts and build times. The server builds its own on first use; this "
            "checks that the data can be indexed and shows the cost.")

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        service = MatchService(background=False)
        state = service.build()
        taxonomy = service.taxonomy()
        s = state.stats
        self.stdout.write(
            f"match index: {s['vacancies']} public vacancies ({s['vacancy_skills']} skill links), "
            f"{s['candidates']} candidates ({s['candidate_skills']} skill links), {s['skills']} skills, "
            f"{s['skill_relations']} skill relations; built in {state.seconds:.2f} s")
        self.stdout.write(
            f"taxonomy models: {taxonomy.n_skills} skills, {taxonomy.n_occupations} occupations; "
            f"built in {taxonomy.seconds:.2f} s")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(f"total {time.perf_counter() - started:.2f} s; peak memory of this process {peak:.0f} MB")
