"""A candidate's own pages: skills and profile (onboarding), recommendations, what-if, applying, applications.

Every view is ``candidate_required`` (the signed-in candidate acts on their own profile only, like the API's own
endpoints) and calls the same careers use cases as the API: the lists are served and audit-logged by
``careers.services``, a supervised candidate sees only what their counsellor released.
"""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import retarget

from careers.models import Application, CandidateProfile, Skill
from careers.results import NO_CONSENT, NOT_RELEASED, counsellor_name
from careers.selectors.accounts import account_overview
from careers.selectors.applications import applications_visible_to, with_application_detail
from careers.selectors.explore import public_vacancies, what_if_choices
from careers.selectors.learning_paths import WhatIfInputStale, candidate_what_if
from careers.selectors.programmes import intakes_visible_to
from careers.selectors.recommendations import suggestions_in_text
from careers.services.accounts import ProfileChanges, account_update
from careers.services.applications import Side, allowed_transitions, application_create, application_transition
from careers.services.learning_paths import (
    candidate_career_recommendations, candidate_pathway_recommendations, candidate_programme_recommendations,
)
from careers.services.recommendations import candidate_job_recommendations
from web.access import candidate_required
from web.forms import PROFICIENCY_CHOICES, ApplyForm, ProfileForm, SkillTextForm, WhatIfForm
from web.highlight import marked_segments

TOP_JOBS = 10
TOP_PROGRAMMES = 10
TOP_CAREERS = 10
TOP_PATHWAYS = 5
SUGGESTED_SKILLS = 15
DEFAULT_PROFICIENCY = 2
LISTS = {"jobs": (candidate_job_recommendations, TOP_JOBS, "web/me/jobs.html"),
         "programmes": (candidate_programme_recommendations, TOP_PROGRAMMES, "web/me/programmes.html"),
         "careers": (candidate_career_recommendations, TOP_CAREERS, "web/me/careers.html"),
         "pathways": (candidate_pathway_recommendations, TOP_PATHWAYS, "web/me/pathways.html")}


@candidate_required
def dashboard(request: HttpRequest, candidate: CandidateProfile) -> HttpResponse:
    overview = account_overview(user=request.user)
    return render(request, "web/me/dashboard.html", {"candidate": overview.candidate,
                                                     "skills": overview.candidate.skill_links.all()})


def _recommendations(request: HttpRequest, candidate: CandidateProfile, kind: str) -> HttpResponse:
    use_case, top_k, template = LISTS[kind]
    served = use_case(viewer=request.user, candidate=candidate, top_k=top_k, language=get_language())
    return render(request, template, {"candidate": candidate, "list": served, "kind": kind,
                                      "not_released": served.reason == NOT_RELEASED,
                                      "no_consent": served.reason == NO_CONSENT,
                                      "counsellor_name": counsellor_name(candidate) if candidate.is_supervised
                                      else None})


@candidate_required
def my_jobs(request: HttpRequest, candidate: CandidateProfile) -> HttpResponse:
    return _recommendations(request, candidate, "jobs")


@candidate_required
def my_programmes(request: HttpRequest, candidate: CandidateProfile) -> HttpResponse:
    return _recommendations(request, candidate, "programmes")


@candidate_required
def my_careers(request: HttpRequest, candidate: CandidateProfile) -> HttpResponse:
    return _recommendations(request, candidate, "careers")


@candidate_required
def my_pathways(request: HttpRequest, candidate: CandidateProfile) -> HttpResponse:
    return _recommendations(request, candidate, "pathways")


# ------------------------------------------------------------------------------------------- what-if
@candidate_required
def what_if(request: HttpRequest, candidate: CandidateProfile) -> HttpResponse:
    programmes, skills = what_if_choices(candidate=candidate, language=get_language())
    form = WhatIfForm(request.GET or None, programmes=programmes, skills=skills)
    answer = None
    if request.GET and form.is_valid():
        skill = form.cleaned_data["skill"]
        try:
            answer = candidate_what_if(viewer=request.user, candidate=candidate,
                                       skill_ids=[int(skill)] if skill else (),
                                       programme_id=form.cleaned_data["programme"], top_k=TOP_JOBS,
                                       language=get_language(), languages=form.languages())
        except WhatIfInputStale as exc:
            form.add_error("skill" if skill else "programme", str(exc))
    context = {"form": form, "answer": answer, "not_released": answer is not None and answer.reason == NOT_RELEASED}
    if form.errors:
        if request.htmx:
            return retarget(render(request, "web/me/_what_if_form.html", context, status=400), "#what-if")
        return render(request, "web/me/what_if.html", context, status=400)
    return render(request, "web/me/_what_if.html" if request.htmx else "web/me/what_if.html", context)


# ------------------------------------------------------------------------------------------- skills
def _current_skills(candidate: CandidateProfile) -> list[dict]:
    language = get_language()
    return [{"uri": link.skill.uri, "label": link.skill.label(language), "level": link.proficiency, "keep": True}
            for link in candidate.skill_links.select_related("skill").order_by("skill__label_en")]


def _suggestions(text: str, current: list[dict]) -> tuple[list[dict], list, object]:
    """Skills held to confirm, the marked text, and what the text says the person wants to learn."""
    said = suggestions_in_text(text=text, top_k=SUGGESTED_SKILLS, language=get_language())
    held = {s["uri"] for s in current}
    new = [{"uri": s.uri, "label": s.label, "level": DEFAULT_PROFICIENCY, "keep": True, "words": s.span["text"]}
           for s in said.skills if s.uri not in held]
    return new, marked_segments(text, [s.span for s in said.skills]), said


def _chosen_skills(post) -> tuple[list[tuple[Skill, int]], list[str]]:
    """The kept skills and their levels from the confirmation form; unknown skills or levels are errors."""
    kept = post.getlist("keep")
    known = Skill.objects.filter(uri__in=kept).in_bulk(field_name="uri")
    levels = {str(value) for value, _label in PROFICIENCY_CHOICES}
    chosen, errors = [], []
    for uri in dict.fromkeys(kept):
        level = post.get(f"level:{uri}", str(DEFAULT_PROFICIENCY))
        if uri not in known or level not in levels:
            errors.append(uri)
            continue
        chosen.append((known[uri], int(level)))
    return chosen, errors


@candidate_required
def skills(request: HttpRequest, candidate: CandidateProfile) -> HttpResponse:
    current = _current_skills(candidate)
    text_form, suggested, segments, invalid, said = SkillTextForm(), [], [], False, None
    if request.method == "POST" and request.POST.get("action") == "suggest":
        text_form = SkillTextForm(request.POST)
        if text_form.is_valid():
            suggested, segments, said = _suggestions(text_form.cleaned_data["text"], current)
    elif request.method == "POST":
        chosen, errors = _chosen_skills(request.POST)
        if not errors:
            account_update(user=request.user, user_fields={}, profile_changes=ProfileChanges(skills=chosen))
            messages.success(request, _("Your skills are saved: %(n)d.") % {"n": len(chosen)})
            return redirect("web:skills")
        messages.error(request, _("Some skills could not be saved; please choose again."))
        invalid = True
    context = {"candidate": candidate, "text_form": text_form, "current": current, "suggested": suggested,
               "segments": segments, "levels": PROFICIENCY_CHOICES, "said": said}
    # htmx swaps #skills-page out of this same page (hx-select), so errors and suggestions render alike.
    return render(request, "web/me/skills.html", context, status=400 if text_form.errors or invalid else 200)


# ------------------------------------------------------------------------------------------- profile
def _profile_initial(candidate: CandidateProfile) -> dict:
    initial = {name: getattr(candidate, name) for name in (
        "town", "max_commute_km", "willing_to_relocate", "employment_status", "highest_education",
        "available_hours", "available_from", "consent_discoverable")}
    initial.update({f"lang_{link.language}": link.level for link in candidate.languages.all()})
    return initial


def _profile_changes(form: ProfileForm) -> ProfileChanges:
    data = form.cleaned_data
    fields = {name: data[name] for name in ("town", "max_commute_km", "willing_to_relocate", "employment_status",
                                            "highest_education", "available_hours", "available_from")}
    return ProfileChanges(fields=fields, languages=form.languages(),
                          consents={"discoverable": data["consent_discoverable"]})


@candidate_required
def profile(request: HttpRequest, candidate: CandidateProfile) -> HttpResponse:
    form = ProfileForm(request.POST or None, initial=_profile_initial(candidate))
    if request.method == "POST" and form.is_valid():
        try:
            account_update(user=request.user, user_fields={}, profile_changes=_profile_changes(form))
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(name if name in form.fields else None, message)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("web:me")
    return render(request, "web/me/profile.html", {"form": form, "candidate": candidate},
                  status=400 if form.errors else 200)


# ------------------------------------------------------------------------------------------- applying
def _apply(request: HttpRequest, candidate: CandidateProfile, *, vacancy_id=None, intake_id=None):
    form = ApplyForm(request.POST)
    if form.is_valid():
        try:
            application_create(candidate=candidate, vacancy_id=vacancy_id, intake_id=intake_id,
                               message=form.cleaned_data["message"])
        except ValidationError as error:
            for message in [m for errors in error.message_dict.values() for m in errors]:
                form.add_error("message", message)
    return form


@candidate_required
@require_POST
def apply_job(request: HttpRequest, candidate: CandidateProfile, pk: int) -> HttpResponse:
    vacancy = get_object_or_404(public_vacancies(request.user), pk=pk)
    form = _apply(request, candidate, vacancy_id=vacancy.pk)
    if form.is_valid() and not form.errors:
        messages.success(request, _("You applied to “%(title)s”.") % {"title": vacancy.title})
        return redirect("web:applications")
    return render(request, "web/me/apply.html", {"form": form, "target": vacancy.title,
                                                 "action": request.path}, status=400)


@candidate_required
@require_POST
def apply_intake(request: HttpRequest, candidate: CandidateProfile, pk: int) -> HttpResponse:
    intake = get_object_or_404(intakes_visible_to(user=request.user).select_related("programme"), pk=pk)
    form = _apply(request, candidate, intake_id=intake.pk)
    title = intake.programme.name_en if get_language() == "en" else intake.programme.name_lv
    if form.is_valid() and not form.errors:
        messages.success(request, _("You applied to “%(title)s”.") % {"title": title})
        return redirect("web:applications")
    return render(request, "web/me/apply.html", {"form": form, "target": title, "action": request.path},
                  status=400)


@candidate_required
def applications(request: HttpRequest, candidate: CandidateProfile) -> HttpResponse:
    rows = with_application_detail(applications_visible_to(user=request.user)).order_by("-created_at")
    items = [(a, Application.Status.WITHDRAWN in allowed_transitions(application=a, side=Side.CANDIDATE))
             for a in rows]
    return render(request, "web/me/applications.html", {"items": items})


@candidate_required
@require_POST
def application_withdraw(request: HttpRequest, candidate: CandidateProfile, pk: int) -> HttpResponse:
    application = get_object_or_404(applications_visible_to(user=request.user), pk=pk)
    try:
        application_transition(application=application, status=Application.Status.WITHDRAWN, side=Side.CANDIDATE)
    except ValidationError:
        messages.error(request, _("This application can no longer be withdrawn."))
    else:
        messages.success(request, _("The application is withdrawn."))
    return redirect("web:applications")
