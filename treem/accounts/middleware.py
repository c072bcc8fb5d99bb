"""Second factor before anything else.

A system administrator whose session has not passed TOTP reaches only the pages needed to get
there: enrolling an authenticator and logging out. Everything else under /accounts/ (user
management above all) is behind the second factor like the rest of the site: a stolen password
alone must not be enough to create an administrator or reset someone's password.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from treem.accounts.second_factor import requires_second_factor
from treem.core.api import error_body

# Paths that are not pages of the application (assets, language switch, health check).
_ASSET_PREFIXES = ("/static/", "/i18n/", "/jsi18n/", "/healthz")
# Named pages an unverified administrator may open.
_OPEN_BEFORE_SECOND_FACTOR = ("accounts:two_factor_setup", "accounts:logout")


class RequireTwoFactorMiddleware:
    """System administrators must pass TOTP before they reach anything but enrolment and logout."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths: frozenset[str] | None = None

    def _open(self) -> frozenset[str]:
        if self._open_paths is None:
            self._open_paths = frozenset(reverse(name) for name in _OPEN_BEFORE_SECOND_FACTOR)
        return self._open_paths

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and requires_second_factor(user)
            and not user.is_verified()
            and request.path not in self._open()
            and not request.path.startswith(_ASSET_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    error_body(
                        "second_factor_required",
                        _(
                            "Tài khoản của bạn phải xác thực hai lớp trước khi dùng API. Hãy đăng "
                            "nhập lại và nhập mã xác thực."
                        ),
                    ),
                    status=403,
                )
            return redirect("accounts:two_factor_setup")
        return self.get_response(request)
