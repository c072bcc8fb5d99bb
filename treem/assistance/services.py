"""Writes of social assistance: dossiers through their workflow, decisions, ends, payment lists.

Every service checks permission through `treem.assistance.access`, validates (a clear message,
nothing saved), runs in one transaction, records an audit entry and, for dossiers, an event row.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
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
    Recipient,
    StandardAmount,
)
from treem.assistance.payments import (  # noqa: F401 (the payment-list services live there)
    deduction_remove,
    deduction_set,
    payment_list_approve,
    payment_list_prepare,
    payment_lists_prepare,
    payment_mark,
    recipient_case,
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
