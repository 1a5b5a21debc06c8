"""The curated taxonomy and reference fixtures: integrity of the files and behaviour of `load_reference`."""
from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from careers import models as m
from careers.reference import DEFAULT_DIR, load_reference, upcoming_intakes
from careers.folding import fold

LOCAL_PROVIDERS = ["Valmieras tehnikums", "Vidzemes Augstskola", "Ventspils Tehnikums", "Ventspils Augstskola"]
SHORT_COURSE_KINDS = {m.ProgrammeKind.CONTINUING_COURSE, m.ProgrammeKind.VOCATIONAL_FURTHER}


def _items(relative: str, key: str) -> list[dict]:
    return json.loads((DEFAULT_DIR / relative).read_text(encoding="utf-8"))[key]


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """Load the real fixtures once for the module (committed), and remove them afterwards."""
    with django_db_blocker.unblock():
        report = load_reference()
        yield report
        m.Employer.objects.all().delete()
        m.Programme.objects.all().delete()
        m.Institution.objects.all().delete()
        m.TownDistance.objects.all().delete()
        m.Town.objects.all().delete()
        m.Occupation.objects.all().delete()
        m.Skill.objects.all().delete()


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (m.Skill, m.Occupation, m.OccupationSkill, m.Town, m.TownDistance, m.Institution,
                      m.Programme, m.Intake, m.Employer)
    }


# ---------------------------------------------------------------- the files themselves


def test_skill_fixture_labels_every_skill_in_latvian_and_english():
    skills = _items("taxonomy/skills.json", "skills")
    assert len(skills) >= 300
    assert all(s["label_en"].strip() and s["label_lv"].strip() for s in skills)
    assert all(s["uri"].startswith("http://data.europa.eu/esco/skill/") for s in skills)
    assert {s["skill_type"] for s in skills} == set(m.SkillType.values)


def test_every_occupation_has_isco_code_riasec_profile_and_essential_skills():
    occupations = _items("taxonomy/occupations.json", "occupations")
    assert len(occupations) >= 60
    for occupation in occupations:
        assert len(occupation["isco_code"]) == 4 and occupation["isco_code"].isdigit(), occupation["label_en"]
        assert occupation["label_lv"], occupation["label_en"]
        assert set(occupation["riasec"]) == set("riasec"), occupation["label_en"]
        assert all(1 <= v <= 7 for v in occupation["riasec"].values()), occupation["label_en"]
        assert len(occupation["essential_skills"]) >= 3, occupation["label_en"]


def test_skill_relations_stay_inside_the_curated_set():
    skills = _items("taxonomy/skills.json", "skills")
    uris = {s["uri"] for s in skills}
    assert all(set(s["broader"]) <= uris and set(s["related"]) <= uris for s in skills)
    assert any(s["broader"] for s in skills) and any(s["related"] for s in skills)


# ---------------------------------------------------------------- loaded data


@pytest.mark.django_db
def test_loading_twice_gives_identical_counts(loaded):
    first = _counts()
    assert first["Skill"] >= 300 and first["Occupation"] >= 60 and first["Intake"] > 0
    again = load_reference()
    assert _counts() == first
    assert again.counts == loaded.counts


@pytest.mark.django_db
def test_every_programme_teaches_skills_and_leads_to_occupations(loaded):
    for programme in m.Programme.objects.all():
        assert programme.skills_taught.count() >= 3, programme
        # A language course leads to no one occupation: it lifts a language level (checked below).
        assert programme.leads_to.exists() or programme.teaches_language, programme


@pytest.mark.django_db
def test_state_language_courses_chain_a1_to_b2_in_both_towns_with_sourced_facts_and_demo_intakes(loaded):
    for town in ("Valmiera", "Ventspils"):
        courses = m.Programme.objects.filter(teaches_language="lv", is_demo=False, institution__town__name=town)
        steps = sorted((c.language_level_from or 0, c.language_level_to) for c in courses)
        assert steps == [(0, 1), (1, 2), (2, 3), (3, 4)], town
        for course in courses:
            assert course.source.startswith("https://www.nva.gov.lv/lv/latviesu-valoda")
            assert (course.hours, course.cost_eur, course.stipend_eur_per_day) == (120, 0, 5)
            assert course.target_groups == ["registered_unemployed"] and course.voucher_eligible
            assert course.intakes.exists() and all(i.is_demo for i in course.intakes.all())
    english = m.Programme.objects.filter(teaches_language="en")
    assert english.exists() and all(p.is_demo and p.source.startswith("demo data") for p in english)
    sourced = m.Intake.objects.filter(programme__is_demo=False, programme__teaches_language="")
    assert sourced.exists() and not sourced.filter(is_demo=True).exists()


@pytest.mark.django_db
def test_the_four_local_providers_are_present_with_programmes(loaded):
    for name in LOCAL_PROVIDERS:
        institution = m.Institution.objects.get(name_lv=name)
        assert institution.town.name in {"Valmiera", "Ventspils"}
        assert institution.programmes.filter(is_demo=False).exists(), name


@pytest.mark.django_db
def test_every_row_of_the_programmes_csv_is_loaded_with_its_source(loaded, esco_dir: Path):
    path = esco_dir.parent / "latvia" / "programmes.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows, f"{path} has no rows"
    fixture = {
        (p["fact"]["provider"], p["fact"]["programme_lv"], p["fact"]["programme_en"]): p
        for p in _items("reference/programmes.json", "programmes") if "fact" in p
    }
    for row in rows:
        entry = fixture.get((row["provider"], row["programme_lv"], row["programme_en"]))
        assert entry is not None, f"programmes.csv row missing from fixtures: {row['programme_en']}"
        programme = m.Programme.objects.get(
            institution__name_lv=entry["institution"], name_lv=entry["name_lv"], kind=entry["kind"], mode=entry["mode"]
        )
        assert programme.source.startswith(row["source"])
        assert not programme.is_demo


@pytest.mark.django_db
def test_at_least_fifteen_short_reskilling_courses_are_marked_demo(loaded):
    short = m.Programme.objects.filter(is_demo=True, kind__in=SHORT_COURSE_KINDS, duration_months__lte=6)
    assert short.count() >= 15
    assert all(p.source.startswith("demo data") for p in short)
    assert short.filter(voucher_eligible=True).exists()
    assert short.filter(adult_learning_cofinanced=True).exists()
    assert short.filter(state_funded_places=True).exists()
    assert short.filter(voucher_eligible=False, adult_learning_cofinanced=False, state_funded_places=False).exists()


@pytest.mark.django_db
def test_programmes_with_and_without_funding_exist(loaded):
    funded = m.Programme.objects.filter(state_funded_places=True) | m.Programme.objects.filter(voucher_eligible=True)
    assert funded.exists()
    unfunded = m.Programme.objects.filter(state_funded_places=False, voucher_eligible=False, adult_learning_cofinanced=False)
    assert unfunded.filter(cost_eur__gt=0).exists()


@pytest.mark.django_db
def test_every_intake_is_upcoming_and_within_twelve_months(loaded):
    today = timezone.localdate()
    intakes = m.Intake.objects.select_related("programme")
    assert intakes.exists()
    for intake in intakes:
        assert today < intake.start_date <= today + dt.timedelta(days=366), intake
        assert intake.application_deadline <= intake.start_date
        assert intake.funded_seats <= intake.seats
    assert not m.Intake.objects.filter(programme__is_active=False).exists()
    cnc = m.Programme.objects.get(institution__name_lv="Ventspils Tehnikums", name_lv="CNC darbgaldu operators")
    assert cnc.voucher_eligible and cnc.intakes.count() == 2


def test_intake_dates_roll_into_next_year_and_clamp_the_day():
    rules = {"months": [2, 12, 1], "day": 31, "deadline_days": 10, "seats": 5}
    dates = upcoming_intakes(rules, today=dt.date(2025, 12, 31))
    assert [start for start, _ in dates] == [dt.date(2026, 1, 31), dt.date(2026, 2, 28), dt.date(2026, 12, 31)]
    assert dates[0][1] == dt.date(2026, 1, 21)


@pytest.mark.django_db
def test_journey_phrases_find_skills_through_search_text(loaded):
    for phrase in ["metināšana", "rasējumu lasīšana", "CNC", "Python", "velosipēdu remonts", "zīmēšana", "Excel",
                   "autokrāvēja vadīšana", "HACCP", "komandas darbs", "latviešu valoda"]:
        assert m.Skill.objects.filter(search_text__contains=fold(phrase)).exists(), phrase
    welder = m.Occupation.objects.get(label_en="welder")
    assert welder.label_lv == "metinātājs" and "metinātāja" in welder.alt_labels_lv
    assert welder.skill_links.filter(relation=m.RelationType.ESSENTIAL).count() >= 5
    assert all(value is not None for value in welder.riasec)


@pytest.mark.django_db
def test_reload_keeps_richer_esco_labels_and_description(loaded):
    skill = m.Skill.objects.get(label_en="operate welding equipment")
    skill.alt_labels_en = [*skill.alt_labels_en, "label only the full ESCO import has"]
    skill.description_en = "Description imported from ESCO."
    skill.save()
    load_reference()
    skill.refresh_from_db()
    assert "label only the full ESCO import has" in skill.alt_labels_en
    assert skill.description_en == "Description imported from ESCO."
    assert skill.label_lv == "metināšana"
    assert "metinasana" in skill.search_text


@pytest.mark.django_db
def test_unknown_uri_gives_command_error_naming_file_and_entry_and_writes_nothing(loaded, tmp_path: Path):
    shutil.copytree(DEFAULT_DIR / "taxonomy", tmp_path / "taxonomy")
    shutil.copytree(DEFAULT_DIR / "reference", tmp_path / "reference")
    path = tmp_path / "reference" / "programmes.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["programmes"][0]["skills_taught"].append("http://data.europa.eu/esco/skill/does-not-exist")
    data["programmes"][0]["name_en"] = "renamed, must not be written"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = _counts()

    with pytest.raises(CommandError) as excinfo:
        call_command("load_reference", fixtures_dir=tmp_path)

    message = str(excinfo.value)
    assert "programmes.json" in message and data["programmes"][0]["name_lv"] in message and "does-not-exist" in message
    assert _counts() == before
    assert not m.Programme.objects.filter(name_en="renamed, must not be written").exists()


@pytest.mark.django_db
def test_unknown_town_of_an_employer_is_rejected(loaded, tmp_path: Path):
    shutil.copytree(DEFAULT_DIR / "taxonomy", tmp_path / "taxonomy")
    shutil.copytree(DEFAULT_DIR / "reference", tmp_path / "reference")
    path = tmp_path / "reference" / "employers.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["employers"][0]["town"] = "Atlantīda"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match="employers.json.*Atlantīda"):
        call_command("load_reference", fixtures_dir=tmp_path)
