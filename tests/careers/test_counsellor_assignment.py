"""Issue 17: the counsellor assignment rule (school, then town, then least loaded) and the backfill command."""
from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from careers.models import CandidateProfile, Counsellor, Role
from careers.selectors.caseload import covering_counsellor, supervised_profiles, unassigned_supervised
from careers.services.accounts import AccountDetails, candidate_register
from careers.services.caseload import caseload_entry_open, counsellor_assign, counsellors_assign_missing
from tests import factories as f

pytestmark = pytest.mark.django_db


def minor(**fields) -> CandidateProfile:
    return f.CandidateFactory(**{"birth_year": timezone.localdate().year - 15, "counsellor": None, **fields})


@pytest.fixture
def town():
    return f.TownFactory(name="Valmiera")


def test_the_school_counsellor_comes_before_the_town_counsellor(town):
    school = f.InstitutionFactory(town=town)
    f.CounsellorFactory(town=town)
    theirs = f.CounsellorFactory(town=town, works_for=Counsellor.Employer.SCHOOL, institution=school)
    assert covering_counsellor(candidate=minor(town=town, school=school)) == theirs


def test_a_school_counsellor_does_not_cover_other_pupils_of_the_town(town):
    f.CounsellorFactory(town=town, works_for=Counsellor.Employer.SCHOOL, institution=f.InstitutionFactory(town=town))
    assert covering_counsellor(candidate=minor(town=town)) is None


def test_a_school_without_a_counsellor_falls_back_to_the_town(town):
    municipal = f.CounsellorFactory(town=town)
    assert covering_counsellor(candidate=minor(town=town, school=f.InstitutionFactory(town=town))) == municipal


def test_among_the_town_counsellors_the_least_loaded_wins_then_the_first(town):
    busy, light, later = (f.CounsellorFactory(town=town) for _ in range(3))
    f.CandidateFactory(town=town, counsellor=busy)
    f.CandidateFactory(town=town, counsellor=busy)
    f.CandidateFactory(town=town, counsellor=later)
    assert covering_counsellor(candidate=minor(town=town)) == light
    f.CandidateFactory(town=town, counsellor=light)
    assert covering_counsellor(candidate=minor(town=town)) == light  # tied with later: the lower id
    # Erased (inactive) people do not count towards the load.
    for c in busy.candidates.all():
        c.user.is_active = False
        c.user.save()
    assert covering_counsellor(candidate=minor(town=town)) == busy


def test_an_inactive_counsellor_covers_nobody(town):
    gone = f.CounsellorFactory(town=town)
    gone.user.is_active = False
    gone.user.save()
    assert covering_counsellor(candidate=minor(town=town)) is None


def test_assigning_marks_the_person_new_until_their_counsellor_opens_the_profile(town):
    counsellor = f.CounsellorFactory(town=town)
    person = minor(town=town)
    assert counsellor_assign(candidate=person) == counsellor
    person.refresh_from_db()
    assert person.counsellor == counsellor and person.counsellor_assigned_at and person.new_in_caseload
    caseload_entry_open(user=f.AdminUserFactory(), candidate=person)
    caseload_entry_open(user=f.CounsellorFactory(town=town).user, candidate=person)  # not theirs
    person.refresh_from_db()
    assert person.new_in_caseload
    caseload_entry_open(user=counsellor.user, candidate=person)
    person.refresh_from_db()
    assert not person.new_in_caseload and person.counsellor_seen_at >= person.counsellor_assigned_at


def test_an_existing_counsellor_and_an_unsupervised_adult_are_left_alone(town):
    mine = f.CounsellorFactory(town=town)
    f.CounsellorFactory(town=town)
    kept = minor(town=town, counsellor=mine)
    assert counsellor_assign(candidate=kept) == mine
    adult = f.CandidateFactory(town=town, counsellor=None, birth_year=timezone.localdate().year - 40)
    assert counsellor_assign(candidate=adult) is None
    adult.refresh_from_db()
    assert adult.counsellor is None


def test_a_supervised_adult_is_assigned_too(town):
    counsellor = f.CounsellorFactory(town=town)
    adult = f.CandidateFactory(town=town, counsellor=None, supervised=True,
                               birth_year=timezone.localdate().year - 40)
    assert counsellor_assign(candidate=adult) == counsellor


def test_registration_assigns_through_the_service(town):
    counsellor = f.CounsellorFactory(town=town)
    user = candidate_register(
        account=AccountDetails(username="liga.ozola", password="Zila-Gaisma-2009-x", email="liga@example.lv"),
        kind=CandidateProfile.Kind.STUDENT, birth_year=timezone.localdate().year - 16, town=town,
        employment_status=CandidateProfile.EmploymentStatus.STUDYING, consents={"processing": True})
    assert user.candidate.counsellor == counsellor and user.candidate.new_in_caseload


def test_the_command_assigns_those_covered_and_leaves_the_rest_in_the_unassigned_list(town):
    counsellor = f.CounsellorFactory(town=town)
    covered = [minor(town=town) for _ in range(2)]
    elsewhere = minor(town=f.TownFactory(name="Rūjiena"))
    adult = f.CandidateFactory(town=town, counsellor=None, birth_year=timezone.localdate().year - 40)
    out = StringIO()
    call_command("assign_counsellors", stdout=out)
    assert "counsellors assigned: 2; supervised without a covering counsellor (unassigned list): 1" in out.getvalue()
    assert set(counsellor.candidates.all()) == set(covered)
    assert list(unassigned_supervised()) == [elsewhere]
    assert adult not in supervised_profiles()
    assert counsellors_assign_missing().assigned == 0  # idempotent


@pytest.mark.usefixtures("demo_world")
def test_on_the_demo_every_supervised_profile_has_a_counsellor_or_is_in_the_unassigned_list():
    call_command("assign_counsellors", stdout=StringIO())
    supervised = supervised_profiles()
    assert supervised.count() > 0
    without = set(supervised.filter(counsellor__isnull=True).values_list("pk", flat=True))
    assert without == set(unassigned_supervised().values_list("pk", flat=True))
    # Every one of those left waiting lives where no counsellor covers them.
    for person in unassigned_supervised():
        assert covering_counsellor(candidate=person) is None
    assert supervised.filter(counsellor__user__role=Role.COUNSELLOR).count() + len(without) == supervised.count()
