"""Page numbers of the list: the API answers like DRF's page-number paginator (404 "invalid
page"), the HTML list falls back to page 1; neither reaches the database with an absurd offset."""

from __future__ import annotations

import pytest

from treem.registry import selectors

from .conftest import TODAY


@pytest.mark.parametrize(
    ("raw", "page"), [(None, 1), ("", 1), ("1", 1), ("7", 7), (" 3 ", 3), ("1000000", 1_000_000)]
)
def test_page_number_accepts_whole_numbers_from_one(raw, page):
    assert selectors.page_number(raw) == page


@pytest.mark.parametrize(
    "raw", ["0", "-1", "abc", "1.5", "1e3", "٣", "1000001", "631644985607295336448"]
)
def test_page_number_refuses_the_rest(raw):
    with pytest.raises(selectors.InvalidPage):
        selectors.page_number(raw)


@pytest.mark.parametrize("page", ["0", "-3", "abc", "631644985607295336448", "1000001"])
def test_api_invalid_page_is_404_in_the_error_shape(officer_a_client, register, page):
    register(full_name="Trang Một")
    r = officer_a_client.get(f"/api/registry/children/?page={page}&q=tr")
    assert r.status_code == 404
    body = r.json()
    assert body["error"]["code"] == "not_found"
    assert body["error"]["message"]


def test_api_page_past_the_end_is_404_but_an_empty_first_page_is_not(officer_a_client, register):
    r = officer_a_client.get("/api/registry/children/?q=khong+ai")
    assert r.status_code == 200 and r.json() == {"page": 1, "has_next": False, "results": []}
    register(full_name="Trang Một")
    assert officer_a_client.get("/api/registry/children/?page=1").json()["results"]
    assert officer_a_client.get("/api/registry/children/?page=2").status_code == 404


@pytest.mark.parametrize("page", ["0", "-1", "abc", "631644985607295336448"])
def test_html_list_shows_page_one_for_an_invalid_page(officer_a_client, register, page):
    register(full_name="Trang Một")
    r = officer_a_client.get(f"/app/registry/?page={page}")
    assert r.status_code == 200
    assert "Trang Một" in r.content.decode()


def test_a_page_past_the_bound_is_empty_without_a_query(demo, register, django_assert_num_queries):
    register(full_name="Trang Một")
    qs = selectors.children_for_user(user=demo.users["canbo.a"], today=TODAY)
    with django_assert_num_queries(0):
        assert selectors.children_page(qs, page=selectors.MAX_PAGE + 1) == ([], False)
