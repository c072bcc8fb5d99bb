"""What this app gives the indicators app, through `treem.indicators.hooks` only.

- Targets: every plan target (indicator code, unit, year, value), labelled with its plan.
- Computed figures, per commune and period:
  - `PROG_BUDGET_PER_CHILD`: đồng spent on plan budget lines in the period ÷ children under 16 in
    the commune on the last day of the period (registry counts);
  - `PROG_COMM_REACH`: people reached by communication activities held in the period;
  - `PROG_TASKS_DONE_RATE`: plan tasks led by the commune (or in its plans) done ÷ tasks due in
    the period.
- Review-report sections "plans", "budget" and "communication" (None when there is nothing).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from treem.indicators import hooks
from treem.programmes.models import (
    Activity,
    BudgetLine,
    CommActivity,
    Plan,
    PlanTarget,
    Source,
    Task,
    TaskStatus,
)

BUDGET_PER_CHILD = "PROG_BUDGET_PER_CHILD"
COMM_REACH = "PROG_COMM_REACH"
TASKS_DONE_RATE = "PROG_TASKS_DONE_RATE"
CODES = (BUDGET_PER_CHILD, COMM_REACH, TASKS_DONE_RATE)


def targets(indicator_code: str, unit_codes, years) -> list[hooks.TargetRow]:
    rows = PlanTarget.objects.filter(
        indicator_code=indicator_code, unit_code__in=list(unit_codes), year__in=list(years)
    ).select_related("plan")
    return [
        hooks.TargetRow(
            indicator_code=t.indicator_code,
            unit_code=t.unit_code,
            year=t.year,
            value=Decimal(t.value),
            source_label=_plan_label(t.plan),
            url=reverse("programmes:plan_detail", args=[t.plan_id]),
        )
        for t in rows
    ]


def _plan_label(plan: Plan) -> str:
    """ "Kế hoạch 25/KH-UBND" by its number; a plan without one by its title, which already
    says what it is ("Kế hoạch của Phường …"), never "Kế hoạch Kế hoạch …"."""
    if plan.number:
        return _("Kế hoạch %(n)s") % {"n": plan.number}
    return plan.title


def plans(unit_codes) -> list[hooks.PlanRef]:
    """The plans of the given province and commune codes, newest first, for linking a target
    entered in the indicators app to the plan that set it."""
    codes = list(unit_codes)
    provinces = [c for c in codes if len(c) <= 2]
    communes = [c for c in codes if len(c) > 2]
    qs = Plan.objects.filter(
        Q(commune_id__in=communes) | Q(province_id__in=provinces, commune__isnull=True)
    ).order_by("-year_from", "number", "pk")
    return [
        hooks.PlanRef(
            key=str(p.pk),
            label=_plan_label(p),
            url=reverse("programmes:plan_detail", args=[p.pk]),
        )
        for p in qs
    ]


def _communes(request: hooks.ComputeRequest) -> Q:
    return Q() if request.commune_codes is None else Q(commune_id__in=list(request.commune_codes))


def budget_per_child(request: hooks.ComputeRequest) -> list[hooks.CommuneFigure]:
    from treem.programmes.selectors import children_under_16_by_commune

    spent = dict(
        BudgetLine.objects.filter(
            _communes(request),
            commune__isnull=False,
            year__gte=request.period_start.year,
            year__lte=request.period_end.year,
        )
        .values_list("commune_id")
        .annotate(s=Sum("spent"))
        .order_by()
    )
    if not spent:
        return []
    from treem.geo.models import Commune

    provinces = set(
        Commune.objects.filter(code__in=list(spent)).values_list("province_id", flat=True)
    )
    counts: dict[str, int] = {}
    for province in provinces:
        counts.update(
            children_under_16_by_commune(
                commune_codes=list(spent), province_code=province, on=request.period_end
            )
        )
    return [
        hooks.CommuneFigure(commune_code=code, numerator=value, denominator=counts.get(code, 0))
        for code, value in sorted(spent.items())
    ]


def comm_reach(request: hooks.ComputeRequest) -> list[hooks.CommuneFigure]:
    rows = (
        CommActivity.objects.filter(
            _communes(request),
            commune__isnull=False,
            held_on__gte=request.period_start,
            held_on__lte=request.period_end,
        )
        .values_list("commune_id")
        .annotate(n=Sum("people_reached"))
        .order_by()
    )
    return [hooks.CommuneFigure(commune_code=c, numerator=n) for c, n in sorted(rows)]


def tasks_done_rate(request: hooks.ComputeRequest) -> list[hooks.CommuneFigure]:
    qs = Task.objects.annotate(place=Coalesce("lead_commune_id", "plan__commune_id")).filter(
        place__isnull=False,
        due_on__gte=request.period_start,
        due_on__lte=request.period_end,
    )
    if request.commune_codes is not None:
        qs = qs.filter(place__in=list(request.commune_codes))
    rows = (
        qs.exclude(status=TaskStatus.CANCELLED)
        .values("place")
        .annotate(n=Count("id"), done=Count("id", filter=Q(status=TaskStatus.DONE)))
        .order_by("place")
    )
    return [
        hooks.CommuneFigure(commune_code=r["place"], numerator=r["done"], denominator=r["n"])
        for r in rows
    ]


def _scope_q(scope: hooks.ReportScope, field: str = "commune_id", province: str = "province_id"):
    if len(scope.unit_code) == 5:
        return Q(**{field: scope.unit_code})
    return Q(**{province: scope.unit_code})


def plans_section(scope: hooks.ReportScope) -> hooks.ReportSection | None:
    plans = Plan.objects.filter(
        _scope_q(scope), year_from__lte=scope.year_to, year_to__gte=scope.year_from
    )
    rows = []
    total = done = 0
    for plan in plans.annotate(
        n=Count("tasks", filter=~Q(tasks__status=TaskStatus.CANCELLED)),
        d=Count("tasks", filter=Q(tasks__status=TaskStatus.DONE)),
    ).order_by("year_from", "title"):
        rows.append([f"{plan.number} {plan.title}".strip(), plan.years_label, plan.n, plan.d])
        total += plan.n
        done += plan.d
    if not rows:
        return None
    return hooks.ReportSection(
        title=_("Kết quả thực hiện các kế hoạch"),
        paragraphs=[
            _("%(plans)s kế hoạch với %(total)s nhiệm vụ; đã hoàn thành %(done)s nhiệm vụ.")
            % {"plans": len(rows), "total": total, "done": done}
        ],
        tables=[
            hooks.ReportTable(
                title=_("Các kế hoạch"),
                columns=[_("Kế hoạch"), _("Thời gian"), _("Nhiệm vụ"), _("Hoàn thành")],
                rows=rows,
            )
        ],
    )


def budget_section(scope: hooks.ReportScope) -> hooks.ReportSection | None:
    lines = BudgetLine.objects.filter(
        _scope_q(scope), year__gte=scope.year_from, year__lte=scope.year_to
    )
    by_source = list(
        lines.values("source")
        .annotate(e=Sum("estimate"), a=Sum("allocated"), s=Sum("spent"))
        .order_by("source")
    )
    if not by_source:
        return None
    sources = dict(Source.choices)
    activities = dict(Activity.choices)
    by_activity = lines.values("activity").annotate(s=Sum("spent")).order_by("activity")
    total = defaultdict(int)
    for r in by_source:
        for k in ("e", "a", "s"):
            total[k] += r[k] or 0
    return hooks.ReportSection(
        title=_("Kinh phí"),
        paragraphs=[
            _("Tổng dự toán %(e)s đồng, được giao %(a)s đồng, đã chi %(s)s đồng.")
            % {k: f"{v:,}".replace(",", ".") for k, v in total.items()}
        ],
        tables=[
            hooks.ReportTable(
                title=_("Theo nguồn kinh phí (đồng)"),
                columns=[_("Nguồn"), _("Dự toán"), _("Được giao"), _("Đã chi")],
                rows=[[str(sources[r["source"]]), r["e"], r["a"], r["s"]] for r in by_source],
            ),
            hooks.ReportTable(
                title=_("Đã chi theo loại hoạt động (đồng)"),
                columns=[_("Hoạt động"), _("Đã chi")],
                rows=[[str(activities[r["activity"]]), r["s"]] for r in by_activity],
            ),
        ],
    )


def communication_section(scope: hooks.ReportScope) -> hooks.ReportSection | None:
    qs = CommActivity.objects.filter(
        _scope_q(scope), held_on__year__gte=scope.year_from, held_on__year__lte=scope.year_to
    )
    kinds = dict(CommActivity.Kind.choices)
    rows = list(
        qs.values("kind")
        .annotate(n=Count("id"), r=Sum("people_reached"), c=Sum("children_reached"))
        .order_by("kind")
    )
    if not rows:
        return None
    return hooks.ReportSection(
        title=_("Công tác truyền thông"),
        paragraphs=[
            _("%(n)s hoạt động truyền thông, tiếp cận %(r)s lượt người, trong đó %(c)s trẻ em.")
            % {
                "n": sum(r["n"] for r in rows),
                "r": sum(r["r"] or 0 for r in rows),
                "c": sum(r["c"] or 0 for r in rows),
            }
        ],
        tables=[
            hooks.ReportTable(
                title=_("Theo hình thức"),
                columns=[_("Hình thức"), _("Hoạt động"), _("Người được tiếp cận"), _("Trẻ em")],
                rows=[[str(kinds[r["kind"]]), r["n"], r["r"] or 0, r["c"] or 0] for r in rows],
            )
        ],
    )


def register() -> None:
    hooks.register_target_source(targets)
    hooks.register_plan_source(plans)
    hooks.register_computed(BUDGET_PER_CHILD, budget_per_child)
    hooks.register_computed(COMM_REACH, comm_reach)
    hooks.register_computed(TASKS_DONE_RATE, tasks_done_rate)
    hooks.register_report_section("plans", plans_section)
    hooks.register_report_section("budget", budget_section)
    hooks.register_report_section("communication", communication_section)
