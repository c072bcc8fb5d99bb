"""The free health-insurance card (thẻ BHYT) of a child receiving the monthly allowance.

Decree 20/2021/NĐ-CP gives the recipients of the monthly allowance a free health-insurance card
(the article is loaded with the policy `health_insurance` and marked not verified). Which groups
it covers is data: a group linked to an active policy with that code. The commune worker asks the
social-insurance office for the card, records it when issued (number, validity) and when handed
to the family. One transition table, read by the services, the page and the template.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from treem.assistance import access
from treem.assistance.models import BeneficiaryGroup, HealthCard, HealthCardEvent, Recipient
from treem.audit.services import audit_record
from treem.core.concurrency import save_versioned
from treem.registry.keys import byte_order
from treem.registry.validation import clean_health_insurance, health_insurance_errors

POLICY_CODE = "health_insurance"
S = HealthCard.Status

# status → {action: next status}. Every action is the commune worker's (ASSISTANCE_PREPARE).
TRANSITIONS: dict[str, dict[str, str]] = {
    S.REQUESTED: {"issue": S.ISSUED, "cancel": S.CANCELLED},
    S.ISSUED: {"deliver": S.DELIVERED, "cancel": S.CANCELLED},
    S.DELIVERED: {},
    S.CANCELLED: {},
}

ACTION_LABELS = {
    "request": gettext_lazy("Đề nghị cấp thẻ"),
    "issue": gettext_lazy("Ghi nhận thẻ đã cấp"),
    "deliver": gettext_lazy("Phát thẻ cho gia đình"),
    "cancel": gettext_lazy("Huỷ đề nghị"),
}


def allowed_actions(user, card: HealthCard) -> list[str]:
    if not access.can_prepare(user, card.commune_id):
        return []
    return list(TRANSITIONS.get(card.status, {}))


def cards_for_user(user):
    """Cards of the recipients the user may see (the same door as the recipients)."""
    return HealthCard.objects.filter(recipient__in=access.recipients_for_user(user))


def _event(card: HealthCard, *, actor, action: str, before: str, details: dict | None = None):
    HealthCardEvent.objects.create(
        card=card,
        action=action,
        from_status=before,
        to_status=card.status,
        actor=actor,
        details=details or {},
    )
    audit_record(
        actor=actor,
        action="create" if action == "request" else "update",
        obj=card,
        changes={"status": [before, card.status]} if before != card.status else None,
        details={"step": action, **(details or {})},
    )


def _move(actor, card: HealthCard, action: str) -> str:
    access.require_prepare(actor, card.commune_id)
    target = TRANSITIONS.get(card.status, {}).get(action)
    if target is None:
        raise ValidationError(
            _(
                "Thẻ đang ở bước “%(status)s” nên không thể làm bước này. Hãy tải lại trang để "
                "xem bước tiếp theo."
            )
            % {"status": card.get_status_display()}
        )
    return target


def _not_future(value: dt.date, field: str, label: str) -> None:
    if value > timezone.localdate():
        raise ValidationError({field: _("%(label)s không thể ở tương lai.") % {"label": label}})


def entitled_group_codes() -> set[str]:
    return set(
        BeneficiaryGroup.objects.filter(
            policies__code=POLICY_CODE, policies__is_active=True
        ).values_list("code", flat=True)
    )


def health_card_request(*, actor, recipient: Recipient, requested_on: dt.date) -> HealthCard:
    """Ask for the card. A second request while one is in progress (a double click, two
    officials) makes nothing new: the database allows one open request per child."""
    access.require_prepare(actor, recipient.commune_id)
    _not_future(requested_on, "requested_on", _("Ngày đề nghị"))
    if recipient.ended_on is not None:
        raise ValidationError(_("Người này đã thôi hưởng trợ cấp: không thuộc diện cấp thẻ."))
    codes = entitled_group_codes()
    if not any(item["basis"] in codes for item in recipient.bases):
        raise ValidationError(_("Diện hưởng của trẻ không thuộc chính sách cấp thẻ BHYT miễn phí."))
    if requested_on < recipient.decided_on:
        raise ValidationError({"requested_on": _("Ngày đề nghị trước ngày có quyết định trợ cấp.")})
    open_card = HealthCard.objects.filter(
        child_id=recipient.child_id, status__in=[S.REQUESTED, S.ISSUED]
    ).first()
    if open_card is not None:
        return open_card
    try:
        with transaction.atomic():
            card = HealthCard.objects.create(
                recipient=recipient,
                child_id=recipient.child_id,
                commune_id=recipient.commune_id,
                requested_on=requested_on,
                created_by=actor,
            )
            _event(card, actor=actor, action="request", before="")
    except IntegrityError:
        # The other request committed between our check and our insert.
        return HealthCard.objects.get(
            child_id=recipient.child_id, status__in=[S.REQUESTED, S.ISSUED]
        )
    return card


def health_card_issue(
    *,
    actor,
    card: HealthCard,
    expected_version: int,
    card_number: str,
    issued_on: dt.date,
    valid_from: dt.date,
    valid_to: dt.date,
) -> HealthCard:
    target = _move(actor, card, "issue")
    number = clean_health_insurance(card_number)
    errors = health_insurance_errors(number) if number else [_("Hãy ghi số thẻ BHYT.")]
    if errors:
        raise ValidationError({"card_number": errors})
    _not_future(issued_on, "issued_on", _("Ngày cấp thẻ"))
    if issued_on < card.requested_on:
        raise ValidationError({"issued_on": _("Ngày cấp thẻ trước ngày đề nghị.")})
    if valid_to < valid_from:
        raise ValidationError({"valid_to": _("Thẻ hết hạn trước ngày bắt đầu có giá trị.")})
    with transaction.atomic():
        before = card.status
        card.status = target
        card.card_number = number
        card.issued_on = issued_on
        card.valid_from = valid_from
        card.valid_to = valid_to
        save_versioned(
            card,
            expected_version=expected_version,
            fields=["status", "card_number", "issued_on", "valid_from", "valid_to"],
        )
        _event(card, actor=actor, action="issue", before=before)
    return card


def health_card_deliver(
    *, actor, card: HealthCard, expected_version: int, delivered_on: dt.date, received_by: str
) -> HealthCard:
    target = _move(actor, card, "deliver")
    _not_future(delivered_on, "delivered_on", _("Ngày phát thẻ"))
    if card.issued_on and delivered_on < card.issued_on:
        raise ValidationError({"delivered_on": _("Ngày phát thẻ trước ngày cấp thẻ.")})
    if not received_by.strip():
        raise ValidationError({"received_by": _("Hãy ghi tên người nhận thẻ.")})
    with transaction.atomic():
        before = card.status
        card.status = target
        card.delivered_on = delivered_on
        card.received_by = received_by.strip()
        save_versioned(
            card,
            expected_version=expected_version,
            fields=["status", "delivered_on", "received_by"],
        )
        _event(card, actor=actor, action="deliver", before=before)
    return card


def health_card_cancel(
    *, actor, card: HealthCard, expected_version: int, reason: str
) -> HealthCard:
    target = _move(actor, card, "cancel")
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi lý do huỷ.")})
    with transaction.atomic():
        before = card.status
        card.status = target
        card.cancel_reason = reason.strip()[:255]
        save_versioned(card, expected_version=expected_version, fields=["status", "cancel_reason"])
        _event(card, actor=actor, action="cancel", before=before)
    return card


@dataclass
class WithoutCard:
    recipient_id: int
    child_id: int
    full_name: str
    birth_date: dt.date
    commune_code: str
    commune_name: str
    pending: HealthCard | None


def entitled_without_card(
    *, user, today: dt.date, commune_code: str | None = None
) -> list[WithoutCard]:
    """Recipients on a basis that opens the free card, not ended, who hold no card valid today
    (handed over, or issued and waiting to be handed over). A request in progress is shown
    beside the child, so the worker follows it up rather than asking again."""
    codes = entitled_group_codes()
    valid = HealthCard.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today),
        child_id=OuterRef("child_id"),
        status__in=[S.ISSUED, S.DELIVERED],
    )
    qs = access.recipients_for_user(user).filter(ended_on__isnull=True).filter(~Exists(valid))
    if commune_code:
        qs = qs.filter(commune_id=commune_code)
    pending = {
        c.child_id: c
        for c in HealthCard.objects.filter(status=S.REQUESTED, recipient__in=qs.values("pk"))
    }
    out = []
    for r in qs.select_related("child", "commune").order_by(
        "commune_id", byte_order("child__name_sort"), "pk"
    ):
        if not any(item["basis"] in codes for item in r.bases):
            continue
        out.append(
            WithoutCard(
                r.pk,
                r.child_id,
                r.child.full_name,
                r.birth_date,
                r.commune_id,
                r.commune.name,
                pending.get(r.child_id),
            )
        )
    return out
