"""Read the official ESCO CSV ZIPs (ESCO_DIR) straight into the frames ``matching`` expects.

Nothing is copied or extracted to disk: the ZIP members are streamed into pandas. Used by the
benchmark and the evaluation scripts only; the product loads ESCO through the importer and the
ORM adapter (careers/frames/matching.py).
"""
from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pandas as pd

CLASSIFICATION = "esco-v1.1.1-classification-en-csv.zip"
RELATIONS = "esco-v1.1.1-relations-csv.zip"
OCCUPATIONS_LV = "occupations_lv.csv"


def esco_dir() -> Path | None:
    """ESCO_DIR if set, else the shared data folder if it exists, else None."""
    value = os.environ.get("ESCO_DIR")
    if value:
        return Path(value)
    guess = Path(__file__).resolve().parents[2] / "shared" / "data" / "esco"
    return guess if guess.is_dir() else None


def _read(zip_path: Path, member: str, **kwargs) -> pd.DataFrame:
    with zipfile.ZipFile(zip_path) as archive, archive.open(member) as handle:
        return pd.read_csv(handle, dtype=str, keep_default_na=False, **kwargs)


def _lines(value: str) -> list[str]:
    return [v.strip() for v in value.split("\n") if v.strip()] if value else []


def load_skills(folder: Path) -> pd.DataFrame:
    """``skill_id, uri, label_en, alt_labels_en, hidden_labels_en, skill_type, description_en``."""
    raw = _read(folder / CLASSIFICATION, "skills_en.csv")
    return pd.DataFrame({
        "skill_id": raw["conceptUri"],
        "uri": raw["conceptUri"],
        "label_en": raw["preferredLabel"],
        "alt_labels_en": raw["altLabels"].map(_lines),
        "hidden_labels_en": raw["hiddenLabels"].map(_lines),
        "skill_type": raw["skillType"],
        "description_en": raw["description"],
    })


def load_occupations(folder: Path) -> pd.DataFrame:
    """``occupation_id, uri, isco_code, label_en, alt_labels_en, label_lv, alt_labels_lv, description_en``."""
    raw = _read(folder / CLASSIFICATION, "occupations_en.csv")
    frame = pd.DataFrame({
        "occupation_id": raw["conceptUri"],
        "uri": raw["conceptUri"],
        "isco_code": raw["iscoGroup"],
        "label_en": raw["preferredLabel"],
        "alt_labels_en": raw["altLabels"].map(_lines),
        "description_en": raw["description"],
    })
    lv_path = folder / OCCUPATIONS_LV
    if lv_path.exists():
        lv = pd.read_csv(lv_path, dtype=str, keep_default_na=False)
        lv = lv[lv["conceptType"] == "Occupation"]
        labels = dict(zip(lv["conceptUri"], lv["preferredLabel"]))
        alts = dict(zip(lv["conceptUri"], lv["altLabels"].map(_lines)))
        frame["label_lv"] = frame["uri"].map(labels).fillna("")
        frame["alt_labels_lv"] = frame["uri"].map(lambda u: alts.get(u, []))
    return frame


def load_occupation_skills(folder: Path) -> pd.DataFrame:
    """``occupation_id, skill_id, essential`` (bool)."""
    raw = _read(folder / RELATIONS, "occupationSkillRelations.csv")
    return pd.DataFrame({
        "occupation_id": raw["occupationUri"],
        "skill_id": raw["skillUri"],
        "essential": raw["relationType"] == "essential",
    })


def load_skill_relations(folder: Path) -> pd.DataFrame:
    """``skill_id, related_skill_id, kind`` with kind 'broader' or 'related' (skill pillar only)."""
    broader = _read(folder / RELATIONS, "broaderRelationsSkillPillar.csv")
    broader = broader[(broader["conceptType"] == "KnowledgeSkillCompetence") & (broader["broaderType"] == "KnowledgeSkillCompetence")]
    related = _read(folder / RELATIONS, "skillSkillRelations.csv")
    return pd.concat([
        pd.DataFrame({"skill_id": broader["conceptUri"], "related_skill_id": broader["broaderUri"], "kind": "broader"}),
        pd.DataFrame({"skill_id": related["originalSkillUri"], "related_skill_id": related["relatedSkillUri"], "kind": "related"}),
    ], ignore_index=True)
