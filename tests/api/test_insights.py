"""Municipality insights over the API (issue 6): the fairness and outcomes reports — numbers, suppression, rules."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from careers.models import Application, RecommendationList, Review, Role
from careers.services.oversight import log_served_list
from tests import factories as f

pytestmark = pytest.mark.django_db
FAIRNESS = "/api/v1/insights/fairness/"
OUTCOMES = "/api/v1/insights/outcomes/"
YEAR = timezone.localdate().year


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def analyst():
    return f.UserFactory(role=Role.ANALYST)


def serve(candidate, kind: str, keys: list[str], *, days_ago: int = 0) -> RecommendationList:
    """Log a served list as the recommendation views do (ranks 1..n), optionally dated back."""
    served = log_served_list(requested_by=candidate.user, candidate=candidate, kind=kind, items=[
        {"item_key": key, "rank": rank, "score": 1.0 / rank, "features": {}} for rank, key in enumerate(keys, 1)])
    if days_ago:
        RecommendationList.objects.filter(pk=served.pk).update(
            created_at=timezone.now() - dt.timedelta(days=days_ago))
    return served


def review(candidate, kind: str, key: str, decision: str) -> None:
    Review.objects.create(candidate=candidate, kind=kind, item_key=key, decision=decision,
                          reason="location" if decision == "rejected" else "")


def apply(candidate, *, vacancy=None, intake=None, status="submitted", days_ago: int | None = None) -> Application:
    application = f.ApplicationFactory(candidate=candidate, vacancy=vacancy, intake=intake, status=status)
    if days_ago is not None:
        Application.objects.filter(pk=application.pk).update(
            created_at=timezone.now() - dt.timedelta(days=days_ago))
    return application


def groups_by_name(rows: list[dict]) -> dict[str, dict]:
    return {row["group"]: row for row in rows}


# ----------------------------------------------------------------------------------------------- fairness
@pytest.fixture
def fair():
    """12 women aged 30 with two jobs each (ranks 1 and 3), 3 men aged 60, 10 undisclosed aged 30 with one programme
    each (rank 1); all in Valmiera. Reviews: 6 women approved, 3 rejected; every man approved."""
    town = f.TownFactory(name="Valmiera")
    job_a, job_b = f.VacancyFactory(), f.VacancyFactory()
    jobs = [f"vacancy:{job_a.pk}", "vacancy:999998", f"vacancy:{job_b.pk}"]  # rank 2 is a placeholder
    women = [f.CandidateFactory(town=town, gender="female", birth_year=YEAR - 30) for _ in range(12)]
    men = [f.CandidateFactory(town=town, gender="male", birth_year=YEAR - 60) for _ in range(3)]
    undisclosed = [f.CandidateFactory(town=town, gender="undisclosed", birth_year=YEAR - 30) for _ in range(10)]
    for person in women + men:
        served = serve(person, "jobs", jobs)
        served.items.filter(rank=2).delete()  # ranks 1 and 3 left: exposure 1 + 0.5
    serve(women[0], "jobs", jobs[:1])  # served again: the item counts once, at its best rank
    for person in undisclosed:
        serve(person, "programmes", ["programme:7"])
    for person in women[:6]:
        review(person, "jobs", jobs[0], "approved")
    for person in women[6:9]:
        review(person, "jobs", jobs[0], "rejected")
    for person in men:
        review(person, "jobs", jobs[0], "approved")
    # Not in the population: no processing consent and nothing served.
    f.CandidateFactory(town=town, gender="female", birth_year=YEAR - 30, consent_processing=False,
                       consent_processing_at=None)
    return {"town": town, "women": women, "men": men, "undisclosed": undisclosed}


def test_the_fairness_report_gives_counts_exposure_approval_and_ratios_per_group(fair):
    response = client_for(analyst()).get(FAIRNESS)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["min_group"] == 10 and body["reference"] == "best"
    assert body["scope"] == {"kind": None, "from": None, "to": None, "town": None}
    gender = groups_by_name(body["groups"]["gender"])
    assert set(gender) == {"female", "male", "undisclosed"}
    assert gender["female"] == {
        "group": "female", "people": 12, "served": 24, "reviewed": 9, "exposure": 1.5, "approval_rate": 0.6667,
        "exposure_ratio": 1.0, "approval_ratio": 1.0, "suppressed": False, "flagged": False}
    # Exposure 1.0 against the best-off group's 1.5; no reviews, so no approval rate.
    assert gender["undisclosed"] == {
        "group": "undisclosed", "people": 10, "served": 10, "reviewed": 0, "exposure": 1.0, "approval_rate": None,
        "exposure_ratio": 0.6667, "approval_ratio": None, "suppressed": False, "flagged": True}


def test_groups_under_ten_people_are_suppressed_and_never_the_reference(fair):
    body = client_for(analyst()).get(FAIRNESS).json()
    men = groups_by_name(body["groups"]["gender"])["male"]
    assert men == {"group": "male", "people": None, "served": None, "reviewed": None, "exposure": None,
                   "approval_rate": None, "exposure_ratio": None, "approval_ratio": None, "suppressed": True,
                   "flagged": False}
    # The men's approval rate (1.0) would otherwise be the best; the women's 0.6667 is the reference instead.
    assert groups_by_name(body["groups"]["gender"])["female"]["approval_ratio"] == 1.0
    ages = groups_by_name(body["groups"]["age_band"])
    assert ages["50+"]["suppressed"] is True and ages["50+"]["people"] is None
    assert ages["25-34"]["people"] == 22
    assert ages["25-34"]["exposure"] == round((12 * 1.5 + 10 * 1.0) / 22, 4)
    assert groups_by_name(body["groups"]["town"])["Valmiera"]["people"] == 25


def test_the_fairness_report_can_be_narrowed_to_a_kind_a_town_and_a_reference(fair):
    jobs = client_for(analyst()).get(FAIRNESS, {"kind": "jobs"}).json()
    gender = groups_by_name(jobs["groups"]["gender"])
    assert gender["undisclosed"]["exposure"] == 0.0 and gender["undisclosed"]["exposure_ratio"] == 0.0
    assert jobs["scope"]["kind"] == "jobs"
    overall = client_for(analyst()).get(FAIRNESS, {"reference": "overall"}).json()
    everyone = (12 * 1.5 + 3 * 1.5 + 10 * 1.0) / 25
    assert groups_by_name(overall["groups"]["gender"])["female"]["exposure_ratio"] == round(1.5 / everyone, 4)
    elsewhere = f.TownFactory(name="Ventspils", latitude=57.39, longitude=21.56)
    there = client_for(analyst()).get(FAIRNESS, {"town": elsewhere.pk}).json()
    assert there["groups"] == {"gender": [], "age_band": [], "town": []}
    here = client_for(analyst()).get(FAIRNESS, {"town": fair["town"].pk}).json()
    assert groups_by_name(here["groups"]["gender"])["female"]["people"] == 12


def test_the_fairness_date_range_reads_only_lists_served_in_it(fair):
    RecommendationList.objects.filter(kind="programmes").update(
        created_at=timezone.now() - dt.timedelta(days=40))
    today = timezone.localdate()
    recent = client_for(analyst()).get(FAIRNESS, {"from": (today - dt.timedelta(days=7)).isoformat()}).json()
    assert groups_by_name(recent["groups"]["gender"])["undisclosed"]["exposure"] == 0.0
    old = client_for(analyst()).get(FAIRNESS, {"to": (today - dt.timedelta(days=30)).isoformat()}).json()
    gender = groups_by_name(old["groups"]["gender"])
    assert gender["undisclosed"]["exposure"] == 1.0 and gender["female"]["exposure"] == 0.0


# ----------------------------------------------------------------------------------------------- outcomes
@pytest.fixture
def outcomes():
    """Valmiera: 12 candidates of counsellor Anna Ozola, each served jobs V1, V2 and programme P1 this month.
    Ventspils: 3 candidates of another counsellor, served V1 forty days ago."""
    valmiera = f.TownFactory(name="Valmiera")
    ventspils = f.TownFactory(name="Ventspils", latitude=57.39, longitude=21.56)
    anna = f.CounsellorFactory(town=valmiera, user__first_name="Anna", user__last_name="Ozola")
    other = f.CounsellorFactory(town=ventspils)
    v1, v2, never = f.VacancyFactory(), f.VacancyFactory(), f.VacancyFactory()
    course = f.ProgrammeFactory()
    spring = f.IntakeFactory(programme=course)
    autumn = f.IntakeFactory(programme=course, start_date=spring.start_date + dt.timedelta(days=120))
    # Candidates carry surnames no counsellor or town can have, so the no-names check below cannot hit a namesake.
    here = [f.CandidateFactory(town=valmiera, counsellor=anna, user__username=f"cand-here-{n}x",
                               user__last_name=f"Kandidate{n}x") for n in range(12)]
    there = [f.CandidateFactory(town=ventspils, counsellor=other, user__username=f"cand-there-{n}x",
                                user__last_name=f"Kandidats{n}x") for n in range(3)]
    for person in here:
        serve(person, "jobs", [f"vacancy:{v1.pk}", f"vacancy:{v2.pk}"], days_ago=1)
        serve(person, "programmes", [f"programme:{course.pk}"], days_ago=1)
    for person in there:
        serve(person, "jobs", [f"vacancy:{v1.pk}"], days_ago=40)
    # Applications after the list: 6 to V1 (2 hired, 1 withdrawn still counts as applied), 3 to P1 (1 enrolled; one
    # candidate applied to both intakes: one item).
    for index, person in enumerate(here[:6]):
        apply(person, vacancy=v1, status=["hired", "hired", "withdrawn", "viewed", "submitted", "rejected"][index])
    apply(here[0], intake=spring, status="enrolled")
    apply(here[1], intake=spring)
    apply(here[1], intake=autumn)
    apply(here[2], intake=autumn)
    # Not outcomes of a recommendation: an application before the list was served, one to a vacancy never served.
    apply(here[7], vacancy=v2, status="hired", days_ago=3)
    apply(here[8], vacancy=never, status="hired")
    apply(there[0], vacancy=v1, status="hired")
    return {"valmiera": valmiera, "ventspils": ventspils, "anna": anna, "other": other, "here": here, "there": there}


def test_outcomes_count_only_applications_to_recommended_items_after_they_were_served(outcomes):
    response = client_for(analyst()).get(OUTCOMES)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["min_group"] == 10
    assert body["total"] == {
        "group": "all", "id": None, "candidates": 15, "recommended": 39, "applied": 10, "hired": 3, "enrolled": 1,
        "application_rate": round(10 / 39, 4), "placement_rate": 0.4, "conversion_rate": round(4 / 39, 4),
        "suppressed": False}


def test_outcomes_by_town_counsellor_and_month_suppress_cells_under_ten_candidates(outcomes):
    body = client_for(analyst()).get(OUTCOMES).json()
    valmiera = {"candidates": 12, "recommended": 36, "applied": 9, "hired": 2, "enrolled": 1,
                "application_rate": 0.25, "placement_rate": round(3 / 9, 4), "conversion_rate": round(3 / 36, 4),
                "suppressed": False}
    suppressed = {"candidates": None, "recommended": None, "applied": None, "hired": None, "enrolled": None,
                  "application_rate": None, "placement_rate": None, "conversion_rate": None, "suppressed": True}
    assert body["by_town"] == [{"group": "Valmiera", "id": outcomes["valmiera"].pk, **valmiera},
                               {"group": "Ventspils", "id": outcomes["ventspils"].pk, **suppressed}]
    counsellors = {row["id"]: row for row in body["by_counsellor"]}
    assert counsellors[outcomes["anna"].pk] == {"group": "Anna Ozola", "id": outcomes["anna"].pk, **valmiera}
    assert counsellors[outcomes["other"].pk]["suppressed"] is True
    now = timezone.localtime()
    months = {row["group"]: row for row in body["by_month"]}
    before = timezone.localtime(timezone.now() - dt.timedelta(days=40)).strftime("%Y-%m")
    assert months[before]["suppressed"] is True
    yesterday = timezone.localtime(now - dt.timedelta(days=1)).strftime("%Y-%m")
    assert months[yesterday]["candidates"] == 12 and months[yesterday]["applied"] == 9


def test_outcomes_name_no_candidate(outcomes):
    text = client_for(analyst()).get(OUTCOMES).content.decode()
    for person in outcomes["here"] + outcomes["there"]:
        assert person.user.username not in text and person.user.last_name not in text
    assert outcomes["other"].user.username not in text


def test_outcomes_can_be_narrowed_to_a_kind_a_date_range_and_a_town(outcomes):
    jobs = client_for(analyst()).get(OUTCOMES, {"kind": "jobs"}).json()["total"]
    assert (jobs["recommended"], jobs["applied"], jobs["hired"], jobs["enrolled"]) == (27, 7, 3, 0)
    programmes = client_for(analyst()).get(OUTCOMES, {"kind": "programmes"}).json()
    assert programmes["total"]["suppressed"] is False
    assert (programmes["total"]["recommended"], programmes["total"]["applied"]) == (12, 3)
    assert programmes["total"]["enrolled"] == 1
    recent = client_for(analyst()).get(OUTCOMES, {"from": (timezone.localdate() - dt.timedelta(days=7))}).json()
    assert recent["total"]["candidates"] == 12 and recent["by_town"][0]["group"] == "Valmiera"
    assert len(recent["by_town"]) == 1
    town = client_for(analyst()).get(OUTCOMES, {"town": outcomes["ventspils"].pk}).json()
    assert town["total"]["suppressed"] is True and [r["group"] for r in town["by_town"]] == ["Ventspils"]
    assert town["scope"]["town"] == outcomes["ventspils"].pk


def test_reports_over_nothing_served_are_empty_and_suppressed():
    body = client_for(analyst()).get(OUTCOMES).json()
    assert body["total"]["suppressed"] is True
    assert body["by_month"] == body["by_town"] == body["by_counsellor"] == []
    fairness = client_for(analyst()).get(FAIRNESS).json()
    assert fairness["groups"] == {"gender": [], "age_band": [], "town": []}


# ----------------------------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("url", [FAIRNESS, OUTCOMES])
@pytest.mark.parametrize("query,field", [
    ({"kind": "nonsense"}, "kind"),
    ({"from": "2026-13-01"}, "from"),
    ({"from": "yesterday"}, "from"),
    ({"to": "2026-02-30"}, "to"),
    ({"from": "2026-03-02", "to": "2026-03-01"}, "to"),
    ({"town": "abc"}, "town"),
    ({"town": "0"}, "town"),
    ({"town": "999999"}, "town"),
    ({"town": str(2**64)}, "town"),
])
def test_bad_query_parameters_are_a_400_naming_the_field(url, query, field):
    f.TownFactory()
    response = client_for(analyst()).get(url, query)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid" and list(error["fields"]) == [field]


def test_outcomes_know_only_kinds_that_have_applications_and_fairness_only_two_references():
    response = client_for(analyst()).get(OUTCOMES, {"kind": "careers"})
    assert response.status_code == 400 and list(response.json()["error"]["fields"]) == ["kind"]
    response = client_for(analyst()).get(FAIRNESS, {"reference": "worst"})
    assert response.status_code == 400 and list(response.json()["error"]["fields"]) == ["reference"]
    assert client_for(analyst()).get(FAIRNESS, {"kind": "careers", "from": "2026-03-01",
                                                "to": "2026-03-01"}).status_code == 200


# ----------------------------------------------------------------------------------------------- who may ask
def _candidate():
    return f.CandidateFactory().user


def _employer():
    return f.EmployerMemberFactory()


def _provider():
    return f.ProviderStaffFactory().user


def _counsellor():
    return f.CounsellorFactory().user


def _staff_without_admin_role():
    return f.UserFactory(role=Role.CANDIDATE, is_staff=True)


@pytest.mark.parametrize("url", [FAIRNESS, OUTCOMES])
@pytest.mark.parametrize("make_user,expected", [
    (lambda: None, 401),
    (_candidate, 403),
    (_employer, 403),
    (_provider, 403),
    (_counsellor, 403),
    (lambda: f.UserFactory(role=Role.EMPLOYER), 403),  # the role without a membership
    (analyst, 200),
    (f.AdminUserFactory, 200),
    (_staff_without_admin_role, 200),
])
def test_only_analysts_and_staff_may_read_the_reports(url, make_user, expected):
    response = client_for(make_user()).get(url)
    assert response.status_code == expected, response.content
    if expected != 200:
        assert response.json()["error"]["code"] in ("not_authenticated", "permission_denied")


def test_each_report_reads_the_database_in_a_few_queries_whatever_the_number_of_lists(
        outcomes, django_assert_max_num_queries):
    client = client_for(analyst())
    for url in (FAIRNESS, OUTCOMES):
        with django_assert_max_num_queries(3):  # served items, then reviews or applications, then people
            assert client.get(url).status_code == 200
