"""Pages for everyone, with or without an account: home, job / programme / career search and detail, interests.

Each view parses its query with a form, calls one careers selector and renders; an htmx request gets only the
results partial (the full page works without JavaScript).
"""
from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_POST
from django_htmx.http import retarget

from careers.models import Occupation
from careers.selectors.explore import (
    ProgrammeQuery, VacancyQuery, career_outlook, careers_for_interests, occupation_search, open_intakes,
    public_vacancies,
    programme_search, vacancy_search,
)
from careers.selectors.programmes import programmes_visible_to, with_programme_detail
from careers.selectors.vacancies import with_vacancy_detail
from web import explored
from web.access import candidate_for
from web.forms import ApplyForm, CareerSearchForm, ProgrammeSearchForm, VacancySearchForm
from web.riasec import ITEMS, TYPES, InterestForm

PAGE_SIZE = 20
INTEREST_CAREERS = 10


def _page(request: HttpRequest, rows) -> object:
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_string(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _search(request: HttpRequest, form, rows, template: str, partial: str, **extra) -> HttpResponse:
    """The page, or for htmx the results only; bad filters answer 400 with the form (htmx: the whole search
    block, so the messages beside the fields show too)."""
    context = {"form": form, "page": _page(request, rows) if rows is not None else None,
               "query_string": _query_string(request), "searched": bool(request.GET), **extra}
    if rows is None:
        if request.htmx:
            return retarget(render(request, partial.replace(".html", "_search.html"), context, status=400),
                            "#search")
        return render(request, template, context, status=400)
    return render(request, partial if request.htmx else template, context)


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"explored": explored.has_anything(request.session)})


# ------------------------------------------------------------------------------------------- jobs
def jobs(request: HttpRequest) -> HttpResponse:
    form = VacancySearchForm(request.GET or None)
    rows = None
    if not request.GET:
        rows = vacancy_search(viewer=request.user, query=VacancyQuery())
    elif form.is_valid():
        d = form.cleaned_data
        rows = vacancy_search(viewer=request.user, query=VacancyQuery(
            words=d["q"], town=d["town"], radius_km=d["radius_km"], contract_kinds=d["contract_kind"],
            hours=d["hours"], min_salary=d["min_salary"], age=d["age"]))
    return _search(request, form, rows, "web/explore/jobs.html", "web/explore/_jobs.html")


def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = get_object_or_404(with_vacancy_detail(public_vacancies(request.user)), pk=pk)
    explored.remember_view(request.session, kind="job", pk=vacancy.pk, title=vacancy.title)
    candidate = candidate_for(request) if request.user.is_authenticated else None
    return render(request, "web/explore/job_detail.html", {
        "vacancy": vacancy, "candidate": candidate, "apply_form": ApplyForm() if candidate else None,
        "applied": candidate is not None and candidate.applications.filter(vacancy=vacancy).exists()})


# ------------------------------------------------------------------------------------------- programmes
def programmes(request: HttpRequest) -> HttpResponse:
    form = ProgrammeSearchForm(request.GET or None)
    rows = None
    if not request.GET:
        rows = programme_search(viewer=request.user, query=ProgrammeQuery())
    elif form.is_valid():
        d = form.cleaned_data
        rows = programme_search(viewer=request.user, query=ProgrammeQuery(
            words=d["q"], institution_id=d["institution"].pk if d["institution"] else None, town=d["town"],
            kind=d["kind"], funding=d["funding"], start_after=d["start_after"], start_before=d["start_before"]))
    return _search(request, form, rows, "web/explore/programmes.html", "web/explore/_programmes.html")


def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(with_programme_detail(programmes_visible_to(user=request.user)), pk=pk)
    explored.remember_view(request.session, kind="programme", pk=programme.pk, title=programme.name_lv)
    candidate = candidate_for(request) if request.user.is_authenticated else None
    applied = set()
    if candidate is not None:
        applied = set(candidate.applications.filter(intake__programme=programme).values_list("intake_id", flat=True))
    return render(request, "web/explore/programme_detail.html", {
        "programme": programme, "intakes": open_intakes(programme), "candidate": candidate, "applied": applied,
        "apply_form": ApplyForm() if candidate else None})


# ------------------------------------------------------------------------------------------- careers
def careers(request: HttpRequest) -> HttpResponse:
    form = CareerSearchForm(request.GET or None)
    rows = occupation_search(words=form.cleaned_data["q"]) if form.is_valid() else (
        occupation_search() if not request.GET else None)
    return _search(request, form, rows, "web/explore/careers.html", "web/explore/_careers.html")


def career_detail(request: HttpRequest, pk: int) -> HttpResponse:
    occupation = get_object_or_404(Occupation, pk=pk)
    explored.remember_view(request.session, kind="career", pk=occupation.pk, title=occupation.label("lv"))
    outlook = career_outlook(viewer=request.user, occupation=occupation)
    return render(request, "web/explore/career_detail.html", {
        "outlook": outlook, "saved": occupation.pk in explored.saved_careers(request.session)})


@require_POST
def career_save(request: HttpRequest, pk: int) -> HttpResponse:
    occupation = get_object_or_404(Occupation, pk=pk)
    saved = explored.toggle_career(request.session, occupation.pk)
    if request.htmx:
        return render(request, "web/explore/_save_career.html", {"occupation": occupation, "saved": saved})
    return redirect("web:career", pk=occupation.pk)


# ------------------------------------------------------------------------------------------- interests
def _town_for_interests(request: HttpRequest):
    candidate = candidate_for(request) if request.user.is_authenticated else None
    return candidate.town if candidate is not None else None


def interests(request: HttpRequest) -> HttpResponse:
    form = InterestForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        explored.set_riasec(request.session, form.riasec())
        return redirect("web:interests")
    scores = explored.riasec(request.session)
    if scores and request.method == "GET":
        results = careers_for_interests(riasec=[scores[f] for f in TYPES], town=_town_for_interests(request),
                                        top_k=INTEREST_CAREERS, language=get_language())
    return render(request, "web/explore/interests.html", {
        "form": form, "results": results, "scores": scores, "types": TYPES, "item_count": len(ITEMS),
        "type_scores": [(TYPES[f], scores[f]) for f in TYPES] if scores else []},
        status=400 if form.errors else 200)


def explored_page(request: HttpRequest) -> HttpResponse:
    saved = list(Occupation.objects.filter(pk__in=explored.saved_careers(request.session)))
    return render(request, "web/explore/explored.html", {
        "saved": saved, "viewed": explored.viewed(request.session), "scores": explored.riasec(request.session)})
