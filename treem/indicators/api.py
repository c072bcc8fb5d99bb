"""API of the indicators app: rolled-up figures for a unit and period."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from treem.core.api import ErrorSerializer
from treem.geo.models import Commune, Province
from treem.indicators import access, rollup
from treem.indicators.models import AgeGroup, Indicator, Sex
from treem.indicators.periods import PeriodError, parse_period


class ValuesQuery(serializers.Serializer):
    indicator = serializers.CharField(max_length=40)
    unit = serializers.CharField(max_length=5)
    period = serializers.CharField(max_length=10)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, default="")
    age_group = serializers.ChoiceField(choices=AgeGroup.choices, required=False, default="")


class TargetOut(serializers.Serializer):
    value = serializers.DecimalField(max_digits=14, decimal_places=2)
    source = serializers.CharField()
    met = serializers.BooleanField(allow_null=True)


class IndicatorCommuneOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ValuesOut(serializers.Serializer):
    indicator = serializers.CharField()
    indicator_name = serializers.CharField()
    unit = serializers.CharField()
    unit_name = serializers.CharField()
    period = serializers.CharField()
    measure = serializers.CharField(help_text="count, percent or per_1000")
    numerator = serializers.DecimalField(max_digits=20, decimal_places=2)
    denominator = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    value = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    target = TargetOut(allow_null=True)
    communes_reported = serializers.IntegerField()
    communes_not_reported = IndicatorCommuneOut(many=True)


class ValuesAPI(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("indicator", str, required=True, description="Mã chỉ tiêu"),
            OpenApiParameter("unit", str, required=True, description="Mã tỉnh hoặc xã hiện hành"),
            OpenApiParameter(
                "period", str, required=True, description="2015, 2015-H1, 2015-Q3 hoặc 2015-06"
            ),
            OpenApiParameter("sex", str, required=False, enum=["M", "F"]),
            OpenApiParameter("age_group", str, required=False, enum=AgeGroup.values),
        ],
        operation_id="indicators_values",
        responses={
            200: ValuesOut,
            400: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
        tags=["indicators"],
    )
    def get(self, request):
        """The rolled-up figure (Σ numerators ÷ Σ denominators over today's communes; legacy
        figures re-aggregated), the target if any, and the communes that have not reported."""
        if not access.can_view(request.user):
            raise PermissionDenied()
        query = ValuesQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        try:
            period = parse_period(q["period"])
        except PeriodError:
            raise ValidationError(
                {"period": [_("Kỳ không hợp lệ: viết 2015, 2015-H1, 2015-Q3 hoặc 2015-06.")]}
            ) from None
        unit = q["unit"]
        exists = (
            Province.objects.filter(code=unit).exists()
            if len(unit) <= 2
            else Commune.objects.filter(code=unit).exists()
        )
        if not exists or not access.covers_unit(request.user, unit):
            raise NotFound()
        indicator = Indicator.objects.filter(code=q["indicator"].upper()).first()
        if indicator is None:
            raise NotFound()
        scope = rollup.scope_for(unit)
        fig = rollup.total(
            indicator,
            scope,
            [period.year],
            sex=q["sex"],
            age_group=q["age_group"],
            period=period,
        )
        value = fig.value(indicator.unit)
        target = rollup.targets(indicator, scope, [period.year]).get(period.year)
        missing = rollup.missing_communes(indicator, scope, fig.communes)
        body = {
            "indicator": indicator.code,
            "indicator_name": indicator.name_vi,
            "unit": scope.code,
            "unit_name": scope.name,
            "period": period.code,
            "measure": indicator.unit,
            "numerator": fig.numerator,
            "denominator": fig.denominator,
            "value": value,
            "target": {
                "value": target.value,
                "source": target.source_label,
                "met": rollup.progress(indicator, value, target)["met"],
            }
            if target
            else None,
            "communes_reported": len(fig.communes),
            "communes_not_reported": [{"code": c.code, "name": c.name} for c in missing],
        }
        return Response(ValuesOut(body).data)
