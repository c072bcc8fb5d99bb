"""An administrator who has not passed the second factor can do nothing but enrol and log out
(issue 14, item 3: with only a password, one created an administrator and reset a password)."""

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from treem.accounts.models import User
from treem.accounts.services import user_create
from treem.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "a-Long-enough-passphrase"


@pytest.fixture
def unverified_admin(demo):
    """An administrator signed in with the password only (no TOTP device yet)."""
    user = user_create(
        actor=None,
        username="admin.chua2fa",
        password=PASSWORD,
        full_name="Quản Trị Chưa Xác Thực",
        role="system_admin",
        province=demo.province,
    )
    client = Client()
    client.force_login(user)
    return user, client


def test_unverified_admin_cannot_create_a_user(unverified_admin, demo):
    _user, client = unverified_admin
    response = client.post(
        "/accounts/users/new/",
        {
            "username": "admin.ke.gian",
            "password": "Mot-mat-khau-du-dai",
            "full_name": "Kẻ Gian",
            "role": "system_admin",
            "province": "75",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/setup/"
    assert not User.objects.filter(username="admin.ke.gian").exists()


def test_unverified_admin_cannot_reset_a_password(unverified_admin):
    _user, client = unverified_admin
    victim = User.objects.get(username="canbo.b")
    before = victim.password
    response = client.post(
        f"/accounts/users/{victim.pk}/password/", {"password": "Mat-khau-cua-ke-gian-1"}
    )
    assert response["Location"] == "/accounts/2fa/setup/"
    victim.refresh_from_db()
    assert victim.password == before


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/users/",
        "/accounts/users/new/",
        "/accounts/profile/",
        "/app/",
        "/app/audit/",
    ],
)
def test_unverified_admin_is_sent_to_enrol_from_every_page(unverified_admin, path):
    _user, client = unverified_admin
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/setup/"


def test_unverified_admin_reaches_enrolment_and_logout(unverified_admin):
    user, client = unverified_admin
    assert client.get("/accounts/2fa/setup/").status_code == 200
    response = client.post("/accounts/logout/")
    assert response["Location"] == "/accounts/login/"
    assert AuditEvent.objects.filter(action="logout", actor=user).exists()


def test_unverified_admin_session_gets_the_api_error_shape(unverified_admin):
    _user, client = unverified_admin
    response = client.get("/api/me/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "second_factor_required"


def test_admin_api_token_is_refused_until_a_device_is_confirmed(unverified_admin):
    user, _client = unverified_admin
    token = Token.objects.create(user=user)
    api = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    refused = api.get("/api/me/")
    assert refused.status_code == 401
    assert "error" in refused.json()

    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=False)
    assert api.get("/api/me/").status_code == 401  # an unconfirmed device is not enough
    device.confirmed = True
    device.save()
    accepted = api.get("/api/me/")
    assert accepted.status_code == 200
    assert accepted.json()["username"] == user.username


def test_token_of_a_role_without_second_factor_works(demo):
    token = Token.objects.create(user=User.objects.get(username="canbo.a"))
    response = Client(HTTP_AUTHORIZATION=f"Token {token.key}").get("/api/me/")
    assert response.status_code == 200


def test_verified_admin_still_manages_users(demo):
    admin = User.objects.get(username="admin")
    client = Client()
    client.post("/accounts/login/", {"username": "admin", "password": "Treem-demo-2026"})
    device = TOTPDevice.objects.get(user=admin, confirmed=True)
    client.post("/accounts/login/token/", {"token": f"{totp(device.bin_key):06d}"})
    assert client.get("/accounts/users/new/").status_code == 200
