"""Train a learned ranker of jobs lists on the logged feedback; promote it only if it beats the active one."""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from careers.services.ranking import train_ranker
from matching.ltr import MIN_LISTS


class Command(BaseCommand):
    help = ("Train a scikit-learn ranker on the explanation score parts of logged jobs lists, labelled by feedback "
            "events and counsellor reviews; store it as a new version and make it active only if its nDCG@10 on "
            "held-out lists is strictly higher than the active scorer's (both printed). With too little feedback "
            "nothing is trained or stored and the active scorer stays.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--seed", type=int, default=0, help="Seeds the held-out split and the training (0).")
        parser.add_argument("--min-lists", type=int, default=MIN_LISTS,
                            help=f"Informative lists needed before anything is trained (default {MIN_LISTS}).")
        parser.add_argument("--force", action="store_true",
                            help="Train even when the feedback has not changed since the newest stored version.")

    def handle(self, *args, seed: int, min_lists: int, force: bool, **options) -> None:
        if min_lists < 2:
            raise CommandError("--min-lists must be at least 2 (one list to train on, one to hold out).")
        result = train_ranker(seed=seed, min_lists=min_lists, force=force)
        self.stdout.write(f"feedback: {result.lists} jobs lists logged ({result.items} items), {result.events} "
                          f"events and reviews on them, {result.informative_lists} informative lists")
        if not result.trained:
            self.stdout.write(f"ranker not trained: {result.reason}; active stays {result.active_label}")
            return
        self.stdout.write(f"held-out nDCG@10 on {result.test_lists} lists (trained on {result.train_lists}): "
                          f"new {result.version.label} {result.ndcg:.4f}, active {result.active_label} "
                          f"{result.active_ndcg:.4f}")
        verdict = "promoted" if result.promoted else "stored, not promoted"
        self.stdout.write(f"ranker {result.version.label} {verdict} ({result.reason}); active: {result.now_active}")
