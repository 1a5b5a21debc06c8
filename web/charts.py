"""Charts drawn on the server as SVG (matplotlib, Agg backend), legible in grey and to a screen reader.

Each series differs by more than colour: bars by hatch pattern, lines by marker and dash, and every bar or point
carries its number as a direct label. The SVG keeps its text as text (``svg.fonttype: none``: the browser's own
fonts, nothing fetched) and is returned ready to inline: ``role="img"``, a ``<title>`` and a ``<desc>``, and
``aria-labelledby`` naming its title and the table beside it that holds the same numbers. Element ids inside are
prefixed with the chart's id, so several charts can share one page.
"""
from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

import matplotlib

matplotlib.use("Agg")
from matplotlib import pyplot as plt  # noqa: E402  (after choosing the backend)
from matplotlib.figure import Figure  # noqa: E402

STYLE = {"svg.fonttype": "none", "svg.hashsalt": "careers", "font.family": "sans-serif", "font.size": 10,
         "axes.spines.top": False, "axes.spines.right": False}
GREYS = ("#1b4f72", "#a9cce3", "#5d6d7e", "#d5d8dc")  # dark, light, mid, pale: apart in grey too
HATCHES = ("", "//", "..", "xx")
MARKERS = ("o", "s", "^", "D")
DASHES = ("-", "--", ":", "-.")


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | None]  # None: not shown (suppressed), and said so in the table


def _number(value: float | None, digits: int = 1) -> str:
    if value is None:
        return ""
    text = f"{value:,.{digits}f}".replace(",", " ")
    return text.removesuffix("." + "0" * digits) if digits and digits < 2 else text


def _accessible(svg: str, *, chart_id: str, title: str, desc: str, table_id: str) -> str:
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{chart_id}-\1"', svg)
    svg = re.sub(r'url\(#([^)]+)\)', rf'url(#{chart_id}-\1)', svg)
    svg = re.sub(r'xlink:href="#([^"]+)"', rf'xlink:href="#{chart_id}-\1"', svg)
    svg = re.sub(r'<svg([^>]*?) width="[^"]+" height="[^"]+"', r'<svg\1', svg, count=1)
    head = (f'<svg role="img" focusable="false" aria-labelledby="{chart_id}-title {table_id}" '
            f'aria-describedby="{chart_id}-desc"')
    svg = svg.replace("<svg", head, 1)
    opening_end = svg.index(">") + 1
    svg = (svg[:opening_end] + f'<title id="{chart_id}-title">{escape(title)}</title>'
           f'<desc id="{chart_id}-desc">{escape(desc)}</desc>' + svg[opening_end:])
    return re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)


def _render(fig: Figure, **names) -> str:
    out = io.StringIO()
    fig.savefig(out, format="svg", bbox_inches="tight")
    plt.close(fig)
    return _accessible(out.getvalue(), **names)


def bar_chart(*, chart_id: str, title: str, desc: str, table_id: str, categories: Sequence[str],
              series: Sequence[Series], horizontal: bool = False, reference: float | None = None,
              reference_label: str = "", digits: int = 1) -> str:
    """Grouped bars, one hatch per series, the number at the end of each bar; ``reference`` draws a dashed line."""
    with plt.rc_context(STYLE):
        height = max(2.8, 0.38 * len(categories) * max(1, len(series)) + 1.2) if horizontal else 3.6
        fig, ax = plt.subplots(figsize=(7.2, height))
        width = 0.8 / max(1, len(series))
        positions = range(len(categories))
        for n, s in enumerate(series):
            offsets = [p - 0.4 + width * (n + 0.5) for p in positions]
            values = [0 if v is None else v for v in s.values]
            draw = ax.barh if horizontal else ax.bar
            bars = draw(offsets, values, width * 0.95, label=s.label, color=GREYS[n % 4], edgecolor="#1b1f23",
                        hatch=HATCHES[n % 4], linewidth=0.6)
            ax.bar_label(bars, labels=[_number(v, digits) if v is not None else "—" for v in s.values], padding=2,
                         fontsize=8)
        if horizontal:
            ax.set_yticks(list(positions), categories)
            ax.invert_yaxis()
        else:
            ax.set_xticks(list(positions), categories, rotation=30 if len(categories) > 5 else 0, ha="right"
                          if len(categories) > 5 else "center")
        if reference is not None:
            (ax.axvline if horizontal else ax.axhline)(reference, color="#1b1f23", linestyle="--", linewidth=1,
                                                      label=reference_label)
        if len(series) > 1 or reference is not None:
            ax.legend(frameon=False, fontsize=8, loc="best")
        return _render(fig, chart_id=chart_id, title=title, desc=desc, table_id=table_id)


def line_chart(*, chart_id: str, title: str, desc: str, table_id: str, categories: Sequence[str],
               series: Sequence[Series]) -> str:
    """Lines over months, each with its own marker and dash; the last value of each line labelled."""
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(7.2, 3.6))
        x = list(range(len(categories)))
        for n, s in enumerate(series):
            points = [(i, v) for i, v in zip(x, s.values) if v is not None]
            if not points:
                continue
            ax.plot([p[0] for p in points], [p[1] for p in points], label=s.label, color=GREYS[(n * 2) % 4 if n < 2
                    else 2], marker=MARKERS[n % 4], linestyle=DASHES[n % 4], linewidth=1.6, markersize=4)
            last = points[-1]
            ax.annotate(_number(last[1]), last, textcoords="offset points", xytext=(4, 0), fontsize=8,
                        va="center")
        ax.set_xticks(x, categories, rotation=45, ha="right")
        ax.legend(frameon=False, fontsize=8, loc="best")
        return _render(fig, chart_id=chart_id, title=title, desc=desc, table_id=table_id)
