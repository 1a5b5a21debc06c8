"""Bias monitoring: exposure in recommendations and approval rates by group, small groups suppressed.

Exposure of one served row is the position discount ``1 / log2(1 + position)`` (position 1 → 1,
position 3 → 0.5), as in nDCG. A person's exposure is the sum over the rows that show them (or
the lists served to them); a group's exposure is the mean over its people, counting people
with nothing served as 0. The approval rate is approved / reviewed over the group's rows
(``approved`` None = not reviewed). Disparity ratios divide a group's figure by the best-off
group of the same attribute (or by everybody, ``reference='overall'``); 1 means parity and
the "four-fifths rule" reads ratios under 0.8 as a warning.

Any group of fewer than ``min_group`` people is suppressed: its figures are None, its counts
read ``"<10"`` and it takes no part in choosing the best-off group.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

__all__ = ["AGE_BANDS", "age_band", "exposure_report"]

AGE_BANDS = ((13, 17), (18, 24), (25, 34), (35, 49), (50, None))
UNKNOWN = "unknown"
COLUMNS = ("attribute", "group", "people", "served", "reviewed", "exposure", "approval_rate", "exposure_ratio",
           "approval_ratio", "suppressed")
ERR_COLUMNS = "{name} lacks columns: {missing}"
ERR_REFERENCE = "reference must be 'best' or 'overall', not {value!r}"


def age_band(age) -> str | None:
    """``'13-17'``, ``'18-24'``, ``'25-34'``, ``'35-49'``, ``'50+'``; None under 13 or unknown."""
    if age is None or (isinstance(age, float) and math.isnan(age)):
        return None
    age = int(age)
    for low, high in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return f"{low}+" if high is None else f"{low}-{high}"
    return None


def exposure_report(served: pd.DataFrame, people: pd.DataFrame, *, group_columns=("gender", "age_band", "town"),
                    min_group: int = 10, reference: str = "best") -> pd.DataFrame:
    """Exposure and approval rate per group of each attribute, with disparity ratios.

    Parameters
    ----------
    served : DataFrame
        ``person_id, list_id, position`` (1 = top), optional ``approved`` (True, False or None).
    people : DataFrame
        ``person_id`` and the group columns; ``age_band`` is derived from ``age`` when absent.
    group_columns : sequence of str
        Attributes to report on; a missing value is the group ``'unknown'``.
    min_group : int, default 10
        Groups with fewer people are suppressed.
    reference : {'best', 'overall'}

    Returns
    -------
    DataFrame
        One row per attribute and group: ``attribute, group, people, served, reviewed,
        exposure, approval_rate, exposure_ratio, approval_ratio, suppressed`` (object columns:
        None where a figure is suppressed or undefined, e.g. no reviews).
    """
    if reference not in ("best", "overall"):
        raise ValueError(ERR_REFERENCE.format(value=reference))
    _require(served, ("person_id", "list_id", "position"), "served")
    people = people.copy()
    if "age_band" in group_columns and "age_band" not in people and "age" in people:
        people["age_band"] = people["age"].map(age_band)
    _require(people, ("person_id",) + tuple(group_columns), "people")
    people = people.drop_duplicates("person_id")

    rows = served[served["person_id"].isin(people["person_id"])].copy()
    rows["exposure"] = 1.0 / np.log2(1.0 + rows["position"].astype(float))
    approved = rows["approved"] if "approved" in rows else pd.Series(None, index=rows.index, dtype=object)
    rows["reviewed"] = approved.notna()
    rows["approved"] = approved.where(approved.notna(), False).astype(bool) & rows["reviewed"]
    per_person = rows.groupby("person_id").agg(served=("list_id", "size"), exposure=("exposure", "sum"),
                                               reviewed=("reviewed", "sum"), approved=("approved", "sum"))
    table = people.set_index("person_id").join(per_person, how="left")
    table[["served", "exposure", "reviewed", "approved"]] = (
        table[["served", "exposure", "reviewed", "approved"]].fillna(0))

    overall = _figures(table)
    out = []
    for column in group_columns:
        groups = table[column].astype(object).where(table[column].notna(), UNKNOWN).astype(str)
        figures = {name: _figures(part) for name, part in table.groupby(groups, sort=True)}
        shown = {name: f for name, f in figures.items() if f["people"] >= min_group}
        if reference == "overall":
            ref = overall if overall["people"] >= min_group else {"exposure": None, "approval_rate": None}
        else:
            ref = {key: max((f[key] for f in shown.values() if f[key] is not None), default=None)
                   for key in ("exposure", "approval_rate")}
        for name, f in figures.items():
            if name not in shown:
                out.append({"attribute": column, "group": name, "people": f"<{min_group}", "served": f"<{min_group}",
                            "reviewed": f"<{min_group}", "exposure": None, "approval_rate": None,
                            "exposure_ratio": None, "approval_ratio": None, "suppressed": True})
                continue
            out.append({"attribute": column, "group": name, "people": f["people"], "served": f["served"],
                        "reviewed": f["reviewed"], "exposure": _round(f["exposure"]),
                        "approval_rate": _round(f["approval_rate"]),
                        "exposure_ratio": _ratio(f["exposure"], ref["exposure"]),
                        "approval_ratio": _ratio(f["approval_rate"], ref["approval_rate"]), "suppressed": False})
    # object columns keep None (not NaN) for suppressed and undefined figures: the report is shown as is
    return pd.DataFrame(out, columns=list(COLUMNS), dtype=object)


def _figures(part: pd.DataFrame) -> dict:
    reviewed = int(part["reviewed"].sum())
    return {
        "people": int(len(part)), "served": int(part["served"].sum()), "reviewed": reviewed,
        "exposure": float(part["exposure"].mean()) if len(part) else None,
        "approval_rate": float(part["approved"].sum()) / reviewed if reviewed else None,
    }


def _ratio(value, ref) -> float | None:
    if value is None or ref is None or ref == 0:
        return None
    return round(value / ref, 4)


def _round(value) -> float | None:
    return None if value is None else round(value, 4)


def _require(frame: pd.DataFrame, columns, name: str) -> None:
    missing = [c for c in columns if c not in frame]
    if missing:
        raise ValueError(ERR_COLUMNS.format(name=name, missing=", ".join(missing)))
