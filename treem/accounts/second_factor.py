"""Who must pass a second factor, and whether they can."""

from __future__ import annotations

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from treem.accounts.models import Role


def requires_second_factor(user) -> bool:
    """Whether this account must have passed TOTP to use Treem (today: system administrators)."""
    return bool(settings.TREEM_REQUIRE_ADMIN_2FA and user.role == Role.SYSTEM_ADMIN)


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()
