from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from treem.accounts.policy import Action, can

# (label, url name, action required). Each app adds its entries here as it lands.
NAVIGATION = [
    (_("Tổng quan"), "core:dashboard", Action.DASHBOARD_VIEW),
    (_("Thôn, ấp"), "geo:village_list", Action.VILLAGE_VIEW),
    (_("Người dùng"), "accounts:user_list", Action.USER_MANAGE),
    (_("Nhật ký truy cập"), "audit:event_list", Action.AUDIT_VIEW),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for label, url_name, action in NAVIGATION:
        if can(user, action):
            url = reverse(url_name)
            items.append(
                {"label": label, "url": url, "active": request.path.startswith(url) and url != "/"}
            )
    return {"nav_items": items}
