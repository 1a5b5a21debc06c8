"""Vacancy reads: the public listing plus what an employer member or staff may manage."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet

from careers.models import Employer, Vacancy, VacancySkill

from .roles import employers_of, is_admin


def vacancies_managed_by(*, user) -> QuerySet[Vacancy]:
    """Every vacancy for staff; the vacancies of the user's own employers for an employer member; else none."""
    if is_admin(user):
        return Vacancy.objects.all()
    return Vacancy.objects.filter(employer__in=employers_of(user))


def vacancies_visible_to(*, user) -> QuerySet[Vacancy]:
    """Public vacancies (open, unexpired, verified employer) plus those the user manages in any status."""
    if is_admin(user):
        return Vacancy.objects.all()
    public = Q(pk__in=Vacancy.objects.public().values("pk"))
    return Vacancy.objects.filter(public | Q(employer__in=employers_of(user)))


def with_vacancy_detail(queryset: QuerySet[Vacancy]) -> QuerySet[Vacancy]:
    """Everything the vacancy serializers read, in a fixed number of queries."""
    return queryset.select_related("employer__town", "town", "occupation").prefetch_related(
        Prefetch("skill_links", queryset=VacancySkill.objects.select_related("skill").order_by("-essential", "skill__label_en")),
        "languages",
    )


MSG_EMPLOYER_REQUIRED = "Say which employer this vacancy is for (employer)."
MSG_UNKNOWN_EMPLOYER = "Unknown employer, or not one of yours."


def employer_for_new_vacancy(*, user, employer_id: int | None) -> Employer:
    """The employer a new vacancy belongs to: the given one if the user may post for it, else the user's only one."""
    candidates = Employer.objects.all() if is_admin(user) else employers_of(user)
    if employer_id is not None:
        employer = candidates.filter(pk=employer_id).first()
        if employer is None:
            raise ValidationError({"employer": [MSG_UNKNOWN_EMPLOYER]})
        return employer
    own = list(employers_of(user)[:2])
    if len(own) != 1:
        raise ValidationError({"employer": [MSG_EMPLOYER_REQUIRED]})
    return own[0]
