"""Quality of the matching core on the LOADED taxonomy (curated demo set, or full ESCO after import_esco).

Builds the seeded benchmarks of ``matching.evaluation`` from the skills, occupations and occupation–skill relations
in the database (read through careers.frames) and prints, for the same run:

* jobs for a candidate: P@10, R@10, nDCG@10, MRR and catalogue coverage of MatchIndex beside the random and the
  TF-IDF-text-only baselines (synthetic candidates drawn from an occupation's skills with missing skills, unrelated
  extra skills and skills written as free text; the relevant vacancies are those of that occupation);
* skill extraction: R-precision@5 and MRR on generated Latvian and English job-ad / CV sentences;
* title matching: MRR on alternative labels held out of the title index;
* programmes and pathways (issue 5): for candidates drawn with known missing essential skills, the share whose
  top-5 programmes teach at least one missing skill, and the mean number of vacancies the top pathway unlocks,
  beside the popularity baseline (most-attended programmes) of the same run.

Every figure is also printed on a ``metric <name> <system> <value>`` line for scripts and tests.
"""
from __future__ import annotations

import datetime as dt
import time

import numpy as np
import pandas as pd
from django.core.management.base import BaseCommand, CommandError

from careers.frames import occupation_skills_frame, occupations_frame, skill_relations_frame, skills_frame
from matching.evaluation import (
    extraction_benchmark, jobs_benchmark, r_precision, random_baseline, ranking_report, reciprocal_rank,
    tfidf_baseline, title_benchmark,
)
from matching.extract import SkillExtractor, skills_from_text
from matching.index import MatchIndex
from matching.paths import PathFinder
from matching.paths.evaluation import paths_benchmark, paths_report
from matching.relations import cooccurrence_relations, occupation_relations
from matching.titles import TitleMatcher

METRICS = ("P@10", "R@10", "nDCG@10", "MRR", "coverage")
# The synthetic programme benchmark is dated, not the real calendar: a fixed day keeps the run reproducible.
PATHS_TODAY = dt.date(2026, 11, 27)


def _lists(frame: pd.DataFrame) -> pd.DataFrame:
    for column in ("alt_labels_en", "alt_labels_lv"):
        frame[column] = frame[column].map(lambda v: list(v) if isinstance(v, list) else [])
    return frame


class Command(BaseCommand):
    help = "Seeded quality benchmark of jobs ranking, skill extraction and title matching on the loaded taxonomy."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--candidates", type=int, default=1000)
        parser.add_argument("--occupations", type=int, default=300,
                            help="Occupations drawn for the jobs benchmark (10 vacancies each).")
        parser.add_argument("--sentences", type=int, default=2000, help="Generated sentences for skill extraction.")
        parser.add_argument("--path-candidates", type=int, default=200,
                            help="Candidates with known missing skills for the programme and pathway metrics.")

    def handle(self, *args, **options) -> None:
        seed, started = options["seed"], time.perf_counter()
        skills, occupations = _lists(skills_frame()), _lists(occupations_frame())
        occupation_skills = occupation_skills_frame()
        if skills.empty or occupations.empty or occupation_skills.empty:
            raise CommandError("No taxonomy loaded: run load_reference (curated) or import_esco (full ESCO) first.")
        self.stdout.write(f"taxonomy: {len(skills)} skills, {len(occupations)} occupations, "
                          f"{len(occupation_skills)} occupation-skill links; seed {seed}")
        extractor = SkillExtractor().fit(skills)
        self._jobs(skills, occupations, occupation_skills, extractor, options)
        self._extraction(skills, extractor, seed, options["sentences"])
        self._titles(occupations, seed)
        self._paths(skills, occupations, occupation_skills, seed, options["path_candidates"], options["occupations"])
        self.stdout.write(f"done in {time.perf_counter() - started:.1f} s")

    def _metric(self, name: str, system: str, value: float) -> None:
        self.stdout.write(f"metric {name} {system} {value:.4f}")

    def _jobs(self, skills, occupations, occupation_skills, extractor, options) -> None:
        seed = options["seed"]
        frames, relevant, _ = jobs_benchmark(
            skills, occupations, occupation_skills, n_candidates=options["candidates"],
            n_occupations=options["occupations"], n_vacancies=10 * options["occupations"], random_state=seed,
        )
        inferred = skills_from_text(extractor, frames.candidates, id_column="candidate_id")
        frames.candidate_skills = (pd.concat([frames.candidate_skills, inferred])
                                   .drop_duplicates(["candidate_id", "skill_id"], keep="first"))
        frames.skill_relations = pd.concat([skill_relations_frame(), cooccurrence_relations(occupation_skills)],
                                           ignore_index=True)
        frames.occupation_relations = occupation_relations(occupation_skills)
        started = time.perf_counter()
        index = MatchIndex().fit(frames)
        ids = frames.candidates["candidate_id"].tolist()
        ours = index.recommend_jobs_batch(ids, k=10).groupby("candidate_id")["vacancy_id"].apply(list).to_dict()
        seconds = time.perf_counter() - started
        n_items = len(frames.vacancies)
        self.stdout.write(
            f"jobs: candidates {len(ids)}, vacancies {n_items} of {frames.vacancies['occupation_id'].nunique()} "
            f"occupations; {len(inferred)} skills inferred from CV text; index + top-10 for all in {seconds:.1f} s")
        reports = {
            "MatchIndex": ranking_report(ours, relevant, k=10, n_items=n_items),
            "random": ranking_report(random_baseline(frames, ids, random_state=seed), relevant, k=10, n_items=n_items),
            "tfidf": ranking_report(tfidf_baseline(frames, ids), relevant, k=10, n_items=n_items),
        }
        self.stdout.write(f"   {'system':12s} " + " ".join(f"{m:>9s}" for m in METRICS))
        for system, report in reports.items():
            self.stdout.write(f"   {system:12s} " + " ".join(f"{report[m]:9.3f}" for m in METRICS))
        for system, report in reports.items():
            for name in METRICS:
                self._metric(name, system, report[name])
        for system in ("random", "tfidf"):
            ratio = reports["MatchIndex"]["nDCG@10"] / max(reports[system]["nDCG@10"], 1e-9)
            self.stdout.write(f"   nDCG@10 MatchIndex / {system}: {ratio:.2f}x (same run)")

    def _extraction(self, skills, extractor, seed: int, n: int) -> None:
        bench = extraction_benchmark(skills, n_sentences=n, random_state=seed)
        started = time.perf_counter()
        found = extractor.transform(bench["text"].tolist(), top_k=5)
        seconds = time.perf_counter() - started
        gold = [set(g) for g in bench["skill_ids"]]
        rp = np.asarray([r_precision([m.skill_id for m in f], g, 5) for f, g in zip(found, gold)])
        rr = np.asarray([reciprocal_rank([m.skill_id for m in f], g) for f, g in zip(found, gold)])
        self.stdout.write(f"skill extraction: {n} sentences (lv and en): RP@5 {rp.mean():.3f}, MRR {rr.mean():.3f}, "
                          f"{n / max(seconds, 1e-9):.0f} sentences/s")
        for language in ("lv", "en"):
            mask = (bench["language"] == language).to_numpy()
            if mask.any():
                self.stdout.write(f"   {language}: RP@5 {rp[mask].mean():.3f}, MRR {rr[mask].mean():.3f}")
        self._metric("RP@5", "extraction", float(rp.mean()))
        self._metric("MRR", "extraction", float(rr.mean()))

    def _titles(self, occupations, seed: int) -> None:
        fit_frame, queries = title_benchmark(occupations, random_state=seed)
        if queries.empty:
            self.stdout.write("title matching: no occupation has two alternative labels to hold one out")
            return
        matcher = TitleMatcher().fit(fit_frame)
        results = [[m["occupation_id"] for m in matcher.match(q, 10)] for q in queries["title"]]
        rr = np.asarray([reciprocal_rank(r, {o}) for r, o in zip(results, queries["occupation_id"])])
        self.stdout.write(f"title matching: {len(queries)} held-out alternative labels: MRR {rr.mean():.3f}")
        self._metric("MRR", "titles", float(rr.mean()))

    def _paths(self, skills, occupations, occupation_skills, seed: int, n_candidates: int, n_occupations: int) -> None:
        n_occupations = min(n_occupations, len(occupations))
        frames, path_frames, learners, missing = paths_benchmark(
            skills, occupations, occupation_skills, n_occupations=n_occupations, n_vacancies=10 * n_occupations,
            n_programmes=max(40, n_occupations), n_candidates=n_candidates, today=PATHS_TODAY, random_state=seed)
        frames.skill_relations = cooccurrence_relations(occupation_skills)
        finder = PathFinder().fit(path_frames, MatchIndex().fit(frames))
        report = paths_report(finder, learners, missing, today=PATHS_TODAY)
        self.stdout.write(
            f"programmes and pathways: {report['candidates']} candidates with known missing skills, "
            f"{len(path_frames.programmes)} programmes\n"
            f"   top-5 programmes teach a missing skill: PathFinder {report['top5_teach_missing']:.3f}, "
            f"popularity {report['top5_teach_missing_popular']:.3f}\n"
            f"   vacancies unlocked by the top pathway: PathFinder {report['unlocked_top_pathway']:.2f}, "
            f"popularity {report['unlocked_popular']:.2f} (mean pathway size {report['mean_pathway_size']:.2f})")
        self._metric("top5_teach_missing", "PathFinder", report["top5_teach_missing"])
        self._metric("top5_teach_missing", "popularity", report["top5_teach_missing_popular"])
        self._metric("unlocked_top_pathway", "PathFinder", report["unlocked_top_pathway"])
        self._metric("unlocked_top_pathway", "popularity", report["unlocked_popular"])
