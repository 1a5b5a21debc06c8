"""/me: read and change one's own data (property-level authorization), export it, erase it."""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from api.serializers.account import MeExportOutputSerializer
from careers import models as m
from careers.models import (
    Application,
    CandidateLanguage,
    CandidateProfile,
    CandidateSkill,
    Role,
    User,
    WorkExperience,
)
from careers.services.accounts import ERASED_USERNAME_PREFIX, ERASURE_BY_ADMINISTRATOR, NOT_A_CANDIDATE
from tests.factories import (
    ApplicationFactory,
    CandidateFactory,
    CandidateSkillFactory,
    CounsellorFactory,
    EmployerFactory,
    IntakeFactory,
    OccupationFactory,
    ProviderStaffFactory,
    SkillFactory,
    TownFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"
EXPORT = "/api/v1/me/export/"


def client_for(user: User) -> APIClient:
    """A client with a real access token (not force_authenticate), so the JWT checks run too."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
    return client


def patch(client: APIClient, body, **extra):
    return client.patch(ME, body, format="json", **extra)


# ------------------------------------------------------------------------------------------------ GET


def test_anonymous_gets_401():
    response = APIClient().get(ME)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_candidate_sees_their_profile_with_skills_history_languages_and_consents():
    candidate = CandidateFactory(riasec_r=5.5, available_hours=["part_time"])
    skill = SkillFactory(label_en="welding", label_lv="metināšana")
    CandidateSkill.objects.create(candidate=candidate, skill=skill, proficiency=3)
    occupation = OccupationFactory()
    WorkExperience.objects.create(candidate=candidate, occupation=occupation, years=Decimal("2.5"), title="Metinātājs")
    CandidateLanguage.objects.create(candidate=candidate, language="lv", level=6)
    candidate.target_occupations.add(occupation)

    body = client_for(candidate.user).get(ME).json()
    profile = body["candidate"]
    assert body["role"] == "candidate" and body["employer_memberships"] == []
    assert body["provider"] is None and body["counsellor"] is None
    assert profile["skills"] == [{"uri": skill.uri, "label": "metināšana", "proficiency": 3}]
    assert profile["work_history"] == [{"occupation": occupation.uri, "occupation_label": occupation.label_lv,
                                        "years": "2.5", "title": "Metinātājs", "employer_name": ""}]
    assert profile["languages"] == [{"language": "lv", "level": 6}]
    assert profile["target_occupations"] == [occupation.uri]
    assert profile["riasec"] == {"r": 5.5, "i": None, "a": None, "s": None, "e": None, "c": None}
    assert profile["available_hours"] == ["part_time"]
    assert profile["consents"]["processing"]["given"] is True and profile["consents"]["processing"]["at"]
    assert profile["consents"]["discoverable"] == {"given": False, "at": None}


def test_labels_follow_accept_language():
    candidate = CandidateFactory()
    skill = SkillFactory(label_en="welding", label_lv="metināšana")
    CandidateSkill.objects.create(candidate=candidate, skill=skill, proficiency=2)
    client = client_for(candidate.user)
    assert client.get(ME).json()["candidate"]["skills"][0]["label"] == "metināšana"
    assert client.get(ME, HTTP_ACCEPT_LANGUAGE="en").json()["candidate"]["skills"][0]["label"] == "welding"


def test_get_me_runs_a_fixed_number_of_queries(django_assert_max_num_queries):
    candidate = CandidateFactory()
    for _ in range(30):
        CandidateSkillFactory(candidate=candidate)
    client = client_for(candidate.user)
    with django_assert_max_num_queries(12):
        assert client.get(ME).status_code == 200


def test_employer_member_sees_their_memberships():
    user = UserFactory(role=Role.EMPLOYER)
    employer = EmployerFactory(name="SIA Koks", verified=False)
    employer.members.add(user)
    EmployerFactory(name="SIA Citi")  # not theirs
    body = client_for(user).get(ME).json()
    assert body["candidate"] is None
    assert body["employer_memberships"] == [{"id": employer.pk, "name": "SIA Koks", "verified": False}]


def test_provider_staff_see_their_institution():
    staff = ProviderStaffFactory()
    body = client_for(staff.user).get(ME).json()
    assert body["provider"]["institution"]["id"] == staff.institution.pk


def test_counsellor_sees_their_caseload_size():
    counsellor = CounsellorFactory()
    CandidateFactory.create_batch(2, counsellor=counsellor)
    CandidateFactory()  # someone else's
    body = client_for(counsellor.user).get(ME).json()
    assert body["counsellor"]["caseload_size"] == 2
    assert body["counsellor"]["town"]["name"] == counsellor.town.name


# --------------------------------------------------------------------------- PATCH: property-level authz


def _snapshot(user: User) -> dict:
    user = User.objects.get(pk=user.pk)
    state = {f"user.{f.attname}": getattr(user, f.attname) for f in User._meta.concrete_fields}
    profile = CandidateProfile.objects.filter(user=user).first()
    if profile is not None:
        state.update({f"profile.{f.attname}": getattr(profile, f.attname) for f in CandidateProfile._meta.concrete_fields
                      if f.attname != "updated_at"})
    return state


@pytest.fixture
def minor():
    """A supervised minor with a counsellor: the fields a candidate must not be able to flip."""
    counsellor = CounsellorFactory()
    return CandidateFactory(birth_year=timezone.localdate().year - 15, supervised=True, counsellor=counsellor)


USER_FIELDS = {
    "is_staff": True, "is_superuser": True, "role": "admin", "id": 999_999, "pk": 999_999, "username": "boss",
    "is_active": False, "date_joined": "2000-01-01T00:00:00Z", "last_login": "2000-01-01T00:00:00Z",
    "password": "Jauna-Parole-123", "groups": [1], "user_permissions": [1],
}
PROFILE_FIELDS = {
    "counsellor": None, "counsellor_id": None, "supervised": False, "minor_visible_to_employers": True,
    "birth_year": 1990, "user": 1, "user_id": 1, "id": 999_999, "consent_processing_at": "2000-01-01T00:00:00Z",
    "consent_discoverable_at": "2000-01-01T00:00:00Z", "created_at": "2000-01-01T00:00:00Z",
    "visible_to_employers": True, "is_minor": False,
}


@pytest.mark.parametrize("name, value", list(USER_FIELDS.items()))
def test_patch_ignores_protected_account_fields(minor, name, value):
    before = _snapshot(minor.user)
    response = patch(client_for(minor.user), {name: value})
    assert response.status_code == 200, response.content
    assert _snapshot(minor.user) == before


@pytest.mark.parametrize("name, value", list(PROFILE_FIELDS.items()))
def test_patch_ignores_protected_profile_fields(minor, name, value):
    before = _snapshot(minor.user)
    response = patch(client_for(minor.user), {"candidate": {name: value}})
    assert response.status_code == 200, response.content
    assert _snapshot(minor.user) == before
    assert not CandidateProfile.objects.get(pk=minor.pk).visible_to_employers


def test_the_protected_field_tables_would_notice_a_change(minor):
    """Guard for the two tables above: an allowed field does change the snapshot."""
    before = _snapshot(minor.user)
    assert patch(client_for(minor.user), {"first_name": "Cits", "candidate": {"about": "x"}}).status_code == 200
    after = _snapshot(minor.user)
    assert after["user.first_name"] == "Cits" and after["profile.about"] == "x" and after != before


def test_patch_with_another_users_id_changes_only_your_own_record():
    me, other = CandidateFactory(), CandidateFactory()
    other_before = _snapshot(other.user)
    body = {"id": other.user.pk, "user": other.user.pk, "username": other.user.username, "first_name": "Anna",
            "candidate": {"id": other.pk, "user": other.user.pk, "about": "par mani"}}
    assert patch(client_for(me.user), body).status_code == 200
    assert _snapshot(other.user) == other_before
    me.refresh_from_db()
    assert me.user.first_name == "Anna" and me.about == "par mani"


def test_patch_replaces_lists_and_sets_scalars():
    candidate = CandidateFactory()
    CandidateSkillFactory(candidate=candidate)
    welding, driving = SkillFactory(), SkillFactory()
    occupation, target = OccupationFactory(), OccupationFactory()
    town = TownFactory(name="Ventspils", latitude=57.39, longitude=21.56)
    body = {"email": "jauns@example.lv", "preferred_language": "en", "candidate": {
        "skills": [{"uri": welding.uri, "proficiency": 4}, {"uri": driving.uri, "proficiency": 1}],
        "work_history": [{"occupation": occupation.uri, "years": "3.5", "title": "Operators", "employer_name": "SIA A"}],
        "languages": [{"language": "lv", "level": 6}, {"language": "en", "level": 4}],
        "target_occupations": [target.uri], "riasec": {"r": 6, "s": 2.5}, "town": town.pk, "max_commute_km": 45,
        "available_hours": ["full_time", "shifts"], "available_from": "2030-09-01", "phone": "+371 20000000",
    }}
    response = patch(client_for(candidate.user), body)
    assert response.status_code == 200, response.content
    candidate.refresh_from_db()
    assert candidate.user.email == "jauns@example.lv" and candidate.user.preferred_language == "en"
    assert {(s.skill_id, s.proficiency) for s in candidate.skill_links.all()} == {(welding.pk, 4), (driving.pk, 1)}
    assert [(w.occupation_id, w.years, w.title) for w in candidate.work_history.all()] == [
        (occupation.pk, Decimal("3.5"), "Operators")]
    assert sorted(candidate.languages.values_list("language", "level")) == [("en", 4), ("lv", 6)]
    assert list(candidate.target_occupations.all()) == [target]
    assert (candidate.riasec_r, candidate.riasec_s, candidate.riasec_i) == (6, 2.5, None)
    assert (candidate.town, candidate.max_commute_km) == (town, 45)
    assert candidate.available_hours == ["full_time", "shifts"]
    assert candidate.available_from == dt.date(2030, 9, 1)
    assert response.json()["candidate"]["skills"][0]["proficiency"] in (4, 1)


def test_an_invalid_item_rolls_back_the_whole_patch():
    candidate = CandidateFactory(about="vecais")
    CandidateSkillFactory(candidate=candidate)
    before = _snapshot(candidate.user)
    body = {"first_name": "Jauns", "candidate": {"about": "jauns", "skills": [
        {"uri": SkillFactory().uri, "proficiency": 2}, {"uri": "http://data.europa.eu/esco/skill/nope", "proficiency": 2}]}}
    response = patch(client_for(candidate.user), body)
    assert response.status_code == 400
    assert "skills" in response.json()["error"]["fields"]["candidate"]
    assert _snapshot(candidate.user) == before
    assert candidate.skill_links.count() == 1


def test_turning_a_consent_on_stamps_the_time_and_off_clears_it():
    candidate = CandidateFactory()
    client = client_for(candidate.user)
    before = timezone.now()
    patch(client, {"candidate": {"consents": {"discoverable": True}}})
    candidate.refresh_from_db()
    stamped = candidate.consent_discoverable_at
    assert candidate.consent_discoverable and stamped >= before

    patch(client, {"candidate": {"consents": {"discoverable": True}}})  # still on: the original time stays
    candidate.refresh_from_db()
    assert candidate.consent_discoverable_at == stamped

    patch(client, {"candidate": {"consents": {"discoverable": False}}})
    candidate.refresh_from_db()
    assert not candidate.consent_discoverable and candidate.consent_discoverable_at is None
    assert candidate.consent_processing  # untouched consents stay as they were


def test_non_candidates_cannot_send_a_candidate_profile():
    user = UserFactory(role=Role.EMPLOYER)
    response = patch(client_for(user), {"first_name": "Ilze", "candidate": {"about": "x"}})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"candidate": [str(NOT_A_CANDIDATE)]}
    user.refresh_from_db()
    assert user.first_name != "Ilze"


def test_employer_can_change_their_name():
    user = UserFactory(role=Role.EMPLOYER)
    assert patch(client_for(user), {"last_name": "Bērziņa"}).status_code == 200
    user.refresh_from_db()
    assert user.last_name == "Bērziņa"


# ------------------------------------------------------------------------------------------------ export


@pytest.fixture
def rich_candidate():
    candidate = CandidateFactory(phone="+371 29000111", about="Strādāju kokapstrādē.")
    CandidateSkillFactory(candidate=candidate, proficiency=4)
    WorkExperience.objects.create(candidate=candidate, occupation=OccupationFactory(), years=1, title="Galdnieks",
                                  employer_name="SIA Koks")
    CandidateLanguage.objects.create(candidate=candidate, language="en", level=3)
    ApplicationFactory(candidate=candidate, message="Lūdzu, izskatiet manu pieteikumu.")
    Application.objects.create(candidate=candidate, intake=IntakeFactory(), message="Gribu mācīties.")
    return candidate


def test_export_holds_everything_about_the_user_and_nothing_about_others(rich_candidate):
    other = CandidateFactory(about="Citas personas teksts")
    CandidateSkillFactory(candidate=other)
    client = client_for(rich_candidate.user)
    client.get(ME)  # any earlier use
    RefreshToken.for_user(rich_candidate.user)  # a sign-in on record
    response = client.get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = response.json()
    user = rich_candidate.user
    assert data["user"]["email"] == user.email and data["user"]["first_name"] == user.first_name
    assert data["profile"]["phone"] == "+371 29000111" and data["profile"]["about"] == "Strādāju kokapstrādē."
    assert data["profile"]["birth_year"] == rich_candidate.birth_year
    assert data["consents"]["processing"]["given"] is True
    assert data["consents"]["processing"]["at"] == rich_candidate.consent_processing_at.isoformat()
    assert [s["proficiency"] for s in data["skills"]] == [4]
    assert data["languages"] == [{"language": "en", "level": 3}]
    assert data["work_history"][0]["title"] == "Galdnieks" and data["work_history"][0]["employer_name"] == "SIA Koks"
    assert sorted(a["target"]["type"] for a in data["applications"]) == ["intake", "vacancy"]
    assert "Lūdzu, izskatiet manu pieteikumu." in {a["message"] for a in data["applications"]}
    assert len(data["sign_ins"]) == 1 and data["sign_ins"][0]["revoked"] is False
    assert "Citas personas teksts" not in response.content.decode()
    assert "password" not in response.content.decode()


def served_and_reviewed(candidate, *, note: str) -> tuple[m.RecommendationList, m.Review]:
    """A jobs list served for ``candidate`` and a counsellor's review of its item, with one history entry."""
    served = m.RecommendationList.objects.create(candidate=candidate, kind="jobs", model_version="hand-weighted-1")
    m.RecommendationItem.objects.create(list=served, item_key="vacancy:7", rank=1, score=0.75,
                                        features={"matched": [3, 4], "distance_km": 12.0})
    counsellor = candidate.counsellor.user if candidate.counsellor else CounsellorFactory().user
    review = m.Review.objects.create(candidate=candidate, kind="jobs", item_key="vacancy:7", decision="approved",
                                     note=note, counsellor=counsellor, version=1)
    m.ReviewLog.objects.create(review=review, actor=counsellor, decision="approved", note=note, version=1)
    return served, review


def test_export_holds_the_lists_served_and_the_counsellors_reviews(rich_candidate):
    """Issue 15, finding 5: the export lists what was recommended to the person and what counsellors noted."""
    served, review = served_and_reviewed(rich_candidate, note="Runājām par maiņu darbu.")
    served_and_reviewed(CandidateFactory(), note="Citas personas piezīme")
    data = client_for(rich_candidate.user).get(EXPORT).json()
    assert data["recommendation_lists"] == [{
        "id": served.pk, "kind": "jobs", "model_version": "hand-weighted-1", "served_at": served.created_at.isoformat(),
        "items": [{"item": "vacancy:7", "rank": 1, "score": 0.75, "features": {"matched": [3, 4], "distance_km": 12.0}}],
    }]
    [exported] = data["reviews"]
    assert exported["item"] == "vacancy:7" and exported["decision"] == "approved"
    assert exported["note"] == "Runājām par maiņu darbu."
    assert [entry["note"] for entry in exported["history"]] == ["Runājām par maiņu darbu."]
    assert "Citas personas piezīme" not in json.dumps(data, ensure_ascii=False)


def test_export_keys_match_the_documented_schema(rich_candidate):
    data = client_for(rich_candidate.user).get(EXPORT).json()
    assert set(data) == set(MeExportOutputSerializer().fields)


def test_export_for_an_employer_lists_memberships():
    user = UserFactory(role=Role.EMPLOYER)
    employer = EmployerFactory()
    employer.members.add(user)
    data = client_for(user).get(EXPORT).json()
    assert data["profile"] is None and data["skills"] == []
    assert data["employer_memberships"][0]["id"] == employer.pk


def test_export_needs_a_token():
    assert APIClient().get(EXPORT).status_code == 401


# ----------------------------------------------------------------------------------------------- erasure

MARKERS = ["Zeltīte", "Vītoliņa", "zeltite.qx", "29 000 111", "Qxabout", "Qxstudies", "Qxtitle", "Qxemployer",
           "Qxmessage", "Qxintake", "Qxnote"]
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def _text_hits(markers: list[str]) -> list[str]:
    """Every row of every model whose text fields contain a marker: table, column and marker."""
    hits = []
    wanted = [marker.casefold() for marker in markers]
    for model in apps.get_models(include_auto_created=True):
        columns = [f.attname for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        if not columns:
            continue
        for row in model._base_manager.values_list(*columns):
            for column, value in zip(columns, row):
                text = str(value).casefold()
                hits += [f"{model._meta.db_table}.{column}: {m}" for m in wanted if m in text]
    return hits


@pytest.fixture
def person():
    """A candidate whose personal data carries unique markers, in every place the service keeps text."""
    user = UserFactory(username="zeltite.qx", first_name="Zeltīte", last_name="Vītoliņa",
                       email="zeltite.qx@example.lv")
    candidate = CandidateFactory(user=user, phone="+371 29 000 111", about="Qxabout: mans stāsts",
                                 current_studies="Qxstudies", consent_discoverable=True,
                                 consent_discoverable_at=timezone.now(), counsellor=CounsellorFactory())
    CandidateSkillFactory(candidate=candidate)
    CandidateLanguage.objects.create(candidate=candidate, language="lv", level=6)
    WorkExperience.objects.create(candidate=candidate, occupation=OccupationFactory(), years=2, title="Qxtitle",
                                  employer_name="Qxemployer")
    candidate.target_occupations.add(OccupationFactory())
    submitted = ApplicationFactory(candidate=candidate, message="Qxmessage, Zeltīte")
    hired = ApplicationFactory(candidate=candidate, status=Application.Status.HIRED, message="Qxmessage 2")
    Application.objects.create(candidate=candidate, intake=IntakeFactory(), message="Qxintake")
    # A counsellor's note naming the person and quoting their phone, in the review and in its history.
    served_and_reviewed(candidate, note="Zvanīju Zeltītei uz 29 000 111, Qxnote")
    admin = UserFactory(is_staff=True, role=Role.ADMIN)
    for obj in (user, candidate, submitted, hired):  # admin history stores str(obj): the person's name
        LogEntry.objects.create(user=admin, content_type=ContentType.objects.get_for_model(obj),
                                object_id=str(obj.pk), object_repr=str(obj)[:200], action_flag=CHANGE,
                                change_message='[{"changed": {"fields": ["about"]}}]')
    return candidate


def test_erasure_leaves_no_personal_text_in_any_table(person):
    assert len(_text_hits(MARKERS)) >= len(MARKERS)  # the scan finds them before erasure
    other = CandidateFactory(about="Citas personas Qx-free teksts")
    client = client_for(person.user)

    response = client.delete(ME)
    assert response.status_code == 204
    assert _text_hits(MARKERS) == []
    other.refresh_from_db()
    assert other.about == "Citas personas Qx-free teksts"


def test_erasure_keeps_anonymised_statistics_and_deactivates_the_account(person):
    user_pk, profile_pk = person.user.pk, person.pk
    statuses_before = sorted(person.applications.values_list("status", flat=True))
    assert client_for(person.user).delete(ME).status_code == 204

    user = User.objects.get(pk=user_pk)
    assert user.username.startswith(ERASED_USERNAME_PREFIX) and not user.is_active
    assert (user.first_name, user.last_name, user.email) == ("", "", "")
    assert not user.has_usable_password()
    profile = CandidateProfile.objects.get(pk=profile_pk)
    assert (profile.phone, profile.about, profile.current_studies) == ("", "", "")
    assert not (profile.consent_discoverable or profile.consent_counsellor or profile.consent_processing)
    assert profile.counsellor is None and not profile.visible_to_employers
    assert profile.skill_links.count() == profile.languages.count() == profile.work_history.count() == 0
    # Applications stay for statistics: same count, open ones withdrawn, outcomes kept, messages gone.
    statuses = sorted(profile.applications.values_list("status", flat=True))
    assert len(statuses) == len(statuses_before) == 3
    assert statuses == sorted(["withdrawn", "hired", "withdrawn"])
    assert set(profile.applications.values_list("message", flat=True)) == {""}


def test_erasure_revokes_every_token(person, api_client):
    first = RefreshToken.for_user(person.user)
    second = RefreshToken.for_user(person.user)
    access = str(first.access_token)
    assert client_for(person.user).delete(ME).status_code == 204
    for refresh in (first, second):
        response = api_client.post("/api/v1/auth/token/refresh/", {"refresh": str(refresh)}, format="json")
        assert response.status_code == 401
    assert api_client.get(ME, HTTP_AUTHORIZATION=f"Bearer {access}").status_code == 401
    response = api_client.post("/api/v1/auth/token/", {"username": "zeltite.qx", "password": "correct-horse-battery-9"},
                               format="json")
    assert response.status_code == 401


def test_erasure_removes_employer_memberships_but_keeps_the_employer():
    user = UserFactory(role=Role.EMPLOYER, first_name="Qxboss")
    employer = EmployerFactory(name="SIA Paliek")
    employer.members.add(user)
    assert client_for(user).delete(ME).status_code == 204
    employer.refresh_from_db()
    assert employer.members.count() == 0
    assert not User.objects.filter(first_name="Qxboss").exists()


@pytest.mark.parametrize("make_user", [
    lambda: CounsellorFactory().user,
    lambda: ProviderStaffFactory().user,
    lambda: UserFactory(role=Role.ADMIN),
    lambda: UserFactory(role=Role.ANALYST),
    lambda: UserFactory(role=Role.CANDIDATE, is_staff=True),
])
def test_staff_made_accounts_cannot_erase_themselves(make_user):
    user = make_user()
    response = client_for(user).delete(ME)
    assert response.status_code == 403
    assert response.json()["error"]["message"] == str(ERASURE_BY_ADMINISTRATOR)
    user.refresh_from_db()
    assert user.is_active and not user.username.startswith(ERASED_USERNAME_PREFIX)


@pytest.mark.django_db
def test_me_names_the_candidate_profile_id_the_recommendation_endpoints_take():
    candidate = CandidateFactory()
    client = APIClient()
    client.force_authenticate(candidate.user)
    body = client.get("/api/v1/me/").json()
    assert body["candidate"]["id"] == candidate.id
    assert client.get(f"/api/v1/candidates/{body['candidate']['id']}/").status_code == 200
