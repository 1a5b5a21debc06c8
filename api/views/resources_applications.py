"""Applications: candidates apply; employers and providers move applications to their own postings."""
from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from api.filters import ApplicationFilter
from api.generics import FILTER_BACKENDS
from api.permissions import CanMoveApplications, CanSeeApplications, IsCandidate
from api.tabular import FORMAT_PARAMETER, TabularListMixin, tabular_responses
from api.serializers.resources_applications import (
    ApplicationCreateInputSerializer,
    ApplicationOutputSerializer,
    ApplicationStatusInputSerializer,
)
from careers.models import Application
from careers.selectors import applications_managed_by, applications_visible_to, candidate_of, with_application_detail
from careers.services.applications import allowed_transitions, application_create, application_transition, side_for


TAG = ["applications"]


class ApplicationCreateThrottle(ScopedRateThrottle):
    """Applying is rate-limited per user (settings: DEFAULT_THROTTLE_RATES['applications'])."""

    scope_attr = "throttle_scope"


def _context(user) -> dict:
    def allowed(application: Application) -> list[str]:
        side = side_for(user=user, application=application)
        return allowed_transitions(application=application, side=side) if side else []

    return {"allowed_transitions": allowed}


def _detail(user, pk: int) -> dict:
    application = with_application_detail(Application.objects.all()).get(pk=pk)
    return ApplicationOutputSerializer(application, context=_context(user)).data


class ApplicationListCreateApi(TabularListMixin, generics.ListAPIView):
    export_name = "applications"
    serializer_class = ApplicationOutputSerializer
    filter_backends = FILTER_BACKENDS
    filterset_class = ApplicationFilter
    ordering_fields = ["created_at", "updated_at", "status", "id"]
    ordering = ["-created_at", "-id"]
    throttle_scope = "applications"

    def get_permissions(self):
        return [IsCandidate()] if self.request.method == "POST" else [CanSeeApplications()]

    def get_throttles(self):
        # Applying has its own, stricter rate on top of the global anon/user throttles.
        throttles = super().get_throttles()
        return [ApplicationCreateThrottle(), *throttles] if self.request.method == "POST" else throttles

    def get_queryset(self):
        return with_application_detail(applications_visible_to(user=self.request.user))

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), **_context(self.request.user)}

    @extend_schema(
        tags=TAG, summary="Applications that concern you (own; to your postings; your caseload's)",
        parameters=[FORMAT_PARAMETER], responses=tabular_responses(ApplicationOutputSerializer(many=True)),
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=TAG, summary="Apply to a public vacancy or an upcoming intake (once each)",
        request=ApplicationCreateInputSerializer,
        responses={201: ApplicationOutputSerializer},
        examples=[OpenApiExample("To a vacancy", value={"vacancy": 12, "message": "Labprāt strādātu maiņās."}, request_only=True)],
    )
    def post(self, request: Request) -> Response:
        serializer = ApplicationCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        application = application_create(
            candidate=candidate_of(request.user),
            vacancy_id=data.get("vacancy"),
            intake_id=data.get("intake"),
            message=data["message"],
        )
        return Response(_detail(request.user, application.pk), status=status.HTTP_201_CREATED)


class ApplicationDetailApi(APIView):
    permission_classes = [CanSeeApplications]

    @extend_schema(tags=TAG, summary="One application", responses={200: ApplicationOutputSerializer})
    def get(self, request: Request, pk: int) -> Response:
        application = get_object_or_404(with_application_detail(applications_visible_to(user=request.user)), pk=pk)
        return Response(ApplicationOutputSerializer(application, context=_context(request.user)).data)


class ApplicationStatusApi(APIView):
    permission_classes = [CanMoveApplications]

    @extend_schema(
        tags=TAG,
        summary="Move an application (owner: viewed, shortlisted, rejected, hired/enrolled; candidate: withdrawn)",
        request=ApplicationStatusInputSerializer,
        responses={200: ApplicationOutputSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        application = get_object_or_404(applications_managed_by(user=request.user).select_related("candidate"), pk=pk)
        serializer = ApplicationStatusInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        side = side_for(user=request.user, application=application)
        application_transition(application=application, status=serializer.validated_data["status"], side=side)
        return Response(_detail(request.user, application.pk))
