"""The recommendation lists' vacancy shape read as plain rows equals the documented serializer's, in both languages."""
from __future__ import annotations

import pytest
from django.utils import translation

from api.serializers.matching import VacancyBriefSerializer
from careers.models import Vacancy
from careers.selectors.vacancies import public_vacancy_briefs
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["lv", "en"])
def test_briefs_equal_the_serializer_shape_and_leave_out_what_is_not_public(language):
    plain = f.VacancyFactory()
    bare = f.VacancyFactory(occupation=None, expires_at=None, salary_min=900, salary_max=900,
                            hours="part_time", contract_kind="summer_job")
    english_only = f.VacancyFactory(occupation=f.OccupationFactory(label_lv=""))
    closed = f.VacancyFactory(status=Vacancy.Status.CLOSED)
    unverified = f.VacancyFactory(employer=f.EmployerFactory(verified=False))
    ids = [plain.pk, bare.pk, english_only.pk, closed.pk, unverified.pk, 10**9]

    briefs = public_vacancy_briefs(ids, language=language)

    assert set(briefs) == {plain.pk, bare.pk, english_only.pk}
    with translation.override(language):
        for vacancy in (plain, bare, english_only):
            vacancy = Vacancy.objects.select_related("employer", "town", "occupation").get(pk=vacancy.pk)
            assert briefs[vacancy.pk] == dict(VacancyBriefSerializer(vacancy).data)
    assert briefs[bare.pk]["occupation"] is None and briefs[bare.pk]["expires_at"] is None
    assert briefs[english_only.pk]["occupation"]["label"] == english_only.occupation.label_en
    assert briefs[plain.pk]["occupation"]["label"] == (plain.occupation.label_lv if language == "lv"
                                                       else plain.occupation.label_en)
