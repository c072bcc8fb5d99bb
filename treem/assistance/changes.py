"""A decision changing a recipient's allowance: a new disability level, or studies declared or
ended (a young person of 16 to 22 still at school keeps the allowance; Decree 20/2021/NĐ-CP,
Art. 5(1) and Art. 6).

The change takes effect by the calculator's rule (`treem.lib.allowance.entitlement`): the month of
the event is still paid as before, the next month at the new amount. Nothing is overwritten: the
old disability basis keeps its rows with an end date, the new level starts on the event's date,
and every change is a `RecipientChange` row holding the values before and after, the decision
(number, date, signer) and the amounts of the first month it changes. A recipient edited by
someone else since the page was opened is refused (`save_versioned`).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from treem.assistance import access, rules
from treem.assistance.models import Basis, Dossier, DossierEvent, Recipient, RecipientChange
from treem.assistance.services import recipient_case
from treem.audit.services import audit_record
from treem.core.concurrency import ConcurrentEditError, save_versioned
from treem.lib import allowance
from treem.lib.allowance import Month

DISABILITY_BASES = (Basis.DISABILITY_SEVERE, Basis.DISABILITY_ESPECIALLY_SEVERE)
# "No longer severe": the reassessment found a mild or moderate disability, which opens no
# monthly allowance (Decree 20/2021 Art. 5 lists only severe and especially severe).
NOT_SEVERE = ""


def _snapshot(recipient: Recipient) -> dict:
    return {
        "bases": [dict(item) for item in recipient.bases],
        "studying_until": recipient.studying_until.isoformat()
        if recipient.studying_until
        else None,
    }


def _open_on(item: dict, day: dt.date) -> bool:
    start = dt.date.fromisoformat(item["from"]) if item.get("from") else None
    end = dt.date.fromisoformat(item["to"]) if item.get("to") else None
    return (start is None or start <= day) and (end is None or end > day)


def current_disability(recipient: Recipient, on: dt.date) -> str:
    """The disability basis open on `on` ("" if none)."""
    for item in recipient.bases:
        if item["basis"] in DISABILITY_BASES and _open_on(item, on):
            return item["basis"]
    return NOT_SEVERE


def _months(recipient: Recipient, rules_: allowance.Rules) -> dict[Month, int]:
    case = recipient_case(recipient)
    return {m.month: m.amount for m in allowance.entitlement(case, rules_, check=False)}


def recipient_change(
    *,
    actor,
    recipient: Recipient,
    expected_version: int,
    kind: str,
    event_on: dt.date,
    decision_number: str,
    decided_on: dt.date,
    signer: str,
    reason: str,
    disability: str | None = None,
    studying_until: dt.date | None = None,
) -> RecipientChange:
    """Record the chairman's decision changing `recipient`'s allowance.

    `kind` "disability_level": `disability` is the new level (a disability basis code, or "" when
    the reassessment found the disability no longer severe); the open disability basis ends on
    `event_on` and the new one starts that day. `kind` "studies": `studying_until` is the end of
    studies the school certifies (None: not studying any more; the studies then end on
    `event_on`)."""
    access.require_decide(actor, recipient.commune_id)
    if expected_version != recipient.version:
        # Checked first, so a form sent twice is told why rather than what no longer applies;
        # the conditional UPDATE below still refuses a race between two saves.
        raise ConcurrentEditError(
            _(
                "Bản ghi này vừa được người khác sửa sau khi bạn mở nó. Thay đổi của bạn chưa "
                "được lưu: hãy tải lại trang, xem nội dung mới rồi sửa lại."
            ),
            code="concurrent_edit",
        )
    today = timezone.localdate()
    if recipient.ended_on is not None:
        raise ValidationError(
            _("Người này đã thôi hưởng từ %(d)s: không thể điều chỉnh trợ cấp.")
            % {"d": recipient.ended_on.strftime("%d/%m/%Y")}
        )
    if kind not in RecipientChange.Kind.values:
        raise ValidationError({"kind": _("Hãy chọn loại thay đổi trong danh sách.")})
    if event_on > today:
        raise ValidationError({"event_on": _("Ngày phát sinh không thể ở tương lai.")})
    if event_on < recipient.from_month:
        raise ValidationError(
            {"event_on": _("Ngày phát sinh trước tháng bắt đầu hưởng: hãy kiểm tra lại ngày.")}
        )
    if decided_on > today:
        raise ValidationError({"decided_on": _("Ngày ký quyết định không thể ở tương lai.")})
    if decided_on < event_on:
        raise ValidationError(
            {"decided_on": _("Ngày ký quyết định trước ngày phát sinh: hãy kiểm tra lại ngày ký.")}
        )
    if not decision_number.strip() or not signer.strip():
        raise ValidationError(_("Hãy ghi số quyết định và người ký."))
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi lý do điều chỉnh.")})

    before = _snapshot(recipient)
    bases = [dict(item) for item in recipient.bases]
    new_studying = recipient.studying_until
    if kind == RecipientChange.Kind.DISABILITY_LEVEL:
        if disability is None or (disability and disability not in DISABILITY_BASES):
            raise ValidationError({"disability": _("Hãy chọn mức độ khuyết tật mới.")})
        current = current_disability(recipient, event_on)
        if disability == current:
            raise ValidationError(
                {"disability": _("Mức độ khuyết tật mới giống mức đang hưởng: không có gì để đổi.")}
            )
        for item in bases:
            if item["basis"] == current and _open_on(item, event_on):
                item["to"] = event_on.isoformat()
        if disability:
            bases.append({"basis": disability, "from": event_on.isoformat(), "to": None})
    else:
        new_studying = studying_until or event_on
        if studying_until is not None and studying_until <= event_on:
            raise ValidationError({"studying_until": _("Ngày học đến phải sau ngày phát sinh.")})
        if new_studying == recipient.studying_until:
            raise ValidationError(
                {"studying_until": _("Ngày học đến giống như đã ghi: không có gì để đổi.")}
            )
        if allowance.add_years(recipient.birth_date, 22) <= event_on:
            raise ValidationError(
                {"event_on": _("Người này đã đủ 22 tuổi: việc đi học không còn được tính.")}
            )

    rules_ = rules.load_rules(province_code=recipient.commune.province_id)
    old_months = _months(recipient, rules_)
    recipient.bases = bases
    recipient.studying_until = new_studying
    new_months = _months(recipient, rules_)
    differing = sorted(
        m for m in set(old_months) | set(new_months) if old_months.get(m) != new_months.get(m)
    )
    effective = differing[0] if differing else Month.of(event_on).next()
    listed = Month.of(recipient.listed_through) if recipient.listed_through else None

    with transaction.atomic():
        recipient.updated_at = timezone.now()
        # A month already on an approved list now owes a different amount: the next list
        # compares every month with what was paid (arrears or recovery, never netted).
        recipient.reconcile_needed = recipient.reconcile_needed or (
            listed is not None and effective <= listed
        )
        save_versioned(
            recipient,
            expected_version=expected_version,
            fields=["bases", "studying_until", "reconcile_needed", "updated_at"],
        )
        change = RecipientChange(
            recipient=recipient,
            kind=kind,
            event_on=event_on,
            effective_month=effective.first_day(),
            decision_number=decision_number.strip(),
            decided_on=decided_on,
            signer=signer.strip(),
            reason=reason.strip(),
            before=before,
            after=_snapshot(recipient),
            amount_before=old_months.get(effective, 0),
            amount_after=new_months.get(effective, 0),
            actor=actor,
        )
        change.full_clean()
        change.save()
        DossierEvent.objects.create(
            dossier_id=recipient.dossier_id,
            action="change",
            from_status=Dossier.Status.DECIDED,
            to_status=Dossier.Status.DECIDED,
            actor=actor,
            details={"kind": kind, "effective_month": effective.first_day().isoformat()},
        )
        audit_record(
            actor=actor,
            action="update",
            obj=recipient,
            changes={"bases": [before["bases"], recipient.bases]}
            if kind == RecipientChange.Kind.DISABILITY_LEVEL
            else {
                "studying_until": [before["studying_until"], _snapshot(recipient)["studying_until"]]
            },
            details={"decision": change.decision_number, "change": change.pk},
        )
    return change
