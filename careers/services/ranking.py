"""Learning to rank jobs lists from feedback (issue 6): train, compare, store every version, promote, roll back.

* **Training data** (:func:`training_data`): every logged jobs list item with its explanation's score parts
  (``RecommendationItem.features['parts']``), labelled by what happened to it afterwards: candidates' and employers'
  feedback events and counsellors' review decisions (``added`` counts as ``approved``). An event or review labels
  the item in the *latest list served to that candidate at or before it* that contained the item; one with no such
  list (an application made before the item was ever recommended) is not feedback on a ranking and is left out.
  Grades and the "strongest outcome, else latest event wins" rule are :mod:`matching.ltr`'s.
* **Training** (:func:`train_ranker`): :func:`matching.ltr.train_and_compare` fits a new
  :class:`~matching.ltr.RankerModel` on a seeded split of the informative lists and scores it and the active
  scorer (the active stored version, or the hand weights when none is active) on the same held-out lists. Every
  trained version is stored; it becomes active only when its held-out nDCG@10 is strictly higher. Fewer than
  ``min_lists`` informative lists: nothing is trained or stored and the active scorer stays. The same feedback
  (and seed) as the newest stored version: nothing is trained again unless ``force``.
* **Rollback** (:func:`rollback`): activate any stored version, or ``hand-weighted`` (no learned model).

Every activation is written to :class:`~careers.models.RankerActivation` and logged (``careers.services.ranking``).
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import pandas as pd
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from careers.frames.feedback import feedback_events_frame, served_items_frame
from careers.models import (
    HAND_WEIGHTED, FeedbackEvent, RankerActivation, RankerVersion, RecommendationItem, RecommendationKind, Review,
)
from careers.runtime.ranker import load_version, ranker_runtime
from matching.ltr import (
    MIN_LISTS, HandWeightedRanker, RankerModel, dump_model, informative_lists, train_and_compare,
    training_frame,
)
from matching.index import DEFAULT_WEIGHTS

logger = logging.getLogger(__name__)

KIND = RecommendationKind.JOBS
LABEL_PREFIX = "ltr-"
HAND_WEIGHTED_NAMES = (HAND_WEIGHTED, "hand-weighted-1")
# A counsellor adding an item says the same as approving it.
REVIEW_EVENTS = {Review.Decision.APPROVED: "approved", Review.Decision.REJECTED: "rejected",
                 Review.Decision.ADDED: "approved"}


class UnknownVersion(LookupError):
    def __init__(self, label: str, known: list[str]) -> None:
        names = ", ".join([HAND_WEIGHTED, *known])
        super().__init__(f"unknown ranker version {label!r}; stored versions: {names}")


# ------------------------------------------------------------------------------------------- features
def hand_weights() -> dict[str, float]:
    """The weights the served index uses (``MATCHING_INDEX_PARAMS['weights']`` overrides the defaults)."""
    params = getattr(settings, "MATCHING_INDEX_PARAMS", None) or {}
    return {**DEFAULT_WEIGHTS, **(params.get("weights") or {})}


def ranking_features() -> list[str]:
    """The explainable score parts a ranker may use (never a protected attribute: ``check_features`` guards it)."""
    return list(hand_weights())


def job_features(explanation: dict) -> dict:
    """What the audit keeps of a recommender explanation (the raw one: skill ids, not labels).

    The same shape as ``careers.services.recommendations._job_features`` logs, so demo history and served lists
    train alike.
    """
    return {"parts": dict(explanation["parts"]), "contributions": dict(explanation["contributions"]),
            "matched_skills": [m["skill_id"] for m in explanation["matched_skills"]],
            "missing_essential": [m["skill_id"] for m in explanation["missing_essential"] if m],
            "essential_matched": explanation["essential_matched"], "distance_km": explanation["distance_km"],
            "remote": explanation["remote"]}


# ------------------------------------------------------------------------------------------- training data
@dataclass
class TrainingData:
    frame: pd.DataFrame
    lists: int
    items: int
    events: int  # events and reviews that label a served item
    fingerprint: dict


def _attribute(events: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """Give each event the latest list served to that person at or before it with that item (others dropped)."""
    if events.empty or items.empty:
        return pd.DataFrame({"list_id": pd.Series(dtype="int64"), "item_id": pd.Series(dtype=object),
                             "event": pd.Series(dtype=object), "at": pd.Series(dtype="datetime64[ns, UTC]")})
    served = items[["person_id", "item_id", "served_at", "list_id"]].sort_values("served_at", kind="stable")
    joined = pd.merge_asof(events.sort_values("at", kind="stable"), served, left_on="at", right_on="served_at",
                           by=["person_id", "item_id"], direction="backward")
    joined = joined[joined["list_id"].notna()]
    return joined.assign(list_id=joined["list_id"].astype("int64"))[["list_id", "item_id", "event", "at"]]


def training_data() -> TrainingData:
    """The training frame of every logged jobs list (see the module docstring) and what it was built from."""
    items = served_items_frame(kind=KIND, features=ranking_features())
    events = _attribute(feedback_events_frame(kind=KIND, review_events=REVIEW_EVENTS), items)
    frame = training_frame(items.drop(columns=["served_at"]), events)
    features = ranking_features()
    for name in features:
        frame[name] = frame[name].fillna(0.0) if name in frame else 0.0
    return TrainingData(frame=frame, lists=int(items["list_id"].nunique()), items=len(items), events=len(events),
                        fingerprint=_fingerprint())


def _fingerprint() -> dict:
    """Cheap aggregates that change whenever the training data can have changed."""
    def stamp(queryset, *extra) -> list:
        row = queryset.aggregate(n=Count("pk"), m=Max("pk"), **{f"x{i}": Max(e) for i, e in enumerate(extra)})
        return [str(v) for v in row.values()]
    return {"items": stamp(RecommendationItem.objects.filter(list__kind=KIND)),
            "events": stamp(FeedbackEvent.objects.filter(kind=KIND)),
            "reviews": stamp(Review.objects.filter(kind=KIND), "updated_at")}


# ------------------------------------------------------------------------------------------- versions
def active_version() -> RankerVersion | None:
    return RankerVersion.objects.filter(is_active=True).first()


def _active_scorer() -> tuple[str, RankerVersion | None, object]:
    version = active_version()
    if version is None:
        return HAND_WEIGHTED, None, HandWeightedRanker(weights=hand_weights())
    return version.label, version, load_version(version)


def _next_label() -> str:
    numbers = [int(m.group(1)) for label in RankerVersion.objects.values_list("label", flat=True)
               if (m := re.fullmatch(rf"{LABEL_PREFIX}(\d+)", label))]
    return f"{LABEL_PREFIX}{max(numbers, default=0) + 1}"


def _activate(version: RankerVersion | None, *, action: str, actor: str, note: str = "") -> str:
    """Make ``version`` (None: the hand weights) the one active ranker; log it. Returns the previous label."""
    previous = RankerVersion.objects.select_for_update().filter(is_active=True).first()
    previous_label = previous.label if previous else HAND_WEIGHTED
    RankerVersion.objects.filter(is_active=True).update(is_active=False)
    if version is not None:
        version.is_active, version.activated_at, version.activated_by = True, timezone.now(), actor
        version.save(update_fields=["is_active", "activated_at", "activated_by"])
    RankerActivation.objects.create(version=version, previous_label=previous_label, action=action, actor=actor,
                                    note=note[:300])
    logger.info("ranker %s: %s → %s by %s%s", action, previous_label,
                   version.label if version else HAND_WEIGHTED, actor, f" ({note})" if note else "")
    return previous_label


def _refresh_runtime() -> None:
    ranker_runtime().invalidate()


# ------------------------------------------------------------------------------------------- train
@dataclass
class TrainingResult:
    trained: bool
    reason: str
    lists: int = 0  # logged jobs lists
    items: int = 0
    events: int = 0
    informative_lists: int = 0
    train_lists: int = 0
    test_lists: int = 0
    ndcg: float | None = None
    active_label: str = HAND_WEIGHTED
    active_ndcg: float | None = None
    promoted: bool = False
    version: RankerVersion | None = None
    now_active: str = HAND_WEIGHTED


def train_ranker(*, seed: int = 0, min_lists: int = MIN_LISTS, candidate=None, actor: str = "train_ranker",
                 force: bool = False) -> TrainingResult:
    """Train a ranker on the logged feedback, store it, and promote it only if it beats the active scorer.

    ``candidate`` is an unfitted estimator template (default ``RankerModel`` over :func:`ranking_features`).
    """
    data = training_data()
    active_label, active_row, active_model = _active_scorer()
    counts = {"lists": data.lists, "items": data.items, "events": data.events, "active_label": active_label,
              "now_active": active_label, "informative_lists": len(informative_lists(data.frame))}
    latest = RankerVersion.objects.order_by("-created_at", "-id").first()
    signature = {"data": data.fingerprint, "seed": seed, "min_lists": min_lists}
    if not force and candidate is None and latest is not None and latest.metadata.get("signature") == signature:
        return TrainingResult(False, f"no new feedback since {latest.label} was trained (use --force to train "
                                     f"again)", **counts)
    template = candidate if candidate is not None else RankerModel(features=ranking_features(), random_state=seed)
    decision = train_and_compare(data.frame, active_model, candidate=template, min_lists=min_lists,
                                 random_state=seed)
    counts.update(informative_lists=decision["lists"], train_lists=decision["train_lists"],
                  test_lists=decision["test_lists"])
    if not decision["trained"]:
        logger.info("train_ranker: %s; %s stays active", decision["reason"], active_label)
        return TrainingResult(False, decision["reason"], **counts)
    with transaction.atomic():
        version = _store(decision, data, active_label, signature, seed)
        promote = decision["promote"]
        reason = decision["reason"]
        current = active_version()
        if promote and (current.pk if current else None) != (active_row.pk if active_row else None):
            promote, reason = False, "the active ranker changed during training: compare again"
        if promote:
            version.promoted = True
            version.save(update_fields=["promoted"])
            _activate(version, action=RankerActivation.Action.PROMOTED, actor=actor,
                      note=f"held-out nDCG@10 {decision['candidate_ndcg']} > {active_label} "
                           f"{decision['active_ndcg']}")
    _refresh_runtime()
    counts["now_active"] = version.label if promote else active_label
    return TrainingResult(True, reason, ndcg=decision["candidate_ndcg"], active_ndcg=decision["active_ndcg"],
                          promoted=promote, version=version, **counts)


def _store(decision: dict, data: TrainingData, active_label: str, signature: dict, seed: int) -> RankerVersion:
    counts = {"lists": data.lists, "items": data.items, "events": data.events,
              "informative_lists": decision["lists"], "train_lists": decision["train_lists"],
              "test_lists": decision["test_lists"]}
    blob, metadata = dump_model(decision["model"], metadata={
        "kind": KIND, "trained_on": counts, "seed": seed, "signature": signature,
        "ndcg": decision["candidate_ndcg"], "baseline": active_label, "baseline_ndcg": decision["active_ndcg"]})
    return RankerVersion.objects.create(
        label=_next_label(), blob=blob, metadata=metadata, ndcg=decision["candidate_ndcg"],
        baseline_label=active_label, baseline_ndcg=decision["active_ndcg"], promoted=False)


# ------------------------------------------------------------------------------------------- rollback
@dataclass
class RollbackResult:
    previous: str
    active: str
    changed: bool


def rollback(label: str, *, actor: str = "rollback_ranker") -> RollbackResult:
    """Activate the stored version ``label``, or ``hand-weighted`` for no learned ranker.

    Raises :class:`UnknownVersion` for a label never stored, ``ValueError`` when its bytes fail the checksum.
    """
    with transaction.atomic():
        current = RankerVersion.objects.select_for_update().filter(is_active=True).first()
        current_label = current.label if current else HAND_WEIGHTED
        if label in HAND_WEIGHTED_NAMES:
            target = None
        else:
            target = RankerVersion.objects.filter(label=label).first()
            if target is None:
                raise UnknownVersion(label, list(RankerVersion.objects.order_by("id").values_list("label", flat=True)))
            load_version(target)  # refuse bytes that no longer load before they serve
        target_label = target.label if target else HAND_WEIGHTED
        if target_label == current_label:
            return RollbackResult(current_label, current_label, False)
        _activate(target, action=RankerActivation.Action.ROLLBACK, actor=actor)
    _refresh_runtime()
    return RollbackResult(current_label, target_label, True)


def versions() -> list[RankerVersion]:
    """Every stored version, oldest first, without the model bytes."""
    return list(RankerVersion.objects.defer("blob").order_by("created_at", "id"))
