from __future__ import annotations

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from treem.assistance import access
from treem.assistance.models import Dossier, PaymentList, Recipient
from treem.core.dashboard import Card, register


@register(order=40)
def assistance_cards(user) -> list[Card]:
    cards: list[Card] = []
    if access.can(user, access.Action.ASSISTANCE_VIEW):
        recipients = access.recipients_for_user(user).filter(ended_on__isnull=True).count()
        pending = (
            access.dossiers_for_user(user)
            .exclude(status__in=[Dossier.Status.DECIDED, Dossier.Status.REFUSED])
            .count()
        )
        cards.append(
            Card(
                label=_("Trẻ hưởng trợ cấp xã hội"),
                value=recipients,
                url=reverse("assistance:index"),
                note=_("%(n)s hồ sơ đang xử lý") % {"n": pending},
            )
        )
    elif access.can_view_aggregates(user) and user.jurisdiction.province_code:
        month = timezone.localdate().replace(day=1)
        total = (
            PaymentList.objects.filter(
                commune__province_id=user.jurisdiction.province_code, month=month
            ).aggregate(s=Sum("total_payable"))["s"]
            or 0
        )
        count = Recipient.objects.filter(
            commune__province_id=user.jurisdiction.province_code, ended_on__isnull=True
        ).count()
        cards.append(
            Card(
                label=_("Trẻ hưởng trợ cấp xã hội"),
                value=count,
                url=reverse("assistance:province"),
                note=_("Chi trả tháng này: %(s)s đồng") % {"s": f"{total:,}".replace(",", ".")},
            )
        )
    return cards
