"""Labour-market insights (issue 13): demand against supply, shortages, trend, an employer's missing skills."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from careers.models import MarketArea, Skill, Town
from careers.selectors.market import MarketScope

from .resources_common import MAX_ID

MSG_UNKNOWN_TOWN = _("No town has this id.")
MSG_UNKNOWN_SKILL = _("No skill has this id.")
MSG_AREA_OR_TOWN = _("Give either an area or a town, not both.")
SUPPRESSED = _("Null when under 10 (suppressed).")


# --------------------------------------------------------------------------------------------------- input
def _exists(model, message):
    def check(value: int) -> int:
        if not model.objects.filter(pk=value).exists():
            raise serializers.ValidationError(message)
        return value
    return check


class MarketQuerySerializer(serializers.Serializer):
    area = serializers.ChoiceField(choices=MarketArea.choices, required=False, default=MarketArea.ALL.value,
                                   help_text=_("Every town, or the commute region around Valmiera or Ventspils."))
    town = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID,
                                    validators=[_exists(Town, MSG_UNKNOWN_TOWN)], help_text=_("One town (id)."))

    def validate(self, attrs: dict) -> dict:
        if attrs.get("town") is not None and attrs.get("area", MarketArea.ALL.value) != MarketArea.ALL.value:
            raise serializers.ValidationError({"town": [MSG_AREA_OR_TOWN]})
        return attrs

    def scope(self) -> MarketScope:
        return MarketScope(area=self.validated_data["area"], town_id=self.validated_data.get("town"))

    def scope_shape(self) -> dict:
        return {"area": self.validated_data["area"], "town": self.validated_data.get("town")}


class ShortagesQuerySerializer(MarketQuerySerializer):
    top = serializers.IntegerField(required=False, default=20, min_value=1, max_value=100,
                                   help_text=_("How many skills (most short first)."))


class TrendQuerySerializer(serializers.Serializer):
    area = serializers.ChoiceField(choices=MarketArea.choices, required=False, default=MarketArea.ALL.value)
    skill = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID,
                                     validators=[_exists(Skill, MSG_UNKNOWN_SKILL)],
                                     help_text=_("One skill (id); without it the area's totals (staff, analysts)."))


class MissingSkillsQuerySerializer(serializers.Serializer):
    employer = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID, help_text=_(
        "The employer (id): staff and analysts always, members only if they belong to several."))
    top = serializers.IntegerField(required=False, default=20, min_value=1, max_value=100)


# --------------------------------------------------------------------------------------------------- output
class ConceptRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    uri = serializers.CharField()
    label = serializers.CharField(help_text=_("In the request language."))


class IdNameSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class MarketScopeSerializer(serializers.Serializer):
    area = serializers.ChoiceField(choices=MarketArea.choices)
    town = serializers.IntegerField(allow_null=True)


class MarketTotalsSerializer(serializers.Serializer):
    open_vacancies = serializers.IntegerField()
    places = serializers.IntegerField(help_text=_("Places in the open vacancies."))
    looking_candidates = serializers.IntegerField(allow_null=True, help_text=SUPPRESSED)


class SkillBalanceRowSerializer(serializers.Serializer):
    skill = ConceptRefSerializer()
    vacancies = serializers.IntegerField(help_text=_("Open vacancies asking for the skill."))
    demand_essential = serializers.IntegerField(help_text=_("Their places where the skill is essential."))
    demand_optional = serializers.IntegerField(help_text=_("Their places where it is optional."))
    supply = serializers.IntegerField(allow_null=True, help_text=_("Looking candidates who have it. ") + SUPPRESSED)
    shortage_index = serializers.FloatField(help_text=_(
        "(essential + 0.5 × optional places) / max(supply, 10): places per candidate."))
    shortage = serializers.BooleanField(help_text=_("The index is 1 or more."))
    suppressed = serializers.BooleanField()


class SkillBalanceOutputSerializer(serializers.Serializer):
    scope = MarketScopeSerializer()
    min_group = serializers.IntegerField()
    towns = IdNameSerializer(many=True, help_text=_("The towns counted."))
    totals = MarketTotalsSerializer()
    rows = SkillBalanceRowSerializer(many=True)


class OccupationBalanceRowSerializer(serializers.Serializer):
    occupation = ConceptRefSerializer()
    vacancies = serializers.IntegerField()
    places = serializers.IntegerField()
    candidates = serializers.IntegerField(allow_null=True, help_text=_("Looking candidates who target it. ")
                                          + SUPPRESSED)
    places_per_candidate = serializers.FloatField(help_text=_("places / max(candidates, 10)."))
    suppressed = serializers.BooleanField()


class OccupationBalanceOutputSerializer(serializers.Serializer):
    scope = MarketScopeSerializer()
    min_group = serializers.IntegerField()
    towns = IdNameSerializer(many=True)
    rows = OccupationBalanceRowSerializer(many=True)


class NextIntakeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    start_date = serializers.DateField()
    application_deadline = serializers.DateField()
    seats = serializers.IntegerField()
    funded_seats = serializers.IntegerField()


class TeachingProgrammeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    institution = IdNameSerializer()
    town = serializers.CharField()
    next_intake = NextIntakeSerializer(allow_null=True)


class ShortageRowSerializer(SkillBalanceRowSerializer):
    programmes = TeachingProgrammeSerializer(many=True, help_text=_("Active programmes in the area teaching it."))


class ShortagesOutputSerializer(SkillBalanceOutputSerializer):
    rows = ShortageRowSerializer(many=True)


class TrendMonthSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    days = serializers.IntegerField(help_text=_("Snapshot days in the month."))
    vacancies = serializers.FloatField()
    demand_essential = serializers.FloatField()
    demand_optional = serializers.FloatField()
    supply = serializers.FloatField(allow_null=True, help_text=SUPPRESSED)
    shortage_index = serializers.FloatField()
    suppressed = serializers.BooleanField()


class TrendOutputSerializer(serializers.Serializer):
    area = serializers.ChoiceField(choices=MarketArea.choices)
    skill = ConceptRefSerializer(allow_null=True)
    min_group = serializers.IntegerField()
    months = TrendMonthSerializer(many=True)


class MissingSkillRowSerializer(serializers.Serializer):
    skill = ConceptRefSerializer()
    vacancies = serializers.IntegerField(help_text=_("Your open vacancies asking for it."))
    essential = serializers.BooleanField(help_text=_("Essential in at least one of them."))
    ranked = serializers.IntegerField(allow_null=True, help_text=_(
        "Candidates ranked for those vacancies. ") + SUPPRESSED)
    missing = serializers.IntegerField(allow_null=True, help_text=_("Of them, those who lack the skill."))
    missing_share = serializers.FloatField(allow_null=True)
    suppressed = serializers.BooleanField()
    programmes = TeachingProgrammeSerializer(many=True, help_text=_(
        "Active programmes within the commute radius of your town teaching it."))


class MissingSkillsOutputSerializer(serializers.Serializer):
    employer = IdNameSerializer()
    open_vacancies = serializers.IntegerField()
    ranked_per_vacancy = serializers.IntegerField()
    min_group = serializers.IntegerField()
    rows = MissingSkillRowSerializer(many=True)

