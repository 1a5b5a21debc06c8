"""What the recommendation use cases return: frozen records, the same for the JSON API and the web pages.

The use cases (``careers.services.recommendations`` and ``careers.selectors.recommendations``) build these; the
front doors only serialize or render them. Nested parts that are plain data (a skill reference, a vacancy brief, a
programme summary, score parts) stay mappings with the keys the API documents; what a person is shown as one
item is a record.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from careers.models import CandidateProfile
from careers.selectors.candidates import CandidateAccess

Data = Mapping[str, Any]

# Why a list is empty (``reason``); null when it is not.
NO_CONSENT = "no_processing_consent"  # the candidate is not in the index: nothing can be recommended
NOT_RELEASED = "not_released"  # a supervised candidate whose counsellor has released nothing yet
VACANCY_NOT_PUBLIC = "vacancy_not_public"
NOTHING_FITS = "nothing_fits_now"  # jobs: no open vacancy the person may take shares a skill, and no entry job
LANGUAGE_GAP_ONLY = "language_gap_only"  # jobs: every job sharing a skill asks a higher language level (listed apart)

# What kind of job match an item is (``Explanation.match_kind``).
SKILL_MATCH = "skills"  # shares at least one skill or related skill with the person
ENTRY_JOB = "entry"  # open to a beginner (summer job, helper post, apprenticeship): ranked by interest and distance
LANGUAGE_GAP = "language_gap"  # would be a skill match but asks a higher language level than the person has

# Why a programmes, careers or pathways list is empty (matching.paths.finder.EMPTY_REASONS, the same codes);
# OUT_OF_REACH_ONLY is set on a list that is not empty: nothing within reach fits, so every item is further away.
NO_OPEN_INTAKES = "no_open_intakes"
NO_ELIGIBLE_PROGRAMMES = "no_eligible_programmes"
NOTHING_NEW_TO_LEARN = "nothing_new_to_learn"
OUT_OF_REACH_ONLY = "out_of_reach_only"
NO_VACANCIES_WITHIN_REACH = "no_vacancies_within_reach"
NO_GAP_TO_CLOSE = "no_gap_to_close"
NO_SKILLS_YET = "no_skills_yet"
NO_PROGRAMME_CLOSES_GAP = "no_programme_closes_gap"
NO_INTERESTS_OR_SKILLS = "no_interests_or_skills"
NO_PROGRAMME_FITS = "no_programme_fits"
NO_LANGUAGE_COURSE = "no_language_course"  # pathways: jobs blocked by a language level no course here reaches

# One plain sentence per reason, in Latvian and English (the candidate is addressed as "tu" / "you").
REASON_MESSAGES = {
    NO_CONSENT: ("Tu neesi devis piekrišanu datu apstrādei, tāpēc neko nevaram ieteikt.",
                 "There is no consent to process this profile, so nothing can be recommended."),
    NOT_RELEASED: ("Tavs karjeras konsultants ieteikumus vēl nav apstiprinājis.",
                   "Your career counsellor has not released any recommendations yet."),
    NO_OPEN_INTAKES: ("Šobrīd neviena programma nepieņem pieteikumus.",
                      "No programme is taking applications right now."),
    NO_ELIGIBLE_PROGRAMMES: ("Neviena programma, kas pieņem pieteikumus, neuzņem cilvēkus ar tavu vecumu, izglītību "
                             "vai situāciju.",
                             "None of the programmes taking applications admits someone of your age, education or "
                             "situation."),
    NOTHING_NEW_TO_LEARN: ("Programmas, kurās vari iestāties, māca tikai to, ko tu jau proti vai mācies.",
                           "The programmes you can enter teach only what you already know or study."),
    OUT_OF_REACH_ONLY: ("Tuvumā nekas piemērots neatradās, tāpēc šīs iespējas ir tālāk, nekā tu esi gatavs braukt.",
                        "Nothing within your commute fits, so these options are further away than you travel."),
    NO_VACANCIES_WITHIN_REACH: ("Tavā tuvumā nav vakanču, kam atbilstu tava valoda, izglītība, vecums un darba laiks.",
                                "There are no vacancies within your reach that your languages, education, age and "
                                "hours allow."),
    NO_GAP_TO_CLOSE: ("Tu jau atbilsti visām tuvumā esošajām vakancēm, tāpēc nav prasmju, kas būtu jāapgūst.",
                      "You already fit every vacancy within reach, so there is no skill gap to close."),
    NO_SKILLS_YET: ("Tavā profilā vēl nav prasmju. Pievieno tās, lai redzētu ceļus uz darbu.",
                    "Your profile has no skills yet. Add some to see pathways to jobs."),
    NO_PROGRAMME_CLOSES_GAP: ("Neviena programma, kurā vari iestāties, nemāca prasmes, kas tev vēl trūkst tuvumā "
                              "esošajām vakancēm.",
                              "No programme you can enter teaches the skills the vacancies within your reach still "
                              "need."),
    NOTHING_FITS: ("Šobrīd neviena brīva vakance, ko vari pieņemt, neprasa tavas prasmes, un nav arī darba iesācējiem "
                   "tavā tuvumā.",
                   "No open vacancy you can take asks for your skills right now, and no entry job is near you."),
    NO_PROGRAMME_FITS: ("Neviena programma, kurā vari iestāties, nemāca prasmes, kas prasītas tuvējās vakancēs, neved uz "
                        "tevis izvēlētu profesiju un neatbilst tavām interesēm.",
                        "No programme you can enter teaches what nearby vacancies ask, leads to a job you named or "
                        "suits your interests."),
    NO_LANGUAGE_COURSE: ("Darbi, kam der tavas prasmes, prasa valodas līmeni, līdz kuram neviens kurss, kurā vari "
                         "iestāties, tevi tuvumā nenoved.",
                         "The jobs that suit your skills ask for a language level that no course you can enter "
                         "nearby leads to."),
    LANGUAGE_GAP_ONLY: ("Darbi, kam der tavas prasmes, prasa augstāku valodas līmeni, nekā tev ir. Tie ir parādīti "
                        "zemāk ar vajadzīgo līmeni, un valodas kurss var šo plaisu aizvērt.",
                        "The jobs that suit your skills ask for a higher language level than you have. They are "
                        "listed below with the level needed, and a language course can close that gap."),
    NO_INTERESTS_OR_SKILLS: ("Atbildi uz interešu jautājumiem vai pievieno prasmes, lai redzētu tev piemērotas "
                             "profesijas.",
                             "Answer the interest questions or add skills to see careers that suit you."),
}
PATH_REASONS = (NO_CONSENT, NOT_RELEASED, NO_OPEN_INTAKES, NO_ELIGIBLE_PROGRAMMES, NOTHING_NEW_TO_LEARN,
                OUT_OF_REACH_ONLY, NO_VACANCIES_WITHIN_REACH, NO_GAP_TO_CLOSE, NO_SKILLS_YET, NO_PROGRAMME_CLOSES_GAP,
                NO_INTERESTS_OR_SKILLS, NO_PROGRAMME_FITS, NO_LANGUAGE_COURSE)

# Why a jobs list is empty (careers.services.recommendations): no_vacancies_within_reach: no open vacancy passes the
# person's hard filters (commute, languages, education, age, hours); no_skills_yet: no skill and no entry job open;
# language_gap_only: the only jobs sharing a skill ask a higher language level (listed apart).
JOB_REASONS = (NO_CONSENT, NOT_RELEASED, NO_VACANCIES_WITHIN_REACH, NO_SKILLS_YET, NOTHING_FITS, LANGUAGE_GAP_ONLY)


def reason_message(reason: str | None, language: str) -> str | None:
    """The plain sentence of a list reason in ``language`` (lv unless en), or None."""
    if reason is None or reason not in REASON_MESSAGES:
        return None
    lv, en = REASON_MESSAGES[reason]
    return en if language == "en" else lv


# ``not_released`` for one person: who reviews the list and that they have been told (issue 17).
NOT_RELEASED_BY = (
    "Šo sarakstu vispirms pārskatīs tavs karjeras konsultants {name}. Konsultants par to zina: tavi ieteikumi gaida "
    "pārskatīšanu konsultanta sarakstā. Apstiprinātos ieteikumus redzēsi šeit.",
    "Your career counsellor {name} reviews this list first. They have been told: your recommendations are waiting "
    "for review in their caseload. You will see them here once they are released.")
NOT_RELEASED_NOBODY = (
    "Šo sarakstu vispirms pārskata karjeras konsultants, bet tavai skolai vai pilsētai konsultanta vēl nav. "
    "Darbinieki par tevi ir informēti: tu esi to cilvēku sarakstā, kam jāpiešķir konsultants.",
    "A career counsellor reviews this list first, but no counsellor covers your school or town yet. The staff have "
    "been told: you are in their list of people waiting for a counsellor, and they will assign one.")
# Careers and programmes a supervised person sees before their counsellor looked at them (``awaiting_review``).
AWAITING_REVIEW = ("Tavs karjeras konsultants šos ieteikumus vēl nav pārskatījis.",
                   "Not yet reviewed by your counsellor.")


def counsellor_name(candidate: CandidateProfile) -> str | None:
    counsellor = candidate.counsellor
    return None if counsellor is None else (counsellor.user.get_full_name() or counsellor.user.username)


def list_reason_message(reason: str | None, language: str, *, candidate: CandidateProfile) -> str | None:
    """:func:`reason_message`, except that ``not_released`` names the person's counsellor (or says that staff will
    assign one)."""
    if reason != NOT_RELEASED:
        return reason_message(reason, language)
    name = counsellor_name(candidate)
    lv, en = NOT_RELEASED_NOBODY if name is None else NOT_RELEASED_BY
    return (en if language == "en" else lv).format(name=name)


def awaiting_review_message(language: str) -> str:
    return AWAITING_REVIEW[1] if language == "en" else AWAITING_REVIEW[0]


@dataclass(frozen=True)
class Explanation:
    """Why a vacancy and a candidate match: skills held, related and missing, distance, filters, score parts.

    ``commute_limit_km`` and ``relocation_needed`` derive from the candidate's commute limit, which only full
    access may read (``full_access``); ``ranker`` is set when a learned ranker ordered the list.
    """

    matched_skills: Sequence[Data]
    related_skills: Sequence[Data]
    missing_essential: Sequence[Data | None]
    essential_matched: str
    distance_km: float | None
    remote: bool
    filters: Data
    parts: Data
    contributions: Data
    ranker: Data | None = None
    full_access: bool = False
    commute_limit_km: float | None = None
    relocation_needed: bool | None = None
    match_kind: str = SKILL_MATCH
    experience_skills: Sequence[Data] = ()  # implied by the work history: "from your work as …"
    essential_from_experience: int = 0
    entry: Data | None = None  # entry jobs: the parts (interest, distance) of the score that ranked them
    # language_gap items: [{language, language_label, required, held, message}], levels as "B1" (held None: none)
    language_gaps: Sequence[Data] = ()


@dataclass(frozen=True)
class JobMatch:
    rank: int
    score: float
    vacancy: Data  # careers.selectors.vacancies.public_vacancy_briefs
    explanation: Explanation
    review: str | None = None  # approved | rejected | added | None (careers.services.serving)


@dataclass(frozen=True)
class JobList:
    candidate: int
    items: tuple[JobMatch, ...]
    reason: str | None = None
    reason_message: str | None = None  # the reason as a plain sentence in the request language
    # Jobs that fail only on a language level, after the main list and never in it (match_kind language_gap).
    language_gap: tuple[JobMatch, ...] = ()


@dataclass(frozen=True)
class CandidateMatch:
    rank: int
    score: float
    candidate: CandidateProfile  # with the access annotations of careers.selectors.candidates
    access: CandidateAccess
    explanation: Explanation


@dataclass(frozen=True)
class CandidateList:
    vacancy: int
    items: tuple[CandidateMatch, ...]
    reason: str | None = None


@dataclass(frozen=True)
class ProgrammeMatch:
    rank: int
    score: float
    enrolable: bool
    reason: str | None  # why not enrolable, in the request language
    programme: Data
    intake: Data
    explanation: Data
    review: str | None = None
    awaiting_review: bool = False  # a supervised person's own list: shown before the counsellor looked


@dataclass(frozen=True)
class ProgrammeList:
    candidate: int
    items: tuple[ProgrammeMatch, ...]
    reason: str | None = None
    reason_message: str | None = None  # the reason as a plain sentence in the request language
    review_notice: str | None = None  # set when some items are not yet reviewed by the counsellor


@dataclass(frozen=True)
class CareerMatch:
    rank: int
    score: float
    occupation: Data
    explanation: Data
    review: str | None = None
    awaiting_review: bool = False  # a supervised person's own list: shown before the counsellor looked


@dataclass(frozen=True)
class CareerList:
    candidate: int
    items: tuple[CareerMatch, ...]
    reason: str | None = None
    reason_message: str | None = None  # the reason as a plain sentence in the request language
    review_notice: str | None = None  # set when some items are not yet reviewed by the counsellor


@dataclass(frozen=True)
class Pathway:
    rank: int
    score: float
    summary: str
    summary_lv: str
    summary_en: str
    steps: Sequence[Data]
    vacancies_unlocked: int
    vacancy_ids: Sequence[int]
    vacancies: Sequence[Data]
    total_duration_months: int
    cost_after_funding_eur: float
    first_start_date: dt.date
    threshold: float
    radius_km: float
    search: Data
    review: str | None = None
    within_reach: bool = True
    # "skills": the steps teach missing skills (vacancies reach the fit threshold); "language": language steps lift
    # the person to the level language-blocked vacancies ask (matching.paths.language).
    unlocks_by: str = "skills"
    vacancies_fitting_after: int | None = None  # language pathways: of the unlocked, those at the fit threshold


@dataclass(frozen=True)
class PathwayList:
    candidate: int
    items: tuple[Pathway, ...]
    reason: str | None = None
    reason_message: str | None = None  # the reason as a plain sentence in the request language


@dataclass(frozen=True)
class WhatIf:
    """How a candidate's jobs would change with added skills or a finished programme (nothing saved)."""

    candidate: int
    reason: str | None
    added_skills: Sequence[Data] = ()
    threshold: float | None = None
    n_gained: int = 0
    vacancies_gained: Sequence[Data] = ()
    n_coverage_gained: int = 0
    coverage_gained: Sequence[Data] = ()
    top_before: Sequence[int] = ()
    top_after: Sequence[int] = ()
    entered_top: Sequence[int] = ()
    left_top: Sequence[int] = ()
    added_languages: Sequence[Data] = ()  # what-if with language levels: [{language, level, held}] ("B1", None)


@dataclass(frozen=True)
class ItemExplanation:
    """Why one served item was recommended, in plain sentences of one language."""

    candidate: int
    kind: str
    item_key: str
    language: str
    served_at: dt.datetime
    model_version: str
    sentences: Sequence[str]


@dataclass(frozen=True)
class ExtractedSkill:
    uri: str
    label: str
    score: float
    span: Data  # start, end, text


@dataclass(frozen=True)
class OccupationMatch:
    uri: str
    label: str
    score: float


@dataclass(frozen=True)
class InterestCareer:
    """A career for someone who answered the interest questions without an account (the web site's explorer)."""

    rank: int
    score: float
    occupation_id: int
    label: str
    interest_fit: float
    open_vacancies: int


@dataclass(frozen=True)
class SkillSuggestions:
    """What a free text says about the person (issue 17): skills held, skills to learn, occupations wanted."""

    skills: Sequence[ExtractedSkill]
    to_learn: Sequence[ExtractedSkill] = ()
    target_occupations: Sequence[OccupationMatch] = ()
