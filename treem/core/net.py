from __future__ import annotations

import ipaddress
from contextvars import ContextVar

from django.conf import settings

# The client address of the request being served, set once by RequestLogMiddleware, so services that
# audit never need an HttpRequest argument (they are called from views, the API, imports and
# commands alike).
current_ip: ContextVar[str | None] = ContextVar("treem_current_ip", default=None)


def client_ip(request) -> str | None:
    """The address of the client that opened the connection.

    X-Forwarded-For is believed only when the socket peer is one of settings.TRUSTED_PROXIES, and
    then
    only its right-most entry (the one that proxy appended): any entry further left was written by
    the client and can say anything.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    if remote and remote in settings.TRUSTED_PROXIES:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        parts = [p.strip() for p in forwarded.split(",") if p.strip()]
        if parts:
            candidate = parts[-1]
            try:
                ipaddress.ip_address(candidate)
            except ValueError:
                return remote
            return candidate
    return remote
