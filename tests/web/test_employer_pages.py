"""The employer pages over Django's test client (journey 3): posting with suggestions, preview and publish, ranked
candidates without contact details, the applicants' pipeline, missing skills, the vacancy spreadsheet; and the
rules: own organisation only (404 for another's), members only (403), field-level 400s, CSRF, POST-only moves."""
from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from openpyxl import load_workbook

from careers.models import Application, Employer, Skill, Town, User, Vacancy
from careers.selectors.market import employer_missing_skills
from careers.services.vacancies import MSG_UNVERIFIED
from careers.spreadsheets.columns import COLUMNS
from tests.web.conftest import signed_in
from web.forms_employer import MSG_REASON_REQUIRED, MSG_SALARY_RANGE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_world")]

TITLE = "Metinātājs"
DESCRIPTION = "Metināšana ar MIG/MAG, rasējumu lasīšana un darbs ar CNC darbgaldu."


def text(response) -> str:
    return response.content.decode()


def employer_of(username: str) -> Employer:
    return Employer.objects.get(members__username=username)


def other_vacancy(username: str) -> Vacancy:
    """An open vacancy of employer.ventspils's organisation (not ``username``'s)."""
    vacancy = Vacancy.objects.filter(employer=employer_of("employer.ventspils"), status="open").first()
    assert vacancy.employer != employer_of(username)
    return vacancy


def suggested(client: Client, **extra) -> tuple[str, list[str], str]:
    response = client.post("/employer/vacancies/suggest/", {"title": TITLE, "description": DESCRIPTION, **extra})
    assert response.status_code == 200
    body = text(response)
    return (re.findall(r'name="occupation" value="([^"]+)"', body)[0],
            re.findall(r'name="skill" value="([^"]+)" id="skill-\d+" checked', body), body)


def posting(occupation: str, skills: list[str], **extra) -> dict:
    data = {"action": "save", "title": TITLE, "description": DESCRIPTION, "text_language": "lv",
            "occupation": occupation, "town": Town.objects.get(name="Valmiera").pk, "work_arrangement": "on_site",
            "contract_kind": "permanent", "hours": "full_time", "salary_min": 1200, "salary_max": 1600,
            "min_education": 0, "min_age": 18, "places": 2, "lang_lv": 3, "skill": skills, "seen": skills}
    data.update(extra)
    return data


# ------------------------------------------------------------------------------------------- who may
def test_anonymous_visitors_are_sent_to_sign_in():
    response = Client().get("/employer/")
    assert response.status_code == 302 and response["Location"].startswith("/signin/")


@pytest.mark.parametrize("username", ["welder.ventspils", "provider.vtech", "counsellor.valmiera"])
def test_people_who_are_not_employer_members_get_403(username):
    client = signed_in(username)
    assert client.get("/employer/").status_code == 403
    assert client.get("/employer/vacancies/new/").status_code == 403
    assert client.post("/employer/vacancies/suggest/", {"title": TITLE}).status_code == 403


@pytest.mark.parametrize("path", ["/employer/vacancies/{pk}/", "/employer/vacancies/{pk}/edit/",
                                  "/employer/vacancies/{pk}/candidates/", "/employer/vacancies/{pk}/applicants/"])
def test_another_employers_vacancy_is_404(path):
    vacancy = other_vacancy("employer.valmiera")
    assert signed_in("employer.valmiera").get(path.format(pk=vacancy.pk)).status_code == 404
    assert signed_in("employer.ventspils").get(path.format(pk=vacancy.pk)).status_code == 200


def test_another_employers_vacancy_cannot_be_published_or_closed():
    vacancy = other_vacancy("employer.valmiera")
    response = signed_in("employer.valmiera").post(f"/employer/vacancies/{vacancy.pk}/status/", {"status": "closed"})
    assert response.status_code == 404
    vacancy.refresh_from_db()
    assert vacancy.status == "open"


def test_another_employers_applicant_cannot_be_moved():
    own = employer_of("employer.valmiera")
    application = Application.objects.exclude(vacancy__employer=own).filter(
        vacancy__isnull=False, status__in=["submitted", "viewed"]).first()
    response = signed_in("employer.valmiera").post(f"/employer/applications/{application.pk}/move/",
                                                   {"status": "shortlisted"})
    assert response.status_code == 404
    before = application.status
    application.refresh_from_db()
    assert application.status == before


def test_the_organisation_page_lists_only_its_own_vacancies():
    own = employer_of("employer.valmiera")
    body = text(signed_in("employer.valmiera").get("/employer/"))
    assert own.name in body
    for vacancy in Vacancy.objects.exclude(employer=own)[:20]:
        assert f"/employer/vacancies/{vacancy.pk}/" not in body
    assert all(f"/employer/vacancies/{v.pk}/" in body for v in own.vacancies.all())


# ------------------------------------------------------------------------------------------- posting
def test_suggestions_propose_an_occupation_and_skills_with_the_words_that_suggested_them():
    occupation, skills, body = suggested(signed_in("employer.valmiera"))
    assert occupation.startswith("http://data.europa.eu/esco/occupation/")
    assert skills and "<mark>" in body and "rasējumu lasīšana" in body


def test_a_removed_suggestion_stays_removed_as_one_types_on():
    client = signed_in("employer.valmiera")
    _occupation, skills, _body = suggested(client)
    removed, kept = skills[0], skills[1:]
    _occupation, again, _body = suggested(client, seen=skills, skill=kept)
    assert removed not in again and set(kept) <= set(again)


def test_a_skill_found_by_search_can_be_added():
    client = signed_in("employer.valmiera")
    body = text(client.post("/employer/vacancies/suggest/", {"title": TITLE, "skill_q": "metinasana"}))
    found = re.findall(r'name="skill" value="([^"]+)" id="add-\d+"', body)
    assert found and all(Skill.objects.filter(uri=u).exists() for u in found)


def test_posting_saves_a_draft_with_the_kept_skills_occupation_and_languages():
    client = signed_in("employer.valmiera")
    occupation, skills, _body = suggested(client)
    essential_off = {f"essential:{skills[0]}": "0"}
    response = client.post("/employer/vacancies/new/", posting(occupation, skills, **essential_off))
    assert response.status_code == 302
    vacancy = Vacancy.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert vacancy.status == "draft" and vacancy.employer == employer_of("employer.valmiera")
    assert vacancy.occupation.uri == occupation
    links = {link.skill.uri: link.essential for link in vacancy.skill_links.select_related("skill")}
    assert set(links) == set(skills) and links[skills[0]] is False
    assert [(l.language, l.level) for l in vacancy.languages.all()] == [("lv", 3)]


def test_bad_input_answers_400_with_the_message_beside_the_field_and_writes_nothing():
    client = signed_in("employer.valmiera")
    before = Vacancy.objects.count()
    response = client.post("/employer/vacancies/new/", posting("", [], salary_min="", salary_max=900, min_age=5))
    body = text(response)
    assert response.status_code == 400 and 'id="error-summary"' in body
    assert 'id="id_salary_min_error"' in body and 'id="id_min_age_error"' in body
    response = client.post("/employer/vacancies/new/", posting("", [], salary_min=1500, salary_max=900))
    assert response.status_code == 400 and str(MSG_SALARY_RANGE) in text(response)
    response = client.post("/employer/vacancies/new/", posting("not-a-uri", []))
    assert response.status_code == 400 and 'id="id_occupation_error"' in text(response)
    assert Vacancy.objects.count() == before


def test_an_unverified_employer_sees_why_it_cannot_publish_and_publishing_is_refused():
    client = signed_in("employer.unverified")
    occupation, skills, _body = suggested(client)
    response = client.post("/employer/vacancies/new/", posting(occupation, skills))
    page = response["Location"]
    body = text(client.get(page))
    assert str(MSG_UNVERIFIED) in body and "/status/" not in body
    pk = int(page.rstrip("/").split("/")[-1])
    client.post(f"/employer/vacancies/{pk}/status/", {"status": "open"})
    assert Vacancy.objects.get(pk=pk).status == "draft"


def test_a_verified_employer_publishes_and_closes_and_state_changes_are_post_only():
    client = signed_in("employer.valmiera")
    occupation, skills, _body = suggested(client)
    pk = int(client.post("/employer/vacancies/new/", posting(occupation, skills))["Location"].rstrip("/").split("/")[-1])
    assert client.get(f"/employer/vacancies/{pk}/status/").status_code == 405
    client.post(f"/employer/vacancies/{pk}/status/", {"status": "open"})
    assert Vacancy.objects.get(pk=pk).status == "open"
    client.post(f"/employer/vacancies/{pk}/status/", {"status": "closed"})
    assert Vacancy.objects.get(pk=pk).status == "closed"


def test_forms_refuse_a_post_without_the_csrf_token():
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(username="employer.valmiera"))
    occupation = "http://data.europa.eu/esco/occupation/x"
    assert client.post("/employer/vacancies/new/", posting(occupation, [])).status_code == 403


# ------------------------------------------------------------------------------------------- candidates
def test_ranked_candidates_are_explained_and_show_no_contact_details_until_they_apply():
    own = employer_of("employer.valmiera")
    vacancy = Vacancy.objects.public().filter(employer=own).first()
    response = signed_in("employer.valmiera").get(f"/employer/vacancies/{vacancy.pk}/candidates/")
    body = text(response)
    assert response.status_code == 200 and body.count("Būtiskās prasmes, kas ir") >= 1
    applied = set(Application.objects.filter(vacancy__employer=own).exclude(status="withdrawn")
                  .values_list("candidate__user__email", flat=True))
    for user in User.objects.filter(role="candidate").exclude(email__in=applied):
        assert user.email not in body


# ------------------------------------------------------------------------------------------- pipeline
def _open_application(username: str) -> Application:
    return Application.objects.filter(vacancy__employer=employer_of(username),
                                      status__in=["submitted", "viewed"]).first()


def test_rejecting_asks_for_the_reason_and_keeps_it():
    application = _open_application("employer.valmiera")
    client = signed_in("employer.valmiera")
    response = client.post(f"/employer/applications/{application.pk}/move/", {"status": "rejected"})
    assert response.status_code == 400 and str(MSG_REASON_REQUIRED) in text(response)
    application.refresh_from_db()
    assert application.status in ("submitted", "viewed")
    client.post(f"/employer/applications/{application.pk}/move/",
                {"status": "rejected", "reason": "language", "note": "Vajag B2"})
    application.refresh_from_db()
    assert (application.status, application.rejection_reason, application.rejection_note) == \
        ("rejected", "language", "Vajag B2")


def test_shortlist_then_hire_moves_through_the_pipeline():
    application = _open_application("employer.valmiera")
    client = signed_in("employer.valmiera")
    client.post(f"/employer/applications/{application.pk}/move/", {"status": "shortlisted"})
    application.refresh_from_db()
    assert application.status == "shortlisted"
    body = text(client.get(f"/employer/vacancies/{application.vacancy_id}/applicants/"))
    assert application.candidate.user.email in body  # an applicant's contact is shown
    response = client.post(f"/employer/applications/{application.pk}/move/", {"status": "hired"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "hired"
    response = client.post(f"/employer/applications/{application.pk}/move/", {"status": "shortlisted"})
    assert response.status_code == 400  # a final status moves no further; the message is beside the field


def test_a_bad_move_is_a_field_error_not_a_500():
    application = _open_application("employer.valmiera")
    response = signed_in("employer.valmiera").post(f"/employer/applications/{application.pk}/move/",
                                                   {"status": "enrolled"})
    assert response.status_code == 400 and 'id="error-summary"' in text(response)


# ------------------------------------------------------------------------------------------- insight, upload
def test_the_missing_skills_page_shows_the_report_of_its_own_employer():
    own = employer_of("employer.valmiera")
    report = employer_missing_skills(employer=own, language="en", top=10)
    client = signed_in("employer.valmiera")
    client.post("/language/", {"language": "en", "next": "/"})
    body = text(client.get("/employer/missing-skills/"))
    assert f"{report['open_vacancies']} open vacanc" in body
    for row in report["rows"]:
        assert row["skill"]["label"] in body


def _csv(rows: list[list[str]]) -> io.BytesIO:
    headers = [c.lv for c in COLUMNS["vacancies"]]
    lines = [";".join(headers)] + [";".join(row) for row in rows]
    data = io.BytesIO("\n".join(lines).encode("utf-8"))
    data.name = "vakances.csv"
    return data


def _row(code: str, salary_max: str) -> list[str]:
    cells = {"kods": code, "amats": "Noliktavas darbinieks", "apraksts": "Preču pieņemšana", "pilsēta": "Valmiera",
             "līguma veids": "permanent", "darba laiks": "full_time", "alga no EUR": "1000",
             "alga līdz EUR": salary_max}
    return [cells.get(c.lv, "") for c in COLUMNS["vacancies"]]


def test_the_template_is_an_xlsx_with_the_headers_in_the_page_language():
    response = signed_in("employer.valmiera").get("/employer/upload/template/")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == [c.lv for c in COLUMNS["vacancies"]]


def test_an_upload_with_an_error_writes_nothing_and_names_the_row_and_column_then_the_fixed_file_commits():
    client = signed_in("employer.valmiera")
    own = employer_of("employer.valmiera")
    before = own.vacancies.count()
    response = client.post("/employer/upload/", {"action": "check", "file": _csv([_row("N1", "1200"),
                                                                                  _row("N2", "abc")])})
    body = text(response)
    assert response.status_code == 200 and "<td>3</td><td>alga līdz EUR</td>" in body
    assert 'name="token"' not in body and own.vacancies.count() == before
    response = client.post("/employer/upload/", {"action": "check", "file": _csv([_row("N1", "1200"),
                                                                                  _row("N2", "1300")])})
    token = re.findall(r'name="token" value="([0-9a-f]+)"', text(response))[0]
    assert own.vacancies.count() == before
    assert client.post("/employer/upload/", {"action": "commit", "token": "0" * 64}).status_code == 302
    assert own.vacancies.count() == before
    response = client.post("/employer/upload/", {"action": "commit", "token": token})
    assert response.status_code == 302
    assert set(own.vacancies.filter(import_code__in=["N1", "N2"]).values_list("status", flat=True)) == {"draft"}
    assert own.vacancies.count() == before + 2


def test_an_unreadable_upload_is_a_field_error():
    data = io.BytesIO(b"\xd0\xcf\x11\xe0old xls")
    data.name = "old.xls"
    response = signed_in("employer.valmiera").post("/employer/upload/", {"action": "check", "file": data})
    assert response.status_code == 400 and 'id="id_file_error"' in text(response)
