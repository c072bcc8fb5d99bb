"""Treem's own error pages, and the one JSON error shape on every /api/ error (issue 14, item 9)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory

from treem.core.parsing import InvalidParameter
from treem.site import errors

pytestmark = pytest.mark.django_db


def _no_debug_page(body: str) -> None:
    assert "URLconf" not in body and "Traceback" not in body and "urlpatterns" not in body


def test_unknown_page_is_treems_404_without_the_url_configuration(officer_a_client):
    response = officer_a_client.get("/app/khong-co-trang-nay/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Không tìm thấy trang" in body
    _no_debug_page(body)


def test_404_page_in_english(officer_a_client):
    officer_a_client.cookies["django_language"] = "en"
    body = officer_a_client.get("/app/khong-co-trang-nay/").content.decode()
    assert "Page not found" in body


@pytest.mark.parametrize("path", ["/api/khong-co/", "/api/registry/khong-co/", "/api/"])
def test_unknown_api_url_answers_the_json_error_shape(officer_a_client, path):
    response = officer_a_client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == "not_found"


def test_anonymous_unknown_api_url_is_json_too(anon_client):
    response = anon_client.get("/api/khong-co/")
    assert response.status_code == 404
    assert "error" in response.json()


def test_wrong_method_on_the_api_is_json(officer_a_client):
    response = officer_a_client.post("/api/me/")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_a_crash_in_an_api_view_is_a_json_500(demo, monkeypatch):
    from treem.accounts import api

    def boom(self, request):
        raise RuntimeError("bug")

    monkeypatch.setattr(api.MeView, "get", boom)
    client = Client(raise_request_exception=False)
    client.force_login(demo.users["canbo.a"])
    response = client.get("/api/me/")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error"


def test_a_crash_in_a_page_is_treems_500(monkeypatch, demo):
    from treem.core import dashboard

    def boom(user):
        raise RuntimeError("bug")

    monkeypatch.setattr(dashboard, "cards_for", boom)
    client = Client(raise_request_exception=False)
    client.force_login(demo.users["canbo.a"])
    response = client.get("/app/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Máy chủ gặp lỗi" in body and "server hit an error" in body
    _no_debug_page(body)


def test_a_refused_form_gets_treems_403(demo):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "canbo.a", "password": "x"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "tải lại trang" in body
    _no_debug_page(body)


def test_bad_request_page_says_what_was_wrong():
    request = RequestFactory().get("/app/registry/?village=1e30")
    request.user = AnonymousUser()
    response = errors.bad_request(request, InvalidParameter("village", "Sai số thôn."))
    assert response.status_code == 400
    assert "Sai số thôn." in response.content.decode()
    api = errors.bad_request(
        RequestFactory().get("/api/x/"), InvalidParameter("village", "Sai số thôn.")
    )
    assert api.status_code == 400
