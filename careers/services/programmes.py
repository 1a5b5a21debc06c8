"""Programme and intake writes by provider staff and staff."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from careers.models import Institution, Intake, Occupation, Programme, Skill

PROGRAMME_FIELDS = (
    "name_lv", "name_en", "description_lv", "description_en", "kind", "eqf_level", "duration_months", "languages",
    "mode", "cost_eur", "cost_period", "state_funded_places", "voucher_eligible", "adult_learning_cofinanced",
    "min_education", "target_groups", "min_age", "max_age", "funding_groups", "is_active", "import_code",
)
INTAKE_FIELDS = ("start_date", "application_deadline", "seats", "funded_seats", "import_code")


@transaction.atomic
def programme_create(
    *,
    institution: Institution,
    fields: dict[str, Any],
    skills_taught: Iterable[Skill] = (),
    leads_to: Iterable[Occupation] = (),
) -> Programme:
    programme = Programme(institution=institution, **{k: fields[k] for k in PROGRAMME_FIELDS if k in fields})
    programme.full_clean()
    programme.save()
    programme.skills_taught.set(list(skills_taught))
    programme.leads_to.set(list(leads_to))
    return programme


@transaction.atomic
def programme_update(
    *,
    programme: Programme,
    fields: dict[str, Any],
    skills_taught: Iterable[Skill] | None = None,
    leads_to: Iterable[Occupation] | None = None,
) -> Programme:
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    for name in PROGRAMME_FIELDS:
        if name in fields:
            setattr(programme, name, fields[name])
    programme.full_clean()
    programme.save()
    if skills_taught is not None:
        programme.skills_taught.set(list(skills_taught))
    if leads_to is not None:
        programme.leads_to.set(list(leads_to))
    return programme


@transaction.atomic
def intake_create(*, programme: Programme, fields: dict[str, Any]) -> Intake:
    intake = Intake(programme=programme, **{k: fields[k] for k in INTAKE_FIELDS if k in fields})
    intake.full_clean()
    intake.save()
    return intake


@transaction.atomic
def intake_update(*, intake: Intake, fields: dict[str, Any]) -> Intake:
    intake = Intake.objects.select_for_update().get(pk=intake.pk)
    for name in INTAKE_FIELDS:
        if name in fields:
            setattr(intake, name, fields[name])
    intake.full_clean()
    intake.save()
    return intake


MSG_INTAKE_CLOSED = _("Applications to this intake are already closed.")


@transaction.atomic
def intake_close(*, intake: Intake) -> Intake:
    """Stop applications now: the deadline becomes yesterday (the intake itself stays, with its applications)."""
    intake = Intake.objects.select_for_update().get(pk=intake.pk)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    if intake.application_deadline <= yesterday:
        raise ValidationError({"application_deadline": [MSG_INTAKE_CLOSED]})
    intake.application_deadline = min(yesterday, intake.start_date)
    intake.full_clean()
    intake.save(update_fields=["application_deadline"])
    return intake
