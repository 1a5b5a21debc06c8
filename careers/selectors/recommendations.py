"""Reads of the matching use cases: skills in a text, occupations for a title, candidates for a vacancy, and the
explanation records every jobs and candidates list shares.

Answers come from the process-wide index of ``careers.runtime.matches`` (never built per request). Who may ask is
the caller's check through the candidate and vacancy selectors; these functions take the objects already allowed.
"""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from django.db.models import Q, QuerySet

from careers.models import (
    CandidateProfile, ContractKind, EducationLevel, Occupation, Role, User, Vacancy, WorkArrangement,
)
from careers.results import (
    VACANCY_NOT_PUBLIC, CandidateList, CandidateMatch, Explanation, ExtractedSkill, OccupationMatch, SkillSuggestions,
)
from careers.models.taxonomy import RIASEC_FIELDS
from careers.runtime.matches import match_service
from matching.stance import aspirations
from careers.selectors.candidates import (
    CandidateAccess, candidate_access_for, candidates_discoverable, candidates_visible_to, with_candidate_access,
    with_candidate_profile,
)
from careers.selectors.roles import is_admin, role_of
from careers.selectors.vacancies import vacancies_managed_by, vacancies_visible_to


def _extracted(m) -> ExtractedSkill:
    return ExtractedSkill(uri=m.uri, label=m.label, score=m.score,
                          span={"start": m.span.start, "end": m.span.end, "text": m.span.text})


def skills_in_text(*, text: str, top_k: int, language: str) -> list[ExtractedSkill]:
    """Skills the text says the person holds, best first, each with the words that suggested it; a negated
    ("almost no English", "nav pieredzes ar …") or wanted ("I am learning Latvian") mention is not one."""
    return [_extracted(m) for m in match_service().extract_skills(text, top_k=top_k, language=language)]


TARGET_OCCUPATION_MIN_SCORE = 0.5  # a title match below this is a guess, not an occupation the text names


def suggestions_in_text(*, text: str, top_k: int, language: str) -> SkillSuggestions:
    """What a free text says: skills held (to confirm), skills the person wants to learn (``to_learn``: "gribu
    apgūt metināšanu", "I am learning Latvian") and occupations they want (``target_occupations``: "I want to
    become a welder"); negated mentions are in neither list."""
    found = match_service().extract_skills(text, top_k=top_k, language=language, stances=("held", "wanted"))
    held = tuple(_extracted(m) for m in found if m.stance == "held")
    wanted = tuple(_extracted(m) for m in found if m.stance == "wanted")
    occupations: dict[str, OccupationMatch] = {}
    for start, end in aspirations(text):
        for match in occupations_for_title(title=text[start:end], top_k=1, language=language):
            if match.score >= TARGET_OCCUPATION_MIN_SCORE and match.uri not in occupations:
                occupations[match.uri] = match
    return SkillSuggestions(skills=held, to_learn=wanted, target_occupations=tuple(occupations.values()))


def occupations_for_title(*, title: str, top_k: int, language: str) -> list[OccupationMatch]:
    """Occupations for a job title in Latvian or English, best first."""
    found = match_service().match_title(title, top_k=top_k, language=language)
    return [OccupationMatch(uri=m["uri"], label=m["label"], score=m["score"]) for m in found]


# Language names as the gap sentence needs them: Latvian genitive stem ("latviešu valodu"), English adjective.
LANGUAGE_NAMES = {"lv": ("latviešu", "Latvian"), "en": ("angļu", "English"), "ru": ("krievu", "Russian"),
                  "de": ("vācu", "German"), "lt": ("lietuviešu", "Lithuanian"), "et": ("igauņu", "Estonian"),
                  "fr": ("franču", "French"), "sv": ("zviedru", "Swedish"), "no": ("norvēģu", "Norwegian"),
                  "uk": ("ukraiņu", "Ukrainian")}
CEFR_NAMES = {1: "A1", 2: "A2", 3: "B1", 4: "B2", 5: "C1", 6: "C2"}
MSG_LANGUAGE_GAP = {"lv": ("vajag {name} valodu {required}, tev ir {held}", "vajag {name} valodu {required}, tev tās nav"),
                    "en": ("needs {name} {required}, you have {held}", "needs {name} {required}, you have none")}


def language_name(code: str, language: str) -> str:
    """A language's name in ``language``: the Latvian genitive ("latviešu") or the English name ("Latvian")."""
    lv, en = LANGUAGE_NAMES.get(code, (code, code))
    return en if language == "en" else lv


def language_gap_entries(gaps: Iterable[dict], *, language: str) -> list[dict]:
    """The levels a vacancy asks above what the person has, each with its plain sentence in ``language``."""
    out = []
    for gap in gaps:
        lang = "en" if language == "en" else "lv"
        required, held = CEFR_NAMES.get(gap["required"]), CEFR_NAMES.get(gap["held"])
        with_level, without = MSG_LANGUAGE_GAP[lang]
        message = (with_level if held else without).format(name=language_name(gap["language"], lang),
                                                           required=required, held=held)
        out.append({"language": gap["language"], "language_label": language_name(gap["language"], "en")
                    if lang == "en" else f"{language_name(gap['language'], 'lv')} valoda",
                    "required": required, "held": held, "message": message})
    return out


ELEMENTARY_ISCO = "9"  # ISCO-08 major group 9, elementary occupations: helpers, cleaners, labourers


def _studying(candidate: CandidateProfile) -> bool:
    return (candidate.kind == CandidateProfile.Kind.STUDENT
            or candidate.employment_status == CandidateProfile.EmploymentStatus.STUDYING)


def entry_contracts_for(candidate: CandidateProfile) -> list[str]:
    """The contract kinds that are entry jobs for ``candidate``, whatever the occupation.

    Summer jobs are for people still studying. Apprenticeships are for beginners who have not finished secondary
    school (pupils after basic school, vocational pupils) or have no work history at all. Internships are for
    students who finished secondary school (in higher education).
    """
    kinds = []
    studying = _studying(candidate)
    if studying:
        kinds.append(ContractKind.SUMMER_JOB)
    no_history = not candidate.work_history.exists()
    if candidate.highest_education < EducationLevel.SECONDARY or (no_history and not studying):
        kinds.append(ContractKind.APPRENTICESHIP)
    if studying and candidate.highest_education >= EducationLevel.SECONDARY:
        kinds.append(ContractKind.INTERNSHIP)
    return kinds


def entry_vacancies_for(*, candidate: CandidateProfile) -> pd.DataFrame:
    """Public vacancies open to ``candidate`` as a beginner, with what ranks them (``matching.entry``).

    For everyone: permanent and fixed-term posts whose employer trains beginners (``experience_required`` off:
    "pieredze nav nepieciešama") and those in elementary occupations (ISCO 9) asking at most basic education;
    besides, the contract kinds of :func:`entry_contracts_for`. Whether the person may take each one (age, hours,
    languages, education, commute) is the index's hard filters, applied by the caller. Columns: ``vacancy_id, remote, riasec_r … riasec_c`` (the
    occupation's; NaN when unknown).
    """
    helper_post = Q(occupation__isco_code__startswith=ELEMENTARY_ISCO, min_education__lte=EducationLevel.BASIC,
                    contract_kind__in=(ContractKind.PERMANENT, ContractKind.FIXED_TERM))
    trains_beginners = Q(experience_required=False, contract_kind__in=(ContractKind.PERMANENT, ContractKind.FIXED_TERM))
    rule = helper_post | trains_beginners | Q(contract_kind__in=entry_contracts_for(candidate))
    fields = ["id", "work_arrangement", *(f"occupation__{name}" for name in RIASEC_FIELDS)]
    rows = Vacancy.objects.public().filter(rule).order_by("id").values_list(*fields)
    frame = pd.DataFrame.from_records(list(rows), columns=["vacancy_id", "arrangement", *RIASEC_FIELDS])
    frame["remote"] = frame["arrangement"] == WorkArrangement.REMOTE
    frame[list(RIASEC_FIELDS)] = frame[list(RIASEC_FIELDS)].astype(float)
    return frame.drop(columns="arrangement")


def explanation_of(raw: dict, *, language: str, full_access: bool) -> Explanation:
    """The index's explanation of a pair with skill names in ``language``.

    Without full access the distance part is left out with the commute limit: it is 1 - distance / limit and would
    reveal the limit (distance_km itself is known to a recruiter: both towns are recruiter fields).
    """
    service = match_service()

    def ref(entry: dict | None) -> dict | None:
        return None if entry is None else service.skill_ref(entry["skill_id"], language)

    parts, contributions = dict(raw["parts"]), dict(raw["contributions"])
    experience = raw.get("experience_skills") or []
    occupations = Occupation.objects.in_bulk({e["occupation_id"] for e in experience} - {None}) if experience else {}

    def occupation(pk) -> dict | None:
        o = occupations.get(pk)
        return None if o is None else {"id": o.pk, "uri": o.uri, "label": o.label(language)}

    if not full_access:
        parts.pop("distance", None)
        contributions.pop("distance", None)
    return Explanation(
        matched_skills=[{"skill": ref(e), "essential": e["essential"], "level": e["level"]}
                        for e in raw["matched_skills"]],
        related_skills=[{"skill": ref(e), "essential": e["essential"], "credit": e["credit"], "via": ref(e["via"])}
                        for e in raw["related_skills"]],
        missing_essential=[ref(e) for e in raw["missing_essential"]],
        experience_skills=[{"skill": ref(e), "essential": e["essential"], "credit": e["credit"],
                            "occupation": occupation(e["occupation_id"])} for e in experience],
        essential_from_experience=raw.get("essential_from_experience", 0),
        essential_matched=raw["essential_matched"], distance_km=raw["distance_km"], remote=raw["remote"],
        filters=raw["filters"], parts=parts, contributions=contributions, ranker=raw.get("ranker"),
        full_access=full_access,
        language_gaps=language_gap_entries(raw.get("language_gaps") or (), language=language),
        commute_limit_km=raw["commute_limit_km"] if full_access else None,
        relocation_needed=raw["relocation_needed"] if full_access else None,
    )


def vacancies_for_candidate_search(*, viewer: User) -> QuerySet[Vacancy]:
    """The vacancies ``viewer`` may rank candidates for: staff all, employers their own, counsellors public ones."""
    if is_admin(viewer):
        return Vacancy.objects.all()
    if role_of(viewer) == Role.EMPLOYER:
        return vacancies_managed_by(user=viewer)
    return vacancies_visible_to(user=viewer)


def _candidate_pool(viewer: User) -> QuerySet[CandidateProfile] | None:
    """Whom ``viewer`` may be shown for a vacancy (None: everyone in the index).

    Employers: only candidates who consented to be found. Counsellors: their own caseload.
    """
    if is_admin(viewer):
        return None
    if role_of(viewer) == Role.EMPLOYER:
        return candidates_discoverable()
    return candidates_visible_to(user=viewer)


def vacancy_candidate_recommendations(*, viewer: User, vacancy: Vacancy, top_k: int,
                                      language: str) -> CandidateList:
    """Candidates for a vacancy ``viewer`` may rank for, best first, each explained at the viewer's access level.

    A candidate who withdrew consent a moment ago is dropped even before the next index probe.
    """
    pool = _candidate_pool(viewer)
    among = None if pool is None else set(pool.values_list("pk", flat=True))
    frame = match_service().candidates_for(vacancy=vacancy, k=top_k, among=among)
    if frame is None:
        return CandidateList(vacancy=vacancy.pk, items=(), reason=VACANCY_NOT_PUBLIC)
    visible = candidates_visible_to(user=viewer) if pool is None else pool
    ids = frame["candidate_id"].tolist()
    candidates = with_candidate_access(with_candidate_profile(visible.filter(pk__in=ids)), user=viewer).in_bulk()
    rows = [row for row in frame.itertuples() if row.candidate_id in candidates]
    items = []
    for rank, row in enumerate(rows, start=1):
        candidate = candidates[row.candidate_id]
        access = candidate_access_for(user=viewer, candidate=candidate)
        items.append(CandidateMatch(rank=rank, score=row.score, candidate=candidate, access=access,
                                    explanation=explanation_of(row.explanation, language=language,
                                                               full_access=access == CandidateAccess.FULL)))
    return CandidateList(vacancy=vacancy.pk, items=tuple(items))


def job_explanations(*, candidate: CandidateProfile, vacancy_ids: Iterable[int], language: str,
                     full_access: bool = True) -> dict[int, tuple[float, Explanation]]:
    """vacancy id → (score, explanation) for pairs the ranker need not have returned (0 when a hard filter fails:
    ``explanation.filters`` say which); only public vacancies in the index."""
    raws = match_service().explain_jobs(candidate=candidate, vacancy_ids=vacancy_ids)
    return {v: (raw["score"] or 0.0, explanation_of(raw, language=language, full_access=full_access))
            for v, raw in raws.items()}

