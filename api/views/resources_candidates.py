"""Candidates as each role may see them; the rules live in careers.selectors.candidates."""
from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.filters import CandidateFilter
from api.generics import FILTER_BACKENDS, RecruiterPagination
from api.pagination import StandardPagination
from api.permissions import CanSeeCandidates
from api.serializers.resources_candidates import CandidateListOutputSchema, CandidateOutputSchema, candidate_data, candidates_data
from careers.models import Role
from careers.selectors.roles import role_of
from careers.selectors import (
    candidate_access_for,
    candidates_visible_to,
    is_admin,
    with_candidate_access,
    with_candidate_profile,
)


TAG = ["candidates"]


def _is_recruiter(user) -> bool:
    return role_of(user) == Role.EMPLOYER and not is_admin(user)


class CandidateListApi(generics.ListAPIView):
    """Employers list only their own applicants (careers.selectors.candidates_visible_to), 20 a page."""

    permission_classes = [CanSeeCandidates]
    filter_backends = FILTER_BACKENDS
    filterset_class = CandidateFilter
    ordering_fields = ["id", "available_from"]
    ordering = ["id"]

    def get_queryset(self):
        user = self.request.user
        return with_candidate_access(with_candidate_profile(candidates_visible_to(user=user)), user=user)

    @property
    def paginator(self):
        if not hasattr(self, "_paginator"):
            self._paginator = RecruiterPagination() if _is_recruiter(self.request.user) else StandardPagination()
        return self._paginator

    @extend_schema(
        tags=TAG,
        summary="Candidates you may see (yourself; your caseload; for employers, those who applied to their vacancies)",
        responses={200: CandidateListOutputSchema},
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = candidates_data(page, lambda c: candidate_access_for(user=request.user, candidate=c))
        return self.get_paginated_response(rows)


class CandidateDetailApi(APIView):
    permission_classes = [CanSeeCandidates]

    @extend_schema(tags=TAG, summary="One candidate, with the fields your role may see", responses={200: CandidateOutputSchema})
    def get(self, request: Request, pk: int) -> Response:
        queryset = with_candidate_access(with_candidate_profile(candidates_visible_to(user=request.user)), user=request.user)
        candidate = get_object_or_404(queryset, pk=pk)
        return Response(candidate_data(candidate, candidate_access_for(user=request.user, candidate=candidate)))
