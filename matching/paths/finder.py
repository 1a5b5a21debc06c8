"""Programmes, careers, pathways and what-if for one candidate, on top of a fitted MatchIndex.

Frames (:class:`PathFrames`; ids as in :mod:`matching.schema`):

=====================  ===========================================================================
frame                  columns
=====================  ===========================================================================
programmes             programme_id, name_lv, name_en, kind, duration_months, mode, cost_eur (whole
                       programme: ``Programme.total_cost_eur``), min_education (0–6),
                       state_funded_places, voucher_eligible, adult_learning_cofinanced, town_id;
                       optional eqf_level, institution_id, popularity (applications/enrolments),
                       and the eligibility columns of :mod:`matching.paths.eligibility`:
                       target_groups (list), min_age, max_age, languages (list), funding_groups
                       (dict), has_dormitory (the institution's; bool)
intakes                intake_id, programme_id, start_date, application_deadline, seats, funded_seats
programme_skills       programme_id, skill_id (skills taught)
programme_occupations  programme_id, occupation_id (leads to)
occupations            occupation_id, riasec_r … riasec_c (1–7, NaN unknown); optional label_en/lv
occupation_skills      occupation_id, skill_id, essential
vacancies              vacancy_id, salary_min, salary_max, optional contract_kind (salaries; optional)
skills                 skill_id, uri, label_en, label_lv (URIs accepted by what-if; optional)
=====================  ===========================================================================

Vocabulary used everywhere below, for one candidate:

*coverage* of a vacancy = essential skills held exactly / essential skills (``n of m``);
*reachable* = passes every hard filter of the index (languages, education, age, hours, commute);
*fits now* = reachable and coverage ≥ ``fit_threshold``;
*near miss* = reachable, coverage ≥ ``near_miss_min`` and 1…``max_needed`` more essential skills
would lift it to ``fit_threshold``; *within a course's reach* = reachable, not fitting now, and the
skills taught by the programmes open to the candidate could lift it to ``fit_threshold`` (a welder's
CNC vacancies: none of their skills held, all taught by a CNC course); *unlocked* by a set of taught
skills = a near miss or a vacancy within a course's reach whose coverage with those skills reaches
``fit_threshold``.

*Open* programme = an intake still open for applications, the candidate may enter it (target group,
age, prior education, language of instruction: :func:`matching.paths.eligibility.failures`), it is not
one they study or finished (``Learner.studied_programmes``) and it teaches something they do not hold.
*Within reach* = its town within the commute limit, online, a school dormitory the candidate would use
(:func:`~matching.paths.eligibility.uses_dormitory`, day programmes only), or the candidate relocates.
Lists hold open programmes within reach; only when none is within reach are the others shown, marked
``within_reach: false``, and the frame's ``attrs["reason"]`` says ``out_of_reach_only``. An empty frame
says why in ``attrs["reason"]`` (:data:`EMPTY_REASONS`).

Every missing essential skill of a near miss (not of the other unlockable vacancies) weighs the sum of its near misses' weights
(``0.5 + 0.25·coverage + 0.25·closeness``: many close, almost-fitting vacancies weigh most);
each missing essential skill of a target occupation's profile adds ``target_weight``.

Programme score (weighted sum of parts in [0, 1]; :data:`PROGRAMME_WEIGHTS`):

``gap``       share of the candidate's weighted skill gap the programme teaches;
``unlock``    near misses it unlocks alone, log-scaled against the best programme;
``target``    1 if it leads to one of the candidate's target occupations;
``interest``  best RIASEC fit among the occupations it leads to (0 without answers);
``distance``  1 − km / commute limit, as for jobs (online: 0 km; unknown town: 0.5);
``mode``      fit of evening/online/dual/full-time with the candidate's situation
              (:func:`matching.paths.funding.mode_fit`);
``cost``      1 − c / (c + 1000) of the cost after funding c (EUR);
``start``     1 − days to the first start / 365.

Programmes and pathways use open programmes only; the careers list also names programmes the
candidate could enter after the next school step (``enrolable: false`` and the reason).

Thread safety: queries never write shared state. Derived arrays are rebuilt when the index's
vacancy side has changed (``upsert_vacancy`` replaces its matrix), by swapping one tuple.
What-if scores a shallow working copy of the index (:meth:`MatchIndex.with_added_skills`).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from ..index import MatchIndex
from ..sparse import gather_rows, to_sparse
from ..careers_fit import RIASEC, career_scores, riasec_fit
from .eligibility import (
    DEFAULT_FUNDING_GROUPS, DORMITORY_MODES, MIN_INSTRUCTION_LEVEL, SECONDARY, TARGET_GROUPS, failures,
    person_groups, uses_dormitory,
)
from . import language
from .funding import ADULT_LEARNING_SHARE, FUNDING, _cost_en, _cost_lv, funding_for, mode_fit, summary_en, summary_lv

__all__ = ["EMPTY_REASONS", "Learner", "PathFinder", "PathFrames", "PROGRAMME_WEIGHTS", "ProgrammeNotOpen"]

REQUIRED = {
    "programmes": ("programme_id", "name_lv", "name_en", "kind", "duration_months", "mode", "cost_eur",
                   "min_education", "state_funded_places", "voucher_eligible", "adult_learning_cofinanced", "town_id"),
    "intakes": ("intake_id", "programme_id", "start_date", "application_deadline", "seats", "funded_seats"),
    "programme_skills": ("programme_id", "skill_id"),
    "programme_occupations": ("programme_id", "occupation_id"),
    "occupations": ("occupation_id",),
    "occupation_skills": ("occupation_id", "skill_id", "essential"),
    "vacancies": ("vacancy_id", "salary_min", "salary_max"),
    "skills": ("skill_id",),
}
PROGRAMME_WEIGHTS = {"gap": 0.40, "unlock": 0.15, "target": 0.10, "interest": 0.10, "distance": 0.08,
                     "mode": 0.07, "cost": 0.05, "start": 0.05}
EDUCATION_NAMES = {0: "no formal education", 1: "basic education", 2: "secondary education",
                   3: "short-cycle higher education", 4: "a bachelor's degree", 5: "a master's degree",
                   6: "a doctorate"}
ERR_COLUMNS = "frame {name!r} lacks columns: {missing}"
ERR_UNKNOWN_SKILLS = "unknown skills: {ids}"
ERR_UNKNOWN_PROGRAMME = "unknown programme: {id!r}"
ERR_TODAY = "today must be a date"
ERR_K = "k must be a positive integer"
ERR_AT_LEAST_ONE = "max_steps, beam_width, max_candidates and max_evaluations must be at least 1"
ERR_NOT_OPEN = "programme {id!r} is not open to this candidate: {why}"
MIN_POSTINGS = 3  # no pay figure from fewer postings
CAREER_CONTRACTS = ("permanent", "fixed_term")  # the pay of the work itself, not of training or summer jobs

# Why a list is empty (or, ``out_of_reach_only``, why every item is outside the candidate's reach).
EMPTY_REASONS = ("no_open_intakes", "no_eligible_programmes", "nothing_new_to_learn", "out_of_reach_only",
                 "no_vacancies_within_reach", "no_gap_to_close", "no_skills_yet", "no_programme_closes_gap",
                 "no_interests_or_skills", "no_programme_fits", "no_language_course")
# A programme is listed only for a reason of the person's own: it teaches a skill their gap weighs, unlocks a
# vacancy, leads to an occupation they named, is a language course taking them a level up, or its occupations fit
# their interests at least this well (RIASEC fit, as for entry jobs: matching.entry.MIN_INTEREST). Distance, mode,
# cost and start only order those.
MIN_PROGRAMME_INTEREST = 0.5


class ProgrammeNotOpen(ValueError):
    """What-if with a programme the candidate may not enter (``requirements``: as in a programme explanation)."""

    def __init__(self, programme_id, requirements: dict):
        super().__init__(ERR_NOT_OPEN.format(id=programme_id, why=", ".join(requirements["failed"])))
        self.programme_id = programme_id
        self.requirements = requirements


@dataclass
class PathFrames:
    """Inputs of :class:`PathFinder` (see the module docstring); optional frames may be None."""

    programmes: pd.DataFrame
    intakes: pd.DataFrame
    programme_skills: pd.DataFrame
    programme_occupations: pd.DataFrame | None = None
    occupations: pd.DataFrame | None = None
    occupation_skills: pd.DataFrame | None = None
    vacancies: pd.DataFrame | None = None
    skills: pd.DataFrame | None = None

    def checked(self) -> "PathFrames":
        values = {}
        for name, columns in REQUIRED.items():
            frame = getattr(self, name)
            if frame is None:
                frame = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
            missing = [c for c in columns if c not in frame.columns]
            if missing:
                raise ValueError(ERR_COLUMNS.format(name=name, missing=", ".join(missing)))
            values[name] = frame
        return PathFrames(**values)


@dataclass(frozen=True)
class Learner:
    """What the finder needs to know about a candidate beyond the index row.

    ``candidate_id`` must be indexed in the MatchIndex (skills, town, commute, education, age
    come from there; a pupil with no skills is indexed with an empty skill list).
    ``employment_status``: studying | employed | registered_unemployed | other;
    ``kind``: student | reskilling; ``riasec``: six 1–7 scores or None;
    ``target_occupations``: occupation ids; ``languages``: ``(code, CEFR level 1–6)`` pairs (none: the
    language of instruction is not checked); ``studied_programmes``: programme ids the candidate studies
    or finished (never offered again); ``in_programme``: studies in one of them now (someone enrolled
    studies where they are: a dormitory does not bring another school within reach).
    """

    candidate_id: object
    employment_status: str = "other"
    kind: str = "reskilling"
    riasec: tuple | None = None
    target_occupations: tuple = ()
    languages: tuple = ()
    studied_programmes: tuple = ()
    in_programme: bool = False


@dataclass
class _Derived:
    """Arrays derived from the index's vacancy side (rebuilt when it changes)."""

    source: object
    n_skills: int
    essential: sp.csr_matrix        # vacancies × skills, essential only (1.0)
    essential_t: sp.csr_matrix
    n_essential: np.ndarray
    programme_skills: sp.csr_matrix  # programmes × skills
    programme_skills_t: sp.csr_matrix
    occupation_essential: sp.csr_matrix  # occupations × skills
    occupation_essential_t: sp.csr_matrix
    n_occupation_essential: np.ndarray
    salary_min: np.ndarray
    salary_max: np.ndarray
    contract: np.ndarray             # vacancies: contract kind of the salary row ("" unknown)
    occupation_riasec: np.ndarray    # occupations × 6 (NaN unknown), index.occupation_index_ order
    has_programme: np.ndarray        # occupations: some programme leads there


@dataclass
class _Gap:
    """One candidate's situation (see the module docstring)."""

    learner: Learner
    row: int
    held: np.ndarray                 # skill positions held exactly
    education: int
    town: int
    commute: float
    relocate: bool
    eligible: np.ndarray             # vacancy rows
    distance: np.ndarray             # over eligible
    matched: np.ndarray              # over all vacancy rows
    fits_now: np.ndarray             # vacancy rows
    near: np.ndarray                 # vacancy rows (near misses)
    near_needed: np.ndarray
    near_weight: np.ndarray
    entry_near: np.ndarray           # missing entries: position in `near`
    entry_skill: np.ndarray          # missing entries: skill position
    skill_weight: np.ndarray         # dense over skills
    target_missing: np.ndarray       # skill positions missing from target occupation profiles
    upcoming: np.ndarray             # programme row → intake row or -1
    today: dt.date
    is_near_miss: np.ndarray = None  # over `near`: a near miss (else unlockable from further away)
    age: int | None = None
    groups: frozenset = frozenset()
    admitted: np.ndarray = None      # programmes: may enter (eligibility only)
    later: np.ndarray = None         # programmes: blocked only by prior education
    open: np.ndarray = None          # programmes: admitted, upcoming, not studied, teach something new
    reach: np.ndarray = None         # programmes: within reach
    reach_how: np.ndarray = None     # programmes: commute | online | dormitory | relocation | None
    funding_ok: dict = None          # funding kind → programmes on which the candidate may use it
    enters_by_level: np.ndarray = None  # programmes: may enter by group, age and education (language courses)


class PathFinder(BaseEstimator):
    """Learning paths toward local jobs: programmes, careers, pathways and what-if.

    Parameters
    ----------
    fit_threshold : float, default 0.8
        Essential-skill coverage at which a vacancy "fits" (and is unlocked by a pathway).
    near_miss_min : float, default 0.5
        Least coverage of a near miss.
    max_needed : int, default 3
        Most essential skills a near miss may still need.
    max_steps : int, default 3
        Most programmes in one pathway.
    beam_width : int, default 4
        Partial pathways kept per step of the search (1 = plain greedy).
    max_candidates : int, default 40
        Programmes considered by the pathway search (pruned by the gap weight they close;
        only programmes teaching a missing skill of a near miss qualify at all).
    max_evaluations : int, default 1000
        The search stops after scoring this many combinations and returns the best found
        (``search.truncated``). A count, not a clock, so the answer does not depend on machine load.
        With the defaults above the search cannot reach it: at most ``2 * max_candidates``
        programmes enter, so it scores at most 80 + 4 × 79 + 4 × 78 = 708 combinations; it bounds
        the cost of wider searches.
    cost_penalty : float, default 0.5
        Pathway score lost per 1,000 EUR after funding (in weighted unlocked vacancies).
    duration_penalty : float, default 0.5
        Pathway score lost per 12 months of study.
    target_weight : float, default 2.0
        Weight of a missing essential skill of a target occupation.
    weights : dict, optional
        Overrides of :data:`PROGRAMME_WEIGHTS`.
    """

    def __init__(self, *, fit_threshold: float = 0.8, near_miss_min: float = 0.5, max_needed: int = 3,
                 max_steps: int = 3, beam_width: int = 4, max_candidates: int = 40, max_evaluations: int = 1000,
                 cost_penalty: float = 0.5, duration_penalty: float = 0.5, target_weight: float = 2.0,
                 weights: dict | None = None):
        self.fit_threshold = fit_threshold
        self.near_miss_min = near_miss_min
        self.max_needed = max_needed
        self.max_steps = max_steps
        self.beam_width = beam_width
        self.max_candidates = max_candidates
        self.max_evaluations = max_evaluations
        self.cost_penalty = cost_penalty
        self.duration_penalty = duration_penalty
        self.target_weight = target_weight
        self.weights = weights

    # ================================================================== fit
    def fit(self, frames: PathFrames, index: MatchIndex, y=None) -> "PathFinder":
        """Learn the programme catalogue against a fitted :class:`MatchIndex`.

        Parameters
        ----------
        frames : PathFrames
        index : MatchIndex
            Fitted; kept by reference (its later upserts are followed).

        Returns
        -------
        self
        """
        check_is_fitted(index, "vacancies_")
        if not 0 < self.fit_threshold <= 1 or not 0 <= self.near_miss_min <= self.fit_threshold:
            raise ValueError("need 0 <= near_miss_min <= fit_threshold <= 1")
        if self.max_steps < 1 or self.beam_width < 1 or self.max_candidates < 1 or self.max_evaluations < 1:
            raise ValueError(ERR_AT_LEAST_ONE)
        unknown = set(self.weights or {}) - set(PROGRAMME_WEIGHTS)
        if unknown:
            raise ValueError(f"unknown score parts in weights: {', '.join(sorted(unknown))}")
        f = frames.checked()
        self.weights_ = {**PROGRAMME_WEIGHTS, **(self.weights or {})}
        self.index_ = index
        p = f.programmes.drop_duplicates("programme_id").reset_index(drop=True)
        self.programme_ids_ = pd.Index(p["programme_id"])
        self.programmes_ = {
            "name_lv": p["name_lv"].fillna("").astype(str).to_numpy(object),
            "name_en": p["name_en"].fillna("").astype(str).to_numpy(object),
            "kind": p["kind"].astype(str).to_numpy(object),
            "mode": p["mode"].astype(str).to_numpy(object),
            "duration": p["duration_months"].fillna(1).to_numpy(np.int32),
            "cost": p["cost_eur"].fillna(0).astype(float).to_numpy(),
            "min_education": p["min_education"].fillna(0).to_numpy(np.int8),
            "state_funded": p["state_funded_places"].fillna(False).astype(bool).to_numpy(),
            "voucher": p["voucher_eligible"].fillna(False).astype(bool).to_numpy(),
            "cofinanced": p["adult_learning_cofinanced"].fillna(False).astype(bool).to_numpy(),
            "town": index.town_index_.get_indexer(p["town_id"]).astype(np.int32),
            "popularity": (p["popularity"].fillna(0).astype(float).to_numpy() if "popularity" in p
                           else np.zeros(len(p))),
            "dormitory": (p["has_dormitory"].fillna(False).astype(bool).to_numpy() if "has_dormitory" in p
                          else np.zeros(len(p), bool)),
            # Language courses (:mod:`matching.paths.language`): the language taught ("" for other programmes),
            # the CEFR level needed to enter (0: none) and the level reached (0: not a language course).
            "teaches": _strings(p, "teaches_language"),
            "level_from": _integers(p, "language_level_from"),
            "level_to": _integers(p, "language_level_to"),
            "hours": _integers(p, "hours"),
            "weeks": _integers(p, "duration_weeks"),
        }
        self.eligibility_ = _eligibility_masks(p)
        i = f.intakes.copy()
        i["p"] = self.programme_ids_.get_indexer(i["programme_id"])
        i = i[i["p"] >= 0].copy()
        i["start_date"] = pd.to_datetime(i["start_date"]).dt.date
        i["application_deadline"] = pd.to_datetime(i["application_deadline"]).dt.date
        i = i.sort_values(["p", "start_date"], kind="stable").reset_index(drop=True)
        self.intakes_ = {
            "id": i["intake_id"].to_numpy(object), "programme": i["p"].to_numpy(np.int64),
            "start": i["start_date"].map(dt.date.toordinal).to_numpy(np.int64),
            "deadline": i["application_deadline"].map(dt.date.toordinal).to_numpy(np.int64),
            "seats": i["seats"].fillna(0).to_numpy(np.int64), "funded": i["funded_seats"].fillna(0).to_numpy(np.int64),
        }
        self.programme_skill_frame_ = f.programme_skills[["programme_id", "skill_id"]].copy()
        links = f.programme_occupations
        self.leads_to_ = {}
        for pid, oid in zip(links["programme_id"], links["occupation_id"]):
            row = self.programme_ids_.get_loc(pid) if pid in self.programme_ids_ else None
            if row is not None:
                self.leads_to_.setdefault(oid, []).append(row)
        self.programme_occupations_ = {}
        for oid, rows in self.leads_to_.items():
            for row in rows:
                self.programme_occupations_.setdefault(row, []).append(oid)
        occ = f.occupations.drop_duplicates("occupation_id")
        self.occupation_frame_ = occ.copy()
        self.occupation_skill_frame_ = f.occupation_skills[["occupation_id", "skill_id", "essential"]].copy()
        self.vacancy_salary_frame_ = f.vacancies[[c for c in ("vacancy_id", "salary_min", "salary_max", "contract_kind")
                                                  if c in f.vacancies]].copy()
        self.uri_to_skill_ = ({u: s for s, u in zip(f.skills["skill_id"], f.skills["uri"]) if isinstance(u, str)}
                              if "uri" in f.skills else {})
        self._derived = None
        self._sync()
        return self

    def _sync(self) -> _Derived:
        """The derived arrays for the index as it is now (rebuilt after upserts)."""
        index = self.index_
        V = index.vacancies_
        d = self._derived
        if (d is not None and d.source == (V.skills, V.skills.version) and d.n_skills == len(index.skill_index_)
                and len(d.has_programme) == len(index.occupation_index_)):
            return d
        n_skills = len(index.skill_index_)
        ess = V.skills.tocsr().copy()
        ess.data = (ess.data < 1.5).astype(np.float32)
        ess.eliminate_zeros()
        ess = ess.tocsr()
        ps = to_sparse(self.programme_skill_frame_, row="programme_id", col="skill_id", value=None,
                       rows=self.programme_ids_, cols=index.skill_index_)
        os_ = self.occupation_skill_frame_
        os_ = os_[os_["essential"].astype(bool)]
        oe = to_sparse(os_, row="occupation_id", col="skill_id", value=None, rows=index.occupation_index_,
                       cols=index.skill_index_)
        sal = self.vacancy_salary_frame_
        pos = pd.Index(V.ids).get_indexer(sal["vacancy_id"])
        smin = np.full(len(V), np.nan)
        smax = np.full(len(V), np.nan)
        ok = pos >= 0
        smin[pos[ok]] = pd.to_numeric(sal["salary_min"], errors="coerce").to_numpy(float)[ok]
        smax[pos[ok]] = pd.to_numeric(sal["salary_max"], errors="coerce").to_numpy(float)[ok]
        contract = np.full(len(V), "", dtype=object)
        if "contract_kind" in sal:
            contract[pos[ok]] = sal["contract_kind"].fillna("").astype(str).to_numpy(object)[ok]
        occ = self.occupation_frame_
        riasec = np.full((len(index.occupation_index_), 6), np.nan)
        if all(c in occ for c in RIASEC) and len(occ):
            at = index.occupation_index_.get_indexer(occ["occupation_id"])
            values = occ[list(RIASEC)].apply(pd.to_numeric, errors="coerce").to_numpy(float)
            riasec[at[at >= 0]] = values[at >= 0]
        has_programme = np.zeros(len(index.occupation_index_), dtype=bool)
        linked = index.occupation_index_.get_indexer(list(self.leads_to_))
        has_programme[linked[linked >= 0]] = True
        d = _Derived(
            source=(V.skills, V.skills.version), n_skills=n_skills, essential=ess, essential_t=ess.T.tocsr(),
            n_essential=np.diff(ess.indptr).astype(np.int32), programme_skills=ps, programme_skills_t=ps.T.tocsr(),
            occupation_essential=oe, occupation_essential_t=oe.T.tocsr(),
            n_occupation_essential=np.diff(oe.indptr).astype(np.int32), salary_min=smin, salary_max=smax,
            contract=contract,
            occupation_riasec=riasec, has_programme=has_programme,
        )
        self._derived = d  # one assignment: readers see the old or the new tuple, never a mix
        return d

    # ========================================================== the gap
    def _gap(self, learner: Learner, today: dt.date) -> tuple[_Gap, _Derived]:
        if not isinstance(today, dt.date):
            raise ValueError(ERR_TODAY)
        check_is_fitted(self, "index_")
        d = self._sync()
        index = self.index_
        C, V = index.candidates_, index.vacancies_
        c = index.candidate_row(learner.candidate_id)
        columns, codes = C.skills.row(c)
        held = columns[codes > 1.5].astype(np.int64)
        held_mask = np.zeros(d.n_skills, dtype=bool)
        held_mask[held] = True
        gap = _Gap(
            learner=learner, row=c, held=held, education=int(C.attrs["education"][c]), town=int(C.attrs["town"][c]),
            commute=float(C.attrs["commute"][c]), relocate=bool(C.attrs["relocate"][c]), eligible=None,
            distance=None, matched=None, fits_now=None, near=None, near_needed=None, near_weight=None,
            entry_near=None, entry_skill=None, skill_weight=None, target_missing=None,
            upcoming=self._upcoming(today), today=today, age=_age(C.attrs["age"][c]),
        )
        self._programme_masks(gap, d, held_mask)
        eligible, distance = index.eligible_vacancy_rows(learner.candidate_id)
        n_v = len(V)
        _, vac, _ = gather_rows(d.essential_t, held)
        matched = np.bincount(vac, minlength=n_v).astype(np.int32)[:n_v]
        n_ess = d.n_essential
        ok = n_ess[eligible] > 0
        rows, dist = eligible[ok], distance[ok]
        m, n = matched[rows], n_ess[rows]
        needed = np.ceil(self.fit_threshold * n - m - 1e-9).astype(np.int32)
        coverage = m / n
        is_near = (needed >= 1) & (needed <= self.max_needed) & (coverage >= self.near_miss_min)
        # Vacancies no near miss but within a course's reach: what the open programmes teach could lift them.
        teachable = np.zeros(d.n_skills, dtype=np.float32)
        offered = np.flatnonzero(gap.open)
        if len(offered):
            teachable[np.unique(d.programme_skills[offered].indices)] = 1.0
        teachable[held] = 0.0
        extra = d.essential[rows] @ teachable if len(rows) else np.zeros(0)
        unlockable = is_near | ((needed >= 1) & (extra >= needed))
        near, near_needed, near_dist, near_cov = (rows[unlockable], needed[unlockable], dist[unlockable],
                                                  coverage[unlockable])
        remote = V.attrs["remote"][near]
        closeness = np.where(remote, 1.0, np.where(np.isnan(near_dist), 0.5,
                                                     np.clip(1.0 - near_dist / max(gap.commute, 1.0), 0.0, 1.0)))
        near_weight = 0.5 + 0.25 * near_cov + 0.25 * closeness
        entry_near, entry_skill, _ = gather_rows(d.essential, near)
        keep = ~held_mask[entry_skill]
        entry_near, entry_skill = entry_near[keep], entry_skill[keep].astype(np.int64)
        is_near_miss = is_near[unlockable]
        from_near = is_near_miss[entry_near]
        skill_weight = np.bincount(entry_skill[from_near], near_weight[entry_near[from_near]],
                                   d.n_skills).astype(np.float64)
        targets = index.occupation_index_.get_indexer(list(learner.target_occupations))
        targets = targets[targets >= 0]
        _, target_skills, _ = gather_rows(d.occupation_essential, targets)
        target_missing = np.unique(target_skills[~held_mask[target_skills]]).astype(np.int64)
        skill_weight[target_missing] += self.target_weight
        gap.eligible, gap.distance, gap.matched, gap.fits_now = eligible, distance, matched, rows[needed <= 0]
        gap.near, gap.near_needed, gap.near_weight, gap.is_near_miss = near, near_needed, near_weight, is_near_miss
        gap.entry_near, gap.entry_skill, gap.skill_weight, gap.target_missing = (entry_near, entry_skill,
                                                                                skill_weight, target_missing)
        return gap, d

    def _programme_masks(self, gap: _Gap, d: _Derived, held_mask: np.ndarray) -> None:
        """Which programmes the candidate may enter, which are open and which within reach (see the docstring)."""
        learner, E, P = gap.learner, self.eligibility_, self.programmes_
        gap.groups = person_groups(age=gap.age, education=gap.education, employment_status=learner.employment_status,
                                   kind=learner.kind)
        group_ok = E["open_to_all"].copy()
        for g in gap.groups:
            group_ok |= E["group"][g]
        education_short = P["min_education"] > gap.education
        group_by_school = ~group_ok & E["only_after_secondary"] & (gap.education < SECONDARY)
        age = np.nan if gap.age is None else float(gap.age)
        with np.errstate(invalid="ignore"):
            age_ok = ~(age < E["min_age"]) & ~(age > E["max_age"])
        spoken = [code for code, level in learner.languages if level >= MIN_INSTRUCTION_LEVEL]
        language_ok = E["any_language"].copy() if learner.languages else np.ones(len(P["mode"]), bool)
        for code in spoken:
            language_ok |= E["language"].get(code, False)
        gap.enters_by_level = group_ok & ~education_short & age_ok & language_ok
        # A language course admits by the level already held and teaches nothing new to someone at its end level.
        levels = dict(learner.languages)
        held_level = np.asarray([levels.get(code, 0) if code else 0 for code in P["teaches"]], dtype=np.int64)
        is_course = P["level_to"] > 0
        level_ok = ~is_course | (P["level_from"] <= held_level)
        gap.admitted = gap.enters_by_level & level_ok
        gap.later = ~gap.admitted & age_ok & language_ok & (group_ok | group_by_school) \
            & (education_short | group_by_school)
        studied = self.programme_ids_.isin(list(learner.studied_programmes))
        n_taught = np.diff(d.programme_skills.indptr)
        taught_held = d.programme_skills @ held_mask.astype(np.float32)
        nothing_new = np.where(is_course, held_level >= P["level_to"], (n_taught > 0) & (taught_held >= n_taught))
        gap.open = gap.admitted & (gap.upcoming >= 0) & ~studied & ~nothing_new
        gap.funding_ok = {}
        for kind, masks in E["funding"].items():
            allowed = masks[None].copy()
            for g in gap.groups:
                allowed |= masks[g]
            gap.funding_ok[kind] = allowed
        gap.reach_how = self._reach(gap, np.arange(len(P["mode"])))
        gap.reach = gap.reach_how != None  # noqa: E711 (element-wise)

    def _reach(self, gap: _Gap, programmes: np.ndarray) -> np.ndarray:
        """How each programme is within reach: commute | online | dormitory | relocation, or None."""
        P, learner = self.programmes_, gap.learner
        km = self._programme_distance(gap, programmes)
        boards = not learner.in_programme and uses_dormitory(
            age=gap.age, kind=learner.kind, employment_status=learner.employment_status, groups=gap.groups)
        dormitory = boards & P["dormitory"][programmes] & np.isin(P["mode"][programmes], DORMITORY_MODES)
        how = np.full(len(programmes), None, dtype=object)
        if gap.relocate:
            how[:] = "relocation"
        how[dormitory] = "dormitory"
        how[np.isnan(km) | (km <= gap.commute)] = "commute"
        how[P["mode"][programmes] == "online"] = "online"
        return how

    def _upcoming(self, today: dt.date) -> np.ndarray:
        """Programme row → its first intake starting after today whose deadline has not passed (-1: none)."""
        i = self.intakes_
        t = today.toordinal()
        ok = np.flatnonzero((i["start"] > t) & (i["deadline"] >= t))
        out = np.full(len(self.programme_ids_), -1, dtype=np.int64)
        if len(ok):
            programmes, first = np.unique(i["programme"][ok], return_index=True)  # intakes sorted by start
            out[programmes] = ok[first]
        return out

    # ======================================================= per programme
    def _requirements(self, p: int, gap: _Gap) -> dict:
        """The entry requirements of programme row ``p`` and what the candidate lacks (``failed`` codes)."""
        E, learner = self.eligibility_, gap.learner
        need = int(self.programmes_["min_education"][p])
        failed = failures(groups=gap.groups, age=gap.age, education=gap.education, languages=dict(learner.languages),
                          target_groups=E["target_groups"][p], min_age=E["min_age"][p], max_age=E["max_age"][p],
                          min_education=need, instruction=E["languages"][p],
                          course_language=self.programmes_["teaches"][p],
                          course_level_from=int(self.programmes_["level_from"][p]) or None)
        reason = None if not failed else (
            f"requires {EDUCATION_NAMES.get(need, need)}; "
            f"the candidate has {EDUCATION_NAMES.get(gap.education, gap.education)}" if failed == ["education"]
            else "not open to the candidate: " + ", ".join(failed))
        return {"min_education": need, "candidate_education": gap.education, "enrolable": not failed,
                "reason": reason, "failed": failed, "target_groups": list(E["target_groups"][p]),
                "min_age": _int_or_none(E["min_age"][p]), "max_age": _int_or_none(E["max_age"][p]),
                "languages": list(E["languages"][p])}

    def _funding(self, p: int, intake: int, gap: _Gap) -> dict:
        P = self.programmes_
        return funding_for(cost_eur=P["cost"][p], voucher_eligible=bool(P["voucher"][p]),
                           state_funded_places=bool(P["state_funded"][p]),
                           adult_learning_cofinanced=bool(P["cofinanced"][p]),
                           funded_seats=int(self.intakes_["funded"][intake]) if intake >= 0 else 0,
                           employment_status=gap.learner.employment_status, kind=gap.learner.kind,
                           allowed={kind: bool(mask[p]) for kind, mask in gap.funding_ok.items()})

    def _costs_after(self, programmes: np.ndarray, intakes: np.ndarray, gap: _Gap) -> np.ndarray:
        """Cost after funding of many programme intakes at once (the rules of :func:`funding_for`)."""
        P, ok = self.programmes_, gap.funding_ok
        cost = P["cost"][programmes].astype(float)
        free = P["voucher"][programmes] & ok["training_voucher"][programmes]
        free |= (P["state_funded"][programmes] & (self.intakes_["funded"][intakes] > 0)
                 & ok["state_funded_place"][programmes])
        out = np.where(free, 0.0, cost)
        share = np.round(cost * ADULT_LEARNING_SHARE, 2)
        cofinanced = P["cofinanced"][programmes] & ok["adult_learning_cofinancing"][programmes]
        return np.where(cofinanced, np.minimum(out, share), out)

    def _programme_distance(self, gap: _Gap, programmes: np.ndarray) -> np.ndarray:
        towns = self.programmes_["town"][programmes]
        km = self.index_.distances_[gap.town, towns].astype(float)
        return np.where(self.programmes_["mode"][programmes] == "online", 0.0, km)

    def _unlock_matrix(self, gap: _Gap, d: _Derived) -> sp.csr_matrix:
        """near × programmes: how many missing essential skills of the near miss the programme teaches."""
        missing = sp.csr_matrix((np.ones(len(gap.entry_near), np.float32), (gap.entry_near, gap.entry_skill)),
                                shape=(len(gap.near), d.n_skills))
        return (missing @ d.programme_skills_t).tocsr()

    def _interest(self, learner: Learner, programmes: np.ndarray, d: _Derived) -> np.ndarray:
        """Best RIASEC fit among the occupations each programme leads to (0 without answers)."""
        out = np.zeros(len(programmes))
        if learner.riasec is None:
            return out
        fit = riasec_fit(learner.riasec, d.occupation_riasec)
        position = self.index_.occupation_index_
        for i, p in enumerate(programmes.tolist()):
            at = position.get_indexer(self.programme_occupations_.get(p, []))
            values = fit[at[at >= 0]]
            values = values[~np.isnan(values)]
            out[i] = values.max() if len(values) else 0.0
        return out

    def _skill_entries(self, skills) -> list[dict]:
        index = self.index_
        out = []
        for s in skills:
            sid = index._skill_ids[s]
            entry = {"skill_id": sid}
            label = index.skill_labels_.get(sid)
            if label:
                entry["label"] = label
            out.append(entry)
        return out

    # ============================================================ queries
    def recommend_programmes(self, learner: Learner, *, today: dt.date, k: int = 10, include=()) -> pd.DataFrame:
        """Programmes with an upcoming intake, ranked by the gap they close; enrolable ones first.

        ``include``: programme ids returned after the top ``k`` even when they rank lower (e.g. ones a counsellor
        added by hand), in rank order; an id without an upcoming intake cannot be returned.

        Returns
        -------
        DataFrame
            ``candidate_id, programme_id, intake_id, score, rank, enrolable, explanation`` where
            explanation = {missing_skills_taught, gap_closed, vacancies_unlocked,
            vacancies_unlocked_top, vacancies_nearer, leads_to_target, requirements, distance_km,
            within_reach, mode, mode_fit, start_date, application_deadline, duration_months,
            cost_eur, cost_after_funding_eur, funding, competitive, parts}. Only open programmes
            (see the module docstring); out-of-reach ones only when none is within reach.
            ``attrs["reason"]``: why the frame is empty, or ``out_of_reach_only``.
        """
        _check_k(k)
        gap, d = self._gap(learner, today)
        P = self.programmes_
        rows, reason = self._offered(gap)
        if not len(rows):
            return _empty_programmes(reason)
        total_weight = gap.skill_weight.sum()
        closed = d.programme_skills[rows] @ gap.skill_weight
        gap_part = closed / total_weight if total_weight > 0 else np.zeros(len(rows))
        unlock = self._unlock_matrix(gap, d)[:, rows].tocsc()
        unlocked_count = np.zeros(len(rows))
        if unlock.nnz:
            hit = unlock.data >= gap.near_needed[unlock.indices]
            col = np.repeat(np.arange(len(rows)), np.diff(unlock.indptr))
            unlocked_count = np.bincount(col[hit], minlength=len(rows)).astype(float)
        unlock_part = np.log1p(unlocked_count) / np.log1p(max(unlocked_count.max(initial=0), 1.0))
        targets = set(learner.target_occupations)
        target_part = np.asarray([1.0 if targets & set(self.programme_occupations_.get(p, [])) else 0.0
                                  for p in rows.tolist()])
        km = self._programme_distance(gap, rows)
        limit = max(gap.commute, 1.0)
        distance_part = np.where(np.isnan(km), 0.5, np.clip(1.0 - km / limit, 0.0, 1.0))
        mode_part = np.asarray([mode_fit(m, learner.employment_status, learner.kind) for m in P["mode"][rows]])
        intakes = gap.upcoming[rows]
        cost_after = self._costs_after(rows, intakes, gap)
        cost_part = 1.0 - cost_after / (cost_after + 1000.0)
        days = self.intakes_["start"][intakes] - today.toordinal()
        start_part = np.clip(1.0 - days / 365.0, 0.0, 1.0)
        parts = {"gap": gap_part, "unlock": unlock_part, "target": target_part,
                 "interest": self._interest(learner, rows, d), "distance": distance_part, "mode": mode_part,
                 "cost": cost_part, "start": start_part}
        score = sum(self.weights_[name] * value for name, value in parts.items())
        enrolable = gap.admitted[rows]
        included = np.isin(np.asarray(self.programme_ids_, dtype=object)[rows], list(include))
        # An open language course always has a reason: it takes the person a level up in a language (its entry
        # rule admits only those below the level it reaches).
        language_course = P["level_to"][rows] > 0
        relevant = ((gap_part > 0) | (unlocked_count > 0) | (target_part > 0) | language_course
                    | (parts["interest"] >= MIN_PROGRAMME_INTEREST))
        if not (relevant | included).any():
            return _empty_programmes("no_programme_fits")
        order = np.lexsort((rows, -score, ~enrolable))
        order = order[(relevant | included)[order]]
        order = _top_and_included(order, k, included)
        near_ids = np.asarray(self.index_.vacancies_.ids, dtype=object)[gap.near] if len(gap.near) else []
        held_mask = np.zeros(d.n_skills, bool)
        held_mask[gap.held] = True
        out = []
        for rank, at in enumerate(order.tolist(), start=1):
            p, intake = int(rows[at]), int(intakes[at])
            taught = d.programme_skills.indices[d.programme_skills.indptr[p]:d.programme_skills.indptr[p + 1]]
            taught_missing = taught[(gap.skill_weight[taught] > 0) & ~held_mask[taught]]
            taught_missing = taught_missing[np.argsort(-gap.skill_weight[taught_missing], kind="stable")]
            lo, hi = unlock.indptr[at], unlock.indptr[at + 1]
            near_pos, counts = unlock.indices[lo:hi], unlock.data[lo:hi]
            hit = near_pos[counts >= gap.near_needed[near_pos]]
            hit = hit[np.argsort(-gap.near_weight[hit], kind="stable")]
            out.append({
                "candidate_id": learner.candidate_id, "programme_id": self.programme_ids_[p],
                "intake_id": self.intakes_["id"][intake], "score": round(float(score[at]), 4), "rank": rank,
                "enrolable": bool(enrolable[at]),
                "explanation": {
                    "missing_skills_taught": self._skill_entries(taught_missing.tolist()),
                    "gap_closed": round(float(gap_part[at]), 4),
                    "vacancies_unlocked": int(unlocked_count[at]),
                    "vacancies_unlocked_top": [near_ids[i] for i in hit[:5].tolist()],
                    "vacancies_nearer": int(hi - lo),
                    "leads_to_target": bool(target_part[at]),
                    "requirements": self._requirements(p, gap),
                    "distance_km": None if np.isnan(km[at]) else round(float(km[at]), 1),
                    "within_reach": bool(gap.reach[p]), "reach": gap.reach_how[p],
                    "mode": P["mode"][p], "mode_fit": round(float(mode_part[at]), 3),
                    "start_date": dt.date.fromordinal(int(self.intakes_["start"][intake])).isoformat(),
                    "application_deadline": dt.date.fromordinal(int(self.intakes_["deadline"][intake])).isoformat(),
                    "duration_months": int(P["duration"][p]), "cost_eur": round(float(P["cost"][p]), 2),
                    **self._funding(p, intake, gap),
                    "parts": {name: round(float(value[at]), 4) for name, value in parts.items()},
                },
            })
        frame = pd.DataFrame(out, columns=_PROGRAMME_COLUMNS)
        frame.attrs["reason"] = reason
        return frame

    def _offered(self, gap: _Gap) -> tuple[np.ndarray, str | None]:
        """The programme rows a list may hold: open and within reach, else open (``out_of_reach_only``)."""
        upcoming = gap.upcoming >= 0
        if not upcoming.any():
            return np.zeros(0, np.int64), "no_open_intakes"
        if not (upcoming & gap.admitted).any():
            return np.zeros(0, np.int64), "no_eligible_programmes"
        if not gap.open.any():
            return np.zeros(0, np.int64), "nothing_new_to_learn"
        near = np.flatnonzero(gap.open & gap.reach)
        if len(near):
            return near, None
        return np.flatnonzero(gap.open), "out_of_reach_only"

    def recommend_careers(self, learner: Learner, *, today: dt.date, k: int = 10, include=()) -> pd.DataFrame:
        """Occupations ranked by interest fit, skill fit and local demand (works with no skills).

        ``include``: occupation ids returned after the top ``k`` even when they rank lower or would not be shown
        (e.g. ones a counsellor added by hand), in rank order.

        Returns
        -------
        DataFrame
            ``candidate_id, occupation_id, score, rank, explanation`` where explanation =
            {interest_fit (None if unknown), skill_fit, essential_held ("n of m"),
            open_vacancies (within reach), open_vacancies_eligible (passing every filter),
            salary {scope, vacancies, postings, median_min, median_max, p25, p75, by_contract
            [{contract_kind, postings, median_min, median_max, p25, p75}]} or None (career pay from
            permanent and fixed-term postings; no figure from fewer than ``MIN_POSTINGS``),
            programmes [{programme_id, intake_id, start_date, application_deadline, enrolable,
            reason, requirements, distance_km, within_reach, reach, cost_after_funding_eur, funding}]
            (within reach: open ones, and ones the next school step opens, ``enrolable: false``), parts}.
            ``attrs["reason"]``: ``no_interests_or_skills`` when nothing is worth showing.
        """
        _check_k(k)
        gap, d = self._gap(learner, today)
        index = self.index_
        V = index.vacancies_
        n_occ = len(index.occupation_index_)
        occupation = V.attrs["occupation"]
        km = index.distances_[gap.town, V.attrs["town"]].astype(float)
        reach = V.alive & ((km <= gap.commute) | gap.relocate | V.attrs["remote"] | np.isnan(km)) & (occupation >= 0)
        reach_rows = np.flatnonzero(reach)
        demand = np.bincount(occupation[reach_rows], minlength=n_occ)[:n_occ]
        elig = gap.eligible[occupation[gap.eligible] >= 0]
        eligible_counts = np.bincount(occupation[elig], minlength=n_occ)[:n_occ]
        _, occ_hit, _ = gather_rows(d.occupation_essential_t, gap.held)
        held_counts = np.bincount(occ_hit, minlength=n_occ)[:n_occ]
        n_ess = d.n_occupation_essential
        skill_fit = np.where(n_ess > 0, held_counts / np.maximum(n_ess, 1), 0.0)
        interest = riasec_fit(learner.riasec, d.occupation_riasec)
        has_interests = bool((~np.isnan(interest)).any())
        score, parts = career_scores(interest, skill_fit, demand, has_interests=has_interests)
        # Occupations worth showing: a known interest profile, local jobs, a local programme or a skill overlap.
        has_programme = d.has_programme
        shown = (~np.isnan(interest) if has_interests else np.zeros(n_occ, bool)) | (demand > 0) | has_programme \
            | (held_counts > 0)
        wanted = np.isin(np.asarray(index.occupation_index_, dtype=object), list(include))
        candidates = np.flatnonzero(shown | wanted)  # an occupation a counsellor added is shown even if not "worth it"
        ranked = np.lexsort((candidates, -score[candidates], ~shown[candidates]))
        order = candidates[_top_and_included(ranked, k, wanted[candidates])]
        out = []
        for rank, o in enumerate(order.tolist(), start=1):
            oid = index.occupation_index_[o]
            out.append({
                "candidate_id": learner.candidate_id, "occupation_id": oid, "score": round(float(score[o]), 4),
                "rank": rank,
                "explanation": {
                    "interest_fit": None if np.isnan(interest[o]) else round(float(interest[o]), 4),
                    "skill_fit": round(float(skill_fit[o]), 4),
                    "essential_held": f"{int(held_counts[o])} of {int(n_ess[o])}",
                    "open_vacancies": int(demand[o]), "open_vacancies_eligible": int(eligible_counts[o]),
                    "salary": self._salary(d, reach_rows[occupation[reach_rows] == o],
                                           np.flatnonzero(V.alive & (occupation == o))),
                    "programmes": self._programmes_for(oid, gap),
                    "parts": {name: round(float(value[o]), 4) for name, value in parts.items()},
                },
            })
        frame = pd.DataFrame(out, columns=["candidate_id", "occupation_id", "score", "rank", "explanation"])
        frame.attrs["reason"] = None if out else "no_interests_or_skills"
        return frame

    def _salary(self, d: _Derived, local: np.ndarray, everywhere: np.ndarray) -> dict | None:
        """Typical monthly pay from postings, per contract kind: local ones if at least ``MIN_POSTINGS`` local
        career postings (permanent, fixed-term) have a salary, else all of the occupation. The headline figures are
        career pay; ``by_contract`` gives every contract kind with its own count."""
        for scope, rows in (("within_reach", local), ("all", everywhere)):
            rows = rows[~np.isnan(d.salary_min[rows]) | ~np.isnan(d.salary_max[rows])]
            kinds = d.contract[rows]
            career = rows[np.isin(kinds, CAREER_CONTRACTS) | (kinds == "")]
            if len(career) >= MIN_POSTINGS or (scope == "all" and len(rows)):
                by_contract = [{"contract_kind": kind, **_pay(d, rows[kinds == kind])}
                               for kind in sorted(set(kinds.tolist()) - {""})]
                return {"scope": scope, "vacancies": int(len(rows)), **_pay(d, career), "by_contract": by_contract}
        return None

    def _programmes_for(self, occupation_id, gap: _Gap) -> list[dict]:
        """Programmes leading to an occupation for this candidate: open ones and ones the next school step
        opens, within reach."""
        rows = np.asarray([p for p in self.leads_to_.get(occupation_id, [])
                           if (gap.open[p] or (gap.later[p] and gap.upcoming[p] >= 0)) and gap.reach[p]],
                          dtype=np.int64)
        out = []
        for p in rows.tolist():
            intake = int(gap.upcoming[p])
            req = self._requirements(p, gap)
            km = float(self._programme_distance(gap, np.asarray([p]))[0])
            out.append({
                "programme_id": self.programme_ids_[p], "intake_id": self.intakes_["id"][intake],
                "start_date": dt.date.fromordinal(int(self.intakes_["start"][intake])).isoformat(),
                "application_deadline": dt.date.fromordinal(int(self.intakes_["deadline"][intake])).isoformat(),
                "enrolable": req["enrolable"], "reason": req["reason"], "requirements": req,
                "distance_km": None if np.isnan(km) else round(km, 1),
                "within_reach": bool(gap.reach[p]), "reach": gap.reach_how[p],
                **self._funding(p, intake, gap),
            })
        out.sort(key=lambda x: (not x["enrolable"], x["start_date"], str(x["programme_id"])))
        return out

    # ============================================================ pathways
    def recommend_pathways(self, learner: Learner, *, today: dt.date, k: int = 5) -> pd.DataFrame:
        """Best combinations of 1…``max_steps`` enrolable programmes with upcoming intakes.

        Weighted set cover over the near misses' missing skills: a beam search (``beam_width``;
        1 = greedy) over the ``max_candidates`` programmes closing the most gap weight, each
        step kept only if it unlocks more; bounded by ``max_evaluations`` combinations scored.

        Returns
        -------
        DataFrame
            ``candidate_id, score, rank, programme_ids, intake_ids, vacancies_unlocked,
            vacancy_ids, total_duration_months, cost_after_funding_eur, first_start_date,
            summary_en, summary_lv, explanation`` (explanation: steps [per programme: programme_id,
            intake_id, name_lv, name_en, kind, mode, start_date, duration_months, cost_eur,
            cost_after_funding_eur, funding, competitive, missing_skills_taught], threshold,
            radius_km, within_reach, search {evaluated, candidates, truncated}). Open programmes
            within reach; only when no pathway is within reach, the others (``within_reach: false``).
            ``attrs["reason"]``: why the frame is empty, or ``out_of_reach_only``.
        """
        _check_k(k)
        gap, d = self._gap(learner, today)
        search = self._search(gap, d, k, gap.open & gap.reach)
        reason = None
        if not search["results"]:
            search, reason = self._search(gap, d, k, gap.open), "out_of_reach_only"
        frame = self._pathway_frame(gap, d, search, k)
        spoken, n_blocked = self._language_pathways(gap, d, search)
        if spoken:
            if reason == "out_of_reach_only":  # a language step within reach beats every course out of reach
                frame, reason = frame.iloc[:0], None
            frame = _merge_pathways(frame, spoken, k)
        if len(frame):
            frame.attrs["reason"] = reason
        else:
            why = self._why_no_pathway(gap)
            # Jobs blocked only by a language level, and no chain of courses reaches that level.
            blocked_only = n_blocked and why in ("no_vacancies_within_reach", "no_programme_closes_gap")
            frame.attrs["reason"] = "no_language_course" if blocked_only else why
        return frame

    def _language_pathways(self, gap: _Gap, d: _Derived, search: dict) -> tuple[list[dict], int]:
        """Pathways of language steps that unlock language-blocked vacancies (:mod:`matching.paths.language`), and
        how many vacancies are language-blocked."""
        blocked, distance, gaps = self.index_.language_blocked_vacancy_rows(gap.learner.candidate_id)
        if not len(blocked) or not (self.programmes_["level_to"] > 0).any():
            return [], len(blocked)
        ids = np.asarray(self.index_.vacancies_.ids, dtype=object)
        P, radius = self.programmes_, float(gap.commute)
        out = []
        for plan in language.language_plans(self, gap, d, blocked, distance, gaps):
            unlocked = plan["unlocked"]
            if not len(unlocked):
                continue
            steps = []
            for p, intake in plan["steps"]:
                start, end = language.step_dates(self, p, intake)
                steps.append({
                    "programme_id": self.programme_ids_[p], "intake_id": self.intakes_["id"][intake],
                    "name_lv": P["name_lv"][p], "name_en": P["name_en"][p], "kind": P["kind"][p], "mode": P["mode"][p],
                    "start_date": start, "end_date": end, "duration_months": int(P["duration"][p]),
                    "hours": int(P["hours"][p]) or None, "cost_eur": round(float(P["cost"][p]), 2),
                    **self._funding(p, intake, gap), "within_reach": bool(gap.reach[p]), "reach": gap.reach_how[p],
                    "missing_skills_taught": [],
                    "language": {"code": P["teaches"][p], "from": language.CEFR[int(P["level_from"][p])] or None,
                                 "to": language.CEFR[int(P["level_to"][p])]},
                })
            weight = plan["weight"][unlocked]
            value = float(weight.sum())
            cost = sum(s["cost_after_funding_eur"] for s in steps)
            months = sum(s["duration_months"] for s in steps)
            score = value - self.cost_penalty * cost / 1000.0 - self.duration_penalty * months / 12.0
            kinds = {s["funding"] for s in steps}
            funding = kinds.pop() if len(kinds) == 1 else "mixed"
            price_en = _cost_en(cost, funding) if funding != "mixed" else ("free" if cost == 0 else f"EUR {cost:,.0f}")
            price_lv = _cost_lv(cost, funding) if funding != "mixed" else (
                "bez maksas" if cost == 0 else f"{cost:,.0f} EUR".replace(",", " "))
            order = np.argsort(-weight, kind="stable")
            n = int(len(unlocked))
            out.append({
                "candidate_id": gap.learner.candidate_id, "score": round(score, 4), "rank": 0,
                "programme_ids": [s["programme_id"] for s in steps], "intake_ids": [s["intake_id"] for s in steps],
                "vacancies_unlocked": n, "vacancy_ids": ids[blocked[unlocked[order]]].tolist(),
                "total_duration_months": months, "cost_after_funding_eur": round(cost, 2),
                "first_start_date": min(s["start_date"] for s in steps),
                "summary_en": language.summary_en(steps, n, radius, price_en),
                "summary_lv": language.summary_lv(steps, n, radius, price_lv),
                "explanation": {"steps": steps, "threshold": self.fit_threshold, "radius_km": radius,
                                "within_reach": all(s["within_reach"] for s in steps),
                                "weighted_unlocked": round(value, 4), "unlocks_by": "language",
                                "vacancies_fitting_after": int((plan["coverage"][unlocked]
                                                                >= self.fit_threshold - 1e-9).sum()),
                                "search": {"evaluated": search["evaluated"], "candidates": search["candidates"],
                                           "truncated": search["truncated"]}},
            })
        return out, len(blocked)

    def _why_no_pathway(self, gap: _Gap) -> str:
        if not len(gap.eligible):
            return "no_vacancies_within_reach"
        if not (gap.upcoming >= 0).any():
            return "no_open_intakes"
        if not ((gap.upcoming >= 0) & gap.admitted).any():
            return "no_eligible_programmes"
        with_skills = self._sync().n_essential[gap.eligible] > 0
        if with_skills.any() and len(gap.fits_now) == int(with_skills.sum()):
            return "no_gap_to_close"
        if not len(gap.held):
            return "no_skills_yet"
        return "no_programme_closes_gap"

    def _candidates(self, gap: _Gap, d: _Derived, allowed: np.ndarray) -> np.ndarray:
        """Programme rows the search may use (candidate pruning).

        Only ``allowed`` programmes (open, and within reach unless none is) teaching a missing skill of an
        unlockable vacancy qualify. Of
        programmes teaching the same missing skills only the best alone survives (the others can
        only add cost). The ``max_candidates`` best by their score alone are kept, plus the
        ``max_candidates`` closing the most gap weight (those that unlock nothing alone but
        complete another programme).
        """
        P = self.programmes_
        rows = np.flatnonzero(allowed)
        if not len(rows) or not len(gap.entry_skill):
            return rows[:0]
        near_weight = np.bincount(gap.entry_skill, gap.near_weight[gap.entry_near], d.n_skills)
        closed = d.programme_skills[rows] @ near_weight
        rows, closed = rows[closed > 0], closed[closed > 0]
        if not len(rows):
            return rows
        unlock = self._unlock_matrix(gap, d)[:, rows].tocsc()
        hit = unlock.data >= gap.near_needed[unlock.indices]
        col = np.repeat(np.arange(len(rows)), np.diff(unlock.indptr))
        value = np.bincount(col[hit], gap.near_weight[unlock.indices[hit]], len(rows))
        cost = self._costs_after(rows, gap.upcoming[rows], gap)
        penalty = self.cost_penalty * cost / 1000.0 + self.duration_penalty * P["duration"][rows] / 12.0
        alone = np.where(value > 0, value - penalty, -np.inf)
        order = np.lexsort((rows, -closed, penalty, -alone))
        # Same missing skills taught → keep the first (best alone, else cheapest and shortest) only.
        missing = np.zeros(d.n_skills, dtype=bool)
        missing[gap.entry_skill] = True
        seen, unique = set(), []
        for at in order.tolist():
            p = rows[at]
            taught = d.programme_skills.indices[d.programme_skills.indptr[p]:d.programme_skills.indptr[p + 1]]
            key = tuple(sorted(taught[missing[taught]].tolist()))
            if key not in seen:
                seen.add(key)
                unique.append(at)
        unique = np.asarray(unique, dtype=np.int64)
        by_alone = unique[np.isfinite(alone[unique])][: self.max_candidates]
        by_gap = unique[np.lexsort((rows[unique], -closed[unique]))][: self.max_candidates]
        keep = np.unique(np.concatenate([by_alone, by_gap]))
        return rows[keep[np.lexsort((rows[keep], -closed[keep], -alone[keep]))]]

    def _search(self, gap: _Gap, d: _Derived, k: int, allowed: np.ndarray) -> dict:
        candidates = self._candidates(gap, d, allowed)
        universe, local = np.unique(gap.entry_skill, return_inverse=True)
        taught = {}
        for p in candidates.tolist():
            skills = d.programme_skills.indices[d.programme_skills.indptr[p]:d.programme_skills.indptr[p + 1]]
            at = np.searchsorted(universe, skills)
            inside = at < len(universe)
            at = at[inside]
            taught[p] = at[universe[at] == skills[inside]]
        costs = dict(zip(candidates.tolist(), self._costs_after(candidates, gap.upcoming[candidates],
                                                                  gap).tolist()))
        months = {p: int(self.programmes_["duration"][p]) for p in candidates.tolist()}
        n_near = len(gap.near)
        results: dict[tuple, tuple] = {}
        evaluated = 0
        truncated = False

        def evaluate(combo: tuple) -> tuple:
            mask = np.zeros(len(universe), dtype=bool)
            for p in combo:
                mask[taught[p]] = True
            covered = np.bincount(gap.entry_near, mask[local], n_near)
            unlocked = covered >= gap.near_needed
            value = float(gap.near_weight[unlocked].sum())
            cost = sum(costs[p] for p in combo)
            duration = sum(months[p] for p in combo)
            score = value - self.cost_penalty * cost / 1000.0 - self.duration_penalty * duration / 12.0
            return score, value, unlocked

        beam = [()]
        for _ in range(self.max_steps):
            extended = []
            for base in beam:
                base_value = results[base][1] if base else 0.0
                for p in candidates.tolist():
                    if p in base:
                        continue
                    combo = tuple(sorted(base + (p,)))
                    if combo in results:
                        continue
                    if evaluated >= self.max_evaluations:
                        truncated = True
                        break
                    result = evaluate(combo)
                    evaluated += 1
                    if result[1] > base_value + 1e-9:  # a step must unlock more, or it is only cost
                        results[combo] = result
                        extended.append(combo)
                if truncated:
                    break
            if truncated or not extended:
                break
            # The best extension of every parent stays (so the greedy chain is always in the beam);
            # the remaining places go to the best extensions overall.
            extended.sort(key=lambda c: (-results[c][0], c))
            best_child = {}
            for combo in extended:
                for parent in beam:
                    if set(parent) <= set(combo) and parent not in best_child:
                        best_child[parent] = combo
            kept = list(dict.fromkeys(best_child[b] for b in beam if b in best_child))
            kept += [c for c in extended if c not in kept][: max(0, self.beam_width - len(kept))]
            beam = kept[: max(self.beam_width, len(kept))]
        return {"results": results, "evaluated": evaluated, "candidates": len(candidates), "truncated": truncated,
                "costs": costs}

    def _pathway_frame(self, gap: _Gap, d: _Derived, search: dict, k: int) -> pd.DataFrame:
        results = search["results"]
        ranked = sorted(results, key=lambda c: (-results[c][0], len(c), c))
        ids = np.asarray(self.index_.vacancies_.ids, dtype=object)
        P = self.programmes_
        held_mask = np.zeros(d.n_skills, bool)
        held_mask[gap.held] = True
        radius = float(gap.commute)
        out, seen = [], set()
        for combo in ranked:
            score, value, unlocked = results[combo]
            key = frozenset(np.flatnonzero(unlocked).tolist())
            if key in seen:  # the same vacancies by another (worse-scored) route
                continue
            seen.add(key)
            steps = []
            for p in sorted(combo, key=lambda p: (int(self.intakes_["start"][gap.upcoming[p]]), p)):
                intake = int(gap.upcoming[p])
                taught = d.programme_skills.indices[d.programme_skills.indptr[p]:d.programme_skills.indptr[p + 1]]
                taught = taught[(gap.skill_weight[taught] > 0) & ~held_mask[taught]]
                steps.append({
                    "programme_id": self.programme_ids_[p], "intake_id": self.intakes_["id"][intake],
                    "name_lv": P["name_lv"][p], "name_en": P["name_en"][p], "kind": P["kind"][p],
                    "mode": P["mode"][p],
                    "start_date": dt.date.fromordinal(int(self.intakes_["start"][intake])).isoformat(),
                    "duration_months": int(P["duration"][p]), "cost_eur": round(float(P["cost"][p]), 2),
                    **self._funding(p, intake, gap),
                    "within_reach": bool(gap.reach[p]), "reach": gap.reach_how[p],
                    "missing_skills_taught": self._skill_entries(taught.tolist()),
                })
            near_rows = gap.near[unlocked]
            order = np.argsort(-gap.near_weight[unlocked], kind="stable")
            n_unlocked = int(unlocked.sum())
            out.append({
                "candidate_id": gap.learner.candidate_id, "score": round(score, 4),
                "rank": len(out) + 1,
                "programme_ids": [s["programme_id"] for s in steps], "intake_ids": [s["intake_id"] for s in steps],
                "vacancies_unlocked": n_unlocked, "vacancy_ids": ids[near_rows[order]].tolist(),
                "total_duration_months": sum(s["duration_months"] for s in steps),
                "cost_after_funding_eur": round(sum(s["cost_after_funding_eur"] for s in steps), 2),
                "first_start_date": min(s["start_date"] for s in steps),
                "summary_en": summary_en(steps, n_unlocked, radius),
                "summary_lv": summary_lv(steps, n_unlocked, radius),
                "explanation": {"steps": steps, "threshold": self.fit_threshold, "radius_km": radius,
                                "within_reach": all(s["within_reach"] for s in steps),
                                "weighted_unlocked": round(value, 4),
                                "search": {"evaluated": search["evaluated"], "candidates": search["candidates"],
                                           "truncated": search["truncated"]}},
            })
            if len(out) == k:
                break
        return pd.DataFrame(out, columns=_PATHWAY_COLUMNS)

    # ============================================================ what-if
    def what_if_languages(self, learner: Learner, *, today: dt.date, levels: dict, k: int = 10) -> dict:
        """How the job list changes if the candidate spoke ``levels`` ({code: CEFR 1–6}) at least.

        Returns the keys of :meth:`what_if` (``added_skills`` and ``coverage_gained`` empty: skills do not change)
        plus ``added_languages`` [{language, level, held}]; ``vacancies_gained`` are the language-blocked vacancies
        (sharing a skill, every other hard filter passed) that the levels let the person take.
        """
        _check_k(k)
        check_is_fitted(self, "index_")
        index = self.index_
        held = dict(learner.languages)
        raised = {code: int(level) for code, level in levels.items() if int(level) > int(held.get(code, 0))}
        blocked, _, gaps = index.language_blocked_vacancy_rows(learner.candidate_id)
        after = {**held, **raised}
        gained = [int(v) for v, row_gaps in zip(blocked.tolist(), gaps)
                  if all(after.get(g["language"], 0) >= g["required"] for g in row_gaps)]
        ids = index.vacancies_.ids
        top_before = index.recommend_jobs(learner.candidate_id, k, explain=False)["vacancy_id"].tolist()
        work = index.with_languages(learner.candidate_id, raised)
        top_after = work.recommend_jobs(learner.candidate_id, k, explain=False)["vacancy_id"].tolist()
        return {
            "candidate_id": learner.candidate_id, "added_skills": [],
            "added_languages": [{"language": code, "level": level, "held": int(held.get(code, 0))}
                                for code, level in sorted(raised.items())],
            "threshold": self.fit_threshold,
            "vacancies_gained": [ids[v] for v in gained], "n_gained": len(gained),
            "coverage_gained": [], "n_coverage_gained": 0, "top_before": top_before, "top_after": top_after,
            "entered_top": [v for v in top_after if v not in set(top_before)],
            "left_top": [v for v in top_before if v not in set(top_after)],
        }

    def what_if(self, learner: Learner, *, today: dt.date, skill_ids=(), programme_id=None, k: int = 10) -> dict:
        """How the job list changes if the candidate gains skills (or finishes a programme).

        Parameters
        ----------
        skill_ids : iterable
            Skill ids or URIs (``skills`` frame); unknown ones raise ``ValueError`` naming them.
        programme_id : optional
            Adds every skill the programme teaches.

        Returns
        -------
        dict
            ``candidate_id, added_skills [{skill_id, label}], threshold, vacancies_gained [ids],
            n_gained, coverage_gained [{vacancy_id, before, after}] (best gains first, ≤ 50),
            n_coverage_gained, top_before [ids], top_after [ids], entered_top, left_top``.
            The shared index is not modified.
        """
        _check_k(k)
        gap, d = self._gap(learner, today)
        index = self.index_
        added = self._resolve_skills(skill_ids)
        if programme_id is not None:
            if programme_id not in self.programme_ids_:
                raise ValueError(ERR_UNKNOWN_PROGRAMME.format(id=programme_id))
            p = self.programme_ids_.get_loc(programme_id)
            if not gap.admitted[p]:
                raise ProgrammeNotOpen(programme_id, self._requirements(p, gap))
            taught = d.programme_skills.indices[d.programme_skills.indptr[p]:d.programme_skills.indptr[p + 1]]
            added += [index._skill_ids[s] for s in taught.tolist()]
        added = list(dict.fromkeys(added))
        positions = index.skill_index_.get_indexer(added)
        held_mask = np.zeros(d.n_skills, bool)
        held_mask[gap.held] = True
        new = positions[(positions >= 0) & ~held_mask[np.clip(positions, 0, None)]]
        _, vac, _ = gather_rows(d.essential_t, new.astype(np.int64))
        gained_count = np.bincount(vac, minlength=len(gap.matched))[: len(gap.matched)]
        rows = gap.eligible[d.n_essential[gap.eligible] > 0]
        n = d.n_essential[rows]
        before = gap.matched[rows] / n
        after = (gap.matched[rows] + gained_count[rows]) / n
        threshold = self.fit_threshold - 1e-9
        gained = rows[(before < threshold) & (after >= threshold)]
        rose = np.flatnonzero(after > before)
        rose = rose[np.lexsort((rose, -(after[rose] - before[rose])))]
        ids = index.vacancies_.ids
        top_before = index.recommend_jobs(learner.candidate_id, k, explain=False)["vacancy_id"].tolist()
        work = index.with_added_skills(learner.candidate_id, added)
        top_after = work.recommend_jobs(learner.candidate_id, k, explain=False)["vacancy_id"].tolist()
        return {
            "candidate_id": learner.candidate_id,
            "added_skills": self._skill_entries([s for s in positions.tolist() if s >= 0]),
            "threshold": self.fit_threshold,
            "vacancies_gained": [ids[v] for v in gained.tolist()], "n_gained": int(len(gained)),
            "coverage_gained": [{"vacancy_id": ids[rows[i]], "before": round(float(before[i]), 4),
                                 "after": round(float(after[i]), 4)} for i in rose[:50].tolist()],
            "n_coverage_gained": int(len(rose)),
            "top_before": top_before, "top_after": top_after,
            "entered_top": [v for v in top_after if v not in set(top_before)],
            "left_top": [v for v in top_before if v not in set(top_after)],
        }

    def _resolve_skills(self, skill_ids) -> list:
        if isinstance(skill_ids, (str, bytes)):
            skill_ids = [skill_ids]
        known, unknown = [], []
        index = self.index_.skill_index_
        for s in skill_ids:
            if s in index:
                known.append(s)
            elif s in self.uri_to_skill_ and self.uri_to_skill_[s] in index:
                known.append(self.uri_to_skill_[s])
            else:
                unknown.append(s)
        if unknown:
            raise ValueError(ERR_UNKNOWN_SKILLS.format(ids=", ".join(map(str, unknown))))
        return known

    # ====================================================== evaluation aid
    def popular_pathway(self, learner: Learner, *, today: dt.date, size: int = 1) -> dict:
        """The popularity baseline: the ``size`` most popular enrolable programmes with an
        upcoming intake (popularity = applications/enrolments), and what they unlock."""
        gap, d = self._gap(learner, today)
        P = self.programmes_
        rows = np.flatnonzero(gap.open & gap.reach)
        rows = rows[np.lexsort((rows, -P["popularity"][rows]))][:size]
        skills = np.unique(d.programme_skills[rows].indices) if len(rows) else np.zeros(0, np.int64)
        taught = np.zeros(d.n_skills, bool)
        taught[skills] = True
        covered = np.bincount(gap.entry_near, taught[gap.entry_skill], len(gap.near))
        unlocked = covered >= gap.near_needed
        return {"programme_ids": [self.programme_ids_[p] for p in rows.tolist()],
                "vacancies_unlocked": int(unlocked.sum())}


_PROGRAMME_COLUMNS = ["candidate_id", "programme_id", "intake_id", "score", "rank", "enrolable", "explanation"]
_PATHWAY_COLUMNS = ["candidate_id", "score", "rank", "programme_ids", "intake_ids", "vacancies_unlocked",
                    "vacancy_ids", "total_duration_months", "cost_after_funding_eur", "first_start_date",
                    "summary_en", "summary_lv", "explanation"]


def _merge_pathways(frame: pd.DataFrame, spoken: list[dict], k: int) -> pd.DataFrame:
    """Skill pathways and language pathways in one list by score, at most ``k``; the best language pathway is kept
    even when ``k`` skill pathways score higher (a person blocked by language must see the way past it)."""
    rows = frame.to_dict("records") + spoken
    rows.sort(key=lambda r: (-r["score"], len(r["programme_ids"]), [str(p) for p in r["programme_ids"]]))
    top = rows[:k]
    if not any(r["explanation"].get("unlocks_by") == "language" for r in top):
        best = next(r for r in rows if r["explanation"].get("unlocks_by") == "language")
        top = top[:k - 1] + [best]
    for rank, row in enumerate(top, start=1):
        row["rank"] = rank
    return pd.DataFrame(top, columns=_PATHWAY_COLUMNS)


def _strings(p: pd.DataFrame, name: str) -> np.ndarray:
    return (p[name].fillna("").astype(str).to_numpy(object) if name in p else np.full(len(p), "", dtype=object))


def _integers(p: pd.DataFrame, name: str) -> np.ndarray:
    if name not in p:
        return np.zeros(len(p), dtype=np.int64)
    return pd.to_numeric(p[name], errors="coerce").fillna(0).astype(np.int64).to_numpy()


def _empty_programmes(reason: str | None = None) -> pd.DataFrame:
    frame = pd.DataFrame(columns=_PROGRAMME_COLUMNS)
    frame.attrs["reason"] = reason
    return frame


def _round(x) -> float:
    return float(round(float(x), 2))


def _top_and_included(order: np.ndarray, k: int, included: np.ndarray) -> np.ndarray:
    """The first ``k`` of ``order``, then the rest of ``order`` that ``included`` marks (positions into it)."""
    return np.concatenate([order[:k], order[k:][included[order[k:]]]]).astype(np.int64)


def _check_k(k) -> None:
    if not isinstance(k, (int, np.integer)) or isinstance(k, bool) or k < 1:
        raise ValueError(ERR_K)


def _column(p: pd.DataFrame, name: str, default) -> list:
    if name not in p:
        return [default() for _ in range(len(p))]
    return [v if isinstance(v, (list, tuple, dict)) else default() for v in p[name]]


def _ages(p: pd.DataFrame, name: str) -> np.ndarray:
    return pd.to_numeric(p[name], errors="coerce").to_numpy(float) if name in p else np.full(len(p), np.nan)


def _eligibility_masks(p: pd.DataFrame) -> dict:
    """Programme eligibility as boolean masks, so one candidate's check is a few vector operations.

    The same rule as :func:`matching.paths.eligibility.failures` (a test compares the two).
    """
    groups = [set(g) for g in _column(p, "target_groups", list)]
    languages = [set(v) for v in _column(p, "languages", list)]
    funding_groups = _column(p, "funding_groups", dict)
    codes = sorted({code for v in languages for code in v})
    funding = {}
    for kind in FUNDING[:-1]:
        rules = [rule.get(kind, DEFAULT_FUNDING_GROUPS.get(kind)) for rule in funding_groups]
        funding[kind] = {g: np.asarray([r is None or g in r for r in rules], bool) for g in TARGET_GROUPS}
        funding[kind][None] = np.asarray([r is None for r in rules], bool)  # open to a person of no group
    return {
        "open_to_all": np.asarray([not g for g in groups], bool),
        "group": {g: np.asarray([g in s for s in groups], bool) for g in TARGET_GROUPS},
        "only_after_secondary": np.asarray([bool(g) and g <= {"after_secondary_school"} for g in groups], bool),
        "min_age": _ages(p, "min_age"), "max_age": _ages(p, "max_age"),
        "any_language": np.asarray([not v for v in languages], bool),
        "language": {code: np.asarray([code in v for v in languages], bool) for code in codes},
        "funding": funding,
        "target_groups": [tuple(sorted(g)) for g in groups], "languages": [tuple(sorted(v)) for v in languages],
    }


def _age(value) -> int | None:
    value = float(value)
    return None if np.isnan(value) or value < 0 else int(value)


def _int_or_none(value) -> int | None:
    return None if value is None or np.isnan(value) else int(value)


def _pay(d: _Derived, rows: np.ndarray) -> dict:
    """``postings`` and the pay figures of ``rows`` (None below ``MIN_POSTINGS``)."""
    figures = {"median_min": None, "median_max": None, "p25": None, "p75": None}
    if len(rows) >= MIN_POSTINGS:
        lo, hi = d.salary_min[rows], d.salary_max[rows]
        mid = np.nanmean(np.vstack([lo, hi]), axis=0)
        figures = {"median_min": _round(np.nanmedian(lo)) if (~np.isnan(lo)).any() else None,
                   "median_max": _round(np.nanmedian(hi)) if (~np.isnan(hi)).any() else None,
                   "p25": _round(np.percentile(mid, 25)), "p75": _round(np.percentile(mid, 75))}
    return {"postings": int(len(rows)), **figures}
