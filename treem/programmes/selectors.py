"""Reads of the programmes app. Every query starts from `access` (the user's scope); figures are
sums of integers in the database, rates are Σdone ÷ Σtasks (never an average of percentages)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from treem.accounts.models import Organisation
from treem.geo.models import Commune
from treem.lib.text import fold
from treem.programmes import access
from treem.programmes.deadlines import due_soon_until
from treem.programmes.models import (
    Activity,
    BudgetLine,
    Campaign,
    CommActivity,
    Plan,
    ProgressReport,
    ReportingPeriod,
    Source,
    Task,
    TaskNotification,
    TaskStatus,
)
from treem.programmes.workflow import OPEN_STATUSES

BOARD_LIST_LIMIT = 50


def vi_sorted(rows, key):
    return sorted(rows, key=lambda r: fold(key(r) or ""))


def task_list_columns(qs: QuerySet[Task]) -> QuerySet[Task]:
    return qs.select_related("plan", "lead_organisation", "lead_commune")


@dataclass
class CompletionRow:
    key: object
    label: str
    total: int
    done: int
    overdue: int

    @property
    def rate(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass
class Board:
    today: date
    year: int
    total: int = 0
    done: int = 0
    overdue_count: int = 0
    due_soon_count: int = 0
    overdue: list[Task] = field(default_factory=list)
    due_soon: list[Task] = field(default_factory=list)
    by_agency: list[CompletionRow] = field(default_factory=list)
    by_commune: list[CompletionRow] = field(default_factory=list)
    # Tasks still open in plans that ended before `year` (overdue ones first): work carried over
    # does not vanish from the board when the year changes.
    earlier_count: int = 0
    earlier_overdue_count: int = 0
    earlier: list[Task] = field(default_factory=list)

    @property
    def rate(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def _year_q(year: int) -> Q:
    return Q(plan__year_from__lte=year, plan__year_to__gte=year)


def plan_board(*, user, today: date, year: int | None = None) -> Board:
    """Tasks of the plans running in `year` (default: this year): completion, overdue and due soon
    (deadlines moved past weekends and holidays), and completion by agency and by commune; and,
    apart, the tasks still open in plans that ended before `year`, each labelled with its plan's
    years (they are not counted in the year's figures).

    The figures come from one grouped scan of the year's tasks (by lead agency and place), summed
    here into the totals and both completion tables; the two lists are index-ordered and capped.
    """
    year = year or today.year
    board = Board(today=today, year=year)
    tasks = access.tasks_for_user(user).filter(_year_q(year))
    soon_until = due_soon_until(today)
    overdue_q = Q(status__in=OPEN_STATUSES, deadline_on__lt=today)
    soon_q = Q(status__in=OPEN_STATUSES, deadline_on__gte=today, deadline_on__lte=soon_until)
    groups = list(
        tasks.exclude(status=TaskStatus.CANCELLED)
        .annotate(place=Coalesce("lead_commune_id", "plan__commune_id"))
        .values("lead_organisation_id", "place")
        .annotate(
            total=Count("id"),
            done=Count("id", filter=Q(status=TaskStatus.DONE)),
            overdue=Count("id", filter=overdue_q),
            soon=Count("id", filter=soon_q),
        )
        .order_by()
    )
    by_org: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    by_place: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for g in groups:
        board.total += g["total"]
        board.done += g["done"]
        board.overdue_count += g["overdue"]
        board.due_soon_count += g["soon"]
        for key, target in ((g["lead_organisation_id"], by_org), (g["place"], by_place)):
            if key is not None:
                row = target[key]
                row[0] += g["total"]
                row[1] += g["done"]
                row[2] += g["overdue"]
    board.overdue = list(
        task_list_columns(tasks.filter(overdue_q)).order_by("deadline_on", "id")[:BOARD_LIST_LIMIT]
    )
    board.due_soon = list(
        task_list_columns(tasks.filter(soon_q)).order_by("deadline_on", "id")[:BOARD_LIST_LIMIT]
    )
    earlier = access.tasks_for_user(user).filter(plan__year_to__lt=year, status__in=OPEN_STATUSES)
    counts = earlier.aggregate(n=Count("id"), overdue=Count("id", filter=Q(deadline_on__lt=today)))
    board.earlier_count, board.earlier_overdue_count = counts["n"], counts["overdue"]
    if board.earlier_count:
        # The first ids on narrow rows, then the joins for those 50 only: joining first made
        # the database carry every carried-over task's plan, agency and commune to the sort.
        ids = list(
            earlier.order_by("deadline_on", "id").values_list("id", flat=True)[:BOARD_LIST_LIMIT]
        )
        board.earlier = list(
            task_list_columns(Task.objects.filter(pk__in=ids)).order_by("deadline_on", "id")
        )
    if access.is_province_wide(user):
        org_names = dict(Organisation.objects.filter(pk__in=list(by_org)).values_list("pk", "name"))
        place_names = dict(
            Commune.objects.filter(code__in=list(by_place)).values_list("code", "name")
        )
        board.by_agency = vi_sorted(
            [
                CompletionRow(key=k, label=org_names.get(k, ""), total=t, done=d, overdue=o)
                for k, (t, d, o) in by_org.items()
            ],
            key=lambda r: r.label,
        )
        board.by_commune = vi_sorted(
            [
                CompletionRow(key=k, label=place_names.get(k, k), total=t, done=d, overdue=o)
                for k, (t, d, o) in by_place.items()
            ],
            key=lambda r: r.label,
        )
    return board


def plans_list(*, user, year: int | None = None) -> list[Plan]:
    qs = access.plans_for_user(user).select_related("commune", "owner", "document")
    if year:
        qs = qs.filter(year_from__lte=year, year_to__gte=year)
    qs = qs.annotate(
        n_tasks=Count("tasks", distinct=True),
        n_done=Count("tasks", filter=Q(tasks__status=TaskStatus.DONE), distinct=True),
    )
    return list(qs.order_by("-year_from", "level", "title")[:500])


def plan_tasks(*, user, plan: Plan) -> list[Task]:
    qs = access.tasks_for_user(user).filter(plan=plan)
    return list(task_list_columns(qs).prefetch_related("partner_organisations", "partner_communes"))


def open_periods(*, user, plan: Plan | None = None) -> QuerySet[ReportingPeriod]:
    qs = ReportingPeriod.objects.filter(
        province_id=access.province_code(user), closed_at__isnull=True
    )
    if plan is not None:
        qs = qs.filter(ends_on__gte=plan.starts_on, starts_on__lte=plan.ends_on)
    return qs.order_by("starts_on")


def periods(*, user) -> QuerySet[ReportingPeriod]:
    return ReportingPeriod.objects.filter(province_id=access.province_code(user)).order_by(
        "-starts_on"
    )


def task_reports(*, task: Task) -> list[ProgressReport]:
    return list(
        task.reports.select_related("period", "organisation", "commune", "reported_by")
        .prefetch_related("evidence")
        .order_by("-reported_at", "-id")
    )


@dataclass
class HistoryEntry:
    at: object
    who: str
    text: str


_CALENDAR_REASONS = {
    "holiday_added": _("cán bộ thêm ngày nghỉ hoặc ngày làm bù"),
    "holiday_removed": _("cán bộ bỏ một ngày nghỉ"),
    "holiday_confirmed": _("cán bộ xác nhận một ngày nghỉ"),
    "holiday_unconfirmed": _("một ngày nghỉ chuyển về chưa xác nhận"),
    "holidays_loaded": _("cập nhật lịch nghỉ lễ"),
}


def task_history(*, task: Task) -> list[HistoryEntry]:
    """The task's history as sentences: status changes and deadline moves by the calendar."""
    entries = []
    for event in task.events.select_related("actor"):
        who = (event.actor.full_name or event.actor.username) if event.actor_id else _("Hệ thống")
        if event.kind == event.Kind.DEADLINE:
            days = ", ".join(_dmy(d) for d in event.details.get("days", []))
            text = _("Hạn tính đến dời từ %(old)s sang %(new)s vì %(reason)s (ngày %(days)s).") % {
                "old": _dmy(event.details.get("from")),
                "new": _dmy(event.details.get("to")),
                "reason": _CALENDAR_REASONS.get(
                    event.details.get("reason"), _("lịch nghỉ thay đổi")
                ),
                "days": days,
            }
        else:
            text = _("Chuyển từ “%(old)s” sang “%(new)s”.") % {
                "old": TaskStatus(event.from_status).label if event.from_status else "–",
                "new": TaskStatus(event.to_status).label,
            }
            if event.details.get("reason"):
                text += " " + _("Lý do: %(reason)s") % {"reason": event.details["reason"]}
        entries.append(HistoryEntry(at=event.at, who=who, text=text))
    return entries


def _dmy(iso: str | None) -> str:
    if not iso:
        return ""
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


# ---- the plan report (sơ kết, tổng kết)


@dataclass
class PlanReportRow:
    number: int
    task: Task
    status_label: str
    percent: int
    done_text: str
    figures: dict[str, int]
    reported_on: date | None


@dataclass
class PlanReport:
    plan: Plan
    date_from: date
    date_to: date
    rows: list[PlanReportRow]
    total: int
    done: int
    in_progress: int
    not_started: int
    overdue: int
    figures: dict[str, int]
    budget: dict[str, int]
    by_source: list[tuple[str, int, int, int]]
    show_budget: bool = True

    @property
    def rate(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def plan_report(*, user, plan: Plan, date_from: date, date_to: date) -> PlanReport:
    """Assembled from the task reports of the periods starting inside [date_from, date_to] (so a
    report at a date includes the period under way): for each task
    the latest report of the range gives its status and text; figures achieved add up over the
    latest report of each task in each period (a corrected report replaces the one before, it does
    not add to it)."""
    tasks = plan_tasks(user=user, plan=plan)
    reports = (
        ProgressReport.objects.filter(
            task__in=[t.pk for t in tasks],
            period__starts_on__gte=date_from,
            period__starts_on__lte=date_to,
        )
        .select_related("period")
        .order_by("task_id", "period_id", "-reported_at", "-id")
    )
    latest_per_period: dict[tuple[int, int], ProgressReport] = {}
    for report in reports:
        latest_per_period.setdefault((report.task_id, report.period_id), report)
    per_task: dict[int, list[ProgressReport]] = defaultdict(list)
    for report in latest_per_period.values():
        per_task[report.task_id].append(report)
    rows: list[PlanReportRow] = []
    totals: dict[str, int] = defaultdict(int)
    counts = dict.fromkeys(TaskStatus.values, 0)
    overdue = 0
    for number, task in enumerate(tasks, start=1):
        task_reports_ = sorted(per_task.get(task.pk, []), key=lambda r: r.reported_at)
        figures: dict[str, int] = defaultdict(int)
        for report in task_reports_:
            for label, value in report.figures.items():
                figures[label] += int(value)
                totals[label] += int(value)
        last = task_reports_[-1] if task_reports_ else None
        status = last.status if last else TaskStatus.NOT_STARTED
        if status == TaskStatus.DONE and task.status == TaskStatus.CANCELLED:
            status = TaskStatus.CANCELLED
        counts[status] += 1
        if status in OPEN_STATUSES and task.deadline_on <= date_to and task.deadline_on < date_to:
            overdue += 1
        rows.append(
            PlanReportRow(
                number=number,
                task=task,
                status_label=str(TaskStatus(status).label),
                percent=last.percent if last else 0,
                done_text="\n".join(r.done_text for r in task_reports_),
                figures=dict(figures),
                reported_on=last.reported_at.date() if last else None,
            )
        )
    lines = BudgetLine.objects.filter(plan=plan, year__gte=date_from.year, year__lte=date_to.year)
    if not access.can_see_budget(user):
        # Budgets are not for partner agencies (access.can_see_budget), even on a plan that
        # carries one of their tasks: the report then has no budget part.
        lines = lines.none()
    budget = lines.aggregate(
        estimate=Coalesce(Sum("estimate"), 0),
        allocated=Coalesce(Sum("allocated"), 0),
        spent=Coalesce(Sum("spent"), 0),
    )
    by_source = [
        (str(Source(r["source"]).label), r["estimate"], r["allocated"], r["spent"])
        for r in lines.values("source")
        .annotate(estimate=Sum("estimate"), allocated=Sum("allocated"), spent=Sum("spent"))
        .order_by("source")
    ]
    total = len(tasks) - counts[TaskStatus.CANCELLED]
    return PlanReport(
        show_budget=access.can_see_budget(user),
        plan=plan,
        date_from=date_from,
        date_to=date_to,
        rows=rows,
        total=total,
        done=counts[TaskStatus.DONE],
        in_progress=counts[TaskStatus.IN_PROGRESS],
        not_started=counts[TaskStatus.NOT_STARTED],
        overdue=overdue,
        figures=dict(sorted(totals.items(), key=lambda kv: fold(kv[0]))),
        budget=budget,
        by_source=by_source,
    )


# ---- budget


@dataclass
class RollupRow:
    key: object
    label: str
    estimate: int
    allocated: int
    spent: int

    @property
    def over(self) -> bool:
        return self.spent > self.allocated

    @property
    def spent_rate(self) -> int:
        return round(100 * self.spent / self.allocated) if self.allocated else 0


@dataclass
class BudgetRollup:
    year: int | None
    total: RollupRow
    by_source: list[RollupRow]
    by_activity: list[RollupRow]
    by_agency: list[RollupRow]
    by_commune: list[RollupRow]
    by_year: list[RollupRow]


_SUMS = {"estimate": Sum("estimate"), "allocated": Sum("allocated"), "spent": Sum("spent")}


def budget_lines(*, user, year: int | None = None, plan: Plan | None = None):
    qs = access.budget_lines_for_user(user)
    if year:
        qs = qs.filter(year=year)
    if plan is not None:
        qs = qs.filter(plan=plan)
    return qs


def budget_rollup(*, user, year: int | None = None, plan: Plan | None = None) -> BudgetRollup:
    """Sums by source, activity, agency, commune and year, added up here in Python integers: from
    the running sums (`BudgetTotal`) for a year or all years, from the lines for one plan."""
    if plan is None:
        # The running sums kept by the services: a few thousand rows, not every line.
        totals = access.budget_totals_for_user(user)
        if year:
            totals = totals.filter(year=year)
        groups = [
            {
                **g,
                "organisation_id": g.pop("organisation_key") or None,
                "commune_id": g.pop("commune_key") or None,
            }
            for g in totals.values(
                "source",
                "activity",
                "organisation_key",
                "commune_key",
                "year",
                "estimate",
                "allocated",
                "spent",
            )
        ]
    else:
        groups = (
            budget_lines(user=user, year=year, plan=plan)
            .values("source", "activity", "organisation_id", "commune_id", "year")
            .annotate(**_SUMS)
            .order_by()
        )
    dims = {
        name: defaultdict(lambda: [0, 0, 0])
        for name in ("source", "activity", "organisation_id", "commune_id", "year")
    }
    total = [0, 0, 0]
    for g in groups:
        amounts = (g["estimate"] or 0, g["allocated"] or 0, g["spent"] or 0)
        total = [a + b for a, b in zip(total, amounts, strict=True)]
        for name, table in dims.items():
            if g[name] is not None:
                row = table[g[name]]
                for i in range(3):
                    row[i] += amounts[i]

    def rows(name: str, labels) -> list[RollupRow]:
        return [
            RollupRow(key=k, label=labels(k), estimate=e, allocated=a, spent=s)
            for k, (e, a, s) in dims[name].items()
        ]

    source_labels = dict(Source.choices)
    activity_labels = dict(Activity.choices)
    org_names = dict(
        Organisation.objects.filter(pk__in=list(dims["organisation_id"])).values_list("pk", "name")
    )
    commune_names = dict(
        Commune.objects.filter(code__in=list(dims["commune_id"])).values_list("code", "name")
    )
    by_source = rows("source", lambda k: str(source_labels.get(k, k)))
    by_source.sort(key=lambda r: list(source_labels).index(r.key))
    by_activity = rows("activity", lambda k: str(activity_labels.get(k, k)))
    by_activity.sort(key=lambda r: list(activity_labels).index(r.key))
    by_year = rows("year", str)
    by_year.sort(key=lambda r: r.key)
    return BudgetRollup(
        year=year,
        total=RollupRow(key=None, label="", estimate=total[0], allocated=total[1], spent=total[2]),
        by_source=by_source,
        by_activity=by_activity,
        by_agency=vi_sorted(
            rows("organisation_id", lambda k: org_names.get(k, "")), key=lambda r: r.label
        ),
        by_commune=vi_sorted(
            rows("commune_id", lambda k: commune_names.get(k, k)), key=lambda r: r.label
        ),
        by_year=by_year,
    )


def children_under_16_by_commune(*, commune_codes: list[str] | None, province_code: str, on: date):
    """Counts only (no personal data) of active children under 16, from the registry."""
    from treem.registry.models import Child
    from treem.registry.selectors import active_q

    qs = Child.objects.filter(
        active_q(on), is_active=True, merged_into__isnull=True, province_id=province_code
    )
    if commune_codes is not None:
        qs = qs.filter(commune_id__in=commune_codes)
    return dict(qs.values_list("commune_id").annotate(n=Count("id")).order_by())


@dataclass
class PerChildRow:
    code: str
    label: str
    spent: int
    children: int

    @property
    def per_child(self) -> int | None:
        # Whole đồng, rounded down: money stays in integers.
        return self.spent // self.children if self.children else None


def budget_per_child(
    *, user, year: int, on: date, rollup: BudgetRollup | None = None
) -> tuple[PerChildRow, list[PerChildRow]]:
    """Spending of the year per child under 16: the province's total over all its children, and
    each commune's own spending over its children. Reuses the year's roll-up when given."""
    province = access.province_code(user)
    codes = None if access.is_province_wide(user) else sorted(access.commune_codes(user))
    counts = children_under_16_by_commune(commune_codes=codes, province_code=province, on=on)
    rollup = rollup or budget_rollup(user=user, year=year)
    spent_by_commune = {r.key: r.spent for r in rollup.by_commune}
    names = {r.key: r.label for r in rollup.by_commune}
    missing = set(counts) - set(names)
    names.update(Commune.objects.filter(code__in=missing).values_list("code", "name"))
    rows = [
        PerChildRow(
            code=c,
            label=names.get(c, c),
            spent=spent_by_commune.get(c, 0),
            children=counts.get(c, 0),
        )
        for c in set(spent_by_commune) | set(counts)
    ]
    total = PerChildRow(code="", label="", spent=rollup.total.spent, children=sum(counts.values()))
    return total, vi_sorted(rows, key=lambda r: r.label)


# ---- communication


@dataclass
class CommRollup:
    year: int | None
    activities: int
    reached: int
    children: int
    cost: int
    by_kind: list[dict]
    by_commune: list[dict]
    by_year: list[dict]


def activities(*, user, year: int | None = None, campaign: Campaign | None = None):
    qs = access.activities_for_user(user)
    if year:
        qs = qs.filter(held_on__year=year)
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return qs


def comm_rollup(*, user, year: int | None = None, campaign: Campaign | None = None) -> CommRollup:
    qs = activities(user=user, year=year, campaign=campaign)
    sums = {
        "n": Count("id"),
        "reached": Coalesce(Sum("people_reached"), 0),
        "children": Coalesce(Sum("children_reached"), 0),
        "cost": Coalesce(Sum("cost"), 0),
    }
    total = qs.aggregate(**sums)
    kinds = dict(CommActivity.Kind.choices)
    by_kind = [
        {**r, "label": kinds.get(r["kind"], r["kind"])}
        for r in qs.values("kind").annotate(**sums).order_by()
    ]
    by_kind.sort(key=lambda r: list(kinds).index(r["kind"]))
    by_commune = list(
        qs.filter(commune__isnull=False)
        .values("commune", label=F("commune__name"))
        .annotate(**sums)
        .order_by()
    )
    by_commune = vi_sorted(by_commune, key=lambda r: r["label"])
    by_year = list(qs.values(year_=F("held_on__year")).annotate(**sums).order_by("year_"))
    return CommRollup(
        year=year,
        activities=total["n"],
        reached=total["reached"],
        children=total["children"],
        cost=total["cost"],
        by_kind=by_kind,
        by_commune=by_commune,
        by_year=by_year,
    )


def article_figures(article_ids: list[int]) -> dict[int, dict]:
    """The portal's own figures for linked articles (title, live, rating, comments, public
    views), read through the portal's selectors."""
    from treem.portal import selectors as portal
    from treem.portal.models import Article

    result = {}
    views = portal.article_views(article_ids=list(article_ids))
    for article in Article.objects.filter(pk__in=article_ids):
        figures = portal.article_figures(article=article)
        result[article.pk] = {
            "views": views.get(article.pk, 0),
            "title": article.title,
            "live": article.is_live(),
            "url": article.get_absolute_url() if article.is_live() else "",
            "rating": figures.average_display,
            "votes": figures.votes,
            "comments": figures.comments,
        }
    return result


def notifications_for_user(*, user) -> QuerySet[TaskNotification]:
    return TaskNotification.objects.filter(user=user).select_related(
        "task", "task__plan", "task__lead_organisation", "task__lead_commune"
    )
