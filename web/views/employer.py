"""An employer member's pages (journey 3): the organisation, posting a vacancy in one's own words with the
suggested occupation and skills, preview and publish, ranked candidates, the applicants' pipeline, the programmes
that teach what its vacancies miss, and a spreadsheet upload of vacancies.

Every view is ``employer_required`` and reads the user's own vacancies through ``vacancies_managed_by`` and
applications through ``applications_managed_by``: another employer's vacancy or application is 404, as in the API.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from careers.models import Application, Employer, Occupation, Skill, Vacancy
from careers.results import VACANCY_NOT_PUBLIC
from careers.selectors import applications_managed_by, employers_of, vacancies_managed_by, with_application_detail
from careers.selectors.candidates import CandidateAccess
from careers.selectors.market import employer_missing_skills
from careers.selectors.posting import skills_search, vacancy_posting_suggestions
from careers.selectors.recommendations import vacancy_candidate_recommendations
from careers.selectors.vacancies import with_vacancy_detail
from careers.services.applications import Side, allowed_transitions, application_decide
from careers.services.vacancies import MSG_UNVERIFIED, vacancy_create, vacancy_set_status, vacancy_update
from web.forms_employer import MOVES, ApplicantMoveForm, VacancyForm
from web.views import uploads

NOT_AN_EMPLOYER = gettext_lazy("These pages are for employers' staff.")
TOP_CANDIDATES = 20
MISSING_SKILLS = 10
PIPELINE = (("new", gettext_lazy("New"), (Application.Status.SUBMITTED, Application.Status.VIEWED)),
            ("shortlisted", gettext_lazy("Shortlisted"), (Application.Status.SHORTLISTED,)),
            ("rejected", gettext_lazy("Rejected"), (Application.Status.REJECTED,)),
            ("hired", gettext_lazy("Hired"), (Application.Status.HIRED,)))


def employer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous visitors sign in; a user who is not a member of an employer gets 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        employer = employers_of(request.user).select_related("town").first()
        if employer is None:
            raise PermissionDenied(NOT_AN_EMPLOYER)
        return view(request, employer, *args, **kwargs)

    return wrapped


def _own_vacancy(request: HttpRequest, pk: int) -> Vacancy:
    return get_object_or_404(with_vacancy_detail(vacancies_managed_by(user=request.user)), pk=pk)


# ------------------------------------------------------------------------------------------- organisation
@employer_required
def organisation(request: HttpRequest, employer: Employer) -> HttpResponse:
    vacancies = vacancies_managed_by(user=request.user).select_related("town").order_by("status", "-updated_at")
    return render(request, "web/employer/organisation.html", {
        "employer": employer, "vacancies": vacancies, "unverified_message": MSG_UNVERIFIED})


# ------------------------------------------------------------------------------------------- posting
def _skill_state(post, found) -> list[dict]:
    """The skills table: those already shown keep the employer's choice (kept or removed); new ones come ticked."""
    seen = post.getlist("seen") if post else []
    kept = set(post.getlist("skill")) if post else set()
    rows, uris = [], []
    for uri in dict.fromkeys(seen + list(kept)):
        uris.append(uri)
        rows.append({"uri": uri, "keep": uri in kept, "essential": post.get(f"essential:{uri}", "1") == "1",
                     "words": post.get(f"words:{uri}", "")})
    for s in found:
        if s.uri not in uris:
            uris.append(s.uri)
            rows.append({"uri": s.uri, "keep": True, "essential": s.essential, "words": s.words, "new": True})
    labels = {s.uri: s for s in Skill.objects.filter(uri__in=uris)}
    language = get_language()
    return [{**row, "label": labels[row["uri"]].label(language)} for row in rows if row["uri"] in labels]


def _chosen_skills(post) -> list[tuple[Skill, bool]]:
    kept = list(dict.fromkeys(post.getlist("skill")))
    known = Skill.objects.filter(uri__in=kept).in_bulk(field_name="uri")
    return [(known[uri], post.get(f"essential:{uri}", "1") == "1") for uri in kept if uri in known]


def _suggestion_context(request: HttpRequest, form: VacancyForm) -> dict:
    post = request.POST if request.method == "POST" else None
    title = (post or {}).get("title", "")[:200]
    description = (post or {}).get("description", "")[:10_000]
    suggestions = vacancy_posting_suggestions(title=title, description=description, language=get_language()) \
        if (title.strip() or description.strip()) and (post is None or post.get("action") != "save") else None
    occupation = suggestions.occupation if suggestions else None
    chosen_uri = (post or {}).get("occupation", "")
    if suggestions is None and chosen_uri:
        chosen = Occupation.objects.filter(uri=chosen_uri).first()
        occupation = chosen and {"id": chosen.pk, "uri": chosen.uri, "label": chosen.label(get_language())}
    query = (post or {}).get("skill_q", "").strip()[:100]
    return {"form": form, "occupation": occupation, "occupation_kept": bool(chosen_uri) or suggestions is not None,
            "skills": _skill_state(post, suggestions.skills if suggestions else ()),
            "search_query": query,
            "search_results": [{"uri": s.uri, "label": s.label(get_language())} for s in skills_search(query=query)],
            "language": get_language()}


def _vacancy_initial(vacancy: Vacancy) -> dict:
    names = ("title", "description", "text_language", "town", "work_arrangement", "contract_kind", "hours",
             "salary_min", "salary_max", "min_education", "min_age", "places", "expires_at")
    initial = {name: getattr(vacancy, name) for name in names}
    initial["occupation"] = vacancy.occupation.uri if vacancy.occupation else ""
    initial.update({f"lang_{link.language}": link.level for link in vacancy.languages.all()})
    return initial


def _edit_skills(vacancy: Vacancy) -> list[dict]:
    language = get_language()
    return [{"uri": link.skill.uri, "label": link.skill.label(language), "keep": True, "essential": link.essential,
             "words": ""} for link in vacancy.skill_links.all()]


def _save(request: HttpRequest, employer: Employer, form: VacancyForm, vacancy: Vacancy | None) -> Vacancy | None:
    skills, languages = _chosen_skills(request.POST), form.languages()
    try:
        if vacancy is None:
            return vacancy_create(employer=employer, fields=form.vacancy_fields(), skills=skills, languages=languages)
        return vacancy_update(vacancy=vacancy, fields=form.vacancy_fields(), skills=skills, languages=languages)
    except ValidationError as error:
        for name, errors in error.message_dict.items():
            for message in errors:
                form.add_error(name if name in form.fields else None, message)
    return None


def _posting(request: HttpRequest, employer: Employer, vacancy: Vacancy | None) -> HttpResponse:
    initial = _vacancy_initial(vacancy) if vacancy else {"town": employer.town_id}
    form = VacancyForm(request.POST or None, initial=initial)
    if request.method == "POST" and request.POST.get("action", "save") == "save" and form.is_valid():
        saved = _save(request, employer, form, vacancy)
        if saved is not None:
            messages.success(request, _("The vacancy is saved as a draft. Check it, then publish."))
            return redirect("web:employer_vacancy", pk=saved.pk)
    context = _suggestion_context(request, form)
    if vacancy is not None and request.method != "POST":
        context["skills"] = _edit_skills(vacancy)
        context["occupation"] = vacancy.occupation and {"id": vacancy.occupation.pk, "uri": vacancy.occupation.uri,
                                                        "label": vacancy.occupation.label(get_language())}
        context["occupation_kept"] = vacancy.occupation is not None
    context.update({"employer": employer, "vacancy": vacancy,
                    "action": request.path})
    bad = request.method == "POST" and request.POST.get("action", "save") == "save" and form.errors
    return render(request, "web/employer/vacancy_form.html", context, status=400 if bad else 200)


@employer_required
def vacancy_new(request: HttpRequest, employer: Employer) -> HttpResponse:
    return _posting(request, employer, None)


@employer_required
def vacancy_edit(request: HttpRequest, employer: Employer, pk: int) -> HttpResponse:
    vacancy = _own_vacancy(request, pk)
    if vacancy.status == Vacancy.Status.CLOSED:
        messages.error(request, _("A closed vacancy cannot be edited."))
        return redirect("web:employer_vacancy", pk=pk)
    return _posting(request, employer, vacancy)


@employer_required
@require_POST
def suggestions(request: HttpRequest, employer: Employer) -> HttpResponse:
    """The htmx partial: proposed occupation and skills for the text typed so far, plus the skill search."""
    return render(request, "web/employer/_suggestions.html", _suggestion_context(request, VacancyForm(request.POST)))


# ------------------------------------------------------------------------------------------- one vacancy
@employer_required
@require_GET
def vacancy_detail(request: HttpRequest, employer: Employer, pk: int) -> HttpResponse:
    vacancy = _own_vacancy(request, pk)
    return render(request, "web/employer/vacancy.html", {
        "employer": employer, "vacancy": vacancy, "unverified_message": MSG_UNVERIFIED,
        "can_publish": vacancy.status == Vacancy.Status.DRAFT and employer.verified})


@employer_required
@require_POST
def vacancy_status(request: HttpRequest, employer: Employer, pk: int) -> HttpResponse:
    vacancy = _own_vacancy(request, pk)
    target = request.POST.get("status", "")
    if target not in (Vacancy.Status.OPEN, Vacancy.Status.CLOSED):
        messages.error(request, _("Choose publish or close."))
        return redirect("web:employer_vacancy", pk=pk)
    try:
        vacancy_set_status(vacancy=vacancy, status=target)
    except ValidationError as error:
        for message in [m for errors in error.message_dict.values() for m in errors]:
            messages.error(request, message)
    else:
        messages.success(request, _("The vacancy is published.") if target == Vacancy.Status.OPEN
                         else _("The vacancy is closed."))
    return redirect("web:employer_vacancy", pk=pk)


@employer_required
@require_GET
def candidates(request: HttpRequest, employer: Employer, pk: int) -> HttpResponse:
    vacancy = _own_vacancy(request, pk)
    served = vacancy_candidate_recommendations(viewer=request.user, vacancy=vacancy, top_k=TOP_CANDIDATES,
                                               language=get_language())
    return render(request, "web/employer/candidates.html", {
        "vacancy": vacancy, "list": served, "not_public": served.reason == VACANCY_NOT_PUBLIC,
        "applicant": CandidateAccess.APPLICANT})


# ------------------------------------------------------------------------------------------- applicants
def _pipeline(request: HttpRequest, vacancy: Vacancy, forms: dict | None = None) -> list[dict]:
    rows = with_application_detail(applications_managed_by(user=request.user).filter(vacancy=vacancy))
    forms = forms or {}
    columns = []
    for key, label, statuses in PIPELINE:
        cards = []
        for a in rows:
            if a.status in statuses:
                moves = [s for s in allowed_transitions(application=a, side=Side.OWNER) if s in MOVES]
                if a.status == Application.Status.SUBMITTED:
                    moves = [Application.Status.SHORTLISTED, Application.Status.REJECTED]
                form = forms.get(a.pk) or ApplicantMoveForm(auto_id=f"a{a.pk}_%s")
                form.fields["status"].choices = [(s, MOVES[s]) for s in moves]
                cards.append({"application": a, "moves": moves, "form": form})
        columns.append({"key": key, "label": label, "cards": cards})
    return columns


@employer_required
@require_GET
def applicants(request: HttpRequest, employer: Employer, pk: int) -> HttpResponse:
    vacancy = _own_vacancy(request, pk)
    return render(request, "web/employer/applicants.html", {"vacancy": vacancy,
                                                            "columns": _pipeline(request, vacancy)})


@employer_required
@require_POST
def applicant_move(request: HttpRequest, employer: Employer, pk: int) -> HttpResponse:
    application = get_object_or_404(applications_managed_by(user=request.user).filter(vacancy__isnull=False)
                                    .select_related("vacancy"), pk=pk)
    form = ApplicantMoveForm(request.POST, auto_id=f"a{application.pk}_%s")
    if form.is_valid():
        try:
            application_decide(application=application, status=form.cleaned_data["status"], side=Side.OWNER,
                               reason=form.cleaned_data["reason"], note=form.cleaned_data["note"])
        except ValidationError as error:
            for message in error.message_dict.get("status", []) + error.message_dict.get("rejection_reason", []):
                form.add_error("status", message)
        else:
            messages.success(request, _("The application is moved: %(status)s.") % {
                "status": Application.Status(form.cleaned_data["status"]).label})
            return redirect("web:employer_applicants", pk=application.vacancy_id)
    vacancy = _own_vacancy(request, application.vacancy_id)
    return render(request, "web/employer/applicants.html", {
        "vacancy": vacancy, "columns": _pipeline(request, vacancy, {application.pk: form}), "failed": form},
        status=400)


# ------------------------------------------------------------------------------------------- insight, upload
@employer_required
@require_GET
def missing_skills(request: HttpRequest, employer: Employer) -> HttpResponse:
    report = employer_missing_skills(employer=employer, language=get_language(), top=MISSING_SKILLS)
    return render(request, "web/employer/missing_skills.html", {"employer": employer, "report": report})


@employer_required
def upload(request: HttpRequest, employer: Employer) -> HttpResponse:
    return uploads.upload(request, kind="vacancies", owner=employer, template="web/employer/upload.html",
                          context={"employer": employer}, done_url=reverse("web:employer"))


@employer_required
@require_GET
def upload_template(request: HttpRequest, employer: Employer) -> HttpResponse:
    return uploads.template_download("vacancies")
