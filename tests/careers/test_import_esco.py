"""`manage.py import_esco`: ESCO CSVs or ZIPs in, skills/occupations/relations out; strict, atomic, idempotent."""
from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from careers import models as m
from careers.esco import csvio, esco_import
from careers.esco import errors as esco_errors
from tests import factories as f

pytestmark = pytest.mark.django_db

ESCO = "http://data.europa.eu/esco"
WELD, METALLURGY, LATVIAN, TEAMWORK, SAFETY, UNTYPED = (
    f"{ESCO}/skill/{name}" for name in ("weld", "metallurgy", "latvian", "teamwork", "safety", "untyped")
)
SKILL_GROUP = f"{ESCO}/skill/S6.1"
WELDER, CARER = f"{ESCO}/occupation/welder", f"{ESCO}/occupation/carer"

SKILL_HEADER = ["conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel", "altLabels", "hiddenLabels",
                "status", "modifiedDate", "scopeNote", "definition", "inScheme", "description"]
OCCUPATION_HEADER = ["conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels", "hiddenLabels", "status",
                     "modifiedDate", "regulatedProfessionNote", "scopeNote", "definition", "inScheme", "description",
                     "code"]
COLLECTION_HEADER = ["conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel", "status", "altLabels",
                     "description", "broaderConceptUri", "broaderConceptPT"]


def skill_row(uri: str, skill_type: str, reuse: str, label: str, alts: str = "", description: str = "") -> list[str]:
    return ["KnowledgeSkillCompetence", uri, skill_type, reuse, label, alts, "", "released", "", "", "", "", description]


def occupation_row(uri: str, isco: str, label: str, alts: str, description: str) -> list[str]:
    return ["Occupation", uri, isco, label, alts, "", "released", "", "", "", "", "", description, f"{isco}.1"]


def sample_tables() -> dict[str, list[list[str]]]:
    """A small ESCO v1.1.1-shaped download: every column of the real files, a handful of concepts."""
    return {
        "skills_en.csv": [
            SKILL_HEADER,
            skill_row(WELD, "skill/competence", "sector-specific", "weld metal parts",
                      "welding\nweld metal parts\njoin metal parts", "Join metal pieces, using heat."),
            skill_row(METALLURGY, "knowledge", "cross-sector", "metallurgy", "metal science", "Study of metals."),
            skill_row(LATVIAN, "skill/competence", "transversal", "speak Latvian", "converse in Latvian"),
            skill_row(TEAMWORK, "skill/competence", "transversal", "work in teams", "teamwork"),
            skill_row(SAFETY, "skill/competence", "cross-sector", "apply health and safety standards"),
            skill_row(UNTYPED, "", "", "digital content creation"),
        ],
        "occupations_en.csv": [
            OCCUPATION_HEADER,
            occupation_row(WELDER, "7212", "welder", "welding operator\nmetal welder\nwelder", "Welders join metal."),
            occupation_row(CARER, "5322", "home care aide", "home carer", "Home care aides help people at home."),
        ],
        "ISCOGroups_en.csv": [
            ["conceptType", "conceptUri", "code", "preferredLabel", "status", "altLabels", "inScheme", "description"],
            ["ISCOGroup", f"{ESCO}/isco/C7212", "7212", "Welders and flamecutters", "released", "", "", ""],
            ["ISCOGroup", f"{ESCO}/isco/C5322", "5322", "Home-based personal care workers", "released", "", "", ""],
        ],
        "languageSkillsCollection_en.csv": [
            COLLECTION_HEADER,
            ["KnowledgeSkillCompetence", LATVIAN, "skill/competence", "transversal", "speak Latvian", "released", "",
             "", "", ""],
        ],
        "transversalSkillsCollection_en.csv": [
            COLLECTION_HEADER,
            ["KnowledgeSkillCompetence", SAFETY, "skill/competence", "cross-sector", "apply health and safety "
             "standards", "released", "", "", "", ""],
        ],
        "occupationSkillRelations.csv": [
            ["occupationUri", "relationType", "skillType", "skillUri"],
            [WELDER, "essential", "skill/competence", WELD],
            [WELDER, "optional", "knowledge", METALLURGY],
            [WELDER, "essential", "skill/competence", SAFETY],
            [CARER, "essential", "skill/competence", TEAMWORK],
            [CARER, "optional", "skill/competence", LATVIAN],
        ],
        "broaderRelationsSkillPillar.csv": [
            ["conceptType", "conceptUri", "broaderType", "broaderUri"],
            ["KnowledgeSkillCompetence", WELD, "KnowledgeSkillCompetence", METALLURGY],
            ["KnowledgeSkillCompetence", TEAMWORK, "SkillGroup", SKILL_GROUP],
        ],
        "skillSkillRelations.csv": [
            ["originalSkillUri", "originalSkillType", "relationType", "relatedSkillType", "relatedSkillUri"],
            [WELD, "skill/competence", "optional", "knowledge", METALLURGY],
        ],
        "occupations_lv.csv": [
            ["conceptType", "conceptUri", "preferredLabel", "altLabels"],
            ["ISCOGroup", f"{ESCO}/isco/C7212", "Metinātāji un gāzgrieži", ""],
            ["Occupation", WELDER, "metinātājs", "metinātāja\nmetināšanas operators"],
        ],
    }


HEADER_BLOCK = [["Mapping project name", "test"], ["Mapping project version", "1"], [], []]
EXTRA_TABLES: dict[str, list[list[str]]] = {
    "latvia/esco_lv_profesiju_klasifikators_mapping.csv": [
        *HEADER_BLOCK,
        ["Classification 1 URI", "Classification 1 PrefLabel", "Classification 1 URL", "Classification 2 ID",
         "Classification 2 PrefLabel", "Classification 2 URL", "Mapping relation"],
        [WELDER, "metinātājs", WELDER, "7212", "Metinātāji", "", "skos:broadMatch"],
        [WELDER, "metinātājs", WELDER, "7212.01", "Metinātājs", "", "skos:exactMatch"],
        [f"{ESCO}/isco/C7212", "Metinātāji", "", "7212", "Metinātāji", "", "skos:exactMatch"],
        [CARER, "aprūpētājs", CARER, "5322.05", "Aprūpētājs", "", "skos:narrowMatch"],
    ],
    "onet/esco_onet_crosswalk.csv": [
        *HEADER_BLOCK,
        ["O*NET Id", "O*NET Title", "O*NET Description", "ESCO or ISCO URI", "ESCO or ISCO Title",
         "ESCO or ISCO Description", "Type of Match"],
        ["51-4121.06", "Welders", "", WELDER, "welder", "", "exactMatch"],
        ["31-1122.00", "Aides", "", WELDER, "welder", "", "closeMatch"],
        ["31-1122.00", "Aides", "", CARER, "home care aide", "", "broadMatch"],
        ["39-9041.00", "Residential", "", CARER, "home care aide", "", "broadMatch"],
        ["99-9999.00", "No data", "", CARER, "home care aide", "", "broadMatch"],
    ],
}
INTERESTS = {"51-4121.06": (6.5, 3.0, 1.5, 1.25, 2.0, 3.5), "31-1122.00": (2.0, 1.5, 1.0, 6.5, 2.5, 3.0),
             "39-9041.00": (1.5, 2.0, 1.5, 6.0, 3.5, 3.25)}
ELEMENTS = ("1.B.1.a", "1.B.1.b", "1.B.1.c", "1.B.1.d", "1.B.1.e", "1.B.1.f")


def interests_text() -> str:
    lines = ["O*NET-SOC Code\tElement ID\tElement Name\tScale ID\tData Value\tDate\tDomain Source"]
    for code, values in INTERESTS.items():
        lines += [f"{code}\t{element}\tX\tOI\t{value}\t02/2026\tAnalyst" for element, value in zip(ELEMENTS, values)]
        lines.append(f"{code}\t1.B.2.a\tFirst Interest High-Point\tIH\t1.00\t02/2026\tAnalyst")
    return "\n".join(lines) + "\n"


def csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


RELATION_FILES = {"occupationSkillRelations.csv", "broaderRelationsSkillPillar.csv", "skillSkillRelations.csv"}
Edit = Callable[[dict[str, str]], None]


def write_sample(root: Path, *, as_zip: bool = False, edit: Edit | None = None) -> Path:
    """Write the sample under root/esco (+ root/latvia, root/onet); ``edit`` may rewrite any file's text first."""
    texts = {name: csv_text(rows) for name, rows in sample_tables().items()}
    texts.update({name: csv_text(rows) for name, rows in EXTRA_TABLES.items()})
    texts["onet/Interests.txt"] = interests_text()
    if edit is not None:
        edit(texts)
    esco = root / "esco"
    for folder in (esco, root / "latvia", root / "onet"):
        folder.mkdir(parents=True, exist_ok=True)
    zipped = {n for n in texts if "/" not in n and n != "occupations_lv.csv"} if as_zip else set()
    for name, text in texts.items():
        if name not in zipped:
            (esco / name if "/" not in name else root / name).write_text(text, encoding="utf-8")
    if as_zip:
        for archive, names in (("esco-v1.1.1-classification-en-csv.zip", zipped - RELATION_FILES),
                               ("esco-v1.1.1-relations-csv.zip", zipped & RELATION_FILES)):
            with zipfile.ZipFile(esco / archive, "w", zipfile.ZIP_DEFLATED) as z:
                for name in sorted(names):
                    z.writestr(name, texts[name])
    return esco


def run(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("import_esco", str(path), *args, stdout=out)
    return out.getvalue()


def snapshot() -> tuple:
    """Everything the importer may write, to prove a failed import left the database as it was."""
    return (
        sorted(m.Skill.objects.values_list(
            "uri", "label_en", "label_lv", "alt_labels_en", "alt_labels_lv", "description_en", "skill_type",
            "reuse_level", "search_text")),
        sorted(m.Occupation.objects.values_list(
            "uri", "label_en", "label_lv", "alt_labels_en", "alt_labels_lv", "isco_code", "lv_classifier_code",
            "riasec_r", "riasec_s", "search_text")),
        sorted(m.OccupationSkill.objects.values_list("occupation__uri", "skill__uri", "relation")),
        sorted(m.Skill.broader.through.objects.values_list("from_skill__uri", "to_skill__uri")),
        sorted(m.Skill.related.through.objects.values_list("from_skill__uri", "to_skill__uri")),
    )


@pytest.mark.parametrize("as_zip", [False, True], ids=["csv", "zip"])
def test_import_loads_concepts_types_labels_and_relations(tmp_path, as_zip):
    report = esco_import(path=write_sample(tmp_path, as_zip=as_zip))

    created = {kind: c.created for kind, c in report.counts.items()}
    assert created == {"skills": 6, "occupations": 2, "occupation_skills": 5, "broader": 1, "related": 1,
                       "labels_lv": 1, "lv_classifier_codes": 2, "riasec": 2}
    types = dict(m.Skill.objects.values_list("uri", "skill_type"))
    assert types == {WELD: "skill", METALLURGY: "knowledge", LATVIAN: "language", TEAMWORK: "transversal",
                     SAFETY: "transversal", UNTYPED: "skill"}
    weld = m.Skill.objects.get(uri=WELD)
    assert weld.label_en == "weld metal parts"
    assert weld.alt_labels_en == ["welding", "join metal parts"]  # the preferred label is not repeated
    assert weld.description_en == "Join metal pieces, using heat."
    assert weld.reuse_level == "sector-specific"
    assert "join metal parts" in weld.search_text
    assert list(weld.broader.values_list("uri", flat=True)) == [METALLURGY]
    assert list(weld.related.values_list("uri", flat=True)) == [METALLURGY]
    assert not m.Skill.objects.get(uri=TEAMWORK).broader.exists()  # its broader concept is a skill group
    welder = m.Occupation.objects.get(uri=WELDER)
    assert (welder.label_en, welder.isco_code, welder.alt_labels_en) == ("welder", "7212", ["welding operator",
                                                                                             "metal welder"])
    assert dict(welder.skill_links.values_list("skill__uri", "relation")) == {
        WELD: "essential", METALLURGY: "optional", SAFETY: "essential"}
    assert (welder.label_lv, welder.alt_labels_lv) == ("metinātājs", ["metinātāja", "metināšanas operators"])
    assert "metinatajs" in welder.search_text
    assert welder.lv_classifier_code == "7212.01"  # the exact match beats the broad one
    assert welder.riasec == INTERESTS["51-4121.06"]  # exactMatch preferred over the closeMatch
    carer = m.Occupation.objects.get(uri=CARER)
    assert carer.lv_classifier_code == "5322.05"
    assert carer.riasec == pytest.approx(
        tuple(round((a + b) / 2, 2) for a, b in zip(INTERESTS["31-1122.00"], INTERESTS["39-9041.00"])))
    assert carer.label_lv == ""


@pytest.mark.parametrize("as_zip", [False, True], ids=["csv", "zip"])
def test_second_run_creates_and_updates_nothing(tmp_path, as_zip):
    path = write_sample(tmp_path, as_zip=as_zip)
    run(path)
    before = snapshot()

    output = run(path)

    assert "nothing changed" in output
    assert "elapsed" in output
    for kind in ("skills", "occupations", "occupation–skill relations", "RIASEC profiles"):
        line = next(line for line in output.splitlines() if line.startswith(kind))
        assert "created       0  updated       0" in line
    assert snapshot() == before


def test_changed_file_updates_only_what_changed(tmp_path):
    run(write_sample(tmp_path / "a"))

    def edit(texts: dict[str, str]) -> None:
        texts["skills_en.csv"] = texts["skills_en.csv"].replace("Study of metals.", "The science of metals.")
        texts["occupationSkillRelations.csv"] = texts["occupationSkillRelations.csv"].replace(
            f"{CARER},optional", f"{CARER},essential")

    report = esco_import(path=write_sample(tmp_path / "b", edit=edit))

    assert (report.counts["skills"].updated, report.counts["skills"].unchanged) == (1, 5)
    assert (report.counts["occupation_skills"].updated, report.counts["occupation_skills"].unchanged) == (1, 4)
    assert m.Skill.objects.get(uri=METALLURGY).description_en == "The science of metals."
    assert m.OccupationSkill.objects.get(occupation__uri=CARER, skill__uri=LATVIAN).relation == "essential"


def test_curated_latvian_labels_survive_the_import(tmp_path):
    f.SkillFactory(uri=WELD, label_en="welding (old)", label_lv="metināt metāla detaļas",
                   alt_labels_lv=["metināšana"], alt_labels_en=["fusion welding"])
    f.OccupationFactory(uri=WELDER, label_lv="metinātājs (kurēts)", alt_labels_lv=["metālmetinātājs"])

    report = esco_import(path=write_sample(tmp_path))

    weld = m.Skill.objects.get(uri=WELD)
    assert (weld.label_lv, weld.alt_labels_lv) == ("metināt metāla detaļas", ["metināšana"])
    assert weld.label_en == "weld metal parts"
    assert weld.alt_labels_en == ["fusion welding", "welding", "join metal parts"]  # merged, not replaced
    assert "metinat metala detalas" in weld.search_text
    welder = m.Occupation.objects.get(uri=WELDER)
    assert welder.label_lv == "metinātājs (kurēts)"
    assert welder.alt_labels_lv == ["metālmetinātājs", "metinātājs", "metinātāja", "metināšanas operators"]
    assert report.counts["labels_lv"].updated == 1


def test_curated_riasec_and_classifier_code_are_kept_and_gaps_filled(tmp_path):
    f.OccupationFactory(uri=WELDER, lv_classifier_code="7212.05", riasec_r=6.5, riasec_i=2.0, riasec_a=1.0,
                        riasec_s=1.5, riasec_e=1.5, riasec_c=3.0)

    esco_import(path=write_sample(tmp_path))

    welder = m.Occupation.objects.get(uri=WELDER)
    assert welder.lv_classifier_code == "7212.05"
    assert welder.riasec == (6.5, 2.0, 1.0, 1.5, 1.5, 3.0)
    others = m.Occupation.objects.exclude(uri=WELDER)
    assert others.exclude(lv_classifier_code="").exists() or others.filter(riasec_r__isnull=False).exists()


def break_quote(texts: dict[str, str]) -> None:
    texts["skills_en.csv"] = texts["skills_en.csv"].replace("metallurgy,metal science", '"metallurgy"x,metal science')


def bad_uri(texts: dict[str, str]) -> None:
    texts["occupations_en.csv"] = texts["occupations_en.csv"].replace(CARER, "http://example.com/occupation/carer")


def missing_column(texts: dict[str, str]) -> None:
    texts["skills_en.csv"] = texts["skills_en.csv"].replace(",preferredLabel,", ",prefLabel,", 1)


def unknown_relation(texts: dict[str, str]) -> None:
    texts["occupationSkillRelations.csv"] = texts["occupationSkillRelations.csv"].replace(
        f"{CARER},essential", f"{CARER},mandatory")


def bad_score(texts: dict[str, str]) -> None:
    texts["onet/Interests.txt"] = texts["onet/Interests.txt"].replace("\t6.5\t", "\tsix\t", 1)


def unclosed_quote(texts: dict[str, str]) -> None:
    texts["skillSkillRelations.csv"] += f'{WELD},skill/competence,"optional,knowledge,{METALLURGY}\n'


MALFORMED = [
    # (edit, file named in the message, row, column)
    (missing_column, "skills_en.csv", 1, "preferredLabel"),
    (bad_uri, "occupations_en.csv", 3, "conceptUri"),
    (unknown_relation, "occupationSkillRelations.csv", 5, "relationType"),
    (break_quote, "skills_en.csv", 3, "preferredLabel"),
    (unclosed_quote, "skillSkillRelations.csv", 3, "relationType"),
    (bad_score, "Interests.txt", 2, "Data Value"),
]


@pytest.mark.parametrize("as_zip", [False, True], ids=["csv", "zip"])
@pytest.mark.parametrize("data_before", [False, True], ids=["empty-db", "data-before"])
@pytest.mark.parametrize("edit,file,row,column", MALFORMED, ids=[case[0].__name__ for case in MALFORMED])
def test_malformed_file_names_file_row_column_and_changes_nothing(tmp_path, edit, file, row, column, data_before,
                                                                  as_zip):
    if data_before:
        run(write_sample(tmp_path / "before"))
        m.Skill.objects.filter(uri=WELD).update(label_en="renamed since", label_lv="curated")
        m.OccupationSkill.objects.filter(skill__uri=WELD).delete()
    before = snapshot()
    path = write_sample(tmp_path / "broken", as_zip=as_zip, edit=edit)

    with pytest.raises(CommandError) as caught:
        run(path)

    message = str(caught.value)
    assert file in message
    assert f"row {row}" in message
    assert f"column {column!r}" in message
    assert snapshot() == before


def test_oversized_field_and_nul_are_refused(tmp_path, monkeypatch):
    def long_label(texts: dict[str, str]) -> None:
        texts["skills_en.csv"] = texts["skills_en.csv"].replace("Study of metals.", "x" * 100_001)

    with pytest.raises(CommandError, match=r"skills_en.csv, row 3 \(line \d+\), column 'description': a field is"):
        run(write_sample(tmp_path / "long", edit=long_label))

    def nul(texts: dict[str, str]) -> None:
        texts["occupations_en.csv"] = texts["occupations_en.csv"].replace("home care aide,", "home care\0aide,")

    with pytest.raises(CommandError, match=r"row 3.*'preferredLabel': " + esco_errors.NUL_CHARACTER):
        run(write_sample(tmp_path / "nul", edit=nul))
    assert not m.Skill.objects.exists()


def test_member_over_the_size_limit_is_refused_unread(tmp_path, monkeypatch):
    path = write_sample(tmp_path, as_zip=True)
    monkeypatch.setattr(csvio, "MAX_MEMBER_BYTES", 200)

    with pytest.raises(CommandError, match=r"in esco-v1.1.1-classification-en-csv.zip: is [\d,]+ bytes; the limit is 200"):
        run(path)


def test_file_present_both_loose_and_in_a_zip_is_ambiguous(tmp_path):
    path = write_sample(tmp_path, as_zip=True)
    (path / "skills_en.csv").write_text(csv_text(sample_tables()["skills_en.csv"]), encoding="utf-8")

    with pytest.raises(CommandError, match="skills_en.csv: found twice"):
        run(path)


def test_label_longer_than_the_model_allows_is_refused(tmp_path):
    def edit(texts: dict[str, str]) -> None:
        texts["occupations_en.csv"] = texts["occupations_en.csv"].replace(",home care aide,", "," + "a" * 256 + ",")

    with pytest.raises(CommandError, match=r"occupations_en.csv, row 3 \(line 5\), column 'preferredLabel': longer than 255"):
        run(write_sample(tmp_path, edit=edit))


def test_header_block_without_the_table_header_is_refused(tmp_path):
    def edit(texts: dict[str, str]) -> None:
        name = "latvia/esco_lv_profesiju_klasifikators_mapping.csv"
        texts[name] = texts[name].replace("Classification 2 ID", "Code")

    with pytest.raises(CommandError, match="esco_lv_profesiju_klasifikators_mapping.csv: no header row naming"):
        run(write_sample(tmp_path, edit=edit))
    assert not m.Occupation.objects.exists()


def test_relation_to_a_concept_absent_everywhere_is_skipped_and_noted(tmp_path):
    orphan = f"{ESCO}/occupation/unpublished"

    def edit(texts: dict[str, str]) -> None:
        texts["occupationSkillRelations.csv"] += f"{orphan},essential,skill/competence,{WELD}\n"

    report = esco_import(path=write_sample(tmp_path, edit=edit))

    assert m.OccupationSkill.objects.count() == 5
    assert any("1 rows skipped" in note and orphan in note for note in report.notes)


def test_relations_use_concepts_already_in_the_database(tmp_path):
    f.OccupationFactory(uri=f"{ESCO}/occupation/curated")

    def edit(texts: dict[str, str]) -> None:
        texts["occupationSkillRelations.csv"] += f"{ESCO}/occupation/curated,optional,knowledge,{METALLURGY}\n"

    esco_import(path=write_sample(tmp_path, edit=edit))

    assert m.OccupationSkill.objects.filter(occupation__uri=f"{ESCO}/occupation/curated").count() == 1


def test_no_extras_skips_latvian_and_riasec(tmp_path):
    output = run(write_sample(tmp_path), "--no-extras")

    welder = m.Occupation.objects.get(uri=WELDER)
    assert (welder.label_lv, welder.lv_classifier_code, welder.riasec_r) == ("", "", None)
    assert "extras skipped" in output


def test_extras_can_be_pointed_at_elsewhere(tmp_path):
    path = write_sample(tmp_path / "data")
    moved = tmp_path / "elsewhere"
    (tmp_path / "data" / "onet").rename(moved)
    lv = tmp_path / "lv.csv"
    (path / "occupations_lv.csv").rename(lv)

    run(path, "--onet-dir", str(moved), "--lv-labels", str(lv))

    welder = m.Occupation.objects.get(uri=WELDER)
    assert (welder.label_lv, welder.riasec) == ("metinātājs", INTERESTS["51-4121.06"])


def test_named_extra_that_does_not_exist_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="missing.csv"):
        run(write_sample(tmp_path), "--lv-mapping", str(tmp_path / "missing.csv"))
    with pytest.raises(CommandError, match="--no-extras cannot be combined with --onet-dir"):
        run(write_sample(tmp_path), "--no-extras", "--onet-dir", str(tmp_path))


def test_required_file_missing_is_an_error(tmp_path):
    path = write_sample(tmp_path)
    (path / "occupations_en.csv").unlink()

    with pytest.raises(CommandError, match="occupations_en.csv: not found"):
        run(path)


def test_other_languages_are_ignored_with_a_note(tmp_path):
    path = write_sample(tmp_path)
    (path / "skills_de.csv").write_text(csv_text(sample_tables()["skills_en.csv"]), encoding="utf-8")

    output = run(path)

    assert "labels in de ignored" in output


def test_csv_field_limit_is_restored_after_the_import(tmp_path):
    previous = csv.field_size_limit()
    esco_import(path=write_sample(tmp_path))
    assert csv.field_size_limit() == previous


def _official_relation_pairs(esco_dir: Path) -> tuple[int, int, int]:
    """Rows, distinct pairs, and distinct pairs whose two ends are published concepts, read independently."""
    def rows(archive: str, member: str):
        with zipfile.ZipFile(esco_dir / archive) as z, z.open(member) as raw:
            yield from csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))

    classification = "esco-v1.1.1-classification-en-csv.zip"
    skills = {r["conceptUri"] for r in rows(classification, "skills_en.csv")}
    occupations = {r["conceptUri"] for r in rows(classification, "occupations_en.csv")}
    pairs = [(r["occupationUri"], r["skillUri"])
             for r in rows("esco-v1.1.1-relations-csv.zip", "occupationSkillRelations.csv")]
    known = {p for p in pairs if p[0] in occupations and p[1] in skills}
    return len(pairs), len(set(pairs)), len(known)


@pytest.mark.esco
@pytest.mark.slow
def test_official_esco_download_imports_fully_and_then_changes_nothing(esco_dir):
    first = run(esco_dir)

    assert m.Skill.objects.count() == 13_896
    assert m.Occupation.objects.count() == 3_007
    rows, distinct, known = _official_relation_pairs(esco_dir)
    # v1.1.1 has no repeated pair; 67 rows name an occupation that occupations_en.csv does not publish.
    assert (rows, distinct, known) == (123_855, 123_855, 123_788)
    assert m.OccupationSkill.objects.count() == known
    # 2,942 Latvian occupation labels, 3 of them for occupations not in v1.1.1.
    assert m.Occupation.objects.exclude(label_lv="").count() == 2_939
    assert m.Occupation.objects.exclude(lv_classifier_code="").count() == 2_939
    assert m.Occupation.objects.filter(riasec_r__isnull=False).count() > 2_000
    assert m.Skill.objects.filter(skill_type="language").count() == 346
    assert "changes written" in first

    before = snapshot()
    second = run(esco_dir)

    assert "nothing changed" in second
    assert snapshot() == before
