"""What a visitor explores without an account, kept in their session until they register and claim it.

Kept: the interest answers' RIASEC scores, the careers they saved and the last pages they looked at. On
registration (``claim``) the scores and saved careers go into the new profile (interests and target occupations).
"""
from __future__ import annotations

from django.contrib.sessions.backends.base import SessionBase

from careers.models import Occupation
from careers.models.taxonomy import RIASEC_FIELDS
from careers.services.accounts import ProfileChanges

RIASEC_KEY = "explore.riasec"
CAREERS_KEY = "explore.careers"
VIEWED_KEY = "explore.viewed"
MAX_VIEWED = 10
MAX_SAVED = 20


def riasec(session: SessionBase) -> dict[str, float] | None:
    value = session.get(RIASEC_KEY)
    return value if isinstance(value, dict) and set(value) == set(RIASEC_FIELDS) else None


def set_riasec(session: SessionBase, scores: dict[str, float]) -> None:
    session[RIASEC_KEY] = dict(scores)


def saved_careers(session: SessionBase) -> list[int]:
    return [int(pk) for pk in session.get(CAREERS_KEY, []) if isinstance(pk, int)]


def toggle_career(session: SessionBase, occupation_id: int) -> bool:
    """Save or unsave a career; True when it is saved afterwards."""
    saved = saved_careers(session)
    if occupation_id in saved:
        saved.remove(occupation_id)
    else:
        saved = [occupation_id, *saved][:MAX_SAVED]
    session[CAREERS_KEY] = saved
    return occupation_id in saved


def remember_view(session: SessionBase, *, kind: str, pk: int, title: str) -> None:
    viewed = [v for v in session.get(VIEWED_KEY, []) if not (v.get("kind") == kind and v.get("id") == pk)]
    session[VIEWED_KEY] = [{"kind": kind, "id": pk, "title": title[:200]}, *viewed][:MAX_VIEWED]


def viewed(session: SessionBase) -> list[dict]:
    return list(session.get(VIEWED_KEY, []))


def has_anything(session: SessionBase) -> bool:
    return bool(riasec(session) or saved_careers(session) or viewed(session))


def claim(session: SessionBase) -> ProfileChanges | None:
    """The profile changes that carry the session's exploring into a new account, or None if there is nothing."""
    scores, careers = riasec(session), saved_careers(session)
    if not scores and not careers:
        return None
    changes = ProfileChanges(fields=dict(scores or {}))
    if careers:
        changes.target_occupations = list(Occupation.objects.filter(pk__in=careers))
    return changes


def forget(session: SessionBase) -> None:
    for key in (RIASEC_KEY, CAREERS_KEY, VIEWED_KEY):
        session.pop(key, None)
