"""factory_boy factories, one per model. Tests build what they need from these, never from fixtures/."""
from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from careers import models as m


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.lv")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("correct-horse-battery-9")
    role = m.Role.CANDIDATE


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Skill

    uri = factory.Sequence(lambda n: f"http://data.europa.eu/esco/skill/test-{n:05d}")
    label_en = factory.Sequence(lambda n: f"skill {n}")
    label_lv = factory.Sequence(lambda n: f"prasme {n}")


class OccupationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Occupation

    uri = factory.Sequence(lambda n: f"http://data.europa.eu/esco/occupation/test-{n:05d}")
    label_en = factory.Sequence(lambda n: f"occupation {n}")
    label_lv = factory.Sequence(lambda n: f"profesija {n}")
    isco_code = "7212"


class OccupationSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.OccupationSkill

    occupation = factory.SubFactory(OccupationFactory)
    skill = factory.SubFactory(SkillFactory)
    relation = m.RelationType.ESSENTIAL


class TownFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Town
        django_get_or_create = ("name",)

    name = "Valmiera"
    latitude = 57.54108
    longitude = 25.42751


class TownDistanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.TownDistance

    from_town = factory.SubFactory(TownFactory, name="Valmiera")
    to_town = factory.SubFactory(TownFactory, name="Cēsis", latitude=57.31188, longitude=25.27456)
    road_km = 32


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Institution

    name_lv = factory.Sequence(lambda n: f"Tehnikums {n}")
    name_en = factory.Sequence(lambda n: f"Technical School {n}")
    kind = m.Institution.Kind.VOCATIONAL_SCHOOL
    town = factory.SubFactory(TownFactory)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Programme

    institution = factory.SubFactory(InstitutionFactory)
    name_lv = factory.Sequence(lambda n: f"Programma {n}")
    name_en = factory.Sequence(lambda n: f"Programme {n}")
    kind = m.ProgrammeKind.CONTINUING_COURSE
    eqf_level = 3
    duration_months = 4
    languages = ["lv"]
    mode = m.ProgrammeMode.EVENING
    cost_eur = 600


class IntakeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Intake

    programme = factory.SubFactory(ProgrammeFactory)
    start_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=60))
    application_deadline = factory.LazyAttribute(lambda o: o.start_date - dt.timedelta(days=14))
    seats = 20


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Employer

    name = factory.Sequence(lambda n: f"SIA Uzņēmums {n}")
    town = factory.SubFactory(TownFactory)
    sector = m.Sector.METAL
    verified = True


class VacancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Vacancy

    employer = factory.SubFactory(EmployerFactory)
    title = factory.Sequence(lambda n: f"Metinātājs {n}")
    description = "Meklējam metinātāju ražotnē Valmierā."
    occupation = factory.SubFactory(OccupationFactory)
    town = factory.SelfAttribute("employer.town")
    contract_kind = m.ContractKind.PERMANENT
    hours = m.HoursKind.FULL_TIME
    salary_min = 1200
    salary_max = 1600
    status = m.Vacancy.Status.OPEN
    published_at = factory.LazyFunction(timezone.localdate)
    expires_at = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))


class VacancySkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.VacancySkill

    vacancy = factory.SubFactory(VacancyFactory)
    skill = factory.SubFactory(SkillFactory)
    essential = True


class CounsellorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Counsellor

    user = factory.SubFactory(UserFactory, role=m.Role.COUNSELLOR)
    works_for = m.Counsellor.Employer.MUNICIPALITY
    town = factory.SubFactory(TownFactory)


class ProviderStaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.ProviderStaff

    user = factory.SubFactory(UserFactory, role=m.Role.PROVIDER)
    institution = factory.SubFactory(InstitutionFactory)


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.CandidateProfile

    user = factory.SubFactory(UserFactory, role=m.Role.CANDIDATE)
    kind = m.CandidateProfile.Kind.RESKILLING
    employment_status = m.CandidateProfile.EmploymentStatus.UNEMPLOYED
    birth_year = factory.LazyFunction(lambda: timezone.localdate().year - 35)
    town = factory.SubFactory(TownFactory)
    highest_education = m.EducationLevel.SECONDARY
    consent_processing = True
    consent_processing_at = factory.LazyFunction(timezone.now)


class CandidateSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.CandidateSkill

    candidate = factory.SubFactory(CandidateFactory)
    skill = factory.SubFactory(SkillFactory)
    proficiency = 3


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Application

    candidate = factory.SubFactory(CandidateFactory)
    vacancy = factory.SubFactory(VacancyFactory)


# --- appended for the resource API tests (issue 3, part B) ---


class EmployerMemberFactory(UserFactory):
    """A user with the employer role, member of ``employer`` (a new verified employer unless given)."""

    class Meta:
        skip_postgeneration_save = True

    role = m.Role.EMPLOYER

    @factory.post_generation
    def employer(self, create, extracted, **kwargs):
        if create:
            (extracted or EmployerFactory()).members.add(self)


class AdminUserFactory(UserFactory):
    role = m.Role.ADMIN


class VacancyLanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.VacancyLanguage

    vacancy = factory.SubFactory(VacancyFactory)
    language = m.Language.LATVIAN
    level = m.CefrLevel.B1


class CandidateLanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.CandidateLanguage

    candidate = factory.SubFactory(CandidateFactory)
    language = m.Language.LATVIAN
    level = m.CefrLevel.C2


class WorkExperienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.WorkExperience

    candidate = factory.SubFactory(CandidateFactory)
    occupation = factory.SubFactory(OccupationFactory)
    title = "Metinātājs"
    employer_name = "SIA Metāls"
    years = 3
