"""The request that is being served, for services that audit without being handed the request.

Services are called from views, the API, imports and commands alike; the middleware sets the client
address here once, so a service never needs an `HttpRequest` argument just to audit.
"""

from __future__ import annotations

from contextvars import ContextVar

current_ip: ContextVar[str | None] = ContextVar("treem_current_ip", default=None)
