"""Small nested shapes shared by the resource serializers (errors are documented by api.schema.AutoSchema)."""
from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from careers.models import Employer, Institution, Occupation, Skill, Town

MAX_ID = 2**63 - 1


def request_language() -> str:
    """'en' or 'lv' (the default), from Accept-Language via LocaleMiddleware."""
    return "en" if (get_language() or "lv").startswith("en") else "lv"


class UriRelatedField(serializers.SlugRelatedField):
    """A concept (skill, occupation) by its ESCO URI. A NUL character is refused before the lookup: PostgreSQL
    cannot compare text containing one and raises DataError (a 500) instead of "not found"."""

    def __init__(self, **kwargs) -> None:
        super().__init__(slug_field="uri", **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str):
            try:
                ProhibitNullCharactersValidator()(data)
            except DjangoValidationError as exc:
                raise serializers.ValidationError(exc.messages) from None
        return super().to_internal_value(data)


class LabelMixin(serializers.Serializer):
    label = serializers.SerializerMethodField(help_text="Preferred label in the request language (Accept-Language).")

    @extend_schema_field(serializers.CharField())
    def get_label(self, obj) -> str:
        return obj.label(request_language())


class SkillRefOutputSerializer(LabelMixin, serializers.ModelSerializer):
    class Meta:
        model = Skill
        fields = ["id", "uri", "label"]


class OccupationRefOutputSerializer(LabelMixin, serializers.ModelSerializer):
    class Meta:
        model = Occupation
        fields = ["id", "uri", "label", "isco_code"]


class TownRefOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Town
        fields = ["id", "name"]


class EmployerRefOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Employer
        fields = ["id", "name"]


class InstitutionRefOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Institution
        fields = ["id", "name_lv", "name_en", "short_name"]

