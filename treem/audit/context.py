"""The request that is being served, for services that audit without being handed the request.

The variable lives in the kernel (`treem.core.net`), where the middleware sets it; this name is
kept for the apps that import it from here.
"""

from treem.core.net import current_ip

__all__ = ["current_ip"]
