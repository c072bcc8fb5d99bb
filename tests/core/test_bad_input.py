"""Huge numbers, look-alike digits and time-zone-aware dates typed into filters and forms answer
400 or a form error, never 500 (issue 14, item 8)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from treem.core.parsing import (
    InvalidParameter,
    parse_id,
    parse_ids,
    parse_local_datetime,
    parse_page,
    safe_ids,
)

HUGE = "99999999999999999999999"


@pytest.mark.parametrize("raw", [HUGE, "1e30", "²", "٣", "-1", "0", "1.5", " ", "12a"])
def test_parse_ids_refuses_anything_but_a_database_id(raw):
    if raw.strip() == "":
        assert parse_id(raw) is None
        return
    with pytest.raises(InvalidParameter):
        parse_id(raw, name="village")
    with pytest.raises(InvalidParameter):
        parse_ids(["12", raw])
    assert safe_ids(["12", raw]) == [12]


def test_parse_id_accepts_the_largest_bigint():
    assert parse_id(str(2**63 - 1)) == 2**63 - 1
    with pytest.raises(InvalidParameter):
        parse_id(str(2**63))


def test_parse_page():
    assert parse_page(None) == 1
    assert parse_page("3") == 3
    for raw in (HUGE, "0", "²", "1e3"):
        with pytest.raises(InvalidParameter):
            parse_page(raw)


def test_a_datetime_with_an_offset_is_kept_and_one_without_is_local(settings):
    aware = parse_local_datetime("2026-06-01T08:30+00:00")
    assert aware == dt.datetime(2026, 6, 1, 8, 30, tzinfo=dt.UTC)
    naive = parse_local_datetime("2026-06-01T08:30")
    assert naive == dt.datetime(2026, 6, 1, 8, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    for raw in ("", "hôm qua", "2026-13-01T00:00", "9999-12-31T23:59:59-23:59"):
        with pytest.raises(InvalidParameter):
            parse_local_datetime(raw, name="start")


@pytest.mark.django_db
@pytest.mark.parametrize("village", [HUGE, "1e30", "²"])
def test_api_filter_with_a_bad_id_is_400_in_the_error_shape(officer_a_client, village):
    response = officer_a_client.get("/api/registry/children/", {"village": village})
    assert response.status_code == 400
    body = response.json()
    assert body["error"]["code"] == "invalid"
    assert "village" in body["error"]["fields"]


@pytest.mark.django_db
def test_api_page_beyond_any_integer_is_not_a_500(officer_a_client):
    response = officer_a_client.get("/api/registry/children/", {"page": HUGE})
    assert response.status_code == 404
    assert "error" in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"page": HUGE},
        {"object_type": "accounts.user", "object_id": HUGE},
        {"actor": HUGE},
        {"actor": "1e30", "date_from": "31/02/2026"},
        {"object_type": "accounts.user", "object_id": "²"},
    ],
)
def test_audit_page_filters_with_bad_values_are_form_errors(admin_client, params):
    response = admin_client.get("/app/audit/", params)
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/users/", "/app/geo/villages/"])
def test_list_pages_with_a_huge_page_number_answer(admin_client, path):
    assert admin_client.get(path, {"page": HUGE}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/geo/communes/?province=%00",
        "/api/geo/communes/?q=H%C3%A0%00",
        "/api/geo/communes/?%00=1",
    ],
)
def test_a_nul_character_in_an_api_query_is_a_400_in_the_api_error_shape(client, url):
    response = client.get(url)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "ký tự rỗng" in error["fields"]["query"][0]


@pytest.mark.django_db
def test_a_nul_character_in_a_page_query_is_a_400_page_in_the_readers_language(client, settings):
    response = client.get("/tim-kiem/?q=tr%00e")
    assert response.status_code == 400
    assert "ký tự rỗng" in response.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/tim-kiem/?q=tr%00e")
    assert response.status_code == 400
    assert "null character" in response.content.decode()
    # The same search without NUL is answered.
    assert client.get("/tim-kiem/?q=tre").status_code == 200
