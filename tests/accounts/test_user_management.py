import pytest
from django.core.exceptions import ValidationError

from treem.accounts.models import User
from treem.accounts.services import user_create
from treem.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def form_data(user: User, **changes):
    data = {
        "full_name": user.full_name,
        "email": user.email,
        "phone": user.phone,
        "role": user.role,
        "organisation": user.organisation_id or "",
        "province": user.province_id or "",
        "commune": user.commune_id or "",
        "is_active": "on" if user.is_active else "",
        "version": user.version,
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "persona", ["specialist_client", "leader_client", "officer_a_client", "partner_client"]
)
def test_only_administrators_manage_users(persona, request):
    client = request.getfixturevalue(persona)
    assert client.get("/accounts/users/").status_code == 403
    assert client.get("/accounts/users/new/").status_code == 403
    target = User.objects.get(username="canbo.b")
    assert client.get(f"/accounts/users/{target.pk}/").status_code == 403


def test_anonymous_is_sent_to_login_from_user_pages(anon_client):
    assert anon_client.get("/accounts/users/").status_code == 302


def test_admin_lists_and_searches_users_without_accents(admin_client):
    response = admin_client.get("/accounts/users/", {"q": "vo thi hong"})
    body = response.content.decode()
    assert "canbo.a" in body and "canbo.b" not in body


def test_admin_creates_a_commune_worker(admin_client, demo):
    response = admin_client.post(
        "/accounts/users/new/",
        {
            "username": "canbo.moi",
            "password": "Mot-mat-khau-du-dai",
            "full_name": "Nguyễn Văn Mới",
            "role": "commune_worker",
            "province": "75",
            "commune": demo.commune_b.code,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()
    user = User.objects.get(username="canbo.moi")
    assert user.jurisdiction.commune_codes == frozenset([demo.commune_b.code])
    assert AuditEvent.objects.filter(action="create", object_id=str(user.pk)).exists()


def test_commune_worker_without_a_commune_is_refused_next_to_the_field(admin_client):
    response = admin_client.post(
        "/accounts/users/new/",
        {
            "username": "canbo.thieu",
            "password": "Mot-mat-khau-du-dai",
            "full_name": "Trần Thiếu",
            "role": "commune_worker",
            "province": "75",
        },
    )
    assert response.status_code == 200
    assert "phải được giao một xã" in response.content.decode()
    assert not User.objects.filter(username="canbo.thieu").exists()


def test_password_policy_refuses_a_short_or_common_password(demo):
    with pytest.raises(ValidationError) as exc:
        user_create(
            actor=None,
            username="yeu",
            password="12345678",
            full_name="Mật Khẩu Yếu",
            role="portal_editor",
            province=demo.province,
        )
    assert "password" in exc.value.message_dict


def test_admin_edits_a_user_and_the_change_is_audited_with_before_and_after(admin_client):
    target = User.objects.get(username="canbo.b")
    response = admin_client.post(
        f"/accounts/users/{target.pk}/", form_data(target, phone="0912345678")
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.phone == "0912345678" and target.version == 2
    event = AuditEvent.objects.filter(action="update", object_id=str(target.pk)).first()
    assert event.changes["phone"] == ["", "0912345678"]


def test_a_concurrent_edit_is_refused_and_nothing_is_overwritten(admin_client):
    target = User.objects.get(username="chutich.b")
    stale = form_data(target)
    first = admin_client.post(
        f"/accounts/users/{target.pk}/", form_data(target, phone="0900000001")
    )
    assert first.status_code == 302
    second = admin_client.post(f"/accounts/users/{target.pk}/", {**stale, "phone": "0900000002"})
    assert second.status_code == 200
    assert "vừa được người khác sửa" in second.content.decode()
    target.refresh_from_db()
    assert target.phone == "0900000001"


def test_viewing_a_user_page_is_audited_and_shown_in_who_viewed(admin_client):
    target = User.objects.get(username="ctv.a")
    admin_client.get(f"/accounts/users/{target.pk}/")
    assert AuditEvent.objects.filter(
        action="view", object_type="accounts.user", object_id=str(target.pk), actor_username="admin"
    ).exists()
    log = admin_client.get(f"/accounts/users/{target.pk}/access-log/", follow=True).content.decode()
    assert "admin" in log and "Xem" in log


def test_unknown_user_is_404(admin_client):
    assert admin_client.get("/accounts/users/987654/").status_code == 404


def test_user_list_query_count_is_bounded(admin_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        admin_client.get("/accounts/users/")


def test_create_admin_command_makes_a_system_administrator(monkeypatch):
    from django.core.management import call_command

    monkeypatch.setenv("FIRST_ADMIN_PASSWORD", "A-first-admin-passphrase")
    call_command(
        "create_admin",
        "qtv",
        "--full-name",
        "Quản Trị Viên",
        "--password-env",
        "FIRST_ADMIN_PASSWORD",
    )
    user = User.objects.get(username="qtv")
    assert user.role == "system_admin" and user.province_id == "75"
    assert user.check_password("A-first-admin-passphrase")


def test_live_search_with_htmx_returns_only_the_results(admin_client):
    response = admin_client.get("/accounts/users/", {"q": "huynh"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "canbo.b" in body and "canbo.a" not in body
    assert "<html" not in body
