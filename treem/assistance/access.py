"""Who may see and do what in social assistance: the rules in one place. Roles come from
`treem.accounts.policy`; the place from the user's jurisdiction. Views, the API, exports and
templates go through here and nowhere else.

- Commune workers prepare dossiers and payment lists of their own commune, and mark payments.
- The commune chairman decides dossiers and approves the payment lists of their commune.
- The province specialist sees every commune and manages policies, coefficients and amounts.
- Provincial leadership reads aggregates only (no names).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from treem.accounts.jurisdiction import Level, scope_queryset
from treem.accounts.policy import Action, can
from treem.assistance.models import Dossier, HealthCard, PaymentList, Recipient
from treem.audit.services import audit_record


def covers(user, commune_code: str) -> bool:
    return user.jurisdiction.covers_commune(commune_code)


def can_view(user, commune_code: str) -> bool:
    return can(user, Action.ASSISTANCE_VIEW) and covers(user, commune_code)


def can_prepare(user, commune_code: str) -> bool:
    return can(user, Action.ASSISTANCE_PREPARE) and covers(user, commune_code)


def can_decide(user, commune_code: str) -> bool:
    """The chairman of the commune's People's Committee, for their own commune only."""
    return (
        can(user, Action.ASSISTANCE_DECIDE)
        and user.jurisdiction.level == Level.COMMUNE
        and covers(user, commune_code)
    )


def can_manage_rules(user) -> bool:
    return can(user, Action.ASSISTANCE_RULES_MANAGE)


def can_view_aggregates(user) -> bool:
    return can(user, Action.ASSISTANCE_AGGREGATES)


def can_calculate(user) -> bool:
    return can(user, Action.ASSISTANCE_CALCULATE)


def can_run_province_lists(user) -> bool:
    """The province specialist starts the preparation of every commune's draft list of the month
    (drafts only: each commune checks its own and the chairman approves it)."""
    return can(user, Action.ASSISTANCE_RULES_MANAGE) and bool(user.jurisdiction.province_code)


def require_prepare(user, commune_code: str) -> None:
    if not can_prepare(user, commune_code):
        raise PermissionDenied(
            _("Chỉ cán bộ của xã phụ trách mới được lập hồ sơ và danh sách chi trả của xã này.")
        )


def require_decide(user, commune_code: str) -> None:
    if not can_decide(user, commune_code):
        raise PermissionDenied(
            _(
                "Chỉ Chủ tịch UBND xã phụ trách mới được quyết định trợ cấp và phê duyệt danh sách "
                "chi trả. Hãy trình Chủ tịch UBND xã."
            )
        )


def require_rules(user) -> None:
    if not can_manage_rules(user):
        raise PermissionDenied(_("Chỉ chuyên viên cấp tỉnh được sửa chính sách và mức trợ cấp."))


def _scope(qs: QuerySet, user) -> QuerySet:
    if not can(user, Action.ASSISTANCE_VIEW):
        return qs.none()
    return scope_queryset(qs, user.jurisdiction, commune_field="commune", village_field=None)


def dossiers_for_user(user) -> QuerySet[Dossier]:
    return _scope(Dossier.objects.all(), user)


def recipients_for_user(user) -> QuerySet[Recipient]:
    return _scope(Recipient.objects.all(), user)


def payment_lists_for_user(user) -> QuerySet[PaymentList]:
    return _scope(PaymentList.objects.all(), user)


def dossier_get_for_user(user, pk: int) -> Dossier:
    """A dossier inside the user's jurisdiction (404 outside it); the read is audited."""
    dossier = (
        dossiers_for_user(user)
        .select_related("child", "commune", "created_by")
        .prefetch_related("bases", "documents", "events__actor")
        .filter(pk=pk)
        .first()
    )
    if dossier is None:
        raise Http404
    audit_record(actor=user, action="view", obj=dossier)
    return dossier


def payment_list_get_for_user(user, pk: int) -> PaymentList:
    payment_list = (
        payment_lists_for_user(user)
        .select_related("commune", "approved_by", "prepared_by")
        .filter(pk=pk)
        .first()
    )
    if payment_list is None:
        raise Http404
    audit_record(actor=user, action="view", obj=payment_list)
    return payment_list


def recipient_get_for_user(user, pk: int) -> Recipient:
    recipient = recipients_for_user(user).select_related("child", "dossier").filter(pk=pk).first()
    if recipient is None:
        raise Http404
    audit_record(actor=user, action="view", obj=recipient)
    return recipient


def health_card_get_for_user(user, pk: int) -> HealthCard:
    """A health-insurance card of a recipient the user may see (404 otherwise); read audited."""
    card = (
        HealthCard.objects.filter(recipient__in=recipients_for_user(user))
        .select_related("child", "commune", "recipient")
        .prefetch_related("events__actor")
        .filter(pk=pk)
        .first()
    )
    if card is None:
        raise Http404
    audit_record(actor=user, action="view", obj=card)
    return card
