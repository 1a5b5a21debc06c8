"""Public catalogue: skills, occupations, towns, institutions, employers."""
from __future__ import annotations

from rest_framework import serializers

from careers.models import Employer, Institution, Occupation, Skill, Town

from .resources_common import LabelMixin, TownRefOutputSerializer


class SkillOutputSerializer(LabelMixin, serializers.ModelSerializer):
    class Meta:
        model = Skill
        fields = ["id", "uri", "label", "label_lv", "label_en", "alt_labels_lv", "alt_labels_en", "skill_type", "reuse_level"]


class OccupationOutputSerializer(LabelMixin, serializers.ModelSerializer):
    class Meta:
        model = Occupation
        fields = ["id", "uri", "label", "label_lv", "label_en", "alt_labels_lv", "alt_labels_en", "isco_code", "lv_classifier_code"]


class TownOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Town
        fields = ["id", "name", "name_en", "latitude", "longitude"]


class InstitutionOutputSerializer(serializers.ModelSerializer):
    town = TownRefOutputSerializer()

    class Meta:
        model = Institution
        fields = ["id", "name_lv", "name_en", "short_name", "kind", "town", "website"]


class EmployerOutputSerializer(serializers.ModelSerializer):
    town = TownRefOutputSerializer()

    class Meta:
        model = Employer
        fields = ["id", "name", "registration_number", "town", "sector", "description", "website"]
