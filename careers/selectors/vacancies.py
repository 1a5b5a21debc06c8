"""Vacancy reads: the public listing plus what an employer member or staff may manage."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet

from careers.models import Employer, Vacancy, VacancySkill
from careers.models.taxonomy import preferred_label

from .listings import SKILL_REF
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
    skills = VacancySkill.objects.select_related("skill").only(
        "id", "vacancy_id", "essential", *(f"skill__{name}" for name in SKILL_REF))
    return queryset.select_related("employer", "town", "occupation").prefetch_related(
        Prefetch("skill_links", queryset=skills.order_by("-essential", "skill__label_en")),
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


BRIEF_FIELDS = ("id", "title", "employer_id", "employer__name", "town_id", "town__name", "occupation_id",
                "occupation__uri", "occupation__label_lv", "occupation__label_en", "occupation__isco_code",
                "contract_kind", "hours", "work_arrangement", "salary_min", "salary_max", "expires_at")


def public_vacancy_briefs(ids, *, language: str) -> dict[int, dict]:
    """id → the brief shape of ``api.serializers.matching.VacancyBriefSerializer``, for those of ``ids`` that are
    public now (one query, no model instances).

    Recommendation lists show ten or more of these on every request; read as model instances and shaped by the
    nested serializers they cost more than the whole index query, so this reads plain rows. A test keeps the two
    shapes equal.
    """
    briefs = {}
    for row in Vacancy.objects.public().filter(pk__in=ids).values_list(*BRIEF_FIELDS):
        (pk, title, employer_id, employer, town_id, town, occupation_id, uri, label_lv, label_en, isco, contract,
         hours, arrangement, salary_min, salary_max, expires) = row
        occupation = None
        if occupation_id is not None:
            occupation = {"id": occupation_id, "uri": uri, "label": preferred_label(label_lv, label_en, language),
                          "isco_code": isco}
        briefs[pk] = {"id": pk, "title": title, "employer": {"id": employer_id, "name": employer},
                      "town": {"id": town_id, "name": town}, "occupation": occupation, "contract_kind": contract,
                      "hours": hours, "work_arrangement": arrangement, "salary_min": salary_min,
                      "salary_max": salary_max, "expires_at": expires.isoformat() if expires else None}
    return briefs
