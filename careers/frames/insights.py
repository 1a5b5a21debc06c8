"""ORM to frame for the municipality's insights (``careers.selectors.insights``): served items, reviews, people and
applications, each in one query, as the frames the reports aggregate.

*Recommended item*: one (candidate, kind, item key) served, counted once however often the list was asked for
again, with its best rank and the time it was first served.
"""
from __future__ import annotations

import pandas as pd
from django.db.models import Min, Q, QuerySet
from django.utils import timezone

from careers.models import Application, CandidateProfile, RecommendationItem, Review

APPROVING = (Review.Decision.APPROVED.value, Review.Decision.ADDED.value)
NO_COUNSELLOR = "none"


def frame_of(rows, columns: list[str]) -> pd.DataFrame:
    """A frame of ``rows``; ids are integers and times UTC even when there are no rows (so merges line up)."""
    frame = pd.DataFrame.from_records(list(rows), columns=columns)
    for column in ("first_served", "applied_at"):
        if column in frame:
            frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame.astype({c: "int64" for c in columns if c in ("candidate_id", "person_id", "town_id")})


def served_candidates(items: QuerySet[RecommendationItem]) -> QuerySet:
    """The ids of the candidates ``items`` were served to (a subquery)."""
    return items.order_by().values("list__candidate_id")


def recommended_frame(items: QuerySet[RecommendationItem]) -> pd.DataFrame:
    """One row per recommended item: ``candidate_id, kind, item_key, position, first_list, first_served``."""
    rows = (items.order_by().values("list__candidate_id", "list__kind", "item_key")
            .annotate(position=Min("rank"), first_list=Min("list_id"), first_served=Min("list__created_at"))
            .values_list("list__candidate_id", "list__kind", "item_key", "position", "first_list", "first_served"))
    return frame_of(rows, ["candidate_id", "kind", "item_key", "position", "first_list", "first_served"])


def fairness_people_frame(*, town_id: int | None, items: QuerySet[RecommendationItem]) -> pd.DataFrame:
    """``person_id, gender, town, age`` of the people the recommender may serve plus anyone served in ``items``."""
    people = CandidateProfile.objects.filter(
        Q(consent_processing=True, user__is_active=True) | Q(pk__in=served_candidates(items)))
    if town_id is not None:
        people = people.filter(town_id=town_id)
    frame = frame_of(people.values_list("id", "gender", "birth_year", "town__name"),
                   ["person_id", "gender", "birth_year", "town"])
    # Only the birth year is stored: the age reached this year, as CandidateProfile.age() reads it.
    frame["age"] = timezone.localdate().year - frame["birth_year"].astype("int64")
    return frame.drop(columns="birth_year")


def fairness_served_frame(items: QuerySet[RecommendationItem]) -> pd.DataFrame:
    """``person_id, list_id, position, approved`` per recommended item (approved: None when not reviewed)."""
    served = recommended_frame(items)
    reviews = Review.objects.filter(candidate__in=served_candidates(items)).values_list(
        "candidate_id", "kind", "item_key", "decision")
    decisions = frame_of(reviews, ["candidate_id", "kind", "item_key", "decision"])
    served = served.merge(decisions, on=["candidate_id", "kind", "item_key"], how="left")
    served["approved"] = served["decision"].map(
        lambda d: None if not isinstance(d, str) else d in APPROVING).astype(object)
    return served.rename(columns={"candidate_id": "person_id", "first_list": "list_id"})[
        ["person_id", "list_id", "position", "approved"]]


def applications_frame(items: QuerySet[RecommendationItem], kinds: tuple[str, ...]) -> pd.DataFrame:
    """``candidate_id, kind, target_id, applied_at, status`` of the served candidates' applications."""
    applications = Application.objects.filter(candidate__in=served_candidates(items))
    if kinds == ("jobs",):
        applications = applications.filter(vacancy__isnull=False)
    elif kinds == ("programmes",):
        applications = applications.filter(intake__isnull=False)
    frame = frame_of(applications.order_by().values_list("candidate_id", "vacancy_id", "intake__programme_id",
                                                       "created_at", "status"),
                   ["candidate_id", "vacancy_id", "programme_id", "applied_at", "status"])
    frame["kind"] = frame["vacancy_id"].notna().map({True: "jobs", False: "programmes"})
    frame["target_id"] = frame["vacancy_id"].fillna(frame["programme_id"]).astype("Int64")
    return frame[["candidate_id", "kind", "target_id", "applied_at", "status"]]


def candidate_groups_frame(items: QuerySet[RecommendationItem]) -> pd.DataFrame:
    """``candidate_id, town_id, town, counsellor_id, counsellor`` of the candidates served in ``items``."""
    rows = CandidateProfile.objects.filter(pk__in=served_candidates(items)).values_list(
        "id", "town_id", "town__name", "counsellor_id", "counsellor__user__first_name", "counsellor__user__last_name")
    frame = frame_of(rows, ["candidate_id", "town_id", "town", "counsellor_id", "first_name", "last_name"])
    names = (frame["first_name"].fillna("") + " " + frame["last_name"].fillna("")).str.strip()
    # A counsellor is named as the caseload shows them (full name), never by username or e-mail; else by id.
    fallback = "#" + frame["counsellor_id"].astype("Int64").astype(str)
    frame["counsellor"] = names.where(names != "", fallback).where(frame["counsellor_id"].notna(), NO_COUNSELLOR)
    return frame[["candidate_id", "town_id", "town", "counsellor_id", "counsellor"]]
