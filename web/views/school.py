"""School staff's pages (provider role, journey 5): their institution's programmes and intakes (create, edit,
close), spreadsheet upload of programmes and intakes (check, report by row, commit), and the demand for the skills
their programmes teach.

Every view is ``provider_required`` and reads through ``programmes_managed_by`` / ``intakes_managed_by``: another
institution's programme or intake is 404, as in the API.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from careers.models import Institution, Intake, Programme
from careers.selectors import institution_of, intakes_managed_by, programmes_managed_by
from careers.selectors.market import MarketScope, skill_demand_supply
from careers.services.programmes import intake_close, intake_create, intake_update, programme_create, programme_update
from web.forms_school import DemandForm, IntakeForm, ProgrammeForm
from web.views import uploads

NOT_PROVIDER_STAFF = gettext_lazy("These pages are for the staff of schools and course providers.")
UPLOAD_KINDS = ("programmes", "intakes")
DEMAND_ROWS = 30


def provider_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous visitors sign in; a user who is not staff of an institution gets 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        institution = institution_of(request.user)
        if institution is None:
            raise PermissionDenied(NOT_PROVIDER_STAFF)
        return view(request, institution, *args, **kwargs)

    return wrapped


def _errors_to_form(form, error: ValidationError) -> None:
    for name, errors in error.message_dict.items():
        for message in errors:
            form.add_error(name if name in form.fields else None, message)


@provider_required
@require_GET
def institution_page(request: HttpRequest, institution: Institution) -> HttpResponse:
    programmes = (programmes_managed_by(user=request.user).prefetch_related("intakes")
                  .order_by("-is_active", "name_lv"))
    return render(request, "web/school/institution.html", {"institution": institution, "programmes": programmes})


# ------------------------------------------------------------------------------------------- programmes
def _programme_initial(programme: Programme) -> dict:
    names = ("name_lv", "name_en", "description_lv", "description_en", "kind", "eqf_level", "duration_months",
             "languages", "mode", "cost_eur", "cost_period", "state_funded_places", "voucher_eligible",
             "adult_learning_cofinanced", "min_education")
    initial = {name: getattr(programme, name) for name in names}
    initial["skills_taught"] = "; ".join(s.uri for s in programme.skills_taught.all())
    return initial


def _programme_page(request: HttpRequest, institution: Institution, programme: Programme | None) -> HttpResponse:
    form = ProgrammeForm(request.POST or None, initial=_programme_initial(programme) if programme else None)
    if request.method == "POST" and form.is_valid():
        try:
            if programme is None:
                saved = programme_create(institution=institution, fields=form.programme_fields(),
                                         skills_taught=form.cleaned_data["skills_taught"])
            else:
                saved = programme_update(programme=programme, fields=form.programme_fields(),
                                         skills_taught=form.cleaned_data["skills_taught"])
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The programme is saved."))
            return redirect(reverse("web:school") + f"#programme-{saved.pk}")
    return render(request, "web/school/programme_form.html", {"form": form, "programme": programme,
                                                              "institution": institution},
                  status=400 if form.errors else 200)


@provider_required
def programme_new(request: HttpRequest, institution: Institution) -> HttpResponse:
    return _programme_page(request, institution, None)


@provider_required
def programme_edit(request: HttpRequest, institution: Institution, pk: int) -> HttpResponse:
    return _programme_page(request, institution, get_object_or_404(programmes_managed_by(user=request.user), pk=pk))


@provider_required
@require_POST
def programme_active(request: HttpRequest, institution: Institution, pk: int) -> HttpResponse:
    """Close a programme (no longer offered: it leaves searches and recommendations) or open it again."""
    programme = get_object_or_404(programmes_managed_by(user=request.user), pk=pk)
    active = request.POST.get("active") == "1"
    programme_update(programme=programme, fields={"is_active": active})
    messages.success(request, _("The programme is open again.") if active else _("The programme is closed."))
    return redirect(reverse("web:school") + f"#programme-{programme.pk}")


# ------------------------------------------------------------------------------------------- intakes
def _intake_page(request: HttpRequest, programme: Programme, intake: Intake | None) -> HttpResponse:
    initial = None
    if intake is not None:
        initial = {name: getattr(intake, name) for name in ("start_date", "application_deadline", "seats",
                                                            "funded_seats")}
    form = IntakeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if intake is None:
                intake_create(programme=programme, fields=form.cleaned_data)
            else:
                intake_update(intake=intake, fields=form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The intake is saved."))
            return redirect(reverse("web:school") + f"#programme-{programme.pk}")
    return render(request, "web/school/intake_form.html", {"form": form, "programme": programme, "intake": intake},
                  status=400 if form.errors else 200)


@provider_required
def intake_new(request: HttpRequest, institution: Institution, pk: int) -> HttpResponse:
    return _intake_page(request, get_object_or_404(programmes_managed_by(user=request.user), pk=pk), None)


@provider_required
def intake_edit(request: HttpRequest, institution: Institution, pk: int) -> HttpResponse:
    intake = get_object_or_404(intakes_managed_by(user=request.user).select_related("programme"), pk=pk)
    return _intake_page(request, intake.programme, intake)


@provider_required
@require_POST
def intake_close_view(request: HttpRequest, institution: Institution, pk: int) -> HttpResponse:
    intake = get_object_or_404(intakes_managed_by(user=request.user), pk=pk)
    try:
        intake_close(intake=intake)
    except ValidationError as error:
        for message in [m for errors in error.message_dict.values() for m in errors]:
            messages.error(request, message)
    else:
        messages.success(request, _("Applications to the intake are closed."))
    return redirect(reverse("web:school") + f"#programme-{intake.programme_id}")


# ------------------------------------------------------------------------------------------- upload, demand
def _kind(kind: str) -> str:
    if kind not in UPLOAD_KINDS:
        raise Http404
    return kind


@provider_required
def upload(request: HttpRequest, institution: Institution, kind: str) -> HttpResponse:
    # Intakes name their programme among those the uploader manages (careers.services.spreadsheets.ProgrammeRefs).
    return uploads.upload(request, kind=_kind(kind), owner=institution, template="web/school/upload.html",
                          context={"institution": institution}, done_url=reverse("web:school"))


@provider_required
@require_GET
def upload_template(request: HttpRequest, institution: Institution, kind: str) -> HttpResponse:
    return uploads.template_download(_kind(kind))


@provider_required
@require_GET
def demand(request: HttpRequest, institution: Institution) -> HttpResponse:
    form = DemandForm(request.GET or None)
    area = form.cleaned_data.get("area") if form.is_valid() else ""
    report = None
    if not form.errors:
        report = skill_demand_supply(viewer=request.user, scope=MarketScope(area=area or "all"),
                                     language=get_language())
    rows = report["rows"][:DEMAND_ROWS] if report else []
    return render(request, "web/school/demand.html", {"institution": institution, "form": form, "rows": rows,
                                                      "report": report}, status=400 if form.errors else 200)
