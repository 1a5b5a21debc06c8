"""Public catalogue: skills, occupations, towns, institutions, employers, programmes, intakes."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from careers import models as m
from tests import factories as f

pytestmark = pytest.mark.django_db
API = "/api/v1"


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def field_errors(response) -> dict:
    assert response.status_code == 400, response.content
    return response.json()["error"]["fields"]


# --- diacritic- and case-insensitive search -------------------------------------------------


@pytest.mark.parametrize("query", ["metinasana", "Metināšana", "METINĀŠANA", "metin", "welding", "WELD", "elektrometinasana"])
def test_skill_search_ignores_case_and_diacritics(api_client, query):
    welding = f.SkillFactory(label_en="welding", label_lv="metināšana", alt_labels_lv=["elektrometināšana"])
    f.SkillFactory(label_en="drawing", label_lv="zīmēšana")
    assert ids(api_client.get(f"{API}/skills/", {"search": query})) == [welding.id]


def test_skill_search_matches_alternative_labels_in_both_languages(api_client):
    skill = f.SkillFactory(label_en="read engineering drawings", label_lv="rasējumu lasīšana", alt_labels_en=["blueprint reading"])
    assert ids(api_client.get(f"{API}/skills/", {"search": "blueprint"})) == [skill.id]
    assert ids(api_client.get(f"{API}/skills/", {"search": "rasejumu lasisana"})) == [skill.id]


def test_skill_search_ranks_a_skill_with_every_word_before_one_with_some(api_client):
    # Issue 17: a partial match is still offered ("izklājlapu programmatūra" finds "izklājlapas"), below full ones.
    welding = f.SkillFactory(label_en="welding", label_lv="metināšana")
    both = f.SkillFactory(label_en="welding drawings", label_lv="metināšanas zīmēšana")
    assert ids(api_client.get(f"{API}/skills/", {"search": "metinasana zimesana"})) == [both.id, welding.id]


def test_occupation_search_ignores_diacritics(api_client):
    welder = f.OccupationFactory(label_en="welder", label_lv="metinātājs", alt_labels_lv=["elektrometinātājs"])
    f.OccupationFactory(label_en="baker", label_lv="maiznieks")
    assert ids(api_client.get(f"{API}/occupations/", {"search": "METINATAJS"})) == [welder.id]
    assert ids(api_client.get(f"{API}/occupations/", {"search": "elektrometinatajs"})) == [welder.id]


def test_label_follows_accept_language(api_client):
    skill = f.SkillFactory(label_en="welding", label_lv="metināšana")
    lv = api_client.get(f"{API}/skills/{skill.id}/", HTTP_ACCEPT_LANGUAGE="lv").json()
    en = api_client.get(f"{API}/skills/{skill.id}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert (lv["label"], en["label"]) == ("metināšana", "welding")


# --- bad input: a 400 naming the field, never a 500 ------------------------------------------

BAD_QUERIES = [
    ("skills", {"search": "x" * 101}, "search"),
    ("skills", {"skill_type": "xyz"}, "skill_type"),
    ("skills", {"ordering": "password"}, "ordering"),
    ("occupations", {"isco_code": "1" * 9}, "isco_code"),
    ("occupations", {"ordering": "-search_text,label_en"}, "ordering"),
    ("towns", {"search": "v" * 500}, "search"),
    ("institutions", {"town": "abc"}, "town"),
    ("institutions", {"town": "999999"}, "town"),
    ("institutions", {"kind": "castle"}, "kind"),
    ("employers", {"sector": "mining"}, "sector"),
    ("employers", {"town": "-1"}, "town"),
    ("programmes", {"institution": "abc"}, "institution"),
    ("programmes", {"town": "1.5"}, "town"),
    ("programmes", {"kind": "phd"}, "kind"),
    ("programmes", {"eqf_level": "9"}, "eqf_level"),
    ("programmes", {"eqf_level": "-1"}, "eqf_level"),
    ("programmes", {"language": "xx"}, "language"),
    ("programmes", {"mode": "sometimes"}, "mode"),
    ("programmes", {"funding": "free"}, "funding"),
    ("programmes", {"skill": "http://data.europa.eu/esco/skill/none"}, "skill"),
    ("programmes", {"occupation": "not-a-uri"}, "occupation"),
    ("programmes", {"intake_start_after": "yesterday"}, "intake_start_after"),
    ("programmes", {"intake_start_after": "2027-02-01", "intake_start_before": "2027-01-01"}, "intake_start_before"),
    ("intakes", {"programme": "abc"}, "programme"),
    ("intakes", {"upcoming": "perhaps"}, "upcoming"),
    ("intakes", {"start_after": "2027-13-45"}, "start_after"),
    ("intakes", {"ordering": "seats,secret"}, "ordering"),
]


@pytest.mark.parametrize("endpoint,params,field", BAD_QUERIES)
def test_unknown_filter_values_answer_400_with_the_field(api_client, endpoint, params, field):
    f.ProgrammeFactory()
    response = api_client.get(f"{API}/{endpoint}/", params)
    assert field in field_errors(response)
    assert response.json()["error"]["code"]


@pytest.mark.parametrize("endpoint", ["skills", "occupations", "towns", "institutions", "employers", "programmes", "intakes"])
@pytest.mark.parametrize("pk", ["0", "999999999", "99999999999999999999999"])
def test_unknown_or_absurd_ids_answer_404(api_client, endpoint, pk):
    assert api_client.get(f"{API}/{endpoint}/{pk}/").status_code == 404


def test_page_size_is_at_most_100(api_client):
    m.Town.objects.bulk_create(m.Town(name=f"Ciems {n}", latitude=57, longitude=25) for n in range(105))
    body = api_client.get(f"{API}/towns/", {"page_size": 100}).json()
    assert body["count"] == 105 and len(body["results"]) == 100
    response = api_client.get(f"{API}/towns/", {"page_size": 101})
    assert response.status_code == 400 and list(response.json()["error"]["fields"]) == ["page_size"]


@pytest.mark.parametrize("page", ["0", "-1", "abc", "999999"])
def test_bad_page_numbers_are_not_server_errors(api_client, page):
    f.TownFactory()
    assert api_client.get(f"{API}/towns/", {"page": page}).status_code == 404


# --- what the public sees ----------------------------------------------------------------------


def test_employers_lists_verified_employers_only(api_client):
    verified = f.EmployerFactory(verified=True)
    hidden = f.EmployerFactory(verified=False)
    assert ids(api_client.get(f"{API}/employers/")) == [verified.id]
    assert api_client.get(f"{API}/employers/{hidden.id}/").status_code == 404


def test_programmes_hide_inactive_programmes_from_the_public(api_client):
    active = f.ProgrammeFactory()
    inactive = f.ProgrammeFactory(is_active=False)
    assert ids(api_client.get(f"{API}/programmes/")) == [active.id]
    assert api_client.get(f"{API}/programmes/{inactive.id}/").status_code == 404


@pytest.fixture
def programmes():
    valmiera = f.TownFactory(name="Valmiera")
    ventspils = f.TownFactory(name="Ventspils", latitude=57.3894, longitude=21.5606)
    welding = f.SkillFactory(label_en="welding")
    welder = f.OccupationFactory(label_en="welder")
    vtt = f.InstitutionFactory(town=valmiera)
    vvt = f.InstitutionFactory(town=ventspils)
    cnc = f.ProgrammeFactory(institution=vvt, kind=m.ProgrammeKind.CONTINUING_COURSE, eqf_level=3, languages=["lv", "ru"],
                             mode=m.ProgrammeMode.EVENING, voucher_eligible=True)
    cnc.skills_taught.add(welding)
    cnc.leads_to.add(welder)
    it = f.ProgrammeFactory(institution=vtt, kind=m.ProgrammeKind.VOCATIONAL_SECONDARY, eqf_level=4, languages=["lv"],
                            mode=m.ProgrammeMode.FULL_TIME, state_funded_places=True)
    today = timezone.localdate()
    f.IntakeFactory(programme=cnc, start_date=today + dt.timedelta(days=40))
    f.IntakeFactory(programme=it, start_date=today + dt.timedelta(days=200))
    return {"cnc": cnc, "it": it, "vtt": vtt, "vvt": vvt, "ventspils": ventspils, "welding": welding, "welder": welder}


def test_programme_filters(api_client, programmes):
    p = programmes
    today = timezone.localdate()
    cases = [
        ({"institution": p["vvt"].id}, [p["cnc"]]),
        ({"town": p["ventspils"].id}, [p["cnc"]]),
        ({"kind": "vocational_secondary"}, [p["it"]]),
        ({"eqf_level": 4}, [p["it"]]),
        ({"language": "ru"}, [p["cnc"]]),
        ({"language": "lv"}, [p["cnc"], p["it"]]),
        ({"mode": "evening"}, [p["cnc"]]),
        ({"funding": "voucher"}, [p["cnc"]]),
        ({"funding": "state_funded"}, [p["it"]]),
        ({"funding": "cofinanced"}, []),
        ({"skill": p["welding"].uri}, [p["cnc"]]),
        ({"occupation": p["welder"].uri}, [p["cnc"]]),
        ({"intake_start_after": today + dt.timedelta(days=100)}, [p["it"]]),
        ({"intake_start_before": today + dt.timedelta(days=100)}, [p["cnc"]]),
        ({"intake_start_after": today + dt.timedelta(days=50), "intake_start_before": today + dt.timedelta(days=100)}, []),
    ]
    for params, expected in cases:
        assert sorted(ids(api_client.get(f"{API}/programmes/", params))) == sorted(x.id for x in expected), params


def test_intakes_are_upcoming_by_default(api_client):
    today = timezone.localdate()
    past = f.IntakeFactory(start_date=today - dt.timedelta(days=10))
    soon = f.IntakeFactory(start_date=today + dt.timedelta(days=5), application_deadline=today - dt.timedelta(days=1))
    later = f.IntakeFactory(start_date=today + dt.timedelta(days=90))
    assert ids(api_client.get(f"{API}/intakes/")) == [soon.id, later.id]
    assert ids(api_client.get(f"{API}/intakes/", {"upcoming": "false"})) == [past.id, soon.id, later.id]
    assert ids(api_client.get(f"{API}/intakes/", {"open_for_applications": "true"})) == [later.id]


def test_intakes_of_inactive_programmes_are_hidden(api_client):
    f.IntakeFactory(programme=f.ProgrammeFactory(is_active=False))
    assert ids(api_client.get(f"{API}/intakes/")) == []


# --- a fixed number of queries, however many rows --------------------------------------------


def make_catalogue(n: int) -> None:
    for _ in range(n):
        intake = f.IntakeFactory()
        intake.programme.skills_taught.add(f.SkillFactory())
        intake.programme.leads_to.add(f.OccupationFactory())
        f.EmployerFactory()


@pytest.mark.parametrize("endpoint", ["skills", "occupations", "towns", "institutions", "employers", "programmes", "intakes"])
def test_lists_run_a_fixed_number_of_queries(api_client, django_assert_max_num_queries, endpoint):
    make_catalogue(12)
    with django_assert_max_num_queries(6):
        response = api_client.get(f"{API}/{endpoint}/")
    assert response.status_code == 200 and response.json()["count"] >= 1


# --- provider staff manage their institution's programmes and intakes ---------------------------


def staff_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def new_programme(**overrides) -> dict:
    body = {"name_lv": "CNC operators", "name_en": "CNC operator", "kind": "continuing_course", "eqf_level": 3,
            "duration_months": 3, "languages": ["lv", "ru"], "mode": "evening", "cost_eur": "450.00", "voucher_eligible": True}
    body.update(overrides)
    return body


def test_provider_creates_a_programme_for_their_institution():
    staff = f.ProviderStaffFactory()
    skill, occupation = f.SkillFactory(), f.OccupationFactory()
    response = staff_client(staff.user).post(
        f"{API}/programmes/", new_programme(skills_taught=[skill.uri], leads_to=[occupation.uri]), format="json"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["institution"]["id"] == staff.institution_id
    assert [s["uri"] for s in data["skills_taught"]] == [skill.uri] and [o["uri"] for o in data["leads_to"]] == [occupation.uri]
    assert data["languages"] == ["lv", "ru"] and data["voucher_eligible"] is True


def test_provider_cannot_create_for_another_institution():
    staff = f.ProviderStaffFactory()
    other = f.InstitutionFactory()
    response = staff_client(staff.user).post(f"{API}/programmes/", new_programme(institution=other.id), format="json")
    assert "institution" in field_errors(response)
    assert not m.Programme.objects.exists()


def test_provider_sees_own_inactive_programme_others_do_not():
    staff = f.ProviderStaffFactory()
    inactive = f.ProgrammeFactory(institution=staff.institution, is_active=False)
    assert staff_client(staff.user).get(f"{API}/programmes/{inactive.id}/").status_code == 200
    assert staff_client(f.ProviderStaffFactory().user).get(f"{API}/programmes/{inactive.id}/").status_code == 404


BAD_PROGRAMMES = [
    ({"eqf_level": 9}, "eqf_level"),
    ({"eqf_level": "four"}, "eqf_level"),
    ({"duration_months": 0}, "duration_months"),
    ({"duration_months": 10_000}, "duration_months"),
    ({"languages": []}, "languages"),
    ({"languages": ["xx"]}, "languages"),
    ({"languages": ["lv", "lv"]}, "languages"),
    ({"languages": "lv"}, "languages"),
    ({"cost_eur": "-1"}, "cost_eur"),
    ({"cost_eur": "1e12"}, "cost_eur"),
    ({"kind": "phd"}, "kind"),
    ({"name_lv": "x" * 201}, "name_lv"),
    ({"skills_taught": ["http://data.europa.eu/esco/skill/none"]}, "skills_taught"),
    ({"leads_to": "welder"}, "leads_to"),
    ({"institution": "mine"}, "institution"),
]


@pytest.mark.parametrize("overrides,field", BAD_PROGRAMMES)
def test_bad_programme_bodies_answer_400_and_write_nothing(overrides, field):
    staff = f.ProviderStaffFactory()
    response = staff_client(staff.user).post(f"{API}/programmes/", new_programme(**overrides), format="json")
    assert field in field_errors(response)
    assert not m.Programme.objects.exists()


def test_duplicate_programme_is_a_400_not_a_500():
    staff = f.ProviderStaffFactory()
    client = staff_client(staff.user)
    assert client.post(f"{API}/programmes/", new_programme(), format="json").status_code == 201
    assert client.post(f"{API}/programmes/", new_programme(), format="json").status_code == 400
    assert m.Programme.objects.count() == 1


def test_provider_adds_and_edits_intakes_of_own_programmes_only():
    staff = f.ProviderStaffFactory()
    own = f.ProgrammeFactory(institution=staff.institution)
    other = f.ProgrammeFactory()
    client = staff_client(staff.user)
    start = timezone.localdate() + dt.timedelta(days=120)
    body = {"start_date": start, "application_deadline": start - dt.timedelta(days=10), "seats": 16, "funded_seats": 8}
    created = client.post(f"{API}/intakes/", {**body, "programme": own.id}, format="json")
    assert created.status_code == 201, created.content
    assert "programme" in field_errors(client.post(f"{API}/intakes/", {**body, "programme": other.id}, format="json"))
    intake_id = created.json()["id"]
    assert client.patch(f"{API}/intakes/{intake_id}/", {"seats": 20}, format="json").json()["seats"] == 20
    assert "funded_seats" in field_errors(client.patch(f"{API}/intakes/{intake_id}/", {"seats": 4}, format="json"))
    later = (start + dt.timedelta(days=1)).isoformat()
    assert "application_deadline" in field_errors(
        client.patch(f"{API}/intakes/{intake_id}/", {"application_deadline": later}, format="json")
    )
    assert client.patch(f"{API}/intakes/{f.IntakeFactory().id}/", {"seats": 3}, format="json").status_code == 404


@pytest.mark.parametrize("body,field", [
    ({"seats": 0}, "seats"), ({"seats": 10**7}, "seats"), ({"seats": "many"}, "seats"), ({"funded_seats": -1}, "funded_seats"),
    ({"start_date": "someday"}, "start_date"), ({"programme": "abc"}, "programme"), ({"programme": 2**70}, "programme"),
])
def test_bad_intake_bodies_answer_400(body, field):
    staff = f.ProviderStaffFactory()
    programme = f.ProgrammeFactory(institution=staff.institution)
    start = timezone.localdate() + dt.timedelta(days=60)
    full = {"programme": programme.id, "start_date": start, "application_deadline": start, "seats": 10, **body}
    assert field in field_errors(staff_client(staff.user).post(f"{API}/intakes/", full, format="json"))
    assert not m.Intake.objects.exists()
