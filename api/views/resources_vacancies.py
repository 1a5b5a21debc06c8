"""Vacancies: public listing; employer members (and staff) create drafts, edit and publish their own."""
from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.filters import VacancyFilter
from api.generics import FILTER_BACKENDS, PublicReadMixin
from api.permissions import IsEmployerMemberOrAdmin
from api.serializers.resources_common import request_language
from api.tabular import FORMAT_PARAMETER, TabularListMixin, tabular_responses
from api.serializers.resources_vacancies import (
    VacancyCreateInputSerializer,
    VacancyOutputSerializer,
    VacancyStatusInputSerializer,
    VacancyWriteInputSerializer,
)
from careers.models import Vacancy
from careers.selectors import employer_for_new_vacancy, vacancies_managed_by, vacancies_visible_to, with_vacancy_detail
from careers.selectors.listings import vacancy_rows, vacancy_values
from careers.services.vacancies import vacancy_create, vacancy_set_status, vacancy_update


TAG = ["vacancies"]
CREATE_EXAMPLE = OpenApiExample(
    "Welder draft",
    value={
        "title": "Metinātājs (MIG/MAG)", "description": "Metālkonstrukciju metināšana ražotnē.", "town": 1,
        "contract_kind": "permanent", "hours": "full_time", "salary_min": 1400, "salary_max": 1900,
        "skills": [{"uri": "http://data.europa.eu/esco/skill/example", "essential": True}],
        "languages": [{"language": "lv", "level": 3}],
    },
    request_only=True,
)


def _split(data: dict) -> tuple[dict, list | None, list | None]:
    """Plain fields, then skills as (Skill, essential) and languages as (code, level), or None when absent.

    On PATCH (partial) nested defaults are not applied by DRF, hence the .get with the default.
    """
    fields = {k: v for k, v in data.items() if k not in ("skills", "languages", "employer")}
    skills = [(item["uri"], item.get("essential", True)) for item in data["skills"]] if "skills" in data else None
    languages = [(item["language"], item["level"]) for item in data["languages"]] if "languages" in data else None
    return fields, skills, languages


def _detail(vacancy_id: int) -> dict:
    """The stored state after a write, read back with everything prefetched."""
    return VacancyOutputSerializer(with_vacancy_detail(Vacancy.objects.all()).get(pk=vacancy_id)).data


class VacancyListCreateApi(TabularListMixin, PublicReadMixin, generics.ListAPIView):
    export_name = "vacancies"
    write_permission_classes = [IsEmployerMemberOrAdmin]
    serializer_class = VacancyOutputSerializer
    filter_backends = FILTER_BACKENDS
    filterset_class = VacancyFilter
    ordering_fields = ["published_at", "expires_at", "salary_min", "salary_max", "title", "id"]
    ordering = ["-published_at", "-id"]

    def get_queryset(self):
        return vacancies_visible_to(user=self.request.user)

    @extend_schema(
        tags=TAG, summary="List vacancies: open, unexpired, verified employers (plus your own in any status)",
        parameters=[FORMAT_PARAMETER], responses=tabular_responses(VacancyOutputSerializer(many=True)),
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        # The page is read as plain rows, not model instances (see careers.selectors.listings).
        rows = vacancy_values(self.filter_queryset(self.get_queryset()))
        page = self.paginate_queryset(rows)  # None for a spreadsheet: every row (TabularListMixin)
        data = vacancy_rows(list(rows if page is None else page), language=request_language())
        return Response(data) if page is None else self.get_paginated_response(data)

    @extend_schema(
        tags=TAG, summary="Create a draft vacancy (employer members, staff)", request=VacancyCreateInputSerializer,
        responses={201: VacancyOutputSerializer}, examples=[CREATE_EXAMPLE],
    )
    def post(self, request: Request) -> Response:
        serializer = VacancyCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        employer = employer_for_new_vacancy(user=request.user, employer_id=serializer.validated_data.get("employer"))
        fields, skills, languages = _split(serializer.validated_data)
        vacancy = vacancy_create(employer=employer, fields=fields, skills=skills or (), languages=languages or ())
        return Response(_detail(vacancy.pk), status=status.HTTP_201_CREATED)


class VacancyDetailApi(PublicReadMixin, APIView):
    write_permission_classes = [IsEmployerMemberOrAdmin]

    @extend_schema(tags=TAG, summary="One vacancy", responses={200: VacancyOutputSerializer})
    def get(self, request: Request, pk: int) -> Response:
        vacancy = get_object_or_404(with_vacancy_detail(vacancies_visible_to(user=request.user)), pk=pk)
        return Response(VacancyOutputSerializer(vacancy).data)

    @extend_schema(
        tags=TAG, summary="Edit your vacancy (skills / languages replace the lists when given)",
        request=VacancyWriteInputSerializer(partial=True), responses={200: VacancyOutputSerializer},
    )
    def patch(self, request: Request, pk: int) -> Response:
        vacancy = get_object_or_404(vacancies_managed_by(user=request.user), pk=pk)
        serializer = VacancyWriteInputSerializer(vacancy, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields, skills, languages = _split(serializer.validated_data)
        vacancy_update(vacancy=vacancy, fields=fields, skills=skills, languages=languages)
        return Response(_detail(vacancy.pk))


class VacancyStatusApi(APIView):
    permission_classes = [IsEmployerMemberOrAdmin]

    @extend_schema(
        tags=TAG, summary="Publish or close your vacancy (draft → open → closed; open needs a verified employer)",
        request=VacancyStatusInputSerializer, responses={200: VacancyOutputSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        vacancy = get_object_or_404(vacancies_managed_by(user=request.user), pk=pk)
        serializer = VacancyStatusInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        vacancy_set_status(vacancy=vacancy, status=serializer.validated_data["status"])
        return Response(_detail(vacancy.pk))
