"""The navigation menu. Each app adds its own entries with `nav_register` from its
AppConfig.ready(), so this module knows no app's URLs; an entry is shown to the users the policy
lets do its action (asked through `treem.core.permissions`)."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from treem.core.permissions import can

# (order, label, url name, action required).
_NAVIGATION: list[tuple[int, object, str, str]] = []
# The home page: highlighted only on its own path, not on every path below it.
_HOME_URL_NAME = "core:dashboard"


# Optional count shown next to an entry (a to-do list's length), by url name: `badge(user) -> int`.
_BADGES: dict[str, Callable[[object], int]] = {}


def nav_register(
    *,
    order: int,
    label,
    url_name: str,
    action: str,
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
                    or (url_name != _HOME_URL_NAME and request.path.startswith(url)),
                }
            )
    return {"nav_items": items}
