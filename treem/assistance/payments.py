"""Monthly payment lists (danh sách chi trả): preparing them, approving, marking payments, and the
deductions an official enters on them.

Preparing reads each table once for every commune being prepared (recipients, last month's unpaid
lines, what approved lists paid to the recipients to reconcile, the month's deductions), computes
every line in memory with the calculator (`treem.lib.allowance`, the same function the calculator
page and command use), and writes the lines in bulk (COPY on PostgreSQL). A province's lists are
prepared by `payment_lists_prepare`, commune by commune, one short transaction each, after one
read for all of them. Preparing the same month again rebuilds the draft: one list per commune and
month (a unique constraint), never two.

A deduction (khấu trừ) is never netted silently: it is a row entered by the commune official with
its kind and reason; the list shows what the recipient is owed (gross), the deduction, its reason
and what is handed over (net).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from treem.assistance import access, rules
from treem.assistance.models import Deduction, PaymentLine, PaymentList, PaymentRun, Recipient
from treem.audit.services import audit_record
from treem.core.concurrency import save_versioned
from treem.geo.models import Commune
from treem.lib import allowance
from treem.lib.allowance import Month
from treem.lib.text import nfc

# ---- The calculator's input ------------------------------------------------------------------


def _case(
    pk: int,
    *,
    birth_date: dt.date,
    decided_on: dt.date,
    from_month: dt.date,
    studying_until: dt.date | None,
    bases: list[dict],
    ended_on: dt.date | None,
    to_month: Month | None,
) -> allowance.Case:
    parsed = []
    for item in bases:
        end = dt.date.fromisoformat(item["to"]) if item.get("to") else None
        if ended_on and (end is None or ended_on < end):
            end = ended_on
        parsed.append(
            allowance.Basis(
                item["basis"],
                dt.date.fromisoformat(item["from"]) if item.get("from") else None,
                end,
            )
        )
    return allowance.Case(
        case_id=str(pk),
        birth_date=birth_date,
        bases=tuple(parsed),
        decided_on=decided_on,
        studying_until=studying_until,
        from_month=Month.of(from_month),
        to_month=to_month,
    )


def recipient_case(recipient: Recipient, *, to_month: Month | None = None) -> allowance.Case:
    """The calculator's case of a recipient (an end recorded on the recipient ends every basis)."""
    return _case(
        recipient.pk,
        birth_date=recipient.birth_date,
        decided_on=recipient.decided_on,
        from_month=recipient.from_month,
        studying_until=recipient.studying_until,
        bases=recipient.bases,
        ended_on=recipient.ended_on,
        to_month=to_month,
    )


# ---- Reading: one query per table for every commune prepared ---------------------------------

_RECIPIENT_COLUMNS = (
    "id",
    "commune_id",
    "birth_date",
    "decided_on",
    "from_month",
    "studying_until",
    "bases",
    "ended_on",
    "payment_channel",
    "listed_through",
    "reconcile_needed",
)


@dataclass
class _Inputs:
    recipients: dict[str, list[tuple]]  # commune code → rows in _RECIPIENT_COLUMNS order
    carried: dict[int, tuple[int, int]]  # recipient → (unpaid line of last month, its total)
    paid: dict[int, dict[Month, int]]  # recipient to reconcile → month → paid (minus recovered)
    deductions: dict[int, tuple[str, int, str]]  # recipient → (kind, amount, reason)
    read_at: dt.datetime = field(default_factory=timezone.now)
    queries: int = 4


def _read_inputs(commune_codes: list[str], first_day: dt.date) -> _Inputs:
    read_at = timezone.now()
    recipients: dict[str, list[tuple]] = {code: [] for code in commune_codes}
    rows = Recipient.objects.filter(commune_id__in=commune_codes, from_month__lte=first_day).filter(
        # A recipient settled through this month by an approved list needs nothing more, unless
        # a late end asks for a full reconciliation.
        Q(listed_through__isnull=True) | Q(listed_through__lt=first_day) | Q(reconcile_needed=True)
    )
    for row in rows.values_list(*_RECIPIENT_COLUMNS):
        recipients[row[1]].append(row)
    # Last month's lines not collected are read by `_write_lists`, under the lock of last
    # month's lists, so one marked "not collected" while this month is computed is carried too.
    carried: dict[int, tuple[int, int]] = {}
    full = [row[0] for rows_ in recipients.values() for row in rows_ if row[10]]
    paid: dict[int, dict[Month, int]] = {rid: {} for rid in full}
    queries = 3
    if full:
        queries += 1
        # What approved lists paid (and recovered) each month, for recipients to reconcile fully.
        for rid, details in PaymentLine.objects.filter(
            recipient_id__in=full, payment_list__status=PaymentList.Status.APPROVED
        ).values_list("recipient_id", "details"):
            months = paid[rid]
            for key, value in (details.get("months") or {}).items():
                month = Month.parse(key)
                months[month] = months.get(month, 0) + int(value)
    deductions = {
        rid: (kind, amount, reason)
        for rid, kind, amount, reason in Deduction.objects.filter(
            month=first_day, recipient__commune_id__in=commune_codes
        ).values_list("recipient_id", "kind", "amount", "reason")
    }
    return _Inputs(recipients, carried, paid, deductions, read_at, queries)


# ---- Computing: the calculator, in memory -----------------------------------------------------


@dataclass(slots=True)
class _Line:
    payment_list_id: int
    recipient_id: int
    kind: str
    channel: str
    basis: str = ""
    coefficient: object = 0
    standard_amount: int = 0
    amount: int = 0
    arrears: int = 0
    carried: int = 0
    deductions: int = 0
    total: int = 0
    recovery: int = 0
    details: dict = field(default_factory=dict)
    carried_from_id: int | None = None
    paid_status: str = PaymentLine.PaidStatus.PENDING


def _apply_deduction(line: _Line, deduction: tuple[str, int, str] | None) -> None:
    """Gross (amount + arrears + carried) minus the recorded deduction, never below zero. A
    deduction larger than the gross (the gross fell after it was entered) is applied up to the
    gross, and the recorded figure stays in the line for the list to show."""
    gross = line.amount + line.arrears + line.carried
    if deduction is None:
        line.deductions, line.total = 0, gross
        line.details.pop("deduction", None)
        return
    kind, recorded, reason = deduction
    line.deductions = min(recorded, gross)
    line.total = gross - line.deductions
    line.details["deduction"] = {"kind": kind, "reason": reason, "recorded": recorded}


def _compute_lines(
    rows: list[tuple], month: Month, rules_: allowance.Rules, inputs: _Inputs, list_id: int
) -> list[_Line]:
    lines: list[_Line] = []
    carried_by, paid_by, deductions = inputs.carried, inputs.paid, inputs.deductions
    for (
        rid,
        _commune,
        birth_date,
        decided_on,
        from_month,
        studying_until,
        bases,
        ended_on,
        channel,
        listed_through,
        reconcile_needed,
    ) in rows:
        listed = Month.of(listed_through) if listed_through else None
        case = _case(
            rid,
            birth_date=birth_date,
            decided_on=decided_on,
            from_month=from_month,
            studying_until=studying_until,
            bases=bases,
            ended_on=ended_on,
            to_month=month,
        )
        window = None if reconcile_needed or listed is None else listed.next()
        try:
            months = allowance.entitlement(case, rules_, window_from=window, check=False)
        except allowance.CaseError:
            months = []
        current = months[-1] if months and months[-1].month == month else None
        paid_months: dict[str, int] = {}
        arrears = 0
        recovery_months: dict[str, int] = {}
        if reconcile_needed:
            owed = {m.month: m.amount for m in months if m.month < month}
            already = {k: v for k, v in paid_by[rid].items() if k < month}
            for adj in allowance.reconcile(owed, already):
                if adj.kind == "arrears":
                    arrears += adj.amount
                    paid_months[str(adj.month)] = adj.amount
                else:
                    recovery_months[str(adj.month)] = -adj.amount
        else:
            for m in months:
                if m.month < month:
                    arrears += m.amount
                    paid_months[str(m.month)] = m.amount
        carried_id, carried_amount = carried_by.get(rid, (None, 0))
        if current is not None:
            paid_months[str(month)] = current.amount
        if current is not None or arrears or carried_amount:
            line = _Line(
                payment_list_id=list_id,
                recipient_id=rid,
                kind=PaymentLine.Kind.PAYMENT,
                basis=current.basis if current else "",
                coefficient=current.coefficient if current else 0,
                standard_amount=current.standard_amount if current else 0,
                amount=current.amount if current else 0,
                arrears=arrears,
                carried=carried_amount,
                details={"months": paid_months},
                carried_from_id=carried_id,
                channel=channel,
            )
            _apply_deduction(line, deductions.get(rid))
            lines.append(line)
        if recovery_months:
            lines.append(
                _Line(
                    payment_list_id=list_id,
                    recipient_id=rid,
                    kind=PaymentLine.Kind.RECOVERY,
                    recovery=-sum(recovery_months.values()),
                    details={"months": recovery_months},
                    channel=channel,
                )
            )
    return lines


# ---- Writing ----------------------------------------------------------------------------------

_LINE_COLUMNS = [
    "payment_list_id",
    "recipient_id",
    "kind",
    "basis",
    "coefficient",
    "standard_amount",
    "amount",
    "arrears",
    "carried",
    "deductions",
    "total",
    "recovery",
    "details",
    "carried_from_id",
    "channel",
    "paid_status",
    "paid_on",
]


def _line_values(line: _Line) -> tuple:
    return (
        line.payment_list_id,
        line.recipient_id,
        line.kind,
        line.basis,
        str(line.coefficient),
        line.standard_amount,
        line.amount,
        line.arrears,
        line.carried,
        line.deductions,
        line.total,
        line.recovery,
        json.dumps(line.details),
        line.carried_from_id,
        line.channel,
        line.paid_status,
        None,
    )


def _insert_lines(lines: list[_Line]) -> None:
    """Write the lines in bulk. `bulk_create` spends most of a province's list preparing each
    value through the field machinery, and a long multi-row INSERT spends it in the driver's
    placeholder parsing; PostgreSQL takes them through COPY, SQLite as multi-row INSERTs."""
    if not lines:
        return
    table = connection.ops.quote_name(PaymentLine._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _LINE_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for line in lines:
                    copy.write_row(_line_values(line))
            return
        batch = 900 // len(_LINE_COLUMNS)
        row_marks = "(" + ", ".join(["%s"] * len(_LINE_COLUMNS)) + ")"
        for start in range(0, len(lines), batch):
            chunk = lines[start : start + batch]
            params = [value for line in chunk for value in _line_values(line)]
            # Table and column names come from the model; every value is a parameter.
            sql = f"INSERT INTO {table} ({columns}) VALUES " + ", ".join([row_marks] * len(chunk))  # noqa: S608
            cursor.execute(sql, params)


_TOTAL_FIELDS = [
    "total_amount",
    "total_arrears",
    "total_carried",
    "total_deductions",
    "total_payable",
    "total_recovery",
]


def _set_totals(payment_list: PaymentList, lines: Iterable[_Line]) -> None:
    amount = arrears = carried = deductions = payable = recovery = 0
    for line in lines:
        if line.kind == PaymentLine.Kind.PAYMENT:
            amount += line.amount
            arrears += line.arrears
            carried += line.carried
            deductions += line.deductions
            payable += line.total
        recovery += line.recovery
    payment_list.total_amount = amount
    payment_list.total_arrears = arrears
    payment_list.total_carried = carried
    payment_list.total_deductions = deductions
    payment_list.total_payable = payable
    payment_list.total_recovery = recovery


def _jit_off(*, draft: bool = False) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Short queries on indexed ranges; JIT compilation would cost more than it saves.
            cursor.execute("SET LOCAL jit = off")
            if draft:
                # A draft list can always be prepared again from the recipients: its commit need
                # not wait for the disk (a crash may lose the last drafts, never corrupt them, and
                # the audit entry written with a draft is lost with it). A province's 95 commits
                # waited 3 s for the disk on a loaded machine.
                cursor.execute("SET LOCAL synchronous_commit = off")


def _month_label(first_day: dt.date) -> str:
    return first_day.strftime("%m/%Y")


def _refusal(status_approved_month: dt.date, first_day: dt.date) -> str:
    if status_approved_month == first_day:
        return _(
            "Danh sách chi trả tháng %(m)s đã được phê duyệt và khoá, không thể lập lại. "
            "Khoản thay đổi sẽ vào danh sách tháng sau."
        ) % {"m": _month_label(first_day)}
    return _("Đã có danh sách tháng sau được phê duyệt: không thể lập danh sách tháng cũ.")


def _lock_months(commune_codes: list[str], first_day: dt.date) -> dict[str, PaymentList]:
    """Lock last month's lists of the communes, then this month's (always in that order, as
    `payment_mark` does, so the two never wait for each other in a circle); this month's by
    commune. While they are held, no payment of last month is marked collected or not."""
    previous = Month.of(first_day).prev().first_day()
    list(
        PaymentList.objects.select_for_update()
        .filter(commune_id__in=commune_codes, month=previous)
        .order_by("commune_id")
        .values_list("pk", flat=True)
    )
    return {
        pl.commune_id: pl
        for pl in PaymentList.objects.select_for_update()
        .filter(commune_id__in=commune_codes, month=first_day)
        .order_by("commune_id")
    }


def _carried(commune_codes: list[str], first_day: dt.date) -> dict[int, tuple[int, int]]:
    """Lines of last month's approved lists not collected, carried into this month: recipient →
    (line, its total). Only this month's list carries them, and its draft lines are rebuilt, so
    there is no "already carried" test."""
    previous = Month.of(first_day).prev().first_day()
    return {
        rid: (line_id, total)
        for rid, line_id, total in PaymentLine.objects.filter(
            payment_list__commune_id__in=commune_codes,
            payment_list__month=previous,
            payment_list__status=PaymentList.Status.APPROVED,
            kind=PaymentLine.Kind.PAYMENT,
            paid_status=PaymentLine.PaidStatus.UNPAID,
        ).values_list("recipient_id", "id", "total")
    }


def _write_lists(
    *,
    actor,
    commune_codes: list[str],
    first_day: dt.date,
    rules_: allowance.Rules,
    inputs: _Inputs,
    audit_each: bool,
) -> tuple[dict[str, tuple[PaymentList, int]], dict[str, str]]:
    """Inside the caller's transaction, for every commune at once (a fixed number of statements,
    whatever the number of communes: on a loaded machine each round trip to the database costs
    more than the work it does): lock or create the month's lists, refuse the locked ones, rebuild
    the drafts' lines. Returns the prepared lists with their number of lines, and the refusals."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    lists = _lock_months(commune_codes, first_day)
    # Read under the lock: what was marked up to now is carried; a later mark waits for this
    # transaction, then prepares the draft again (`payment_mark`).
    inputs = replace(inputs, carried=_carried(commune_codes, first_day))
    created = [c for c in commune_codes if c not in lists]
    if created:
        # A list created by someone else meanwhile is kept (the constraint is on commune and
        # month): one list per commune and month, never two.
        PaymentList.objects.bulk_create(
            [PaymentList(commune_id=c, month=first_day, prepared_by=user) for c in created],
            ignore_conflicts=True,
        )
        for pl in PaymentList.objects.select_for_update().filter(
            commune_id__in=created, month=first_day
        ):
            lists[pl.commune_id] = pl
    refused: dict[str, str] = {}
    for code, month in (
        PaymentList.objects.filter(
            commune_id__in=commune_codes, month__gte=first_day, status=PaymentList.Status.APPROVED
        )
        .order_by("commune_id", "-month")
        .values_list("commune_id", "month")
    ):
        refused[code] = _refusal(month, first_day)
    drafts = [lists[c] for c in commune_codes if c not in refused]
    if not drafts:
        return {}, refused
    # A draft's lines are rebuilt whole. Nothing points at them (only unpaid lines of an
    # approved list are carried), so the rows go in one DELETE without the collector.
    PaymentLine.objects.filter(payment_list__in=[pl.pk for pl in drafts])._raw_delete(
        PaymentLine.objects.db
    )
    target = Month.of(first_day)
    done: dict[str, tuple[PaymentList, int]] = {}
    every: list[_Line] = []
    for pl in drafts:
        lines = _compute_lines(
            inputs.recipients.get(pl.commune_id, []), target, rules_, inputs, pl.pk
        )
        every.extend(lines)
        _set_totals(pl, lines)
        pl.prepared_by = user
        # The moment the recipients were read: approval refuses a list prepared before a
        # recipient changed, and a change made while this was being computed is after this moment.
        pl.prepared_at = inputs.read_at
        # Rebuilding the draft changes it: a chairman looking at the former one is told to reload.
        pl.version += 0 if pl.commune_id in created else 1
        done[pl.commune_id] = (pl, len(lines))
    _insert_lines(every)
    PaymentList.objects.bulk_update(
        drafts, [*_TOTAL_FIELDS, "prepared_by", "prepared_at", "version"], batch_size=500
    )
    if audit_each:
        for code, (pl, n) in done.items():
            audit_record(
                actor=actor,
                action="create" if code in created else "update",
                obj=pl,
                details={"lines": n, "total": pl.total_payable},
            )
    else:
        # The scheduled run: one entry for the batch, naming every list it wrote.
        audit_record(
            actor=actor,
            action="update",
            object_type=PaymentList._meta.label_lower,
            details={
                "month": first_day.isoformat(),
                "lists": {
                    str(pl.pk): {"commune": code, "lines": n, "total": pl.total_payable}
                    for code, (pl, n) in done.items()
                },
            },
        )
    return done, refused


def payment_list_prepare(*, actor, commune_code: str, month: dt.date) -> PaymentList:
    """Prepare (or re-prepare, while still a draft) the commune's list for `month`. A list
    already approved is locked: nothing is changed and the official is told."""
    access.require_prepare(actor, commune_code)
    first_day = month.replace(day=1)
    with transaction.atomic():
        _jit_off(draft=True)
        # Lock the lists before reading, so two officials preparing at once queue.
        _lock_months([commune_code], first_day)
        province = Commune.objects.values_list("province_id", flat=True).get(pk=commune_code)
        rules_ = rules.load_rules(province_code=province)
        inputs = _read_inputs([commune_code], first_day)
        done, refused = _write_lists(
            actor=actor,
            commune_codes=[commune_code],
            first_day=first_day,
            rules_=rules_,
            inputs=inputs,
            audit_each=True,
        )
        if refused:
            raise ValidationError(refused[commune_code])
    return done[commune_code][0]


@dataclass
class PrepareOutcome:
    """What happened to one commune's list in a batch."""

    commune_code: str
    payment_list_id: int | None = None
    lines: int = 0
    total_payable: int = 0
    refused: str = ""  # the reason, when the list was not prepared


# Lines per transaction of a batch: large enough that the round trips do not dominate, small
# enough that progress is reported and the locks are short (a province has about 60,000).
BATCH_LINES = 20_000


def payment_lists_prepare(
    *,
    actor,
    province_code: str,
    month: dt.date,
    commune_codes: list[str] | None = None,
    progress: Callable[[int, int, list[PrepareOutcome]], None] | None = None,
) -> list[PrepareOutcome]:
    """Prepare the month's draft list of every commune of the province (or of `commune_codes`).

    `actor` None is the scheduled run (the monthly task or `manage.py assistance_prepare_lists`);
    a user prepares only the communes they may prepare. The inputs are read once for all the
    communes (one query per table); the communes are then written in groups of about
    `BATCH_LINES` lines, one transaction each, so a locked list (approved) is reported and
    skipped while the others go on. `progress(done, total, outcomes)` is called after each group.
    """
    first_day = month.replace(day=1)
    codes = commune_codes or list(
        Commune.objects.filter(province_id=province_code)
        .order_by("code")
        .values_list("code", flat=True)
    )
    outcomes = {code: PrepareOutcome(code) for code in codes}
    allowed = [c for c in codes if actor is None or access.can_prepare(actor, c)]
    for code in codes:
        if code not in allowed:
            outcomes[code].refused = _(
                "Chỉ cán bộ của xã phụ trách mới được lập danh sách chi trả của xã này."
            )
    rules_ = rules.load_rules(province_code=province_code)
    with transaction.atomic():
        _jit_off()
        inputs = _read_inputs(allowed, first_day)
    # A commune with no recipient to consider and no list of the month gets no empty list.
    existing = set(
        PaymentList.objects.filter(commune_id__in=allowed, month=first_day).values_list(
            "commune_id", flat=True
        )
    )
    groups: list[list[str]] = [[]]
    size = 0
    for code in allowed:
        if not inputs.recipients[code] and code not in existing:
            continue
        if groups[-1] and size + len(inputs.recipients[code]) > BATCH_LINES:
            groups.append([])
            size = 0
        groups[-1].append(code)
        size += len(inputs.recipients[code])
    total = len(codes)
    finished = total - sum(len(g) for g in groups)
    for group in groups:
        if not group:
            continue
        with transaction.atomic():
            _jit_off(draft=True)
            done, refused = _write_lists(
                actor=actor,
                commune_codes=group,
                first_day=first_day,
                rules_=rules_,
                inputs=inputs,
                audit_each=actor is not None,
            )
        for code, (pl, n) in done.items():
            outcome = outcomes[code]
            outcome.payment_list_id, outcome.lines, outcome.total_payable = (
                pl.pk,
                n,
                pl.total_payable,
            )
        for code, message in refused.items():
            outcomes[code].refused = message
        finished += len(group)
        if progress is not None:
            progress(finished, total, [outcomes[c] for c in group])
    return list(outcomes.values())


# ---- The province's lists in the background ---------------------------------------------------


def payment_run_start(*, actor, month: dt.date) -> tuple[PaymentRun, bool]:
    """Queue the preparation of every commune's draft list of the actor's province for `month`.
    Returns the run and whether it is new: asking again while one is waiting or running gives the
    same run (a double click starts one)."""
    from treem.assistance import tasks

    if not access.can_run_province_lists(actor):
        raise PermissionDenied(
            _("Chỉ chuyên viên cấp tỉnh được lập danh sách chi trả cho mọi xã cùng lúc.")
        )
    province_code = actor.jurisdiction.province_code
    first_day = month.replace(day=1)
    active = [PaymentRun.Status.QUEUED, PaymentRun.Status.RUNNING]
    with transaction.atomic():
        run = PaymentRun.objects.filter(
            province_id=province_code, month=first_day, status__in=active
        ).first()
        if run is not None:
            return run, False
        try:
            with transaction.atomic():
                run = PaymentRun.objects.create(
                    province_id=province_code, month=first_day, requested_by=actor
                )
        except IntegrityError:
            # Someone queued the same month at the same moment: theirs is the run.
            return PaymentRun.objects.get(
                province_id=province_code, month=first_day, status__in=active
            ), False
        audit_record(actor=actor, action="create", obj=run, details={"month": str(first_day)})
        transaction.on_commit(lambda: tasks.payment_run_task.enqueue(run.pk))
    return run, True


def payment_run_execute(run_id: int) -> PaymentRun:
    """The task's work: claim the queued run (a retried task finds it claimed and does nothing),
    prepare the lists group by group, and record the progress after each group."""
    claimed = PaymentRun.objects.filter(pk=run_id, status=PaymentRun.Status.QUEUED).update(
        status=PaymentRun.Status.RUNNING, started_at=timezone.now()
    )
    run = PaymentRun.objects.get(pk=run_id)
    if not claimed:
        return run
    codes = list(
        Commune.objects.filter(province_id=run.province_id)
        .order_by("code")
        .values_list("code", flat=True)
    )
    PaymentRun.objects.filter(pk=run_id).update(communes_total=len(codes))
    refused: list[dict] = []
    lines = 0

    def progress(done: int, total: int, outcomes: list[PrepareOutcome]) -> None:
        nonlocal lines
        lines += sum(o.lines for o in outcomes)
        refused.extend(
            {"commune": o.commune_code, "reason": o.refused} for o in outcomes if o.refused
        )
        PaymentRun.objects.filter(pk=run_id).update(
            communes_done=done, lines=lines, refused=refused
        )

    try:
        payment_lists_prepare(
            actor=None,
            province_code=run.province_id,
            month=run.month,
            commune_codes=codes,
            progress=progress,
        )
    except Exception as exc:
        PaymentRun.objects.filter(pk=run_id).update(
            status=PaymentRun.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    PaymentRun.objects.filter(pk=run_id).update(
        status=PaymentRun.Status.DONE, finished_at=timezone.now(), communes_done=len(codes)
    )
    run.refresh_from_db()
    return run


# ---- Approval and payment ---------------------------------------------------------------------


def payment_list_approve(*, actor, payment_list: PaymentList, expected_version: int) -> PaymentList:
    """The chairman approves: the list is locked. Two approvals at once: the conditional UPDATE
    lets exactly one through; the other is told who approved first."""
    access.require_decide(actor, payment_list.commune_id)
    with transaction.atomic():
        updated = PaymentList.objects.filter(
            pk=payment_list.pk, status=PaymentList.Status.DRAFT, version=expected_version
        ).update(
            status=PaymentList.Status.APPROVED,
            approved_by=actor,
            approved_at=timezone.now(),
            version=F("version") + 1,
        )
        if updated != 1:
            current = PaymentList.objects.select_related("approved_by").get(pk=payment_list.pk)
            if current.status == PaymentList.Status.APPROVED:
                who = current.approved_by.full_name if current.approved_by else ""
                raise ValidationError(
                    _(
                        "Danh sách này đã được %(who)s phê duyệt lúc %(at)s. Không cần phê duyệt "
                        "lại."
                    )
                    % {
                        "who": who,
                        "at": timezone.localtime(current.approved_at).strftime("%H:%M %d/%m/%Y"),
                    }
                )
            raise ValidationError(
                _("Danh sách vừa được lập lại sau khi bạn mở. Hãy tải lại trang, xem rồi duyệt.")
            )
        first_day = payment_list.month
        if PaymentList.objects.filter(
            commune_id=payment_list.commune_id,
            month__gt=first_day,
            status=PaymentList.Status.APPROVED,
        ).exists():
            raise ValidationError(
                _("Đã có danh sách tháng sau được phê duyệt: không thể duyệt danh sách tháng cũ.")
            )
        current = PaymentList.objects.get(pk=payment_list.pk)
        changed = Recipient.objects.filter(
            commune_id=payment_list.commune_id, updated_at__gt=current.prepared_at
        ).exists()
        if changed:
            # Raising rolls the status back: a recipient decided or ended after the list was
            # prepared would otherwise be marked settled without being on it.
            raise ValidationError(
                _(
                    "Có người hưởng mới hoặc thay đổi sau khi danh sách được lập. Hãy lập lại "
                    "danh sách rồi phê duyệt."
                )
            )
        # Everyone the list considered is settled through this month: the next list starts after.
        Recipient.objects.filter(
            commune_id=payment_list.commune_id, from_month__lte=first_day
        ).update(listed_through=first_day, reconcile_needed=False)
        audit_record(
            actor=actor,
            action="update",
            obj=payment_list,
            changes={"status": ["draft", "approved"]},
        )
    payment_list.refresh_from_db()
    return payment_list


def payment_mark(
    *, actor, line: PaymentLine, paid: bool, paid_on: dt.date | None = None
) -> PaymentLine:
    """Record that the money was handed over (with the date) or not (carried to next month)."""
    payment_list = line.payment_list
    access.require_prepare(actor, payment_list.commune_id)
    if payment_list.status != PaymentList.Status.APPROVED:
        raise ValidationError(_("Danh sách chưa được phê duyệt: chưa thể ghi nhận chi trả."))
    if line.kind != PaymentLine.Kind.PAYMENT:
        raise ValidationError(_("Dòng thu hồi không ghi nhận chi trả."))
    if paid:
        if paid_on is None:
            raise ValidationError({"paid_on": _("Hãy ghi ngày chi trả.")})
        if paid_on < payment_list.month:
            raise ValidationError({"paid_on": _("Ngày chi trả trước tháng của danh sách.")})
    with transaction.atomic():
        # The lock preparing next month's list takes first (`_lock_months`): a list being
        # prepared now is either finished before this mark, and prepared again below, or waits
        # and reads it.
        PaymentList.objects.select_for_update().filter(pk=payment_list.pk).first()
        line = PaymentLine.objects.select_for_update().get(pk=line.pk)
        if PaymentLine.objects.filter(carried_from=line).exists():
            raise ValidationError(
                _("Khoản này đã được chuyển sang danh sách tháng sau: hãy ghi nhận ở danh sách đó.")
            )
        before = line.paid_status
        line.paid_status = PaymentLine.PaidStatus.PAID if paid else PaymentLine.PaidStatus.UNPAID
        line.paid_on = paid_on if paid else None
        following = (
            PaymentList.objects.filter(
                commune_id=payment_list.commune_id,
                month=Month.of(payment_list.month).next().first_day(),
            ).first()
            if line.paid_status != before
            else None
        )
        if (
            following is not None
            and following.status == PaymentList.Status.APPROVED
            and line.paid_status == PaymentLine.PaidStatus.UNPAID
        ):
            # Its money could no longer be carried: refused, rather than lost.
            raise ValidationError(
                _(
                    "Danh sách tháng sau đã được phê duyệt nên khoản chưa nhận này không còn "
                    "được chuyển sang được. Hãy ghi nhận đã chi, hoặc báo tỉnh để giải quyết."
                )
            )
        line.save(update_fields=["paid_status", "paid_on"])
        audit_record(
            actor=actor,
            action="update",
            obj=line,
            changes={"paid_status": [before, line.paid_status]},
        )
        if following is not None and following.status != PaymentList.Status.APPROVED:
            # Next month's draft was made before this mark: made again, so it carries the money
            # not collected (or no longer carries it).
            province = Commune.objects.values_list("province_id", flat=True).get(
                pk=payment_list.commune_id
            )
            _write_lists(
                actor=actor,
                commune_codes=[payment_list.commune_id],
                first_day=following.month,
                rules_=rules.load_rules(province_code=province),
                inputs=_read_inputs([payment_list.commune_id], following.month),
                audit_each=True,
            )
    return line


# ---- Deductions -------------------------------------------------------------------------------

_DIGITS = re.compile(r"[0-9]+")
# The largest amount a BigIntegerField holds is far beyond any allowance: a deduction above this
# is a typing error (ten billion đồng).
_MAX_DEDUCTION = 10_000_000_000


def parse_whole_dong(raw: object, *, field: str = "amount") -> int:
    """Whole đồng typed by an official: digits only, spaces between groups allowed. A dot or comma
    is refused rather than guessed: "1.500.000" is one and a half million in Vietnamese but reads
    as 1.5 in English, and "1,5" the other way round."""
    text = re.sub(r"[\s\u00a0]", "", str(raw if raw is not None else ""))
    if text == "":
        raise ValidationError({field: _("Hãy nhập số tiền khấu trừ (số nguyên đồng).")})
    if not _DIGITS.fullmatch(text):
        raise ValidationError(
            {
                field: _(
                    "Số tiền “%(value)s” không hợp lệ: hãy nhập số nguyên đồng, chỉ gồm chữ số, "
                    "không có dấu chấm, dấu phẩy hay phần lẻ (ví dụ 1500000)."
                )
                % {"value": str(raw)[:30]}
            }
        )
    value = int(text)
    if value <= 0:
        raise ValidationError({field: _("Số tiền khấu trừ phải lớn hơn 0.")})
    if value > _MAX_DEDUCTION:
        raise ValidationError({field: _("Số tiền quá lớn. Hãy kiểm tra lại số chữ số.")})
    return value


def recovery_outstanding(recipient_id: int, first_day: dt.date, *, excluding: int | None = None):
    """What is still to be recovered from a recipient at the list of `first_day`: the recovery
    lines of approved lists and of this month's list, minus the recovery deductions of other
    months (and of this month, except the deduction `excluding` being edited)."""
    owed = (
        PaymentLine.objects.filter(
            recipient_id=recipient_id,
            kind=PaymentLine.Kind.RECOVERY,
            payment_list__month__lte=first_day,
        )
        .filter(
            Q(payment_list__status=PaymentList.Status.APPROVED) | Q(payment_list__month=first_day)
        )
        .aggregate(s=Sum("recovery"))["s"]
        or 0
    )
    taken = Deduction.objects.filter(recipient_id=recipient_id, kind=Deduction.Kind.RECOVERY)
    if excluding is not None:
        taken = taken.exclude(pk=excluding)
    return owed - (taken.aggregate(s=Sum("amount"))["s"] or 0)


def _refresh_line(payment_list: PaymentList, line: PaymentLine, deduction: Deduction | None):
    """Apply the deduction to the draft line and the list's totals; the list's version moves, so
    a chairman approving the list as it was before is told to reload it."""
    values = _Line(
        payment_list_id=payment_list.pk,
        recipient_id=line.recipient_id,
        kind=line.kind,
        channel=line.channel,
        amount=line.amount,
        arrears=line.arrears,
        carried=line.carried,
        details=dict(line.details or {}),
    )
    _apply_deduction(
        values, (deduction.kind, deduction.amount, deduction.reason) if deduction else None
    )
    line.deductions, line.total, line.details = values.deductions, values.total, values.details
    line.save(update_fields=["deductions", "total", "details"])
    sums = payment_list.lines.filter(kind=PaymentLine.Kind.PAYMENT).aggregate(
        d=Sum("deductions"), t=Sum("total")
    )
    PaymentList.objects.filter(pk=payment_list.pk).update(
        total_deductions=sums["d"] or 0, total_payable=sums["t"] or 0, version=F("version") + 1
    )


def _locked_draft(line: PaymentLine) -> PaymentList:
    payment_list = PaymentList.objects.select_for_update().get(pk=line.payment_list_id)
    if payment_list.status != PaymentList.Status.DRAFT:
        raise ValidationError(
            _(
                "Danh sách chi trả tháng %(m)s đã được phê duyệt và khoá: không thể ghi khấu trừ. "
                "Hãy ghi vào danh sách tháng sau."
            )
            % {"m": _month_label(payment_list.month)}
        )
    return payment_list


def deduction_set(
    *,
    actor,
    line: PaymentLine,
    kind: str,
    amount: object,
    reason: str,
    expected_version: int | None,
) -> Deduction:
    """Enter (expected_version None) or change the deduction of a recipient in the month of a
    draft list. The amount is whole đồng and at most what the recipient is owed this month; a
    recovery is at most what is still to be recovered. A double submit of the same values does
    the work once; a deduction changed by someone else since the form was opened is refused."""
    access.require_prepare(actor, line.payment_list.commune_id)
    if line.kind != PaymentLine.Kind.PAYMENT:
        raise ValidationError(_("Chỉ khấu trừ vào dòng chi trả, không vào dòng thu hồi."))
    if kind not in Deduction.Kind.values:
        raise ValidationError({"kind": _("Hãy chọn loại khấu trừ.")})
    value = parse_whole_dong(amount)
    reason = nfc(reason or "").strip()
    first_day = line.payment_list.month
    with transaction.atomic():
        payment_list = _locked_draft(line)
        line = PaymentLine.objects.select_for_update().get(pk=line.pk)
        existing = Deduction.objects.filter(recipient_id=line.recipient_id, month=first_day).first()
        if kind == Deduction.Kind.RECOVERY:
            outstanding = recovery_outstanding(
                line.recipient_id, first_day, excluding=existing.pk if existing else None
            )
            if outstanding <= 0:
                raise ValidationError(
                    {
                        "kind": _(
                            "Người này không có khoản nào phải thu hồi: hãy chọn khấu trừ khác."
                        )
                    }
                )
            if value > outstanding:
                raise ValidationError(
                    {
                        "amount": _("Chỉ còn %(left)s đồng phải thu hồi: không khấu trừ quá số đó.")
                        % {"left": f"{outstanding:,}".replace(",", ".")}
                    }
                )
            if not reason:
                reason = _("Thu hồi tiền trợ cấp đã chi sai")
        elif not reason:
            raise ValidationError({"reason": _("Hãy ghi lý do khấu trừ.")})
        if value > line.gross:
            raise ValidationError(
                {
                    "amount": _(
                        "Số tiền khấu trừ lớn hơn số được hưởng tháng này (%(gross)s đồng)."
                    )
                    % {"gross": f"{line.gross:,}".replace(",", ".")}
                }
            )
        if expected_version is None:
            if existing is not None:
                if (existing.kind, existing.amount, existing.reason) == (kind, value, reason):
                    return existing  # the same form sent twice: done once
                raise ValidationError(
                    _(
                        "Khoản khấu trừ của tháng này vừa được %(who)s ghi. Hãy tải lại trang, "
                        "xem khoản đã ghi rồi sửa nếu cần."
                    )
                    % {"who": existing.entered_by.full_name if existing.entered_by else ""}
                )
            deduction = Deduction(
                recipient_id=line.recipient_id,
                month=first_day,
                kind=kind,
                amount=value,
                reason=reason,
                entered_by=actor,
            )
            try:
                with transaction.atomic():
                    deduction.save()
            except IntegrityError:
                raise ValidationError(
                    _(
                        "Khoản khấu trừ của tháng này vừa được người khác ghi. Hãy tải lại trang, "
                        "xem khoản đã ghi rồi sửa nếu cần."
                    )
                ) from None
            audit_record(
                actor=actor,
                action="create",
                obj=deduction,
                details={"kind": kind, "amount": value, "reason": reason, "line": line.pk},
            )
        else:
            if existing is None:
                raise ValidationError(
                    _("Khoản khấu trừ này vừa bị xoá. Hãy tải lại trang rồi ghi lại nếu cần.")
                )
            before = {"kind": existing.kind, "amount": existing.amount, "reason": existing.reason}
            deduction = existing
            deduction.kind, deduction.amount, deduction.reason = kind, value, reason
            save_versioned(
                deduction,
                expected_version=expected_version,
                fields=["kind", "amount", "reason", "updated_at"],
            )
            audit_record(
                actor=actor,
                action="update",
                obj=deduction,
                changes={
                    k: [before[k], v]
                    for k, v in {"kind": kind, "amount": value, "reason": reason}.items()
                    if before[k] != v
                },
            )
        _refresh_line(payment_list, line, deduction)
    return deduction


def deduction_remove(*, actor, line: PaymentLine, expected_version: int) -> None:
    """Remove the deduction of a draft line (the recipient is then paid the gross)."""
    access.require_prepare(actor, line.payment_list.commune_id)
    with transaction.atomic():
        payment_list = _locked_draft(line)
        line = PaymentLine.objects.select_for_update().get(pk=line.pk)
        deleted, _rows = Deduction.objects.filter(
            recipient_id=line.recipient_id, month=payment_list.month, version=expected_version
        ).delete()
        if not deleted:
            raise ValidationError(
                _(
                    "Khoản khấu trừ này vừa được người khác sửa hoặc xoá. Hãy tải lại trang rồi "
                    "xem lại."
                )
            )
        audit_record(
            actor=actor,
            action="delete",
            object_type="assistance.deduction",
            object_id=f"{line.recipient_id}:{payment_list.month:%Y-%m}",
            details={"line": line.pk},
        )
        _refresh_line(payment_list, line, None)


def deduction_for_line(line: PaymentLine) -> Deduction | None:
    return (
        Deduction.objects.filter(recipient_id=line.recipient_id, month=line.payment_list.month)
        .select_related("entered_by")
        .first()
    )
