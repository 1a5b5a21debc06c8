"""Programmes and intakes: public shapes and provider-staff bodies."""
from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from careers.models import (
    EducationLevel, FundingKind, Intake, Language, Occupation, Programme, ProgrammeKind, ProgrammeMode, Skill,
    TargetGroup,
)

from .resources_common import (
    MAX_ID,
    InstitutionRefOutputSerializer,
    OccupationRefOutputSerializer,
    SkillRefOutputSerializer,
    TownRefOutputSerializer,
    UriRelatedField,
    request_language,
)

MSG_DEADLINE_AFTER_START = _("The application deadline must not be after the start date.")
MSG_FUNDED_OVER_SEATS = _("Funded seats cannot exceed seats.")
MSG_DUPLICATE_LANGUAGE = _("Each language may appear once.")
MSG_DUPLICATE_GROUP = _("Each target group may appear once.")
MSG_AGES = _("The minimum age must not be above the maximum age.")
FUNDING_CHOICES = [(k, k) for k in FundingKind.values if k != FundingKind.NONE]


class FundingGroupsField(serializers.DictField):
    """Funding kind → the target groups that may use it."""

    def __init__(self, **kwargs):
        super().__init__(child=serializers.ListField(child=serializers.ChoiceField(choices=TargetGroup.choices),
                                                     max_length=len(TargetGroup.values)), **kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        unknown = sorted(set(value) - {k for k, _ in FUNDING_CHOICES})
        if unknown:
            raise serializers.ValidationError(_("Unknown funding kind(s): {kinds}.").format(kinds=", ".join(unknown)))
        return value


class IntakeRefOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Intake
        fields = ["id", "start_date", "application_deadline", "seats", "funded_seats", "is_demo"]


class ProgrammeOutputSerializer(serializers.ModelSerializer):
    institution = InstitutionRefOutputSerializer()
    town = TownRefOutputSerializer(source="institution.town")
    name = serializers.SerializerMethodField(help_text="Name in the request language.")
    total_cost_eur = serializers.DecimalField(max_digits=11, decimal_places=2, read_only=True)
    skills_taught = SkillRefOutputSerializer(many=True)
    leads_to = OccupationRefOutputSerializer(many=True)
    upcoming_intakes = IntakeRefOutputSerializer(many=True)
    languages = serializers.ListField(child=serializers.ChoiceField(choices=Language.choices))
    target_groups = serializers.ListField(child=serializers.ChoiceField(choices=TargetGroup.choices), help_text=_(
        "Who may enter (any one group suffices); empty: anyone with the prior education."))
    funding_groups = FundingGroupsField(help_text=_(
        "Funding kind → target groups that may use it; a kind not named follows the national rule (voucher: "
        "registered unemployed; co-financing: employed adults; state-funded place: anyone admitted)."))
    has_dormitory = serializers.BooleanField(source="institution.has_dormitory", read_only=True)

    class Meta:
        model = Programme
        fields = [
            "id", "institution", "town", "name", "name_lv", "name_en", "description_lv", "description_en", "kind",
            "eqf_level", "duration_months", "languages", "mode", "cost_eur", "cost_period", "total_cost_eur",
            "state_funded_places", "voucher_eligible", "adult_learning_cofinanced", "min_education", "target_groups",
            "min_age", "max_age", "funding_groups", "has_dormitory", "skills_taught", "leads_to", "upcoming_intakes",
            "is_active", "teaches_language", "language_level_from", "language_level_to", "hours", "duration_weeks",
            "stipend_eur_per_day", "stipend_for_lv", "stipend_for_en", "is_demo",
        ]

    @extend_schema_field(serializers.CharField())
    def get_name(self, obj: Programme) -> str:
        return obj.name_en if request_language() == "en" and obj.name_en else obj.name_lv


class ProgrammeRefOutputSerializer(serializers.ModelSerializer):
    institution = InstitutionRefOutputSerializer()
    town = TownRefOutputSerializer(source="institution.town")

    class Meta:
        model = Programme
        fields = ["id", "name_lv", "name_en", "kind", "mode", "institution", "town"]


class IntakeOutputSerializer(serializers.ModelSerializer):
    programme = ProgrammeRefOutputSerializer()
    open_for_applications = serializers.SerializerMethodField()

    class Meta:
        model = Intake
        fields = ["id", "programme", "start_date", "application_deadline", "seats", "funded_seats", "is_demo",
                  "open_for_applications"]

    @extend_schema_field(serializers.BooleanField())
    def get_open_for_applications(self, obj: Intake) -> bool:
        today = timezone.localdate()
        return obj.programme.is_active and obj.application_deadline >= today and obj.start_date >= today


class ProgrammeWriteInputSerializer(serializers.Serializer):
    name_lv = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200)
    description_lv = serializers.CharField(max_length=10_000, required=False, allow_blank=True)
    description_en = serializers.CharField(max_length=10_000, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=ProgrammeKind.choices)
    eqf_level = serializers.IntegerField(min_value=1, max_value=8)
    duration_months = serializers.IntegerField(min_value=1, max_value=96)
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=Language.choices), min_length=1, max_length=10
    )
    mode = serializers.ChoiceField(choices=ProgrammeMode.choices)
    cost_eur = serializers.DecimalField(max_digits=9, decimal_places=2, min_value=Decimal(0), max_value=Decimal(1_000_000), default=Decimal(0))
    cost_period = serializers.ChoiceField(choices=Programme.CostPeriod.choices, default=Programme.CostPeriod.TOTAL)
    state_funded_places = serializers.BooleanField(default=False)
    voucher_eligible = serializers.BooleanField(default=False)
    adult_learning_cofinanced = serializers.BooleanField(default=False)
    min_education = serializers.ChoiceField(choices=EducationLevel.choices, default=EducationLevel.BASIC)
    target_groups = serializers.ListField(child=serializers.ChoiceField(choices=TargetGroup.choices),
                                          required=False, max_length=len(TargetGroup.values))
    min_age = serializers.IntegerField(min_value=13, max_value=99, required=False, allow_null=True)
    max_age = serializers.IntegerField(min_value=13, max_value=99, required=False, allow_null=True)
    funding_groups = FundingGroupsField(required=False)
    is_active = serializers.BooleanField(default=True)
    skills_taught = serializers.ListField(
        child=UriRelatedField(queryset=Skill.objects.all()),
        required=False, max_length=100, help_text="ESCO skill URIs.",
    )
    leads_to = serializers.ListField(
        child=UriRelatedField(queryset=Occupation.objects.all()),
        required=False, max_length=20, help_text="ESCO occupation URIs.",
    )

    def validate_languages(self, value: list[str]) -> list[str]:
        if len(value) != len(set(value)):
            raise serializers.ValidationError(MSG_DUPLICATE_LANGUAGE)
        return value

    def validate_target_groups(self, value: list[str]) -> list[str]:
        if len(value) != len(set(value)):
            raise serializers.ValidationError(MSG_DUPLICATE_GROUP)
        return value

    def validate(self, attrs: dict) -> dict:
        low = attrs.get("min_age", getattr(self.instance, "min_age", None))
        high = attrs.get("max_age", getattr(self.instance, "max_age", None))
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError({"min_age": [MSG_AGES]})
        return attrs


class ProgrammeCreateInputSerializer(ProgrammeWriteInputSerializer):
    institution = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, help_text="Needed only for staff; provider staff create for their own."
    )


class IntakeWriteInputSerializer(serializers.Serializer):
    start_date = serializers.DateField()
    application_deadline = serializers.DateField()
    seats = serializers.IntegerField(min_value=1, max_value=10_000)
    funded_seats = serializers.IntegerField(min_value=0, max_value=10_000, default=0)

    def validate(self, attrs: dict) -> dict:
        def value(name):
            return attrs.get(name, getattr(self.instance, name, None))

        if value("start_date") and value("application_deadline") and value("application_deadline") > value("start_date"):
            raise serializers.ValidationError({"application_deadline": [MSG_DEADLINE_AFTER_START]})
        if value("seats") is not None and value("funded_seats") is not None and value("funded_seats") > value("seats"):
            raise serializers.ValidationError({"funded_seats": [MSG_FUNDED_OVER_SEATS]})
        return attrs


class IntakeCreateInputSerializer(IntakeWriteInputSerializer):
    programme = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="One of your institution's programmes.")
