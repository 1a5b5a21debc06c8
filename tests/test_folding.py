"""Diacritic- and case-insensitive search: Python and both databases fold alike."""
from __future__ import annotations

import pytest
from django.db.models import Value

from careers.folding import ACCENTED, PLAIN, Fold, fold, fold_text
from careers.models import Town
from tests import factories as f

WORDS = ["Metinātājs", "ĶĪMIĶIS", "Šuvēja", "Ņūdžersija", "Žūrija", "Müller", "Łódź", "Ørsted", "ģeogrāfs", "Ēka",
         "plain ascii", "Оператор", ""]


def test_fold_text_strips_every_accent_in_the_table_like_the_unicode_fold():
    assert fold_text("Metinātājs ĶĪMIĶIS") == "metinatajs kimikis"
    assert fold_text(None) is None
    for word in WORDS:
        if word not in ("Łódź", "Ørsted"):  # letters Unicode does not decompose; the table does
            assert fold_text(word) == fold(word)  # the general fold agrees on the rest
    assert (fold_text("Łódź"), fold_text("Ørsted"), fold_text("Оператор")) == ("lodz", "orsted", "оператор")
    assert fold_text(ACCENTED) == PLAIN


@pytest.mark.django_db
def test_the_database_folds_as_python_does():
    f.TownFactory(name="x")
    for word in WORDS:
        assert Town.objects.annotate(folded=Fold(Value(word))).values_list("folded", flat=True)[0] == fold_text(word), word


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint, make, field, query", [
    ("towns", lambda: f.TownFactory(name="Kuldīga"), "name", "kuldiga"),
    ("employers", lambda: f.EmployerFactory(name="Ventspils Ķīmijas rūpnīca"), "name", "KIMIJAS rupnica"),
    ("institutions", lambda: f.InstitutionFactory(name_lv="Vidzemes Augstskola"), "name_lv", "VIDZEMES augst"),
    ("programmes", lambda: f.ProgrammeFactory(name_lv="Metālapstrāde"), "name_lv", "metalapstrade"),
])
def test_resource_search_ignores_diacritics_and_case(api_client, endpoint, make, field, query):
    wanted = make()
    response = api_client.get(f"/api/v1/{endpoint}/", {"search": query})
    assert response.status_code == 200, response.content
    body = response.json()
    found = [row["id"] for row in (body["results"] if isinstance(body, dict) else body)]
    assert wanted.pk in found
    assert api_client.get(f"/api/v1/{endpoint}/", {"search": query + "zzz"}).json() in ([], {"count": 0,
                                                                                            "next": None,
                                                                                            "previous": None,
                                                                                            "results": []})
