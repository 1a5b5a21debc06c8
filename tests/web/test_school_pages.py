"""School staff's pages over Django's test client (journey 5, provider part): programmes and intakes (create, edit,
close), the spreadsheet upload (check, report by row and column, commit), demand for the skills they teach; and the
rules: own institution only (404 for another's), provider staff only (403), field-level 400s, POST-only changes."""
from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.test import Client
from django.utils import timezone

from careers.models import Institution, Intake, Programme, User
from careers.selectors.market import MarketScope, insight_skill_ids, skill_demand_supply
from careers.spreadsheets.columns import COLUMNS
from tests.web.conftest import signed_in
from web.forms_school import MSG_DEADLINE_AFTER_START

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_world")]


def text(response) -> str:
    return response.content.decode()


def institution_of(username: str) -> Institution:
    return Institution.objects.get(staff__user__username=username)


def other_programme() -> Programme:
    """A programme of Ventspils tehnikums (provider.ventspils), not of provider.vtech's school."""
    programme = Programme.objects.filter(institution=institution_of("provider.ventspils"), intakes__isnull=False).first()
    assert programme.institution != institution_of("provider.vtech")
    return programme


def programme_data(**extra) -> dict:
    data = {"name_lv": "Metālapstrāde CNC", "name_en": "CNC metalworking", "kind": "continuing_course",
            "eqf_level": 3, "duration_months": 4, "languages": ["lv"], "mode": "evening", "cost_eur": "450,00",
            "cost_period": "total", "voucher_eligible": "on", "min_education": 2, "skills_taught": ""}
    data.update(extra)
    return data


# ------------------------------------------------------------------------------------------- who may
@pytest.mark.parametrize("username", ["welder.ventspils", "employer.valmiera", "counsellor.valmiera"])
def test_people_who_are_not_provider_staff_get_403(username):
    client = signed_in(username)
    assert client.get("/school/").status_code == 403
    assert client.get("/school/upload/programmes/").status_code == 403
    assert client.get("/school/demand/").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in():
    assert Client().get("/school/")["Location"].startswith("/signin/")


@pytest.mark.parametrize("path", ["/school/programmes/{pk}/edit/", "/school/programmes/{pk}/intakes/new/"])
def test_another_institutions_programme_is_404(path):
    programme = other_programme()
    assert signed_in("provider.vtech").get(path.format(pk=programme.pk)).status_code == 404
    assert signed_in("provider.ventspils").get(path.format(pk=programme.pk)).status_code == 200


def test_another_institutions_programme_cannot_be_closed_nor_its_intakes():
    programme = other_programme()
    intake = programme.intakes.first()
    client = signed_in("provider.vtech")
    assert client.post(f"/school/programmes/{programme.pk}/active/", {"active": "0"}).status_code == 404
    assert client.get(f"/school/intakes/{intake.pk}/edit/").status_code == 404
    assert client.post(f"/school/intakes/{intake.pk}/close/").status_code == 404
    programme.refresh_from_db()
    assert programme.is_active and Intake.objects.get(pk=intake.pk).application_deadline == intake.application_deadline


def test_the_institution_page_lists_only_its_own_programmes():
    body = text(signed_in("provider.vtech").get("/school/"))
    own = institution_of("provider.vtech")
    assert all(f'id="programme-{p.pk}"' in body for p in own.programmes.all())
    assert f'id="programme-{other_programme().pk}"' not in body


# ------------------------------------------------------------------------------------------- programmes, intakes
def test_a_programme_is_created_edited_and_closed():
    client = signed_in("provider.vtech")
    response = client.post("/school/programmes/new/", programme_data(skills_taught="metināšana"))
    assert response.status_code == 302
    programme = Programme.objects.get(name_en="CNC metalworking", institution=institution_of("provider.vtech"))
    assert programme.voucher_eligible and str(programme.cost_eur) == "450.00" and programme.skills_taught.count() == 1
    client.post(f"/school/programmes/{programme.pk}/edit/", programme_data(duration_months=6))
    programme.refresh_from_db()
    assert programme.duration_months == 6
    assert client.get(f"/school/programmes/{programme.pk}/active/").status_code == 405
    client.post(f"/school/programmes/{programme.pk}/active/", {"active": "0"})
    programme.refresh_from_db()
    assert not programme.is_active


def test_bad_programme_input_is_400_beside_the_field():
    client = signed_in("provider.vtech")
    before = Programme.objects.count()
    response = client.post("/school/programmes/new/", programme_data(eqf_level=12, languages=[],
                                                                     skills_taught="no such skill xyz"))
    body = text(response)
    assert response.status_code == 400 and 'id="error-summary"' in body
    assert 'id="id_eqf_level_error"' in body and 'id="id_skills_taught_error"' in body
    assert 'id="id_languages_error"' in body
    assert Programme.objects.count() == before


def test_an_intake_is_added_edited_and_its_applications_closed():
    programme = institution_of("provider.vtech").programmes.filter(is_active=True).first()
    client = signed_in("provider.vtech")
    start = timezone.localdate() + dt.timedelta(days=200)
    data = {"start_date": start.isoformat(), "application_deadline": (start + dt.timedelta(days=3)).isoformat(),
            "seats": 12, "funded_seats": 4}
    response = client.post(f"/school/programmes/{programme.pk}/intakes/new/", data)
    assert response.status_code == 400 and str(MSG_DEADLINE_AFTER_START) in text(response)
    data["application_deadline"] = (start - dt.timedelta(days=10)).isoformat()
    assert client.post(f"/school/programmes/{programme.pk}/intakes/new/", data).status_code == 302
    intake = programme.intakes.get(start_date=start)
    client.post(f"/school/intakes/{intake.pk}/edit/", {**data, "seats": 20})
    intake.refresh_from_db()
    assert intake.seats == 20
    client.post(f"/school/intakes/{intake.pk}/close/")
    intake.refresh_from_db()
    assert intake.application_deadline < timezone.localdate()


# ------------------------------------------------------------------------------------------- upload
def _csv(rows: list[dict]) -> io.BytesIO:
    headers = [c.en for c in COLUMNS["programmes"]]
    lines = [";".join(headers)] + [";".join(row.get(h, "") for h in headers) for row in rows]
    data = io.BytesIO("\n".join(lines).encode("utf-8"))
    data.name = "programmes.csv"
    return data


def _row(code: str, eqf: str) -> dict:
    return {"code": code, "name in Latvian": f"Kurss {code}", "name in English": f"Course {code}",
            "kind": "continuing_course", "EQF level": eqf, "duration in months": "3", "languages of instruction": "lv",
            "mode": "evening"}


def test_an_upload_with_an_error_is_reported_by_row_and_column_then_fixed_and_committed():
    client = signed_in("provider.vtech")
    own = institution_of("provider.vtech")
    before = own.programmes.count()
    response = client.post("/school/upload/programmes/", {"action": "check",
                                                          "file": _csv([_row("K1", "3"), _row("K2", "trīs")])})
    body = text(response)
    assert response.status_code == 200 and "<td>3</td><td>EKI līmenis</td>" in body and 'name="token"' not in body
    response = client.post("/school/upload/programmes/", {"action": "check",
                                                          "file": _csv([_row("K1", "3"), _row("K2", "4")])})
    token = re.findall(r'name="token" value="([0-9a-f]+)"', text(response))[0]
    assert own.programmes.count() == before
    assert client.post("/school/upload/programmes/", {"action": "commit", "token": token}).status_code == 302
    assert own.programmes.count() == before + 2
    assert set(own.programmes.filter(import_code__in=["K1", "K2"]).values_list("eqf_level", flat=True)) == {3, 4}


def test_an_intake_row_cannot_name_another_institutions_programme():
    other = other_programme()
    headers = [c.en for c in COLUMNS["intakes"]]
    start = timezone.localdate() + dt.timedelta(days=100)
    row = {"code": "I1", "programme": str(other.pk), "start date": start.strftime("%d.%m.%Y"),
           "application deadline": (start - dt.timedelta(days=5)).strftime("%d.%m.%Y"), "seats": "10"}
    data = io.BytesIO((";".join(headers) + "\n" + ";".join(row.get(h, "") for h in headers)).encode())
    data.name = "intakes.csv"
    before = other.intakes.count()
    body = text(signed_in("provider.vtech").post("/school/upload/intakes/", {"action": "check", "file": data}))
    assert "<td>2</td>" in body and 'name="token"' not in body
    assert other.intakes.count() == before


def test_an_unknown_upload_kind_is_404():
    assert signed_in("provider.vtech").get("/school/upload/vacancies/").status_code == 404


# ------------------------------------------------------------------------------------------- demand
def test_demand_shows_only_the_skills_the_institution_teaches():
    user = User.objects.get(username="provider.vtech")
    report = skill_demand_supply(viewer=user, scope=MarketScope(area="all"), language="lv")
    taught = insight_skill_ids(viewer=user)
    assert report["rows"] and {row["skill"]["id"] for row in report["rows"]} <= taught
    body = text(signed_in("provider.vtech").get("/school/demand/"))
    for row in report["rows"][:30]:
        assert row["skill"]["label"] in body


def test_a_bad_area_is_a_field_error():
    response = signed_in("provider.vtech").get("/school/demand/?area=riga")
    assert response.status_code == 400 and 'id="id_area_error"' in text(response)
