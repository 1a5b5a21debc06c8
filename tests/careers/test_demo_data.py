"""The demo world: load_reference + load_demo, loaded once for the module, checked against the journeys' needs."""
from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import Count, Q
from django.utils import timezone

from careers import demo
from careers.models import (
    Application,
    CandidateProfile,
    ContractKind,
    Counsellor,
    Employer,
    HoursKind,
    OccupationSkill,
    Programme,
    ProviderStaff,
    RelationType,
    Role,
    User,
    Vacancy,
    VacancySkill,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_world")]


def _counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_at_least_150_open_public_vacancies_among_170():
    today = timezone.localdate()
    assert Vacancy.objects.count() >= 170
    assert Vacancy.objects.filter(status=Vacancy.Status.OPEN).count() >= 150
    assert Vacancy.objects.public().count() >= 150
    assert Vacancy.objects.filter(status=Vacancy.Status.DRAFT).exists()
    assert Vacancy.objects.filter(status=Vacancy.Status.CLOSED).exists()
    for vacancy in Vacancy.objects.filter(status=Vacancy.Status.OPEN):
        assert today - dt.timedelta(days=30) <= vacancy.published_at <= today
        assert today + dt.timedelta(days=14) <= vacancy.expires_at <= today + dt.timedelta(days=70), vacancy


def test_every_vacancy_has_an_occupation_and_three_skills_from_it():
    assert not Vacancy.objects.filter(occupation__isnull=True).exists()
    assert not Vacancy.objects.annotate(n=Count("skill_links")).filter(n__lt=3).exists()
    essential = set(
        OccupationSkill.objects.filter(relation=RelationType.ESSENTIAL).values_list("occupation_id", "skill_id")
    )
    linked = set(OccupationSkill.objects.values_list("occupation_id", "skill_id"))
    for occupation_id, skill_id, is_essential in VacancySkill.objects.values_list(
        "vacancy__occupation_id", "skill_id", "essential"
    ):
        assert (occupation_id, skill_id) in linked
        if is_essential:
            assert (occupation_id, skill_id) in essential


def test_every_contract_kind_and_hours_kind_is_open_somewhere():
    open_vacancies = Vacancy.objects.filter(status=Vacancy.Status.OPEN)
    assert set(open_vacancies.values_list("contract_kind", flat=True)) == set(ContractKind.values)
    assert set(open_vacancies.values_list("hours", flat=True)) == set(HoursKind.values)
    assert {"on_site", "hybrid", "remote"} <= set(open_vacancies.values_list("work_arrangement", flat=True))
    assert {"lv", "en"} <= set(open_vacancies.values_list("text_language", flat=True))


def test_vacancies_are_spread_over_the_towns_mostly_valmiera_and_ventspils():
    towns = dict(Vacancy.objects.values_list("town__name").annotate(n=Count("id")))
    assert towns["Valmiera"] + towns["Ventspils"] >= 0.75 * sum(towns.values())
    assert min(towns["Valmiera"], towns["Ventspils"]) >= 50
    assert {"Cēsis", "Kuldīga", "Talsi", "Rīga"} <= towns.keys()


def test_latvian_postings_read_like_latvian_ads_with_salary():
    latvian = Vacancy.objects.filter(text_language="lv")
    assert latvian.count() >= 100
    for vacancy in latvian:
        for heading in ("Pienākumi:", "Prasības:", "Mēs piedāvājam:"):
            assert heading in vacancy.description
        assert f"Bruto alga {vacancy.salary_min}–{vacancy.salary_max} EUR mēnesī" in vacancy.description
    full_time = Vacancy.objects.exclude(hours=HoursKind.PART_TIME).exclude(
        contract_kind__in=[ContractKind.SUMMER_JOB, ContractKind.APPRENTICESHIP, ContractKind.INTERNSHIP]
    )
    assert not full_time.filter(salary_min__lt=780).exists()  # 2026 minimum wage


def test_minors_find_summer_jobs_and_apprenticeships_in_valmiera():
    for_minors = Vacancy.objects.public().filter(town__name="Valmiera", min_age__lte=16)
    kinds = set(for_minors.values_list("contract_kind", flat=True))
    assert {ContractKind.SUMMER_JOB, ContractKind.APPRENTICESHIP} <= kinds
    assert for_minors.count() >= 5


def test_unverified_employer_has_a_draft_and_nothing_public():
    unverified = Employer.objects.filter(verified=False)
    assert unverified.exists()
    assert Vacancy.objects.filter(employer__in=unverified, status=Vacancy.Status.DRAFT).exists()
    assert not Vacancy.objects.public().filter(employer__in=unverified).exists()
    assert User.objects.get(username="employer.unverified").employers.filter(verified=False).exists()


def test_at_least_220_candidates_of_every_kind_and_status():
    profiles = CandidateProfile.objects
    assert profiles.count() >= 220
    assert set(profiles.values_list("kind", flat=True)) == set(CandidateProfile.Kind.values)
    assert set(profiles.values_list("employment_status", flat=True)) == set(CandidateProfile.EmploymentStatus.values)
    assert {"female", "male"} <= set(profiles.values_list("gender", flat=True))
    assert not profiles.annotate(n=Count("skill_links")).filter(n=0).exists()
    assert not profiles.annotate(n=Count("languages")).filter(n=0).exists()
    assert profiles.filter(consent_discoverable=True).count() > profiles.filter(consent_discoverable=False).count() > 0
    assert not profiles.filter(consent_discoverable=True, consent_discoverable_at__isnull=True).exists()
    assert profiles.filter(work_history__isnull=False).distinct().count() >= 100
    assert profiles.filter(riasec_r__isnull=False).count() >= 150


def test_minors_are_supervised_and_hidden_unless_the_counsellor_allows():
    minors = [p for p in CandidateProfile.objects.select_related("counsellor") if p.is_minor]
    assert len(minors) >= 40
    for profile in minors:
        # Supervised by age; the stored flag is only a counsellor's choice for an adult.
        assert profile.is_supervised and not profile.supervised
        assert profile.counsellor is not None and profile.consent_counsellor
        if not profile.minor_visible_to_employers:
            assert not profile.visible_to_employers
    # Some adults are supervised by their counsellor's choice, and only adults store it.
    chosen = list(CandidateProfile.objects.filter(supervised=True))
    assert chosen and all(not p.is_minor and p.counsellor_id for p in chosen)
    # The rule is exercised: some minors consented to be found and are still hidden.
    assert any(p.consent_discoverable and not p.visible_to_employers for p in minors)


def test_journey_people_match_their_stories():
    pupil = CandidateProfile.objects.get(user__username="pupil.valmiera")
    assert pupil.age() == 16 and pupil.town.name == "Valmiera"
    assert pupil.is_supervised and not pupil.visible_to_employers
    assert pupil.counsellor.user.username == "counsellor.valmiera"
    assert pupil.riasec_r is not None and 1 <= pupil.skill_links.count() <= 4
    welder = CandidateProfile.objects.get(user__username="welder.ventspils")
    assert welder.age() == 42 and welder.town.name == "Ventspils"
    assert welder.employment_status == CandidateProfile.EmploymentStatus.UNEMPLOYED
    assert "metināt" in welder.about.lower() and "rasējum" in welder.about.lower()
    assert welder.work_history.filter(occupation__label_en="welder").exists()
    cnc_jobs = Vacancy.objects.public().filter(
        town__name="Ventspils",
        occupation__label_en__in=["computer numerical control machine operator", "laser cutting machine operator"],
    )
    assert cnc_jobs.count() >= 3


def test_counsellors_have_caseloads_with_consent():
    counsellors = {c.user.username: c for c in Counsellor.objects.select_related("user", "institution")}
    assert counsellors["counsellor.valmiera"].works_for == Counsellor.Employer.SCHOOL
    assert counsellors["counsellor.valmiera"].institution.name_lv.startswith("Valmieras tehnikums")
    assert counsellors["counsellor.ventspils"].works_for == Counsellor.Employer.MUNICIPALITY
    assert counsellors["counsellor.ventspils.tehnikums"].institution.name_lv.lower().startswith("ventspils tehnikums")
    for counsellor in counsellors.values():
        assert counsellor.candidates.count() >= 5
        assert not counsellor.candidates.filter(consent_counsellor=False).exists()


def test_every_employer_login_has_a_draft_to_publish_and_an_open_vacancy():
    logins = User.objects.filter(username__startswith="employer.").exclude(username="employer.unverified")
    assert logins.count() >= 3
    for user in logins:
        employer = user.employers.get()
        assert employer.vacancies.filter(status=Vacancy.Status.DRAFT).exists(), user.username
        assert employer.vacancies.public().exists(), user.username


def test_some_posts_train_beginners_and_say_so():
    trains = Vacancy.objects.public().filter(experience_required=False)
    assert trains.count() >= 10
    assert all("pieredze nav nepieciešama" in v.description or "no experience needed" in v.description
               for v in trains)
    assert not Vacancy.objects.filter(experience_required=True, description__contains="pieredze nav nepieciešama")


def test_staff_roles_exist():
    assert ProviderStaff.objects.values("institution").distinct().count() == 4
    assert Employer.objects.filter(verified=True, members__isnull=False).distinct().count() >= 3
    assert User.objects.filter(role=Role.ANALYST).exists()
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser and admin.role == Role.ADMIN
    valmiera_employer = User.objects.get(username="employer.valmiera").employers.get()
    assert valmiera_employer.verified and valmiera_employer.town.name == "Valmiera"


def test_applications_to_vacancies_and_intakes_in_various_statuses():
    applications = Application.objects
    assert applications.filter(vacancy__isnull=False).count() >= 50
    assert applications.filter(intake__isnull=False).count() >= 20
    assert len(set(applications.values_list("status", flat=True))) >= 5
    journey_users = [login.username for login in demo.DEMO_LOGINS]
    assert not applications.filter(candidate__user__username__in=journey_users).exists()


def test_programmes_with_and_without_funding_exist():
    funded = Q(state_funded_places=True) | Q(voucher_eligible=True) | Q(adult_learning_cofinanced=True)
    assert Programme.objects.filter(funded).exists()
    assert Programme.objects.exclude(funded).exists()


def test_each_demo_login_authenticates_with_the_demo_password():
    for login in demo.DEMO_LOGINS:
        user = authenticate(username=login.username, password=demo.DEMO_PASSWORD)
        assert user is not None, login.username
        assert user.role == login.role
    assert authenticate(username="admin", password="wrong-password") is None
    generated = User.objects.filter(username__startswith="pupil-vtech-").first()
    assert generated is not None and not generated.has_usable_password()


def test_demo_emails_use_the_reserved_example_domain_and_no_phones():
    demo_users = User.objects.filter(email__endswith=f"@{demo.DEMO_EMAIL_DOMAIN}")
    assert demo_users.count() == User.objects.count()
    assert demo.DEMO_EMAIL_DOMAIN.endswith(".example")  # RFC 2606: can never be a real domain
    assert not CandidateProfile.objects.exclude(phone="").exists()


def test_load_demo_twice_changes_nothing():
    counts = _counts()
    vacancies = list(Vacancy.objects.order_by("pk").values())
    profiles = list(CandidateProfile.objects.order_by("pk").values())
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert _counts() == counts
    assert list(Vacancy.objects.order_by("pk").values()) == vacancies
    assert list(CandidateProfile.objects.order_by("pk").values()) == profiles
    for login in demo.DEMO_LOGINS:
        assert login.username in out.getvalue()
