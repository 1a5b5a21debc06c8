"""Learning paths for a candidate (issue 5): programmes, careers, pathways and what-if.

Answers come from the process-wide PathFinder of careers.runtime.paths (on top of the match index; never built per
request). Who may ask is the jobs endpoint's rule: the candidate themself, their counsellor and staff; another
user's candidate answers 404, employers and providers 403. Names come in the request language; programmes, intakes
and vacancies are re-checked against the database, so one closed a moment ago is dropped before the next probe.
"""
from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers.paths import (
    PATHWAY_EXAMPLES, WHAT_IF_EXAMPLES, CareerRecommendationsOutputSerializer, PathQuerySerializer,
    PathwayQuerySerializer, PathwayRecommendationsOutputSerializer, ProgrammeRecommendationsOutputSerializer,
    WhatIfInputSerializer, WhatIfOutputSerializer,
)
from api.serializers.resources_common import request_language
from api.views.matching import CanGetJobRecommendations
from api.views.oversight import NO_CONSENT, NOT_RELEASED, empty_list, oversee, withheld
from careers.models import CandidateProfile, EducationLevel, Intake, Occupation, Programme
from careers.runtime.paths import path_service
from careers.runtime.matches import indexed_vacancies, match_service
from careers.selectors.oversight import recommendations_released
from careers.selectors import candidates_visible_to
from careers.selectors.oversight import added_item_ids

TAG = ["learning paths"]
PATHWAY_VACANCIES_SHOWN = 10
REQUIREMENT = {"lv": "nepieciešama {need}; kandidātam ir {has}", "en": "requires {need}; the candidate has {has}"}


def _top_k(description: str, default: int) -> OpenApiParameter:
    return OpenApiParameter("top_k", int, description=f"{description} (1–50, default {default}).")


def _candidate(request: Request, pk: int) -> CandidateProfile:
    return get_object_or_404(candidates_visible_to(user=request.user).select_related("user"), pk=pk)


def _query(serializer_class, request: Request) -> dict:
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data


# ------------------------------------------------------------------------------------------- shaping
class Shaper:
    """Turns the finder's ids into request-language summaries, reading each table once per request."""

    def __init__(self, *, programme_ids=(), intake_ids=(), vacancy_ids=()) -> None:
        self.language = request_language()
        self.today = timezone.localdate()
        self.programmes = (Programme.objects.filter(pk__in=set(programme_ids), is_active=True)
                           .select_related("institution__town").in_bulk())
        self.intakes = Intake.objects.filter(pk__in=set(intake_ids)).in_bulk()
        self.vacancies = dict(indexed_vacancies().filter(pk__in=set(vacancy_ids)).values_list("id", "title"))
        self.matches = match_service()

    def _name(self, lv: str, en: str) -> str:
        return en if self.language == "en" and en else lv

    def open_intake(self, intake_id) -> bool:
        """Still upcoming in the database (the finder's rule: starts after today, deadline not passed)."""
        intake = self.intakes.get(intake_id)
        return intake is not None and intake.start_date > self.today and intake.application_deadline >= self.today

    def has(self, programme_id, intake_id) -> bool:
        return programme_id in self.programmes and self.open_intake(intake_id)

    def programme(self, pk) -> dict:
        p = self.programmes[pk]
        town, institution = p.institution.town, p.institution
        return {"id": p.pk, "name": self._name(p.name_lv, p.name_en), "kind": p.kind, "mode": p.mode,
                "eqf_level": p.eqf_level, "duration_months": p.duration_months,
                "institution": {"id": institution.pk, "name": self._name(institution.name_lv, institution.name_en),
                                "short_name": institution.short_name},
                "town": {"id": town.pk, "name": self._name(town.name, town.name_en)}}

    def intake(self, pk) -> dict:
        i = self.intakes[pk]
        return {"id": i.pk, "start_date": i.start_date, "application_deadline": i.application_deadline,
                "seats": i.seats, "funded_seats": i.funded_seats}

    def skills(self, entries) -> list[dict]:
        return [self.matches.skill_ref(e["skill_id"], self.language) for e in entries]

    def vacancy_list(self, ids) -> list[dict]:
        return [{"id": v, "title": self.vacancies[v]} for v in ids if v in self.vacancies]

    def reason(self, *, need: int, has: int, enrolable: bool) -> str | None:
        if enrolable:
            return None
        return REQUIREMENT[self.language].format(need=EducationLevel(need).label, has=EducationLevel(has).label)


def _funding(raw: dict) -> dict:
    return {"cost_eur": raw["cost_eur"], "cost_after_funding_eur": raw["cost_after_funding_eur"],
            "funding": raw["funding"], "competitive": raw["competitive"]}


def _withheld(request: Request, candidate: CandidateProfile) -> Response | None:
    """Issue 6: a supervised candidate sees lists only after their counsellor released items (then only those)."""
    return withheld(request, candidate, released=recommendations_released)


def _served(request: Request, candidate: CandidateProfile, kind: str, data, key, features, extra=()) -> Response:
    """Reviews applied and the served list logged (see ``api.views.oversight.oversee``).

    ``extra``: shaped items beyond the ranked ones that a counsellor added by hand; ``oversee`` appends those the
    ranked list lacks.
    """
    extra = list(extra)
    data["items"] = oversee(request, candidate=candidate, kind=kind, items=list(data["items"]), key=key,
                            features=features, added=lambda keys: [i for i in extra if key(i) in keys])
    return Response(data)


def _programme_features(item: dict) -> dict:
    e = item["explanation"]
    return {"parts": e["parts"], "enrolable": item["enrolable"], "gap_closed": e["gap_closed"],
            "missing_skills_taught": [s["id"] for s in e["missing_skills_taught"]],
            "vacancies_unlocked": e["vacancies_unlocked"], "distance_km": e["distance_km"],
            "cost_eur": e["cost_eur"], "cost_after_funding_eur": e["cost_after_funding_eur"],
            "funding": e["funding"]}


def _career_features(item: dict) -> dict:
    e = item["explanation"]
    return {"parts": e["parts"], "interest_fit": e["interest_fit"], "skill_fit": e["skill_fit"],
            "essential_held": e["essential_held"], "open_vacancies": e["open_vacancies"]}


def _pathway_key(item: dict) -> str:
    return "pathway:" + "+".join(str(step["programme"]["id"]) for step in item["steps"])


def _pathway_features(item: dict) -> dict:
    return {"vacancies_unlocked": item["vacancies_unlocked"], "total_duration_months": item["total_duration_months"],
            "cost_after_funding_eur": item["cost_after_funding_eur"], "threshold": item["threshold"]}


# ------------------------------------------------------------------------------------------- programmes
class CandidateProgrammeRecommendationsApi(APIView):
    permission_classes = [CanGetJobRecommendations]

    @extend_schema(
        tags=TAG, summary="Programmes with upcoming intakes that close the candidate's skill gap, best first",
        description="Ranked by how much of the gap toward near-miss vacancies and target occupations they close, "
                    "then distance, mode, cost after funding and start date. Programmes the candidate cannot "
                    "enter (education) are listed after every enrolable one, with the reason.",
        parameters=[_top_k("How many programmes at most", 10)],
        responses={200: ProgrammeRecommendationsOutputSerializer})
    def get(self, request: Request, pk: int) -> Response:
        query = _query(PathQuerySerializer, request)
        candidate = _candidate(request, pk)
        if (held := _withheld(request, candidate)) is not None:
            return held
        added = added_item_ids(candidate=candidate, kind="programmes", prefix="programme:")
        frame = path_service().programmes_for(candidate=candidate, k=query["top_k"], include=added)
        if frame is None:
            return empty_list(candidate, NO_CONSENT)
        rows = list(frame.itertuples())
        shaper = Shaper(programme_ids=[r.programme_id for r in rows], intake_ids=[r.intake_id for r in rows],
                        vacancy_ids=[v for r in rows for v in r.explanation["vacancies_unlocked_top"]])
        items, extra = [], []
        for row in rows:
            if not shaper.has(row.programme_id, row.intake_id):
                continue
            raw = row.explanation
            req = raw["requirements"]
            reason = shaper.reason(need=req["min_education"], has=req["candidate_education"],
                                   enrolable=req["enrolable"])
            (items if row.rank <= query["top_k"] else extra).append({
                "rank": len(items) + 1, "score": row.score, "enrolable": row.enrolable, "reason": reason,
                "programme": shaper.programme(row.programme_id), "intake": shaper.intake(row.intake_id),
                "explanation": {
                    "missing_skills_taught": shaper.skills(raw["missing_skills_taught"]),
                    "gap_closed": raw["gap_closed"], "vacancies_unlocked": raw["vacancies_unlocked"],
                    "vacancies_unlocked_top": shaper.vacancy_list(raw["vacancies_unlocked_top"]),
                    "vacancies_nearer": raw["vacancies_nearer"], "leads_to_target": raw["leads_to_target"],
                    "requirements": {**req, "reason": reason}, "distance_km": raw["distance_km"],
                    "within_reach": raw["within_reach"], "mode_fit": raw["mode_fit"], **_funding(raw),
                    "parts": raw["parts"],
                },
            })
        return _served(request, candidate, "programmes", ProgrammeRecommendationsOutputSerializer(
            {"candidate": candidate.pk, "items": items, "reason": None}).data,
            key=lambda i: f"programme:{i['programme']['id']}", features=_programme_features,
            extra=ProgrammeRecommendationsOutputSerializer({"candidate": candidate.pk, "items": extra,
                                                            "reason": None}).data["items"])


# ------------------------------------------------------------------------------------------- careers
class CandidateCareerRecommendationsApi(APIView):
    permission_classes = [CanGetJobRecommendations]

    @extend_schema(
        tags=TAG, summary="Occupations for the candidate by interest (RIASEC), skill fit and local demand",
        description="Works with no skills at all (a pupil who has only answered the interest questions). Each "
                    "occupation has its open vacancies within reach, typical pay from local postings and the local "
                    "programmes leading there with their next intake.",
        parameters=[_top_k("How many occupations at most", 10)],
        responses={200: CareerRecommendationsOutputSerializer})
    def get(self, request: Request, pk: int) -> Response:
        query = _query(PathQuerySerializer, request)
        candidate = _candidate(request, pk)
        if (held := _withheld(request, candidate)) is not None:
            return held
        added = added_item_ids(candidate=candidate, kind="careers", prefix="occupation:")
        frame = path_service().careers_for(candidate=candidate, k=query["top_k"], include=added)
        if frame is None:
            return empty_list(candidate, NO_CONSENT)
        rows = list(frame.itertuples())
        occupations = Occupation.objects.filter(pk__in=[r.occupation_id for r in rows]).in_bulk()
        links = [p for r in rows for p in r.explanation["programmes"]]
        shaper = Shaper(programme_ids=[p["programme_id"] for p in links], intake_ids=[p["intake_id"] for p in links])
        items, extra = [], []
        for row in rows:
            occupation = occupations.get(row.occupation_id)
            if occupation is None:
                continue
            raw = row.explanation
            programmes = [
                {"programme": shaper.programme(p["programme_id"]), "intake": shaper.intake(p["intake_id"]),
                 "enrolable": p["enrolable"],
                 "reason": shaper.reason(need=shaper.programmes[p["programme_id"]].min_education,
                                         has=candidate.highest_education, enrolable=p["enrolable"]),
                 "distance_km": p["distance_km"],
                 "cost_eur": float(shaper.programmes[p["programme_id"]].total_cost_eur),
                 "cost_after_funding_eur": p["cost_after_funding_eur"], "funding": p["funding"],
                 "competitive": p["competitive"]}
                for p in raw["programmes"] if shaper.has(p["programme_id"], p["intake_id"])
            ]
            (items if row.rank <= query["top_k"] else extra).append({
                "rank": len(items) + 1, "score": row.score,
                "occupation": {"id": occupation.pk, "uri": occupation.uri, "label": occupation.label(shaper.language),
                               "isco_code": occupation.isco_code},
                "explanation": {
                    "interest_fit": raw["interest_fit"], "skill_fit": raw["skill_fit"],
                    "essential_held": raw["essential_held"], "open_vacancies": raw["open_vacancies"],
                    "open_vacancies_eligible": raw["open_vacancies_eligible"], "salary": raw["salary"],
                    "programmes": programmes, "parts": raw["parts"],
                },
            })
        return _served(request, candidate, "careers", CareerRecommendationsOutputSerializer(
            {"candidate": candidate.pk, "items": items, "reason": None}).data,
            key=lambda i: f"occupation:{i['occupation']['id']}", features=_career_features,
            extra=CareerRecommendationsOutputSerializer({"candidate": candidate.pk, "items": extra,
                                                         "reason": None}).data["items"])


# ------------------------------------------------------------------------------------------- pathways
class CandidatePathwayRecommendationsApi(APIView):
    permission_classes = [CanGetJobRecommendations]

    @extend_schema(
        tags=TAG, summary="Pathways of one to three programmes that unlock local vacancies, best first",
        description="A bounded weighted set cover over the missing essential skills of near-miss vacancies, from "
                    "real intakes the candidate can enter. `summary` is in the request language (Latvian by "
                    "default); both languages are given too.",
        parameters=[_top_k("How many pathways at most", 5)],
        responses={200: PathwayRecommendationsOutputSerializer}, examples=PATHWAY_EXAMPLES)
    def get(self, request: Request, pk: int) -> Response:
        query = _query(PathwayQuerySerializer, request)
        candidate = _candidate(request, pk)
        if (held := _withheld(request, candidate)) is not None:
            return held
        frame = path_service().pathways_for(candidate=candidate, k=query["top_k"])
        if frame is None:
            return empty_list(candidate, NO_CONSENT)
        rows = list(frame.itertuples())
        steps = [s for r in rows for s in r.explanation["steps"]]
        shaper = Shaper(programme_ids=[s["programme_id"] for s in steps], intake_ids=[s["intake_id"] for s in steps],
                        vacancy_ids=[v for r in rows for v in r.vacancy_ids])
        items = []
        for row in rows:
            raw = row.explanation
            if not all(shaper.has(s["programme_id"], s["intake_id"]) for s in raw["steps"]):
                continue  # a step closed or moved since the last probe: the pathway is not offered
            vacancy_ids = [v for v in row.vacancy_ids if v in shaper.vacancies]
            items.append({
                "rank": len(items) + 1, "score": row.score,
                "summary": row.summary_en if shaper.language == "en" else row.summary_lv,
                "summary_lv": row.summary_lv, "summary_en": row.summary_en,
                "steps": [{"programme": shaper.programme(s["programme_id"]), "intake": shaper.intake(s["intake_id"]),
                           "duration_months": s["duration_months"], **_funding(s),
                           "missing_skills_taught": shaper.skills(s["missing_skills_taught"])}
                          for s in raw["steps"]],
                "vacancies_unlocked": row.vacancies_unlocked, "vacancy_ids": vacancy_ids,
                "vacancies": shaper.vacancy_list(vacancy_ids[:PATHWAY_VACANCIES_SHOWN]),
                "total_duration_months": row.total_duration_months,
                "cost_after_funding_eur": row.cost_after_funding_eur, "first_start_date": row.first_start_date,
                "threshold": raw["threshold"], "radius_km": raw["radius_km"], "search": raw["search"],
            })
        return _served(request, candidate, "pathways", PathwayRecommendationsOutputSerializer(
            {"candidate": candidate.pk, "items": items, "reason": None}).data,
            key=_pathway_key, features=_pathway_features)


# ------------------------------------------------------------------------------------------- what-if
def _empty_what_if(candidate: CandidateProfile, reason: str) -> dict:
    return {"candidate": candidate.pk, "reason": reason, "added_skills": [], "threshold": None, "n_gained": 0,
            "vacancies_gained": [], "n_coverage_gained": 0, "coverage_gained": [], "top_before": [], "top_after": [],
            "entered_top": [], "left_top": []}


class CandidateWhatIfApi(APIView):
    permission_classes = [CanGetJobRecommendations]

    @extend_schema(
        tags=TAG, summary="How the candidate's job list would change with added skills or a finished programme",
        description="Give `skills` (ESCO skill URIs, at most 50) or `programme` (an active programme id: its "
                    "skills taught are added), not both. Nothing is saved; the index is not changed.",
        request=WhatIfInputSerializer, responses={200: WhatIfOutputSerializer}, examples=WHAT_IF_EXAMPLES)
    def post(self, request: Request, pk: int) -> Response:
        candidate = _candidate(request, pk)  # 404 before validating: another's id reveals nothing
        body = WhatIfInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if _withheld(request, candidate) is not None:
            return Response(WhatIfOutputSerializer(_empty_what_if(candidate, NOT_RELEASED)).data)
        try:
            raw = path_service().what_if(candidate=candidate, skill_ids=data.get("skills", ()),
                                         programme_id=data.get("programme"), k=data["top_k"])
        except ValueError as exc:  # the taxonomy or catalogue changed since the last refit
            field = "programme" if "programme" in data else "skills"
            raise serializers.ValidationError({field: [str(exc)]}) from None
        if raw is None:
            return Response(WhatIfOutputSerializer(_empty_what_if(candidate, NO_CONSENT)).data)
        gained = raw["vacancies_gained"]
        coverage = raw["coverage_gained"]
        ids = {*gained, *(c["vacancy_id"] for c in coverage), *raw["top_before"], *raw["top_after"]}
        shaper = Shaper(vacancy_ids=ids)
        public = shaper.vacancies

        def keep(values):
            return [v for v in values if v in public]

        out = {
            "candidate": candidate.pk, "reason": None,
            "added_skills": [shaper.matches.skill_ref(e["skill_id"], shaper.language) for e in raw["added_skills"]],
            "threshold": raw["threshold"], "n_gained": len(keep(gained)),
            "vacancies_gained": shaper.vacancy_list(gained), "n_coverage_gained": raw["n_coverage_gained"],
            "coverage_gained": [{"vacancy": {"id": c["vacancy_id"], "title": public[c["vacancy_id"]]},
                                 "before": c["before"], "after": c["after"]}
                                for c in coverage if c["vacancy_id"] in public],
            "top_before": keep(raw["top_before"]), "top_after": keep(raw["top_after"]),
            "entered_top": keep(raw["entered_top"]), "left_top": keep(raw["left_top"]),
        }
        return Response(WhatIfOutputSerializer(out).data)
