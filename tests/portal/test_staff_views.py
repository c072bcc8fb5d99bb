import pytest
from django.test import Client

from treem.portal.models import Article, PortalSettings

STAFF_PAGES = ["/quan-tri/", "/quan-tri/bai-viet/"]


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_editors_and_moderators_reach_staff_pages_others_do_not(url, client_for, article):
    assert Client().get(url).status_code == 302  # to login
    for username in ("bientap", "kiemduyet"):
        assert client_for(username).get(url).status_code == 200, username
    for username in ("canbo.a", "chuyenvien", "doitac", "lanhdao"):
        assert client_for(username).get(url).status_code == 403, username


def test_article_edit_page_personas(client_for, article):
    url = f"/quan-tri/bai-viet/{article.pk}/"
    assert client_for("bientap").get(url).status_code == 200
    assert client_for("kiemduyet").get(url).status_code == 200
    assert client_for("canbo.a").get(url).status_code == 403
    assert client_for("kiemduyet").post(url, {"title": "x"}).status_code == 403


def test_editor_creates_submits_and_moderator_publishes_through_the_pages(
    client_for, category, cfg
):
    editor = client_for("bientap")
    assert client_for("kiemduyet").get("/quan-tri/bai-viet/moi/").status_code == 403
    response = editor.post(
        "/quan-tri/bai-viet/moi/",
        {
            "title": "Kỹ năng an toàn khi đi học",
            "category": category.pk,
            "excerpt": "Tóm tắt",
            "body": '<p onclick="x()">Nội dung</p>',
            "tag_names": "an toàn, kỹ năng",
            "comments_enabled": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(slug="ky-nang-an-toan-khi-di-hoc")
    assert article.body == "<p>Nội dung</p>"
    assert sorted(article.tags.values_list("name", flat=True)) == ["an toàn", "kỹ năng"]
    editor.post(f"/quan-tri/bai-viet/{article.pk}/chuyen/submit/", {"version": article.version})
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW
    client_for("kiemduyet").post(
        f"/quan-tri/bai-viet/{article.pk}/chuyen/approve/", {"version": article.version}
    )
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert Client().get(article.get_absolute_url()).status_code == 200
    history = editor.get(f"/quan-tri/bai-viet/{article.pk}/lich-su/?v=1")
    assert history.status_code == 200 and "Kỹ năng an toàn" in history.content.decode()


def test_stale_transition_is_refused_with_a_message(client_for, article):
    moderator = client_for("kiemduyet")
    response = moderator.post(
        f"/quan-tri/bai-viet/{article.pk}/chuyen/unpublish/",
        {"version": article.version - 1},
        follow=True,
    )
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert "người khác sửa" in response.content.decode()


def test_settings_are_data_edited_by_moderators(client_for, cfg):
    url = "/quan-tri/cai-dat/"
    assert client_for("bientap").get(url).status_code == 403
    moderator = client_for("kiemduyet")
    assert moderator.get(url).status_code == 200
    data = {
        "reply_depth": 4,
        "link_limit": 1,
        "watch_words": "a",
        "block_words": "b",
        "comments_close_days": 10,
        "retention_days": 60,
        "flood_interval_seconds": 5,
        "min_fill_seconds": 2,
        "votes_per_hour": 9,
    }
    assert moderator.post(url, data).status_code == 302
    row = PortalSettings.effective()
    assert (row.reply_depth, row.votes_per_hour, row.retention_days) == (4, 9, 60)


def test_staff_article_list_has_bounded_queries(
    client_for, make_article, django_assert_max_num_queries
):
    for i in range(10):
        make_article(f"Bài {i}", tags=())
    editor = client_for("bientap")
    editor.get("/quan-tri/bai-viet/")
    with django_assert_max_num_queries(12):
        assert editor.get("/quan-tri/bai-viet/").status_code == 200


def test_editor_edits_through_the_page_and_a_stale_form_is_refused(client_for, article):
    editor = client_for("bientap")
    form = {
        "title": "Tiêu đề đã sửa",
        "category": article.category_id,
        "excerpt": article.excerpt,
        "body": "<p>Đã sửa</p>",
        "tag_names": "chăm sóc trẻ em",
        "comments_enabled": "on",
        "version": article.version,
    }
    url = f"/quan-tri/bai-viet/{article.pk}/"
    assert editor.post(url, form).status_code == 302
    article.refresh_from_db()
    assert article.title == "Tiêu đề đã sửa" and article.status == Article.Status.PUBLISHED
    assert Client().get(article.get_absolute_url()).status_code == 200
    stale = editor.post(url, {**form, "title": "Ghi đè"})  # same, now old, version
    assert stale.status_code == 200 and "người khác sửa" in stale.content.decode()
    article.refresh_from_db()
    assert article.title == "Tiêu đề đã sửa"
