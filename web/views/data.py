"""My data (journey 6): download everything held, withdraw consent to be found, delete the account.

Each page says what will happen before the button that does it; deleting needs a typed confirmation. The same
use cases as the API's /me/export/ and DELETE /me/ (``careers.selectors.accounts``, ``careers.services.accounts``).
"""
from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from careers.selectors.accounts import account_export
from careers.services.accounts import ProfileChanges, account_can_self_erase, account_erase, account_update
from web.access import candidate_for
from web.forms import DeleteAccountForm


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    return render(request, "web/me/data.html", {
        "candidate": candidate_for(request), "can_erase": account_can_self_erase(user=request.user),
        "delete_form": DeleteAccountForm()})


@login_required
def export(request: HttpRequest) -> HttpResponse:
    body = json.dumps(account_export(user=request.user), ensure_ascii=False, indent=2, default=str)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def withdraw_consent(request: HttpRequest) -> HttpResponse:
    if candidate_for(request) is None:
        raise PermissionDenied
    account_update(user=request.user, user_fields={},
                   profile_changes=ProfileChanges(consents={"discoverable": False}))
    messages.success(request, _("Employers can no longer find your profile."))
    return redirect("web:my_data")


@login_required
@require_POST
def delete_account(request: HttpRequest) -> HttpResponse:
    if not account_can_self_erase(user=request.user):
        raise PermissionDenied(_("Accounts created by staff are closed by an administrator."))
    form = DeleteAccountForm(request.POST)
    if not form.is_valid():
        return render(request, "web/me/data.html", {
            "candidate": candidate_for(request), "can_erase": True, "delete_form": form}, status=400)
    account_erase(user=request.user)
    logout(request)
    messages.success(request, _("Your account is deleted. Your personal data is gone; anonymous statistics stay."))
    return redirect("web:home")
