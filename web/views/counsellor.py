"""A career counsellor's pages (journey 4): the caseload, one person's review queue, the printable explanation,
the caseload's outcomes.

Who: a counsellor (role and staff record) or staff; anyone else signed in gets 403, a visitor is sent to sign in.
A person outside the counsellor's caseload is 404 (``careers.selectors.oversight.caseload_of``, the API's rule).
Every state change is a POST with the CSRF token; a decision carries the review version read, so a decision made
meanwhile by another counsellor is shown beside one's own and never overwritten.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from careers.models import CandidateProfile, Review, Role
from careers.selectors.counselling import (
    CaseloadFilter, caseload_dashboard, caseload_outcomes, caseload_person, caseload_schools, hand_pick_programmes,
    hand_pick_vacancies, programme_pickable, reviews_by_key, vacancy_pickable,
)
from careers.selectors.explanations import served_item_explanation
from careers.selectors.roles import is_admin, is_counsellor
from careers.services.counselling import (
    QUEUE_KINDS, ReviewQueue, release_pending, review_decide, review_queue,
)
from careers.services.oversight import ReviewConflict
from web.forms_counsellor import AddItemForm, CaseloadFilterForm, QueueKindForm, ReleaseForm, ReviewForm

PAGE_SIZE = 25
NOT_A_COUNSELLOR = gettext_lazy("These pages are for career counsellors.")
KIND_LABELS = {"jobs": gettext_lazy("Jobs"), "programmes": gettext_lazy("Courses"),
               "pathways": gettext_lazy("Pathways")}


def counsellor_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Visitors sign in first; a signed-in user who is neither a counsellor nor staff gets 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (is_admin(request.user) or (request.user.role == Role.COUNSELLOR and is_counsellor(request.user))):
            raise PermissionDenied(NOT_A_COUNSELLOR)
        return view(request, *args, **kwargs)

    return wrapped


def _person(request: HttpRequest, pk: int) -> CandidateProfile:
    person = caseload_person(user=request.user, pk=pk)
    if person is None:
        raise Http404()
    return person


def dom_id(key: str) -> str:
    return "item-" + key.replace(":", "-").replace("+", "-")


# ------------------------------------------------------------------------------------------- caseload
@counsellor_required
@require_GET
def caseload(request: HttpRequest) -> HttpResponse:
    schools = caseload_schools(user=request.user)
    form = CaseloadFilterForm(request.GET or None, schools=schools)
    rows, status = None, 200
    if not request.GET:
        rows = caseload_dashboard(user=request.user, filters=CaseloadFilter())
    elif form.is_valid():
        d = form.cleaned_data
        rows = caseload_dashboard(user=request.user, filters=CaseloadFilter(
            kind=d["kind"] or None, school=d["school"] or None, pending=form.pending_value()))
    else:
        status = 400
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")) if rows is not None else None
    params = request.GET.copy()
    params.pop("page", None)
    context = {"form": form, "page": page, "query_string": params.urlencode()}
    template = "web/counsellor/_caseload.html" if request.htmx else "web/counsellor/caseload.html"
    return render(request, template, context, status=status)


# ------------------------------------------------------------------------------------------- one person
def _queue_forms(queue: ReviewQueue) -> list[tuple]:
    rows = []
    for q in queue.items:
        initial = {"kind": queue.kind, "item_key": q.key, "version": q.review.version if q.review else 0,
                   "decision": q.review.decision if q.review and q.review.decision != "added" else None,
                   "reason": q.review.reason if q.review else "", "note": q.review.note if q.review else ""}
        rows.append((q, ReviewForm(initial=initial, prefix_id=dom_id(q.key)), dom_id(q.key)))
    return rows


def _person_context(request: HttpRequest, person: CandidateProfile, kind: str, **extra) -> dict:
    queue = review_queue(counsellor=request.user, candidate=person, kind=kind, language=get_language())
    add_form = extra.pop("add_form", None) or AddItemForm(
        vacancies=hand_pick_vacancies(viewer=request.user, candidate=person, language=get_language()),
        programmes=hand_pick_programmes(viewer=request.user, language=get_language()))
    return {"person": person, "kind": kind, "kinds": [(k, KIND_LABELS[k]) for k in QUEUE_KINDS], "queue": queue,
            "rows": _queue_forms(queue), "add_form": add_form, "pending_keys": " ".join(queue.pending_keys),
            **extra}


def _kind_of(request: HttpRequest) -> str:
    form = QueueKindForm(request.GET)
    return (form.cleaned_data["kind"] or "jobs") if form.is_valid() else "jobs"


@counsellor_required
@require_GET
def person(request: HttpRequest, pk: int) -> HttpResponse:
    who = _person(request, pk)
    return render(request, "web/counsellor/person.html", _person_context(request, who, _kind_of(request)))


def _item_row(request: HttpRequest, person: CandidateProfile, kind: str, key: str):
    """The queue row of one item as it stands now (for a swap after a decision)."""
    queue = review_queue(counsellor=request.user, candidate=person, kind=kind, language=get_language())
    return next((row for row in _queue_forms(queue) if row[0].key == key), None)


def _decision_text(decision: str, reason: str) -> str:
    labels = dict(Review.Decision.choices)
    text = str(labels.get(decision, decision))
    return f"{text} ({dict(Review.Reason.choices).get(reason, reason)})" if reason else text


@counsellor_required
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    who = _person(request, pk)
    key = request.POST.get("item_key", "")
    form = ReviewForm(request.POST, prefix_id=dom_id(key))
    kind = request.POST.get("kind") if request.POST.get("kind") in QUEUE_KINDS else "jobs"
    if form.is_valid():
        d = form.cleaned_data
        try:
            review_decide(counsellor=request.user, candidate=who, kind=d["kind"], item_key=d["item_key"],
                          decision=d["decision"], reason=d["reason"], note=d["note"], version=d["version"])
        except ReviewConflict as conflict:
            return _conflict(request, who, form, conflict.current)
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(name if name in form.fields else None, message)
        else:
            messages.success(request, _("Saved: %(decision)s.") % {
                "decision": _decision_text(d["decision"], d["reason"])})
            if request.htmx:
                row = _item_row(request, who, d["kind"], d["item_key"])
                return render(request, "web/counsellor/_item.html", {"row": row, "person": who, "kind": d["kind"],
                                                                     "saved": True})
            return redirect(reverse("web:counsellor_person", args=[who.pk]) + f"?kind={d['kind']}#{dom_id(key)}")
    # Bad input: the item's form with the messages beside its fields (400), the rest of the page as it is.
    if request.htmx:
        row = _item_row(request, who, kind, key)
        if row is None:
            return render(request, "web/counsellor/_gone.html", {"person": who, "kind": kind}, status=400)
        return render(request, "web/counsellor/_item.html", {"row": (row[0], form, row[2]), "person": who,
                                                             "kind": kind}, status=400)
    context = _person_context(request, who, kind)
    context["rows"] = [(q, form if q.key == key else f, i) for q, f, i in context["rows"]]
    context["invalid_form"] = form
    return render(request, "web/counsellor/person.html", context, status=400)


def _conflict(request: HttpRequest, who: CandidateProfile, form: ReviewForm, current: Review | None) -> HttpResponse:
    """409: someone decided this item since the page was read. Both versions side by side; the counsellor picks."""
    d = form.cleaned_data
    row = _item_row(request, who, d["kind"], d["item_key"])
    context = {"person": who, "kind": d["kind"], "mine": d, "q": row[0] if row else None, "mine_text": _decision_text(d["decision"], d["reason"]),
               "current": current, "dom_id": dom_id(d["item_key"]),
               "current_text": _decision_text(current.decision, current.reason) if current else "",
               "retry_version": current.version if current else 0}
    template = "web/counsellor/_conflict.html" if request.htmx else "web/counsellor/conflict.html"
    return render(request, template, context, status=409)


@counsellor_required
@require_POST
def add_item(request: HttpRequest, pk: int) -> HttpResponse:
    who = _person(request, pk)
    language = get_language()
    form = AddItemForm(request.POST, vacancies=hand_pick_vacancies(viewer=request.user, candidate=who,
                                                                   language=language),
                       programmes=hand_pick_programmes(viewer=request.user, language=language))
    if form.is_valid():
        d = form.cleaned_data
        kind, key = (("jobs", f"vacancy:{d['vacancy']}") if d["vacancy"] else
                     ("programmes", f"programme:{d['programme']}"))
        pickable = (vacancy_pickable(viewer=request.user, pk=d["vacancy"]) if d["vacancy"] else
                    programme_pickable(viewer=request.user, pk=d["programme"]))
        current = reviews_by_key(candidate=who, kind=kind).get(key)
        if not pickable:
            form.add_error("vacancy" if d["vacancy"] else "programme", _("This item cannot be added."))
        else:
            try:
                review_decide(counsellor=request.user, candidate=who, kind=kind, item_key=key,
                              decision=Review.Decision.ADDED, reason="", note=d["note"],
                              version=current.version if current else None)
            except (ReviewConflict, ValidationError):
                form.add_error(None, _("Someone changed this item just now; look at it in the list and try again."))
            else:
                messages.success(request, _("Added; the person sees it now."))
                return redirect(reverse("web:counsellor_person", args=[who.pk]) + f"?kind={kind}#{dom_id(key)}")
    return render(request, "web/counsellor/person.html", _person_context(request, who, "jobs", add_form=form),
                  status=400)


@counsellor_required
@require_POST
def release(request: HttpRequest, pk: int) -> HttpResponse:
    who = _person(request, pk)
    form = ReleaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was released: the list was not understood. Please try again."))
        return redirect(reverse("web:counsellor_person", args=[who.pk]))
    kind = form.cleaned_data["kind"]
    result = release_pending(counsellor=request.user, candidate=who, kind=kind, item_keys=form.cleaned_data["key_list"])
    messages.success(request, _("Released to the person: %(n)d items approved.") % {"n": len(result.released)})
    if result.skipped:
        messages.warning(request, _("%(n)d items were decided by someone else meanwhile and kept as they decided.")
                         % {"n": len(result.skipped)})
    return redirect(reverse("web:counsellor_person", args=[who.pk]) + f"?kind={kind}")


# ------------------------------------------------------------------------------------------- print, outcomes
@counsellor_required
@require_GET
def printable(request: HttpRequest, pk: int) -> HttpResponse:
    """One page to hand to the person: what is released to them, each item with why, in plain words."""
    who = _person(request, pk)
    language = get_language()
    sections = []
    for kind in QUEUE_KINDS:
        queue = review_queue(counsellor=request.user, candidate=who, kind=kind, language=language)
        released = [q for q in queue.items if q.review and q.review.decision in ("approved", "added")]
        explained = []
        for q in released:
            why = served_item_explanation(viewer=request.user, candidate=who, kind=kind, item_key=q.key,
                                          language=language)
            explained.append((q, why.sentences[1:] if why else []))  # the rank sentence is for counsellors
        sections.append({"kind": kind, "label": KIND_LABELS[kind], "items": explained})
    return render(request, "web/counsellor/print.html", {"person": who, "sections": sections,
                                                         "today": timezone.localdate()})


@counsellor_required
@require_GET
def outcomes(request: HttpRequest) -> HttpResponse:
    return render(request, "web/counsellor/outcomes.html", {"outcomes": caseload_outcomes(user=request.user)})


