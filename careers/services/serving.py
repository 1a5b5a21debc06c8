"""Serving a recommendation list: counsellors' reviews applied, what is served written to the audit log.

Every list a candidate, their counsellor or staff is shown (jobs, programmes, careers, pathways) passes through
:func:`serve_list` once, whichever front door asked.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import TypeVar

from careers.models import CandidateProfile, Review, User
from careers.selectors.oversight import (
    RELEASED_DECISIONS, SHOWN_BEFORE_REVIEW, review_decisions, viewer_is_candidate,
)
from careers.services.oversight import log_served_list

Item = TypeVar("Item")


def serve_list(*, viewer: User | None, candidate: CandidateProfile, kind: str, items: Sequence[Item],
               key: Callable[[Item], str], features: Callable[[Item], dict],
               added: Callable[[list[str]], Sequence[Item]] | None = None,
               model_version: str | None = None) -> tuple[Item, ...]:
    """Apply reviews to a ranked list, log what is served and return it.

    Items a counsellor added that the ranker did not return are appended after the ranked ones when the caller can
    build them: ``added(keys)`` gives the items for those of ``keys`` it can show, in order. A supervised candidate
    asking for themself gets only approved and added items of jobs and pathways, and every item but the rejected
    ones of careers and programmes, each unreviewed one marked ``awaiting_review``; everyone else gets every item.
    Every item gets ``review`` (approved | rejected | added | None) and ranks run 1..n over what is served. The served list (who
    asked, for whom, items, scores, explanation features) is logged in one list insert and one bulk item insert.
    ``key(item)`` gives the item key, ``features(item)`` the explanation features to log; ``model_version`` names
    the scorer that ordered the list (default: the one active for ``kind`` now).
    """
    decisions = review_decisions(candidate=candidate, kind=kind)
    items = list(items)
    if added is not None:
        returned = {key(i) for i in items}
        missing = [k for k, d in decisions.items() if d == Review.Decision.ADDED and k not in returned]
        items += list(added(missing)) if missing else []
    supervised_self = viewer_is_candidate(viewer=viewer, candidate=candidate) and candidate.is_supervised
    early = supervised_self and kind in SHOWN_BEFORE_REVIEW
    if early:
        items = [i for i in items if decisions.get(key(i)) != Review.Decision.REJECTED]
    elif supervised_self:
        items = [i for i in items if decisions.get(key(i)) in RELEASED_DECISIONS]
    served = tuple(dataclasses.replace(item, rank=rank, review=decisions.get(key(item)),
                                       **({"awaiting_review": decisions.get(key(item)) is None} if early else {}))
                   for rank, item in enumerate(items, start=1))
    log_served_list(requested_by=viewer, candidate=candidate, kind=kind, model_version=model_version, items=[
        {"item_key": key(i), "rank": i.rank, "score": i.score, "features": features(i)} for i in served])
    return served
