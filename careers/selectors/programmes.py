"""Programme and intake reads: active programmes for everyone, plus what provider staff or staff manage."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from careers.models import CandidateProfile, Institution, Intake, Programme
from matching.paths.eligibility import failures, person_groups

from .listings import occupation_refs, skill_refs
from .roles import institution_of, is_admin


def programmes_managed_by(*, user) -> QuerySet[Programme]:
    if is_admin(user):
        return Programme.objects.all()
    institution = institution_of(user)
    if institution is None:
        return Programme.objects.none()
    return Programme.objects.filter(institution=institution)


def programmes_visible_to(*, user) -> QuerySet[Programme]:
    """Active programmes plus the inactive ones the user manages."""
    if is_admin(user):
        return Programme.objects.all()
    institution = institution_of(user)
    own = Q(institution=institution) if institution is not None else Q(pk__in=[])
    return Programme.objects.filter(Q(is_active=True) | own)


def with_programme_detail(queryset: QuerySet[Programme]) -> QuerySet[Programme]:
    """With ``upcoming_intakes``: the intakes still open for applications (not started, deadline not passed)."""
    today = timezone.localdate()
    open_intakes = Intake.objects.filter(start_date__gt=today, application_deadline__gte=today)
    return queryset.select_related("institution__town").prefetch_related(
        Prefetch("skills_taught", queryset=skill_refs()),
        Prefetch("leads_to", queryset=occupation_refs()),
        Prefetch("intakes", queryset=open_intakes, to_attr="upcoming_intakes"),
    )


def programmes_open_for_applications(queryset: QuerySet[Programme]) -> QuerySet[Programme]:
    today = timezone.localdate()
    return queryset.filter(intakes__start_date__gt=today, intakes__application_deadline__gte=today).distinct()


ELIGIBILITY_FIELDS = ("id", "target_groups", "min_age", "max_age", "min_education", "languages")


def programmes_admitting(queryset: QuerySet[Programme], *, age: int | None = None, group: str | None = None,
                         candidate: CandidateProfile | None = None) -> QuerySet[Programme]:
    """Programmes whose entry rules admit someone of ``age``, of target ``group``, or this ``candidate`` (every
    rule of :func:`matching.paths.eligibility.failures`: target group, age, prior education, language)."""
    person = _person(candidate) if candidate is not None else None
    keep = []
    for pid, groups, low, high, education, languages, taught, level_from in queryset.values_list(
            *ELIGIBILITY_FIELDS, "teaches_language", "language_level_from"):
        if group is not None and groups and group not in groups:
            continue
        if age is not None and ((low is not None and age < low) or (high is not None and age > high)):
            continue
        if person is not None and failures(target_groups=groups, min_age=low, max_age=high, min_education=education,
                                           instruction=languages, course_language=taught,
                                           course_level_from=level_from, **person):
            continue
        keep.append(pid)
    return queryset.filter(pk__in=keep)


def _person(candidate: CandidateProfile) -> dict:
    age = candidate.age()
    groups = person_groups(age=age, education=candidate.highest_education,
                           employment_status=candidate.employment_status, kind=candidate.kind)
    return {"groups": groups, "age": age, "education": candidate.highest_education,
            "languages": dict(candidate.languages.values_list("language", "level"))}


def intakes_managed_by(*, user) -> QuerySet[Intake]:
    return Intake.objects.filter(programme__in=programmes_managed_by(user=user))


def intakes_visible_to(*, user) -> QuerySet[Intake]:
    return Intake.objects.filter(programme__in=programmes_visible_to(user=user))


def with_intake_detail(queryset: QuerySet[Intake]) -> QuerySet[Intake]:
    return queryset.select_related("programme__institution__town")


MSG_INSTITUTION_REQUIRED = "Say which institution this programme belongs to (institution)."
MSG_UNKNOWN_INSTITUTION = "Unknown institution, or not yours."
MSG_UNKNOWN_PROGRAMME = "Unknown programme, or not one of your institution's."


def institution_for_new_programme(*, user, institution_id: int | None) -> Institution:
    """Staff name any institution; provider staff always create for their own (naming another is refused)."""
    if is_admin(user):
        institution = Institution.objects.filter(pk=institution_id).first() if institution_id is not None else None
        if institution_id is None:
            raise ValidationError({"institution": [MSG_INSTITUTION_REQUIRED]})
    else:
        institution = institution_of(user)
        if institution is not None and institution_id is not None and institution.pk != institution_id:
            institution = None
    if institution is None:
        raise ValidationError({"institution": [MSG_UNKNOWN_INSTITUTION]})
    return institution


def programme_for_new_intake(*, user, programme_id: int) -> Programme:
    programme = programmes_managed_by(user=user).filter(pk=programme_id).first()
    if programme is None:
        raise ValidationError({"programme": [MSG_UNKNOWN_PROGRAMME]})
    return programme
