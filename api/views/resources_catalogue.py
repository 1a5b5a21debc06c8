"""Public catalogue: skills, occupations, towns, institutions, verified employers."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema

from api.filters import EmployerFilter, InstitutionFilter, OccupationFilter, SkillFilter, TownFilter
from api.generics import PublicDetailApi, PublicListApi
from api.serializers.resources_catalogue import (
    EmployerOutputSerializer,
    InstitutionOutputSerializer,
    OccupationOutputSerializer,
    SkillOutputSerializer,
    TownOutputSerializer,
)
from careers.models import Institution, Occupation, Skill, Town
from careers.selectors import employers_public


TAG = ["catalogue"]


@extend_schema(tags=TAG, summary="List ESCO skills (search ranks what you type: exact, prefix, fuzzy; lv and en)", responses={200: SkillOutputSerializer(many=True)})
class SkillListApi(PublicListApi):
    queryset = Skill.objects.all()
    serializer_class = SkillOutputSerializer
    filterset_class = SkillFilter
    ordering_fields = ["label_en", "label_lv", "id"]
    ordering = ["label_en", "id"]

    def filter_queryset(self, queryset):
        """With ``?search=`` and no ``?ordering=``, the search's own ranking (best match first)."""
        rows = super().filter_queryset(queryset)
        params = self.request.query_params
        if params.get("search", "").strip() and not params.get("ordering"):
            rows = rows.order_by("search_rank", "id")
        return rows


@extend_schema(tags=TAG, summary="One skill", responses={200: SkillOutputSerializer})
class SkillDetailApi(PublicDetailApi):
    queryset = Skill.objects.all()
    serializer_class = SkillOutputSerializer


@extend_schema(tags=TAG, summary="List ESCO occupations (search folds case and diacritics)", responses={200: OccupationOutputSerializer(many=True)})
class OccupationListApi(PublicListApi):
    queryset = Occupation.objects.all()
    serializer_class = OccupationOutputSerializer
    filterset_class = OccupationFilter
    ordering_fields = ["label_en", "label_lv", "isco_code", "id"]
    ordering = ["label_en", "id"]


@extend_schema(tags=TAG, summary="One occupation", responses={200: OccupationOutputSerializer})
class OccupationDetailApi(PublicDetailApi):
    queryset = Occupation.objects.all()
    serializer_class = OccupationOutputSerializer


@extend_schema(tags=TAG, summary="List towns", responses={200: TownOutputSerializer(many=True)})
class TownListApi(PublicListApi):
    queryset = Town.objects.all()
    serializer_class = TownOutputSerializer
    filterset_class = TownFilter
    ordering_fields = ["name", "id"]
    ordering = ["name"]


@extend_schema(tags=TAG, summary="One town", responses={200: TownOutputSerializer})
class TownDetailApi(PublicDetailApi):
    queryset = Town.objects.all()
    serializer_class = TownOutputSerializer


@extend_schema(tags=TAG, summary="List schools, universities and training centres", responses={200: InstitutionOutputSerializer(many=True)})
class InstitutionListApi(PublicListApi):
    queryset = Institution.objects.select_related("town")
    serializer_class = InstitutionOutputSerializer
    filterset_class = InstitutionFilter
    ordering_fields = ["name_lv", "name_en", "id"]
    ordering = ["name_lv"]


@extend_schema(tags=TAG, summary="One institution", responses={200: InstitutionOutputSerializer})
class InstitutionDetailApi(PublicDetailApi):
    queryset = Institution.objects.select_related("town")
    serializer_class = InstitutionOutputSerializer


@extend_schema(tags=TAG, summary="List verified employers", responses={200: EmployerOutputSerializer(many=True)})
class EmployerListApi(PublicListApi):
    serializer_class = EmployerOutputSerializer
    filterset_class = EmployerFilter
    ordering_fields = ["name", "id"]
    ordering = ["name"]

    def get_queryset(self):
        return employers_public()


@extend_schema(tags=TAG, summary="One verified employer", responses={200: EmployerOutputSerializer})
class EmployerDetailApi(PublicDetailApi):
    serializer_class = EmployerOutputSerializer

    def get_queryset(self):
        return employers_public()
