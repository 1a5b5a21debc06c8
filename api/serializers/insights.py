"""Municipality insights (issue 6): the fairness and outcomes reports — query and answer shapes."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.filters import MSG_EMPTY_RANGE
from careers.models import RecommendationKind, Town
from careers.selectors.insights import OUTCOME_KINDS, InsightsScope

from .resources_common import MAX_ID

MSG_UNKNOWN_TOWN = _("No town has this id.")
REFERENCES = (("best", _("the best-off group of the attribute")), ("overall", _("everybody")))


# --------------------------------------------------------------------------------------------------- input
class InsightsQuerySerializer(serializers.Serializer):
    """``kind``, ``from``, ``to``, ``town``: which served lists the report reads."""

    kind_choices = RecommendationKind.choices

    def get_fields(self) -> dict:
        # `from` is a Python keyword, so the fields are built here rather than declared as attributes.
        return {
            "kind": serializers.ChoiceField(choices=self.kind_choices, required=False,
                                            help_text=_("Only lists of this kind (default: every kind).")),
            "from": serializers.DateField(required=False, help_text=_("Lists served on or after this date.")),
            "to": serializers.DateField(required=False, help_text=_("Lists served on or before this date.")),
            "town": serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID,
                                             help_text=_("Only candidates living in this town (id).")),
        }

    def validate_town(self, value: int) -> int:
        if not Town.objects.filter(pk=value).exists():
            raise serializers.ValidationError(MSG_UNKNOWN_TOWN)
        return value

    def validate(self, attrs: dict) -> dict:
        if attrs.get("from") and attrs.get("to") and attrs["from"] > attrs["to"]:
            raise serializers.ValidationError({"to": [MSG_EMPTY_RANGE]})
        return attrs

    def scope(self) -> InsightsScope:
        data = self.validated_data
        return InsightsScope(kind=data.get("kind"), date_from=data.get("from"), date_to=data.get("to"),
                             town_id=data.get("town"))

    def scope_shape(self) -> dict:
        """The filters as the answer's ``scope`` shows them."""
        data = self.validated_data
        return {name: data.get(name) for name in ("kind", "from", "to", "town")}


class FairnessQuerySerializer(InsightsQuerySerializer):
    def get_fields(self) -> dict:
        return {**super().get_fields(), "reference": serializers.ChoiceField(
            choices=REFERENCES, required=False, default="best",
            help_text=_("What the disparity ratios divide by: the best-off group (default) or everybody."))}


class OutcomesQuerySerializer(InsightsQuerySerializer):
    kind_choices = [(value, label) for value, label in RecommendationKind.choices if value in OUTCOME_KINDS]


# --------------------------------------------------------------------------------------------------- output
class ScopeSerializer(serializers.Serializer):
    """The filters the report was made with (null: not filtered)."""

    def get_fields(self) -> dict:
        return {"kind": serializers.CharField(allow_null=True), "from": serializers.DateField(allow_null=True),
                "to": serializers.DateField(allow_null=True), "town": serializers.IntegerField(allow_null=True)}


class FairnessGroupSerializer(serializers.Serializer):
    group = serializers.CharField(help_text=_("The group: a gender code, an age band (13-17, 18-24, 25-34, 35-49, "
                                              "50+) or a town name; `unknown` when not known."))
    people = serializers.IntegerField(allow_null=True, help_text=_("People in the group (null when suppressed)."))
    served = serializers.IntegerField(allow_null=True, help_text=_("Items recommended to them."))
    reviewed = serializers.IntegerField(allow_null=True, help_text=_("Of those, items a counsellor decided on."))
    exposure = serializers.FloatField(allow_null=True, help_text=_(
        "Mean per person of the sum of 1 / log2(1 + rank) over the items recommended to them."))
    approval_rate = serializers.FloatField(allow_null=True, help_text=_(
        "Approved or added / reviewed (null without reviews)."))
    exposure_ratio = serializers.FloatField(allow_null=True, help_text=_("Exposure / the reference group's."))
    approval_ratio = serializers.FloatField(allow_null=True, help_text=_("Approval rate / the reference group's."))
    suppressed = serializers.BooleanField(help_text=_("Fewer than 10 people: no figures are given."))
    flagged = serializers.BooleanField(help_text=_("A ratio is under 0.8 (the four-fifths rule)."))


class FairnessAttributesSerializer(serializers.Serializer):
    gender = FairnessGroupSerializer(many=True)
    age_band = FairnessGroupSerializer(many=True)
    town = FairnessGroupSerializer(many=True)


class FairnessOutputSerializer(serializers.Serializer):
    scope = ScopeSerializer()
    reference = serializers.ChoiceField(choices=REFERENCES)
    min_group = serializers.IntegerField(help_text=_("Groups with fewer people are suppressed."))
    groups = FairnessAttributesSerializer()


class OutcomeRowSerializer(serializers.Serializer):
    group = serializers.CharField(help_text=_("`all`, a month (YYYY-MM, first served), a town name, a counsellor's "
                                              "name (or `none`)."))
    id = serializers.IntegerField(allow_null=True, help_text=_("Town or counsellor id; null otherwise."))
    candidates = serializers.IntegerField(allow_null=True, help_text=_("Candidates recommended at least one item."))
    recommended = serializers.IntegerField(allow_null=True, help_text=_("Items recommended (candidate × item)."))
    applied = serializers.IntegerField(allow_null=True, help_text=_(
        "Of those, applied to by that candidate after the item was first served."))
    hired = serializers.IntegerField(allow_null=True, help_text=_("Of those, vacancy applications now hired."))
    enrolled = serializers.IntegerField(allow_null=True, help_text=_("Of those, intake applications now enrolled."))
    application_rate = serializers.FloatField(allow_null=True, help_text=_("applied / recommended."))
    placement_rate = serializers.FloatField(allow_null=True, help_text=_("(hired + enrolled) / applied."))
    conversion_rate = serializers.FloatField(allow_null=True, help_text=_("(hired + enrolled) / recommended."))
    suppressed = serializers.BooleanField(help_text=_("Fewer than 10 candidates: no figures are given."))


class OutcomesOutputSerializer(serializers.Serializer):
    scope = ScopeSerializer()
    min_group = serializers.IntegerField(help_text=_("Rows with fewer candidates are suppressed."))
    total = OutcomeRowSerializer()
    by_month = OutcomeRowSerializer(many=True)
    by_town = OutcomeRowSerializer(many=True)
    by_counsellor = OutcomeRowSerializer(many=True)
