"""API authentication: DRF's token, refused for an account that must use a second factor until it
has one.

A token is a password that never expires; for a system administrator it must not open what the
password alone cannot. Until the account has a confirmed TOTP device (enrolled through the web
pages, which requires a code from the authenticator), its token is refused with 401.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from treem.accounts.second_factor import has_confirmed_device, requires_second_factor


class SecondFactorTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if requires_second_factor(user) and not has_confirmed_device(user):
            raise exceptions.AuthenticationFailed(
                _(
                    "Tài khoản này phải bật xác thực hai lớp trước khi dùng mã truy cập API. Hãy "
                    "đăng nhập trang web và đăng ký ứng dụng xác thực."
                )
            )
        return user, token
