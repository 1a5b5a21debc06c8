"""Candidates: three shapes by access level (see careers.selectors.candidates.CandidateAccess).

The field lists are the contract: tests/api/test_candidates.py snapshots them per role.
"""
from __future__ import annotations

from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from careers.models import CandidateLanguage, CandidateProfile, CandidateSkill, WorkExperience
from careers.selectors import CandidateAccess

from .resources_common import OccupationRefOutputSerializer, SkillRefOutputSerializer, TownRefOutputSerializer

RECRUITER_FIELDS = [
    "access", "id", "town", "skills", "languages", "highest_education", "available_from", "available_hours",
    "target_occupations",
]
CONTACT_FIELDS = ["first_name", "last_name", "email", "phone"]
FULL_ONLY_FIELDS = [
    "birth_year", "is_minor", "gender", "kind", "employment_status", "max_commute_km", "willing_to_relocate",
    "current_studies", "about", "riasec", "work_history", "consent_discoverable", "consent_counsellor",
    "consent_processing", "supervised", "minor_visible_to_employers", "counsellor", "created_at", "updated_at",
]


class CandidateSkillOutputSerializer(serializers.ModelSerializer):
    skill = SkillRefOutputSerializer()

    class Meta:
        model = CandidateSkill
        fields = ["skill", "proficiency"]


class CandidateLanguageOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = CandidateLanguage
        fields = ["language", "level"]


class WorkExperienceOutputSerializer(serializers.ModelSerializer):
    occupation = OccupationRefOutputSerializer()

    class Meta:
        model = WorkExperience
        fields = ["occupation", "title", "employer_name", "years"]


class RiasecOutputSerializer(serializers.Serializer):
    r = serializers.FloatField(source="riasec_r", allow_null=True)
    i = serializers.FloatField(source="riasec_i", allow_null=True)
    a = serializers.FloatField(source="riasec_a", allow_null=True)
    s = serializers.FloatField(source="riasec_s", allow_null=True)
    e = serializers.FloatField(source="riasec_e", allow_null=True)
    c = serializers.FloatField(source="riasec_c", allow_null=True)


class CandidateRecruiterOutputSerializer(serializers.ModelSerializer):
    """What any employer member may see of a discoverable candidate: no name, contact, age or birth year."""

    access_level = CandidateAccess.RECRUITER
    access = serializers.SerializerMethodField()
    town = TownRefOutputSerializer()
    skills = CandidateSkillOutputSerializer(source="skill_links", many=True)
    languages = CandidateLanguageOutputSerializer(many=True)
    target_occupations = OccupationRefOutputSerializer(many=True)
    available_hours = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = CandidateProfile
        fields = RECRUITER_FIELDS

    # Each shape's schema allows only its own access value, so exactly one branch of the Candidate oneOf matches.
    @extend_schema_field(serializers.ChoiceField(choices=[CandidateAccess.RECRUITER.value]))
    def get_access(self, obj: CandidateProfile) -> str:
        return self.access_level.value


class CandidateApplicantOutputSerializer(CandidateRecruiterOutputSerializer):
    """Recruiter fields plus name and contact: for an employer the candidate applied to."""

    access_level = CandidateAccess.APPLICANT
    first_name = serializers.CharField(source="user.first_name")
    last_name = serializers.CharField(source="user.last_name")
    email = serializers.EmailField(source="user.email")

    class Meta(CandidateRecruiterOutputSerializer.Meta):
        fields = RECRUITER_FIELDS + CONTACT_FIELDS

    @extend_schema_field(serializers.ChoiceField(choices=[CandidateAccess.APPLICANT.value]))
    def get_access(self, obj: CandidateProfile) -> str:
        return self.access_level.value


class CandidateFullOutputSerializer(CandidateApplicantOutputSerializer):
    """The whole profile: for the candidate, their counsellor and staff."""

    access_level = CandidateAccess.FULL
    is_minor = serializers.BooleanField(read_only=True)
    # The derived state (minors always), not the stored field (a counsellor's choice for an adult).
    supervised = serializers.BooleanField(source="is_supervised", read_only=True)
    riasec = RiasecOutputSerializer(source="*")
    work_history = WorkExperienceOutputSerializer(many=True)

    class Meta(CandidateRecruiterOutputSerializer.Meta):
        fields = RECRUITER_FIELDS + CONTACT_FIELDS + FULL_ONLY_FIELDS

    @extend_schema_field(serializers.ChoiceField(choices=[CandidateAccess.FULL.value]))
    def get_access(self, obj: CandidateProfile) -> str:
        return self.access_level.value


SERIALIZER_FOR_ACCESS: dict[CandidateAccess, type[CandidateRecruiterOutputSerializer]] = {
    CandidateAccess.FULL: CandidateFullOutputSerializer,
    CandidateAccess.APPLICANT: CandidateApplicantOutputSerializer,
    CandidateAccess.RECRUITER: CandidateRecruiterOutputSerializer,
}

CandidateOutputSchema = PolymorphicProxySerializer(
    component_name="Candidate",
    serializers={access.value: serializer for access, serializer in SERIALIZER_FOR_ACCESS.items()},
    resource_type_field_name="access",
)
CandidateListOutputSchema = PolymorphicProxySerializer(
    component_name="Candidate",
    serializers={access.value: serializer for access, serializer in SERIALIZER_FOR_ACCESS.items()},
    resource_type_field_name="access",
    many=True,
)


def candidate_data(candidate: CandidateProfile, access: CandidateAccess, context: dict | None = None) -> dict:
    return SERIALIZER_FOR_ACCESS[access](candidate, context=context or {}).data


def candidates_data(candidates, access_for) -> list[dict]:
    """Each of ``candidates`` in the shape ``access_for(candidate)`` allows.

    One serializer per access level for the whole page: a serializer builds its fields (and its nested ones)
    anew for every instance, which cost more than the page's queries when done per row.
    """
    serializers_by_access: dict[CandidateAccess, serializers.Serializer] = {}
    rows = []
    for candidate in candidates:
        access = access_for(candidate)
        serializer = serializers_by_access.get(access)
        if serializer is None:
            serializer = serializers_by_access[access] = SERIALIZER_FOR_ACCESS[access](context={})
        rows.append(serializer.to_representation(candidate))
    return rows
