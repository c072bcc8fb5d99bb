"""Reads of protection cases. Every query of cases goes through `cases_for_user`, which applies the
role (policy) and the jurisdiction (`scope_queryset`); one case is fetched with
`case_get_for_user`, which answers 404 for a case the user may not see (its existence is not
revealed) and writes the view to the audit log."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from treem.accounts.jurisdiction import Level, scope_queryset
from treem.accounts.policy import Action, require
from treem.audit.models import AuditEvent
from treem.protection import access, deadlines
from treem.protection.models import Case, CaseEvent, CaseNote, Notification, Referral

BOARD_LIST_SIZE = 25


def cases_for_user(*, user) -> QuerySet[Case]:
    require(user, Action.CASE_VIEW)
    return scope_queryset(
        Case.objects.all(), user.jurisdiction, commune_field="commune", village_field=None
    )


def case_get_for_user(*, user, pk: int, audit: bool = True) -> Case:
    """Kept for callers of the selectors: the rule lives in `access.case_get_for_user`."""
    return access.case_get_for_user(user, pk, audit=audit)


def _list_columns(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.select_related("commune", "assigned_to", "report").only(
        "id",
        "opened_at",
        "status",
        "due_at",
        "is_emergency",
        "emergency_met_at",
        "escalated_at",
        "commune__name",
        "assigned_to__full_name",
        "assigned_to__username",
        "report__child_description",
    )


def case_list(
    *,
    user,
    status: str | None = None,
    commune_code: str | None = None,
    overdue: bool = False,
    mine: bool = False,
) -> QuerySet[Case]:
    qs = cases_for_user(user=user)
    if status:
        qs = qs.filter(status=status)
    if commune_code:
        qs = qs.filter(commune_id=commune_code)
    if overdue:
        qs = qs.filter(due_at__lt=timezone.now())
    if mine:
        qs = qs.filter(assigned_to=user)
    return _list_columns(qs).order_by("-opened_at", "-id")


@dataclass
class Board:
    scope: str  # "worker", "commune" or "province"
    counts: dict[str, int]
    total_open: int
    overdue: list[Case]
    overdue_count: int
    due_soon: list[Case]
    due_soon_count: int
    escalated_count: int
    by_commune: list[dict] = field(default_factory=list)
    now: datetime | None = None


def case_board(*, user, mine: bool = False) -> Board:
    """Counts by status, and the overdue and due-soon lists, for the user's worker, commune or
    province board. Six queries whatever the number of cases (the due-time index does the work)."""
    qs = cases_for_user(user=user)
    level = user.jurisdiction.level
    scope = "province" if level == Level.PROVINCE else "commune"
    if mine:
        qs = qs.filter(assigned_to=user)
        scope = "worker"
    now = timezone.now()
    soon = now + deadlines.due_soon_window()
    is_open = ~Q(status=Case.Status.CLOSED)
    # One scan of the cases gives everything the board counts: per commune and status, how many,
    # how many overdue, due soon and escalated. The commune and province boards then need no
    # second pass over 100,000 rows.
    rows = list(
        qs.values("commune_id", "commune__name", "status").annotate(
            n=Count("id"),
            overdue=Count("id", filter=is_open & Q(due_at__lt=now)),
            due_soon=Count("id", filter=is_open & Q(due_at__gte=now, due_at__lt=soon)),
            escalated=Count("id", filter=is_open & Q(escalated_at__isnull=False)),
        )
    )
    counts = dict.fromkeys(Case.Status.values, 0)
    per_commune: dict[str, dict] = {}
    for row in rows:
        counts[row["status"]] += row["n"]
        entry = per_commune.setdefault(
            row["commune_id"],
            {
                "commune_id": row["commune_id"],
                "commune__name": row["commune__name"],
                "open": 0,
                "overdue": 0,
                "escalated": 0,
                "due_soon": 0,
            },
        )
        if row["status"] != Case.Status.CLOSED:
            entry["open"] += row["n"]
        for key in ("overdue", "escalated", "due_soon"):
            entry[key] += row[key]
    open_qs = qs.exclude(status=Case.Status.CLOSED)
    overdue = list(
        _list_columns(open_qs.filter(due_at__lt=now)).order_by("due_at")[:BOARD_LIST_SIZE]
    )
    due_soon = list(
        _list_columns(open_qs.filter(due_at__gte=now, due_at__lt=soon)).order_by("due_at")[
            :BOARD_LIST_SIZE
        ]
    )
    by_commune: list[dict] = []
    if scope == "province":
        by_commune = sorted(
            (e for e in per_commune.values() if e["overdue"]),
            key=lambda e: (-e["overdue"], e["commune__name"]),
        )[:BOARD_LIST_SIZE]
    totals = per_commune.values()
    return Board(
        scope=scope,
        counts=counts,
        total_open=sum(n for s, n in counts.items() if s != Case.Status.CLOSED),
        overdue=overdue,
        overdue_count=sum(e["overdue"] for e in totals),
        due_soon=due_soon,
        due_soon_count=sum(e["due_soon"] for e in totals),
        escalated_count=sum(e["escalated"] for e in totals),
        by_commune=by_commune,
        now=now,
    )


def case_counts(*, user) -> dict[str, int]:
    """Figures without any personal data, for dashboards (the provincial leadership sees these
    only)."""
    from treem.geo.selectors import communes_for_user

    communes = communes_for_user(user=user).values("code")
    now = timezone.now()
    qs = Case.objects.filter(commune__in=communes).exclude(status=Case.Status.CLOSED)
    return qs.aggregate(open=Count("id"), overdue=Count("id", filter=Q(due_at__lt=now)))


# --- timeline -------------------------------------------------------------------------------------


@dataclass
class TimelineItem:
    at: datetime
    kind: str
    label: str
    actor: str
    details: dict
    note: CaseNote | None = None


def case_timeline(*, user, case: Case) -> list[TimelineItem]:
    """The whole history: events, readable notes and every view from the audit log."""
    items: list[TimelineItem] = []
    for event in case.events.select_related("actor"):
        if event.kind == CaseEvent.Kind.NOTE:
            continue
        items.append(
            TimelineItem(
                at=event.at,
                kind=event.kind,
                label=event.get_kind_display(),
                actor=str(event.actor or "Treem"),
                details=event.details,
            )
        )
    for note in case.notes.select_related("author"):
        if access.can_read_note(user, note, case):
            items.append(
                TimelineItem(
                    at=note.created_at,
                    kind="note",
                    label=str(CaseEvent.Kind.NOTE.label),
                    actor=str(note.author),
                    details={},
                    note=note,
                )
            )
    views = AuditEvent.objects.filter(
        object_type="protection.case", object_id=str(case.pk), action=AuditEvent.Action.VIEW
    ).select_related("actor")[:500]
    for view in views:
        items.append(
            TimelineItem(
                at=view.at,
                kind="view",
                label=str(AuditEvent.Action.VIEW.label),
                actor=str(view.actor or view.actor_username or "—"),
                details={},
            )
        )
    items.sort(key=lambda item: item.at)
    return items


def notes_for_user(*, user, case: Case) -> list[CaseNote]:
    return [n for n in case.notes.select_related("author") if access.can_read_note(user, n, case)]


# --- partners -------------------------------------------------------------------------------------


def referrals_for_partner(*, user) -> QuerySet[Referral]:
    require(user, Action.REFERRAL_RESPOND)
    return (
        access.referrals_for_user(user=user)
        .select_related("case", "case__commune", "case__child", "organisation", "sent_by")
        .order_by("-sent_at")
    )


def referral_get_for_partner(*, user, pk: int) -> Referral:
    return access.referral_get_for_user(user, pk)


def notifications_for_user(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).select_related("case").order_by("-created_at")
