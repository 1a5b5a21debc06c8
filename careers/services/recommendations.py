"""The recommendation lists a candidate is served: jobs, programmes, careers and pathways.

Each use case ranks (``careers.runtime``), names what it ranked in the request language, applies the counsellors'
reviews and writes the audit record (``careers.services.serving``) in one call, whichever front door asked. Who may
ask is the caller's check (``careers.selectors.candidates.candidates_visible_to``); a supervised candidate asking
before their counsellor released anything gets an empty list with the reason ``not_released``.
"""
from __future__ import annotations

from careers.models import CandidateProfile, User
from careers.results import NO_CONSENT, NOT_RELEASED, JobList, JobMatch
from careers.runtime.matches import match_service
from careers.runtime.ranker import jobs_ranker
from careers.selectors.oversight import list_withheld
from careers.selectors.recommendations import explanation_of, job_explanations
from careers.selectors.vacancies import public_vacancy_briefs
from careers.services.serving import serve_list


# ------------------------------------------------------------------------------------------- jobs
def _job_key(item: JobMatch) -> str:
    return f"vacancy:{item.vacancy['id']}"


def _job_features(item: JobMatch) -> dict:
    """What the audit log keeps of a job explanation (ids, not labels: the explain endpoint names them later)."""
    e = item.explanation
    return {"parts": e.parts, "contributions": e.contributions,
            "matched_skills": [m["skill"]["id"] for m in e.matched_skills],
            "missing_essential": [m["id"] for m in e.missing_essential if m],
            "essential_matched": e.essential_matched, "distance_km": e.distance_km, "remote": e.remote,
            **({"ranker": e.ranker} if e.ranker is not None else {})}


def _added_jobs(candidate: CandidateProfile, keys: list[str], *, language: str) -> list[JobMatch]:
    """Vacancies a counsellor added that the ranker did not return, scored and explained like the ranked ones."""
    ids = [int(key.split(":", 1)[1]) for key in keys]
    briefs = public_vacancy_briefs(ids, language=language)
    explained = job_explanations(candidate=candidate, vacancy_ids=[v for v in ids if v in briefs], language=language)
    return [JobMatch(rank=0, score=explained[v][0], vacancy=briefs[v], explanation=explained[v][1])
            for v in ids if v in explained]


def candidate_job_recommendations(*, viewer: User | None, candidate: CandidateProfile, top_k: int,
                                  language: str) -> JobList:
    """Open vacancies for ``candidate``, best first, each explained; ordered by the active learned ranker if any.

    A vacancy closed a moment ago is dropped even before the next index probe (re-checked against the database).
    """
    if list_withheld(viewer=viewer, candidate=candidate):
        return JobList(candidate=candidate.pk, items=(), reason=NOT_RELEASED)
    ranker = jobs_ranker()
    frame = ranker.annotate(match_service().jobs_for(candidate=candidate, k=top_k, pool=ranker.pool(top_k),
                                                     rescore=ranker.rescore))
    if frame is None:
        return JobList(candidate=candidate.pk, items=(), reason=NO_CONSENT)
    briefs = public_vacancy_briefs(frame["vacancy_id"].tolist(), language=language)
    items = [JobMatch(rank=0, score=score, vacancy=briefs[vacancy],
                      explanation=explanation_of(raw, language=language, full_access=True))
             for vacancy, score, raw in zip(frame["vacancy_id"].tolist(), frame["score"].tolist(), frame["explanation"])
             if vacancy in briefs]
    # Logged under the version that ordered this list, even if another thread loads a newer one meanwhile.
    served = serve_list(viewer=viewer, candidate=candidate, kind="jobs", items=items, key=_job_key,
                        features=_job_features, added=lambda keys: _added_jobs(candidate, keys, language=language),
                        model_version=ranker.label)
    return JobList(candidate=candidate.pk, items=served)
