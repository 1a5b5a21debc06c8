"""ORM to frame for learning to rank (``careers.services.ranking``): the served jobs lists and what followed them.

Each frame is one query streamed in chunks; times are UTC so events line up with the lists they follow.
"""
from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from careers.models import FeedbackEvent, RecommendationItem, Review


def served_items_frame(*, kind: str, features: list[str]) -> pd.DataFrame:
    """``list_id, item_id, position, person_id, served_at, parts`` of every served item of ``kind``; ``parts`` keeps
    only the score parts named in ``features`` (None where an older list lacked one)."""
    rows = (RecommendationItem.objects.filter(list__kind=kind)
            .values_list("list_id", "item_key", "rank", "features", "list__candidate_id", "list__created_at"))
    wanted = list(features)
    items = pd.DataFrame([
        {"list_id": list_id, "item_id": key, "position": rank, "person_id": person, "served_at": served,
         "parts": {name: (logged or {}).get("parts", {}).get(name) for name in wanted}}
        for list_id, key, rank, logged, person, served in rows.iterator(chunk_size=2000)
    ], columns=["list_id", "item_id", "position", "person_id", "served_at", "parts"])
    items["served_at"] = pd.to_datetime(items["served_at"], utc=True)
    return items


def feedback_events_frame(*, kind: str, review_events: Mapping[str, str]) -> pd.DataFrame:
    """``person_id, item_id, event, at`` of the feedback about items of ``kind``, and the counsellors' reviews as
    events (``review_events`` names the event each decision counts as)."""
    feedback = FeedbackEvent.objects.filter(kind=kind).values_list("candidate_id", "item_key", "event", "created_at")
    reviews = Review.objects.filter(kind=kind).values_list("candidate_id", "item_key", "decision", "updated_at")
    rows = [*feedback, *((c, k, review_events[d], at) for c, k, d, at in reviews)]
    events = pd.DataFrame(rows, columns=["person_id", "item_id", "event", "at"])
    events["at"] = pd.to_datetime(events["at"], utc=True)
    return events
