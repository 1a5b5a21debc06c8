"""Programmes and intakes: public reads; provider staff (and staff) manage their institution's."""
from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.filters import IntakeFilter, ProgrammeFilter
from api.generics import FILTER_BACKENDS, PublicReadMixin
from api.permissions import IsProviderStaffOrAdmin
from api.tabular import FORMAT_PARAMETER, TabularListMixin, tabular_responses
from api.serializers.resources_programmes import (
    IntakeCreateInputSerializer,
    IntakeOutputSerializer,
    IntakeWriteInputSerializer,
    ProgrammeCreateInputSerializer,
    ProgrammeOutputSerializer,
    ProgrammeWriteInputSerializer,
)
from careers.models import Intake, Programme
from careers.selectors import (
    institution_for_new_programme,
    intakes_managed_by,
    intakes_visible_to,
    programme_for_new_intake,
    programmes_managed_by,
    programmes_visible_to,
    with_intake_detail,
    with_programme_detail,
)
from careers.services.programmes import intake_create, intake_update, programme_create, programme_update


PROGRAMMES, INTAKES = ["programmes"], ["intakes"]


def _programme_fields(data: dict) -> tuple[dict, list | None, list | None]:
    fields = {k: v for k, v in data.items() if k not in ("skills_taught", "leads_to", "institution")}
    return fields, data.get("skills_taught"), data.get("leads_to")


def _programme_detail(pk: int) -> dict:
    return ProgrammeOutputSerializer(with_programme_detail(Programme.objects.all()).get(pk=pk)).data


def _intake_detail(pk: int) -> dict:
    return IntakeOutputSerializer(with_intake_detail(Intake.objects.all()).get(pk=pk)).data


class ProgrammeListCreateApi(TabularListMixin, PublicReadMixin, generics.ListAPIView):
    export_name = "programmes"
    write_permission_classes = [IsProviderStaffOrAdmin]
    serializer_class = ProgrammeOutputSerializer
    filter_backends = FILTER_BACKENDS
    filterset_class = ProgrammeFilter
    ordering_fields = ["name_lv", "name_en", "eqf_level", "duration_months", "cost_eur", "id"]
    ordering = ["institution__name_lv", "name_lv", "id"]

    def get_queryset(self):
        return with_programme_detail(programmes_visible_to(user=self.request.user))

    @extend_schema(
        tags=PROGRAMMES, summary="List programmes (active ones, plus your institution's inactive ones)",
        parameters=[FORMAT_PARAMETER], responses=tabular_responses(ProgrammeOutputSerializer(many=True)),
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=PROGRAMMES, summary="Create a programme (provider staff for their institution, staff for any)",
        request=ProgrammeCreateInputSerializer, responses={201: ProgrammeOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = ProgrammeCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        institution = institution_for_new_programme(user=request.user, institution_id=serializer.validated_data.get("institution"))
        fields, skills, occupations = _programme_fields(serializer.validated_data)
        programme = programme_create(institution=institution, fields=fields, skills_taught=skills or (), leads_to=occupations or ())
        return Response(_programme_detail(programme.pk), status=status.HTTP_201_CREATED)


class ProgrammeDetailApi(PublicReadMixin, APIView):
    write_permission_classes = [IsProviderStaffOrAdmin]

    @extend_schema(tags=PROGRAMMES, summary="One programme", responses={200: ProgrammeOutputSerializer})
    def get(self, request: Request, pk: int) -> Response:
        programme = get_object_or_404(with_programme_detail(programmes_visible_to(user=request.user)), pk=pk)
        return Response(ProgrammeOutputSerializer(programme).data)

    @extend_schema(
        tags=PROGRAMMES, summary="Edit your institution's programme", request=ProgrammeWriteInputSerializer(partial=True),
        responses={200: ProgrammeOutputSerializer},
    )
    def patch(self, request: Request, pk: int) -> Response:
        programme = get_object_or_404(programmes_managed_by(user=request.user), pk=pk)
        serializer = ProgrammeWriteInputSerializer(programme, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields, skills, occupations = _programme_fields(serializer.validated_data)
        programme_update(programme=programme, fields=fields, skills_taught=skills, leads_to=occupations)
        return Response(_programme_detail(programme.pk))


class IntakeListCreateApi(TabularListMixin, PublicReadMixin, generics.ListAPIView):
    export_name = "intakes"
    write_permission_classes = [IsProviderStaffOrAdmin]
    serializer_class = IntakeOutputSerializer
    filter_backends = FILTER_BACKENDS
    filterset_class = IntakeFilter
    ordering_fields = ["start_date", "application_deadline", "seats", "id"]
    ordering = ["start_date", "id"]

    def get_queryset(self):
        return with_intake_detail(intakes_visible_to(user=self.request.user))

    @extend_schema(
        tags=INTAKES, summary="List intakes (upcoming only unless upcoming=false)",
        parameters=[FORMAT_PARAMETER], responses=tabular_responses(IntakeOutputSerializer(many=True)),
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=INTAKES, summary="Add an intake to your institution's programme", request=IntakeCreateInputSerializer,
        responses={201: IntakeOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = IntakeCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        programme = programme_for_new_intake(user=request.user, programme_id=serializer.validated_data["programme"])
        intake = intake_create(programme=programme, fields=serializer.validated_data)
        return Response(_intake_detail(intake.pk), status=status.HTTP_201_CREATED)


class IntakeDetailApi(PublicReadMixin, APIView):
    write_permission_classes = [IsProviderStaffOrAdmin]

    @extend_schema(tags=INTAKES, summary="One intake", responses={200: IntakeOutputSerializer})
    def get(self, request: Request, pk: int) -> Response:
        intake = get_object_or_404(with_intake_detail(intakes_visible_to(user=request.user)), pk=pk)
        return Response(IntakeOutputSerializer(intake).data)

    @extend_schema(
        tags=INTAKES, summary="Edit your institution's intake", request=IntakeWriteInputSerializer(partial=True),
        responses={200: IntakeOutputSerializer},
    )
    def patch(self, request: Request, pk: int) -> Response:
        intake = get_object_or_404(intakes_managed_by(user=request.user), pk=pk)
        serializer = IntakeWriteInputSerializer(intake, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        intake_update(intake=intake, fields=serializer.validated_data)
        return Response(_intake_detail(intake.pk))
