"""The recommendation lists a candidate is served: jobs, programmes, careers and pathways.

Each use case ranks (``careers.runtime``), names what it ranked in the request language, applies the counsellors'
reviews and writes the audit record (``careers.services.serving``) in one call, whichever front door asked. Who may
ask is the caller's check (``careers.selectors.candidates.candidates_visible_to``); a supervised candidate asking
before their counsellor released anything gets an empty list with the reason ``not_released``.

A jobs list holds two kinds of match, each item naming its kind (``explanation.match_kind``): first the skill
matches, which share at least one skill or related skill with the person, in the order of the score shown (the
learned ranker's when one is active); then, filling the list up to ``top_k``, entry jobs open to a beginner
(``careers.selectors.recommendations.entry_vacancies_for``), ranked by interest and distance (``matching.entry``).
An empty list always says why (``reason``).

Jobs that fail only on a language level (they share a skill and pass every other hard filter) are not dropped
silently: they come in their own list, ``language_gap``, after the main one and never in it, each naming the level
missing ("vajag latviešu valodu B1, tev ir A1"). When the main list is empty and only these remain, ``reason`` is
``language_gap_only``. Both lists are reviewed and logged as one served jobs list.
"""
from __future__ import annotations

import dataclasses

from careers.models import CandidateProfile, User
from careers.results import (
    ENTRY_JOB, LANGUAGE_GAP, LANGUAGE_GAP_ONLY, NO_CONSENT, NO_SKILLS_YET, NO_VACANCIES_WITHIN_REACH, NOT_RELEASED,
    NOTHING_FITS, JobList, JobMatch, list_reason_message,
)
from careers.runtime.matches import match_service
from careers.runtime.ranker import jobs_ranker
from careers.selectors.oversight import list_withheld
from careers.selectors.recommendations import (
    RIASEC_FIELDS, entry_vacancies_for, explanation_of, job_explanations,
)
from careers.selectors.vacancies import public_vacancy_briefs
from careers.services.serving import serve_list
from matching.entry import ENTRY_WEIGHTS, rank_entry_jobs

CEFR_LEVELS = {"A1": 1, "A2": 2, "B1": 3, "B2": 4, "C1": 5, "C2": 6}


# ------------------------------------------------------------------------------------------- jobs
def _job_key(item: JobMatch) -> str:
    return f"vacancy:{item.vacancy['id']}"


def _job_features(item: JobMatch) -> dict:
    """What the audit log keeps of a job explanation (ids, not labels: the explain endpoint names them later)."""
    e = item.explanation
    return {"parts": e.parts, "contributions": e.contributions,
            "matched_skills": [m["skill"]["id"] for m in e.matched_skills],
            "missing_essential": [m["id"] for m in e.missing_essential if m],
            "experience_skills": [{"skill": x["skill"]["id"], "occupation": x["occupation"]["id"]}
                                  for x in e.experience_skills if x["skill"] and x["occupation"]],
            "essential_matched": e.essential_matched, "distance_km": e.distance_km, "remote": e.remote,
            "match_kind": e.match_kind, **({"entry": e.entry} if e.entry is not None else {}),
            **({"language_gaps": [{"language": g["language"], "required": CEFR_LEVELS[g["required"]],
                                   "held": CEFR_LEVELS.get(g["held"], 0)} for g in e.language_gaps]}
               if e.language_gaps else {}),
            **({"ranker": e.ranker} if e.ranker is not None else {})}


def _added_jobs(candidate: CandidateProfile, keys: list[str], *, language: str) -> list[JobMatch]:
    """Vacancies a counsellor added that the ranker did not return, scored and explained like the ranked ones."""
    ids = [int(key.split(":", 1)[1]) for key in keys]
    briefs = public_vacancy_briefs(ids, language=language)
    explained = job_explanations(candidate=candidate, vacancy_ids=[v for v in ids if v in briefs], language=language)
    return [JobMatch(rank=0, score=explained[v][0], vacancy=briefs[v], explanation=explained[v][1])
            for v in ids if v in explained]


def _interests(candidate: CandidateProfile) -> tuple[float, ...] | None:
    values = tuple(getattr(candidate, name) for name in RIASEC_FIELDS)
    return None if any(v is None for v in values) else tuple(float(v) for v in values)


def _entry_jobs(candidate: CandidateProfile, *, exclude: set[int], k: int, language: str) -> list[JobMatch]:
    """Up to ``k`` entry jobs the candidate may take (every hard filter passed), not already in the list."""
    if k < 1:
        return []
    entry = entry_vacancies_for(candidate=candidate)
    entry = entry[~entry["vacancy_id"].isin(exclude)]
    distances = match_service().eligible_jobs(candidate=candidate, vacancy_ids=entry["vacancy_id"].tolist())
    entry = entry[entry["vacancy_id"].isin(distances)]
    if entry.empty:
        return []
    entry = entry.assign(distance_km=entry["vacancy_id"].map(distances))
    ranked = rank_entry_jobs(entry, interests=_interests(candidate), commute_km=candidate.max_commute_km, k=k)
    ids = ranked["vacancy_id"].tolist()
    briefs = public_vacancy_briefs(ids, language=language)
    explained = job_explanations(candidate=candidate, vacancy_ids=ids, language=language)
    out = []
    for row in ranked.itertuples():
        if row.vacancy_id in briefs and row.vacancy_id in explained:
            entry_parts = {"parts": {"interest": row.interest, "distance": row.distance}, "weights": ENTRY_WEIGHTS}
            explanation = dataclasses.replace(explained[row.vacancy_id][1], match_kind=ENTRY_JOB, entry=entry_parts)
            out.append(JobMatch(rank=0, score=float(row.score), vacancy=briefs[row.vacancy_id],
                                explanation=explanation))
    return out


def _language_gap_jobs(candidate: CandidateProfile, *, exclude: set[int], k: int, language: str) -> list[JobMatch]:
    """Up to ``k`` vacancies blocked only by a language level, explained with the levels missing."""
    frame = match_service().language_gap_jobs_for(candidate=candidate, k=k)
    if frame is None or frame.empty:
        return []
    frame = frame[~frame["vacancy_id"].isin(exclude)]
    briefs = public_vacancy_briefs(frame["vacancy_id"].tolist(), language=language)
    return [JobMatch(rank=0, score=round(float(score), 6), vacancy=briefs[vacancy],
                     explanation=dataclasses.replace(explanation_of(raw, language=language, full_access=True),
                                                     match_kind=LANGUAGE_GAP))
            for vacancy, score, raw in zip(frame["vacancy_id"].tolist(), frame["score"].tolist(), frame["explanation"])
            if vacancy in briefs]


def _empty_reason(candidate: CandidateProfile, *, ranked: list[JobMatch]) -> str:
    """Why a served jobs list is empty: withheld by the review, no vacancy the person may take within their
    commute, no skills to match on, or nothing fits."""
    if ranked:
        return NOT_RELEASED  # there were items; none is released to the person yet
    if not match_service().count_eligible_jobs(candidate=candidate):
        return NO_VACANCIES_WITHIN_REACH
    return NOTHING_FITS if candidate.skill_links.exists() else NO_SKILLS_YET


def candidate_job_recommendations(*, viewer: User | None, candidate: CandidateProfile, top_k: int,
                                  language: str) -> JobList:
    """Open vacancies for ``candidate``: skill matches best first, then entry jobs (see the module docstring).

    ``score`` is the score that ordered the list: the learned ranker's when one reordered it (the hand-weighted
    parts stay in the explanation). A vacancy closed a moment ago is dropped even before the next index probe
    (re-checked against the database).
    """
    if list_withheld(viewer=viewer, candidate=candidate, kind="jobs"):
        return _empty(candidate, NOT_RELEASED, language)
    ranker = jobs_ranker()
    frame = ranker.annotate(match_service().jobs_for(candidate=candidate, k=top_k, pool=ranker.pool(top_k),
                                                     rescore=ranker.rescore))
    if frame is None:
        return _empty(candidate, NO_CONSENT, language)
    ordering = frame["rescore"] if "rescore" in frame else frame["score"]
    briefs = public_vacancy_briefs(frame["vacancy_id"].tolist(), language=language)
    items = [JobMatch(rank=0, score=round(float(score), 6), vacancy=briefs[vacancy],
                      explanation=explanation_of(raw, language=language, full_access=True))
             for vacancy, score, raw in zip(frame["vacancy_id"].tolist(), ordering.tolist(), frame["explanation"])
             if vacancy in briefs]
    items += _entry_jobs(candidate, exclude=set(frame["vacancy_id"].tolist()), k=top_k - len(items),
                         language=language)
    blocked = _language_gap_jobs(candidate, exclude={i.vacancy["id"] for i in items}, k=top_k, language=language)
    # Logged under the version that ordered this list, even if another thread loads a newer one meanwhile.
    served = serve_list(viewer=viewer, candidate=candidate, kind="jobs", items=items + blocked, key=_job_key,
                        features=_job_features, added=lambda keys: _added_jobs(candidate, keys, language=language),
                        model_version=ranker.label)
    main = tuple(dataclasses.replace(i, rank=r) for r, i in
                 enumerate((i for i in served if i.explanation.match_kind != LANGUAGE_GAP), start=1))
    gap = tuple(dataclasses.replace(i, rank=r) for r, i in
                enumerate((i for i in served if i.explanation.match_kind == LANGUAGE_GAP), start=1))
    if not main:
        reason = LANGUAGE_GAP_ONLY if gap else _empty_reason(candidate, ranked=items + blocked)
        return JobList(candidate=candidate.pk, items=(), reason=reason,
                       reason_message=list_reason_message(reason, language, candidate=candidate), language_gap=gap)
    return JobList(candidate=candidate.pk, items=main, language_gap=gap)


def _empty(candidate: CandidateProfile, reason: str, language: str) -> JobList:
    return JobList(candidate=candidate.pk, items=(), reason=reason,
                   reason_message=list_reason_message(reason, language, candidate=candidate))
