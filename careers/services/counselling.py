"""A counsellor's review queue for one person (journey 4): the lists as the counsellor is shown them, each item
with its current review, and the decisions (approve, reject with a reason, add by hand, release what is left).

The lists are the candidate's own use cases asked by the counsellor (``viewer``): they are served and audit-logged
like any list, the counsellor sees every item (a supervised person only what is released). Decisions go through
:func:`careers.services.oversight.save_review`, a compare-and-set on the review's version, so two counsellors never
overwrite each other: the loser gets :class:`~careers.services.oversight.ReviewConflict` with the stored review.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from careers.models import CandidateProfile, Review, User
from careers.selectors.counselling import reviews_by_key
from careers.selectors.oversight import item_exists
from careers.services.learning_paths import candidate_pathway_recommendations, candidate_programme_recommendations
from careers.services.oversight import ReviewConflict, ReviewResult, save_review
from careers.services.recommendations import candidate_job_recommendations

QUEUE_KINDS = ("jobs", "programmes", "pathways")
QUEUE_SIZE = {"jobs": 10, "programmes": 10, "pathways": 5}
MSG_REASON_REQUIRED = _("Say why you reject it.")
MSG_UNKNOWN_ITEM = _("This item does not exist (any more).")

_USE_CASES = {"jobs": candidate_job_recommendations, "programmes": candidate_programme_recommendations,
              "pathways": candidate_pathway_recommendations}


def item_key_of(kind: str, item) -> str:
    """The review key of a served item (as ``careers.services`` logs it)."""
    if kind == "jobs":
        return f"vacancy:{item.vacancy['id']}"
    if kind == "programmes":
        return f"programme:{item.programme['id']}"
    return "pathway:" + "+".join(str(step["programme"]["id"]) for step in item.steps)


@dataclass(frozen=True)
class QueueItem:
    key: str
    item: object  # JobMatch | ProgrammeMatch | Pathway
    review: Review | None

    @property
    def pending(self) -> bool:
        return self.review is None


@dataclass(frozen=True)
class ReviewQueue:
    kind: str
    items: list[QueueItem]
    reason: str | None
    reason_message: str | None
    pending_keys: list[str] = field(default_factory=list)


def review_queue(*, counsellor: User, candidate: CandidateProfile, kind: str, language: str) -> ReviewQueue:
    """The list of ``kind`` as served to the counsellor now, items not yet decided first (in rank order)."""
    served = _USE_CASES[kind](viewer=counsellor, candidate=candidate, top_k=QUEUE_SIZE[kind], language=language)
    reviews = reviews_by_key(candidate=candidate, kind=kind)
    items = [QueueItem(key=item_key_of(kind, i), item=i, review=reviews.get(item_key_of(kind, i)))
             for i in served.items]
    items.sort(key=lambda q: not q.pending)  # stable: rank order inside each group
    return ReviewQueue(kind=kind, items=items, reason=served.reason, reason_message=served.reason_message,
                       pending_keys=[q.key for q in items if q.pending])


def review_decide(*, counsellor: User, candidate: CandidateProfile, kind: str, item_key: str, decision: str,
                  reason: str, note: str, version: int | None) -> ReviewResult:
    """Approve, reject (a reason is required) or add one item; ``version`` is the one the counsellor read (0 or
    None: there was no review). Raises ``ValidationError`` for bad input, ``ReviewConflict`` when someone else
    decided meanwhile (nothing is written then)."""
    if decision == Review.Decision.REJECTED and not reason:
        raise ValidationError({"reason": [MSG_REASON_REQUIRED]})
    if not item_exists(item_key):
        raise ValidationError({"item_key": [MSG_UNKNOWN_ITEM]})
    return save_review(actor=counsellor, candidate=candidate, kind=kind, item_key=item_key, decision=decision,
                       reason=reason if decision == Review.Decision.REJECTED else "", note=note, version=version)


@dataclass(frozen=True)
class ReleaseResult:
    released: list[str]
    skipped: list[str]  # decided by someone else meanwhile: left as they decided


def release_pending(*, counsellor: User, candidate: CandidateProfile, kind: str,
                    item_keys: list[str]) -> ReleaseResult:
    """Approve every item of ``item_keys`` that nobody has decided yet, so the person sees them.

    Only items still without a review are approved: one another counsellor decided since the page was read keeps
    that decision (it is reported as skipped, never overwritten).
    """
    released, skipped = [], []
    decided = reviews_by_key(candidate=candidate, kind=kind)
    for key in dict.fromkeys(item_keys):
        if key in decided or not item_exists(key):
            skipped.append(key)
            continue
        try:
            save_review(actor=counsellor, candidate=candidate, kind=kind, item_key=key,
                        decision=Review.Decision.APPROVED, reason="", note="", version=None)
        except ReviewConflict:
            skipped.append(key)
        else:
            released.append(key)
    return ReleaseResult(released=released, skipped=skipped)
