"""Sign-in and sign-out (Django sessions, the same accounts as the API), registration and the language switcher."""
from __future__ import annotations

from django.contrib.auth import login
from django.contrib.auth.views import LoginView, LogoutView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from careers.services.accounts import AccountDetails, account_update, candidate_register
from web import explored
from web.forms import RegisterForm, SignInForm

REGISTER_FIELDS = {"username", "password", "email", "first_name", "last_name", "birth_year", "kind",
                   "employment_status", "town", "school"}


class SignInView(LoginView):
    template_name = "web/account/signin.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_invalid(self, form) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)


class SignOutView(LogoutView):
    pass


def _add_errors(form: RegisterForm, error: ValidationError) -> None:
    """The service's field errors beside the form's fields; anything else goes to the summary."""
    for name, messages in error.message_dict.items():
        field = "consent_processing" if name == "consents" else name
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


def _account(data: dict) -> AccountDetails:
    return AccountDetails(username=data["username"], password=data["password"], email=data["email"],
                          first_name=data["first_name"], last_name=data["last_name"],
                          preferred_language=get_language() or "lv")


def register(request: HttpRequest) -> HttpResponse:
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        consents = {"processing": data["consent_processing"], "discoverable": data["consent_discoverable"],
                    "counsellor": data["consent_counsellor"]}
        try:
            user = candidate_register(account=_account(data), kind=data["kind"], birth_year=data["birth_year"],
                                      town=data["town"], employment_status=data["employment_status"],
                                      consents=consents, school=data["school"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            changes = explored.claim(request.session) if data["claim_explored"] else None
            if changes is not None:
                account_update(user=user, user_fields={}, profile_changes=changes)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            explored.forget(request.session)
            return redirect("web:skills")
    return render(request, "web/account/register.html", {
        "form": form, "explored": explored.has_anything(request.session)}, status=400 if form.errors else 200)


@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """Django's set_language (the cookie the site reads), and a signed-in user's preferred language too."""
    response = set_language(request)
    code = request.POST.get("language")
    if request.user.is_authenticated and code in ("lv", "en") and request.user.preferred_language != code:
        account_update(user=request.user, user_fields={"preferred_language": code})
    return response
