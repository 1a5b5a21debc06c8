"""Counsellor review and caseload shapes (issue 6)."""
from __future__ import annotations

import datetime as dt

import re

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from careers.models import CandidateProfile, FeedbackEvent, RecommendationKind, Review
from careers.models.oversight import ITEM_KEY_MAX

# "vacancy:12", "programme:3", "occupation:7", "pathway:3+8": a type and one to three ids.
ITEM_KEY = re.compile(r"^(vacancy|programme|occupation|pathway):\d{1,10}(\+\d{1,10}){0,2}$")
EXAMPLE_ITEM = {"jobs": "vacancy:12", "programmes": "programme:3", "careers": "occupation:7",
                "pathways": "pathway:3+8"}
ITEM_PREFIX = {"jobs": "vacancy", "programmes": "programme", "careers": "occupation", "pathways": "pathway"}
MSG_REASON_REQUIRED = _("A rejection needs a reason code.")
MSG_ITEM_KEY = _("Not an item of this kind (expected e.g. %(example)s).")
MSG_UNKNOWN_ITEM = _("No such item: %(key)s.")


def review_field() -> serializers.ChoiceField:
    """The counsellor's decision on a served item (every recommendation list's items carry it)."""
    return serializers.ChoiceField(choices=Review.Decision.choices, allow_null=True, help_text=_(
        "The counsellor's decision on this item: `approved`, `rejected`, `added` (by the counsellor) or null (not "
        "reviewed). A supervised candidate asking for themself sees only approved and added jobs and pathways, and "
        "every career and programme but the rejected ones."))


def awaiting_review_field() -> serializers.BooleanField:
    """Careers and programmes a supervised candidate sees before their counsellor looked at them."""
    return serializers.BooleanField(help_text=_(
        "true: a supervised candidate's own list shows this item before their counsellor reviewed it (\"not yet "
        "reviewed by your counsellor\"); careers and programmes only, jobs and pathways wait for the release."))


def review_notice_field() -> serializers.CharField:
    return serializers.CharField(allow_null=True, help_text=_(
        "\"Not yet reviewed by your counsellor\" in the request language when some items are `awaiting_review`; "
        "else null."))


def list_reason_field() -> serializers.CharField:
    """Why a candidate's recommendation list is empty (``api.views.oversight.NO_CONSENT`` / ``NOT_RELEASED``)."""
    return serializers.CharField(allow_null=True, help_text=_(
        "Why the list is empty when nothing could be recommended: `no_processing_consent` (the candidate is not in "
        "the index), `not_released` (a supervised candidate whose counsellor has released nothing yet); else null."))


def item_key_valid(kind: str, item_key: str) -> bool:
    return len(item_key) <= ITEM_KEY_MAX and bool(ITEM_KEY.match(item_key)) and \
        item_key.split(":", 1)[0] == ITEM_PREFIX[kind]


class ReviewInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Review.Decision.choices)
    # Omit it (or send null) when there is none: "" is not one of the reasons and is refused with a field message.
    reason = serializers.ChoiceField(choices=Review.Reason.choices, required=False, allow_null=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    version = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=2**31 - 1, default=None,
        help_text="The version you read (0 or null to create). A stale version answers 409 with the current review.")

    def validate(self, attrs: dict) -> dict:
        attrs["reason"] = attrs.get("reason") or ""
        if attrs["decision"] == Review.Decision.REJECTED and not attrs["reason"]:
            raise serializers.ValidationError({"reason": [MSG_REASON_REQUIRED]})
        return attrs


class ReviewSerializer(serializers.ModelSerializer):
    counsellor = serializers.IntegerField(source="counsellor_id", allow_null=True, read_only=True)
    # "" when the decision needs no reason: declared so the schema allows it (the input refuses it, see above).
    reason = serializers.ChoiceField(choices=Review.Reason.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Review
        fields = ["candidate", "kind", "item_key", "decision", "reason", "note", "counsellor", "version",
                  "updated_at"]
        read_only_fields = fields


class CaseloadQuerySerializer(serializers.Serializer):
    ORDERINGS = ("name", "-name", "pending", "-pending", "town", "-town")

    town = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    kind = serializers.ChoiceField(choices=RecommendationKind.choices, required=False)
    pending = serializers.BooleanField(required=False, allow_null=True, default=None,
                                       help_text="true: only candidates with items awaiting review.")
    ordering = serializers.ChoiceField(choices=[(o, o) for o in ORDERINGS], required=False, default="-pending")
    new = serializers.BooleanField(required=False, allow_null=True, default=None,
                                   help_text="true: only candidates new in the caseload (not opened yet).")


class CaseloadEntrySerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    town = serializers.CharField(source="town.name")
    town_id = serializers.IntegerField()
    supervised = serializers.BooleanField(source="is_supervised")
    pending_reviews = serializers.IntegerField()
    new = serializers.BooleanField(source="new_in_caseload", help_text=_(
        "Assigned to this counsellor by the assignment rule and not opened by them since (reading the candidate's "
        "reviews or saving one opens it)."))
    counsellor_assigned_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        model = CandidateProfile
        fields = ["id", "name", "town", "town_id", "kind", "supervised", "pending_reviews", "new",
                  "counsellor_assigned_at"]

    def get_name(self, obj: CandidateProfile) -> str:
        return obj.user.get_full_name() or obj.user.username


class UnassignedEntrySerializer(serializers.ModelSerializer):
    """A supervised person no counsellor covers: staff assign one by hand."""

    name = serializers.SerializerMethodField()
    town = serializers.CharField(source="town.name")
    town_id = serializers.IntegerField()
    school = serializers.CharField(source="school.name_lv", allow_null=True, default=None)
    supervised = serializers.BooleanField(source="is_supervised")
    minor = serializers.BooleanField(source="is_minor")
    registered_at = serializers.DateTimeField(source="created_at")

    class Meta:
        model = CandidateProfile
        fields = ["id", "name", "town", "town_id", "school", "kind", "birth_year", "supervised", "minor",
                  "registered_at"]

    def get_name(self, obj: CandidateProfile) -> str:
        return obj.user.get_full_name() or obj.user.username


ROLE_EVENTS = {
    "candidate": ("viewed", "saved", "dismissed", "applied"),
    "employer": ("shortlisted", "rejected", "hired"),
    "provider": ("enrolled",),
}
MSG_EVENT_ROLE = _("Your role may report only: %(allowed)s.")


class FeedbackInputSerializer(serializers.Serializer):
    client_event_id = serializers.RegexField(
        r"^[A-Za-z0-9._:-]{1,64}$", help_text="Your id for this event (1–64 of A–Z a–z 0–9 . _ : -); "
                                             "sending it again answers the stored event, not a second one.")
    kind = serializers.ChoiceField(choices=RecommendationKind.choices)
    item_key = serializers.CharField(max_length=ITEM_KEY_MAX, help_text="e.g. `vacancy:12`, `programme:3`.")
    event = serializers.ChoiceField(choices=FeedbackEvent.Event.choices)
    candidate = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**31 - 1,
                                         default=None,
                                         help_text="Employers and providers: the applicant. Candidates: omit.")

    def validate(self, attrs: dict) -> dict:
        if not item_key_valid(attrs["kind"], attrs["item_key"]):
            raise serializers.ValidationError({"item_key": [MSG_ITEM_KEY % {"example": EXAMPLE_ITEM[attrs["kind"]]}]})
        allowed = ROLE_EVENTS.get(self.context["role"], ())
        if attrs["event"] not in allowed:
            raise serializers.ValidationError({"event": [MSG_EVENT_ROLE % {"allowed": ", ".join(allowed)}]})
        return attrs


class FeedbackEventSerializer(serializers.ModelSerializer):
    candidate = serializers.IntegerField(source="candidate_id", read_only=True)

    class Meta:
        model = FeedbackEvent
        fields = ["id", "client_event_id", "candidate", "kind", "item_key", "event", "created_at"]
        read_only_fields = fields


class ExplainOutputSerializer(serializers.Serializer):
    candidate = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=RecommendationKind.choices)
    item_key = serializers.CharField()
    language = serializers.ChoiceField(choices=[("lv", "lv"), ("en", "en")])
    # In UTC, as the audit log stores it (the answer names the log entry, not a local time).
    served_at = serializers.DateTimeField(default_timezone=dt.timezone.utc,
                                          help_text="When the explained list was served (the audit log entry).")
    model_version = serializers.CharField()
    sentences = serializers.ListField(child=serializers.CharField())
