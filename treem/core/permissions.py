"""The question every view, selector and template asks: may this user do this?

The answer (which role may do what) is `treem.accounts.policy`. This kernel module holds only the
door, so the kernel itself and `treem.geo`, which lie below accounts, can ask without importing it:
accounts plugs its policy in from its AppConfig.ready(). Above accounts, `treem.accounts.policy`'s
`can`/`require` and these are the same check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils.translation import gettext as _

Check = Callable[[Any, str], bool]
_policy: Check | None = None


def set_policy(check: Check) -> None:
    global _policy
    _policy = check


def can(user, action: str) -> bool:
    if _policy is None:
        raise ImproperlyConfigured("No policy: treem.accounts must be in INSTALLED_APPS.")
    return _policy(user, action)


def require(user, action: str) -> None:
    if not can(user, action):
        raise PermissionDenied(_("Vai trò của bạn không được phép thực hiện thao tác này."))
