"""Small nested shapes shared by the resource serializers, and the error envelope for the schema."""
from __future__ import annotations

from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers

from api.schema import error_response

from careers.models import Employer, Institution, Occupation, Skill, Town

MAX_ID = 2**63 - 1


def request_language() -> str:
    """'en' or 'lv' (the default), from Accept-Language via LocaleMiddleware."""
    return "en" if (get_language() or "lv").startswith("en") else "lv"


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


ERROR_DESCRIPTIONS = {
    400: "Invalid input or filter value; `fields` names each bad field.",
    401: "No valid access token.",
    403: "Your role may not do this.",
    404: "Not found, or not yours (existence is not revealed).",
    429: "Too many requests; see Retry-After.",
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """Error responses (the shared envelope of api.schema) for extend_schema(responses=...)."""
    return {code: error_response(code, ERROR_DESCRIPTIONS[code]) for code in codes}
