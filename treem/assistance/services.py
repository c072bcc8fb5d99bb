"""Writes of social assistance: dossiers through their workflow, decisions, ends, payment lists.

Every service checks permission through `treem.assistance.access`, validates (a clear message,
nothing saved), runs in one transaction, records an audit entry and, for dossiers, an event row.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from treem.assistance import access, rules, workdays
from treem.assistance.models import (
    BeneficiaryGroup,
    DocumentKind,
    Dossier,
    DossierBasis,
    DossierDocument,
    DossierEvent,
    PaymentChannel,
    PaymentLine,
    PaymentList,
    Recipient,
    StandardAmount,
)
from treem.assistance.workflow import TRANSITIONS, can_do
from treem.audit.services import audit_record
from treem.core import uploads
from treem.core.concurrency import save_versioned
from treem.lib import allowance
from treem.lib.allowance import Month

_TRACKING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
# Vietnamese bank account numbers are digits only; banks issue 6 to 19 digits (the 19 of a card
# number is the longest any bank uses for an account). Spaces and dots typed for readability are
# removed before the check.
_ACCOUNT_RE = re.compile(r"^\d{6,19}$")


def normalise_account(number: str) -> str:
    return re.sub(r"[\s.\-]", "", number or "")


def validate_payment_channel(channel: str, bank_name: str, account_number: str) -> str:
    number = normalise_account(account_number)
    if channel == PaymentChannel.BANK:
        if not bank_name.strip():
            raise ValidationError(
                {"bank_name": _("Hãy ghi tên ngân hàng của tài khoản nhận tiền.")}
            )
        if not _ACCOUNT_RE.match(number):
            raise ValidationError(
                {
                    "account_number": _(
                        "Số tài khoản chỉ gồm chữ số, từ 6 đến 19 số. Hãy chép lại đúng số tài "
                        "khoản in trên thẻ hoặc sổ ngân hàng."
                    )
                }
            )
    elif number:
        raise ValidationError(
            {
                "account_number": _(
                    "Chỉ ghi số tài khoản khi nhận tiền qua ngân hàng. Hãy chọn hình thức "
                    "chuyển khoản hoặc xoá số tài khoản."
                )
            }
        )
    return number


def _event(dossier: Dossier, *, actor, action: str, before: str, details: dict | None = None):
    DossierEvent.objects.create(
        dossier=dossier,
        action=action,
        from_status=before,
        to_status=dossier.status,
        actor=actor,
        details=details or {},
    )
    audit_record(
        actor=actor,
        action="create" if action == "create" else "update",
        obj=dossier,
        changes={"status": [before, dossier.status]} if before != dossier.status else None,
        details={"step": action, **(details or {})},
    )


def _require_move(actor, dossier: Dossier, action: str) -> str:
    move = TRANSITIONS.get(dossier.status, {}).get(action)
    if move is None:
        raise ValidationError(
            _(
                "Hồ sơ đang ở bước “%(status)s” nên không thể làm bước này. Hãy tải lại trang "
                "để xem bước tiếp theo."
            )
            % {"status": dossier.get_status_display()}
        )
    if not can_do(actor, dossier, action):
        if move[1] == "decide":
            access.require_decide(actor, dossier.commune_id)
        access.require_prepare(actor, dossier.commune_id)
    return move[0]


def _case_for(*, birth_date, bases, decided_on, studying_until, from_month=None) -> allowance.Case:
    return allowance.Case(
        case_id="",
        birth_date=birth_date,
        bases=tuple(
            allowance.Basis(b["basis"], b.get("basis_from"), b.get("basis_to")) for b in bases
        ),
        decided_on=decided_on,
        studying_until=studying_until,
        from_month=from_month,
    )


def _check_eligible(case: allowance.Case, *, commune_province: str, field: str) -> None:
    try:
        allowance.validate(case, rules.load_rules(province_code=commune_province))
    except allowance.CaseError as exc:
        messages = {
            "too_old": _(
                "Theo ngày sinh, trẻ đã quá tuổi được hưởng của diện đã chọn: không đủ điều kiện. "
                "Hãy kiểm tra lại ngày sinh hoặc diện hưởng."
            ),
            "basis_ended": _(
                "Diện hưởng đã kết thúc trước ngày %(field)s: không thể đề nghị trợ cấp theo diện "
                "này. Hãy kiểm tra lại ngày kết thúc."
            )
            % {"field": field},
            "born_after_decision": _("Ngày sinh sau ngày %(field)s: hãy kiểm tra lại ngày sinh.")
            % {"field": field},
            "basis_order": _("Ngày kết thúc diện hưởng trước ngày bắt đầu: hãy sửa lại."),
            "no_basis": _("Hãy chọn ít nhất một diện hưởng."),
        }
        raise ValidationError(messages.get(exc.code, str(exc))) from exc


def dossier_create(
    *,
    actor,
    child,
    applicant_name: str,
    applicant_relation: str,
    applied_on: dt.date,
    bases: list[dict],
    studying_until: dt.date | None = None,
    payment_channel: str = PaymentChannel.CASH,
    bank_name: str = "",
    account_number: str = "",
) -> Dossier:
    access.require_prepare(actor, child.commune_id)
    if not bases:
        raise ValidationError(_("Hãy chọn ít nhất một diện hưởng."))
    number = validate_payment_channel(payment_channel, bank_name, account_number)
    if applied_on > timezone.localdate():
        raise ValidationError({"applied_on": _("Ngày nộp đơn không thể ở tương lai.")})
    _check_eligible(
        _case_for(
            birth_date=child.birth_date,
            bases=bases,
            decided_on=applied_on,
            studying_until=studying_until,
        ),
        commune_province=child.province_id,
        field=_("nộp đơn"),
    )
    with transaction.atomic():
        dossier = Dossier(
            tracking_code="".join(secrets.choice(_TRACKING_ALPHABET) for _i in range(10)),
            child=child,
            commune_id=child.commune_id,
            applicant_name=applicant_name.strip(),
            applicant_relation=applicant_relation.strip(),
            applied_on=applied_on,
            studying_until=studying_until,
            payment_channel=payment_channel,
            bank_name=bank_name.strip(),
            account_number=number,
            created_by=actor,
        )
        dossier.full_clean()
        dossier.save()
        for item in bases:
            basis = DossierBasis(
                dossier=dossier,
                basis=item["basis"],
                basis_from=item.get("basis_from"),
                basis_to=item.get("basis_to"),
            )
            basis.full_clean()
            basis.save()
        _event(dossier, actor=actor, action="create", before="")
    return dossier


def required_documents(dossier: Dossier) -> list[str]:
    kinds: list[str] = []
    codes = [b.basis for b in dossier.bases.all()]
    for group in BeneficiaryGroup.objects.filter(code__in=codes):
        for kind in group.required_documents:
            if kind not in kinds:
                kinds.append(kind)
    if dossier.studying_until and DocumentKind.SCHOOL_CERTIFICATE not in kinds:
        kinds.append(DocumentKind.SCHOOL_CERTIFICATE)
    return kinds


def missing_documents(dossier: Dossier) -> list[str]:
    present = {d.kind for d in dossier.documents.all()}
    return [k for k in required_documents(dossier) if k not in present]


def document_add(*, actor, dossier: Dossier, kind: str, upload) -> DossierDocument:
    access.require_prepare(actor, dossier.commune_id)
    if dossier.status not in (Dossier.Status.DRAFT, Dossier.Status.REVIEWED):
        raise ValidationError(
            _("Hồ sơ đã niêm yết hoặc đã có kết quả: không thể bổ sung giấy tờ nữa.")
        )
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Hãy chọn loại giấy tờ trong danh sách.")})
    content_type = uploads.check_upload(upload, allowed=uploads.SCAN_TYPES)
    with transaction.atomic():
        document = DossierDocument.objects.create(
            dossier=dossier,
            kind=kind,
            file=upload,
            original_name=(upload.name or "")[:255],
            content_type=content_type,
            uploaded_by=actor,
        )
        _event(
            dossier,
            actor=actor,
            action="document",
            before=dossier.status,
            details={"kind": kind},
        )
    return document


def dossier_review(
    *,
    actor,
    dossier: Dossier,
    expected_version: int,
    reviewed_on: dt.date,
    review_note: str,
    minutes,
) -> Dossier:
    """The commune council's review (Decree 20/2021 Art. 8): every required document present,
    and the council's minutes attached."""
    target = _require_move(actor, dossier, "review")
    missing = missing_documents(dossier)
    if missing:
        labels = ", ".join(str(DocumentKind(k).label) for k in missing)
        raise ValidationError(
            _("Hồ sơ còn thiếu: %(docs)s. Hãy đính kèm đủ trước khi trình Hội đồng.")
            % {"docs": labels}
        )
    if reviewed_on < dossier.applied_on:
        raise ValidationError({"reviewed_on": _("Ngày họp Hội đồng trước ngày nộp đơn.")})
    if minutes is None:
        raise ValidationError({"minutes": _("Hãy đính kèm biên bản họp Hội đồng xét duyệt.")})
    content_type = uploads.check_upload(minutes, allowed=uploads.SCAN_TYPES)
    with transaction.atomic():
        before = dossier.status
        dossier.status = target
        dossier.reviewed_on = reviewed_on
        dossier.review_note = review_note.strip()
        save_versioned(
            dossier,
            expected_version=expected_version,
            fields=["status", "reviewed_on", "review_note"],
        )
        DossierDocument.objects.create(
            dossier=dossier,
            kind=DocumentKind.COUNCIL_MINUTES,
            file=minutes,
            original_name=(minutes.name or "")[:255],
            content_type=content_type,
            uploaded_by=actor,
        )
        _event(dossier, actor=actor, action="review", before=before)
    return dossier


def dossier_post(*, actor, dossier: Dossier, expected_version: int, posted_on: dt.date) -> Dossier:
    """Public posting of the council's result for the set number of working days."""
    target = _require_move(actor, dossier, "post")
    if dossier.reviewed_on and posted_on < dossier.reviewed_on:
        raise ValidationError({"posted_on": _("Ngày niêm yết trước ngày họp Hội đồng.")})
    days = rules.posting_working_days(posted_on)
    with transaction.atomic():
        before = dossier.status
        dossier.status = target
        dossier.posted_on = posted_on
        dossier.posting_until = workdays.add_working_days(posted_on, days)
        save_versioned(
            dossier,
            expected_version=expected_version,
            fields=["status", "posted_on", "posting_until"],
        )
        _event(dossier, actor=actor, action="post", before=before, details={"days": days})
    return dossier


def dossier_decide(
    *,
    actor,
    dossier: Dossier,
    expected_version: int,
    decision_number: str,
    decided_on: dt.date,
    signer: str,
    from_month: dt.date | None = None,
) -> Recipient:
    """The chairman's decision: the child becomes a recipient from `from_month` (default: the
    month of the decision; an earlier month gives arrears)."""
    target = _require_move(actor, dossier, "decide")
    if decided_on < dossier.applied_on:
        raise ValidationError(
            {
                "decided_on": _(
                    "Ngày quyết định (%(d)s) trước ngày nộp đơn (%(a)s). Hãy kiểm tra lại ngày ký."
                )
                % {
                    "d": decided_on.strftime("%d/%m/%Y"),
                    "a": dossier.applied_on.strftime("%d/%m/%Y"),
                }
            }
        )
    if dossier.posting_until and decided_on <= dossier.posting_until:
        raise ValidationError(
            {
                "decided_on": _(
                    "Thời gian niêm yết công khai chưa hết (đến hết ngày %(d)s). Hãy quyết định "
                    "sau ngày đó."
                )
                % {"d": dossier.posting_until.strftime("%d/%m/%Y")}
            }
        )
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("Ngày ký quyết định không thể ở tương lai.")})
    if not decision_number.strip() or not signer.strip():
        raise ValidationError(_("Hãy ghi số quyết định và người ký."))
    start = from_month.replace(day=1) if from_month else decided_on.replace(day=1)
    if start > decided_on.replace(day=1):
        raise ValidationError({"from_month": _("Tháng bắt đầu hưởng sau tháng quyết định.")})
    if start < dossier.applied_on.replace(day=1):
        raise ValidationError(
            {"from_month": _("Tháng bắt đầu hưởng không thể trước tháng nộp đơn.")}
        )
    bases = [
        {"basis": b.basis, "basis_from": b.basis_from, "basis_to": b.basis_to}
        for b in dossier.bases.all()
    ]
    child = dossier.child
    case = _case_for(
        birth_date=child.birth_date,
        bases=bases,
        decided_on=decided_on,
        studying_until=dossier.studying_until,
        from_month=Month.of(start),
    )
    _check_eligible(case, commune_province=child.province_id, field=_("ký quyết định"))
    level = rules.deciding_level(decided_on)
    with transaction.atomic():
        before = dossier.status
        dossier.status = target
        dossier.decision_number = decision_number.strip()
        dossier.decided_on = decided_on
        dossier.decision_signer = signer.strip()
        dossier.decision_level = level
        dossier.from_month = start
        save_versioned(
            dossier,
            expected_version=expected_version,
            fields=[
                "status",
                "decision_number",
                "decided_on",
                "decision_signer",
                "decision_level",
                "from_month",
            ],
        )
        recipient = Recipient.objects.create(
            child=child,
            commune_id=dossier.commune_id,
            dossier=dossier,
            birth_date=child.birth_date,
            decided_on=decided_on,
            from_month=start,
            studying_until=dossier.studying_until,
            bases=[
                {
                    "basis": b["basis"],
                    "from": b["basis_from"].isoformat() if b["basis_from"] else None,
                    "to": b["basis_to"].isoformat() if b["basis_to"] else None,
                }
                for b in bases
            ],
            payment_channel=dossier.payment_channel,
            bank_name=dossier.bank_name,
            account_number=dossier.account_number,
        )
        _event(
            dossier,
            actor=actor,
            action="decide",
            before=before,
            details={"level": level, "from_month": start.isoformat()},
        )
        audit_record(actor=actor, action="create", obj=recipient)
    return recipient


def dossier_refuse(*, actor, dossier: Dossier, expected_version: int, reason: str) -> Dossier:
    target = _require_move(actor, dossier, "refuse")
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi lý do không đồng ý trợ cấp.")})
    with transaction.atomic():
        before = dossier.status
        dossier.status = target
        dossier.refusal_reason = reason.strip()
        save_versioned(
            dossier, expected_version=expected_version, fields=["status", "refusal_reason"]
        )
        _event(dossier, actor=actor, action="refuse", before=before)
    return dossier


def recipient_end(*, actor, recipient: Recipient, ended_on: dt.date, reason: str) -> Recipient:
    """An end (death, adoption, end of the circumstance): paid through the month of the event;
    anything paid after it is listed for recovery on the next payment list."""
    access.require_prepare(actor, recipient.commune_id)
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi lý do thôi hưởng.")})
    if ended_on < recipient.decided_on and ended_on < recipient.from_month:
        raise ValidationError({"ended_on": _("Ngày thôi hưởng trước ngày bắt đầu hưởng.")})
    with transaction.atomic():
        before = recipient.ended_on
        recipient.ended_on = ended_on
        recipient.end_reason = reason.strip()
        recipient.reconcile_needed = True
        recipient.save(update_fields=["ended_on", "end_reason", "reconcile_needed", "updated_at"])
        audit_record(
            actor=actor,
            action="update",
            obj=recipient,
            changes={"ended_on": [before, ended_on]},
        )
        DossierEvent.objects.create(
            dossier_id=recipient.dossier_id,
            action="end",
            from_status=Dossier.Status.DECIDED,
            to_status=Dossier.Status.DECIDED,
            actor=actor,
            details={"ended_on": ended_on.isoformat()},
        )
    return recipient


def standard_amount_add(
    *, actor, province_code: str | None, amount: int, effective_from: dt.date, legal_basis: str
) -> StandardAmount:
    """A new standard amount (national, or the province's own higher one), from the first day of
    a month; earlier rows stay for the months before it."""
    access.require_rules(actor)
    if effective_from.day != 1:
        raise ValidationError({"effective_from": _("Mức chuẩn áp dụng từ ngày đầu tháng.")})
    row = StandardAmount(
        province_id=province_code,
        amount=amount,
        effective_from=effective_from,
        legal_basis=legal_basis.strip(),
        verified=False,
        created_by=actor,
    )
    row.full_clean()
    with transaction.atomic():
        row.save()
        audit_record(actor=actor, action="create", obj=row)
    return row


# ---- Payment lists ---------------------------------------------------------------------------


def recipient_case(recipient: Recipient, *, to_month: Month | None = None) -> allowance.Case:
    bases = []
    for item in recipient.bases:
        end = dt.date.fromisoformat(item["to"]) if item.get("to") else None
        if recipient.ended_on and (end is None or recipient.ended_on < end):
            end = recipient.ended_on
        bases.append(
            allowance.Basis(
                item["basis"],
                dt.date.fromisoformat(item["from"]) if item.get("from") else None,
                end,
            )
        )
    return allowance.Case(
        case_id=str(recipient.pk),
        birth_date=recipient.birth_date,
        bases=tuple(bases),
        decided_on=recipient.decided_on,
        studying_until=recipient.studying_until,
        from_month=Month.of(recipient.from_month),
        to_month=to_month,
    )


def _paid_months(recipient_ids: list[int]) -> dict[int, dict[Month, int]]:
    """What approved lists paid (and recovered) per month, for recipients to reconcile fully."""
    out: dict[int, dict[Month, int]] = {rid: {} for rid in recipient_ids}
    lines = PaymentLine.objects.filter(
        recipient_id__in=recipient_ids, payment_list__status=PaymentList.Status.APPROVED
    ).values_list("recipient_id", "details")
    for rid, details in lines:
        for key, value in (details.get("months") or {}).items():
            month = Month.parse(key)
            out[rid][month] = out[rid].get(month, 0) + int(value)
    return out


class _Row:
    """A recipient as the list needs it (see `recipient_case`)."""

    def __init__(self, **values):
        self.__dict__.update(values)
        self.pk = values["id"]


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


def _lines_for(
    commune_code: str, month: Month, rules_: allowance.Rules, payment_list: PaymentList
) -> list[_Line]:
    first_day = month.first_day()
    # Plain rows, not model instances: a province list reads tens of thousands of recipients.
    recipients = [
        _Row(**row)
        for row in Recipient.objects.filter(
            commune_id=commune_code, from_month__lte=first_day
        ).values(
            "id",
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
    ]
    # Unpaid lines of the month before are carried into this month.
    previous = Month.of(first_day).prev().first_day()
    carried = {
        rid: (line_id, total)
        for rid, line_id, total in PaymentLine.objects.filter(
            payment_list__commune_id=commune_code,
            payment_list__month=previous,
            payment_list__status=PaymentList.Status.APPROVED,
            kind=PaymentLine.Kind.PAYMENT,
            paid_status=PaymentLine.PaidStatus.UNPAID,
            carried_to__isnull=True,
        ).values_list("recipient_id", "id", "total")
    }
    full = [r.pk for r in recipients if r.reconcile_needed]
    paid_by_recipient = _paid_months(full) if full else {}
    lines: list[_Line] = []
    for r in recipients:
        listed = Month.of(r.listed_through) if r.listed_through else None
        if listed is not None and listed >= month and not r.reconcile_needed:
            continue
        case = recipient_case(r, to_month=month)
        window = None if r.reconcile_needed or listed is None else listed.next()
        try:
            months = allowance.entitlement(case, rules_, window_from=window, check=False)
        except allowance.CaseError:
            months = []
        by_month = {m.month: m for m in months}
        current = by_month.get(month)
        details: dict[str, int] = {}
        arrears = 0
        recovery_months: dict[str, int] = {}
        if r.reconcile_needed:
            owed = {m.month: m.amount for m in months if m.month < month}
            for adj in allowance.reconcile(
                owed, {k: v for k, v in paid_by_recipient[r.pk].items() if k < month}
            ):
                if adj.kind == "arrears":
                    arrears += adj.amount
                    details[str(adj.month)] = adj.amount
                else:
                    recovery_months[str(adj.month)] = -adj.amount
        else:
            for m in months:
                if m.month < month:
                    arrears += m.amount
                    details[str(m.month)] = m.amount
        carried_id, carried_amount = carried.get(r.pk, (None, 0))
        if current is not None:
            details[str(month)] = current.amount
        if current is not None or arrears or carried_amount:
            amount = current.amount if current else 0
            lines.append(
                _Line(
                    payment_list_id=payment_list.pk,
                    recipient_id=r.pk,
                    kind=PaymentLine.Kind.PAYMENT,
                    basis=current.basis if current else "",
                    coefficient=current.coefficient if current else 0,
                    standard_amount=current.standard_amount if current else 0,
                    amount=amount,
                    arrears=arrears,
                    carried=carried_amount,
                    deductions=0,
                    total=amount + arrears + carried_amount,
                    details={"months": details},
                    carried_from_id=carried_id,
                    channel=r.payment_channel,
                )
            )
        if recovery_months:
            lines.append(
                _Line(
                    payment_list_id=payment_list.pk,
                    recipient_id=r.pk,
                    kind=PaymentLine.Kind.RECOVERY,
                    recovery=-sum(recovery_months.values()),
                    details={"months": recovery_months},
                    channel=r.payment_channel,
                )
            )
    return lines


def _month_start(month: dt.date) -> dt.date:
    return month.replace(day=1)


def payment_list_prepare(*, actor, commune_code: str, month: dt.date) -> PaymentList:
    """Prepare (or re-prepare, while still a draft) the commune's list for `month`. A list
    already approved is locked: nothing is changed and the official is told."""
    access.require_prepare(actor, commune_code)
    first_day = _month_start(month)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Short queries on indexed ranges; JIT compilation would cost more than it saves.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        payment_list, created = PaymentList.objects.select_for_update().get_or_create(
            commune_id=commune_code, month=first_day, defaults={"prepared_by": actor}
        )
        if payment_list.status == PaymentList.Status.APPROVED:
            raise ValidationError(
                _(
                    "Danh sách chi trả tháng %(m)s đã được phê duyệt và khoá, không thể lập lại. "
                    "Khoản thay đổi sẽ vào danh sách tháng sau."
                )
                % {"m": first_day.strftime("%m/%Y")}
            )
        later = PaymentList.objects.filter(
            commune_id=commune_code, month__gt=first_day, status=PaymentList.Status.APPROVED
        ).exists()
        if later:
            raise ValidationError(
                _("Đã có danh sách tháng sau được phê duyệt: không thể lập danh sách tháng cũ.")
            )
        # A draft's lines are rebuilt whole. Nothing points at them (only unpaid lines of an
        # approved list are carried), so the rows go in one DELETE without the collector.
        PaymentLine.objects.filter(payment_list=payment_list)._raw_delete(PaymentLine.objects.db)
        rules_ = rules.load_rules(province_code=payment_list.commune.province_id)
        lines = _lines_for(commune_code, Month.of(first_day), rules_, payment_list)
        _insert_lines(lines)
        _set_totals(payment_list, lines)
        payment_list.prepared_by = actor
        payment_list.prepared_at = timezone.now()
        payment_list.save()
        audit_record(
            actor=actor,
            action="create" if created else "update",
            obj=payment_list,
            details={"lines": len(lines), "total": payment_list.total_payable},
        )
    return payment_list


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


def _set_totals(payment_list: PaymentList, lines: list[_Line]) -> None:
    payments = [line for line in lines if line.kind == PaymentLine.Kind.PAYMENT]
    payment_list.total_amount = sum(line.amount for line in payments)
    payment_list.total_arrears = sum(line.arrears for line in payments)
    payment_list.total_carried = sum(line.carried for line in payments)
    payment_list.total_deductions = sum(line.deductions for line in payments)
    payment_list.total_payable = sum(line.total for line in payments)
    payment_list.total_recovery = sum(line.recovery for line in lines)


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
        changed = Recipient.objects.filter(
            commune_id=payment_list.commune_id, updated_at__gt=payment_list.prepared_at
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
    if PaymentLine.objects.filter(carried_from=line).exists():
        raise ValidationError(
            _("Khoản này đã được chuyển sang danh sách tháng sau: hãy ghi nhận ở danh sách đó.")
        )
    with transaction.atomic():
        before = line.paid_status
        line.paid_status = PaymentLine.PaidStatus.PAID if paid else PaymentLine.PaidStatus.UNPAID
        line.paid_on = paid_on if paid else None
        line.save(update_fields=["paid_status", "paid_on"])
        audit_record(
            actor=actor,
            action="update",
            obj=line,
            changes={"paid_status": [before, line.paid_status]},
        )
    return line
