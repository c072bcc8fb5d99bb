from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from treem.core.api import ErrorSerializer
from treem.geo import selectors
from treem.geo.models import Commune, CommuneConversion, Province


class ProvinceOut(serializers.ModelSerializer):
    class Meta:
        model = Province
        fields = ["code", "name", "division_type"]


class CommuneOut(serializers.ModelSerializer):
    province = serializers.CharField(source="province_id")

    class Meta:
        model = Commune
        fields = ["code", "name", "division_type", "province"]


class ConversionOut(serializers.ModelSerializer):
    legacy_code = serializers.CharField(source="legacy_commune_id")
    legacy_name = serializers.CharField(source="legacy_commune.name")
    commune = CommuneOut()

    class Meta:
        model = CommuneConversion
        fields = ["legacy_code", "legacy_name", "commune", "is_partly_merged", "is_primary"]


_Q = OpenApiParameter("q", str, description="Accent-insensitive part of the name")


class _Public:
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes: list = []


@extend_schema(parameters=[_Q], responses={200: ProvinceOut(many=True)}, tags=["geo"])
class ProvinceList(_Public, generics.ListAPIView):
    """Provinces of the July-2025 map."""

    serializer_class = ProvinceOut

    def get_queryset(self):
        return selectors.provinces_search(query=self.request.query_params.get("q", ""))


@extend_schema(responses={200: ProvinceOut, 404: ErrorSerializer}, tags=["geo"])
class ProvinceDetail(_Public, generics.RetrieveAPIView):
    serializer_class = ProvinceOut
    queryset = Province.objects.all()
    lookup_field = "code"


@extend_schema(
    parameters=[_Q, OpenApiParameter("province", str, description="Province code")],
    responses={200: CommuneOut(many=True)},
    tags=["geo"],
)
class CommuneList(_Public, generics.ListAPIView):
    """Communes, wards and special zones of the July-2025 map."""

    serializer_class = CommuneOut

    def get_queryset(self):
        params = self.request.query_params
        return selectors.communes_search(
            province_code=params.get("province") or None, query=params.get("q", "")
        )


@extend_schema(responses={200: CommuneOut, 404: ErrorSerializer}, tags=["geo"])
class CommuneDetail(_Public, generics.RetrieveAPIView):
    serializer_class = CommuneOut
    queryset = Commune.objects.all()
    lookup_field = "code"


@extend_schema(responses={200: ConversionOut(many=True)}, tags=["geo"])
class LegacyConversion(_Public, generics.ListAPIView):
    """Which current commune(s) a legacy (pre-July-2025) commune became."""

    serializer_class = ConversionOut
    pagination_class = None

    def get_queryset(self):
        return selectors.communes_for_legacy(legacy_code=self.kwargs["code"])
