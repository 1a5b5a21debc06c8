"""Vacancies: the public shape, and the employer's create / edit / status bodies."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from careers.models import (
    CefrLevel,
    ContractKind,
    EducationLevel,
    HoursKind,
    Language,
    Occupation,
    Skill,
    Town,
    Vacancy,
    VacancyLanguage,
    VacancySkill,
    WorkArrangement,
)

from .fields import StrictCharField
from .resources_common import (
    MAX_ID,
    EmployerRefOutputSerializer,
    OccupationRefOutputSerializer,
    SkillRefOutputSerializer,
    TownRefOutputSerializer,
    UriRelatedField,
)

MAX_SKILLS = 50
MAX_LANGUAGES = 10
MSG_SALARY_RANGE = _("salary_min must not be above salary_max.")
MSG_DUPLICATE_SKILL = _("Each skill may appear once.")
MSG_DUPLICATE_LANGUAGE = _("Each language may appear once.")


class VacancySkillOutputSerializer(serializers.ModelSerializer):
    skill = SkillRefOutputSerializer()

    class Meta:
        model = VacancySkill
        fields = ["skill", "essential"]


class VacancyLanguageOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = VacancyLanguage
        fields = ["language", "level"]


class VacancyOutputSerializer(serializers.ModelSerializer):
    employer = EmployerRefOutputSerializer()
    occupation = OccupationRefOutputSerializer(allow_null=True)
    town = TownRefOutputSerializer()
    skills = VacancySkillOutputSerializer(source="skill_links", many=True)
    languages = VacancyLanguageOutputSerializer(many=True)

    class Meta:
        model = Vacancy
        fields = [
            "id", "employer", "title", "description", "text_language", "occupation", "town", "work_arrangement",
            "contract_kind", "hours", "salary_min", "salary_max", "min_education", "min_age", "places", "experience_required",
            "status", "published_at", "expires_at", "skills", "languages", "created_at", "updated_at",
        ]


class WholeItemSerializer(serializers.Serializer):
    """An item of a list that replaces the stored list: always given whole, also inside a PATCH.

    Under ``partial=True`` DRF skips missing fields of nested serializers too, so ``{"skills": [{}]}`` would pass
    validation without a ``uri`` (and fail later with a 500). Here a missing required field is a 400 and a missing
    optional one gets its default, as on create.
    """

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        missing = {}
        for name, field in self.fields.items():
            if field.read_only or field.source in value:
                continue
            if field.required:
                missing[name] = [field.error_messages["required"]]
            elif field.default is not serializers.empty:  # not get_default(): it skips the field under partial
                value[field.source] = field.default() if callable(field.default) else field.default
        if missing:
            raise serializers.ValidationError(missing)
        return value


class VacancySkillInputSerializer(WholeItemSerializer):
    uri = UriRelatedField(queryset=Skill.objects.all(), help_text="ESCO skill URI.")
    essential = serializers.BooleanField(default=True)


class VacancyLanguageInputSerializer(WholeItemSerializer):
    language = serializers.ChoiceField(choices=Language.choices)
    level = serializers.ChoiceField(choices=CefrLevel.choices, help_text="CEFR level as a number: 1 = A1 … 6 = C2.")


class VacancyWriteInputSerializer(serializers.Serializer):
    """Create (all required fields) or, with partial=True, edit a vacancy."""

    title = StrictCharField(max_length=200)
    description = StrictCharField(max_length=10_000)
    text_language = serializers.ChoiceField(choices=Language.choices, default=Language.LATVIAN)
    occupation = UriRelatedField(
        queryset=Occupation.objects.all(), allow_null=True, required=False, help_text="ESCO occupation URI."
    )
    town = serializers.PrimaryKeyRelatedField(queryset=Town.objects.all())
    work_arrangement = serializers.ChoiceField(choices=WorkArrangement.choices, default=WorkArrangement.ON_SITE)
    contract_kind = serializers.ChoiceField(choices=ContractKind.choices)
    hours = serializers.ChoiceField(choices=HoursKind.choices)
    salary_min = serializers.IntegerField(min_value=1, max_value=100_000, help_text="Gross EUR per month.")
    salary_max = serializers.IntegerField(min_value=1, max_value=100_000, help_text="Gross EUR per month.")
    min_education = serializers.ChoiceField(choices=EducationLevel.choices, default=EducationLevel.NONE)
    min_age = serializers.IntegerField(min_value=13, max_value=75, default=18)
    places = serializers.IntegerField(min_value=1, max_value=1000, default=1)
    experience_required = serializers.BooleanField(
        default=True, help_text="False when beginners are trained on the job: the post is then an entry job for anyone.")
    expires_at = serializers.DateField(allow_null=True, required=False)
    skills = VacancySkillInputSerializer(many=True, required=False, max_length=MAX_SKILLS)
    languages = VacancyLanguageInputSerializer(many=True, required=False, max_length=MAX_LANGUAGES)

    def validate_skills(self, value: list[dict]) -> list[dict]:
        uris = [item["uri"].pk for item in value]
        if len(uris) != len(set(uris)):
            raise serializers.ValidationError(MSG_DUPLICATE_SKILL)
        return value

    def validate_languages(self, value: list[dict]) -> list[dict]:
        codes = [item["language"] for item in value]
        if len(codes) != len(set(codes)):
            raise serializers.ValidationError(MSG_DUPLICATE_LANGUAGE)
        return value

    def validate(self, attrs: dict) -> dict:
        low = attrs.get("salary_min", getattr(self.instance, "salary_min", None))
        high = attrs.get("salary_max", getattr(self.instance, "salary_max", None))
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError({"salary_max": [MSG_SALARY_RANGE]})
        return attrs


class VacancyCreateInputSerializer(VacancyWriteInputSerializer):
    employer = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False,
        help_text="Your employer's id; needed only if you belong to several (and always for staff).",
    )


class VacancyStatusInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[Vacancy.Status.OPEN, Vacancy.Status.CLOSED], help_text="draft → open → closed.")
