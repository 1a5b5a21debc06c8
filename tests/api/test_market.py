"""Labour-market insights over the API (issue 13): numbers, suppression, areas, trend, and who sees what."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient

from api.serializers import market as shapes

from careers.models import Application, MarketSnapshot, Role
from careers.runtime.market import MarketCache, set_market_cache
from careers.runtime.matches import MatchService, set_match_service
from careers.services.market import market_snapshot_take
from careers.services.vacancies import vacancy_set_status, vacancy_update
from tests import factories as f

pytestmark = pytest.mark.django_db
SKILLS, OCCUPATIONS = "/api/v1/insights/skills/", "/api/v1/insights/occupations/"
SHORTAGES, TREND, MISSING = "/api/v1/insights/shortages/", "/api/v1/insights/trend/", "/api/v1/insights/missing-skills/"
TABLES = (SKILLS, OCCUPATIONS, SHORTAGES, TREND)


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture(autouse=True)
def service():
    previous = set_match_service(MatchService(background=False))
    yield
    set_match_service(previous)


@pytest.fixture(autouse=True)
def counts() -> MarketCache:
    """A market cache of this test's own (the process's one may hold another test's version)."""
    cache = MarketCache()
    previous = set_market_cache(cache)
    yield cache
    set_market_cache(previous)


class Market:
    """Valmiera and Cēsis (32 km: one commute region) and Ventspils (290 km). Welding is wanted in Valmiera
    (3 + 2 places, essential) and held by 12 looking candidates there; CNC is optional in one Valmiera vacancy and
    held by 3 (suppressed); a Ventspils vacancy wants cooking."""

    def __init__(self) -> None:
        self.valmiera = f.TownFactory(name="Valmiera")
        self.cesis = f.TownFactory(name="Cēsis", latitude=57.31188, longitude=25.27456)
        self.ventspils = f.TownFactory(name="Ventspils", latitude=57.38988, longitude=21.57288)
        f.TownDistanceFactory(from_town=self.valmiera, to_town=self.cesis, road_km=32)
        f.TownDistanceFactory(from_town=self.valmiera, to_town=self.ventspils, road_km=290)
        f.TownDistanceFactory(from_town=self.cesis, to_town=self.ventspils, road_km=270)
        self.weld, self.cnc, self.cook = f.SkillFactory(), f.SkillFactory(), f.SkillFactory()
        self.welder = f.OccupationFactory()
        self.employer = f.EmployerFactory(town=self.valmiera)
        self.v1 = f.VacancyFactory(employer=self.employer, places=3, occupation=self.welder)
        self.v2 = f.VacancyFactory(employer=self.employer, town=self.cesis, places=2, occupation=self.welder)
        f.VacancySkillFactory(vacancy=self.v1, skill=self.weld)
        f.VacancySkillFactory(vacancy=self.v1, skill=self.cnc, essential=False)
        f.VacancySkillFactory(vacancy=self.v2, skill=self.weld)
        self.far = f.VacancyFactory(employer=f.EmployerFactory(town=self.ventspils), places=4)
        f.VacancySkillFactory(vacancy=self.far, skill=self.cook)
        self.people = [f.CandidateFactory(town=self.valmiera if i % 2 else self.cesis, max_commute_km=50)
                       for i in range(12)]
        for person in self.people:
            f.CandidateSkillFactory(candidate=person, skill=self.weld)
            person.target_occupations.add(self.welder)
        for person in self.people[:3]:
            f.CandidateSkillFactory(candidate=person, skill=self.cnc)
        self.institution = f.InstitutionFactory(town=self.valmiera)
        self.programme = f.ProgrammeFactory(institution=self.institution)
        self.programme.skills_taught.add(self.cnc)
        self.programme.leads_to.add(self.welder)
        self.intake = f.IntakeFactory(programme=self.programme, seats=16)
        self.analyst = f.UserFactory(role=Role.ANALYST)
        self.provider = f.ProviderStaffFactory(institution=self.institution).user
        self.member = f.EmployerMemberFactory(employer=self.employer)

    def rows(self, url: str, user=None, **query) -> dict[int, dict]:
        response = client_for(user or self.analyst).get(url, query)
        assert response.status_code == 200, response.content
        return {row["skill"]["id"]: row for row in response.json()["rows"]}


@pytest.fixture
def market() -> Market:
    return Market()


def test_demand_counts_places_essential_and_optional_apart_against_looking_candidates(market):
    rows = market.rows(SKILLS)
    assert (rows[market.weld.pk]["vacancies"], rows[market.weld.pk]["demand_essential"]) == (2, 5)
    assert rows[market.weld.pk]["supply"] == 12 and rows[market.weld.pk]["shortage_index"] == round(5 / 12, 4)
    assert (rows[market.cnc.pk]["demand_essential"], rows[market.cnc.pk]["demand_optional"]) == (0, 3)


def test_a_supply_under_ten_is_suppressed(market):
    row = market.rows(SKILLS)[market.cnc.pk]
    assert row["suppressed"] is True and row["supply"] is None
    assert row["shortage_index"] == 0.15  # 0.5 × 3 places / 10: the hidden 3 never shows


def test_hired_or_unconsenting_candidates_are_not_supply(market):
    f.ApplicationFactory(candidate=market.people[0], vacancy=market.far, status=Application.Status.HIRED)
    withdrawn = market.people[1]
    withdrawn.consent_processing, withdrawn.consent_processing_at = False, None
    withdrawn.save()
    assert market.rows(SKILLS)[market.weld.pk]["supply"] == 10
    f.ApplicationFactory(candidate=market.people[2], vacancy=market.v1, status=Application.Status.HIRED)
    assert market.rows(SKILLS)[market.weld.pk]["supply"] is None


def test_the_commute_region_holds_the_towns_within_the_radius(market):
    valmiera = market.rows(SKILLS, area="valmiera")
    assert market.cook.pk not in valmiera and valmiera[market.weld.pk]["demand_essential"] == 5
    ventspils = market.rows(SKILLS, area="ventspils")
    assert set(ventspils) == {market.cook.pk}
    one_town = market.rows(SKILLS, town=market.cesis.pk)
    assert one_town[market.weld.pk]["demand_essential"] == 2


def test_area_and_town_together_is_a_400_naming_town(market):
    response = client_for(market.analyst).get(SKILLS, {"area": "valmiera", "town": market.cesis.pk})
    assert response.status_code == 400 and "town" in response.json()["error"]["fields"]


def test_occupations_compare_places_with_the_candidates_who_target_them(market):
    response = client_for(market.analyst).get(OCCUPATIONS)
    row = {r["occupation"]["id"]: r for r in response.json()["rows"]}[market.welder.pk]
    assert (row["vacancies"], row["places"], row["candidates"]) == (2, 5, 12)


def test_shortages_name_the_programmes_teaching_the_skill_and_their_next_intake(market):
    rows = market.rows(SHORTAGES, area="valmiera")
    programmes = rows[market.cnc.pk]["programmes"]
    assert [p["id"] for p in programmes] == [market.programme.pk]
    assert programmes[0]["next_intake"]["seats"] == 16


def test_a_provider_sees_only_the_skills_its_programmes_teach(market):
    assert set(market.rows(SKILLS, market.provider)) == {market.cnc.pk}
    assert set(market.rows(SHORTAGES, market.provider)) == {market.cnc.pk}
    occupations = client_for(market.provider).get(OCCUPATIONS).json()["rows"]
    assert [r["occupation"]["id"] for r in occupations] == [market.welder.pk]
    assert len(market.rows(SKILLS)) == 3  # the analyst: every skill


@pytest.mark.parametrize("url", TABLES)
def test_roles_without_market_insights_get_403_and_no_token_401(market, url):
    counsellor = f.CounsellorFactory(town=market.valmiera).user
    for user in (market.people[0].user, market.member, counsellor, f.UserFactory(role=Role.PROVIDER)):
        assert client_for(user).get(url).status_code == 403, user.role
    assert client_for().get(url).status_code == 401
    assert client_for(f.AdminUserFactory()).get(url).status_code == 200


def test_trend_averages_the_daily_snapshots_by_month(market):
    today = timezone.localdate()
    market_snapshot_take(day=today - dt.timedelta(days=40))
    f.VacancySkillFactory(vacancy=f.VacancyFactory(employer=market.employer, places=5), skill=market.weld)
    market_snapshot_take(day=today)
    months = client_for(market.analyst).get(TREND, {"skill": market.weld.pk}).json()["months"]
    assert [m["demand_essential"] for m in months] == [5.0, 10.0]
    assert months[-1]["month"] == today.strftime("%Y-%m") and months[-1]["supply"] == 12.0
    totals = client_for(market.analyst).get(TREND, {"area": "ventspils"}).json()["months"]
    assert totals[-1]["vacancies"] == 1.0 and totals[-1]["supply"] is None  # nobody looks in Ventspils


def test_snapshot_market_is_one_per_day(market):
    market_snapshot_take()
    f.VacancySkillFactory(vacancy=f.VacancyFactory(employer=market.employer, places=5), skill=market.weld)
    snapshot, replaced = market_snapshot_take()
    assert replaced and MarketSnapshot.objects.count() == 1
    row = snapshot.rows.get(area="all", skill=market.weld)
    assert row.demand_essential == 10 and row.supply == 12


def test_a_provider_reads_the_trend_of_its_own_skills_only(market):
    market_snapshot_take()
    provider = client_for(market.provider)
    assert provider.get(TREND, {"skill": market.cnc.pk}).status_code == 200
    assert provider.get(TREND, {"skill": market.weld.pk}).status_code == 403
    assert provider.get(TREND).status_code == 400


def test_an_employer_reads_the_skills_its_vacancies_miss_among_the_ranked_candidates(market):
    body = client_for(market.member).get(MISSING).json()
    assert body["employer"]["id"] == market.employer.pk and body["open_vacancies"] == 2
    rows = {row["skill"]["id"]: row for row in body["rows"]}
    assert rows[market.cnc.pk]["ranked"] == 12 and rows[market.cnc.pk]["missing"] == 9
    assert rows[market.cnc.pk]["programmes"][0]["id"] == market.programme.pk
    assert rows[market.weld.pk]["missing"] == 0


def test_an_employer_cannot_read_another_employers_missing_skills(market):
    other = f.EmployerFactory(town=market.valmiera)
    response = client_for(market.member).get(MISSING, {"employer": other.pk})
    assert response.status_code == 400 and "employer" in response.json()["error"]["fields"]
    assert client_for(market.analyst).get(MISSING, {"employer": other.pk}).status_code == 200
    assert client_for(market.analyst).get(MISSING).status_code == 400


def test_roles_without_the_missing_skills_report_get_403_and_no_token_401(market):
    counsellor = f.CounsellorFactory(town=market.valmiera).user
    for user in (market.people[0].user, market.provider, counsellor, f.UserFactory(role=Role.EMPLOYER)):
        assert client_for(user).get(MISSING).status_code == 403, user.role
    assert client_for().get(MISSING).status_code == 401


def test_every_insight_table_comes_as_csv_and_xlsx(market):
    market_snapshot_take()
    for url in (*TABLES, "/api/v1/insights/fairness/", "/api/v1/insights/outcomes/"):
        response = client_for(market.analyst).get(url, {"format": "csv"})
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv"), url
        assert response.content.startswith("\ufeff".encode())
        xlsx = client_for(market.analyst).get(url, {"format": "xlsx"})
        assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK"), url
    text = client_for(market.analyst).get(SKILLS, {"format": "csv"}).content.decode("utf-8-sig")
    header, *lines = text.splitlines()
    assert header.split(";")[:4] == ["skill.id", "skill.uri", "skill.label", "vacancies"] and len(lines) == 3


@pytest.mark.parametrize("url,serializer", [(SKILLS, "SkillBalanceOutputSerializer"),
                                            (SHORTAGES, "ShortagesOutputSerializer")])
def test_the_large_tables_answer_exactly_their_documented_shape(market, url, serializer):
    body = client_for(market.analyst).get(url, {"area": "valmiera"}).json()
    assert body == json.loads(JSONRenderer().render(getattr(shapes, serializer)(body).data))
    assert body["rows"] and all(set(row) == set(body["rows"][0]) for row in body["rows"])


def test_the_counts_are_read_once_per_data_version_and_serve_every_scope_and_table(market, counts):
    for url, query in ((SKILLS, {}), (SKILLS, {"area": "valmiera"}), (SHORTAGES, {"town": market.cesis.pk}),
                       (OCCUPATIONS, {}), (SKILLS, {})):
        assert client_for(market.analyst).get(url, query).status_code == 200
    market.rows(SKILLS, market.provider)
    assert counts.builds == 1


def test_a_published_closed_or_edited_vacancy_shows_in_the_next_answer(market, counts):
    assert market.rows(SKILLS)[market.weld.pk]["demand_essential"] == 5
    draft = f.VacancyFactory(employer=market.employer, places=4, status="draft", occupation=market.welder)
    f.VacancySkillFactory(vacancy=draft, skill=market.weld)
    assert market.rows(SKILLS)[market.weld.pk]["demand_essential"] == 5  # a draft is no demand
    vacancy_set_status(vacancy=draft, status="open")
    assert market.rows(SKILLS)[market.weld.pk]["demand_essential"] == 9
    occupations = client_for(market.analyst).get(OCCUPATIONS).json()["rows"]
    assert {r["occupation"]["id"]: r["places"] for r in occupations}[market.welder.pk] == 9
    vacancy_set_status(vacancy=market.v1, status="closed")
    rows = market.rows(SKILLS)
    assert rows[market.weld.pk]["demand_essential"] == 6 and rows[market.cnc.pk]["demand_optional"] == 0
    vacancy_update(vacancy=draft, fields={"places": 1})
    assert market.rows(SKILLS, area="valmiera")[market.weld.pk]["demand_essential"] == 3
    assert counts.builds == 5


def test_an_expired_vacancy_leaves_the_counts_without_any_write(market, counts):
    assert market.rows(SKILLS)[market.cook.pk]["demand_essential"] == 4
    later = timezone.now() + dt.timedelta(days=31)  # the factory's vacancies expire in 30 days
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: later)
        assert market.cook.pk not in market.rows(SKILLS)


def test_a_write_around_the_services_is_seen_once_the_fingerprint_is_probed(market):
    now = [0.0]
    cache = MarketCache(clock=lambda: now[0], probe_seconds=5)
    previous = set_market_cache(cache)
    try:
        assert market.rows(SKILLS)[market.weld.pk]["demand_essential"] == 5
        Vacancy = type(market.v1)
        Vacancy.objects.filter(pk=market.v1.pk).delete()  # no service, no updated_at: the stamp cannot see it
        now[0] = 4.0
        assert market.rows(SKILLS)[market.weld.pk]["demand_essential"] == 5  # within probe_seconds: as it was
        now[0] = 6.0
        assert market.rows(SKILLS)[market.weld.pk]["demand_essential"] == 2
        assert cache.builds == 2
    finally:
        set_market_cache(previous)
