"""Optional sources beside ESCO: the ESCO–Latvian classifier mapping and O*NET interests via the crosswalk."""
from __future__ import annotations

import re
from collections import defaultdict

from careers.models.taxonomy import RIASEC_FIELDS

from .csvio import Source, Table

LV_CODE = re.compile(r"\d{1,4}(\.\d{1,3})?")
ONET_CODE = re.compile(r"\d{2}-\d{4}\.\d{2}")
# Most specific first: the classifier code kept for an occupation is the best-matching one.
LV_MATCHES = {f"skos:{name}": rank for rank, name in enumerate(
    ("exactMatch", "closeMatch", "narrowMatch", "broadMatch", "relatedMatch")
)}
CROSSWALK_MATCHES = {name: name for name in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "exactISCO")}
# Tiers of the crosswalk: the profile is the mean over the codes of the first tier that has interest data.
CROSSWALK_TIERS = (("exactMatch",), ("closeMatch",), ("broadMatch", "narrowMatch"))
RIASEC_ELEMENTS = dict(zip(("1.B.1.a", "1.B.1.b", "1.B.1.c", "1.B.1.d", "1.B.1.e", "1.B.1.f"), RIASEC_FIELDS))
INTEREST_SCALE = "OI"
RIASEC_DECIMALS = 2

Profile = tuple[float, float, float, float, float, float]


def read_lv_classifier(source: Source, *, notes: list[str]) -> dict[str, str]:
    """ESCO occupation URI → Latvian classifier code, the most specific match (then the lowest code) winning."""
    required = ("Classification 1 URI", "Classification 2 ID", "Mapping relation")
    best: dict[str, tuple[int, str]] = {}
    skipped = 0
    with Table(source, required=required, header_block=True) as table:
        for record in table:
            uri = table.uri(record, "Classification 1 URI")
            code = table.code(record, "Classification 2 ID", LV_CODE, "Latvian classifier code")
            rank = table.choice(record, "Mapping relation", LV_MATCHES)
            if table.uri_kind(uri) != "occupation":
                skipped += 1
                continue
            best[uri] = min(best.get(uri, (rank, code)), (rank, code))
    notes.append(f"{source.name}: {skipped:,} rows for ISCO groups skipped")
    return {uri: code for uri, (_, code) in best.items()}


def read_interests(source: Source, *, notes: list[str]) -> dict[str, Profile]:
    """O*NET-SOC code → RIASEC on the occupational-interest scale (1–7); codes lacking a dimension are left out."""
    required = ("O*NET-SOC Code", "Element ID", "Scale ID", "Data Value")
    scores: dict[str, dict[str, float]] = defaultdict(dict)
    with Table(source, required=required, delimiter="\t") as table:
        for record in table:
            if table.raw(record, "Scale ID").strip() != INTEREST_SCALE:
                continue
            code = table.code(record, "O*NET-SOC Code", ONET_CODE, "O*NET-SOC code")
            dimension = table.choice(record, "Element ID", RIASEC_ELEMENTS)
            scores[code][dimension] = table.number(record, "Data Value", 1.0, 7.0)
    complete = {code: tuple(values[name] for name in RIASEC_FIELDS) for code, values in scores.items()
                if len(values) == len(RIASEC_FIELDS)}
    if len(complete) < len(scores):
        notes.append(f"{source.name}: {len(scores) - len(complete):,} O*NET codes lack a RIASEC dimension, ignored")
    return complete  # type: ignore[return-value]


def read_crosswalk(source: Source) -> dict[str, dict[str, list[str]]]:
    """ESCO occupation URI → match type → O*NET codes."""
    required = ("O*NET Id", "ESCO or ISCO URI", "Type of Match")
    links: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    with Table(source, required=required, header_block=True) as table:
        for record in table:
            code = table.code(record, "O*NET Id", ONET_CODE, "O*NET-SOC code")
            uri = table.uri(record, "ESCO or ISCO URI")
            match = table.choice(record, "Type of Match", CROSSWALK_MATCHES)
            if table.uri_kind(uri) == "occupation" and match != "exactISCO":
                links[uri][match].append(code)
    return links


def riasec_profiles(
    crosswalk: dict[str, dict[str, list[str]]], interests: dict[str, Profile]
) -> dict[str, Profile]:
    """Mean RIASEC over the O*NET codes of the best crosswalk tier that has interest data, per ESCO URI."""
    profiles: dict[str, Profile] = {}
    for uri, by_match in crosswalk.items():
        for tier in CROSSWALK_TIERS:
            codes = sorted({code for match in tier for code in by_match.get(match, ()) if code in interests})
            if codes:
                means = (sum(interests[c][i] for c in codes) / len(codes) for i in range(len(RIASEC_FIELDS)))
                profiles[uri] = tuple(round(value, RIASEC_DECIMALS) for value in means)  # type: ignore[assignment]
                break
    return profiles
