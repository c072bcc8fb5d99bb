from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from treem.accounts.policy import Action, can

# (order, label, url name, action required). Apps add their own entries with `nav_register` from
# their AppConfig.ready(), so this module knows no app's URLs but its own.
_NAVIGATION: list[tuple[int, object, str, Action]] = [
    (10, _("Tổng quan"), "core:dashboard", Action.DASHBOARD_VIEW),
    (80, pgettext_lazy("navigation", "Thôn, ấp"), "geo:village_list", Action.VILLAGE_VIEW),
    (90, _("Người dùng"), "accounts:user_list", Action.USER_MANAGE),
    (95, _("Nhật ký truy cập"), "audit:event_list", Action.AUDIT_VIEW),
]


# Optional count shown next to an entry (a to-do list's length), by url name: `badge(user) -> int`.
_BADGES: dict[str, Callable[[object], int]] = {}


def nav_register(
    *,
    order: int,
    label,
    url_name: str,
    action: Action,
    badge: Callable[[object], int] | None = None,
) -> None:
    if all(existing[2] != url_name for existing in _NAVIGATION):
        _NAVIGATION.append((order, label, url_name, action))
        _NAVIGATION.sort(key=lambda item: item[0])
    if badge is not None:
        _BADGES[url_name] = badge


def first_page_for(user) -> str | None:
    """The first navigation entry the user may open: where a role without a dashboard lands."""
    for _order, _label, url_name, action in _NAVIGATION:
        if can(user, action):
            return reverse(url_name)
    return None


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for _order, label, url_name, action in _NAVIGATION:
        if can(user, action):
            url = reverse(url_name)
            badge = _BADGES.get(url_name)
            items.append(
                {
                    "label": label,
                    "badge": badge(user) if badge else 0,
                    "url": url,
                    "active": request.path == url
                    or (url != reverse("core:dashboard") and request.path.startswith(url)),
                }
            )
    return {"nav_items": items}
