from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from treem.accounts.models import User
from treem.accounts.policy import PERMISSIONS
from treem.core.api import ErrorSerializer


class JurisdictionOut(serializers.Serializer):
    level = serializers.CharField()
    province = serializers.CharField(allow_null=True)
    communes = serializers.ListField(child=serializers.CharField())
    villages = serializers.ListField(child=serializers.IntegerField())


class MeOut(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name", default=None, allow_null=True)
    jurisdiction = serializers.SerializerMethodField()
    permissions = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "full_name",
            "email",
            "role",
            "organisation",
            "jurisdiction",
            "permissions",
        ]

    @extend_schema(exclude=False)
    def get_jurisdiction(self, user) -> JurisdictionOut:
        j = user.jurisdiction
        return {
            "level": str(j.level),
            "province": j.province_code,
            "communes": sorted(j.commune_codes),
            "villages": sorted(j.village_ids),
        }

    def get_permissions(self, user) -> list[str]:
        return sorted(str(a) for a in PERMISSIONS.get(user.role, frozenset()))


class MeView(APIView):
    """The signed-in user, their role, jurisdiction and what they may do."""

    @extend_schema(
        responses={200: MeOut, 401: ErrorSerializer, 403: ErrorSerializer}, tags=["accounts"]
    )
    def get(self, request):
        return Response(MeOut(request.user).data)
