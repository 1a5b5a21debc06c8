"""Tiny, hand-made frames for the matching tests: two towns far apart, a handful of skills."""
from __future__ import annotations

import pandas as pd
import pytest

from matching.schema import MatchFrames

SKILLS = [
    # skill_id, uri, label_en, label_lv, alt_en, alt_lv
    ("weld", "esco:weld", "welding", "metināšana", ["weld metals"], ["metināt"]),
    ("tig", "esco:tig", "TIG welding", "TIG metināšana", ["tungsten inert gas welding"], []),
    ("cnc", "esco:cnc", "operate CNC machine", "CNC darbgalu vadīšana", ["CNC operator work"], ["CNC operators"]),
    ("excel", "esco:excel", "use spreadsheets software", "izklājlapu lietošana", ["Microsoft Excel", "Excel"], ["Excel"]),
    ("cook", "esco:cook", "cook dishes", "ēdienu gatavošana", ["cooking"], ["gatavot ēdienu"]),
    ("service", "esco:service", "customer service", "klientu apkalpošana", [], []),
    ("forklift", "esco:forklift", "operate forklift", "iekrāvēja vadīšana", ["drive forklift"], ["autoiekrāvējs"]),
    ("stock", "esco:stock", "manage warehouse stock", "noliktavas krājumu uzskaite", [], []),
]


def skills_frame() -> pd.DataFrame:
    return pd.DataFrame(SKILLS, columns=["skill_id", "uri", "label_en", "label_lv", "alt_labels_en", "alt_labels_lv"])


def occupations_frame() -> pd.DataFrame:
    rows = [
        ("welder", "esco:occ/welder", "welder", "metinātājs", ["welding worker"], ["metinātāja"]),
        ("cook", "esco:occ/cook", "cook", "pavārs", ["chef de partie"], ["pavāre"]),
        ("cnc", "esco:occ/cnc", "CNC machine operator", "CNC operators", ["CNC operator"], ["CNC operatore"]),
        ("tinsmith", "esco:occ/tinsmith", "tinsmith", "skārdnieks", ["sheet metal worker"], ["skārdniece"]),
        ("warehouse", "esco:occ/warehouse", "warehouse worker", "noliktavas darbinieks", [], ["noliktavas darbiniece"]),
        ("accountant", "esco:occ/accountant", "accountant", "grāmatvedis", ["bookkeeper"], ["grāmatvede"]),
    ]
    return pd.DataFrame(rows, columns=["occupation_id", "uri", "label_en", "label_lv", "alt_labels_en", "alt_labels_lv"])


def _vacancy(vid, employer, title, occupation, town, **kw) -> dict:
    row = {
        "vacancy_id": vid, "employer_id": employer, "title": title, "text": kw.pop("text", title),
        "occupation_id": occupation, "town_id": town, "contract_kind": "permanent", "hours": "full_time",
        "min_education": 0, "min_age": 15, "salary_min": 1000, "salary_max": 1400, "work_arrangement": "on_site",
    }
    row.update(kw)
    return row


def _candidate(cid, town, **kw) -> dict:
    row = {
        "candidate_id": cid, "town_id": town, "max_commute_km": 30, "willing_to_relocate": False,
        "education": 2, "age": 25, "available_hours": [], "text": "",
    }
    row.update(kw)
    return row


@pytest.fixture
def frames() -> MatchFrames:
    vacancies = pd.DataFrame([
        _vacancy("v-weld-val", "e-metal", "Metinātājs", "welder", "valmiera",
                 text="Metināšana ar TIG, darbs ražotnē Valmierā."),
        _vacancy("v-cook", "e-cafe", "Pavārs", "cook", "valmiera", text="Ēdienu gatavošana kafejnīcā."),
        _vacancy("v-cnc", "e-wood", "CNC operators", "cnc", "valmiera", text="CNC darbgalu vadīšana, Excel."),
        _vacancy("v-weld-ven", "e-port", "Metinātājs", "welder", "ventspils", text="Metināšana ostā."),
        _vacancy("v-bar", "e-cafe", "Bārmenis", None, "valmiera", min_age=18, text="Klientu apkalpošana bārā."),
        _vacancy("v-store", "e-store", "Noliktavas pārzinis", "warehouse", "valmiera",
                 text="Iekrāvēja vadīšana un krājumu uzskaite."),
    ])
    vacancy_skills = pd.DataFrame([
        ("v-weld-val", "weld", True), ("v-weld-val", "tig", False),
        ("v-cook", "cook", True), ("v-cook", "service", False),
        ("v-cnc", "cnc", True), ("v-cnc", "excel", False),
        ("v-weld-ven", "weld", True),
        ("v-bar", "service", True),
        ("v-store", "forklift", True), ("v-store", "stock", True),
    ], columns=["vacancy_id", "skill_id", "essential"])
    vacancy_languages = pd.DataFrame([("v-weld-val", "lv", 4)], columns=["vacancy_id", "language", "level"])
    candidates = pd.DataFrame([
        _candidate("welder", "valmiera", text="Esmu metinātājs ar 5 gadu pieredzi."),
        _candidate("welder-mover", "valmiera", willing_to_relocate=True),
        _candidate("teen", "valmiera", age=17),
        _candidate("no-latvian", "valmiera"),
        _candidate("forklift-driver", "valmiera"),
        _candidate("tig-only", "valmiera"),
    ])
    candidate_skills = pd.DataFrame([
        ("welder", "weld", 3), ("welder", "tig", 2),
        ("welder-mover", "weld", 3),
        ("teen", "service", 2), ("teen", "cook", 1),
        ("no-latvian", "weld", 4),
        ("forklift-driver", "forklift", 3),
        ("tig-only", "tig", 3),
    ], columns=["candidate_id", "skill_id", "level"])
    candidate_languages = pd.DataFrame([
        (cid, "lv", 6) for cid in ("welder", "welder-mover", "teen", "forklift-driver", "tig-only")
    ] + [("no-latvian", "en", 5)], columns=["candidate_id", "language", "level"])
    candidate_occupations = pd.DataFrame([("welder", "welder", "target")],
                                         columns=["candidate_id", "occupation_id", "kind"])
    skill_relations = pd.DataFrame([("tig", "weld", "broader")], columns=["skill_id", "related_skill_id", "kind"])
    towns = pd.DataFrame([
        ("valmiera", 57.54108, 25.42751), ("ventspils", 57.38988, 21.57288), ("cesis", 57.31188, 25.27456),
    ], columns=["town_id", "latitude", "longitude"])
    town_distances = pd.DataFrame([("valmiera", "ventspils", 290), ("valmiera", "cesis", 32)],
                                  columns=["from_town_id", "to_town_id", "road_km"])
    return MatchFrames(
        vacancies=vacancies, vacancy_skills=vacancy_skills, vacancy_languages=vacancy_languages,
        candidates=candidates, candidate_skills=candidate_skills, candidate_languages=candidate_languages,
        candidate_occupations=candidate_occupations, skill_relations=skill_relations, towns=towns,
        town_distances=town_distances, skills=skills_frame(),
    )
