"""Vacancy writes: drafts, edits and the draft → open → closed flow."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from careers.models import Employer, Skill, Vacancy, VacancyLanguage, VacancySkill

# Only forward moves; a closed vacancy stays closed (repost as a new draft).
VACANCY_TRANSITIONS: dict[str, tuple[str, ...]] = {
    Vacancy.Status.DRAFT: (Vacancy.Status.OPEN,),
    Vacancy.Status.OPEN: (Vacancy.Status.CLOSED,),
    Vacancy.Status.CLOSED: (),
}
EDITABLE_FIELDS = (
    "title", "description", "text_language", "occupation", "town", "work_arrangement", "contract_kind", "hours",
    "salary_min", "salary_max", "min_education", "min_age", "places", "experience_required", "expires_at",
    "import_code",
)
MSG_TRANSITION = _("A vacancy cannot move from “%(current)s” to “%(target)s”. Allowed: %(allowed)s.")
MSG_UNVERIFIED = _("Your employer is not verified yet; staff must verify it before its vacancies can be published.")
MSG_EXPIRED = _("The expiry date is in the past; set a later one before publishing.")
MSG_CLOSED = _("A closed vacancy cannot be edited.")


def _set_skills(vacancy: Vacancy, skills: Iterable[tuple[Skill, bool]]) -> None:
    VacancySkill.objects.filter(vacancy=vacancy).delete()
    VacancySkill.objects.bulk_create(VacancySkill(vacancy=vacancy, skill=s, essential=e) for s, e in skills)


def _set_languages(vacancy: Vacancy, languages: Iterable[tuple[str, int]]) -> None:
    VacancyLanguage.objects.filter(vacancy=vacancy).delete()
    VacancyLanguage.objects.bulk_create(VacancyLanguage(vacancy=vacancy, language=c, level=lv) for c, lv in languages)


@transaction.atomic
def vacancy_create(
    *,
    employer: Employer,
    fields: dict[str, Any],
    skills: Iterable[tuple[Skill, bool]] = (),
    languages: Iterable[tuple[str, int]] = (),
) -> Vacancy:
    """A new draft: nobody but the employer and staff sees it until it is opened."""
    vacancy = Vacancy(employer=employer, status=Vacancy.Status.DRAFT, **{k: fields[k] for k in EDITABLE_FIELDS if k in fields})
    vacancy.full_clean()
    vacancy.save()
    _set_skills(vacancy, skills)
    _set_languages(vacancy, languages)
    return vacancy


@transaction.atomic
def vacancy_update(
    *,
    vacancy: Vacancy,
    fields: dict[str, Any],
    skills: Iterable[tuple[Skill, bool]] | None = None,
    languages: Iterable[tuple[str, int]] | None = None,
) -> Vacancy:
    """Change the given fields; ``skills`` / ``languages`` replace the lists when given."""
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if vacancy.status == Vacancy.Status.CLOSED:
        raise ValidationError({"status": [MSG_CLOSED]})
    for name in EDITABLE_FIELDS:
        if name in fields:
            setattr(vacancy, name, fields[name])
    vacancy.full_clean()
    vacancy.save()
    if skills is not None:
        _set_skills(vacancy, skills)
    if languages is not None:
        _set_languages(vacancy, languages)
    return vacancy


@transaction.atomic
def vacancy_set_status(*, vacancy: Vacancy, status: str) -> Vacancy:
    """Move along draft → open → closed; opening needs a verified employer and an unexpired vacancy."""
    vacancy = Vacancy.objects.select_for_update().select_related("employer").get(pk=vacancy.pk)
    allowed = VACANCY_TRANSITIONS[vacancy.status]
    if status not in allowed:
        names = ", ".join(allowed) or "—"
        raise ValidationError({"status": [MSG_TRANSITION % {"current": vacancy.status, "target": status, "allowed": names}]})
    today = timezone.localdate()
    if status == Vacancy.Status.OPEN:
        if not vacancy.employer.verified:
            raise ValidationError({"status": [MSG_UNVERIFIED]})
        if vacancy.expires_at is not None and vacancy.expires_at < today:
            raise ValidationError({"expires_at": [MSG_EXPIRED]})
        vacancy.published_at = today
    vacancy.status = status
    vacancy.full_clean()
    vacancy.save(update_fields=["status", "published_at", "updated_at"])
    return vacancy
