"""Reads of protection cases. Every query of cases goes through `cases_for_user`, which applies the
role (policy) and the jurisdiction (`scope_queryset`); one case is fetched with
`case_get_for_user`, which answers 404 for a case the user may not see (its existence is not
revealed) and writes the view to the audit log."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from treem.accounts.jurisdiction import Level, scope_queryset
from treem.accounts.policy import Action, can, require
from treem.audit.models import AuditEvent
from treem.protection import access, deadlines, workflow
from treem.protection.models import (
    Case,
    CaseEvent,
    CaseNote,
    Channel,
    EmergencyMeasure,
    Notification,
    Referral,
    ServiceKind,
)

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


# --- stepper and to-do lists ---------------------------------------------------------------------


@dataclass
class Step:
    number: int
    label: str
    form: str
    state: str  # "done", "current" or "upcoming"
    due_at: datetime | None = None


def case_steps(case: Case) -> list[Step]:
    """The stepper: the steps done, the current one with its due time, the ones to come."""
    current = workflow.STEP_OF_STATUS[case.status]
    steps = []
    for index, (label, form) in enumerate(workflow.STEPS):
        if index < current or case.status == Case.Status.CLOSED:
            state = "done"
        elif index == current:
            state = "current"
        else:
            state = "upcoming"
        steps.append(
            Step(
                number=index + 1,
                label=str(label),
                form=form,
                state=state,
                due_at=case.step_due_at if state == "current" else None,
            )
        )
    return steps


# "This week" is the coming seven days, not the calendar week: on a Friday the worker still sees
# what falls due early next week.
WEEK = timedelta(days=7)


def plans_awaiting_decision(*, user) -> QuerySet[Case]:
    """The commune chairman's to-do: plans submitted for his or her decision (Art. 28(4))."""
    if not can(user, Action.CASE_APPROVE) or user.jurisdiction.level != Level.COMMUNE:
        return Case.objects.none()
    return _list_columns(cases_for_user(user=user).filter(status=Case.Status.APPROVAL)).order_by(
        "due_at", "id"
    )


def my_cases_due_this_week(*, user) -> QuerySet[Case]:
    """The worker's to-do: open cases assigned to them, due within the coming seven days (overdue
    ones included)."""
    if not can(user, Action.CASE_WORK):
        return Case.objects.none()
    end = timezone.now() + WEEK
    return _list_columns(
        cases_for_user(user=user)
        .exclude(status=Case.Status.CLOSED)
        .filter(assigned_to=user, due_at__lte=end)
    ).order_by("due_at", "id")


def todo_count(user) -> int:
    """The number shown next to "Việc cần làm" in the menu."""
    if not user.is_authenticated:
        return 0
    return plans_awaiting_decision(user=user).count() + my_cases_due_this_week(user=user).count()


def active_separations(*, user) -> QuerySet:
    from treem.protection.models import SeparationDecision

    cases = cases_for_user(user=user)
    return (
        SeparationDecision.objects.filter(case__in=cases, ended_at__isnull=True)
        .select_related("case", "case__commune")
        .order_by("ends_at")
    )


# --- timeline -------------------------------------------------------------------------------------


@dataclass
class TimelineItem:
    at: datetime
    kind: str
    label: str
    actor: str
    details: dict
    note: CaseNote | None = None
    text: str = ""
    lines: list[str] = field(default_factory=list)
    link: str = ""


def _fmt(value) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y")


def _describe(event: CaseEvent, refs: dict) -> tuple[str, list[str]]:
    """The event as a sentence of a register, and any lines under it (participants)."""
    K = CaseEvent.Kind
    d = event.details or {}
    orgs, users, services_by_id, revisions = (
        refs["orgs"],
        refs["users"],
        refs["services"],
        refs["revisions"],
    )
    kinds = dict(ServiceKind.choices)
    lines: list[str] = []
    if event.kind == K.RECEIVED:
        text = _("Tiếp nhận tin báo qua %(channel)s") % {
            "channel": dict(Channel.choices).get(d.get("channel"), "")
        }
    elif event.kind == K.ASSIGNED:
        text = _("Phân công %(user)s phụ trách ca") % {"user": users.get(d.get("user"), "")}
    elif event.kind == K.INITIAL_ASSESSED:
        text = (
            _("Đánh giá ban đầu (Mẫu số 02): trẻ đang gặp nguy hiểm")
            if d.get("in_danger")
            else _("Đánh giá ban đầu (Mẫu số 02): trẻ không gặp nguy hiểm ngay")
        )
    elif event.kind == K.DETAILED_ASSESSED:
        text = _("Đánh giá nhu cầu và họp ca (Mẫu số 03)")
        if d.get("meeting_at"):
            text += " — " + _("họp lúc %(at)s") % {"at": _fmt(d["meeting_at"])}
        assessment = refs.get("detailed_at", {}).get(event.pk)
        if assessment:
            lines = [
                p["name"] + (f" ({p['role']})" if p.get("role") else "")
                for p in assessment.get("participants", [])
            ]
    elif event.kind == K.ASSESSMENT_EDITED:
        text = _("Sửa Mẫu số %(form)s; bản trước được lưu") % {"form": d.get("form", "")}
    elif event.kind == K.PLAN_SUBMITTED:
        text = _("Trình kế hoạch lần %(n)s (Mẫu số 04) với %(s)s dịch vụ") % {
            "n": d.get("number", ""),
            "s": d.get("services", ""),
        }
    elif event.kind == K.PLAN_APPROVED:
        text = _("Chủ tịch UBND xã phê duyệt kế hoạch (Mẫu số 05)")
        if d.get("decision"):
            text += ", " + _("quyết định số %(n)s") % {"n": d["decision"]}
    elif event.kind == K.REFERRAL_SENT:
        text = _("Chuyển gửi dịch vụ %(service)s đến %(org)s") % {
            "service": str(kinds.get(d.get("service"), "")).lower(),
            "org": orgs.get(d.get("organisation"), ""),
        }
    elif event.kind == K.SERVICE_DONE:
        service = services_by_id.get(d.get("service"))
        text = _("Hoàn thành dịch vụ %(service)s") % {
            "service": str(kinds.get(d.get("kind"), "")).lower()
        }
        if service:
            text += " — " + service
    elif event.kind == K.DUE_RECOMPUTED:
        reason = {
            "holiday_added": _("thêm ngày nghỉ"),
            "holiday_removed": _("bỏ ngày nghỉ"),
            "holiday_confirmed": _("xác nhận ngày nghỉ"),
            "holiday_unconfirmed": _("bỏ xác nhận ngày nghỉ"),
            "holidays_loaded": _("cập nhật lịch nghỉ lễ"),
            "setting_changed": _("đổi thời hạn"),
        }.get(d.get("reason"), "")
        text = _("Tính lại hạn do %(reason)s: từ %(old)s thành %(new)s") % {
            "reason": reason,
            "old": _fmt(d.get("from")) or "—",
            "new": _fmt(d.get("to")) or "—",
        }
        if d.get("days"):
            text += " (" + ", ".join(date.fromisoformat(x).strftime("%d/%m/%Y") for x in d["days"])
            text += ")"
    elif event.kind == K.SEPARATION_DECIDED:
        text = _("Quyết định tạm thời cách ly trẻ (Mẫu số 07) đến %(end)s") % {
            "end": _fmt(d.get("ends_at"))
        }
    elif event.kind == K.SEPARATION_EXTENDED:
        text = _("Gia hạn tạm thời cách ly đến %(end)s") % {"end": _fmt(d.get("to"))}
    elif event.kind == K.TRANSFERRED:
        text = _("Chuyển ca từ %(a)s sang %(b)s") % {
            "a": refs["communes"].get(d.get("from"), ""),
            "b": refs["communes"].get(d.get("to"), ""),
        }
    elif event.kind == K.EMERGENCY_MEASURE:
        text = _("Áp dụng biện pháp khẩn cấp: %(m)s") % {
            "m": str(dict(EmergencyMeasure.Kind.choices).get(d.get("measure"), "")).lower()
        }
        if d.get("on_time") is False:
            text += " — " + _("quá hạn 12 giờ")
    elif event.kind == K.ESCALATED:
        text = _("Quá hạn, đã báo Chủ tịch UBND xã và cấp tỉnh")
    else:
        text = event.get_kind_display()
    revision = revisions.get(event.pk)
    if revision:
        lines.append(revision)
    return str(text), lines


def case_timeline(*, user, case: Case) -> list[TimelineItem]:
    """The history in plain language: events as sentences (a meeting with its participants),
    readable notes, and the views of the audit log folded into one line per person per day."""
    from treem.accounts.models import Organisation, User
    from treem.geo.models import Commune
    from treem.protection.models import FormRevision, PlanService

    events = list(case.events.select_related("actor"))
    ids = {"orgs": set(), "users": set(), "services": set(), "communes": set()}
    for event in events:
        d = event.details or {}
        if d.get("organisation"):
            ids["orgs"].add(d["organisation"])
        if event.kind == CaseEvent.Kind.ASSIGNED and d.get("user"):
            ids["users"].add(d["user"])
        if event.kind == CaseEvent.Kind.SERVICE_DONE and d.get("service"):
            ids["services"].add(d["service"])
        for key in ("from", "to"):
            if event.kind == CaseEvent.Kind.TRANSFERRED and d.get(key):
                ids["communes"].add(d[key])
    refs: dict = {
        "orgs": dict(Organisation.objects.filter(pk__in=ids["orgs"]).values_list("pk", "name")),
        "users": {u.pk: str(u) for u in User.objects.filter(pk__in=ids["users"])},
        "services": {
            s.pk: s.description for s in PlanService.objects.filter(pk__in=ids["services"])
        },
        "communes": dict(
            Commune.objects.filter(code__in=ids["communes"]).values_list("code", "name")
        ),
        "revisions": {},
        "detailed_at": {},
    }
    # The participants of each case meeting: the current Form 03 for the last meeting, the kept
    # revisions for earlier ones (in order).
    meetings = [e for e in events if e.kind == CaseEvent.Kind.DETAILED_ASSESSED]
    versions = [r.data for r in FormRevision.objects.filter(case=case, form="03")]
    current = getattr(case, "detailed_assessment", None)
    if current is not None:
        versions.append({"participants": current.participants})
    for event, data in zip(meetings, versions[-len(meetings) :] if meetings else [], strict=False):
        refs["detailed_at"][event.pk] = data
    items: list[TimelineItem] = []
    for event in events:
        if event.kind == CaseEvent.Kind.NOTE:
            continue
        text, lines = _describe(event, refs)
        items.append(
            TimelineItem(
                at=event.at,
                kind=event.kind,
                label=event.get_kind_display(),
                actor=str(event.actor or "Treem"),
                details=event.details,
                text=text,
                lines=lines,
            )
        )
    for revision in FormRevision.objects.filter(case=case).select_related("replaced_by"):
        items.append(
            TimelineItem(
                at=revision.replaced_at,
                kind="revision",
                label=str(_("Phiên bản biểu mẫu")),
                actor=str(revision.replaced_by),
                details={},
                text=_("Lưu bản Mẫu số %(form)s lập lúc %(at)s trước khi thay")
                % {
                    "form": revision.form,
                    "at": _fmt(revision.valid_from),
                },
                link=reverse("protection:form_pdf", args=[case.pk, revision.form])
                + f"?revision={revision.pk}",
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
                    text=note.text,
                )
            )
    views = AuditEvent.objects.filter(
        object_type="protection.case", object_id=str(case.pk), action=AuditEvent.Action.VIEW
    ).select_related("actor")[:2000]
    folded: dict[tuple[str, date], list] = {}
    for view in views:
        who = str(view.actor or view.actor_username or "—")
        day = timezone.localtime(view.at).date()
        folded.setdefault((who, day), []).append(view.at)
    for (who, _day), times in folded.items():
        first, last = min(times), max(times)
        text = (
            _("Xem hồ sơ ca lúc %(at)s") % {"at": timezone.localtime(first).strftime("%H:%M")}
            if len(times) == 1
            else _("Xem hồ sơ ca %(n)s lần, từ %(a)s đến %(b)s")
            % {
                "n": len(times),
                "a": timezone.localtime(first).strftime("%H:%M"),
                "b": timezone.localtime(last).strftime("%H:%M"),
            }
        )
        items.append(
            TimelineItem(
                at=first,
                kind="view",
                label=str(AuditEvent.Action.VIEW.label),
                actor=who,
                details={},
                text=text,
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


def notification_message(note: Notification) -> str:
    """What the notification asks of its reader, as a sentence."""
    K = Notification.Kind
    case = note.case
    asked = str(workflow.ASKED.get(case.status, ""))
    due = timezone.localtime(note.due_at).strftime("%H:%M %d/%m/%Y") if note.due_at else ""
    if note.kind == K.NEW_REPORT:
        return _(
            "Tin báo mới: hãy đánh giá ban đầu; áp dụng biện pháp khẩn cấp nếu trẻ gặp nguy hiểm."
        )
    if note.kind == K.PLAN_DECISION:
        return _("Kế hoạch chờ ông/bà quyết định (hạn %(due)s).") % {"due": due}
    if note.kind == K.REFERRAL:
        return _("Yêu cầu chuyển gửi mới tới đơn vị: hãy nhận hoặc từ chối.")
    separation_ends = note.due_at is not None and (
        note.kind in {K.DUE_SOON, K.OVERDUE}
        and case.separations.filter(ended_at__isnull=True, ends_at=note.due_at).exists()
    )
    if note.kind == K.SEPARATION_ENDING or separation_ends:
        return _("Tạm thời cách ly sắp hết hạn (%(due)s): hãy chấm dứt hoặc gia hạn.") % {
            "due": due
        }
    if note.kind == K.DUE_SOON:
        return _("Sắp đến hạn %(asked)s: trước %(due)s.") % {"asked": asked, "due": due}
    if note.kind == K.OVERDUE:
        return _("Đã quá hạn %(asked)s (hạn %(due)s).") % {"asked": asked, "due": due}
    if note.kind == K.ESCALATED:
        return _("Ca quá hạn %(asked)s từ %(due)s: cần chỉ đạo xử lý.") % {
            "asked": asked,
            "due": due,
        }
    return note.get_kind_display()


def notifications_for_user(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).select_related("case").order_by("-created_at")


# --- picking the registered child a case is about -------------------------------------------

CHILD_PICK_LIMIT = 20


def children_to_link(*, user, case: Case, name: str, born: str, parent: str):
    """Children the link page offers for `case`: the registry's children the user may see that
    live in the case's commune, matching the child's name, a birth date of any precision
    (dd/mm/yyyy, mm/yyyy or a year; a child recorded with only a year matches a full date in it)
    and a parent's or carer's name; the child already linked is left out.
    Answers ([children], searched?): nothing is searched until a name or a date is given.
    The same rule is enforced on the posted choice by `access.child_for_case`."""
    from django.db.models import Prefetch

    from treem.registry.models import ChildCarer
    from treem.registry.selectors import ChildFilters, children_for_user
    from treem.registry.validation import DateParseError, parse_birth_date

    name, born, parent = name.strip(), born.strip(), parent.strip()
    if not (name or parent or born) or not can(user, Action.CHILD_VIEW):
        return [], False
    filters = ChildFilters(
        query=name, guardian=parent, commune=case.commune_id, include_over_16=True
    )
    qs = children_for_user(user=user, filters=filters, today=timezone.localdate())
    if born:
        try:
            earliest, latest, _precision = parse_birth_date(born)
        except DateParseError:
            return [], True
        qs = qs.filter(birth_date__lte=latest, birth_date_latest__gte=earliest)
    if case.child_id:
        qs = qs.exclude(pk=case.child_id)
    rows = list(
        qs.select_related("commune", "village").prefetch_related(
            Prefetch("carers", queryset=ChildCarer.objects.select_related("person").order_by("id"))
        )[:CHILD_PICK_LIMIT]
    )
    return rows, True
