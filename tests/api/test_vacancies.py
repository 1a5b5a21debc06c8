"""Vacancies: the public listing and its filters, distances, and the employer's draft → open → closed flow."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from careers.selectors import geo
from careers import models as m
from careers.services.vacancies import MSG_UNVERIFIED
from tests import factories as f

pytestmark = pytest.mark.django_db
API = "/api/v1"
TODAY = timezone.localdate


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def field_errors(response) -> dict:
    assert response.status_code == 400, response.content
    return response.json()["error"]["fields"]


@pytest.fixture
def towns():
    valmiera = f.TownFactory(name="Valmiera")
    cesis = f.TownFactory(name="Cēsis", latitude=57.31188, longitude=25.27456)
    ventspils = f.TownFactory(name="Ventspils", latitude=57.3894, longitude=21.5606)
    return valmiera, cesis, ventspils


# --- geo ---------------------------------------------------------------------------------------


def test_great_circle_distance_known_answer():
    # Riga (56.9496, 24.1052) – Tallinn (59.4370, 24.7536): about 279 km as the crow flies.
    km = geo.great_circle_km(lat1=56.9496, lon1=24.1052, lat2=59.4370, lon2=24.7536)
    assert 275 < km < 283


def test_road_distance_is_used_where_known_and_estimate_elsewhere(towns):
    valmiera, cesis, ventspils = towns
    estimate = geo.estimated_road_km(valmiera, cesis)
    assert 33 < estimate < 36  # 26.6 km great circle × 1.3
    assert geo.distances_from(town=valmiera)[cesis.id] == pytest.approx(estimate)
    f.TownDistanceFactory(from_town=valmiera, to_town=cesis, road_km=32)
    assert geo.distances_from(town=valmiera)[cesis.id] == 32
    assert geo.distances_from(town=cesis)[valmiera.id] == 32  # stored once, read both ways
    assert set(geo.town_ids_within(town=valmiera, radius_km=33)) == {valmiera.id, cesis.id}
    assert set(geo.town_ids_within(town=valmiera, radius_km=31)) == {valmiera.id}


def test_near_filter_uses_road_distance_then_the_estimate(api_client, towns):
    valmiera, cesis, ventspils = towns
    here = f.VacancyFactory(town=valmiera)
    there = f.VacancyFactory(town=cesis)
    f.VacancyFactory(town=ventspils)
    # Without a stored road distance the estimate (≈34.6 km) is over 33 km ...
    assert set(ids(api_client.get(f"{API}/vacancies/", {"near": valmiera.id, "radius_km": 33}))) == {here.id}
    # ... with the real road distance (32 km) Cēsis is in.
    f.TownDistanceFactory(from_town=valmiera, to_town=cesis, road_km=32)
    assert set(ids(api_client.get(f"{API}/vacancies/", {"near": valmiera.id, "radius_km": 33}))) == {here.id, there.id}
    assert len(ids(api_client.get(f"{API}/vacancies/", {"near": valmiera.id, "radius_km": 500}))) == 3


# --- the public listing ------------------------------------------------------------------------


def test_public_list_shows_open_unexpired_vacancies_of_verified_employers_only(api_client):
    shown = f.VacancyFactory()
    f.VacancyFactory(status=m.Vacancy.Status.DRAFT, published_at=None, expires_at=None)
    f.VacancyFactory(status=m.Vacancy.Status.CLOSED)
    f.VacancyFactory(published_at=TODAY() - dt.timedelta(days=40), expires_at=TODAY() - dt.timedelta(days=1))
    f.VacancyFactory(employer=f.EmployerFactory(verified=False))
    assert ids(api_client.get(f"{API}/vacancies/")) == [shown.id]


def test_vacancy_filters(api_client, towns):
    valmiera, cesis, _ = towns
    welding, drawing = f.SkillFactory(), f.SkillFactory()
    welder = f.OccupationFactory()
    a = f.VacancyFactory(town=valmiera, occupation=welder, contract_kind="permanent", hours="full_time", salary_min=1000, salary_max=1500)
    b = f.VacancyFactory(town=cesis, contract_kind="summer_job", hours="part_time", salary_min=800, salary_max=900,
                         work_arrangement="hybrid", title="Vasaras darbs kafejnīcā")
    f.VacancySkillFactory(vacancy=a, skill=welding)
    f.VacancySkillFactory(vacancy=b, skill=drawing)
    f.VacancySkillFactory(vacancy=b, skill=welding, essential=False)
    f.VacancyLanguageFactory(vacancy=a, language="ru")
    f.VacancyLanguageFactory(vacancy=b, language="en")
    cases = [
        ({"town": cesis.id}, {b}),
        ({"occupation": welder.uri}, {a}),
        ({"skill": welding.uri}, {a, b}),
        ({"skill": drawing.uri}, {b}),
        ({"contract_kind": "summer_job"}, {b}),
        ({"hours": "full_time"}, {a}),
        ({"work_arrangement": "hybrid"}, {b}),
        ({"min_salary": 1200}, {a}),
        ({"min_salary": 900}, {a, b}),
        ({"language": "ru"}, {a}),
        ({"search": "kafejn"}, {b}),
        ({"search": "KAFEJNICA vasaras"}, {b}),  # no diacritics, any case, every word
        ({"search": "kafejnīcā ziema"}, set()),
        ({"employer": a.employer_id}, {a}),
    ]
    for params, expected in cases:
        assert ids(api_client.get(f"{API}/vacancies/", params)) == [v.id for v in sorted(expected, key=lambda v: -v.id)], params


BAD_FILTERS = [
    ({"contract_kind": "xyz"}, "contract_kind"),
    ({"hours": "always"}, "hours"),
    ({"town": "abc"}, "town"),
    ({"town": "99999999"}, "town"),
    ({"near": "abc", "radius_km": "10"}, "near"),
    ({"near": "1"}, "radius_km"),
    ({"radius_km": "10"}, "near"),
    ({"near": "1", "radius_km": "-5"}, "radius_km"),
    ({"near": "1", "radius_km": "1e9"}, "radius_km"),
    ({"near": "1", "radius_km": "ten"}, "radius_km"),
    ({"min_salary": "-1"}, "min_salary"),
    ({"min_salary": "99999999999"}, "min_salary"),
    ({"min_salary": "lots"}, "min_salary"),
    ({"language": "klingon"}, "language"),
    ({"skill": "http://data.europa.eu/esco/skill/unknown"}, "skill"),
    ({"occupation": "x" * 300}, "occupation"),
    ({"status": "deleted"}, "status"),
    ({"mine": "maybe"}, "mine"),
    ({"search": "ā" * 101}, "search"),
    ({"ordering": "employer__members"}, "ordering"),
]


@pytest.mark.parametrize("params,field", BAD_FILTERS)
def test_bad_vacancy_filters_answer_400_with_the_field(api_client, towns, params, field):
    params = {k: (str(towns[0].id) if v == "1" else v) for k, v in params.items()}
    assert field in field_errors(api_client.get(f"{API}/vacancies/", params))


def test_unverified_employer_cannot_be_used_as_a_filter_to_probe_it(api_client):
    hidden = f.EmployerFactory(verified=False)
    assert "employer" in field_errors(api_client.get(f"{API}/vacancies/", {"employer": hidden.id}))
    assert "employer" in field_errors(api_client.get(f"{API}/vacancies/", {"employer": 99999999}))


def test_vacancy_list_runs_a_fixed_number_of_queries(api_client, django_assert_max_num_queries):
    for _ in range(15):
        vacancy = f.VacancyFactory()
        f.VacancySkillFactory.create_batch(3, vacancy=vacancy)
        f.VacancyLanguageFactory(vacancy=vacancy)
    with django_assert_max_num_queries(5):
        body = api_client.get(f"{API}/vacancies/").json()
    assert body["count"] == 15 and len(body["results"][0]["skills"]) == 3


def test_employer_list_with_own_drafts_runs_a_fixed_number_of_queries(django_assert_max_num_queries):
    member = f.EmployerMemberFactory()
    employer = member.employers.get()
    for _ in range(10):
        f.VacancySkillFactory(vacancy=f.VacancyFactory(employer=employer, status="draft", published_at=None))
        f.VacancySkillFactory(vacancy=f.VacancyFactory())
    client = client_for(member)
    with django_assert_max_num_queries(6):
        body = client.get(f"{API}/vacancies/", {"mine": "true", "page_size": 100}).json()
    assert body["count"] == 10


# --- employers manage their own vacancies ------------------------------------------------------


@pytest.fixture
def member():
    return f.EmployerMemberFactory()


def new_vacancy(**overrides) -> dict:
    body = {
        "title": "CNC operators", "description": "Darbs ar CNC virpām maiņās.", "town": f.TownFactory().id,
        "contract_kind": "permanent", "hours": "shifts", "salary_min": 1300, "salary_max": 1700,
        "skills": [{"uri": f.SkillFactory().uri, "essential": True}, {"uri": f.SkillFactory().uri, "essential": False}],
        "languages": [{"language": "lv", "level": 4}, {"language": "en", "level": 2}],
    }
    body.update(overrides)
    return body


def test_employer_creates_a_draft_with_skills_and_languages(member):
    client = client_for(member)
    body = new_vacancy(occupation=f.OccupationFactory().uri)
    response = client.post(f"{API}/vacancies/", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "draft" and data["published_at"] is None
    assert data["employer"]["id"] == member.employers.get().id
    assert {(s["skill"]["uri"], s["essential"]) for s in data["skills"]} == {(s["uri"], s["essential"]) for s in body["skills"]}
    assert {(x["language"], x["level"]) for x in data["languages"]} == {("lv", 4), ("en", 2)}
    # A draft is not public, but its owner reads it.
    assert APIClient().get(f"{API}/vacancies/{data['id']}/").status_code == 404
    assert data["id"] not in ids(APIClient().get(f"{API}/vacancies/"))
    assert client.get(f"{API}/vacancies/{data['id']}/").status_code == 200
    assert ids(client.get(f"{API}/vacancies/", {"mine": "true"})) == [data["id"]]


def test_draft_open_closed_only(member):
    client = client_for(member)
    vacancy_id = client.post(f"{API}/vacancies/", new_vacancy(), format="json").json()["id"]
    url = f"{API}/vacancies/{vacancy_id}/status/"
    assert "status" in field_errors(client.post(url, {"status": "closed"}, format="json"))  # draft → closed
    opened = client.post(url, {"status": "open"}, format="json")
    assert opened.status_code == 200 and opened.json()["published_at"] == TODAY().isoformat()
    assert vacancy_id in ids(APIClient().get(f"{API}/vacancies/"))
    assert "status" in field_errors(client.post(url, {"status": "open"}, format="json"))  # open → open
    assert "status" in field_errors(client.post(url, {"status": "draft"}, format="json"))  # not a target at all
    assert client.post(url, {"status": "closed"}, format="json").json()["status"] == "closed"
    assert "status" in field_errors(client.post(url, {"status": "open"}, format="json"))  # closed is final
    assert vacancy_id not in ids(APIClient().get(f"{API}/vacancies/"))
    assert "status" in field_errors(client.patch(f"{API}/vacancies/{vacancy_id}/", {"title": "x"}, format="json"))


def test_unverified_employer_cannot_publish():
    member = f.EmployerMemberFactory(employer=f.EmployerFactory(verified=False))
    client = client_for(member)
    vacancy_id = client.post(f"{API}/vacancies/", new_vacancy(), format="json").json()["id"]
    response = client.post(f"{API}/vacancies/{vacancy_id}/status/", {"status": "open"}, format="json")
    assert field_errors(response)["status"] == [str(MSG_UNVERIFIED)]
    assert m.Vacancy.objects.get(pk=vacancy_id).status == "draft"


def test_expired_draft_cannot_be_opened(member):
    client = client_for(member)
    vacancy = f.VacancyFactory(employer=member.employers.get(), status="draft", published_at=None,
                               expires_at=TODAY() - dt.timedelta(days=1))
    assert "expires_at" in field_errors(client.post(f"{API}/vacancies/{vacancy.id}/status/", {"status": "open"}, format="json"))


def test_employer_edits_own_vacancy_and_lists_are_replaced(member):
    client = client_for(member)
    vacancy = f.VacancyFactory(employer=member.employers.get())
    f.VacancySkillFactory(vacancy=vacancy)
    skill = f.SkillFactory()
    response = client.patch(f"{API}/vacancies/{vacancy.id}/", {"salary_max": 2000, "skills": [{"uri": skill.uri}]}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["salary_max"] == 2000
    assert [s["skill"]["uri"] for s in response.json()["skills"]] == [skill.uri]
    assert "salary_max" in field_errors(client.patch(f"{API}/vacancies/{vacancy.id}/", {"salary_max": 100}, format="json"))
    vacancy.refresh_from_db()
    assert vacancy.salary_max == 2000


def test_other_employers_vacancies_answer_404_to_writes(member):
    client = client_for(member)
    other_draft = f.VacancyFactory(status="draft", published_at=None)
    other_open = f.VacancyFactory()
    for vacancy in (other_draft, other_open):
        assert client.patch(f"{API}/vacancies/{vacancy.id}/", {"title": "mine now"}, format="json").status_code == 404
        assert client.post(f"{API}/vacancies/{vacancy.id}/status/", {"status": "closed"}, format="json").status_code == 404
    assert client.get(f"{API}/vacancies/{other_draft.id}/").status_code == 404
    assert m.Vacancy.objects.filter(title="mine now").count() == 0


def test_ids_next_to_your_draft_reveal_nothing(member):
    client = client_for(member)
    before = f.VacancyFactory(status="draft", published_at=None)
    mine = f.VacancyFactory(employer=member.employers.get(), status="draft", published_at=None)
    after = f.VacancyFactory(status="draft", published_at=None)
    assert (before.id, after.id) == (mine.id - 1, mine.id + 1)
    answers = {client.get(f"{API}/vacancies/{pk}/").status_code for pk in (before.id, after.id, after.id + 1000)}
    assert answers == {404}
    bodies = {client.get(f"{API}/vacancies/{pk}/").content for pk in (before.id, after.id + 1000)}
    assert len(bodies) == 1  # an existing draft and a missing id look the same


def test_member_of_two_employers_must_say_which(member):
    second = f.EmployerFactory()
    second.members.add(member)
    client = client_for(member)
    assert "employer" in field_errors(client.post(f"{API}/vacancies/", new_vacancy(), format="json"))
    response = client.post(f"{API}/vacancies/", new_vacancy(employer=second.id), format="json")
    assert response.status_code == 201 and response.json()["employer"]["id"] == second.id


def test_employer_cannot_post_for_someone_elses_company(member):
    other = f.EmployerFactory()
    response = client_for(member).post(f"{API}/vacancies/", new_vacancy(employer=other.id), format="json")
    assert "employer" in field_errors(response)
    assert not m.Vacancy.objects.filter(employer=other).exists()


def test_staff_post_for_any_employer_but_must_name_it():
    admin = f.AdminUserFactory()
    employer = f.EmployerFactory()
    client = client_for(admin)
    assert "employer" in field_errors(client.post(f"{API}/vacancies/", new_vacancy(), format="json"))
    assert client.post(f"{API}/vacancies/", new_vacancy(employer=employer.id), format="json").status_code == 201


def test_is_staff_user_counts_as_staff():
    staff = f.UserFactory(role=m.Role.CANDIDATE, is_staff=True)
    draft = f.VacancyFactory(status="draft", published_at=None)
    assert client_for(staff).get(f"{API}/vacancies/{draft.id}/").status_code == 200


def test_employer_role_without_membership_cannot_write():
    loner = f.UserFactory(role=m.Role.EMPLOYER)
    assert client_for(loner).post(f"{API}/vacancies/", new_vacancy(), format="json").status_code == 403


def test_member_whose_role_is_not_employer_cannot_write():
    candidate_user = f.UserFactory(role=m.Role.CANDIDATE)
    f.EmployerFactory().members.add(candidate_user)
    assert client_for(candidate_user).post(f"{API}/vacancies/", new_vacancy(), format="json").status_code == 403


BAD_BODIES = [
    ({"title": 123}, "title"),  # strings only (issue 15): DRF alone would store "123"
    ({"title": 0}, "title"),
    ({"description": 0}, "description"),
    ({"title": ""}, "title"),
    ({"title": "x" * 201}, "title"),
    ({"description": "x" * 10_001}, "description"),
    ({"town": "abc"}, "town"),
    ({"town": 99999999}, "town"),
    ({"town": 2**70}, "town"),
    ({"occupation": "http://data.europa.eu/esco/occupation/nope"}, "occupation"),
    ({"contract_kind": "slavery"}, "contract_kind"),
    ({"hours": None}, "hours"),
    ({"salary_min": -100}, "salary_min"),
    ({"salary_min": "a lot"}, "salary_min"),
    ({"salary_max": 10**9}, "salary_max"),
    ({"salary_min": 2000, "salary_max": 1000}, "salary_max"),
    ({"min_age": 5}, "min_age"),
    ({"min_age": 200}, "min_age"),
    ({"places": 0}, "places"),
    ({"places": 10**6}, "places"),
    ({"expires_at": "next week"}, "expires_at"),
    ({"skills": "welding"}, "skills"),
    ({"skills": [{"uri": "http://data.europa.eu/esco/skill/nope"}]}, "skills"),
    ({"skills": [{"essential": "sometimes"}]}, "skills"),
    ({"languages": [{"language": "lv", "level": 9}]}, "languages"),
    ({"languages": [{"language": "lv", "level": 3}, {"language": "lv", "level": 4}]}, "languages"),
    ({"employer": "mine"}, "employer"),
    ({"employer": -1}, "employer"),
    ({"employer": 2**70}, "employer"),
]


@pytest.mark.parametrize("overrides,field", BAD_BODIES)
def test_bad_vacancy_bodies_answer_400_and_write_nothing(member, overrides, field):
    client = client_for(member)
    response = client.post(f"{API}/vacancies/", new_vacancy(**overrides), format="json")
    assert field in field_errors(response)
    assert not m.Vacancy.objects.exists()


def test_duplicate_skills_are_refused(member):
    uri = f.SkillFactory().uri
    response = client_for(member).post(f"{API}/vacancies/", new_vacancy(skills=[{"uri": uri}, {"uri": uri, "essential": False}]), format="json")
    assert "skills" in field_errors(response)


def test_non_object_body_is_a_400(member):
    client = client_for(member)
    assert client.post(f"{API}/vacancies/", [1, 2, 3], format="json").status_code == 400
    assert client.post(f"{API}/vacancies/", "{broken", content_type="application/json").status_code == 400
