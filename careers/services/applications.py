"""Applications: a candidate applies once per vacancy or intake; each side moves the status it owns."""
from __future__ import annotations

import enum

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from careers.models import Application, CandidateProfile, Intake, Role, Vacancy
from careers.selectors.roles import is_admin, role_of

S = Application.Status
FINAL_STATUSES = frozenset({S.REJECTED, S.HIRED, S.ENROLLED, S.WITHDRAWN})

MSG_ONE_TARGET = _("Apply to exactly one of: a vacancy or an intake.")
MSG_VACANCY_CLOSED = _("This vacancy does not exist or is not open for applications.")
MSG_INTAKE_CLOSED = _("This intake does not exist or is no longer open for applications.")
MSG_TOO_YOUNG = _("This vacancy is open to people aged %(min_age)s and over.")
MSG_DUPLICATE = _("You have already applied to this.")
MSG_TRANSITION = _("An application cannot move from “%(current)s” to “%(target)s”. Allowed: %(allowed)s.")
MSG_REASON_ONLY_ON_REJECTION = _("A reason is given only when rejecting an application.")


class Side(str, enum.Enum):
    """Who moves an application: the applicant, the owner of the posting, or staff (both)."""

    CANDIDATE = "candidate"
    OWNER = "owner"
    STAFF = "staff"


def _owner_moves(application: Application) -> dict[str, tuple[str, ...]]:
    success = S.HIRED if application.vacancy_id else S.ENROLLED
    return {
        S.SUBMITTED: (S.VIEWED,),
        S.VIEWED: (S.SHORTLISTED, S.REJECTED),
        S.SHORTLISTED: (success, S.REJECTED),
    }


def allowed_transitions(*, application: Application, side: Side) -> list[str]:
    """Statuses ``side`` may move ``application`` to now (empty once it is final)."""
    if application.status in FINAL_STATUSES:
        return []
    allowed: list[str] = []
    if side in (Side.OWNER, Side.STAFF):
        allowed += _owner_moves(application).get(application.status, ())
    if side in (Side.CANDIDATE, Side.STAFF):
        allowed.append(S.WITHDRAWN)
    return [str(s) for s in allowed]


def _check_vacancy(candidate: CandidateProfile, vacancy: Vacancy | None) -> None:
    if vacancy is None or not Vacancy.objects.public().filter(pk=vacancy.pk).exists():
        raise ValidationError({"vacancy": [MSG_VACANCY_CLOSED]})
    if candidate.age() < vacancy.min_age:
        raise ValidationError({"vacancy": [MSG_TOO_YOUNG % {"min_age": vacancy.min_age}]})


def _check_intake(intake: Intake | None) -> None:
    today = timezone.localdate()
    if intake is None or not (
        intake.programme.is_active and intake.start_date >= today and intake.application_deadline >= today
    ):
        raise ValidationError({"intake": [MSG_INTAKE_CLOSED]})


def application_create(
    *, candidate: CandidateProfile, vacancy_id: int | None = None, intake_id: int | None = None, message: str = ""
) -> Application:
    """Apply to a public vacancy or an upcoming intake before its deadline, once per target.

    An unknown id and a posting that is not open get the same answer, so ids reveal nothing.
    """
    if (vacancy_id is None) == (intake_id is None):
        raise ValidationError({"non_field_errors": [MSG_ONE_TARGET]})
    vacancy = intake = None
    if vacancy_id is not None:
        vacancy = Vacancy.objects.filter(pk=vacancy_id).first()
        _check_vacancy(candidate, vacancy)
    else:
        intake = Intake.objects.select_related("programme").filter(pk=intake_id).first()
        _check_intake(intake)
    target_field = "vacancy" if vacancy is not None else "intake"
    if Application.objects.filter(candidate=candidate, vacancy=vacancy, intake=intake).exists():
        raise ValidationError({target_field: [MSG_DUPLICATE]})
    try:
        # The unique constraints catch the race two parallel requests would win past the check above.
        with transaction.atomic():
            return Application.objects.create(candidate=candidate, vacancy=vacancy, intake=intake, message=message)
    except IntegrityError as exc:
        raise ValidationError({target_field: [MSG_DUPLICATE]}) from exc


@transaction.atomic
def application_transition(*, application: Application, status: str, side: Side, reason: str = "",
                           note: str = "") -> Application:
    """Move to ``status`` if ``side`` may; otherwise a ValidationError that lists the allowed moves.

    A rejection may carry its ``reason`` (``Application.RejectionReason``) and a short ``note``; no other move does.
    """
    application = Application.objects.select_for_update().get(pk=application.pk)
    allowed = allowed_transitions(application=application, side=side)
    if status not in allowed:
        message = MSG_TRANSITION % {"current": application.status, "target": status, "allowed": ", ".join(allowed) or "—"}
        raise ValidationError({"status": [message], "allowed": allowed})
    if (reason or note) and status != S.REJECTED:
        raise ValidationError({"rejection_reason": [MSG_REASON_ONLY_ON_REJECTION]})
    application.status = status
    application.rejection_reason, application.rejection_note = reason, note
    application.full_clean(exclude=["candidate", "vacancy", "intake"])
    application.save(update_fields=["status", "rejection_reason", "rejection_note", "updated_at"])
    return application


@transaction.atomic
def application_decide(*, application: Application, status: str, side: Side, reason: str = "",
                       note: str = "") -> Application:
    """An owner's decision (shortlist, reject, hire); deciding on an application not yet marked viewed marks it
    viewed first, as the owner has now read it. Both moves or neither."""
    if application.status == S.SUBMITTED and status != S.VIEWED and side in (Side.OWNER, Side.STAFF):
        application = application_transition(application=application, status=S.VIEWED, side=side)
    return application_transition(application=application, status=status, side=side, reason=reason, note=note)


def side_for(*, user, application: Application) -> Side | None:
    """The side ``user`` acts on for an application they can see: staff, its candidate, the posting's owner, or none."""
    if is_admin(user):
        return Side.STAFF
    if role_of(user) == Role.CANDIDATE:
        return Side.CANDIDATE if application.candidate.user_id == user.pk else None
    if role_of(user) in (Role.EMPLOYER, Role.PROVIDER):
        return Side.OWNER
    return None
