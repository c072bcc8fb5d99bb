"""Shared fixtures: the real geography and the demo personas are loaded once per test database.

Personas (STYLE): province admin, commune officer of commune A, officer of commune B, partner
agency, anonymous visitor; plus the other demo roles by username.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from treem.accounts.models import User

# The browser fixtures (one real server and one Chromium per session), for every app's tests.
pytest_plugins = ["tests.e2e_fixtures"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from treem.geo.services import geography_load
    from treem.site.demo import demo_seed

    with django_db_blocker.unblock():
        geography_load()
        demo_seed(with_apps=False)


@pytest.fixture(autouse=True)
def _english_off(settings):
    settings.LANGUAGE_CODE = "vi"


def _client_for(username: str) -> Client:
    client = Client()
    user = User.objects.get(username=username)
    client.force_login(user)
    if user.role == "system_admin":
        # Pass the second factor the way the login view does, so the admin is "verified".
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def demo(db):
    from treem.site.demo import demo_context

    ctx = demo_context()
    ctx.users = {u.username: u for u in User.objects.all()}
    return ctx


@pytest.fixture
def admin_client(db) -> Client:
    return _client_for("admin")


@pytest.fixture
def specialist_client(db) -> Client:
    return _client_for("chuyenvien")


@pytest.fixture
def leader_client(db) -> Client:
    return _client_for("lanhdao")


@pytest.fixture
def officer_a_client(db) -> Client:
    return _client_for("canbo.a")


@pytest.fixture
def officer_b_client(db) -> Client:
    return _client_for("canbo.b")


@pytest.fixture
def chairman_a_client(db) -> Client:
    return _client_for("chutich.a")


@pytest.fixture
def collaborator_a_client(db) -> Client:
    return _client_for("ctv.a")


@pytest.fixture
def partner_client(db) -> Client:
    return _client_for("doitac")


@pytest.fixture
def anon_client(db) -> Client:
    return Client()


@pytest.fixture
def client_for(db):
    return _client_for


def current_totp(user: User) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key):06d}"
