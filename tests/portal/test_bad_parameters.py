"""Hostile parameters answer a page or a form error, never a 500 (issue 14, item 8)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

HUGE = "9" * 25


@pytest.mark.parametrize("value", [HUGE, "²", "-1", "1e30"])
def test_reply_parameter_on_a_public_article_never_fails(anon_client, article, value):
    response = anon_client.get(article.get_absolute_url() + "?tra-loi=" + value)
    assert response.status_code == 200


@pytest.mark.parametrize("value", [HUGE, "²"])
def test_bulk_void_with_bad_ids_voids_nothing(moderator_client, article, value):
    url = reverse("portal:staff_votes") + "?article=%d" % article.pk
    response = moderator_client.post(url, {"ids": [value], "reason": "Spam"})
    assert response.status_code == 302


def test_void_by_range_accepts_a_time_zone_aware_moment(moderator_client, article):
    url = reverse("portal:staff_votes") + "?article=%d" % article.pk
    response = moderator_client.post(
        url,
        {
            "mode": "range",
            "start": "2026-06-01T08:00:00+07:00",
            "end": "2026-06-02T08:00:00Z",
            "reason": "Spam",
        },
    )
    assert response.status_code == 302


def test_void_by_range_with_a_bad_moment_is_a_form_error(moderator_client, article):
    url = reverse("portal:staff_votes") + "?article=%d" % article.pk
    response = moderator_client.post(
        url, {"mode": "range", "start": "99999-01-01", "end": "x", "reason": "Spam"}, follow=True
    )
    assert response.status_code == 200
    assert "hợp lệ" in response.content.decode()


@pytest.mark.parametrize("param", ["article=" + HUGE, "article=²"])
def test_votes_page_with_a_bad_article_id_shows_the_page(moderator_client, param):
    assert moderator_client.get(reverse("portal:staff_votes") + "?" + param).status_code == 200
