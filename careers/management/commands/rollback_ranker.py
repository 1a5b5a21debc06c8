"""Make an earlier ranker version (or the hand weights) the active one; list the stored versions."""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from careers.models import HAND_WEIGHTED
from careers.services.ranking import UnknownVersion, active_version, rollback, versions


class Command(BaseCommand):
    help = ("Activate a stored ranker version (`rollback_ranker ltr-2`) or the hand-weighted scorer "
            "(`rollback_ranker hand-weighted`); `--list` shows every version with its held-out nDCG@10.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("version", nargs="?", help=f"A stored version label, or {HAND_WEIGHTED}.")
        parser.add_argument("--list", action="store_true", dest="show_list",
                            help="List the stored versions and which is active.")

    def handle(self, *args, version: str | None, show_list: bool, **options) -> None:
        if show_list:
            self._list()
            return
        if not version:
            raise CommandError(f"Name a version to activate (or {HAND_WEIGHTED}), or use --list.")
        try:
            done = rollback(version)
        except UnknownVersion as exc:
            raise CommandError(str(exc)) from exc
        except ValueError as exc:  # bytes that fail their checksum
            raise CommandError(f"ranker {version} cannot be loaded: {exc}") from exc
        if done.changed:
            self.stdout.write(f"active ranker: {done.active} (was {done.previous})")
        else:
            self.stdout.write(f"active ranker: {done.active} (already active, nothing changed)")

    def _list(self) -> None:
        active = active_version()
        rows = versions()
        self.stdout.write(f"{'version':<14} {'created':<17} {'nDCG@10':>8}  {'compared with':<14} {'its nDCG':>8}  "
                          f"{'promoted':<8}  serving")
        self.stdout.write(f"{HAND_WEIGHTED:<14} {'-':<17} {'-':>8}  {'-':<14} {'-':>8}  {'-':<8}  "
                          f"{'ACTIVE' if active is None else ''}")
        for v in rows:
            self.stdout.write(
                f"{v.label:<14} {v.created_at:%Y-%m-%d %H:%M} {_f(v.ndcg):>8}  {v.baseline_label:<14} "
                f"{_f(v.baseline_ndcg):>8}  {'yes' if v.promoted else 'no':<8}  {'ACTIVE' if v.is_active else ''}")


def _f(value: float | None) -> str:
    return "-" if value is None else f"{value:.4f}"
