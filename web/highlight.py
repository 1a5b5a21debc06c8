"""The pasted text cut into plain and marked segments: the words that suggested a skill are shown highlighted."""
from __future__ import annotations

from collections.abc import Iterable, Mapping


def marked_segments(text: str, spans: Iterable[Mapping]) -> list[dict]:
    """``[{"text", "marked"}]`` covering ``text`` in order; overlapping spans merge, bad offsets are ignored."""
    ranges = sorted((int(s["start"]), int(s["end"])) for s in spans
                    if 0 <= int(s["start"]) < int(s["end"]) <= len(text))
    merged: list[list[int]] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    segments, at = [], 0
    for start, end in merged:
        if start > at:
            segments.append({"text": text[at:start], "marked": False})
        segments.append({"text": text[start:end], "marked": True})
        at = end
    if at < len(text):
        segments.append({"text": text[at:], "marked": False})
    return segments
