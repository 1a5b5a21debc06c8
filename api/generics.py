"""Shared bits of the resource views: public list/detail bases and pagination for recruiters."""
from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import generics
from rest_framework.permissions import SAFE_METHODS, AllowAny, BasePermission

from api.filters import StrictOrderingFilter
from api.pagination import StandardPagination

FILTER_BACKENDS = [DjangoFilterBackend, StrictOrderingFilter]


class PublicListApi(generics.ListAPIView):
    """Anyone may list; subclasses set queryset, serializer_class, filterset_class and ordering."""

    permission_classes = [AllowAny]
    filter_backends = FILTER_BACKENDS


class PublicDetailApi(generics.RetrieveAPIView):
    permission_classes = [AllowAny]


class RecruiterPagination(StandardPagination):
    """Employers browse candidates at most 20 at a time, so paging through everyone is slow and visible."""

    max_page_size = 20


class PublicReadMixin:
    """Anyone reads (GET/HEAD/OPTIONS); writes need every class in ``write_permission_classes``."""

    write_permission_classes: list[type[BasePermission]] = []

    def get_permissions(self) -> list[BasePermission]:
        request = getattr(self, "request", None)
        if request is not None and request.method in SAFE_METHODS:
            return [AllowAny()]
        return [permission() for permission in self.write_permission_classes]
