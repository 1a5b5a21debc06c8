"""Skill extraction, title → occupation, jobs for a candidate and candidates for a vacancy.

All answers come from the process-wide index of careers.runtime.matches (never built per request). Who may ask is
decided by the candidate and vacancy selectors: another user's object answers 404, a role that may never ask 403.
"""
from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers.matching import (
    EXTRACT_EXAMPLES, TITLE_EXAMPLES, CandidateRecommendationsOutputSerializer, JobRecommendationsOutputSerializer,
    RecommendationQuerySerializer, SkillExtractInputSerializer, SkillExtractOutputSerializer,
    TitleMatchInputSerializer, TitleMatchOutputSerializer,
)
from api.serializers.resources_candidates import SERIALIZER_FOR_ACCESS
from api.serializers.resources_common import request_language
from api.throttles import WindowedAnonThrottle, WindowedUserThrottle
from api.views.oversight import NO_CONSENT, empty_list, oversee, withheld
from careers.models import Role, Vacancy
from careers.runtime.ranker import jobs_ranker
from careers.runtime.matches import match_service
from careers.selectors.oversight import recommendations_released
from careers.selectors import (
    CandidateAccess, candidate_access_for, candidate_of, candidates_discoverable, candidates_visible_to, is_admin,
    is_counsellor, is_employer_member, vacancies_managed_by, vacancies_visible_to, with_candidate_access,
    with_candidate_profile,
)
from careers.selectors.roles import role_of
from careers.selectors.vacancies import public_vacancy_briefs

TAG = ["matching"]
TOP_K_PARAMETER = OpenApiParameter("top_k", int, description="How many results at most (1–50, default 10).")
# Explanation fields derived from the candidate's commute limit, which only full access may read.
FULL_ONLY_EXPLANATION = ("commute_limit_km", "relocation_needed")


# ------------------------------------------------------------------------------------------- permissions
class CanGetJobRecommendations(BasePermission):
    """A candidate (for themself), a counsellor (their caseload) or staff; the object check is the selector's."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not user.is_authenticated:
            return False
        return is_admin(user) or candidate_of(user) is not None or is_counsellor(user)


class CanGetCandidateRecommendations(BasePermission):
    """An employer member (own vacancies), a counsellor (their caseload, any public vacancy) or staff."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not user.is_authenticated:
            return False
        return is_admin(user) or is_counsellor(user) or is_employer_member(user)


# ------------------------------------------------------------------------------------------- taxonomy
class SkillExtractApi(APIView):
    """Public (anyone may try it on a CV or an ad), throttled per address / per user like every public endpoint."""

    permission_classes = [AllowAny]
    throttle_classes = [WindowedAnonThrottle, WindowedUserThrottle]

    @extend_schema(tags=TAG, summary="Skills found in free Latvian or English text, best first",
                   request=SkillExtractInputSerializer, responses={200: SkillExtractOutputSerializer},
                   examples=EXTRACT_EXAMPLES)
    def post(self, request: Request) -> Response:
        body = SkillExtractInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        found = match_service().extract_skills(body.validated_data["text"], top_k=body.validated_data["top_k"],
                                               language=request_language())
        skills = [{"uri": m.uri, "label": m.label, "score": m.score,
                   "span": {"start": m.span.start, "end": m.span.end, "text": m.span.text}} for m in found]
        return Response({"skills": skills})


class TitleMatchApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [WindowedAnonThrottle, WindowedUserThrottle]

    @extend_schema(tags=TAG, summary="Occupations for a job title (Latvian or English), best first",
                   request=TitleMatchInputSerializer, responses={200: TitleMatchOutputSerializer},
                   examples=TITLE_EXAMPLES)
    def post(self, request: Request) -> Response:
        body = TitleMatchInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        found = match_service().match_title(body.validated_data["title"], top_k=body.validated_data["top_k"],
                                            language=request_language())
        return Response({"occupations": [{"uri": m["uri"], "label": m["label"], "score": m["score"]} for m in found]})


# ------------------------------------------------------------------------------------------- explanations
def _explanation(raw: dict, *, language: str, full_access: bool) -> dict:
    service = match_service()

    def ref(entry: dict | None) -> dict | None:
        return None if entry is None else service.skill_ref(entry["skill_id"], language)

    out = {
        "matched_skills": [{"skill": ref(e), "essential": e["essential"], "level": e["level"]}
                           for e in raw["matched_skills"]],
        "related_skills": [{"skill": ref(e), "essential": e["essential"], "credit": e["credit"], "via": ref(e["via"])}
                           for e in raw["related_skills"]],
        "missing_essential": [ref(e) for e in raw["missing_essential"]],
        "essential_matched": raw["essential_matched"],
        "distance_km": raw["distance_km"],
        "remote": raw["remote"],
        "filters": raw["filters"],
        "parts": dict(raw["parts"]),
        "contributions": dict(raw["contributions"]),
    }
    if "ranker" in raw:  # a learned ranker ordered the list: its version and score (careers.runtime.ranker)
        out["ranker"] = raw["ranker"]
    if full_access:
        out.update({name: raw[name] for name in FULL_ONLY_EXPLANATION})
    else:
        # distance_km is known to a recruiter (both towns are recruiter fields); the distance part is
        # 1 - distance / commute limit and would reveal the limit, so it is left out with the limit itself.
        out["parts"].pop("distance", None)
        out["contributions"].pop("distance", None)
    return out


# ------------------------------------------------------------------------------------------- jobs
def _job_key(item: dict) -> str:
    return f"vacancy:{item['vacancy']['id']}"


def _job_features(item: dict) -> dict:
    """What the audit log keeps of a job explanation (ids, not labels: the explain endpoint names them later)."""
    e = item["explanation"]
    return {"parts": e["parts"], "contributions": e["contributions"],
            "matched_skills": [m["skill"]["id"] for m in e["matched_skills"]],
            "missing_essential": [m["id"] for m in e["missing_essential"] if m],
            "essential_matched": e["essential_matched"], "distance_km": e["distance_km"], "remote": e["remote"],
            **({"ranker": e["ranker"]} if "ranker" in e else {})}


def _added_jobs(candidate, keys: list[str], *, language: str) -> list[dict]:
    """Vacancies a counsellor added that the ranker did not return, scored and explained like the ranked ones.

    Only public vacancies in the index are shown; a pair that fails a hard filter scores 0 and its
    ``explanation.filters`` say which one.
    """
    ids = [int(key.split(":", 1)[1]) for key in keys]
    briefs = public_vacancy_briefs(ids, language=language)
    raws = match_service().explain_jobs(candidate=candidate, vacancy_ids=[v for v in ids if v in briefs])
    return [{"score": raws[v]["score"] or 0.0, "vacancy": briefs[v],
             "explanation": _explanation(raws[v], language=language, full_access=True)}
            for v in ids if v in raws]


class CandidateJobRecommendationsApi(APIView):
    permission_classes = [CanGetJobRecommendations]

    @extend_schema(tags=TAG, summary="Open vacancies for a candidate, best first, each explained",
                   parameters=[TOP_K_PARAMETER], responses={200: JobRecommendationsOutputSerializer})
    def get(self, request: Request, pk: int) -> Response:
        query = RecommendationQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        candidate = get_object_or_404(candidates_visible_to(user=request.user).select_related("user"), pk=pk)
        if (held := withheld(request, candidate, released=recommendations_released)) is not None:
            return held
        ranker, top_k = jobs_ranker(), query.validated_data["top_k"]  # the active learned ranker, if any
        frame = ranker.annotate(match_service().jobs_for(candidate=candidate, k=top_k, pool=ranker.pool(top_k),
                                                         rescore=ranker.rescore))
        if frame is None:
            return empty_list(candidate, NO_CONSENT)
        language = request_language()
        # Re-checked against the database: a vacancy closed a moment ago is dropped even before the next probe.
        briefs = public_vacancy_briefs(frame["vacancy_id"].tolist(), language=language)
        shown = [(vacancy, score, explanation) for vacancy, score, explanation in
                 zip(frame["vacancy_id"].tolist(), frame["score"].tolist(), frame["explanation"]) if vacancy in briefs]
        items = [{"rank": rank, "score": score, "vacancy": briefs[vacancy],
                  "explanation": _explanation(explanation, language=language, full_access=True)}
                 for rank, (vacancy, score, explanation) in enumerate(shown, start=1)]
        # Logged under the version that ordered this list, even if another thread loads a newer one meanwhile.
        items = oversee(request, candidate=candidate, kind="jobs", items=items, key=_job_key, features=_job_features,
                        added=lambda keys: _added_jobs(candidate, keys, language=language), model_version=ranker.label)
        return Response({"candidate": candidate.pk, "items": items, "reason": None})


# ------------------------------------------------------------------------------------------- candidates
class VacancyCandidateRecommendationsApi(APIView):
    permission_classes = [CanGetCandidateRecommendations]

    @extend_schema(
        tags=TAG, summary="Candidates for a vacancy, best first, each explained (employers: discoverable adults, "
                          "recruiter fields; counsellors: their caseload)",
        parameters=[TOP_K_PARAMETER], responses={200: CandidateRecommendationsOutputSerializer},
    )
    def get(self, request: Request, pk: int) -> Response:
        query = RecommendationQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        user = request.user
        if is_admin(user):
            vacancies, pool = Vacancy.objects.all(), None
        elif role_of(user) == Role.EMPLOYER:
            # Only the employer's own vacancies; only candidates who consented to be found.
            vacancies, pool = vacancies_managed_by(user=user), candidates_discoverable()
        else:
            # A counsellor looks for matches for their own caseload among any public vacancy.
            vacancies, pool = vacancies_visible_to(user=user), candidates_visible_to(user=user)
        vacancy = get_object_or_404(vacancies, pk=pk)
        among = None if pool is None else set(pool.values_list("pk", flat=True))
        frame = match_service().candidates_for(vacancy=vacancy, k=query.validated_data["top_k"], among=among)
        if frame is None:
            return Response({"vacancy": vacancy.pk, "items": [], "reason": "vacancy_not_public"})
        visible = candidates_visible_to(user=user) if pool is None else pool
        ids = frame["candidate_id"].tolist()
        queryset = with_candidate_access(with_candidate_profile(visible.filter(pk__in=ids)), user=user)
        candidates = queryset.in_bulk()
        language = request_language()
        # Consent withdrawn a moment ago: dropped even before the next probe.
        rows = [row for row in frame.itertuples() if row.candidate_id in candidates]
        access = {row.candidate_id: candidate_access_for(user=user, candidate=candidates[row.candidate_id])
                  for row in rows}
        shapes = {}
        for level in set(access.values()):  # one list serializer per access level (see the jobs view)
            group = [candidates[c] for c, a in access.items() if a == level]
            shapes.update(zip([c.pk for c in group], SERIALIZER_FOR_ACCESS[level](group, many=True).data))
        items = [
            {"rank": rank, "score": row.score, "candidate": shapes[row.candidate_id],
             "explanation": _explanation(row.explanation, language=language,
                                         full_access=access[row.candidate_id] == CandidateAccess.FULL)}
            for rank, row in enumerate(rows, start=1)
        ]
        return Response({"vacancy": vacancy.pk, "items": items, "reason": None})
