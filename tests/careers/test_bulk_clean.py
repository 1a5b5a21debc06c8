"""careers.services.bulk_clean: the errors of ``full_clean`` for a whole file, the constraints checked once per file."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from careers.models import Intake, Vacancy
from careers.services.bulk_clean import Unsupported, bulk_full_clean, evaluate
from tests import factories as f

pytestmark = pytest.mark.django_db
DAY = dt.date(2031, 9, 1)


def _messages(error: ValidationError | None):
    return None if error is None else error.message_dict


def _full_clean(instance) -> ValidationError | None:
    try:
        instance.full_clean()
    except ValidationError as error:
        return error
    return None


def _vacancies() -> list[Vacancy]:
    employer = f.EmployerFactory()
    occupation = f.OccupationFactory()

    def make(**fields) -> Vacancy:
        base = {"employer": employer, "title": "Metinātājs", "description": "Darbs", "town": employer.town,
                "occupation": occupation, "contract_kind": "permanent", "hours": "full_time", "salary_min": 1200,
                "salary_max": 1600, "places": 1, "min_age": 18, "status": "draft"}
        return Vacancy(**(base | fields))
    return [
        make(),
        make(salary_min=0),
        make(salary_min=1700),
        make(places=0, min_age=5),
        make(status="open", published_at=DAY, expires_at=DAY - dt.timedelta(days=1)),
        make(status="open", published_at=None),
        make(salary_max=200_000, title=""),  # a field error (title) and a constraint error together
        make(import_code="V-1"),
    ]


def test_the_check_constraints_give_full_cleans_errors_in_full_cleans_places():
    vacancies = _vacancies()
    expected = [_messages(_full_clean(v)) for v in vacancies]
    assert expected[0] is None and all(expected[1:7])  # the cases are real: full_clean refuses each
    got = [_messages(e) for e in bulk_full_clean(vacancies, resolved={"employer", "town", "occupation"})]
    assert got == expected


def test_the_constraints_cost_a_fixed_number_of_queries_not_one_per_row():
    vacancies = _vacancies() * 50
    with CaptureQueriesContext(connection) as queries:
        bulk_full_clean(vacancies, resolved={"employer", "town", "occupation"})
    assert len(queries) <= 2  # the one unique constraint's read of the keys held (SQLite: one, PostgreSQL: one)


def test_a_unique_key_held_by_a_row_or_taken_earlier_in_the_file_is_refused_as_full_clean_would():
    programme = f.ProgrammeFactory()
    held = f.IntakeFactory(programme=programme, start_date=DAY, application_deadline=DAY, seats=10)

    def new(day: dt.date, code: str = "") -> Intake:
        return Intake(programme=programme, start_date=day, application_deadline=day, seats=10, import_code=code)
    later = DAY + dt.timedelta(days=30)
    rows = [new(DAY), new(later, "A"), new(later, "B"), new(later + dt.timedelta(days=1), "A")]
    errors = bulk_full_clean(rows, resolved={"programme"})
    assert _messages(errors[0]) == _messages(_full_clean(new(DAY)))  # the row held in the database
    assert errors[1] is None
    rows[1].save()  # as the sequential import would have, before checking the next row
    assert _messages(errors[2]) == _messages(_full_clean(rows[2]))  # taken by row 2 of the file
    assert _messages(errors[3]) == _messages(_full_clean(rows[3]))  # code A taken by row 2
    assert all(errors[n] is not None for n in (0, 2, 3))
    assert held.pk


def test_an_update_moving_its_row_off_a_key_frees_it_for_the_rows_after_it_not_before():
    programme = f.ProgrammeFactory()
    moving = f.IntakeFactory(programme=programme, start_date=DAY, application_deadline=DAY, seats=10)
    moving.start_date = moving.application_deadline = DAY + dt.timedelta(days=7)
    taker = Intake(programme=programme, start_date=DAY, application_deadline=DAY, seats=10)
    assert bulk_full_clean([moving, taker], resolved={"programme"}) == [None, None]
    early = Intake(programme=programme, start_date=DAY, application_deadline=DAY, seats=10)
    errors = bulk_full_clean([early, moving], resolved={"programme"})
    assert errors[0] is not None and errors[1] is None


def test_name_fields_files_a_constraint_error_under_the_field_it_is_about():
    programme = f.ProgrammeFactory()
    f.IntakeFactory(programme=programme, start_date=DAY, application_deadline=DAY, seats=10)
    clash = Intake(programme=programme, start_date=DAY, application_deadline=DAY, seats=10)
    vacancy = _vacancies()[1]  # salary_min 0: vacancy_salary_positive reads salary_min only
    assert set(bulk_full_clean([clash], resolved={"programme"}, name_fields=True)[0].message_dict) == {"start_date"}
    named = bulk_full_clean([vacancy], resolved={"employer", "town", "occupation"}, name_fields=True)[0]
    assert set(named.message_dict) == {"salary_min"}


def test_three_valued_logic_and_unknown_lookups():
    vacancy = Vacancy(salary_min=None, salary_max=10, expires_at=None)
    assert evaluate(Q(salary_min__gte=1), vacancy) is None  # NULL: a check constraint passes
    assert evaluate(Q(salary_min__gte=1) | Q(salary_max__gte=5), vacancy) is True
    assert evaluate(~Q(salary_max__lte=5), vacancy) is True
    assert evaluate(Q(expires_at__isnull=True), vacancy) is True
    with pytest.raises(Unsupported):
        evaluate(Q(title__icontains="x"), vacancy)
