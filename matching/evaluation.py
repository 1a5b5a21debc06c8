"""Offline evaluation: ranking metrics, a seeded synthetic benchmark built from a taxonomy, baselines.

Everything here is a plain function over frames; the Django command and the scripts in
``benchmarks/`` only load data and print. The same ``random_state`` gives the same benchmark.

Benchmark design (jobs): sample occupations that have enough essential skills; every vacancy
belongs to one and lists a random part of its essential skills (plus a few optional ones) and a
job-ad text naming some of them; every candidate is drawn from one occupation with realistic
noise — essential skills missing, optional ones mostly missing, unrelated skills added, and part
of the remaining skills written in free text instead of picked. A vacancy is relevant to a
candidate when it belongs to the candidate's occupation.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from .schema import MatchFrames
from .sides import text_terms
from .sparse import top_k_indices

__all__ = [
    "catalogue_coverage", "dcg", "extraction_benchmark", "jobs_benchmark", "ndcg_at_k", "precision_at_k",
    "random_baseline", "ranking_report", "recall_at_k", "reciprocal_rank", "r_precision", "synthetic_taxonomy",
    "synthetic_towns", "tfidf_baseline", "title_benchmark",
]

# ----------------------------------------------------------------------------- metrics


def precision_at_k(recommended: list, relevant: set, k: int) -> float:
    """Share of the first ``k`` recommendations that are relevant (divides by ``k``)."""
    return sum(1 for item in recommended[:k] if item in relevant) / k


def recall_at_k(recommended: list, relevant: set, k: int) -> float:
    """Share of the relevant items found in the first ``k`` (0 when nothing is relevant)."""
    return sum(1 for item in recommended[:k] if item in relevant) / len(relevant) if relevant else 0.0


def dcg(gains: list[float]) -> float:
    return sum(g / math.log2(i + 2) for i, g in enumerate(gains))


def ndcg_at_k(recommended: list, relevant: set, k: int) -> float:
    """Binary-relevance nDCG@k; the ideal list puts ``min(k, |relevant|)`` hits first."""
    if not relevant:
        return 0.0
    ideal = dcg([1.0] * min(k, len(relevant)))
    return dcg([1.0 if item in relevant else 0.0 for item in recommended[:k]]) / ideal


def reciprocal_rank(recommended: list, relevant: set) -> float:
    """1 / rank of the first relevant item (0 if none)."""
    for rank, item in enumerate(recommended, start=1):
        if item in relevant:
            return 1.0 / rank
    return 0.0


def r_precision(recommended: list, relevant: set, k: int | None = None) -> float:
    """Precision at ``R = |relevant|`` (capped at ``k`` when given: RP@k)."""
    if not relevant:
        return 0.0
    r = len(relevant) if k is None else min(k, len(relevant))
    return sum(1 for item in recommended[:r] if item in relevant) / r


def catalogue_coverage(recommendations: list[list], n_items: int) -> float:
    """Share of the catalogue that appears in at least one list."""
    seen = {item for items in recommendations for item in items}
    return len(seen) / n_items if n_items else 0.0


def ranking_report(recommended: dict, relevant: dict, *, k: int = 10, n_items: int | None = None) -> dict:
    """Mean P@k, R@k, nDCG@k, MRR and R-precision over queries, plus catalogue coverage.

    Parameters
    ----------
    recommended : dict
        query id → ranked list of item ids.
    relevant : dict
        query id → set of relevant item ids; queries without relevant items are skipped.
    """
    rows = []
    for query, items in relevant.items():
        if not items:
            continue
        recs = list(recommended.get(query, []))
        rows.append((precision_at_k(recs, items, k), recall_at_k(recs, items, k), ndcg_at_k(recs, items, k),
                     reciprocal_rank(recs, items), r_precision(recs, items)))
    means = np.mean(rows, axis=0) if rows else np.zeros(5)
    report = dict(zip((f"P@{k}", f"R@{k}", f"nDCG@{k}", "MRR", "R-prec"), (round(float(x), 4) for x in means)))
    report["queries"] = len(rows)
    if n_items:
        report["coverage"] = round(catalogue_coverage([recommended.get(q, [])[:k] for q in relevant], n_items), 4)
    return report


# ----------------------------------------------------------------- synthetic building blocks

_SYLLABLES = ["ka", "ro", "mi", "te", "lu", "sa", "vin", "dor", "pel", "ast", "ur", "gen", "tal", "bri", "mon", "ke"]


def _word(rng: np.random.Generator) -> str:
    return "".join(rng.choice(_SYLLABLES, size=rng.integers(2, 4)))


def synthetic_taxonomy(*, n_skills: int = 14000, n_occupations: int = 3000, skills_per_occupation: int = 25,
                       random_state: int = 0) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """An ESCO-sized made-up taxonomy for speed benchmarks when ESCO_DIR is not available.

    Returns
    -------
    skills : DataFrame ``skill_id, uri, label_en, alt_labels_en``
    occupations : DataFrame ``occupation_id, uri, label_en, alt_labels_en``
    occupation_skills : DataFrame ``occupation_id, skill_id, essential``
    """
    rng = np.random.default_rng(random_state)
    vocab = list({_word(rng) for _ in range(6000)})
    def label(n):
        return " ".join(rng.choice(vocab, size=n))
    skills = pd.DataFrame({
        "skill_id": [f"s{i}" for i in range(n_skills)],
        "uri": [f"urn:skill:{i}" for i in range(n_skills)],
        "label_en": [label(int(rng.integers(1, 4))) for _ in range(n_skills)],
        "alt_labels_en": [[label(int(rng.integers(1, 4))) for _ in range(int(rng.integers(2, 10)))] for _ in range(n_skills)],
    })
    occupations = pd.DataFrame({
        "occupation_id": [f"o{i}" for i in range(n_occupations)],
        "uri": [f"urn:occupation:{i}" for i in range(n_occupations)],
        "label_en": [label(2) for _ in range(n_occupations)],
        "alt_labels_en": [[label(2) for _ in range(3)] for _ in range(n_occupations)],
    })
    # Skill popularity is skewed, as in ESCO: a few transversal skills appear everywhere.
    popularity = 1.0 / np.arange(1, n_skills + 1) ** 0.8
    popularity /= popularity.sum()
    rows = []
    for o in range(n_occupations):
        chosen = rng.choice(n_skills, size=skills_per_occupation, replace=False, p=popularity)
        for j, s in enumerate(chosen):
            rows.append((f"o{o}", f"s{s}", j < skills_per_occupation * 0.6))
    return skills, occupations, pd.DataFrame(rows, columns=["occupation_id", "skill_id", "essential"])


def synthetic_towns(n_towns: int = 40, *, random_state: int = 0) -> pd.DataFrame:
    """Made-up towns inside Latvia's bounding box (``town_id, latitude, longitude``)."""
    rng = np.random.default_rng(random_state)
    return pd.DataFrame({
        "town_id": [f"town-{i:02d}" for i in range(n_towns)],
        "latitude": rng.uniform(55.7, 58.0, n_towns),
        "longitude": rng.uniform(21.0, 28.2, n_towns),
    })


_AD_EN = ["We are looking for a {title}.", "Requirements: {a}, {b}.", "Experience with {a} is an advantage.",
          "You will be responsible for {a} and {b}.", "Knowledge of {a} is required."]
_AD_LV = ["Meklējam darbinieku amatā {title}.", "Prasības: {a}, {b}.", "Priekšrocība būs pieredze: {a}.",
          "Pienākumi: {a} un {b}.", "Nepieciešamas zināšanas: {a}."]
_CV_EN = ["I have experience in {a}.", "At my last job I was responsible for {a} and {b}.", "Skills: {a}, {b}.",
          "I am good at {a}."]
_CV_LV = ["Man ir pieredze: {a}.", "Iepriekšējā darbā atbildēju par {a} un {b}.", "Prasmes: {a}, {b}.",
          "Labi pārzinu {a}."]
_FILLER_EN = ["I am reliable and punctual.", "Full-time work, friendly team.", "We offer training and a stable salary."]
_FILLER_LV = ["Esmu atbildīgs un precīzs.", "Pilna slodze, draudzīgs kolektīvs.", "Piedāvājam apmācību un stabilu algu."]


def _labels_of(skills: pd.DataFrame) -> dict:
    """skill_id → all labels (preferred first) in any language."""
    out = {}
    for row in skills.itertuples(index=False):
        labels = [getattr(row, c) for c in ("label_en", "label_lv") if isinstance(getattr(row, c, None), str) and getattr(row, c)]
        for column in ("alt_labels_en", "alt_labels_lv"):
            labels += list(getattr(row, column, None) or [])
        out[row.skill_id] = labels
    return out


def _render(labels: list[str], templates: list[str], rng: np.random.Generator, title: str = "") -> str:
    sentences = []
    for i in range(0, len(labels), 2):
        pair = labels[i:i + 2]
        template = templates[int(rng.integers(len(templates)))]
        if "{b}" in template and len(pair) < 2:
            template = templates[2]
        sentences.append(template.format(a=pair[0], b=pair[-1], title=title))
    return " ".join(sentences)


def _pick_label(labels: list[str], rng: np.random.Generator, alt_share: float = 0.6) -> str:
    if len(labels) > 1 and rng.random() < alt_share:
        return labels[int(rng.integers(1, len(labels)))]
    return labels[0]


def jobs_benchmark(
    skills: pd.DataFrame, occupations: pd.DataFrame, occupation_skills: pd.DataFrame, *,
    n_occupations: int = 300, n_vacancies: int = 3000, n_candidates: int = 1000, min_essential: int = 5,
    keep_essential: float = 0.7, keep_optional: float = 0.2, extra_skills: tuple[int, int] = (1, 3),
    free_text_share: float = 0.3, history_share: float = 0.0, towns: pd.DataFrame | None = None,
    filters: bool = False, random_state: int = 0,
) -> tuple[MatchFrames, dict, dict]:
    """Seeded jobs benchmark drawn from the occupation–skill relations of a taxonomy.

    Parameters
    ----------
    skills : DataFrame
        ``skill_id, label_en`` (and optional ``label_lv``, ``alt_labels_en``, ``alt_labels_lv``).
    occupations : DataFrame
        ``occupation_id, label_en`` (and optional ``label_lv``, ``alt_labels_*``).
    occupation_skills : DataFrame
        ``occupation_id, skill_id, essential``.
    keep_essential, keep_optional : float
        Chance a candidate keeps each essential / optional skill of their occupation.
    extra_skills : (int, int)
        Range of unrelated skills added to each candidate.
    free_text_share : float
        Share of a candidate's kept skills written in their free text instead of picked.
    history_share : float
        Share of candidates whose work history names their occupation (0 = none: skills only).
    filters : bool
        Draw realistic hard constraints (languages, ages, hours, commute) — for speed runs.

    Returns
    -------
    frames : MatchFrames
    relevant : dict
        candidate_id → set of relevant vacancy ids.
    truth : dict
        candidate_id → occupation id.
    """
    rng = np.random.default_rng(random_state)
    labels = _labels_of(skills)
    links = occupation_skills[occupation_skills["skill_id"].isin(labels.keys())]
    ess = links[links["essential"]].groupby("occupation_id")["skill_id"].apply(list)
    opt = links[~links["essential"]].groupby("occupation_id")["skill_id"].apply(list)
    title_labels = {
        row.occupation_id: [row.label_en] + list(getattr(row, "alt_labels_en", None) or [])
        for row in occupations.itertuples(index=False)
    }
    eligible = sorted(o for o, s in ess.items() if len(s) >= min_essential and o in title_labels)
    chosen = rng.choice(eligible, size=min(n_occupations, len(eligible)), replace=False)
    all_skills = np.asarray(list(labels.keys()), dtype=object)
    towns = synthetic_towns(random_state=random_state) if towns is None else towns
    town_ids = towns["town_id"].to_numpy(object)

    v_rows, vs_rows, vl_rows = [], [], []
    for i in range(n_vacancies):
        occ = chosen[i % len(chosen)]
        essentials = list(rng.permutation(ess[occ]))
        n_ess = max(3, int(round(len(essentials) * rng.uniform(0.6, 1.0))))
        picked_ess = essentials[:min(n_ess, 12)]
        optional = list(rng.permutation(opt.get(occ, [])))[: int(rng.integers(0, 5))]
        vid = f"v{i}"
        vs_rows += [(vid, s, True) for s in picked_ess] + [(vid, s, False) for s in optional]
        title = _pick_label(title_labels[occ], rng)
        latvian = rng.random() < 0.5
        named = [_pick_label(labels[s], rng) for s in rng.permutation(picked_ess + optional)[: max(2, len(picked_ess) // 2)]]
        text = _render(named, _AD_LV if latvian else _AD_EN, rng, title) + " " + rng.choice(_FILLER_LV if latvian else _FILLER_EN)
        v_rows.append({
            "vacancy_id": vid, "employer_id": f"e{int(rng.integers(0, max(1, n_vacancies // 8)))}", "title": title,
            "text": text, "occupation_id": occ, "town_id": town_ids[int(rng.integers(len(town_ids)))],
            "contract_kind": "permanent", "hours": rng.choice(["full_time", "part_time", "shifts"]) if filters else "full_time",
            "min_education": int(rng.integers(0, 4)) if filters else 0, "min_age": int(rng.choice([15, 18, 18, 21])) if filters else 15,
            "salary_min": 900, "salary_max": 1500, "work_arrangement": "remote" if filters and rng.random() < 0.05 else "on_site",
        })
        if filters and rng.random() < 0.7:
            vl_rows.append((vid, "lv", int(rng.integers(2, 5))))
        if filters and rng.random() < 0.3:
            vl_rows.append((vid, "en", int(rng.integers(2, 5))))

    c_rows, cs_rows, cl_rows, co_rows, relevant, truth = [], [], [], [], {}, {}
    by_occ = pd.Series(range(n_vacancies)).groupby(np.arange(n_vacancies) % len(chosen)).apply(list)
    for j in range(n_candidates):
        k = int(rng.integers(len(chosen)))
        occ = chosen[k]
        kept = [s for s in ess[occ] if rng.random() < keep_essential] + [s for s in opt.get(occ, []) if rng.random() < keep_optional]
        kept += list(rng.choice(all_skills, size=int(rng.integers(extra_skills[0], extra_skills[1] + 1)), replace=False))
        kept = list(dict.fromkeys(kept))
        in_text = [s for s in kept if rng.random() < free_text_share]
        picked = [s for s in kept if s not in in_text]
        cid = f"c{j}"
        cs_rows += [(cid, s, int(rng.integers(1, 5))) for s in picked]
        latvian = rng.random() < 0.5
        text = _render([_pick_label(labels[s], rng) for s in in_text], _CV_LV if latvian else _CV_EN, rng)
        text = (text + " " + rng.choice(_FILLER_LV if latvian else _FILLER_EN)).strip()
        c_rows.append({
            "candidate_id": cid, "town_id": town_ids[int(rng.integers(len(town_ids)))],
            "max_commute_km": int(rng.choice([20, 40, 60, 100])) if filters else 1000,
            "willing_to_relocate": bool(rng.random() < 0.2) if filters else True,
            "education": int(rng.integers(1, 6)) if filters else 6, "age": int(rng.integers(16, 60)) if filters else 30,
            "available_hours": list(rng.choice(["full_time", "part_time", "shifts"], size=int(rng.integers(1, 4)), replace=False)) if filters else [],
            "text": text,
        })
        cl_rows.append((cid, "lv", int(rng.integers(3, 7)) if filters else 6))
        if not filters or rng.random() < 0.6:
            cl_rows.append((cid, "en", int(rng.integers(2, 7)) if filters else 6))
        if rng.random() < history_share:
            co_rows.append((cid, occ, "history"))
        relevant[cid] = {f"v{i}" for i in by_occ[k]}
        truth[cid] = occ

    frames = MatchFrames(
        vacancies=pd.DataFrame(v_rows),
        vacancy_skills=pd.DataFrame(vs_rows, columns=["vacancy_id", "skill_id", "essential"]),
        vacancy_languages=pd.DataFrame(vl_rows, columns=["vacancy_id", "language", "level"]),
        candidates=pd.DataFrame(c_rows),
        candidate_skills=pd.DataFrame(cs_rows, columns=["candidate_id", "skill_id", "level"]),
        candidate_languages=pd.DataFrame(cl_rows, columns=["candidate_id", "language", "level"]),
        candidate_occupations=pd.DataFrame(co_rows, columns=["candidate_id", "occupation_id", "kind"]),
        towns=towns,
        occupation_skills=occupation_skills,
        skills=skills[["skill_id"] + [c for c in ("uri", "label_en", "label_lv") if c in skills]],
    )
    return frames, relevant, truth


# ------------------------------------------------------------------------------ baselines


def random_baseline(frames: MatchFrames, candidate_ids: list, *, k: int = 10, random_state: int = 0) -> dict:
    """k vacancies drawn uniformly at random for every candidate."""
    rng = np.random.default_rng(random_state)
    ids = frames.vacancies["vacancy_id"].to_numpy(object)
    return {c: list(rng.choice(ids, size=min(k, len(ids)), replace=False)) for c in candidate_ids}


def profile_texts(frames: MatchFrames, *, with_skills: bool = True) -> tuple[list[str], list[str]]:
    """What a text-only matcher sees: vacancy title + text, candidate text; with ``with_skills``
    also the labels of the vacancy's skills and of the candidate's picked skills."""
    names = dict(zip(frames.skills["skill_id"], frames.skills.get("label_en", frames.skills["skill_id"])))
    vs = frames.vacancy_skills.groupby("vacancy_id")["skill_id"].apply(lambda s: ". ".join(str(names.get(x, "")) for x in s))
    cs = frames.candidate_skills.groupby("candidate_id")["skill_id"].apply(lambda s: ". ".join(str(names.get(x, "")) for x in s))
    v, c = frames.vacancies, frames.candidates
    if not with_skills:
        return (v["title"] + ". " + v["text"]).tolist(), c["text"].tolist()
    vacancy_docs = (v["title"] + ". " + v["text"] + ". " + v["vacancy_id"].map(vs).fillna("")).tolist()
    candidate_docs = (c["text"] + ". " + c["candidate_id"].map(cs).fillna("")).tolist()
    return vacancy_docs, candidate_docs


def tfidf_baseline(frames: MatchFrames, candidate_ids: list, *, k: int = 10, analyzer="stems",
                   with_skills: bool = False) -> dict:
    """Rank vacancies by TF-IDF cosine of texts alone (see :func:`profile_texts`).

    ``with_skills=False`` is the issue's "TF-IDF text similarity alone" (free text only);
    ``True`` hands the text matcher every picked skill as words too — a stronger baseline.

    ``analyzer='stems'`` uses this package's stemmer; ``'char'`` uses char 3–5-grams, the
    closest thing to a multilingual sentence-embedding matcher that needs no model download.
    """
    vacancy_docs, candidate_docs = profile_texts(frames, with_skills=with_skills)
    if analyzer == "char":
        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, dtype=np.float32)
    else:
        vectorizer = TfidfVectorizer(analyzer=text_terms, sublinear_tf=True, dtype=np.float32)
    matrix = vectorizer.fit_transform(vacancy_docs + candidate_docs)
    vacancies = normalize(matrix[: len(vacancy_docs)])
    position = {c: i for i, c in enumerate(frames.candidates["candidate_id"])}
    ids = frames.vacancies["vacancy_id"].to_numpy(object)
    out = {}
    for c in candidate_ids:
        query = matrix[len(vacancy_docs) + position[c]]
        scores = (vacancies @ query.T).toarray().ravel()
        scores[scores <= 0] = -np.inf
        out[c] = list(ids[top_k_indices(scores, k)])
    return out


# ------------------------------------------------------------------ extraction and titles


def _inflect_en(label: str, rng: np.random.Generator) -> str:
    """A plausible inflected variant: plural last word or gerund first word."""
    words = label.split()
    if len(words) > 1 and rng.random() < 0.5 and words[0].isalpha() and not words[0].endswith("ing"):
        first = words[0]
        words[0] = (first[:-1] if first.endswith("e") and len(first) > 3 else first) + "ing"
    elif words and words[-1].isalpha() and not words[-1].endswith("s"):
        words[-1] += "s"
    return " ".join(words)


def extraction_benchmark(skills: pd.DataFrame, *, n_sentences: int = 2000, per_sentence: tuple[int, int] = (1, 3),
                         inflect_share: float = 0.25, random_state: int = 0) -> pd.DataFrame:
    """Sentences with known skills: alternative labels inside job-ad and CV sentences (lv and en).

    Returns
    -------
    DataFrame
        ``sentence_id, text, language, skill_ids`` (list of the skills written into the text).
    """
    rng = np.random.default_rng(random_state)
    labels = _labels_of(skills)
    ids = np.asarray([s for s, ls in labels.items() if ls], dtype=object)
    rows = []
    for i in range(n_sentences):
        chosen = list(rng.choice(ids, size=int(rng.integers(per_sentence[0], per_sentence[1] + 1)), replace=False))
        written = []
        for s in chosen:
            text = _pick_label(labels[s], rng, alt_share=0.8)
            roll = rng.random()
            if roll < inflect_share:
                text = _inflect_en(text, rng)
            elif roll < inflect_share + 0.15:
                text = text.lower() if rng.random() < 0.5 else text.capitalize()
            written.append(text)
        latvian = rng.random() < 0.5
        templates = (_AD_LV + _CV_LV) if latvian else (_AD_EN + _CV_EN)
        text = _render(written, templates, rng, title="")
        rows.append((f"x{i}", text, "lv" if latvian else "en", chosen))
    return pd.DataFrame(rows, columns=["sentence_id", "text", "language", "skill_ids"])


def title_benchmark(occupations: pd.DataFrame, *, per_occupation: int = 1, random_state: int = 0
                    ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Hold out alternative labels: the index is fitted without them and queried with them.

    Returns
    -------
    fit_frame : DataFrame
        ``occupations`` with the held-out labels removed from ``alt_labels_en``/``alt_labels_lv``.
    queries : DataFrame
        ``title, occupation_id, language``.
    """
    rng = np.random.default_rng(random_state)
    frame = occupations.copy()
    queries = []
    for column, language in (("alt_labels_lv", "lv"), ("alt_labels_en", "en")):
        if column not in frame:
            continue
        kept_all = []
        for occ, alts in zip(frame["occupation_id"], frame[column]):
            alts = list(alts or [])
            order = rng.permutation(len(alts))
            held = {alts[i] for i in order[:per_occupation]} if len(alts) > 1 else set()
            queries += [(t, occ, language) for t in held]
            kept_all.append([a for a in alts if a not in held])
        frame[column] = kept_all
    return frame, pd.DataFrame(queries, columns=["title", "occupation_id", "language"])

