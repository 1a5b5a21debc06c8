"""Reads of one's own account: what /me shows, and the personal-data export (GDPR Art. 15/20).

Extension point for later features: ``export_section`` registers another part of the export (reviews, feedback,
...) as a function of the user.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from careers.models import (
    Application, CandidateLanguage, CandidateProfile, CandidateSkill, Counsellor, Employer, FeedbackEvent, Occupation,
    OccupationSkill, ProviderStaff, RecommendationList, RelationType, RevokedAccessToken, Review, User, WorkExperience,
)
from careers.models.taxonomy import RIASEC_FIELDS
from careers.selectors.explanations import _address
from matching.index import MatchIndex

CONSENTS = ("processing", "discoverable", "counsellor")
EXPORT_FORMAT_VERSION = 1


@dataclass
class AccountOverview:
    """What /me shows: the user and the record that goes with their role."""

    user: User
    candidate: CandidateProfile | None = None
    employer_memberships: list[Employer] = field(default_factory=list)
    provider: ProviderStaff | None = None
    counsellor: dict[str, Any] | None = None


def account_overview(*, user: User) -> AccountOverview:
    """A read for /me, in a fixed number of queries whatever the profile holds."""
    candidate = (
        CandidateProfile.objects.filter(user=user)
        .select_related("town", "school", "counsellor__user", "counsellor__town",
                        "counsellor__institution")
        .prefetch_related("skill_links__skill", "languages", "work_history__occupation", "target_occupations")
        .first()
    )
    overview = AccountOverview(
        user=user, candidate=candidate, employer_memberships=list(user.employers.order_by("name"))
    )
    overview.provider = ProviderStaff.objects.filter(user=user).select_related("institution").first()
    counsellor = Counsellor.objects.filter(user=user).select_related("town", "institution").first()
    if counsellor is not None:
        overview.counsellor = {
            "works_for": counsellor.works_for, "town": counsellor.town, "institution": counsellor.institution,
            "caseload_size": counsellor.candidates.filter(user__is_active=True).count(),
        }
    return overview


# ----------------------------------------------------------------------------------------------- export

Section = Callable[[User], Any]
S = TypeVar("S", bound=Section)
EXPORT_SECTIONS: dict[str, Section] = {}


def export_section(name: str) -> Callable[[S], S]:
    """Register ``func(user)`` as the ``name`` part of the personal-data export (JSON-ready values only)."""
    def register(func: S) -> S:
        EXPORT_SECTIONS[name] = func
        return func
    return register


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


@export_section("user")
def _export_user(user: User) -> dict:
    return {
        "id": user.pk, "username": user.username, "email": user.email, "first_name": user.first_name,
        "last_name": user.last_name, "role": user.role, "preferred_language": user.preferred_language,
        "is_active": user.is_active, "date_joined": _iso(user.date_joined), "last_login": _iso(user.last_login),
    }


@export_section("profile")
def _export_profile(user: User) -> dict | None:
    profile = CandidateProfile.objects.filter(user=user).select_related("town", "school", "counsellor__user", "counsellor__town", "counsellor__institution").first()
    if profile is None:
        return None
    counsellor = profile.counsellor
    return {
        "kind": profile.kind, "employment_status": profile.employment_status, "birth_year": profile.birth_year,
        "gender": profile.gender, "phone": profile.phone, "town": profile.town.name,
        "max_commute_km": profile.max_commute_km, "willing_to_relocate": profile.willing_to_relocate,
        "highest_education": profile.highest_education, "current_studies": profile.current_studies,
        "about": profile.about, "riasec": {name[-1]: getattr(profile, name) for name in RIASEC_FIELDS},
        "available_hours": profile.available_hours, "available_from": _iso(profile.available_from),
        "counsellor": (counsellor.user.get_full_name() or counsellor.user.username) if counsellor else None,
        "supervised": profile.is_supervised, "minor_visible_to_employers": profile.minor_visible_to_employers,
        "created_at": _iso(profile.created_at), "updated_at": _iso(profile.updated_at),
    }


@export_section("consents")
def _export_consents(user: User) -> dict:
    profile = CandidateProfile.objects.filter(user=user).first()
    if profile is None:
        return {}
    return {
        name: {"given": getattr(profile, f"consent_{name}"), "at": _iso(getattr(profile, f"consent_{name}_at"))}
        for name in CONSENTS
    }


@export_section("skills")
def _export_skills(user: User) -> list[dict]:
    links = CandidateSkill.objects.filter(candidate__user=user).select_related("skill").order_by("skill__uri")
    return [{"uri": link.skill.uri, "label_en": link.skill.label_en, "label_lv": link.skill.label_lv,
             "proficiency": link.proficiency} for link in links]


@export_section("languages")
def _export_languages(user: User) -> list[dict]:
    rows = CandidateLanguage.objects.filter(candidate__user=user).order_by("language")
    return [{"language": row.language, "level": row.level} for row in rows]


@export_section("work_history")
def _export_work_history(user: User) -> list[dict]:
    rows = WorkExperience.objects.filter(candidate__user=user).select_related("occupation").order_by("pk")
    return [{"occupation": row.occupation.uri, "occupation_label_en": row.occupation.label_en,
             "years": str(row.years), "title": row.title, "employer_name": row.employer_name} for row in rows]


@export_section("target_occupations")
def _export_targets(user: User) -> list[dict]:
    rows = Occupation.objects.filter(targeted_by__user=user).order_by("uri")
    return [{"uri": row.uri, "label_en": row.label_en, "label_lv": row.label_lv} for row in rows]


@export_section("applications")
def _export_applications(user: User) -> list[dict]:
    rows = (Application.objects.filter(candidate__user=user)
            .select_related("vacancy__employer", "intake__programme__institution").order_by("pk"))
    result = []
    for row in rows:
        if row.vacancy_id:
            target = {"type": "vacancy", "id": row.vacancy_id, "title": row.vacancy.title,
                      "organisation": row.vacancy.employer.name}
        else:
            target = {"type": "intake", "id": row.intake_id, "title": row.intake.programme.name_lv,
                      "organisation": row.intake.programme.institution.name_lv,
                      "start_date": _iso(row.intake.start_date)}
        result.append({"id": row.pk, "target": target, "status": row.status, "message": row.message,
                       "created_at": _iso(row.created_at), "updated_at": _iso(row.updated_at)})
    return result


@export_section("employer_memberships")
def _export_memberships(user: User) -> list[dict]:
    return [{"id": e.pk, "name": e.name, "registration_number": e.registration_number, "verified": e.verified}
            for e in user.employers.order_by("pk")]


@export_section("staff_roles")
def _export_staff_roles(user: User) -> dict:
    roles: dict[str, Any] = {}
    provider = getattr(user, "provider_staff", None)
    if provider is not None:
        roles["provider_staff"] = {"institution": provider.institution.name_lv}
    counsellor = getattr(user, "counsellor", None)
    if counsellor is not None:
        roles["counsellor"] = {"works_for": counsellor.works_for, "town": counsellor.town.name,
                               "institution": counsellor.institution.name_lv if counsellor.institution else None,
                               "caseload": counsellor.candidates.count()}
    return roles


@export_section("sign_ins")
def _export_tokens(user: User) -> list[dict]:
    rows = OutstandingToken.objects.filter(user=user).select_related("blacklistedtoken").order_by("created_at")
    return [{"issued_at": _iso(row.created_at), "expires_at": _iso(row.expires_at),
             "revoked": hasattr(row, "blacklistedtoken")} for row in rows]


@export_section("recommendation_lists")
def _export_recommendation_lists(user: User) -> list[dict]:
    """Every logged list served for the person: when, what kind, which model, and each item as it was explained."""
    rows = (RecommendationList.objects.filter(candidate__user=user).prefetch_related("items")
            .order_by("created_at", "pk"))
    return [{"id": row.pk, "kind": row.kind, "model_version": row.model_version, "served_at": _iso(row.created_at),
             "items": [{"item": item.item_key, "rank": item.rank, "score": item.score, "features": item.features}
                       for item in sorted(row.items.all(), key=lambda item: item.rank)]}
            for row in rows]


@export_section("reviews")
def _export_reviews(user: User) -> list[dict]:
    """Counsellors' decisions on the person's recommendations, each with its full history (notes included)."""
    rows = Review.objects.filter(candidate__user=user).prefetch_related("log").order_by("kind", "item_key")
    return [{"kind": row.kind, "item": row.item_key, "decision": row.decision, "reason": row.reason,
             "note": row.note, "version": row.version, "updated_at": _iso(row.updated_at),
             "history": [{"decision": log.decision, "reason": log.reason, "note": log.note, "version": log.version,
                          "at": _iso(log.created_at)} for log in sorted(row.log.all(), key=lambda log: log.pk)]}
            for row in rows]


@export_section("feedback")
def _export_feedback(user: User) -> list[dict]:
    rows = FeedbackEvent.objects.filter(candidate__user=user).order_by("created_at", "pk")
    return [{"kind": row.kind, "item": row.item_key, "event": row.event, "at": _iso(row.created_at)}
            for row in rows]


def access_token_is_revoked(*, jti: str) -> bool:
    """Whether the access token ``jti`` was revoked at sign-out (careers.services.accounts.access_token_revoke)."""
    return RevokedAccessToken.objects.filter(jti=jti).exists()


def account_export(*, user: User) -> dict[str, Any]:
    """Everything the service holds about ``user``, as JSON-ready data (the GDPR Art. 15/20 copy)."""
    data: dict[str, Any] = {"format_version": EXPORT_FORMAT_VERSION, "generated_at": timezone.now().isoformat()}
    for name, section in EXPORT_SECTIONS.items():
        data[name] = section(user)
    return data


# ------------------------------------------------------------------------------- skills from work history
EXPERIENCE_MIN_YEARS = 1  # matching.index.MatchIndex.experience_min_years: shorter work implies nothing
MSG_FROM_WORK = {
    "en": "From your work as {occupation} ({years} years) you most likely have these skills. Confirm the ones you "
          "have and remove the others; until you confirm them they count for less.",
    "lv": "Pēc [tavas|Jūsu] darba profesijā “{occupation}” ({years} g.) [tev|Jums] visticamāk ir šīs prasmes. "
          "[Apstiprini|Apstipriniet] tās, kas [tev|Jums] ir, un [noņem|noņemiet] pārējās; kamēr tās nav "
          "apstiprinātas, tās sver mazāk.",
}


@dataclass(frozen=True)
class WorkSkillSuggestion:
    """The essential skills of one occupation in the work history that the profile does not list yet."""

    occupation: dict[str, Any]
    years: float
    message: str
    skills: list[dict[str, Any]]


def experience_credit() -> float:
    """The weight a skill implied by work history counts at until confirmed (``MatchIndex.experience_credit``)."""
    params = getattr(settings, "MATCHING_INDEX_PARAMS", None) or {}
    return float(params.get("experience_credit", MatchIndex().experience_credit))


def skills_from_work_history(*, candidate: CandidateProfile, language: str) -> list[WorkSkillSuggestion]:
    """Onboarding's "from your work as …": per occupation worked in for a year or more, its essential ESCO skills
    the profile does not hold, to confirm (add them to the profile's skills) or leave. Meanwhile they count at
    :func:`experience_credit` in matching."""
    held = set(candidate.skill_links.values_list("skill_id", flat=True))
    history = (candidate.work_history.filter(years__gte=EXPERIENCE_MIN_YEARS).select_related("occupation")
               .order_by("-years", "pk"))
    lang = "en" if language == "en" else "lv"
    out, seen = [], set()
    for item in history:
        occupation = item.occupation
        if occupation.pk in seen:
            continue
        seen.add(occupation.pk)
        links = (OccupationSkill.objects.filter(occupation=occupation, relation=RelationType.ESSENTIAL)
                 .exclude(skill_id__in=held).select_related("skill").order_by("skill__label_en"))
        skills = [{"id": link.skill.pk, "uri": link.skill.uri, "label": link.skill.label(language)} for link in links]
        if not skills:
            continue
        years = float(item.years)
        shown = f"{years:g}" if lang == "en" else f"{years:g}".replace(".", ",")
        message = _address(MSG_FROM_WORK[lang], formal=not candidate.is_minor).format(
            occupation=occupation.label(language), years=shown)
        out.append(WorkSkillSuggestion(
            occupation={"id": occupation.pk, "uri": occupation.uri, "label": occupation.label(language)},
            years=years, message=message, skills=skills))
    return out
