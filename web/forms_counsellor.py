"""The counsellor pages' forms (journey 4): caseload filters, a review decision, adding an item by hand, releasing."""
from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from careers.models import CandidateProfile, Review
from careers.services.counselling import QUEUE_KINDS
from web.forms import AccessibleForm

MAX_NOTE = 2_000
ITEM_PREFIX = {"jobs": "vacancy", "programmes": "programme", "pathways": "pathway"}
ITEM_KEY = re.compile(r"^(vacancy|programme):\d{1,9}$|^pathway:\d{1,9}(\+\d{1,9}){0,2}$")
MSG_ITEM_KEY = _("This is not an item of this list.")
MSG_REASON = _("Say why you reject it.")
MSG_PICK_ONE = _("Choose a job or a course.")
PENDING_CHOICES = [("", _("everyone")), ("yes", _("with items waiting")), ("no", _("nothing waiting"))]
DECISIONS = [(Review.Decision.APPROVED.value, _("Approve: the person sees it")),
             (Review.Decision.REJECTED.value, _("Reject: the person does not see it"))]


def key_valid(kind: str, key: str) -> bool:
    return bool(ITEM_KEY.match(key or "")) and key.split(":", 1)[0] == ITEM_PREFIX.get(kind)


class CaseloadFilterForm(AccessibleForm):
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("everyone"))] + list(CandidateProfile.Kind.choices))
    school = forms.ChoiceField(label=_("School"), required=False)
    pending = forms.ChoiceField(label=_("Reviews"), required=False, choices=PENDING_CHOICES)

    def __init__(self, *args, schools=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = [("", _("any"))] + [(s, s) for s in schools]

    def pending_value(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("pending") or "")


class QueueKindForm(forms.Form):
    kind = forms.ChoiceField(choices=[(k, k) for k in QUEUE_KINDS], required=False)


class ReviewForm(AccessibleForm):
    """One decision about one item. ``version`` is the review's version when the page was read (0: none yet)."""

    kind = forms.ChoiceField(choices=[(k, k) for k in QUEUE_KINDS], widget=forms.HiddenInput)
    item_key = forms.CharField(max_length=64, widget=forms.HiddenInput)
    version = forms.IntegerField(min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    reason = forms.ChoiceField(label=_("Reason (when rejecting)"), required=False,
                               choices=[("", _("none"))] + list(Review.Reason.choices))
    note = forms.CharField(label=_("Note"), required=False, max_length=MAX_NOTE,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Seen by counsellors only, kept with the decision."))

    def __init__(self, *args, prefix_id: str = "", **kwargs) -> None:
        # Many forms on one page: each item's ids start with its own prefix (auto_id), so labels stay unique.
        super().__init__(*args, auto_id=f"id_{prefix_id}_%s" if prefix_id else "id_%s", **kwargs)

    def clean(self):
        data = super().clean()
        if "kind" in data and "item_key" in data and not key_valid(data["kind"], data["item_key"]):
            self.add_error("item_key", MSG_ITEM_KEY)
        if data.get("decision") == Review.Decision.REJECTED and not data.get("reason") and "reason" not in self.errors:
            self.add_error("reason", MSG_REASON)
        return data


class AddItemForm(AccessibleForm):
    """A job or a course the counsellor adds by hand (it is released to the person at once)."""

    vacancy = forms.TypedChoiceField(label=_("A job"), required=False, coerce=int, empty_value=None)
    programme = forms.TypedChoiceField(label=_("Or a course"), required=False, coerce=int, empty_value=None)
    note = forms.CharField(label=_("Note"), required=False, max_length=MAX_NOTE,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Why you add it; seen by counsellors only."))

    def __init__(self, *args, vacancies=(), programmes=(), **kwargs) -> None:
        super().__init__(*args, auto_id="id_add_%s", **kwargs)
        self.fields["vacancy"].choices = [("", _("none"))] + list(vacancies)
        self.fields["programme"].choices = [("", _("none"))] + list(programmes)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if bool(data.get("vacancy")) == bool(data.get("programme")):
            self.add_error("vacancy", MSG_PICK_ONE)
        return data


class ReleaseForm(forms.Form):
    kind = forms.ChoiceField(choices=[(k, k) for k in QUEUE_KINDS])
    keys = forms.CharField(max_length=2_000, required=False)

    def clean(self):
        data = super().clean()
        keys = [k for k in (data.get("keys") or "").split() if k]
        if "kind" in data and any(not key_valid(data["kind"], k) for k in keys):
            raise forms.ValidationError(MSG_ITEM_KEY)
        data["key_list"] = keys
        return data
