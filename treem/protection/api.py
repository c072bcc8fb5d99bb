"""REST API of protection cases: hotline 111 (or any partner system, through its own service account
and token) files reports; staff read case status scoped as in the UI. No child's name, reporter or
detail of what happened is ever returned: status, place and due times only."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from treem.accounts.policy import Action, require
from treem.core.api import ErrorSerializer
from treem.geo.models import Commune, Village
from treem.protection import access, selectors, services
from treem.protection.intake import public_status
from treem.protection.models import AbuseType, Case, Channel, Report


class ReportIn(serializers.Serializer):
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.HOTLINE)
    commune = serializers.CharField(max_length=5, help_text="GSO code of the commune (July 2025)")
    village = serializers.IntegerField(required=False, allow_null=True)
    happened_on = serializers.DateField(required=False, allow_null=True)
    what_happened = serializers.CharField(max_length=10000)
    abuse_types = serializers.ListField(
        child=serializers.ChoiceField(choices=AbuseType.choices), required=False, max_length=8
    )
    suspected_person = serializers.CharField(max_length=300, required=False, allow_blank=True)
    child_description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    is_anonymous = serializers.BooleanField(default=False)
    reporter_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    reporter_phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    reporter_email = serializers.EmailField(required=False, allow_blank=True)
    reporter_relation = serializers.CharField(max_length=100, required=False, allow_blank=True)
    external_ref = serializers.CharField(max_length=64, required=False, allow_blank=True)

    def validate_commune(self, value: str) -> Commune:
        commune = Commune.objects.filter(code=value.strip().zfill(5)).first()
        if commune is None:
            raise serializers.ValidationError(
                _("Không có xã, phường với mã này. Hãy dùng mã 5 chữ số của danh mục hành chính.")
            )
        return commune

    def validate(self, data):
        village_id = data.pop("village", None)
        data["village"] = None
        if village_id is not None:
            village = Village.objects.filter(pk=village_id).first()
            if village is None or village.commune_id != data["commune"].code:
                raise serializers.ValidationError(
                    {
                        "village": _(
                            "Thôn, ấp không thuộc xã, phường đã chọn. Hãy chọn thôn, ấp của xã đó."
                        )
                    }
                )
            data["village"] = village
        return data


class ReportOut(serializers.Serializer):
    id = serializers.IntegerField()
    case_id = serializers.IntegerField()
    case_code = serializers.CharField()
    commune = serializers.CharField()
    received_at = serializers.DateTimeField()
    progress = serializers.ChoiceField(choices=["received", "in_progress", "closed"])


class ReportStatusOut(serializers.Serializer):
    id = serializers.IntegerField()
    progress = serializers.ChoiceField(choices=["received", "in_progress", "closed"])


class CaseStatusOut(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    step = serializers.ChoiceField(choices=Case.Status.choices, source="status")
    commune = serializers.CharField(source="commune_id")
    opened_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    is_emergency = serializers.BooleanField()
    is_overdue = serializers.SerializerMethodField()
    escalated = serializers.SerializerMethodField()

    def get_is_overdue(self, case) -> bool:
        return bool(case.due_at and case.due_at < timezone.now())

    def get_escalated(self, case) -> bool:
        return case.escalated_at is not None


def _report_out(report: Report) -> dict:
    case = report.case
    return {
        "id": report.pk,
        "case_id": case.pk,
        "case_code": case.code,
        "commune": report.commune_id,
        "received_at": report.received_at,
        "progress": public_status_for_case(case),
    }


def public_status_for_case(case: Case) -> str:
    if case.status == Case.Status.RECEIVED:
        return "received"
    return "closed" if case.status == Case.Status.CLOSED else "in_progress"


class ReportCreate(APIView):
    """File a report (Form 01). Routed at once to the commune where it happened."""

    @extend_schema(
        request=ReportIn,
        responses={
            201: ReportOut,
            400: ErrorSerializer,
            401: ErrorSerializer,
            403: ErrorSerializer,
        },
        tags=["protection"],
    )
    def post(self, request):
        require(request.user, Action.CASE_RECEIVE)
        data = ReportIn(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.report_receive(actor=request.user, **data.validated_data)
        return Response(_report_out(report), status=status.HTTP_201_CREATED)


class ReportStatus(APIView):
    """How far a report has got: received, in progress or closed. Readable by the account that
    filed it and by those who may see the case."""

    @extend_schema(
        responses={200: ReportStatusOut, 401: ErrorSerializer, 404: ErrorSerializer},
        tags=["protection"],
    )
    def get(self, request, pk: int):
        report = Report.objects.select_related("case").filter(pk=pk).first()
        if report is None or not (
            report.received_by_id == request.user.pk or access.can_view(request.user, report.case)
        ):
            raise Http404
        if report.source_concern_id:
            value = public_status(concern_id=report.source_concern_id)
        else:
            value = public_status_for_case(report.case)
        return Response({"id": report.pk, "progress": value})


class CaseList(generics.ListAPIView):
    """Cases the user may see (role and jurisdiction), newest first."""

    serializer_class = CaseStatusOut

    @extend_schema(
        responses={200: CaseStatusOut(many=True), 401: ErrorSerializer, 403: ErrorSerializer},
        tags=["protection"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.cases_for_user(user=self.request.user).order_by("-opened_at", "-id")


class CaseDetail(APIView):
    @extend_schema(
        responses={200: CaseStatusOut, 401: ErrorSerializer, 404: ErrorSerializer},
        tags=["protection"],
    )
    def get(self, request, pk: int):
        case = access.case_get_for_user(request.user, pk)
        return Response(CaseStatusOut(case).data)
