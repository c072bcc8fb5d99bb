"""Invisible and direction-changing characters are refused in names (issue 14, item 10)."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.portal.conftest import comment_data
from tests.portal.test_concerns import concern_data
from treem.portal import services
from treem.portal.models import Comment, Concern
from treem.portal.security import invisible_chars

SPOOFS = [
    "Lan\u202eoN",  # right-to-left override
    "Ban\u2066 quản trị\u2069",  # isolate
    "Admin\u200b",  # zero-width space
    "\ufeffNguyễn",  # byte-order mark
    "Minh\u200f",  # right-to-left mark
    "Hoa\u0007",  # a control character
]


@pytest.mark.parametrize("name", SPOOFS)
def test_invisible_characters_are_detected(name):
    assert invisible_chars(name)


def test_vietnamese_names_are_accepted():
    for name in ["Nguyễn Thị Lan", "Đặng Văn Hùng", "Ngô Thanh Tâm", "Hồ Ngọc Hà"]:
        assert invisible_chars(name) == []


@pytest.mark.parametrize("name", SPOOFS)
def test_comment_author_name_with_invisible_characters_is_refused(article, cfg, name):
    response = Client(REMOTE_ADDR="203.0.113.70").post(
        article.get_absolute_url() + "binh-luan/", comment_data(author_name=name)
    )
    assert response.status_code == 400
    assert "ký tự ẩn hoặc ký tự đảo chiều" in response.content.decode()
    assert not Comment.objects.exists()


def test_concern_reporter_name_with_bidi_override_is_refused(demo, cfg):
    response = Client(REMOTE_ADDR="203.0.113.71").post(
        "/bao-tin/", concern_data(demo, reporter_name="Cán bộ\u202e xã")
    )
    assert response.status_code == 400
    assert "U+202E" in response.content.decode()
    assert not Concern.objects.exists()


def test_service_refuses_too_whatever_the_way_in(article, cfg):
    with pytest.raises(ValidationError) as exc:
        services.comment_submit(
            article=article,
            name="Lan\u200d",
            email="lan@example.org",
            body="Hay quá",
            ip_address="203.0.113.72",
            form_age=60,
        )
    assert "author_name" in exc.value.message_dict


def test_message_is_in_english_for_english_readers(article, cfg):
    client = Client(REMOTE_ADDR="203.0.113.73")
    client.cookies["django_language"] = "en"
    response = client.post(
        article.get_absolute_url() + "binh-luan/", comment_data(author_name="Lan\u202e")
    )
    assert "contains invisible or text-direction characters" in response.content.decode()
