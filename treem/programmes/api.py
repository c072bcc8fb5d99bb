"""REST API of programmes: plans and tasks as the user may see them, progress reports from the
agencies' own systems, budget lines and the budget roll-up. Same access rules and services as the
pages; errors in the one shape of `treem.core.api`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from treem.accounts.policy import Action, can
from treem.core.api import ErrorSerializer
from treem.programmes import access, selectors, services
from treem.programmes.models import Activity, ReportingPeriod, Source, TaskStatus

ERRORS = {400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}


@extend_schema_field(OpenApiTypes.INT64)
class WholeDongField(serializers.Field):
    """Whole đồng: a JSON integer or a string of digits. A float (1500.5, or even 1500.0) or a
    string with a decimal point is refused, never rounded."""

    def to_internal_value(self, data):
        if isinstance(data, float):
            raise serializers.ValidationError(
                _("Số tiền phải là số nguyên đồng, không có phần thập phân.")
            )
        try:
            return services.parse_amount(data, field="amount")
        except Exception as exc:  # ValidationError from the service
            messages = getattr(exc, "message_dict", {}).get("amount") or [str(exc)]
            raise serializers.ValidationError(messages[0]) from exc

    def to_representation(self, value):
        return int(value)


class TaskOut(serializers.Serializer):
    id = serializers.IntegerField()
    plan_id = serializers.IntegerField()
    title = serializers.CharField()
    lead = serializers.CharField(source="lead_label")
    due_on = serializers.DateField()
    deadline_on = serializers.DateField(help_text="Due date moved past weekends and holidays")
    recurrence = serializers.CharField()
    status = serializers.ChoiceField(choices=TaskStatus.choices)
    percent = serializers.IntegerField()
    is_overdue = serializers.SerializerMethodField()

    def get_is_overdue(self, task) -> bool:
        return task.status in ("not_started", "in_progress") and (
            task.deadline_on < timezone.localdate()
        )


class PlanOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()
    level = serializers.CharField()
    commune = serializers.CharField(source="commune_id", allow_null=True)
    year_from = serializers.IntegerField()
    year_to = serializers.IntegerField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class PlanDetailOut(PlanOut):
    objectives = serializers.CharField()
    tasks = TaskOut(many=True)


class ProgressIn(serializers.Serializer):
    period = serializers.IntegerField()
    status = serializers.ChoiceField(choices=TaskStatus.choices)
    percent = serializers.IntegerField(min_value=0, max_value=100)
    done_text = serializers.CharField(max_length=10000)
    figures = serializers.DictField(
        child=serializers.IntegerField(min_value=0), required=False, default=dict
    )
    idempotency_key = serializers.CharField(max_length=64, required=False, default="")


class ProgressOut(serializers.Serializer):
    id = serializers.IntegerField()
    task_id = serializers.IntegerField()
    period = serializers.CharField(source="period.label")
    status = serializers.ChoiceField(choices=TaskStatus.choices)
    percent = serializers.IntegerField()
    reported_at = serializers.DateTimeField()


class BudgetLineIn(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    task = serializers.IntegerField(required=False, allow_null=True)
    label = serializers.CharField(max_length=300)
    source = serializers.ChoiceField(choices=Source.choices)
    activity = serializers.ChoiceField(choices=Activity.choices)
    estimate = WholeDongField(required=False, default=0)
    allocated = WholeDongField(required=False, default=0)
    spent = WholeDongField(required=False, default=0)
    reason = serializers.CharField(max_length=500)
    accept_over_allocation = serializers.BooleanField(required=False, default=False)


class BudgetLineOut(serializers.Serializer):
    id = serializers.IntegerField()
    plan_id = serializers.IntegerField()
    task_id = serializers.IntegerField(allow_null=True)
    year = serializers.IntegerField()
    label = serializers.CharField()
    source = serializers.ChoiceField(choices=Source.choices)
    activity = serializers.ChoiceField(choices=Activity.choices)
    estimate = WholeDongField()
    allocated = WholeDongField()
    spent = WholeDongField()
    version = serializers.IntegerField()


class RollupRowOut(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    estimate = WholeDongField()
    allocated = WholeDongField()
    spent = WholeDongField()


class RollupOut(serializers.Serializer):
    year = serializers.IntegerField(allow_null=True)
    total = RollupRowOut()
    by_source = RollupRowOut(many=True)
    by_activity = RollupRowOut(many=True)
    by_agency = RollupRowOut(many=True)
    by_commune = RollupRowOut(many=True)
    by_year = RollupRowOut(many=True)


def _require_view(user) -> None:
    if not can(user, Action.PROGRAMME_VIEW):
        raise PermissionDenied(_("Vai trò của bạn không được phép thực hiện thao tác này."))


class PlanList(generics.ListAPIView):
    """Plans the user may see, newest first."""

    serializer_class = PlanOut

    @extend_schema(responses={200: PlanOut(many=True), **ERRORS}, tags=["programmes"])
    def get(self, request, *args, **kwargs):
        _require_view(request.user)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return access.plans_for_user(self.request.user).order_by("-year_from", "id")


class PlanDetail(APIView):
    @extend_schema(responses={200: PlanDetailOut, **ERRORS}, tags=["programmes"])
    def get(self, request, pk: int):
        plan = access.plan_get_for_user(request.user, pk)
        plan.tasks_visible = selectors.plan_tasks(user=request.user, plan=plan)
        data = PlanOut(plan).data
        data["objectives"] = plan.objectives
        data["tasks"] = TaskOut(plan.tasks_visible, many=True).data
        return Response(data)


class TaskList(generics.ListAPIView):
    """Tasks the user may see (a partner agency: its own tasks only), by deadline."""

    serializer_class = TaskOut

    @extend_schema(responses={200: TaskOut(many=True), **ERRORS}, tags=["programmes"])
    def get(self, request, *args, **kwargs):
        _require_view(request.user)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.task_list_columns(access.tasks_for_user(self.request.user)).order_by(
            "deadline_on", "id"
        )


class TaskDetail(APIView):
    @extend_schema(responses={200: TaskOut, **ERRORS}, tags=["programmes"])
    def get(self, request, pk: int):
        return Response(TaskOut(access.task_get_for_user(request.user, pk)).data)


class TaskProgress(APIView):
    """Report progress on a task for an open period. Send an idempotency key: a retry with the
    same key returns the first report instead of filing a second one."""

    @extend_schema(request=ProgressIn, responses={201: ProgressOut, **ERRORS}, tags=["programmes"])
    def post(self, request, pk: int):
        task = access.task_get_for_user(request.user, pk)
        data = ProgressIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        period = ReportingPeriod.objects.filter(
            pk=values.pop("period"), province_id=task.plan.province_id
        ).first()
        if period is None:
            raise serializers.ValidationError({"period": [_("Không có kỳ báo cáo này.")]})
        report = services.progress_report(actor=request.user, task=task, period=period, **values)
        return Response(ProgressOut(report).data, status=status.HTTP_201_CREATED)


class BudgetLineCreate(APIView):
    @extend_schema(
        request=BudgetLineIn, responses={201: BudgetLineOut, **ERRORS}, tags=["programmes"]
    )
    def post(self, request, pk: int):
        plan = access.plan_get_for_user(request.user, pk)
        data = BudgetLineIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        task_id = values.pop("task", None)
        task = None
        if task_id is not None:
            task = plan.tasks.filter(pk=task_id).first()
            if task is None:
                raise serializers.ValidationError({"task": [_("Nhiệm vụ không thuộc kế hoạch.")]})
        line = services.budget_line_create(actor=request.user, plan=plan, task=task, **values)
        return Response(BudgetLineOut(line).data, status=status.HTTP_201_CREATED)


class BudgetRollup(APIView):
    """Estimate, allocation and spending summed by source, activity, agency, commune and year
    (whole đồng)."""

    @extend_schema(
        parameters=[OpenApiParameter("year", int, required=False)],
        responses={200: RollupOut, **ERRORS},
        tags=["programmes"],
    )
    def get(self, request):
        access.require(access.can_see_budget(request.user))
        raw = request.query_params.get("year", "")
        year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else None
        rollup = selectors.budget_rollup(user=request.user, year=year)

        def rows(items):
            return [
                {
                    "key": str(r.key),
                    "label": r.label,
                    "estimate": r.estimate,
                    "allocated": r.allocated,
                    "spent": r.spent,
                }
                for r in items
            ]

        total = rows([rollup.total])[0]
        total["label"] = _("Tổng cộng")
        return Response(
            {
                "year": year,
                "total": total,
                "by_source": rows(rollup.by_source),
                "by_activity": rows(rollup.by_activity),
                "by_agency": rows(rollup.by_agency),
                "by_commune": rows(rollup.by_commune),
                "by_year": rows(rollup.by_year),
            }
        )
