"""Learning to rank from feedback: graded labels, a learned ranker, the hand weights, promotion.

The recommender explains every item with score *parts* (named features in [0, 1], see
:mod:`matching.index` and :mod:`matching.paths`). Logged lists plus what counsellors,
candidates, employers and providers did with them become a training frame
(:func:`training_frame`); :class:`RankerModel` learns a ranking of the same parts;
:class:`HandWeightedRanker` is the current weighted sum behind the same interface;
:func:`train_and_compare` decides on held-out lists whether a new model beats the active one.

Label grades (:data:`GRADES`)::

    4  hired, enrolled                     (an outcome)
    3  shortlisted, applied                (an outcome step)
    2  approved (by a counsellor), saved
    1  viewed
    0  dismissed, rejected (by a counsellor or an employer); served without any event

Which event wins for one served item: the strongest outcome (grade 3 or 4) always wins, since
an application or a hire cannot be undone; otherwise the *latest* event wins when events carry
a time ``at`` (saved, then dismissed → 0), the strongest when they do not.

No file, network or ORM access: :func:`dump_model` / :func:`load_model` turn a model into bytes
and a metadata dict and back, so the application can keep versions and roll back.

Protected attributes (gender, nationality, disability, age, …) are never features:
:func:`check_features` raises on them and every ``fit`` calls it.
"""
from __future__ import annotations

import hashlib
import io
import re

import joblib
import numpy as np
import pandas as pd
import sklearn
from sklearn.base import BaseEstimator, clone
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupShuffleSplit
from sklearn.utils.validation import check_is_fitted

from .index import DEFAULT_WEIGHTS

__all__ = [
    "FORMAT_VERSION", "GRADES", "HandWeightedRanker", "MIN_LISTS", "PROTECTED", "RankerModel", "check_features",
    "dump_model", "evaluate_ndcg", "feature_columns", "informative_lists", "load_model", "train_and_compare",
    "training_frame",
]

GRADES = {
    "hired": 4, "enrolled": 4,
    "shortlisted": 3, "applied": 3,
    "approved": 2, "saved": 2,
    "viewed": 1,
    "dismissed": 0, "rejected": 0,
}
OUTCOME_GRADE = 3
# Lists with feedback that tells items apart (at least two different labels) needed before a
# learned model may replace the hand weights; fewer and the held-out nDCG is noise.
MIN_LISTS = 50
META = ("list_id", "item_id", "position", "label", "person_id", "kind")
PROTECTED = frozenset({
    "gender", "sex", "nationality", "citizenship", "ethnicity", "ethnic", "race", "religion", "disability",
    "disabled", "age", "birth", "birthdate", "dob", "pregnancy", "marital",
})
FORMAT_VERSION = 1
ERR_PROTECTED = "protected attributes can never be ranking features: {names}"
ERR_COLUMNS = "{name} lacks columns: {missing}"
ERR_EVENTS = "unknown feedback events: {names} (known: {known})"
ERR_NO_FEATURES = "no feature columns to rank on"
ERR_METHOD = "method must be 'pairwise' or 'pointwise', not {value!r}"
ERR_WEIGHTS = "weights name features missing from the frame: {names}"
ERR_BLOB = "model bytes do not match their checksum"
ERR_CLASS = "not a ranker: {name}"


# ---------------------------------------------------------------------------- features

def check_features(columns) -> None:
    """Raise ``ValueError`` if any column name is (or contains the word of) a protected attribute.

    Names are split on ``_``, ``-``, spaces and case changes, so ``age_band``, ``candidateGender``
    and ``is_disabled`` are caught while ``language`` or ``wage`` are not.
    """
    bad = [str(c) for c in columns if _words(str(c)) & PROTECTED]
    if bad:
        raise ValueError(ERR_PROTECTED.format(names=", ".join(sorted(bad))))


def _words(name: str) -> set[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    return {w for w in re.split(r"[^a-z0-9]+", spaced.lower()) if w}


def feature_columns(frame: pd.DataFrame) -> list[str]:
    """The numeric columns of ``frame`` that are not bookkeeping (:data:`META`), in frame order."""
    return [c for c in frame.columns if c not in META and pd.api.types.is_numeric_dtype(frame[c])]


def _columns(x: np.ndarray, columns, features) -> np.ndarray:
    """The ``features`` columns of array ``x`` whose columns are named ``columns``; a feature not there is 0."""
    x = np.asarray(x, dtype=float)
    at = {name: j for j, name in enumerate(columns)}
    out = np.zeros((len(x), len(features)))
    for j, name in enumerate(features):
        if name in at:
            out[:, j] = x[:, at[name]]
    return out


def _require(frame: pd.DataFrame, columns, name: str) -> None:
    missing = [c for c in columns if c not in frame]
    if missing:
        raise ValueError(ERR_COLUMNS.format(name=name, missing=", ".join(missing)))


# ------------------------------------------------------------------------ training frame

def training_frame(items: pd.DataFrame, events: pd.DataFrame, *, grades: dict | None = None) -> pd.DataFrame:
    """One row per served item with its score parts and a graded label from feedback.

    Parameters
    ----------
    items : DataFrame
        Logged recommendation items: ``list_id, item_id, position`` and either a ``parts``
        column of dicts (as in the recommender's explanations) or one column per part;
        ``person_id`` (whom the list was for) is kept when present.
    events : DataFrame
        ``item_id, event`` and ``list_id`` and/or ``person_id``; optional ``at`` (time). An event
        with a ``list_id`` labels that list's item; one without (an application made later) labels
        the item in every list served to that ``person_id``.
    grades : dict, optional
        Overrides of :data:`GRADES` (event → grade).

    Returns
    -------
    DataFrame
        ``list_id, item_id, position, [person_id,] label`` then the feature columns, sorted by
        list and position. Items without events get label 0.
    """
    _require(items, ("list_id", "item_id", "position"), "items")
    _require(events, ("item_id", "event"), "events")
    grades = {**GRADES, **(grades or {})}
    unknown = sorted(set(events["event"].dropna().astype(str)) - set(grades))
    if unknown:
        raise ValueError(ERR_EVENTS.format(names=", ".join(unknown), known=", ".join(sorted(grades))))
    base = items.drop(columns=["parts"]) if "parts" in items else items.copy()
    if "parts" in items:
        parts = pd.DataFrame([dict(p or {}) for p in items["parts"]], index=items.index)
        base = pd.concat([base, parts.astype(float)], axis=1)
    keep = ["list_id", "item_id", "position"] + (["person_id"] if "person_id" in base else [])
    features = [c for c in feature_columns(base) if c not in keep]
    check_features(features)
    base = base[keep + features]

    labelled = _events_per_item(base, events, grades)
    out = base.merge(labelled, on=["list_id", "item_id"], how="left")
    out["label"] = out["label"].fillna(0).astype(int)
    out = out[keep + ["label"] + features].sort_values(["list_id", "position"], kind="stable")
    return out.reset_index(drop=True)


def _events_per_item(items: pd.DataFrame, events: pd.DataFrame, grades: dict) -> pd.DataFrame:
    ev = events.copy()
    ev["grade"] = ev["event"].map(grades).astype(int)
    ev["order"] = np.arange(len(ev))
    direct = ev[ev["list_id"].notna()] if "list_id" in ev else ev.iloc[:0].assign(list_id=None)
    joined = [direct[["list_id", "item_id", "grade", "order"] + (["at"] if "at" in ev else [])]]
    if "person_id" in ev and "person_id" in items:
        later = ev[ev["list_id"].isna()] if "list_id" in ev else ev
        lists = items[["list_id", "item_id", "person_id"]].drop_duplicates()
        joined.append(later.drop(columns=["list_id"], errors="ignore").merge(lists, on=["person_id", "item_id"])[
            joined[0].columns])
    ev = pd.concat(joined, ignore_index=True)
    if ev.empty:
        return pd.DataFrame({"list_id": pd.Series(dtype=object), "item_id": pd.Series(dtype=object),
                             "label": pd.Series(dtype=int)})
    sort = ["at", "order"] if "at" in ev else ["order"]
    ev = ev.sort_values(sort, kind="stable")
    grouped = ev.groupby(["list_id", "item_id"], sort=False)["grade"]
    strongest = grouped.max()
    latest = grouped.last() if "at" in ev else strongest
    label = strongest.where(strongest >= OUTCOME_GRADE, latest)
    return label.rename("label").reset_index()


def informative_lists(frame: pd.DataFrame) -> pd.Index:
    """Lists whose labels tell at least two items apart (the only ones a ranking can learn from)."""
    spread = frame.groupby("list_id")["label"].agg(lambda s: s.nunique())
    return spread.index[spread > 1]


# ----------------------------------------------------------------------------- rankers

class HandWeightedRanker(BaseEstimator):
    """The hand-set score: the sum of contributions ``weight × part`` (no learning).

    Parameters
    ----------
    weights : dict, optional
        Part name → weight; default :data:`matching.index.DEFAULT_WEIGHTS` (use
        :data:`matching.paths.PROGRAMME_WEIGHTS` for programmes).
    """

    def __init__(self, *, weights: dict | None = None):
        self.weights = weights

    def fit(self, frame: pd.DataFrame | None = None, y=None) -> "HandWeightedRanker":
        """Fix the weights (and check them against ``frame`` when given). Returns self."""
        weights = dict(DEFAULT_WEIGHTS if self.weights is None else self.weights)
        check_features(weights)
        if frame is not None:
            missing = sorted(set(weights) - set(frame.columns))
            if missing:
                raise ValueError(ERR_WEIGHTS.format(names=", ".join(missing)))
        self.weights_ = weights
        self.features_ = list(weights)
        return self

    def score(self, frame: pd.DataFrame) -> np.ndarray:
        """Sum of contributions per row of ``frame`` (columns named by the weights)."""
        check_is_fitted(self, "weights_")
        _require(frame, self.features_, "frame")
        return self.score_array(frame[self.features_].to_numpy(dtype=float), self.features_)

    def score_array(self, x: np.ndarray, columns) -> np.ndarray:
        """:meth:`score` of a float array whose columns are named by ``columns`` (missing features count 0)."""
        check_is_fitted(self, "weights_")
        weights = np.asarray([self.weights_[f] for f in self.features_], dtype=float)
        return _columns(x, columns, self.features_) @ weights


class RankerModel(BaseEstimator):
    """A ranker learned from graded feedback on the explainable score parts.

    ``method='pairwise'`` (default) fits a logistic regression, without intercept, on the
    differences of feature vectors of item pairs of one list with different labels ("did the
    better item score higher?"); its coefficients are the learned weights (``weights_``) and
    can be shown next to the hand weights. ``'pointwise'`` fits gradient-boosted trees on the
    label itself (no ``weights_``: ``None``).

    Parameters
    ----------
    features : sequence of str, optional
        Feature columns; default every numeric non-bookkeeping column of the training frame.
    method : {'pairwise', 'pointwise'}, default 'pairwise'
    C : float, default 1.0
        Inverse regularisation of the pairwise logistic regression.
    max_pairs_per_list : int, default 200
        Pairs sampled per list (bounds cost when lists are long).
    random_state : int, optional
        Seeds pair sampling, pair orientation and the trees.
    """

    def __init__(self, *, features=None, method: str = "pairwise", C: float = 1.0, max_pairs_per_list: int = 200,
                 random_state=None):
        self.features = features
        self.method = method
        self.C = C
        self.max_pairs_per_list = max_pairs_per_list
        self.random_state = random_state

    def fit(self, frame: pd.DataFrame, y=None) -> "RankerModel":
        """Learn from a :func:`training_frame` (``list_id``, ``label`` and the features).

        ``y`` overrides ``frame['label']`` when given. Returns self.
        """
        if self.method not in ("pairwise", "pointwise"):
            raise ValueError(ERR_METHOD.format(value=self.method))
        features = list(self.features) if self.features is not None else feature_columns(frame)
        if not features:
            raise ValueError(ERR_NO_FEATURES)
        check_features(features)
        _require(frame, ["list_id"] + features + ([] if y is not None else ["label"]), "frame")
        labels = np.asarray(frame["label"] if y is None else y, dtype=float)
        x = frame[features].to_numpy(dtype=float)
        rng = np.random.default_rng(self.random_state)
        if self.method == "pointwise":
            model = HistGradientBoostingRegressor(random_state=self.random_state).fit(x, labels)
            weights = None
        else:
            diffs, signs = _pairs(x, labels, frame["list_id"].to_numpy(), self.max_pairs_per_list, rng)
            model = LogisticRegression(C=self.C, fit_intercept=False).fit(diffs, signs)
            weights = dict(zip(features, (round(float(w), 6) for w in model.coef_[0])))
        self.features_ = features
        self.model_ = model
        self.weights_ = weights
        return self

    def score(self, frame: pd.DataFrame) -> np.ndarray:
        """Ranking score per row (higher first); reads only ``features_``."""
        check_is_fitted(self, "model_")
        _require(frame, self.features_, "frame")
        return self._score(frame[self.features_].to_numpy(dtype=float))

    def score_array(self, x: np.ndarray, columns) -> np.ndarray:
        """:meth:`score` of a float array whose columns are named by ``columns`` (a feature not among them
        counts 0): the serving path, where a DataFrame per request would cost more than the scoring."""
        check_is_fitted(self, "model_")
        return self._score(_columns(x, columns, self.features_))

    def _score(self, x: np.ndarray) -> np.ndarray:
        if self.method == "pointwise":
            return self.model_.predict(x)
        return x @ self.model_.coef_[0]


def _pairs(x: np.ndarray, labels: np.ndarray, groups: np.ndarray, cap: int, rng: np.random.Generator):
    """Feature differences of differently labelled pairs within lists, each randomly oriented."""
    diffs = []
    order = np.argsort(groups, kind="stable") if len(groups) else np.zeros(0, int)
    boundaries = np.flatnonzero(groups[order][1:] != groups[order][:-1]) + 1 if len(groups) else []
    for rows in np.split(order, boundaries):
        a, b = np.triu_indices(len(rows), k=1)
        a, b = rows[a], rows[b]
        keep = labels[a] != labels[b]
        a, b = a[keep], b[keep]
        if len(a) > cap:
            chosen = rng.choice(len(a), size=cap, replace=False)
            a, b = a[chosen], b[chosen]
        better = np.where(labels[a] > labels[b], a, b)
        worse = np.where(labels[a] > labels[b], b, a)
        diffs.append(x[better] - x[worse])
    diffs = np.vstack(diffs) if diffs else np.zeros((0, x.shape[1]))
    if len(diffs) == 0:
        raise ValueError("no list has items with different labels: nothing to learn from")
    # Random orientation gives the classifier both classes without duplicating every pair.
    flip = rng.random(len(diffs)) < 0.5
    if flip.all() or not flip.any():  # one class only (e.g. a single pair): add the first pair mirrored
        diffs, flip = np.vstack([diffs, diffs[:1]]), np.append(flip, not flip[0])
    return np.where(flip[:, None], -diffs, diffs), np.where(flip, 0, 1)


# -------------------------------------------------------------------------- evaluation

def evaluate_ndcg(model, frame: pd.DataFrame, k: int = 10) -> float:
    """Mean graded nDCG@k of ``model``'s ordering of each list (gain ``2**label − 1``).

    Lists with no positive label are skipped; ties keep the served order. NaN if none is left.
    """
    scores = np.asarray(model.score(frame), dtype=float)
    work = pd.DataFrame({"list_id": frame["list_id"].to_numpy(), "label": frame["label"].to_numpy(float),
                         "position": frame["position"].to_numpy(float) if "position" in frame else 0.0,
                         "score": scores})
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    values = []
    for _, g in work.groupby("list_id", sort=False):
        gains = 2.0 ** g["label"].to_numpy() - 1.0
        ideal = np.sort(gains)[::-1][:k]
        best = float(ideal @ discounts[:len(ideal)])
        if best <= 0:
            continue
        ranked = g.sort_values(["score", "position"], ascending=[False, True], kind="stable")
        got = (2.0 ** ranked["label"].to_numpy()[:k] - 1.0)
        values.append(float(got @ discounts[:len(got)]) / best)
    return float(np.mean(values)) if values else float("nan")


def train_and_compare(frame: pd.DataFrame, active_model, *, candidate=None, min_lists: int = MIN_LISTS,
                      test_size: float = 0.3, k: int = 10, random_state=0) -> dict:
    """Train a candidate ranker and decide whether it should replace the active one.

    Only informative lists (:func:`informative_lists`) count. They are split by ``list_id``
    (``GroupShuffleSplit``), so no list is in both parts; the candidate is fitted on the train
    part and both models are scored on the same held-out lists.

    Parameters
    ----------
    frame : DataFrame
        A :func:`training_frame`.
    active_model : HandWeightedRanker or RankerModel
        The model serving now; fitted on the train part only if it is not fitted yet.
    candidate : estimator, optional
        Unfitted template (cloned); default ``RankerModel(random_state=random_state)``.
    min_lists : int, default :data:`MIN_LISTS`
        Fewer informative lists and nothing is trained (the active model stays).

    Returns
    -------
    dict
        ``trained, reason, lists, train_lists, test_lists, candidate_ndcg, active_ndcg, promote,
        model`` (the fitted candidate or None). ``promote`` is true only when the candidate's
        held-out nDCG@k is strictly higher.
    """
    lists = informative_lists(frame)
    decision = {"trained": False, "reason": "", "lists": int(len(lists)), "train_lists": 0, "test_lists": 0,
                "candidate_ndcg": None, "active_ndcg": None, "promote": False, "model": None}
    if len(lists) < max(int(min_lists), 2):
        decision["reason"] = f"too little feedback: {len(lists)} lists with feedback, {min_lists} needed"
        return decision
    data = frame[frame["list_id"].isin(lists)].reset_index(drop=True)
    split = GroupShuffleSplit(n_splits=1, test_size=test_size, random_state=random_state)
    train_rows, test_rows = next(split.split(data, groups=data["list_id"]))
    train, test = data.iloc[train_rows], data.iloc[test_rows]
    model = clone(candidate if candidate is not None else RankerModel(random_state=random_state)).fit(train)
    active = active_model
    if not _is_fitted(active):
        active = clone(active).fit(train)
    cand_ndcg, active_ndcg = evaluate_ndcg(model, test, k), evaluate_ndcg(active, test, k)
    promote = bool(cand_ndcg > active_ndcg)
    decision.update({
        "trained": True, "train_lists": int(train["list_id"].nunique()), "test_lists": int(test["list_id"].nunique()),
        "candidate_ndcg": round(cand_ndcg, 4), "active_ndcg": round(active_ndcg, 4), "promote": promote,
        "model": model,
        "reason": "candidate beats the active model" if promote else "candidate does not beat the active model",
    })
    return decision


def _is_fitted(model) -> bool:
    return any(name.endswith("_") and not name.startswith("_") for name in vars(model))


# ------------------------------------------------------------------------ serialisation

def dump_model(model, *, metadata: dict | None = None) -> tuple[bytes, dict]:
    """Fitted ranker → (bytes, metadata) for the application to store as one version.

    The metadata holds the format version, class, features, weights (where linear), the
    scikit-learn version and a SHA-256 of the bytes, plus anything passed in ``metadata``
    (e.g. the nDCG figures of :func:`train_and_compare`).
    """
    check_is_fitted(model)
    buffer = io.BytesIO()
    joblib.dump(model, buffer)
    blob = buffer.getvalue()
    meta = {
        **(metadata or {}),
        "format": FORMAT_VERSION, "class": type(model).__name__, "params": _plain(model.get_params()),
        "features": list(model.features_), "weights": getattr(model, "weights_", None),
        "sklearn": sklearn.__version__, "sha256": hashlib.sha256(blob).hexdigest(),
    }
    return blob, meta


def load_model(blob: bytes, *, metadata: dict | None = None):
    """Bytes from :func:`dump_model` → the ranker.

    Only load bytes this application wrote (unpickling runs code). With ``metadata`` the
    checksum is verified first; the result must be one of this module's rankers.
    """
    if metadata is not None and hashlib.sha256(blob).hexdigest() != metadata.get("sha256"):
        raise ValueError(ERR_BLOB)
    model = joblib.load(io.BytesIO(blob))
    if not isinstance(model, (RankerModel, HandWeightedRanker)):
        raise ValueError(ERR_CLASS.format(name=type(model).__name__))
    return model


def _plain(params: dict) -> dict:
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in params.items()}
