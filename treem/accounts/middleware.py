from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect

from treem.accounts.models import Role

_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/healthz")


class RequireTwoFactorMiddleware:
    """System administrators must pass TOTP before they reach anything but enrolment and logout."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.TREEM_REQUIRE_ADMIN_2FA
            and user is not None
            and user.is_authenticated
            and user.role == Role.SYSTEM_ADMIN
            and not user.is_verified()
            and not request.path.startswith(_ALLOWED_PREFIXES)
        ):
            return redirect("accounts:two_factor_setup")
        return self.get_response(request)
