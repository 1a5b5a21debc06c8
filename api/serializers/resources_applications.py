"""Applications: the shape every party sees, and the candidate's and the parties' bodies."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from careers.models import Application, Intake, Vacancy

from .resources_candidates import CandidateApplicantOutputSerializer
from .resources_common import MAX_ID, EmployerRefOutputSerializer, InstitutionRefOutputSerializer

MAX_MESSAGE_LENGTH = 2000
MSG_ONE_TARGET = _("Give exactly one of vacancy or intake.")


class ApplicationVacancyOutputSerializer(serializers.ModelSerializer):
    employer = EmployerRefOutputSerializer()

    class Meta:
        model = Vacancy
        fields = ["id", "title", "employer"]


class ApplicationProgrammeOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name_lv = serializers.CharField()
    name_en = serializers.CharField()
    institution = InstitutionRefOutputSerializer()


class ApplicationIntakeOutputSerializer(serializers.ModelSerializer):
    programme = ApplicationProgrammeOutputSerializer()

    class Meta:
        model = Intake
        fields = ["id", "start_date", "programme"]


class ApplicationOutputSerializer(serializers.ModelSerializer):
    """Applying shares the applicant's recruiter fields and contact details with the posting's owner."""

    vacancy = ApplicationVacancyOutputSerializer(allow_null=True)
    intake = ApplicationIntakeOutputSerializer(allow_null=True)
    candidate = CandidateApplicantOutputSerializer()
    allowed_transitions = serializers.SerializerMethodField(help_text="Statuses you may move this application to now.")

    class Meta:
        model = Application
        fields = ["id", "status", "vacancy", "intake", "candidate", "message", "created_at", "updated_at", "allowed_transitions"]

    def get_allowed_transitions(self, obj: Application) -> list[str]:
        allowed = self.context.get("allowed_transitions")
        return allowed(obj) if allowed else []


class ApplicationCreateInputSerializer(serializers.Serializer):
    vacancy = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, help_text="A public vacancy's id.")
    intake = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, help_text="An upcoming intake's id.")
    message = serializers.CharField(max_length=MAX_MESSAGE_LENGTH, required=False, allow_blank=True, default="")

    def validate(self, attrs: dict) -> dict:
        if ("vacancy" in attrs) == ("intake" in attrs):
            raise serializers.ValidationError({"non_field_errors": [MSG_ONE_TARGET]})
        return attrs


class ApplicationStatusInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[s for s in Application.Status.values if s != Application.Status.SUBMITTED],
        help_text="submitted → viewed → shortlisted | rejected → hired (vacancy) / enrolled (intake); withdrawn by the candidate.",
    )
