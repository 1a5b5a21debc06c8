"""The web site over Django's test client, on the demo world: pages, languages, search filters, permissions.

The same rules as the API (the pages call the same careers selectors); each rule here has a test that fails if the
rule is removed: anonymous visitors are sent to sign in, other roles get 403 on a candidate's pages, a draft vacancy
or an inactive programme is 404 for everyone but their owners, forms need the CSRF token.
"""
from __future__ import annotations

import re

import pytest
from django.test import Client

from careers.models import ContractKind, Occupation, Programme, User, Vacancy
from tests.web.conftest import signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_world")]

PUBLIC_PAGES = ("/", "/jobs/", "/programmes/", "/careers/", "/interests/", "/explored/", "/signin/", "/register/")
CANDIDATE_PAGES = ("/me/", "/me/jobs/", "/me/programmes/", "/me/careers/", "/me/pathways/", "/me/what-if/",
                   "/me/skills/", "/me/profile/", "/me/applications/")


def text(response) -> str:
    return response.content.decode()


def job_ids(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'href="/jobs/(\d+)/"', text(response))]


# ------------------------------------------------------------------------------------------- layout
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_public_page_has_the_landmarks_a_skip_link_and_a_language(url):
    response = Client().get(url)
    assert response.status_code == 200
    html = text(response)
    assert '<html lang="lv">' in html
    assert '<a class="skip" href="#main">' in html and '<main id="main"' in html
    assert "<header" in html and "<nav" in html and "<footer" in html


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_no_page_loads_anything_from_another_host(url):
    html = text(Client().get(url))
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_the_site_is_latvian_even_when_the_browser_asks_for_english():
    html = text(Client().get("/", HTTP_ACCEPT_LANGUAGE="en"))
    assert '<html lang="lv">' in html and "Darbi" in html


def test_the_switcher_turns_the_site_english_and_remembers_it_for_a_year():
    client = Client()
    response = client.post("/language/", {"language": "en", "next": "/jobs/"})
    assert response.status_code == 302 and response["Location"] == "/jobs/"
    assert response.cookies["django_language"]["max-age"] == 365 * 24 * 3600
    html = text(client.get("/jobs/"))
    assert '<html lang="en">' in html and "Minimum pay" in html


def test_a_signed_in_users_language_choice_is_kept_on_the_account():
    client = signed_in("welder.ventspils")
    client.post("/language/", {"language": "en", "next": "/"})
    assert User.objects.get(username="welder.ventspils").preferred_language == "en"


def test_the_api_still_follows_accept_language():
    response = Client().get("/api/v1/towns/999999/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404 and response.json()["error"]["message"] == "Not found."


def test_swagger_ui_is_served_from_this_host():
    html = text(Client().get("/api/docs/"))
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert not re.search(r'src="https?://', html)


def test_the_htmx_script_comes_from_the_package_and_is_served():
    html = text(Client().get("/"))
    src = re.search(r'<script src="(/static/django_htmx/[^"]+)"', html).group(1)
    response = Client().get(src)
    assert response.status_code == 200 and b"htmx" in b"".join(response.streaming_content)[:5000]


# ------------------------------------------------------------------------------------------- job search
def test_job_search_by_contract_kind_returns_only_that_kind():
    response = Client().get("/jobs/", {"contract_kind": [ContractKind.SUMMER_JOB, ContractKind.APPRENTICESHIP]})
    kinds = set(Vacancy.objects.filter(pk__in=job_ids(response)).values_list("contract_kind", flat=True))
    assert response.status_code == 200 and kinds
    assert kinds <= {ContractKind.SUMMER_JOB, ContractKind.APPRENTICESHIP}
    checked = re.findall(r'<input type="checkbox" name="contract_kind" value="(\w+)"[^>]* checked>', text(response))
    assert sorted(checked) == ["apprenticeship", "summer_job"]  # the form shows what was asked


def test_job_search_within_a_distance_keeps_to_the_towns_within_it():
    valmiera = Vacancy.objects.public().filter(town__name="Valmiera").first().town
    near = Client().get("/jobs/", {"town": valmiera.pk, "radius_km": 0})
    assert {v.town_id for v in Vacancy.objects.filter(pk__in=job_ids(near))} == {valmiera.pk}
    wide = Client().get("/jobs/", {"town": valmiera.pk, "radius_km": 500})
    count = lambda r: int(re.search(r'class="count">\((\d+)', text(r)).group(1))  # noqa: E731
    assert count(wide) > count(near)


def test_job_search_by_minimum_pay_and_age():
    response = Client().get("/jobs/", {"min_salary": 700, "age": 17})
    rows = Vacancy.objects.filter(pk__in=job_ids(response))
    assert rows and all(v.salary_max >= 700 and v.min_age <= 17 for v in rows)
    assert Vacancy.objects.public().filter(salary_max__lt=700).exists()
    assert Vacancy.objects.public().filter(min_age__gt=17).exists()


@pytest.mark.parametrize(("query", "field"), [
    ({"radius_km": 30}, "town"), ({"radius_km": "far"}, "radius_km"), ({"min_salary": -5}, "min_salary"),
    ({"contract_kind": "forever"}, "contract_kind"), ({"town": 999999}, "town"),
])
def test_bad_job_filters_answer_400_with_the_message_beside_the_field_and_in_the_summary(query, field):
    response = Client().get("/jobs/", query)
    html = text(response)
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in html and 'class="error-summary"' in html
    assert re.search(rf'href="#id_{field}(_0)?"', html)


def test_an_htmx_search_gets_the_results_only_and_bad_filters_the_whole_search_block():
    good = Client().get("/jobs/", {"contract_kind": "summer_job"}, HTTP_HX_REQUEST="true")
    assert good.status_code == 200 and "<html" not in text(good) and 'id="results-title"' in text(good)
    bad = Client().get("/jobs/", {"radius_km": "far"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 400 and bad["HX-Retarget"] == "#search" and 'id="id_radius_km_error"' in text(bad)


def test_a_public_vacancy_has_a_detail_page_and_a_draft_is_404():
    public = Vacancy.objects.public().first()
    assert Client().get(f"/jobs/{public.pk}/").status_code == 200
    draft = Vacancy.objects.filter(status="draft").first()
    assert Client().get(f"/jobs/{draft.pk}/").status_code == 404
    assert signed_in("welder.ventspils").get(f"/jobs/{draft.pk}/").status_code == 404


# ------------------------------------------------------------------------------------------- programmes
def test_programme_search_by_funding_and_institution():
    response = Client().get("/programmes/", {"funding": "voucher"})
    ids = [int(pk) for pk in re.findall(r'href="/programmes/(\d+)/"', text(response))]
    assert ids and all(p.voucher_eligible for p in Programme.objects.filter(pk__in=ids))
    institution = Programme.objects.filter(is_active=True).first().institution
    response = Client().get("/programmes/", {"institution": institution.pk})
    ids = [int(pk) for pk in re.findall(r'href="/programmes/(\d+)/"', text(response))]
    assert {p.institution_id for p in Programme.objects.filter(pk__in=ids)} == {institution.pk}


def test_a_start_range_that_ends_before_it_starts_is_400():
    response = Client().get("/programmes/", {"start_after": "2030-05-01", "start_before": "2030-01-01"})
    assert response.status_code == 400 and 'id="id_start_before_error"' in text(response)


def test_an_inactive_programme_is_404_and_an_active_one_shows_its_open_intakes():
    inactive = Programme.objects.filter(is_active=False).first()
    assert Client().get(f"/programmes/{inactive.pk}/").status_code == 404
    active = Programme.objects.filter(is_active=True, intakes__isnull=False).first()
    assert Client().get(f"/programmes/{active.pk}/").status_code == 200


# ------------------------------------------------------------------------------------------- careers
def test_a_career_page_shows_local_pay_and_where_to_learn_it():
    occupation = Occupation.objects.filter(vacancies__status="open", programmes__is_active=True).first()
    html = text(Client().get(f"/careers/{occupation.pk}/"))
    assert "EUR" in html and re.search(r'href="/programmes/\d+/"', html)


def test_saving_a_career_keeps_it_in_the_session():
    client = Client()
    occupation = Occupation.objects.first()
    assert client.post(f"/careers/{occupation.pk}/save/").status_code == 302
    assert f'href="/careers/{occupation.pk}/"' in text(client.get("/explored/"))
    client.post(f"/careers/{occupation.pk}/save/")
    assert f'href="/careers/{occupation.pk}/"' not in text(client.get("/explored/"))


# ------------------------------------------------------------------------------------------- permissions
@pytest.mark.parametrize("url", CANDIDATE_PAGES)
def test_a_candidates_pages_send_anonymous_visitors_to_sign_in(url):
    response = Client().get(url)
    assert response.status_code == 302 and response["Location"].startswith("/signin/?next=")


@pytest.mark.parametrize(("method", "url"), [("get", "/me/data/"), ("get", "/me/data/export/"),
                                           ("post", "/me/data/consent/"), ("post", "/me/data/delete/")])
def test_my_data_needs_a_signed_in_user(method, url):
    response = getattr(Client(), method)(url, {"confirm": "DELETE"} if method == "post" else None)
    assert response.status_code == 302 and response["Location"].startswith("/signin/?next=")


@pytest.mark.parametrize("username", ["employer.valmiera", "counsellor.valmiera", "provider.vtech", "admin"])
def test_other_roles_get_403_on_a_candidates_pages(username):
    client = signed_in(username)
    assert [client.get(url).status_code for url in CANDIDATE_PAGES] == [403] * len(CANDIDATE_PAGES)


@pytest.mark.parametrize("url", CANDIDATE_PAGES)
def test_a_candidate_opens_their_own_pages(url):
    assert signed_in("welder.ventspils").get(url).status_code == 200


def test_a_form_without_the_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    assert client.post("/signin/", {"username": "welder.ventspils", "password": "Demo-Parole-2026"}).status_code == 403


def test_the_demo_logins_sign_in_on_the_site():
    client = Client()
    response = client.post("/signin/", {"username": "welder.ventspils", "password": "Demo-Parole-2026"})
    assert response.status_code == 302
    assert client.get("/me/").status_code == 200


def test_a_wrong_password_is_400_with_a_message():
    response = Client().post("/signin/", {"username": "welder.ventspils", "password": "nope"})
    assert response.status_code == 400 and 'class="error-summary"' in text(response)
