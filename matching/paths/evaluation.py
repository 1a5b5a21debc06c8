"""Seeded benchmark for programmes and pathways, and its metrics (plain functions over frames).

Design: vacancies come from :func:`matching.evaluation.jobs_benchmark` (occupations drawn from the
taxonomy's occupation–skill relations). Programmes each teach a random part (2–6) of one sampled
occupation's essential skills plus up to two other skills, and lead to that occupation; their
popularity (applications/enrolments) is drawn from a log-normal *independent of what they teach*,
as it is in life driven mostly by size, fame and habit. Every evaluation candidate is drawn from
one occupation holding all its essential skills except 20–40 % dropped ones (at least one) — the
*known missing* skills — plus 1–3 unrelated skills. (Dropping only one or two of an occupation's ~15
essential skills leaves most of its vacancies at ≥ 80 % coverage: nothing would be left to unlock.)
All candidates live in the towns of the vacancies and can reach
all of them (the question is which course helps, not who lives where); hard filters are off.

Metrics (:func:`paths_report`):

``top5_teach_missing``       share of candidates whose top-5 programmes teach ≥ 1 known missing skill;
``top5_teach_missing_popular``  the same for the 5 most popular programmes (baseline);
``unlocked_top_pathway``     mean vacancies unlocked by the top pathway;
``unlocked_popular``         mean vacancies unlocked by the most popular programmes, as many as the
                             top pathway has (1 when there is none): the popularity baseline.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ..evaluation import jobs_benchmark
from ..schema import MatchFrames
from .finder import Learner, PathFinder, PathFrames

__all__ = ["paths_benchmark", "paths_report"]

MODES = ("full_time", "part_time", "evening", "online", "dual")
KINDS = ("continuing_course", "vocational_further", "vocational_secondary", "college", "professional_bachelor")


def paths_benchmark(
    skills: pd.DataFrame, occupations: pd.DataFrame, occupation_skills: pd.DataFrame, *,
    n_occupations: int = 300, n_vacancies: int = 3000, n_programmes: int = 400, n_candidates: int = 300,
    n_job_candidates: int | None = None, filters: bool = False, today: dt.date = dt.date(2026, 11, 27),
    random_state: int = 0,
) -> tuple[MatchFrames, PathFrames, list[Learner], dict]:
    """Build the benchmark.

    Parameters
    ----------
    n_job_candidates : int, optional
        Candidates of the jobs benchmark (realistic noise and filters; the speed queries), default
        ``n_candidates``.
    filters : bool
        Realistic hard constraints for the *vacancies and the jobs-benchmark candidates* (speed
        runs); the evaluation candidates themselves always reach every vacancy.

    Returns
    -------
    frames : MatchFrames
        Vacancies plus the evaluation candidates (ids ``m0``, ``m1`` …) appended to the
        jobs-benchmark ones.
    path_frames : PathFrames
    learners : list of Learner
        The evaluation candidates (status cycles through unemployed, employed, other).
    missing : dict
        candidate id → set of known missing essential skill ids.
    """
    rng = np.random.default_rng(random_state)
    frames, _, truth = jobs_benchmark(skills, occupations, occupation_skills, n_occupations=n_occupations,
                                      n_vacancies=n_vacancies,
                                      n_candidates=max(n_job_candidates or n_candidates, 1), filters=filters,
                                      random_state=random_state)
    chosen = sorted(frames.vacancies["occupation_id"].unique())
    links = occupation_skills[occupation_skills["occupation_id"].isin(chosen)]
    essential = links[links["essential"].astype(bool)].groupby("occupation_id")["skill_id"].apply(list).to_dict()
    all_skills = skills["skill_id"].to_numpy(object)
    towns = frames.towns["town_id"].to_numpy(object)

    p_rows, ps_rows, po_rows, i_rows = [], [], [], []
    for j in range(n_programmes):
        occ = chosen[int(rng.integers(len(chosen)))]
        ess = list(essential.get(occ, []))
        taught = list(rng.permutation(ess)[: int(rng.integers(2, 7))]) if ess else []
        taught += list(rng.choice(all_skills, size=int(rng.integers(0, 3)), replace=False))
        pid = f"p{j}"
        kind = KINDS[int(rng.integers(len(KINDS)))]
        short = kind in ("continuing_course", "vocational_further")
        p_rows.append({
            "programme_id": pid, "name_lv": f"Programma {j}", "name_en": f"Programme {j}", "kind": kind,
            "duration_months": int(rng.integers(1, 7)) if short else int(rng.choice([12, 24, 36])),
            "mode": MODES[int(rng.integers(len(MODES)))],
            "cost_eur": float(rng.choice([0, 150, 300, 600, 1200, 2500])),
            "min_education": int(rng.choice([0, 1, 1, 2])), "state_funded_places": bool(rng.random() < 0.2),
            "voucher_eligible": bool(short and rng.random() < 0.6),
            "adult_learning_cofinanced": bool(short and rng.random() < 0.3),
            "town_id": towns[int(rng.integers(len(towns)))],
            "popularity": int(rng.lognormal(2.0, 1.0)),
        })
        ps_rows += [(pid, s) for s in dict.fromkeys(taught)]
        po_rows.append((pid, occ))
        start = today + dt.timedelta(days=int(rng.integers(20, 300)))
        i_rows.append((f"i{j}", pid, start, start - dt.timedelta(days=14), 20, int(rng.integers(0, 10))))
        if rng.random() < 0.5:
            past = today - dt.timedelta(days=int(rng.integers(30, 200)))
            i_rows.append((f"i{j}-past", pid, past, past - dt.timedelta(days=14), 20, 0))

    c_rows, cs_rows, cl_rows, learners, missing = [], [], [], [], {}
    statuses = ("registered_unemployed", "employed", "other")
    eligible_occ = [o for o in chosen if len(essential.get(o, [])) >= 3]
    for j in range(n_candidates):
        occ = eligible_occ[int(rng.integers(len(eligible_occ)))]
        ess = list(rng.permutation(essential[occ]))
        dropped = ess[: max(1, int(round(len(ess) * rng.uniform(0.2, 0.4))))]
        held = ess[len(dropped):] + list(rng.choice(all_skills, size=int(rng.integers(1, 4)), replace=False))
        held = [s for s in dict.fromkeys(held) if s not in dropped]
        cid = f"m{j}"
        c_rows.append({"candidate_id": cid, "town_id": towns[int(rng.integers(len(towns)))],
                       "max_commute_km": 1000, "willing_to_relocate": True, "education": 3, "age": 35,
                       "available_hours": [], "text": ""})
        cs_rows += [(cid, s, 3) for s in held]
        cl_rows += [(cid, "lv", 6), (cid, "en", 6)]
        learners.append(Learner(cid, employment_status=statuses[j % 3], kind="reskilling"))
        missing[cid] = set(dropped)
    frames.candidates = pd.concat([frames.candidates, pd.DataFrame(c_rows)], ignore_index=True)
    frames.candidate_skills = pd.concat([frames.candidate_skills, pd.DataFrame(
        cs_rows, columns=["candidate_id", "skill_id", "level"])], ignore_index=True)
    frames.candidate_languages = pd.concat([frames.candidate_languages, pd.DataFrame(
        cl_rows, columns=["candidate_id", "language", "level"])], ignore_index=True)
    del truth
    path_frames = PathFrames(
        programmes=pd.DataFrame(p_rows),
        intakes=pd.DataFrame(i_rows, columns=["intake_id", "programme_id", "start_date", "application_deadline",
                                              "seats", "funded_seats"]),
        programme_skills=pd.DataFrame(ps_rows, columns=["programme_id", "skill_id"]),
        programme_occupations=pd.DataFrame(po_rows, columns=["programme_id", "occupation_id"]),
        occupation_skills=occupation_skills,
        vacancies=frames.vacancies[["vacancy_id", "salary_min", "salary_max"]],
    )
    return frames, path_frames, learners, missing


def paths_report(finder: PathFinder, learners: list[Learner], missing: dict, *, today: dt.date,
                 k: int = 5) -> dict:
    """The programme and pathway metrics of the module docstring, ours beside the popularity baseline."""
    taught = finder.programme_skill_frame_.groupby("programme_id")["skill_id"].apply(set).to_dict()
    hits, popular_hits, ours, popular, sizes, with_pathway = [], [], [], [], [], 0
    for learner in learners:
        lost = missing[learner.candidate_id]
        top = finder.recommend_programmes(learner, today=today, k=k)
        hits.append(any(taught.get(p, set()) & lost for p in top["programme_id"]))
        popular_top = finder.popular_pathway(learner, today=today, size=k)["programme_ids"]
        popular_hits.append(any(taught.get(p, set()) & lost for p in popular_top))
        paths = finder.recommend_pathways(learner, today=today, k=1)
        size = len(paths["programme_ids"].iloc[0]) if len(paths) else 1
        with_pathway += bool(len(paths))
        ours.append(int(paths["vacancies_unlocked"].iloc[0]) if len(paths) else 0)
        popular.append(finder.popular_pathway(learner, today=today, size=size)["vacancies_unlocked"])
        sizes.append(size)
    n = max(len(learners), 1)
    return {
        "candidates": len(learners),
        "top5_teach_missing": round(sum(hits) / n, 4),
        "top5_teach_missing_popular": round(sum(popular_hits) / n, 4),
        "with_pathway": round(with_pathway / n, 4),
        "unlocked_top_pathway": round(float(np.mean(ours)) if ours else 0.0, 3),
        "unlocked_popular": round(float(np.mean(popular)) if popular else 0.0, 3),
        "mean_pathway_size": round(float(np.mean(sizes)) if sizes else 0.0, 3),
    }
