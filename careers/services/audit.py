"""The recommendation audit (``manage.py audit_recommendations``): every list of every candidate, judged as the
person would judge it.

For each candidate with processing consent the four lists are asked as staff see them (before any counsellor's
release: the content is what is audited; what the person sees today is counted apart as ``withheld``) and each
item is checked against the person: does it share a skill, is it within reach, may they enter it, does the order
agree with the score shown. Serving writes the audit log, so the whole run happens in a transaction that is rolled
back: the audit changes nothing.
"""
from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db import transaction

from careers.models import CandidateProfile, Vacancy
from careers.results import ENTRY_JOB
from careers.runtime.matches import match_service
from careers.selectors.oversight import list_withheld
from careers.services.learning_paths import (
    candidate_career_recommendations, candidate_pathway_recommendations, candidate_programme_recommendations,
)
from careers.services.recommendations import candidate_job_recommendations

KINDS = ("jobs", "programmes", "careers", "pathways")
TOP_K = 10
TOP_PROGRAMMES = 5
JOBS_WANTED = 5
ADULT_AGE = 18
# Looking for work: neither employed nor studying (registered unemployed, or out of work without registering).
LOOKING = {CandidateProfile.EmploymentStatus.UNEMPLOYED, CandidateProfile.EmploymentStatus.OTHER}


@dataclass
class KindAudit:
    """Figures of one list kind over every audited person."""

    kind: str
    people: int = 0
    non_empty: int = 0
    lengths: list[int] = field(default_factory=list)
    items: int = 0
    no_shared_skill: int = 0
    out_of_reach: int = 0
    ineligible: int = 0
    order_disagrees: int = 0
    empty_without_reason: int = 0
    withheld: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    @property
    def median_length(self) -> float:
        return statistics.median(self.lengths) if self.lengths else 0.0


@dataclass
class Audit:
    kinds: dict[str, KindAudit]
    adults_looking: int = 0
    adults_looking_with_5_jobs: int = 0
    adults_looking_5_open: int = 0  # of them: 5+ open vacancies pass their own filters (commute, hours, languages …)
    adults_looking_5_open_with_5_jobs: int = 0
    reskilling_adults: int = 0
    reskilling_with_unlocking_pathway: int = 0
    stayers_top_programmes: int = 0
    stayers_top_programmes_out_of_reach: int = 0
    with_language_gap_jobs: int = 0  # people whose jobs answer lists language-blocked jobs
    language_gap_items: int = 0
    all_jobs_language_blocked: int = 0  # no job they can take now, only language-blocked ones
    all_blocked_with_language_pathway: int = 0


ASK: dict[str, Callable] = {
    "jobs": candidate_job_recommendations, "programmes": candidate_programme_recommendations,
    "careers": candidate_career_recommendations, "pathways": candidate_pathway_recommendations,
}


def audit_recommendations(*, language: str = "en") -> Audit:
    """Ask every list for every indexable candidate and count what a person would object to (see the module)."""
    audit = Audit(kinds={kind: KindAudit(kind) for kind in KINDS})
    people = (CandidateProfile.objects.filter(consent_processing=True, user__is_active=True)
              .select_related("user", "town").prefetch_related("target_occupations").order_by("pk"))
    with transaction.atomic():
        vacancies = {v.pk: v for v in Vacancy.objects.public().only("min_age", "min_education", "town_id")}
        for person in people:
            lists = {kind: ASK[kind](viewer=None, candidate=person, top_k=TOP_K, language=language) for kind in KINDS}
            for kind, served in lists.items():
                _count_list(audit.kinds[kind], person, served, vacancies)
                audit.kinds[kind].withheld += list_withheld(viewer=person.user, candidate=person, kind=kind)
            _count_person(audit, person, lists)
        transaction.set_rollback(True)
    return audit


def _count_list(figures: KindAudit, person: CandidateProfile, served, vacancies: dict[int, Vacancy]) -> None:
    items = served.items
    figures.people += 1
    figures.lengths.append(len(items))
    figures.items += len(items)
    if items:
        figures.non_empty += 1
    elif served.reason is None:
        figures.empty_without_reason += 1
    else:
        figures.reasons[served.reason] = figures.reasons.get(served.reason, 0) + 1
    ranked = [item for item in items if item.review != "added"]
    figures.order_disagrees += any(_order_disagrees([item.score for item in ranked if _section(item) == section])
                                   for section in {_section(item) for item in ranked})
    if figures.kind == "jobs":
        for item in items:
            figures.no_shared_skill += not _job_shares_skill(item)
            figures.out_of_reach += _job_out_of_reach(item)
            figures.ineligible += _job_ineligible(item, person, vacancies)
    elif figures.kind == "programmes":
        for item in items:
            figures.out_of_reach += not _programme_within_reach(item, person)
            figures.ineligible += not item.enrolable


def _count_person(audit: Audit, person: CandidateProfile, lists: dict) -> None:
    jobs = lists["jobs"]
    audit.with_language_gap_jobs += bool(jobs.language_gap)
    audit.language_gap_items += len(jobs.language_gap)
    if jobs.language_gap and not jobs.items:
        audit.all_jobs_language_blocked += 1
        audit.all_blocked_with_language_pathway += any(p.unlocks_by == "language" for p in lists["pathways"].items)
    adult = person.age() >= ADULT_AGE
    if adult and person.employment_status in LOOKING:
        audit.adults_looking += 1
        five = len(lists["jobs"].items) >= JOBS_WANTED
        audit.adults_looking_with_5_jobs += five
        if match_service().count_eligible_jobs(candidate=person) >= JOBS_WANTED:
            audit.adults_looking_5_open += 1
            audit.adults_looking_5_open_with_5_jobs += five
    if adult and person.kind == CandidateProfile.Kind.RESKILLING:
        audit.reskilling_adults += 1
        audit.reskilling_with_unlocking_pathway += any(p.vacancies_unlocked > 0 for p in lists["pathways"].items)
    if not person.willing_to_relocate:
        top = lists["programmes"].items[:TOP_PROGRAMMES]
        audit.stayers_top_programmes += len(top)
        audit.stayers_top_programmes_out_of_reach += sum(not _programme_within_reach(p, person) for p in top)


def _section(item) -> str:
    """Items are ordered by score within a section: jobs have two (skill matches, then entry jobs)."""
    return getattr(getattr(item, "explanation", None), "match_kind", "")


def _order_disagrees(scores: Sequence[float]) -> bool:
    """The list is not in descending order of the score each item shows."""
    return any(a < b for a, b in zip(scores, scores[1:]))


def _job_shares_skill(item) -> bool:
    e = item.explanation
    return e.match_kind == ENTRY_JOB or bool(e.matched_skills or e.related_skills or e.experience_skills)


def _job_out_of_reach(item) -> bool:
    e = item.explanation
    limit = e.commute_limit_km
    return bool(e.distance_km is not None and limit is not None and e.distance_km > limit and not e.remote
                and not e.relocation_needed)


def _job_ineligible(item, person: CandidateProfile, vacancies: dict[int, Vacancy]) -> bool:
    vacancy = vacancies.get(item.vacancy["id"])
    if vacancy is None:
        return True  # served although no longer public
    return person.age() < vacancy.min_age or person.highest_education < vacancy.min_education


def _programme_within_reach(item, person: CandidateProfile) -> bool:
    return bool(person.willing_to_relocate or item.explanation.get("within_reach", True))


def audit_lines(audit: Audit) -> list[str]:
    """The audit as the table ``manage.py audit_recommendations`` prints (and the README shows)."""
    header = (f"{'list':<11}{'people':>7}{'non-empty':>10}{'median':>7}{'items':>6}{'no skill':>9}"
              f"{'out of reach':>13}{'ineligible':>11}{'order≠score':>12}{'empty, no reason':>17}{'withheld':>9}")
    lines = [header]
    for k in audit.kinds.values():
        lines.append(f"{k.kind:<11}{k.people:>7}{k.non_empty:>10}{k.median_length:>7g}{k.items:>6}"
                     f"{k.no_shared_skill if k.kind == 'jobs' else '-':>9}"
                     f"{k.out_of_reach if k.kind in ('jobs', 'programmes') else '-':>13}"
                     f"{k.ineligible if k.kind in ('jobs', 'programmes') else '-':>11}"
                     f"{k.order_disagrees:>12}{k.empty_without_reason:>17}{k.withheld:>9}")
    lines.append("")
    lines += [f"empty {k.kind} lists by reason: " + (", ".join(f"{r} {n}" for r, n in sorted(k.reasons.items()))
                                                     or "none") for k in audit.kinds.values()]
    lines.append("")
    lines.append(_share("adults looking for work with 5+ jobs", audit.adults_looking_with_5_jobs, audit.adults_looking))
    lines.append(_share("  of them with 5+ open vacancies their commute, hours and languages allow",
                        audit.adults_looking_5_open_with_5_jobs, audit.adults_looking_5_open))
    lines.append(_share("reskilling adults with a pathway that unlocks a vacancy",
                        audit.reskilling_with_unlocking_pathway, audit.reskilling_adults))
    lines.append(_share("top-5 programmes out of reach, people who stay", audit.stayers_top_programmes_out_of_reach,
                        audit.stayers_top_programmes))
    lines.append(f"people with language-blocked jobs listed apart: {audit.with_language_gap_jobs} "
                 f"({audit.language_gap_items} jobs)")
    lines.append(_share("people whose jobs are all language-blocked with a language pathway",
                        audit.all_blocked_with_language_pathway, audit.all_jobs_language_blocked))
    return lines


def _share(label: str, part: int, whole: int) -> str:
    share = f"{part / whole:.0%}" if whole else "-"
    return f"{label}: {part} of {whole} ({share})"
