"""The municipality analyst's pages (journey 5): the labour market, the fairness report, the outcomes.

Who: analysts and staff (``careers.selectors.analyst.analyst_may_read``); anyone else signed in gets 403, a visitor
is sent to sign in. Every chart is drawn on the server (``web.charts``) and stands beside a table of the same
numbers; each table downloads as CSV or XLSX through ``careers.tabular``, the API's own writer.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from careers.models import MarketArea
from careers.selectors.analyst import analyst_may_read, market_dashboard
from careers.selectors.insights import MIN_GROUP, InsightsScope, fairness_report, outcomes_report
from careers.tabular import CSV_TYPE, XLSX_TYPE, csv_bytes, table_of, xlsx_bytes
from web import charts
from web.forms_analyst import DOWNLOADS, AreaForm, DownloadForm, PeriodForm

NOT_AN_ANALYST = gettext_lazy("These pages are for the municipality's analysts.")
ATTRIBUTE_LABELS = {"gender": gettext_lazy("Gender"), "age_band": gettext_lazy("Age band"),
                    "town": gettext_lazy("Town")}


def analyst_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not analyst_may_read(request.user):
            raise PermissionDenied(NOT_AN_ANALYST)
        return view(request, *args, **kwargs)

    return wrapped


def _area(form: AreaForm) -> str:
    return form.cleaned_data.get("area") or MarketArea.ALL.value


def _scope(form: PeriodForm) -> InsightsScope:
    return InsightsScope(date_from=form.cleaned_data.get("date_from"), date_to=form.cleaned_data.get("date_to"))


# ------------------------------------------------------------------------------------------- tables
def towns_table(board) -> list[dict]:
    return [{_("Town"): r["town"]["name"], _("Open vacancies"): r["open_vacancies"], _("Places"): r["places"],
             _("Candidates looking"): r["looking_candidates"]} for r in board.by_town]


def _seats(programmes: list[dict]) -> int | None:
    seats = [p["next_intake"]["seats"] for p in programmes if p.get("next_intake")]
    return sum(seats) if seats else None


def shortages_table(board) -> list[dict]:
    return [{_("Skill"): r["skill"]["label"], _("Vacancies"): r["vacancies"],
             _("Places needing it (essential)"): r["demand_essential"],
             _("Places wishing it (optional)"): r["demand_optional"], _("Candidates holding it"): r["supply"],
             _("Shortage index"): r["shortage_index"],
             _("Programmes teaching it"): "; ".join(f"{p['name']} ({p['institution']['name']})"
                                                     for p in r["programmes"]),
             _("Seats at their next intakes"): _seats(r["programmes"])} for r in board.shortages]


def trend_table(board) -> list[dict]:
    return [{_("Month"): r["month"], _("Open vacancies"): r["vacancies"],
             _("Places needing a skill (essential)"): r["demand_essential"],
             _("Candidates looking"): r["supply"], _("Shortage index"): r["shortage_index"]} for r in board.trend]


def fairness_table(report: dict) -> list[dict]:
    return [{_("Attribute"): str(ATTRIBUTE_LABELS[a]), _("Group"): r["group"], _("People"): r["people"],
             _("Items recommended"): r["served"], _("Items reviewed"): r["reviewed"], _("Exposure"): r["exposure"],
             _("Approval rate"): r["approval_rate"], _("Exposure ratio"): r["exposure_ratio"],
             _("Approval ratio"): r["approval_ratio"], _("Under four fifths"): r["flagged"]}
            for a, rows in report.items() for r in rows]


def outcomes_table(report: dict) -> list[dict]:
    tables = [(_("all"), [report["total"]]), (_("by month"), report["by_month"]), (_("by town"), report["by_town"]),
              (_("by counsellor"), report["by_counsellor"])]
    return [{_("Table"): name, _("Group"): r["group"] if r["group"] != "all" else _("all"),
             _("Candidates"): r["candidates"], _("Recommended"): r["recommended"], _("Applied"): r["applied"],
             _("Hired"): r["hired"], _("Enrolled"): r["enrolled"], _("Application rate"): r["application_rate"],
             _("Conversion rate"): r["conversion_rate"]} for name, rows in tables for r in rows]


# ------------------------------------------------------------------------------------------- charts
def _towns_chart(board) -> str:
    rows = board.by_town
    return charts.bar_chart(
        chart_id="chart-towns", table_id="table-towns", title=_("Demand against supply by town"),
        desc=_("Bars per town: places in open vacancies (plain) and candidates looking for work (hatched); "
               "a missing bar is a group under %(n)d people.") % {"n": MIN_GROUP},
        categories=[r["town"]["name"] for r in rows],
        series=[charts.Series(_("Places"), [r["places"] for r in rows]),
                charts.Series(_("Candidates looking"), [r["looking_candidates"] for r in rows])])


def _shortage_chart(board) -> str:
    rows = board.shortages
    return charts.bar_chart(
        chart_id="chart-shortages", table_id="table-shortages", horizontal=True,
        title=_("Shortage skills"), desc=_("The skills most in shortage, by shortage index (demand per holder); "
                                           "1 and above is a shortage."),
        categories=[r["skill"]["label"][:40] for r in rows],
        series=[charts.Series(_("Shortage index"), [r["shortage_index"] for r in rows])],
        reference=1.0, reference_label=_("shortage from 1"))


def _trend_chart(board) -> str:
    rows = board.trend
    return charts.line_chart(
        chart_id="chart-trend", table_id="table-trend", title=_("Trend by month"),
        desc=_("Monthly means of the daily snapshots: open vacancies (solid, circles), places needing a skill "
               "(dashed, squares), candidates looking (dotted, triangles)."),
        categories=[r["month"] for r in rows],
        series=[charts.Series(_("Open vacancies"), [r["vacancies"] for r in rows]),
                charts.Series(_("Places needing a skill"), [r["demand_essential"] for r in rows]),
                charts.Series(_("Candidates looking"), [r["supply"] for r in rows])])


def _fairness_chart(attribute: str, rows: list[dict]) -> str:
    return charts.bar_chart(
        chart_id=f"chart-fair-{attribute}", table_id=f"table-fair-{attribute}",
        title=_("Ratios to the best-off group: %(attribute)s") % {"attribute": ATTRIBUTE_LABELS[attribute]},
        desc=_("Per group: exposure ratio (plain) and approval ratio (hatched); the dashed line is four fifths "
               "(0.8), under it a group is flagged; hidden groups have under %(n)d people.") % {"n": MIN_GROUP},
        categories=[str(r["group"]) for r in rows],
        series=[charts.Series(_("Exposure ratio"), [r["exposure_ratio"] for r in rows]),
                charts.Series(_("Approval ratio"), [r["approval_ratio"] for r in rows])],
        reference=0.8, reference_label=_("four fifths (0.8)"), digits=2)


def _outcomes_chart(report: dict) -> str:
    rows = report["by_month"]
    return charts.bar_chart(
        chart_id="chart-outcomes", table_id="table-outcomes-month", title=_("Outcomes by month first served"),
        desc=_("Per month: items recommended (plain), applications after the recommendation (hatched), hires and "
               "enrolments (dotted)."),
        categories=[r["group"] for r in rows],
        series=[charts.Series(_("Recommended"), [r["recommended"] for r in rows]),
                charts.Series(_("Applied"), [r["applied"] for r in rows]),
                charts.Series(_("Hired or enrolled"), [None if r["suppressed"] else r["hired"] + r["enrolled"]
                                                       for r in rows])])


# ------------------------------------------------------------------------------------------- pages
@analyst_required
@require_GET
def market(request: HttpRequest) -> HttpResponse:
    form = AreaForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(request, "web/analyst/market.html", {"form": form}, status=400)
    area = _area(form) if request.GET else MarketArea.ALL.value
    board = market_dashboard(viewer=request.user, area=area, language=get_language())
    return render(request, "web/analyst/market.html", {
        "form": form, "board": board, "area": area, "towns_chart": _towns_chart(board),
        "shortage_chart": _shortage_chart(board), "trend_chart": _trend_chart(board),
        "query": request.GET.urlencode()})


@analyst_required
@require_GET
def fairness(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(request, "web/analyst/fairness.html", {"form": form}, status=400)
    report = fairness_report(scope=_scope(form) if request.GET else InsightsScope())
    sections = [{"attribute": a, "label": ATTRIBUTE_LABELS[a], "rows": rows, "chart": _fairness_chart(a, rows)}
                for a, rows in report.items()]
    return render(request, "web/analyst/fairness.html", {"form": form, "sections": sections, "min_group": MIN_GROUP,
                                                         "query": request.GET.urlencode()})


@analyst_required
@require_GET
def outcomes(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(request, "web/analyst/outcomes.html", {"form": form}, status=400)
    report = outcomes_report(scope=_scope(form) if request.GET else InsightsScope())
    return render(request, "web/analyst/outcomes.html", {"form": form, "report": report, "min_group": MIN_GROUP,
                                                         "chart": _outcomes_chart(report),
                                                         "query": request.GET.urlencode()})


@analyst_required
@require_GET
def download(request: HttpRequest, name: str) -> HttpResponse:
    """One table of the pages as CSV or XLSX: the same rows the page shows (same filters)."""
    if name not in DOWNLOADS:
        raise Http404()
    form = DownloadForm(request.GET)
    if not form.is_valid():
        return render(request, "web/analyst/download_error.html", {"form": form}, status=400)
    language = get_language()
    if name in ("towns", "shortages", "trend"):
        board = market_dashboard(viewer=request.user, area=_area(form), language=language)
        rows = {"towns": towns_table, "shortages": shortages_table, "trend": trend_table}[name](board)
    elif name == "fairness":
        rows = fairness_table(fairness_report(scope=_scope(form)))
    else:
        rows = outcomes_table(outcomes_report(scope=_scope(form)))
    columns, cells = table_of(rows)
    fmt = form.cleaned_data["format"]
    body = csv_bytes(columns, cells) if fmt == "csv" else xlsx_bytes(columns, cells, sheet=name)
    response = HttpResponse(body, content_type=CSV_TYPE + "; charset=utf-8" if fmt == "csv" else XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
