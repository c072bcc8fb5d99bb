"""REST API of social assistance: the calculator (no personal data), dossiers' status, payment
lists (scoped and audited as in the pages) and their approval, and the public tracking of a dossier
by its code."""

from __future__ import annotations

import csv
import io

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from treem.assistance import access, rules, services
from treem.assistance.calculator import INPUT_COLUMNS, calculate
from treem.assistance.models import Dossier, PaymentChannel, PaymentLine
from treem.core.api import ErrorSerializer
from treem.lib.allowance import BASES, Month, format_coefficient


class CaseRowIn(serializers.Serializer):
    case_id = serializers.CharField(max_length=64)
    birth_date = serializers.CharField(max_length=10)
    basis = serializers.ChoiceField(choices=[(b, b) for b in BASES])
    basis_from = serializers.CharField(max_length=10, required=False, allow_blank=True)
    basis_to = serializers.CharField(max_length=10, required=False, allow_blank=True)
    studying_until = serializers.CharField(max_length=10, required=False, allow_blank=True)
    decided_on = serializers.CharField(max_length=10)
    from_month = serializers.CharField(max_length=7, required=False, allow_blank=True)
    to_month = serializers.CharField(max_length=7, required=False, allow_blank=True)


class PaymentIn(serializers.Serializer):
    case_id = serializers.CharField(max_length=64)
    month = serializers.RegexField(r"^\d{4}-(0[1-9]|1[0-2])$")
    amount = serializers.IntegerField(min_value=0, max_value=10**12)


class CalculateIn(serializers.Serializer):
    rows = serializers.ListField(child=CaseRowIn(), max_length=5000, allow_empty=False)
    payments = PaymentIn(many=True, required=False)


class MonthOut(serializers.Serializer):
    case_id = serializers.CharField()
    month = serializers.CharField()
    coefficient = serializers.CharField()
    standard_amount = serializers.IntegerField()
    amount = serializers.IntegerField()
    arrears = serializers.BooleanField()


class AdjustmentOut(serializers.Serializer):
    case_id = serializers.CharField()
    month = serializers.CharField()
    kind = serializers.ChoiceField(choices=["arrears", "recovery"])
    amount = serializers.IntegerField()


class RowErrorOut(serializers.Serializer):
    line = serializers.IntegerField(help_text="line of the equivalent CSV (header is line 1)")
    case_id = serializers.CharField()
    message = serializers.CharField()


class CalculateOut(serializers.Serializer):
    months = MonthOut(many=True)
    adjustments = AdjustmentOut(many=True)
    errors = RowErrorOut(many=True)


class Calculate(APIView):
    """The calculator: one row per basis in, one row per month out (as the CSV command); bad rows
    reported with their line, the good ones computed. Optional payments give arrears and
    recovery."""

    @extend_schema(
        request=CalculateIn,
        responses={
            200: CalculateOut,
            400: ErrorSerializer,
            401: ErrorSerializer,
            403: ErrorSerializer,
        },
        tags=["assistance"],
    )
    def post(self, request):
        if not access.can_calculate(request.user):
            raise PermissionDenied
        data = CalculateIn(data=request.data)
        data.is_valid(raise_exception=True)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=INPUT_COLUMNS)
        writer.writeheader()
        for row in data.validated_data["rows"]:
            writer.writerow({k: row.get(k, "") for k in INPUT_COLUMNS})
        payments = None
        if "payments" in data.validated_data:
            payments = {}
            for i, p in enumerate(data.validated_data["payments"]):
                case = payments.setdefault(p["case_id"], {})
                try:
                    month = Month.parse(p["month"])
                except ValueError:
                    raise serializers.ValidationError(
                        {
                            "payments": [
                                _(
                                    "Dòng %(n)s: tháng phải có dạng năm-tháng từ 1900-01 đến "
                                    "2100-12, ví dụ 2024-07."
                                )
                                % {"n": i + 1}
                            ]
                        }
                    ) from None
                case[month] = case.get(month, 0) + p["amount"]
        province = request.user.jurisdiction.province_code
        result = calculate(out.getvalue(), rules.load_rules(province_code=province), payments)
        return Response(
            {
                "months": [
                    {
                        "case_id": case_id,
                        "month": str(m.month),
                        "coefficient": format_coefficient(m.coefficient),
                        "standard_amount": m.standard_amount,
                        "amount": m.amount,
                        "arrears": m.arrears,
                    }
                    for case_id, m in result.months
                ],
                "adjustments": [
                    {"case_id": c, "month": str(a.month), "kind": a.kind, "amount": a.amount}
                    for c, a in result.adjustments
                ],
                "errors": [
                    {"line": e.line, "case_id": e.case_id, "message": e.message}
                    for e in result.errors
                ],
            }
        )


class DossierOut(serializers.Serializer):
    id = serializers.IntegerField()
    tracking_code = serializers.CharField()
    child_id = serializers.IntegerField()
    commune = serializers.CharField(source="commune_id")
    # Plain strings, not enums: several apps have a "status" choice set and the schema's enum
    # names would collide.
    status = serializers.CharField(help_text="draft, reviewed, posted, decided or refused")
    applied_on = serializers.DateField()
    decided_on = serializers.DateField(allow_null=True)
    decision_number = serializers.CharField()
    from_month = serializers.DateField(allow_null=True)


class DossierList(generics.ListAPIView):
    """Dossiers of the user's communes, newest first (no names: ids and status)."""

    serializer_class = DossierOut

    @extend_schema(
        responses={200: DossierOut(many=True), 401: ErrorSerializer, 403: ErrorSerializer},
        tags=["assistance"],
    )
    def get(self, request, *args, **kwargs):
        if not access.can(request.user, access.Action.ASSISTANCE_VIEW):
            raise PermissionDenied
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return access.dossiers_for_user(self.request.user).order_by("-created_at", "-id")


class TrackOut(serializers.Serializer):
    status = serializers.CharField(help_text="draft, reviewed, posted, decided or refused")
    status_label = serializers.CharField()
    posting_until = serializers.DateField(allow_null=True)
    from_month = serializers.DateField(allow_null=True)


class Track(APIView):
    """Public: a dossier's step by its tracking code; no personal data."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(responses={200: TrackOut, 404: ErrorSerializer}, tags=["assistance"])
    def get(self, request, code: str):
        dossier = Dossier.objects.filter(tracking_code=code.strip().upper()).first()
        if dossier is None:
            raise Http404
        return Response(
            {
                "status": dossier.status,
                "status_label": str(dossier.get_status_display()),
                "posting_until": dossier.posting_until,
                "from_month": dossier.from_month
                if dossier.status == Dossier.Status.DECIDED
                else None,
            }
        )


class LineOut(serializers.Serializer):
    id = serializers.IntegerField()
    recipient_id = serializers.IntegerField()
    child_name = serializers.CharField(source="recipient.child.full_name")
    kind = serializers.ChoiceField(choices=PaymentLine.Kind.choices)
    basis = serializers.CharField()
    coefficient = serializers.DecimalField(max_digits=4, decimal_places=2)
    standard_amount = serializers.IntegerField()
    amount = serializers.IntegerField()
    arrears = serializers.IntegerField()
    carried = serializers.IntegerField()
    deductions = serializers.IntegerField()
    total = serializers.IntegerField()
    recovery = serializers.IntegerField()
    channel = serializers.ChoiceField(choices=PaymentChannel.choices)
    paid_status = serializers.ChoiceField(choices=PaymentLine.PaidStatus.choices)
    paid_on = serializers.DateField(allow_null=True)


class PaymentListOut(serializers.Serializer):
    id = serializers.IntegerField()
    commune = serializers.CharField(source="commune_id")
    month = serializers.DateField()
    status = serializers.CharField(help_text="draft or approved")
    version = serializers.IntegerField()
    total_amount = serializers.IntegerField()
    total_arrears = serializers.IntegerField()
    total_carried = serializers.IntegerField()
    total_deductions = serializers.IntegerField()
    total_payable = serializers.IntegerField()
    total_recovery = serializers.IntegerField()


class PaymentListDetailOut(PaymentListOut):
    lines = LineOut(many=True)


class PaymentListList(generics.ListAPIView):
    serializer_class = PaymentListOut

    @extend_schema(
        responses={200: PaymentListOut(many=True), 401: ErrorSerializer, 403: ErrorSerializer},
        tags=["assistance"],
    )
    def get(self, request, *args, **kwargs):
        if not access.can(request.user, access.Action.ASSISTANCE_VIEW):
            raise PermissionDenied
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return access.payment_lists_for_user(self.request.user).order_by("-month", "commune_id")


class PaymentListDetail(APIView):
    @extend_schema(
        responses={200: PaymentListDetailOut, 401: ErrorSerializer, 404: ErrorSerializer},
        tags=["assistance"],
    )
    def get(self, request, pk: int):
        payment_list = access.payment_list_get_for_user(request.user, pk)
        payment_list.lines_list = list(
            payment_list.lines.select_related("recipient__child").order_by("id")
        )
        data = PaymentListOut(payment_list).data
        data["lines"] = LineOut(payment_list.lines_list, many=True).data
        return Response(data)


class ApproveIn(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)


class PaymentListApprove(APIView):
    """The chairman approves and locks the list; a second approval is refused with who won."""

    @extend_schema(
        request=ApproveIn,
        responses={
            200: PaymentListOut,
            400: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
        tags=["assistance"],
    )
    def post(self, request, pk: int):
        payment_list = access.payment_list_get_for_user(request.user, pk)
        data = ApproveIn(data=request.data)
        data.is_valid(raise_exception=True)
        payment_list = services.payment_list_approve(
            actor=request.user,
            payment_list=payment_list,
            expected_version=data.validated_data["version"],
        )
        return Response(PaymentListOut(payment_list).data)
