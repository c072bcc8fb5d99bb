"""REST API of the people app: the register, coverage, nominations (scoped as in the UI) and the
council's votes. Explicit serializers; errors in the one shape of `treem.core.api`."""

from __future__ import annotations

import datetime

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from treem.accounts.policy import Action, require
from treem.core.api import ErrorSerializer
from treem.people import access, selectors, services
from treem.people.models import CouncilMeeting, Nomination, NominationStatus, PostKind


class PostOut(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PostKind.choices)
    position = serializers.CharField()
    is_responsible = serializers.BooleanField()
    commune = serializers.CharField(source="commune_id", allow_null=True)
    started_on = serializers.DateField()
    ended_on = serializers.DateField(allow_null=True)


class PersonOut(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    commune = serializers.CharField(source="commune_id", allow_null=True)
    posts = serializers.SerializerMethodField()

    @extend_schema_field(PostOut(many=True))
    def get_posts(self, person) -> list[dict]:
        periods = self.context.get("periods", {}).get(person.pk, [])
        return PostOut(periods, many=True).data


class StaffList(generics.ListAPIView):
    """People in post today within the user's jurisdiction, in Vietnamese order."""

    serializer_class = PersonOut

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Name, with or without diacritics"),
            OpenApiParameter("kind", str, enum=PostKind.values),
        ],
        responses={200: PersonOut(many=True), 401: ErrorSerializer, 403: ErrorSerializer},
        tags=["people"],
    )
    def get(self, request, *args, **kwargs):
        require(request.user, Action.STAFF_VIEW)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        kind = self.request.query_params.get("kind", "")
        return selectors.people_list(
            user=self.request.user,
            q=self.request.query_params.get("q", "")[:100],
            kind=kind if kind in PostKind.values else "",
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        rows = page if page is not None else list(self.get_queryset())
        periods = selectors.current_periods(rows, datetime.date.today())
        data = PersonOut(rows, many=True, context={"periods": periods}).data
        return self.get_paginated_response(data) if page is not None else Response(data)


class CommuneCoverageOut(serializers.Serializer):
    commune = serializers.CharField(source="commune.code")
    commune_name = serializers.CharField(source="commune.name")
    trained_responsible = serializers.BooleanField()
    officials = serializers.IntegerField()
    collaborators = serializers.IntegerField()
    villages = serializers.IntegerField()
    villages_covered = serializers.IntegerField()
    villages_without = serializers.ListField(child=serializers.CharField())


class CoverageList(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("on", datetime.date, description="Day (default today)")],
        responses={200: CommuneCoverageOut(many=True), 401: ErrorSerializer, 403: ErrorSerializer},
        tags=["people"],
    )
    def get(self, request):
        require(request.user, Action.COVERAGE_VIEW)
        on = request.query_params.get("on")
        try:
            day = datetime.date.fromisoformat(on) if on else datetime.date.today()
        except ValueError:
            raise serializers.ValidationError(
                {"on": [_("Ngày phải có dạng YYYY-MM-DD, ví dụ 2026-06-30.")]}
            ) from None
        cov = selectors.coverage_for_user(user=request.user, on=day)
        return Response(CommuneCoverageOut(cov.rows, many=True).data)


class NominationOut(serializers.Serializer):
    id = serializers.IntegerField()
    nominee = serializers.CharField(source="nominee_name")
    nominee_kind = serializers.ChoiceField(choices=Nomination.NomineeKind.choices)
    award_form = serializers.CharField(source="award_form.name")
    award_year = serializers.IntegerField()
    nominating_unit = serializers.CharField(source="nominating_unit.name")
    status = serializers.ChoiceField(choices=NominationStatus.choices)
    decision = serializers.CharField(source="decision.number", allow_null=True, default=None)


class NominationList(generics.ListAPIView):
    serializer_class = NominationOut

    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=NominationStatus.values)],
        responses={200: NominationOut(many=True), 401: ErrorSerializer, 403: ErrorSerializer},
        tags=["people"],
    )
    def get(self, request, *args, **kwargs):
        require(request.user, Action.NOMINATION_VIEW)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        value = self.request.query_params.get("status", "")
        return selectors.nominations_for_user(
            user=self.request.user, status=value if value in NominationStatus.values else ""
        )


class VoteIn(serializers.Serializer):
    nomination = serializers.IntegerField()
    in_favour = serializers.BooleanField()


class VoteOut(serializers.Serializer):
    id = serializers.IntegerField()
    nomination = serializers.IntegerField(source="nomination_id")
    in_favour = serializers.BooleanField()


class VoteCreate(APIView):
    """A council member's vote on one nominee of an open meeting. A second vote is refused."""

    @extend_schema(
        request=VoteIn,
        responses={
            201: VoteOut,
            400: ErrorSerializer,
            401: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
        tags=["people"],
    )
    def post(self, request, pk: int):
        meeting = get_object_or_404(
            CouncilMeeting, pk=pk, council__province_id=access.province_code(request.user)
        )
        data = VoteIn(data=request.data)
        data.is_valid(raise_exception=True)
        nomination = get_object_or_404(
            Nomination, pk=data.validated_data["nomination"], meeting=meeting
        )
        vote = services.vote_cast(
            actor=request.user,
            meeting=meeting,
            nomination=nomination,
            in_favour=data.validated_data["in_favour"],
        )
        return Response(VoteOut(vote).data, status=status.HTTP_201_CREATED)
