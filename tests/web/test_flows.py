"""The site's flows over Django's test client: interests, registration and claiming, onboarding, recommendations,
what-if, applying, and my data (journeys 1, 2 and 6 at the HTTP level; tests/web/test_browser.py walks them in
Chromium)."""
from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from careers.models import (
    Application, CandidateProfile, Intake, Occupation, RecommendationList, Review, Skill, Town, User, Vacancy,
)
from careers.services.oversight import save_review
from careers.selectors.explore import careers_for_interests
from tests.web.conftest import signed_in
from web import riasec

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_world")]

CV_LV = "Strādāju par metinātāju 15 gadus, protu lasīt rasējumus un strādāt ar CNC darbgaldu."


def text(response) -> str:
    return response.content.decode()


def answers(high: str) -> dict:
    """5 for every statement of type ``high``, 1 for the others."""
    return {f"q{n}": 5 if kind == high else 1 for n, (kind, _text) in enumerate(riasec.ITEMS)}


def register(client: Client, username: str, *, birth_year, **extra) -> object:
    data = {"username": username, "password": "Zila-Gaisma-2009x", "password_again": "Zila-Gaisma-2009x",
            "email": f"{username}@example.lv", "first_name": "Anna", "last_name": "Ozola", "birth_year": birth_year,
            "kind": "student", "employment_status": "studying", "town": Vacancy.objects.public().first().town_id,
            "consent_processing": "on", **extra}
    return client.post("/register/", data)


# ------------------------------------------------------------------------------------------- interests
def test_the_questionnaire_has_five_statements_of_each_riasec_type():
    kinds = [kind for kind, _text in riasec.ITEMS]
    assert len(kinds) == 30 and {kinds.count(k) for k in riasec.TYPES} == {5}


def test_scores_map_the_five_point_answers_onto_the_occupations_seven_point_scale():
    scores = riasec.scores({n: 5 if kind == "riasec_r" else 1 for n, (kind, _t) in enumerate(riasec.ITEMS)})
    assert scores["riasec_r"] == 7.0 and scores["riasec_s"] == 1.0
    assert riasec.scores({n: 3 for n in range(30)})["riasec_c"] == 4.0


def test_a_realistic_profile_ranks_realistic_careers_above_a_social_profiles_careers():
    realistic = careers_for_interests(riasec=[7, 1, 1, 1, 1, 1], town=None, top_k=5, language="en")
    social = careers_for_interests(riasec=[1, 1, 1, 7, 1, 1], town=None, top_k=5, language="en")
    top = Occupation.objects.get(pk=realistic[0].occupation_id)
    assert top.riasec_r == max(top.riasec)
    assert [c.occupation_id for c in realistic] != [c.occupation_id for c in social]


def test_an_unfinished_questionnaire_is_400_and_names_every_unanswered_statement():
    response = Client().post("/interests/", {"q0": 5})
    assert response.status_code == 400
    assert len(re.findall(r'href="#id_q\d+_0"', text(response))) == 29


def test_answers_rank_careers_with_local_demand_and_stay_in_the_session():
    client = Client()
    assert client.post("/interests/", answers("riasec_r")).status_code == 302
    html = text(client.get("/interests/"))
    assert len(re.findall(r'href="/careers/\d+/"', html)) == 10 and "vakanc" in html
    assert "Atbildēts." in text(client.get("/explored/"))


# ------------------------------------------------------------------------------------------- registration
def test_registering_claims_the_interest_answers_and_saved_careers():
    client = Client()
    client.post("/interests/", answers("riasec_i"))
    occupation = Occupation.objects.first()
    client.post(f"/careers/{occupation.pk}/save/")
    response = register(client, "claim.me", birth_year=2000, claim_explored="on")
    assert response.status_code == 302 and response["Location"] == "/me/skills/"
    profile = CandidateProfile.objects.get(user__username="claim.me")
    assert (profile.riasec_i, profile.riasec_r) == (7.0, 1.0)
    assert list(profile.target_occupations.all()) == [occupation]
    assert client.get("/me/").status_code == 200


def test_registering_without_claiming_leaves_the_profile_without_them():
    client = Client()
    client.post("/interests/", answers("riasec_i"))
    register(client, "no.claim", birth_year=2000)
    profile = CandidateProfile.objects.get(user__username="no.claim")
    assert profile.riasec_i is None and not profile.target_occupations.exists()


def test_a_minor_is_supervised_says_so_and_sees_nothing_until_the_counsellor_releases_it():
    client = Client()
    valmiera = Town.objects.get(name="Valmiera")
    register(client, "young.one", birth_year=2010, town=valmiera.pk)
    # The web sign-up assigns through the same service: Valmiera's municipality counsellor.
    counsellor = CandidateProfile.objects.get(user__username="young.one").counsellor
    assert counsellor.user.username == "counsellor.valmiera.novads"
    assert "Tavs karjeras konsultants: " + str(counsellor) in text(client.get("/me/careers/"))
    assert "Tev vēl nav 18 gadu" in text(client.get("/me/"))
    assert "Šo sarakstu vispirms pārskat" in text(client.get("/me/jobs/"))
    assert "Konsultants vēl nav pārskatījis" in text(client.get("/me/careers/"))


@pytest.mark.parametrize(("username", "extra", "fields"), [
    ("welder.ventspils", {"birth_year": 2020}, ("username", "birth_year")),  # the service's checks
    ("someone.new", {"password_again": "other-password-1"}, ("password_again",)),  # the form's
    ("someone.new", {"password": "1234567890", "password_again": "1234567890"}, ("password",)),
    ("someone.new", {"birth_year": "soon", "email": "not-an-address"}, ("birth_year", "email")),
])
def test_registration_errors_come_back_beside_the_fields_and_nothing_is_written(username, extra, fields):
    users = User.objects.count()
    response = register(Client(), username, **{"birth_year": 2000, **extra})
    html = text(response)
    assert response.status_code == 400
    for field in fields:
        assert f'id="id_{field}_error"' in html and f'href="#id_{field}"' in html
    assert User.objects.count() == users


def test_registration_without_consent_to_processing_is_refused():
    response = register(Client(), "no.consent", birth_year=2000, consent_processing="")
    assert response.status_code == 400 and 'id="id_consent_processing_error"' in text(response)
    assert not User.objects.filter(username="no.consent").exists()


# ------------------------------------------------------------------------------------------- onboarding
def test_pasted_text_suggests_skills_with_the_words_that_suggested_them_highlighted():
    html = text(signed_in("reskilling.valmiera").post("/me/skills/", {"action": "suggest", "text": CV_LV}))
    marked = re.findall(r"<mark>(.*?)</mark>", html)
    assert "metinātāju" in marked and any("rasējum" in m for m in marked)
    assert re.search(r'<tr class="suggested">', html)


def test_what_the_text_says_the_person_wants_to_learn_is_shown_apart_and_not_offered_as_held():
    text_in = "Strādāju ar autokrāvēju, bet gribu apgūt metināšanu."
    html = text(signed_in("reskilling.valmiera").post("/me/skills/", {"action": "suggest", "text": text_in}))
    assert "Tu vēlies apgūt" in html
    wanted = html.split("Tu vēlies apgūt", 1)[1].split("</section>", 1)[0]
    assert "metināšana" in wanted and "Strādāt par: metinātājs" in wanted
    marked = re.findall(r"<mark>(.*?)</mark>", html)
    assert "autokrāvēju" in marked and not any("metināšan" in m for m in marked)


def test_confirming_skills_replaces_them_with_the_chosen_levels():
    client = signed_in("reskilling.valmiera")
    skills = list(Skill.objects.order_by("pk")[:2])
    response = client.post("/me/skills/", {"action": "save", "keep": [s.uri for s in skills],
                                           f"level:{skills[0].uri}": "4", f"level:{skills[1].uri}": "1"})
    assert response.status_code == 302
    profile = CandidateProfile.objects.get(user__username="reskilling.valmiera")
    assert dict(profile.skill_links.values_list("skill_id", "proficiency")) == {skills[0].pk: 4, skills[1].pk: 1}


def test_an_unknown_skill_or_level_is_400_and_changes_nothing():
    client = signed_in("reskilling.valmiera")
    before = list(CandidateProfile.objects.get(user__username="reskilling.valmiera").skill_links.values_list(
        "skill_id", "proficiency"))
    skill = Skill.objects.first()
    assert client.post("/me/skills/", {"action": "save", "keep": ["http://example.org/nope"]}).status_code == 400
    assert client.post("/me/skills/", {"action": "save", "keep": [skill.uri],
                                       f"level:{skill.uri}": "9"}).status_code == 400
    after = list(CandidateProfile.objects.get(user__username="reskilling.valmiera").skill_links.values_list(
        "skill_id", "proficiency"))
    assert after == before


def test_an_empty_or_too_long_text_is_400():
    client = signed_in("reskilling.valmiera")
    assert client.post("/me/skills/", {"action": "suggest", "text": ""}).status_code == 400
    assert client.post("/me/skills/", {"action": "suggest", "text": "a" * 10_001}).status_code == 400


def test_the_profile_saves_town_commute_languages_hours_and_consent():
    client = signed_in("student.via")
    town = Vacancy.objects.public().first().town
    response = client.post("/me/profile/", {
        "town": town.pk, "max_commute_km": 45, "employment_status": "studying", "highest_education": 2,
        "available_hours": ["part_time"], "available_from": "2027-01-10", "lang_lv": 6, "lang_en": 4,
        "consent_discoverable": ""})
    assert response.status_code == 302
    profile = CandidateProfile.objects.get(user__username="student.via")
    assert (profile.town, profile.max_commute_km, profile.available_hours) == (town, 45, ["part_time"])
    assert dict(profile.languages.values_list("language", "level")) == {"lv": 6, "en": 4}
    assert not profile.consent_discoverable


def test_a_bad_profile_is_400_beside_the_field():
    response = signed_in("student.via").post("/me/profile/", {"max_commute_km": 9000, "town": 1})
    assert response.status_code == 400 and 'id="id_max_commute_km_error"' in text(response)


# ------------------------------------------------------------------------------------------- recommendations
def test_the_welders_jobs_are_explained_and_logged_like_the_apis():
    client = signed_in("welder.ventspils")
    before = RecommendationList.objects.filter(kind="jobs").count()
    html = text(client.get("/me/jobs/"))
    assert re.search(r'href="/jobs/\d+/"', html) and "Tev ir būtiskās prasmes" in html and " km " in html
    assert RecommendationList.objects.filter(kind="jobs").count() == before + 1


@pytest.mark.parametrize("url", ["/me/programmes/", "/me/careers/", "/me/pathways/"])
def test_the_welders_other_lists_render(url):
    response = signed_in("welder.ventspils").get(url)
    assert response.status_code == 200 and "<ol class=\"results\">" in text(response)


def test_a_supervised_pupil_sees_what_the_counsellor_released_and_only_that():
    pupil = CandidateProfile.objects.get(user__username="pupil.valmiera")
    client = signed_in("pupil.valmiera")
    html = text(client.get("/me/jobs/"))
    assert "Šo sarakstu vispirms pārskatīs tavs karjeras konsultants " + str(pupil.counsellor) in html
    assert "Tavs karjeras konsultants: " + str(pupil.counsellor) in html
    vacancy = Vacancy.objects.public().first()
    save_review(actor=pupil.counsellor.user, candidate=pupil, kind="jobs", item_key=f"vacancy:{vacancy.pk}",
                decision=Review.Decision.ADDED, reason="", note="", version=None)
    html = text(client.get("/me/jobs/"))
    assert re.findall(r'href="/jobs/(\d+)/"', html) == [str(vacancy.pk)]
    assert "konsultants pievienojis" in html


def test_what_if_with_a_programme_shows_the_jobs_gained_and_saves_nothing():
    client = signed_in("welder.ventspils")
    programme = Intake.objects.filter(programme__is_active=True, programme__voucher_eligible=True).first().programme
    skills_before = CandidateProfile.objects.get(user__username="welder.ventspils").skill_links.count()
    response = client.get("/me/what-if/", {"programme": programme.pk})
    assert response.status_code == 200 and "Pievienotās prasmes" in text(response)
    assert CandidateProfile.objects.get(user__username="welder.ventspils").skill_links.count() == skills_before


@pytest.mark.parametrize(("query", "field"), [({}, "programme"), ({"programme": 999999}, "programme"),
                                              ({"programme": "x"}, "programme")])
def test_bad_what_if_input_is_400_beside_the_field(query, field):
    response = signed_in("welder.ventspils").get("/me/what-if/", query or {"skill": ""})
    assert response.status_code == 400 and f'id="id_{field}_error"' in text(response)


# ------------------------------------------------------------------------------------------- applying
def test_applying_to_a_job_and_an_intake_with_a_message_then_seeing_and_withdrawing():
    client = signed_in("welder.ventspils")
    vacancy = Vacancy.objects.public().filter(min_age__lte=18).first()
    intake = Intake.objects.filter(programme__is_active=True, application_deadline__gte="2000-01-01").order_by(
        "-start_date").first()
    assert client.post(f"/jobs/{vacancy.pk}/apply/", {"message": "Labdien!"}).status_code == 302
    assert client.post(f"/intakes/{intake.pk}/apply/", {"message": "Gribu mācīties"}).status_code == 302
    mine = Application.objects.filter(candidate__user__username="welder.ventspils")
    assert set(mine.values_list("message", flat=True)) == {"Labdien!", "Gribu mācīties"}
    html = text(client.get("/me/applications/"))
    assert vacancy.title in html and "iesniegts" in html
    again = client.post(f"/jobs/{vacancy.pk}/apply/", {"message": "again"})
    assert again.status_code == 400 and 'id="id_message_error"' in text(again) and mine.count() == 2
    application = mine.get(vacancy=vacancy)
    assert client.post(f"/me/applications/{application.pk}/withdraw/").status_code == 302
    assert Application.objects.get(pk=application.pk).status == Application.Status.WITHDRAWN


def test_nobody_else_can_withdraw_or_apply_for_a_candidate():
    application = Application.objects.exclude(candidate__user__username="welder.ventspils").filter(
        status="submitted").first()
    client = signed_in("welder.ventspils")
    assert client.post(f"/me/applications/{application.pk}/withdraw/").status_code == 404
    vacancy = Vacancy.objects.public().first()
    assert signed_in("employer.valmiera").post(f"/jobs/{vacancy.pk}/apply/").status_code == 403
    assert Client().post(f"/jobs/{vacancy.pk}/apply/").status_code == 302  # to sign in
    assert Application.objects.get(pk=application.pk).status == "submitted"


def test_a_draft_vacancy_cannot_be_applied_to():
    draft = Vacancy.objects.filter(status="draft").first()
    assert signed_in("welder.ventspils").post(f"/jobs/{draft.pk}/apply/").status_code == 404


# ------------------------------------------------------------------------------------------- my data
def test_the_export_downloads_everything_held_as_json():
    response = signed_in("welder.ventspils").get("/me/data/export/")
    assert response["Content-Disposition"] == 'attachment; filename="my-data.json"'
    data = json.loads(response.content)
    assert data["user"]["username"] == "welder.ventspils" and data["skills"]


def test_withdrawing_consent_hides_the_candidate_from_employers():
    client = signed_in("welder.ventspils")
    html = text(client.get("/me/data/"))
    assert "Ja atsauksi piekrišanu" in html  # the consequence is said before the button
    assert client.post("/me/data/consent/").status_code == 302
    assert not CandidateProfile.objects.get(user__username="welder.ventspils").consent_discoverable


def test_deleting_needs_the_typed_confirmation_then_erases_and_signs_out():
    client = signed_in("reskilling.valmiera")
    html = text(client.get("/me/data/"))
    assert html.index("To nevar atsaukt") < html.index("Dzēst kontu neatgriezeniski")
    wrong = client.post("/me/data/delete/", {"confirm": "ok"})
    assert wrong.status_code == 400 and User.objects.get(username="reskilling.valmiera").is_active
    assert client.post("/me/data/delete/", {"confirm": "DZĒST"}).status_code == 302
    assert not User.objects.filter(username="reskilling.valmiera").exists()
    assert client.get("/me/").status_code == 302


def test_staff_made_accounts_cannot_delete_themselves_here():
    client = signed_in("counsellor.valmiera")
    assert client.post("/me/data/delete/", {"confirm": "DELETE"}).status_code == 403
    assert User.objects.get(username="counsellor.valmiera").is_active


def test_only_candidates_can_withdraw_consent():
    assert signed_in("employer.valmiera").post("/me/data/consent/").status_code == 403
