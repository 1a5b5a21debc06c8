"""List pages read as plain rows show exactly what the output serializers show, in a fixed number of queries."""
from __future__ import annotations

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from api.serializers.resources_vacancies import VacancyOutputSerializer
from careers import models as m
from careers.selectors import with_vacancy_detail
from careers.selectors.listings import vacancy_rows, vacancy_values
from tests import factories as f

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _vacancies(n: int) -> list[m.Vacancy]:
    made = []
    for i in range(n):
        vacancy = f.VacancyFactory(occupation=f.OccupationFactory() if i % 2 else None)
        f.VacancySkillFactory.create_batch(3, vacancy=vacancy, essential=bool(i % 3))
        f.VacancyLanguageFactory(vacancy=vacancy)
        made.append(vacancy)
    return made


@pytest.mark.parametrize("language", ["lv", "en"])
def test_vacancy_rows_equal_the_serializer_field_for_field(language):
    _vacancies(6)
    queryset = m.Vacancy.objects.order_by("-published_at", "-id")
    with translation.override(language):
        expected = VacancyOutputSerializer(with_vacancy_detail(queryset), many=True).data
        got = vacancy_rows(list(vacancy_values(queryset)), language=language)
    assert [dict(row) for row in expected] == got
    assert [list(row) for row in expected] == [list(row) for row in got]  # the same keys in the same order


@pytest.mark.parametrize("n", [3, 40])
def test_vacancy_list_runs_four_queries_however_many_rows(n, django_assert_num_queries):
    _vacancies(n)
    with django_assert_num_queries(4):  # count, the page, its skills, its languages
        body = APIClient().get(f"{API}/vacancies/", {"page_size": 100}).json()
    assert body["count"] == n and len(body["results"]) == n


def test_candidate_list_queries_do_not_grow_with_the_page(django_assert_num_queries):
    client = APIClient()
    client.force_authenticate(f.AdminUserFactory())
    counts = []
    for n in (3, 30):
        for _ in range(n - sum(counts[:1])):
            candidate = f.CandidateFactory()
            f.CandidateSkillFactory.create_batch(2, candidate=candidate)
            f.WorkExperienceFactory(candidate=candidate)
        with django_assert_num_queries(6):  # count, the page, its skills, languages, targets and work history
            body = client.get(f"{API}/candidates/", {"page_size": 100}).json()
        counts.append(body["count"])
    assert counts == [3, 30]
