"""The learning-path lists a candidate is served (issue 5): programmes, careers and pathways.

Each use case asks the process-wide path finder (``careers.runtime.paths``), names what it ranked in the request
language and re-checks it against the database (``careers.selectors.shaping``), then applies the counsellors'
reviews and writes the audit record (``careers.services.serving``). Who may ask is the caller's check
(``careers.selectors.candidates.candidates_visible_to``).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from careers.models import CandidateProfile, Occupation, User
from careers.results import (
    NO_CONSENT, NO_INTERESTS_OR_SKILLS, NO_OPEN_INTAKES, NOT_RELEASED, OUT_OF_REACH_ONLY, CareerList, CareerMatch,
    Pathway, PathwayList, ProgrammeList, ProgrammeMatch, awaiting_review_message, list_reason_message,
)
from careers.runtime.paths import path_service
from careers.selectors.oversight import added_item_ids, list_withheld
from careers.selectors.shaping import Shaper, funding
from careers.services.serving import serve_list

PATHWAY_VACANCIES_SHOWN = 10
Item = TypeVar("Item")


def _list_reason(*, served: tuple, found: bool, finder_reason: str | None, fallback: str) -> str | None:
    """The reason code a served list carries: the finder's (why it found nothing, or ``out_of_reach_only``);
    ``not_released`` when items were found but the counsellor's release kept none; ``fallback`` when every item
    it found closed since the last probe."""
    if served:
        return OUT_OF_REACH_ONLY if finder_reason == OUT_OF_REACH_ONLY else None
    if finder_reason is not None and finder_reason != OUT_OF_REACH_ONLY:
        return finder_reason
    return NOT_RELEASED if found else fallback


def _explained(record, language: str, candidate: CandidateProfile):
    """The list record with its reason as a sentence in ``language`` (``not_released`` names the counsellor); a
    careers or programmes list with items not yet reviewed by the counsellor says so in ``review_notice``."""
    extra = {}
    if hasattr(record, "review_notice") and any(item.awaiting_review for item in record.items):
        extra["review_notice"] = awaiting_review_message(language)
    return type(record)(candidate=record.candidate, items=record.items, reason=record.reason,
                        reason_message=list_reason_message(record.reason, language, candidate=candidate), **extra)


def _serve_ranked_and_added(*, viewer: User | None, candidate: CandidateProfile, kind: str, rows: list, top_k: int,
                            build: Callable[[Any], Item], key: Callable[[Item], str],
                            features: Callable[[Item], dict]) -> tuple[Item, ...]:
    """Serve the finder's first ``top_k`` rows; the rows below them are there only because a counsellor added them
    (``include``), and ``serve_list`` appends those the ranked list lacks."""
    items = [build(row) for row in rows]
    ranked = [item for row, item in zip(rows, items) if row.rank <= top_k]
    extra = [item for row, item in zip(rows, items) if row.rank > top_k]
    return serve_list(viewer=viewer, candidate=candidate, kind=kind, items=ranked, key=key, features=features,
                      added=lambda keys: [i for i in extra if key(i) in keys])


# ------------------------------------------------------------------------------------------- programmes
def _programme_key(item: ProgrammeMatch) -> str:
    return f"programme:{item.programme['id']}"


def _programme_features(item: ProgrammeMatch) -> dict:
    """What the audit log keeps of a programme explanation (ids, not labels: the explain endpoint names them)."""
    e = item.explanation
    return {"parts": {k: float(v) for k, v in e["parts"].items()}, "enrolable": bool(item.enrolable),
            "gap_closed": float(e["gap_closed"]),
            "missing_skills_taught": [s["id"] for s in e["missing_skills_taught"]],
            "vacancies_unlocked": int(e["vacancies_unlocked"]), "distance_km": _float(e["distance_km"]),
            "cost_eur": float(e["cost_eur"]), "cost_after_funding_eur": float(e["cost_after_funding_eur"]),
            "funding": e["funding"]}


def _float(value) -> float | None:
    return None if value is None else float(value)


def _programme_match(row, shaper: Shaper) -> ProgrammeMatch:
    raw = row.explanation
    req = raw["requirements"]
    reason = shaper.reason(req)
    explanation = {
        "missing_skills_taught": shaper.skills(raw["missing_skills_taught"]),
        "gap_closed": raw["gap_closed"], "vacancies_unlocked": raw["vacancies_unlocked"],
        "vacancies_unlocked_top": shaper.vacancy_list(raw["vacancies_unlocked_top"]),
        "vacancies_nearer": raw["vacancies_nearer"], "leads_to_target": raw["leads_to_target"],
        "requirements": {**req, "reason": reason}, "distance_km": raw["distance_km"],
        "within_reach": raw["within_reach"], "reach": raw["reach"], "mode_fit": raw["mode_fit"], **funding(raw),
        "parts": raw["parts"],
    }
    return ProgrammeMatch(rank=0, score=row.score, enrolable=row.enrolable, reason=reason,
                          programme=shaper.programme(row.programme_id), intake=shaper.intake(row.intake_id),
                          explanation=explanation)


def candidate_programme_recommendations(*, viewer: User | None, candidate: CandidateProfile, top_k: int,
                                        language: str) -> ProgrammeList:
    """Programmes with upcoming intakes that close the candidate's skill gap, best first, each explained.

    Programmes a counsellor added that rank below ``top_k`` are served after the ranked ones.
    """
    if list_withheld(viewer=viewer, candidate=candidate, kind="programmes"):
        return _explained(ProgrammeList(candidate=candidate.pk, items=(), reason=NOT_RELEASED), language, candidate)
    added = added_item_ids(candidate=candidate, kind="programmes", prefix="programme:")
    frame = path_service().programmes_for(candidate=candidate, k=top_k, include=added)
    if frame is None:
        return _explained(ProgrammeList(candidate=candidate.pk, items=(), reason=NO_CONSENT), language, candidate)
    rows = list(frame.itertuples())
    shaper = Shaper(language=language, programme_ids=[r.programme_id for r in rows],
                    intake_ids=[r.intake_id for r in rows],
                    vacancy_ids=[v for r in rows for v in r.explanation["vacancies_unlocked_top"]])
    shown = [row for row in rows if shaper.has(row.programme_id, row.intake_id)]
    served = _serve_ranked_and_added(viewer=viewer, candidate=candidate, kind="programmes", rows=shown, top_k=top_k,
                                     build=lambda row: _programme_match(row, shaper), key=_programme_key,
                                     features=_programme_features)
    reason = _list_reason(served=served, found=bool(shown), finder_reason=frame.attrs.get("reason"),
                          fallback=NO_OPEN_INTAKES)
    return _explained(ProgrammeList(candidate=candidate.pk, items=served, reason=reason), language, candidate)


# ------------------------------------------------------------------------------------------- careers
def _career_key(item: CareerMatch) -> str:
    return f"occupation:{item.occupation['id']}"


def _career_features(item: CareerMatch) -> dict:
    e = item.explanation
    return {"parts": {k: float(v) for k, v in e["parts"].items()}, "interest_fit": _float(e["interest_fit"]),
            "skill_fit": float(e["skill_fit"]), "essential_held": e["essential_held"],
            "open_vacancies": int(e["open_vacancies"])}


def _career_programmes(raw: dict, *, candidate: CandidateProfile, shaper: Shaper) -> list[dict]:
    """The local programmes leading to an occupation, with their next intake still open."""
    out = []
    for p in raw["programmes"]:
        if not shaper.has(p["programme_id"], p["intake_id"]):
            continue
        programme = shaper.programmes[p["programme_id"]]
        requirements = {**p["requirements"], "reason": shaper.reason(p["requirements"])}
        out.append({"programme": shaper.programme(p["programme_id"]), "intake": shaper.intake(p["intake_id"]),
                    "enrolable": p["enrolable"], "reason": requirements["reason"], "requirements": requirements,
                    "within_reach": p["within_reach"], "reach": p["reach"],
                    "distance_km": p["distance_km"], "cost_eur": float(programme.total_cost_eur),
                    "cost_after_funding_eur": p["cost_after_funding_eur"], "funding": p["funding"],
                    "competitive": p["competitive"]})
    return out


def _description(occupation: Occupation, language: str) -> str:
    """What the work is: the ESCO description, in Latvian where the curated data has it."""
    if language != "en" and occupation.description_lv:
        return occupation.description_lv
    return occupation.description_en


def _career_match(row, occupation: Occupation, *, candidate: CandidateProfile, shaper: Shaper) -> CareerMatch:
    raw = row.explanation
    explanation = {
        "interest_fit": raw["interest_fit"], "skill_fit": raw["skill_fit"], "essential_held": raw["essential_held"],
        "open_vacancies": raw["open_vacancies"], "open_vacancies_eligible": raw["open_vacancies_eligible"],
        "salary": raw["salary"], "programmes": _career_programmes(raw, candidate=candidate, shaper=shaper),
        "parts": raw["parts"],
    }
    return CareerMatch(rank=0, score=row.score,
                       occupation={"id": occupation.pk, "uri": occupation.uri,
                                   "label": occupation.label(shaper.language), "isco_code": occupation.isco_code,
                                   "description": _description(occupation, shaper.language)},
                       explanation=explanation)


def candidate_career_recommendations(*, viewer: User | None, candidate: CandidateProfile, top_k: int,
                                     language: str) -> CareerList:
    """Occupations by interest (RIASEC), skill fit and local demand, each with pay and the programmes leading there.

    Works with no skills at all (a pupil who has only answered the interest questions).
    """
    if list_withheld(viewer=viewer, candidate=candidate, kind="careers"):
        return _explained(CareerList(candidate=candidate.pk, items=(), reason=NOT_RELEASED), language, candidate)
    added = added_item_ids(candidate=candidate, kind="careers", prefix="occupation:")
    frame = path_service().careers_for(candidate=candidate, k=top_k, include=added)
    if frame is None:
        return _explained(CareerList(candidate=candidate.pk, items=(), reason=NO_CONSENT), language, candidate)
    rows = list(frame.itertuples())
    occupations = Occupation.objects.filter(pk__in=[r.occupation_id for r in rows]).in_bulk()
    links = [p for r in rows for p in r.explanation["programmes"]]
    shaper = Shaper(language=language, programme_ids=[p["programme_id"] for p in links],
                    intake_ids=[p["intake_id"] for p in links])
    shown = [row for row in rows if row.occupation_id in occupations]

    def match(row) -> CareerMatch:
        return _career_match(row, occupations[row.occupation_id], candidate=candidate, shaper=shaper)

    served = _serve_ranked_and_added(viewer=viewer, candidate=candidate, kind="careers", rows=shown, top_k=top_k,
                                     build=match, key=_career_key, features=_career_features)
    reason = _list_reason(served=served, found=bool(shown), finder_reason=frame.attrs.get("reason"),
                          fallback=NO_INTERESTS_OR_SKILLS)
    return _explained(CareerList(candidate=candidate.pk, items=served, reason=reason), language, candidate)


# ------------------------------------------------------------------------------------------- pathways
def _pathway_key(item: Pathway) -> str:
    return "pathway:" + "+".join(str(step["programme"]["id"]) for step in item.steps)


def _pathway_features(item: Pathway) -> dict:
    return {"vacancies_unlocked": item.vacancies_unlocked, "total_duration_months": item.total_duration_months,
            "cost_after_funding_eur": item.cost_after_funding_eur, "threshold": float(item.threshold),
            "unlocks_by": item.unlocks_by}


def _pathway(row, shaper: Shaper) -> Pathway:
    raw = row.explanation
    vacancy_ids = [v for v in row.vacancy_ids if v in shaper.vacancies]
    steps = [{"programme": shaper.programme(s["programme_id"]), "intake": shaper.intake(s["intake_id"]),
              "duration_months": s["duration_months"], **funding(s), "within_reach": s["within_reach"],
              "reach": s["reach"], "language": s.get("language"), "hours": s.get("hours"),
              "missing_skills_taught": shaper.skills(s["missing_skills_taught"])} for s in raw["steps"]]
    return Pathway(
        rank=0, score=row.score, summary=row.summary_en if shaper.language == "en" else row.summary_lv,
        summary_lv=row.summary_lv, summary_en=row.summary_en, steps=steps,
        vacancies_unlocked=int(row.vacancies_unlocked), vacancy_ids=vacancy_ids,
        vacancies=shaper.vacancy_list(vacancy_ids[:PATHWAY_VACANCIES_SHOWN]),
        total_duration_months=int(row.total_duration_months), cost_after_funding_eur=float(row.cost_after_funding_eur),
        first_start_date=row.first_start_date, threshold=raw["threshold"], radius_km=raw["radius_km"],
        search=raw["search"], within_reach=raw["within_reach"], unlocks_by=raw.get("unlocks_by", "skills"),
        vacancies_fitting_after=raw.get("vacancies_fitting_after"))


def candidate_pathway_recommendations(*, viewer: User | None, candidate: CandidateProfile, top_k: int,
                                      language: str) -> PathwayList:
    """Pathways of one to three programmes from real intakes that unlock local vacancies, best first.

    A pathway with a step that closed or moved since the last probe is not offered.
    """
    if list_withheld(viewer=viewer, candidate=candidate, kind="pathways"):
        return _explained(PathwayList(candidate=candidate.pk, items=(), reason=NOT_RELEASED), language, candidate)
    frame = path_service().pathways_for(candidate=candidate, k=top_k)
    if frame is None:
        return _explained(PathwayList(candidate=candidate.pk, items=(), reason=NO_CONSENT), language, candidate)
    rows = list(frame.itertuples())
    steps = [s for r in rows for s in r.explanation["steps"]]
    shaper = Shaper(language=language, programme_ids=[s["programme_id"] for s in steps],
                    intake_ids=[s["intake_id"] for s in steps], vacancy_ids=[v for r in rows for v in r.vacancy_ids])
    items = [_pathway(row, shaper) for row in rows
             if all(shaper.has(s["programme_id"], s["intake_id"]) for s in row.explanation["steps"])]
    served = serve_list(viewer=viewer, candidate=candidate, kind="pathways", items=items, key=_pathway_key,
                        features=_pathway_features)
    reason = _list_reason(served=served, found=bool(items), finder_reason=frame.attrs.get("reason"),
                          fallback=NO_OPEN_INTAKES)
    return _explained(PathwayList(candidate=candidate.pk, items=served, reason=reason), language, candidate)
