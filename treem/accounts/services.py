"""Writes to accounts: every one validates, runs in a transaction and audits."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from treem.accounts.models import Organisation, Role, User
from treem.core.auditing import audit_record, diff_fields, snapshot
from treem.core.concurrency import save_versioned
from treem.geo.models import Commune, Province, Village
from treem.lib.text import nfc

USER_FIELDS = [
    "full_name",
    "email",
    "role",
    "organisation",
    "province",
    "commune",
    "phone",
    "is_active",
]
# What an audit entry records of a user (ids, not objects, so entries stay plain JSON).
AUDIT_FIELDS = [
    "username",
    "full_name",
    "email",
    "role",
    "organisation_id",
    "province_id",
    "commune_id",
    "phone",
    "is_active",
]
_COMMUNE_ROLES = {Role.COMMUNE_CHAIRMAN, Role.COMMUNE_WORKER}


def _validate_jurisdiction(
    *, role: str, province: Province | None, commune: Commune | None, villages: list[Village]
) -> None:
    """A user's jurisdiction must fit their role: one commune for commune staff, villages for a
    collaborator, a province for provincial staff."""
    errors: dict[str, str] = {}
    if role in _COMMUNE_ROLES and commune is None:
        errors["commune"] = _("Cán bộ cấp xã phải được giao một xã, phường phụ trách.")
    if role == Role.VILLAGE_COLLABORATOR:
        if not villages:
            errors["villages"] = _("Cộng tác viên phải được giao ít nhất một thôn, ấp phụ trách.")
        if commune is not None:
            errors["commune"] = _("Cộng tác viên được giao theo thôn, ấp; hãy để trống ô xã.")
    if role in {Role.SYSTEM_ADMIN, Role.PROVINCE_SPECIALIST, Role.PROVINCE_LEADER}:
        if province is None:
            errors["province"] = _("Cán bộ cấp tỉnh phải được giao tỉnh phụ trách.")
        if commune is not None:
            errors["commune"] = _("Cán bộ cấp tỉnh không gắn với một xã; hãy để trống ô xã.")
    if commune is not None and province is not None and commune.province_id != province.code:
        errors["commune"] = _("Xã, phường đã chọn không thuộc tỉnh đã chọn.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    full_name: str,
    email: str = "",
    role: str,
    organisation: Organisation | None = None,
    province: Province | None = None,
    commune: Commune | None = None,
    villages: list[Village] | None = None,
    phone: str = "",
) -> User:
    villages = villages or []
    if commune is not None and province is None:
        province = commune.province
    _validate_jurisdiction(role=role, province=province, commune=commune, villages=villages)
    user = User(
        username=username.strip(),
        full_name=nfc(full_name),
        email=email.strip().lower(),
        role=role,
        organisation=organisation,
        province=province,
        commune=commune,
        phone=phone.strip(),
        is_staff=False,
    )
    user.full_clean(exclude=["password"])
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.save()
    if villages:
        user.villages.set(villages)
    audit_record(
        actor=actor,
        action="create",
        obj=user,
        changes={name: [None, value] for name, value in snapshot(user, AUDIT_FIELDS).items()},
    )
    return user


@transaction.atomic
def user_update(
    *,
    actor: User,
    user: User,
    expected_version: int,
    data: dict[str, Any],
    villages: list[Village] | None = None,
) -> User:
    """Change a user's profile, role or jurisdiction; refused if someone saved it meanwhile."""
    before = snapshot(user, AUDIT_FIELDS)
    before_villages = sorted(user.villages.values_list("id", flat=True))
    for name, value in data.items():
        if name not in USER_FIELDS:
            raise ValueError(f"unknown user field {name}")
        setattr(user, name, nfc(value) if name == "full_name" else value)
    villages = list(villages) if villages is not None else list(user.villages.all())
    if user.commune is not None and user.province is None:
        user.province = user.commune.province
    _validate_jurisdiction(
        role=user.role, province=user.province, commune=user.commune, villages=villages
    )
    user.full_clean(exclude=["password", "username"], validate_unique=False)
    save_versioned(user, expected_version=expected_version, fields=USER_FIELDS)
    user.villages.set(villages)
    changes = diff_fields(before, user, AUDIT_FIELDS)
    after_villages = sorted(v.id for v in villages)
    if before_villages != after_villages:
        changes["villages"] = [before_villages, after_villages]
    audit_record(actor=actor, action="update", obj=user, changes=changes)
    return user


@transaction.atomic
def user_set_password(*, actor: User, user: User, password: str) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=actor, action="update", obj=user, changes={"password": ["***", "***"]})


@transaction.atomic
def user_unlock(*, actor: User, user: User) -> int:
    """Lift a lock-out caused by repeated failed logins."""
    from axes.utils import reset

    removed = reset(username=user.username)
    audit_record(actor=actor, action="update", obj=user, details={"unlocked": True})
    return removed


@transaction.atomic
def totp_device_create(*, user: User) -> TOTPDevice:
    """Start enrolment: an unconfirmed device whose key the user adds to an authenticator app."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="default", confirmed=False)


@transaction.atomic
def totp_device_confirm(*, user: User, device: TOTPDevice, token: str) -> bool:
    if not device.verify_token(token.strip()):
        return False
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=user, action="update", obj=user, details={"two_factor": "enrolled"})
    return True


@transaction.atomic
def totp_device_reset(*, actor: User, user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    audit_record(actor=actor, action="update", obj=user, details={"two_factor": "reset"})


def organisation_create(
    *, actor: User | None, name: str, kind: str, province: Province, commune: Commune | None = None
) -> Organisation:
    org = Organisation(name=nfc(name), kind=kind, province=province, commune=commune)
    org.full_clean()
    with transaction.atomic():
        org.save()
        audit_record(actor=actor, action="create", obj=org)
    return org
