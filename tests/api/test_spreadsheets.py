"""Spreadsheets in (issue 13): templates, dry runs, all-or-nothing commits, encodings, hostile files, ownership."""
from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from careers.models import Intake, Programme, Role, Vacancy
from careers.spreadsheets.reading import MAX_BYTES
from tests import factories as f

pytestmark = pytest.mark.django_db
NEXT_YEAR = timezone.localdate().year + 1
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def url(kind: str, step: str) -> str:
    return f"/api/v1/imports/{kind}/{step}/"


def client_for(user=None, language: str = "lv") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_authenticate(user)
    return client


def post_csv(client, kind: str, step: str, text: str, *, encoding: str = "utf-8", **query):
    path = url(kind, step) + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
    return client.post(path, data=text.encode(encoding), content_type="text/csv")


def xlsx_bytes(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class Uploaders:
    def __init__(self) -> None:
        self.town = f.TownFactory(name="Valmiera")
        self.institution = f.InstitutionFactory(town=self.town)
        self.other_institution = f.InstitutionFactory(town=self.town)
        self.programme = f.ProgrammeFactory(institution=self.institution, import_code="CNC")
        self.others_programme = f.ProgrammeFactory(institution=self.other_institution, import_code="CNC")
        self.provider = f.ProviderStaffFactory(institution=self.institution).user
        self.employer = f.EmployerFactory(town=self.town)
        self.other_employer = f.EmployerFactory(town=self.town)
        self.member = f.EmployerMemberFactory(employer=self.employer)
        self.skill = f.SkillFactory(label_lv="metināšana", label_en="welding")

    def intakes_csv(self, *rows: str, sep: str = ";") -> str:
        header = sep.join(["kods", "programma", "sākuma datums", "pieteikšanās termiņš", "vietas"])
        return "\n".join([header, *rows]) + "\n"


@pytest.fixture
def u() -> Uploaders:
    return Uploaders()


def good_intake(code: str = "I-1", programme: str = "CNC", day: int = 1) -> str:
    return f"{code};{programme};{day:02d}.09.{NEXT_YEAR};15.08.{NEXT_YEAR};20"


# ----------------------------------------------------------------------------------------------- templates
@pytest.mark.parametrize("language,first", [("lv", "kods"), ("en", "code")])
def test_the_template_has_the_headers_in_the_chosen_language(u, language, first):
    csv = client_for(u.provider).get(url("intakes", "template"), {"format": "csv", "lang": language})
    assert csv.status_code == 200 and csv["Content-Disposition"].endswith('intakes-template.csv"')
    assert csv.content.decode("utf-8-sig").splitlines()[0].split(";")[0] == first
    book = openpyxl.load_workbook(io.BytesIO(client_for(u.member).get(
        url("vacancies", "template"), {"format": "xlsx", "lang": language}).content))
    assert [c.value for c in next(book.active.iter_rows())][0] == first
    columns = client_for(u.member).get(url("vacancies", "template")).json()["columns"]
    assert {"header_lv": "pilsēta", "header_en": "town", "required": True} .items() <= next(
        c for c in columns if c["field"] == "town").items()


# ----------------------------------------------------------------------------------------------- dry run, commit
def test_a_dry_run_checks_every_row_and_writes_nothing(u):
    text = u.intakes_csv(good_intake("I-1"), good_intake("I-2", day=2))
    response = post_csv(client_for(u.provider), "intakes", "dry-run", text)
    assert response.status_code == 200, response.content
    assert response.json() | {"errors": []} == {"kind": "intakes", "dry_run": True, "rows": 2, "created": 2,
                                                 "updated": 0, "written": False, "errors": []}
    assert not Intake.objects.exists()


def test_errors_are_named_by_row_column_and_message_in_the_request_language(u):
    text = u.intakes_csv(good_intake("I-1"), f"I-2;CNC;31.02.{NEXT_YEAR};15.08.{NEXT_YEAR};daudz")
    errors = post_csv(client_for(u.provider, "en"), "intakes", "dry-run", text).json()["errors"]
    assert {(e["row"], e["column"]) for e in errors} == {(3, "start date"), (3, "seats")}
    assert "dd.mm.yyyy" in next(e["message"] for e in errors if e["field"] == "start_date")
    errors_lv = post_csv(client_for(u.provider, "lv"), "intakes", "dry-run", text).json()["errors"]
    date_error = next(e for e in errors_lv if e["field"] == "start_date")
    assert date_error["column"] == "sākuma datums" and "dd.mm.gggg" in date_error["message"]


def test_a_commit_with_one_bad_row_writes_none_and_says_why(u):
    text = u.intakes_csv(good_intake("I-1"), f"I-2;CNC;01.09.{NEXT_YEAR};15.10.{NEXT_YEAR};20")
    response = post_csv(client_for(u.provider, "en"), "intakes", "commit", text)
    assert response.status_code == 400
    rows = response.json()["error"]["fields"]["rows"]
    assert rows == [{"row": 3, "column": "application deadline", "field": "application_deadline",
                     "message": "The application deadline must not be after the start date."}]
    assert not Intake.objects.exists()


def test_a_commit_writes_every_row_and_the_same_file_again_changes_nothing(u):
    text = u.intakes_csv(good_intake("I-1"), good_intake("I-2", day=2))
    first = post_csv(client_for(u.provider), "intakes", "commit", text).json()
    assert (first["created"], first["updated"], first["written"]) == (2, 0, True)
    again = post_csv(client_for(u.provider), "intakes", "commit", text).json()
    assert (again["created"], again["updated"]) == (0, 2)
    assert Intake.objects.filter(programme=u.programme).count() == 2
    changed = u.intakes_csv(good_intake("I-1").replace(";20", ";35"))
    post_csv(client_for(u.provider), "intakes", "commit", changed)
    assert Intake.objects.get(import_code="I-1").seats == 35


def test_two_rows_with_one_code_are_refused(u):
    text = u.intakes_csv(good_intake("I-1"), good_intake("I-1", day=2))
    errors = post_csv(client_for(u.provider, "en"), "intakes", "dry-run", text).json()["errors"]
    assert [(e["row"], e["field"]) for e in errors] == [(3, "code")]


@pytest.mark.parametrize("encoding,bom,sep", [("utf-8", "", ";"), ("utf-8", "\ufeff", ","), ("cp1257", "", ";")])
def test_latvian_files_come_in_utf8_with_or_without_bom_and_windows_1257_with_either_separator(u, encoding, bom,
                                                                                               sep):
    text = bom + u.intakes_csv(good_intake("Ā-1").replace(";", sep), sep=sep)
    response = post_csv(client_for(u.provider), "intakes", "commit", text, encoding=encoding)
    assert response.status_code == 200, response.content
    assert Intake.objects.get().import_code == "Ā-1"
    assert Intake.objects.get().start_date == dt.date(NEXT_YEAR, 9, 1)


def test_programmes_from_xlsx_with_latvian_numbers_booleans_and_skill_names(u):
    rows = [["kods", "nosaukums latviski", "nosaukums angliski", "veids", "EKI līmenis", "ilgums mēnešos",
             "mācību valodas", "mācību forma", "maksa EUR", "valsts budžeta vietas", "apgūstamās prasmes"],
            ["MET-2", "Metināšana II", "Welding II", "continuing-education course", 3, 6, "lv; en", "vakara",
             "1 200,50", "jā", "Metināšana"]]
    response = client_for(u.provider).post(url("programmes", "commit"), data=xlsx_bytes(rows), content_type=XLSX)
    assert response.status_code == 200, response.content
    programme = Programme.objects.get(import_code="MET-2")
    assert programme.institution == u.institution and str(programme.cost_eur) == "1200.50"
    assert programme.state_funded_places and programme.languages == ["lv", "en"]
    assert list(programme.skills_taught.all()) == [u.skill] and programme.mode == "evening"


def test_vacancies_from_a_form_upload_become_the_employers_drafts(u):
    text = ("code,title,description,town,contract kind,hours,salary from EUR,salary to EUR,essential skills,"
            "languages,expires\n"
            f"V-1,Metinātājs,Metināšana ražotnē,Valmiera,permanent,full-time,1400,1900,{u.skill.uri},lv:B2; en:A2,"
            f"31.12.{NEXT_YEAR}\n")
    upload = io.BytesIO(text.encode("utf-8"))
    upload.name = "vakances.csv"
    response = client_for(u.member).post(url("vacancies", "commit"), {"file": upload}, format="multipart")
    assert response.status_code == 200, response.content
    vacancy = Vacancy.objects.get(import_code="V-1")
    assert (vacancy.employer, vacancy.status, vacancy.expires_at) == (u.employer, "draft", dt.date(NEXT_YEAR, 12, 31))
    assert [(s.skill_id, s.essential) for s in vacancy.skill_links.all()] == [(u.skill.pk, True)]
    assert sorted(vacancy.languages.values_list("language", "level")) == [("en", 2), ("lv", 4)]


def test_a_spreadsheet_row_obeys_the_json_bodys_rules(u):
    text = ("code,title,description,town,contract kind,hours,salary from EUR,salary to EUR\n"
            "V-1,Metinātājs,Metināšana,Valmiera,permanent,full_time,1900,1400\n")
    errors = post_csv(client_for(u.member, "en"), "vacancies", "dry-run", text).json()["errors"]
    assert [(e["row"], e["field"], e["message"]) for e in errors] == [
        (2, "salary_max", "salary_min must not be above salary_max.")]


def test_json_rows_are_checked_like_a_file(u):
    rows = [{"code": "I-1", "programme": u.programme.pk, "start_date": f"{NEXT_YEAR}-09-01",
             "application_deadline": f"01.08.{NEXT_YEAR}", "seats": 12}]
    response = client_for(u.provider).post(url("intakes", "commit"), rows, format="json")
    assert response.status_code == 200 and Intake.objects.get().seats == 12


# ----------------------------------------------------------------------------------------------- ownership
def test_an_intake_row_cannot_name_another_institutions_programme(u):
    text = u.intakes_csv(good_intake("I-1", programme=str(u.others_programme.pk)))
    response = post_csv(client_for(u.provider, "en"), "intakes", "commit", text)
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["rows"][0]["field"] == "programme"
    assert not Intake.objects.exists()
    post_csv(client_for(u.provider), "intakes", "commit", u.intakes_csv(good_intake("I-1")))
    assert Intake.objects.get().programme == u.programme  # the code "CNC" is the provider's own programme's


def test_a_provider_imports_programmes_only_for_its_own_institution(u):
    text = ("kods;nosaukums latviski;nosaukums angliski;veids;EKI līmenis;ilgums mēnešos;mācību valodas;mācību forma\n"
            "P-1;Kurss;Course;continuing_course;3;3;lv;evening\n")
    refused = post_csv(client_for(u.provider), "programmes", "commit", text, institution=u.other_institution.pk)
    assert refused.status_code == 400 and "institution" in refused.json()["error"]["fields"]
    assert post_csv(client_for(u.provider), "programmes", "commit", text).status_code == 200
    assert Programme.objects.get(import_code="P-1").institution == u.institution


def test_an_employer_imports_vacancies_only_for_its_own_employer(u):
    text = ("code;title;description;town;contract kind;hours;salary from EUR;salary to EUR\n"
            "V-1;Pavārs;Virtuve;Valmiera;permanent;shifts;1000;1200\n")
    refused = post_csv(client_for(u.member), "vacancies", "commit", text, employer=u.other_employer.pk)
    assert refused.status_code == 400 and "employer" in refused.json()["error"]["fields"]
    assert not Vacancy.objects.exists()
    staff = post_csv(client_for(f.AdminUserFactory()), "vacancies", "commit", text, employer=u.other_employer.pk)
    assert staff.status_code == 200 and Vacancy.objects.get().employer == u.other_employer


@pytest.mark.parametrize("kind,role", [("programmes", "employer"), ("intakes", "candidate"),
                                       ("vacancies", "provider"), ("vacancies", "counsellor")])
def test_other_roles_may_not_import_and_no_token_is_401(u, kind, role):
    user = {"employer": u.member, "provider": u.provider, "candidate": f.CandidateFactory().user,
            "counsellor": f.CounsellorFactory().user}[role]
    for step in ("template", "dry-run", "commit"):
        call = client_for(user).get if step == "template" else client_for(user).post
        assert call(url(kind, step)).status_code == 403
        assert (client_for().get if step == "template" else client_for().post)(url(kind, step)).status_code == 401


# ----------------------------------------------------------------------------------------------- hostile files
def _file_error(response) -> str:
    assert response.status_code in (400, 413), response.content
    return " ".join(response.json()["error"]["fields"].get("file", [])) or response.json()["error"]["message"]


def test_a_file_over_the_limit_is_refused(u):
    body = u.intakes_csv(good_intake()).encode() + b"x" * MAX_BYTES
    response = client_for(u.provider).post(url("intakes", "dry-run"), data=body, content_type="text/csv")
    assert response.status_code in (400, 413)
    assert not Intake.objects.exists()


def test_an_xlsx_zip_bomb_is_refused_before_it_is_unpacked(u):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("[Content_Types].xml", "<Types/>")
        bomb.writestr("xl/worksheets/sheet1.xml", b"0" * (120 * 1024 * 1024))
    assert len(out.getvalue()) < 1024 * 1024
    response = client_for(u.provider).post(url("intakes", "commit"), data=out.getvalue(), content_type=XLSX)
    assert "zip bomb" in _file_error(client_for(u.provider, "en").post(
        url("intakes", "commit"), data=out.getvalue(), content_type=XLSX))
    assert response.status_code == 400 and not Intake.objects.exists()


def test_formulas_are_refused_naming_the_cell(u):
    rows = [["kods", "programma", "sākuma datums", "pieteikšanās termiņš", "vietas"],
            ["I-1", "CNC", f"01.09.{NEXT_YEAR}", f"15.08.{NEXT_YEAR}", "=10+10"]]
    message = _file_error(client_for(u.provider, "en").post(url("intakes", "commit"), data=xlsx_bytes(rows),
                                                            content_type=XLSX))
    assert "Row 2" in message and "vietas" in message
    csv = u.intakes_csv(good_intake().replace(";20", ';=HYPERLINK("http://x")'))
    assert "formulas" in _file_error(post_csv(client_for(u.provider, "en"), "intakes", "commit", csv))
    assert not Intake.objects.exists()


@pytest.mark.parametrize("body,expected", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
    (b"PK\x03\x04 not really a zip", ".xlsx"),
    (b"\x00\x00\xff\xfe binary", "UTF-8"),
    ("kods;nav tāda;vietas\nI-1;x;1\n".encode(), "Unknown column"),
    ("kods;programma;vietas\nI-1;x;1\n".encode(), "is missing"),
    (b"", "empty"),
])
def test_unreadable_files_get_a_clear_400_on_file(u, body, expected):
    response = client_for(u.provider, "en").post(url("intakes", "dry-run"), data=body, content_type="text/csv")
    assert response.status_code == 400
    assert expected in _file_error(response) or (body == b"" and "spreadsheet" in _file_error(response))


def test_wrong_types_are_row_errors_and_nothing_is_written(u):
    text = u.intakes_csv(f"I-1;CNC;vakar;15.08.{NEXT_YEAR};divdesmit")
    response = post_csv(client_for(u.provider, "en"), "intakes", "commit", text)
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["error"]["fields"]["rows"]} == {"start_date", "seats"}
    assert not Intake.objects.exists()


def test_an_analyst_may_not_import(u):
    assert client_for(f.UserFactory(role=Role.ANALYST)).post(url("programmes", "dry-run")).status_code == 403


# ----------------------------------------------------------------------------------------------- large files
def test_a_constraint_broken_in_row_7000_is_named_by_row_and_column_and_nothing_is_written(u):
    taken = dt.date(NEXT_YEAR + 30, 1, 1)
    f.IntakeFactory(programme=u.programme, start_date=taken, application_deadline=taken, seats=5)
    first = dt.date(NEXT_YEAR, 1, 1)
    rows = []
    for n in range(2, 7001):  # spreadsheet rows 2 … 7000 (the header is row 1)
        start = taken if n == 7000 else first + dt.timedelta(days=n)
        rows.append(f"I-{n};CNC;{start:%d.%m.%Y};{start:%d.%m.%Y};20")
    response = post_csv(client_for(u.provider, "en"), "intakes", "commit", u.intakes_csv(*rows))
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["rows"] == [{
        "row": 7000, "column": "start date", "field": "start_date",
        "message": "Intake with this Programme and Start date already exists."}]
    assert Intake.objects.count() == 1


def test_a_large_vacancy_file_is_written_whole_with_its_skills_and_languages(u):
    rows = [f"V-{n};Operators {n};Darbs;Valmiera;permanent;full_time;1200;1600;{u.skill.uri};lv:B1"
            for n in range(300)]
    header = "kods;amats;apraksts;pilsēta;līguma veids;darba laiks;alga no EUR;alga līdz EUR;obligātās prasmes;valodas"
    text = "\n".join([header, *rows]) + "\n"
    body = post_csv(client_for(u.member), "vacancies", "commit", text).json()
    assert (body["created"], body["written"]) == (300, True)
    vacancies = Vacancy.objects.filter(employer=u.employer)
    assert vacancies.count() == 300 and {v.status for v in vacancies} == {"draft"}
    assert all(v.updated_at is not None for v in vacancies)
    last = vacancies.get(import_code="V-299")
    assert [(s.skill_id, s.essential) for s in last.skill_links.all()] == [(u.skill.pk, True)]
    assert list(last.languages.values_list("language", "level")) == [("lv", 3)]
    again = post_csv(client_for(u.member), "vacancies", "commit", text.replace(";1600;", ";1700;")).json()
    assert (again["created"], again["updated"]) == (0, 300)
    assert set(vacancies.values_list("salary_max", flat=True)) == {1700}
    assert Vacancy.objects.get(pk=last.pk).skill_links.count() == 1  # replaced, not added to
