import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.conftest import current_totp
from treem.accounts.models import User
from treem.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "Treem-demo-2026"


def login(client, username, password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_officer_logs_in_with_password_and_lands_on_dashboard():
    client = Client()
    response = login(client, "canbo.a")
    assert response.status_code == 302 and response["Location"] == "/app/"
    assert client.get("/app/").status_code == 200
    assert AuditEvent.objects.filter(action="login", actor_username="canbo.a").exists()


def test_wrong_password_is_refused_with_a_sentence_and_audited():
    client = Client()
    response = login(client, "canbo.a", "wrong-password")
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    assert AuditEvent.objects.filter(action="login_failed").exists()


def test_repeated_failures_lock_the_account_even_with_the_right_password():
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "canbo.b", "wrong-password")
    response = login(client, "canbo.b")
    assert response.status_code == 429
    assert "tạm khoá" in response.content.decode()


def test_admin_unlocks_a_locked_account(admin_client):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "chutich.b", "wrong-password")
    user = User.objects.get(username="chutich.b")
    assert admin_client.post(f"/accounts/users/{user.pk}/unlock/").status_code == 302
    assert login(client, "chutich.b").status_code == 302


def test_admin_needs_a_totp_code_after_the_password():
    client = Client()
    response = login(client, "admin")
    assert response["Location"] == "/accounts/login/token/"
    assert client.get("/app/").status_code == 302  # not logged in yet
    bad = client.post("/accounts/login/token/", {"token": "000000"})
    assert "Mã xác thực không đúng" in bad.content.decode()
    admin = User.objects.get(username="admin")
    # django-otp throttles a device after a wrong code (1 s, 2 s, 4 s…); a person would wait.
    admin.totpdevice_set.get(confirmed=True).throttle_reset()
    ok = client.post("/accounts/login/token/", {"token": current_totp(admin)})
    assert ok.status_code == 302
    assert client.get("/app/").status_code == 200


def test_too_many_wrong_codes_end_the_attempt():
    client = Client()
    login(client, "admin")
    for _ in range(5):
        response = client.post("/accounts/login/token/", {"token": "000000"})
    assert response["Location"] == "/accounts/login/"
    assert client.get("/accounts/login/token/")["Location"] == "/accounts/login/"


def test_an_administrator_without_second_factor_is_sent_to_enrol(demo):
    from treem.accounts.services import user_create

    new_admin = user_create(
        actor=None,
        username="admin2",
        password="a-Long-enough-passphrase",
        full_name="Quản Trị Hai",
        role="system_admin",
        province=demo.province,
    )
    client = Client()
    client.force_login(new_admin)
    response = client.get("/app/")
    assert response["Location"] == "/accounts/2fa/setup/"
    assert client.get("/accounts/2fa/setup/").status_code == 200


def test_enrolling_totp_verifies_the_session(demo):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from treem.accounts.services import user_create

    user = user_create(
        actor=None,
        username="admin3",
        password="a-Long-enough-passphrase",
        full_name="Quản Trị Ba",
        role="system_admin",
        province=demo.province,
    )
    client = Client()
    client.force_login(user)
    client.get("/accounts/2fa/setup/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/accounts/2fa/setup/", {"token": f"{totp(device.bin_key):06d}"})
    assert response.status_code == 302
    assert client.get("/app/").status_code == 200


def test_logout_requires_post_and_ends_the_session(officer_a_client):
    assert officer_a_client.get("/accounts/logout/").status_code == 405
    officer_a_client.post("/accounts/logout/")
    assert officer_a_client.get("/app/").status_code == 302


def test_sessions_expire_when_idle_and_when_the_browser_closes():
    client = Client()
    login(client, "canbo.a")
    assert client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE <= 8 * 3600


def _session_writes(client, url="/app/"):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries if "django_session" in q["sql"] and "SELECT" not in q["sql"]]


def test_sliding_expiry_writes_the_session_once_a_minute_not_on_every_page(monkeypatch):
    """A page that only reads must not write: on SQLite that write queued behind a long import
    and pages failed. The expiry still slides forward, at most SESSION_REFRESH_SECONDS late."""
    import treem.core.middleware as middleware

    now = [1_800_000_000]
    monkeypatch.setattr(middleware.time, "time", lambda: now[0])
    client = Client()
    login(client, "canbo.a")
    _session_writes(client)  # the login's own save
    key = client.session.session_key
    expiry = Session.objects.get(session_key=key).expire_date
    now[0] += settings.SESSION_REFRESH_SECONDS - 1
    assert _session_writes(client) == []
    assert _session_writes(client, "/app/registry/") == []
    assert Session.objects.get(session_key=key).expire_date == expiry
    now[0] += 1
    assert len(_session_writes(client)) == 1
    moved = Session.objects.get(session_key=key).expire_date
    assert moved > expiry
    assert _session_writes(client) == []  # the next minute starts again
    assert Session.objects.get(session_key=key).expire_date == moved


def test_an_anonymous_visit_creates_no_session_and_logout_stays_logged_out():
    client = Client()
    assert client.get("/accounts/login/").status_code == 200
    assert Session.objects.count() == 0
    login(client, "canbo.a")
    client.post("/accounts/logout/")
    assert Session.objects.count() == 0
    assert client.get("/app/").status_code == 302


def test_open_redirect_after_login_is_refused():
    client = Client()
    response = client.post(
        "/accounts/login/?next=https://evil.example/",
        {"username": "canbo.a", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/app/"
