from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from treem.programmes import selectors, services
from treem.programmes.models import ActivityPhoto, Campaign, CommActivity

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def campaign(specialist):
    return services.campaign_create(
        actor=specialist,
        kind=Campaign.Kind.ACTION_MONTH,
        title="Tháng hành động vì trẻ em năm 2026",
        theme="Hành động thiết thực, ưu tiên nguồn lực cho trẻ em",
        year=2026,
        starts_on=date(2026, 6, 1),
        ends_on=date(2026, 6, 30),
    )


def _activity(actor, **kw):
    values = {
        "kind": CommActivity.Kind.FORUM,
        "title": "Diễn đàn trẻ em",
        "held_on": date(2026, 6, 5),
        "people_reached": 100,
        "children_reached": 80,
    } | kw
    return services.activity_create(actor=actor, **values)


def test_rollups_by_kind_commune_and_year(campaign, specialist, demo):
    _activity(specialist, campaign=campaign, commune=demo.commune_a, cost=5_000_000)
    _activity(
        specialist,
        campaign=campaign,
        commune=demo.commune_b,
        kind=CommActivity.Kind.RADIO,
        people_reached=3000,
        children_reached=0,
    )
    _activity(demo.users["canbo.a"], commune=demo.commune_a, held_on=date(2025, 11, 2))
    rollup = selectors.comm_rollup(user=specialist, year=2026)
    assert (rollup.activities, rollup.reached, rollup.children, rollup.cost) == (
        2,
        3100,
        80,
        5_000_000,
    )
    assert {r["kind"]: r["reached"] for r in rollup.by_kind} == {"forum": 100, "radio": 3000}
    assert {r["commune"]: r["n"] for r in rollup.by_commune} == {
        demo.commune_a.code: 1,
        demo.commune_b.code: 1,
    }
    everything = selectors.comm_rollup(user=specialist)
    assert {r["year_"]: r["n"] for r in everything.by_year} == {2025: 1, 2026: 2}
    mine = selectors.comm_rollup(user=demo.users["canbo.b"])
    assert mine.activities == 1 and mine.reached == 3000


def test_action_month_summary_page(campaign, specialist, specialist_client, demo):
    _activity(specialist, campaign=campaign, commune=demo.commune_a)
    page = specialist_client.get(reverse("programmes:campaign_detail", args=[campaign.pk]))
    body = page.content.decode()
    assert "Báo cáo tổng hợp Tháng hành động vì trẻ em" in body
    assert "Hành động thiết thực" in body and "Diễn đàn trẻ em" in body


def test_bad_activity_input_is_refused(campaign, specialist, demo):
    cases = [
        ({"children_reached": 200}, "children_reached"),
        ({"campaign": campaign, "held_on": date(2026, 7, 2)}, "held_on"),
        ({"cost": "1.5"}, "cost"),
        ({"kind": CommActivity.Kind.PORTAL}, "article_id"),
        ({"article_id": 999999}, "article_id"),
        ({"photos": [SimpleUploadedFile("anh.png", b"%PDF-1.4 not an image")]}, "photos"),
    ]
    for values, field in cases:
        with pytest.raises(ValidationError) as exc:
            _activity(specialist, **values)
        assert field in exc.value.message_dict, field
    assert not CommActivity.objects.exists()
    # Commune B's worker cannot record an activity in commune A.
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        _activity(demo.users["canbo.b"], commune=demo.commune_a)


def test_photo_is_checked_and_served_through_the_access_check(
    specialist, specialist_client, demo, client_for
):
    activity = _activity(
        specialist,
        commune=demo.commune_a,
        photos=[SimpleUploadedFile("anh.png", PNG)],
    )
    photo = ActivityPhoto.objects.get(activity=activity)
    url = reverse("programmes:photo", args=[photo.pk])
    assert specialist_client.get(url).status_code == 200
    assert client_for("canbo.b").get(url).status_code == 404


def test_portal_article_shows_its_views_and_ratings(specialist, specialist_client, demo):
    import datetime

    from treem.portal.models import Article, ArticleViews, Category, Vote

    category = Category.objects.create(name="Tin tức", slug="tin-tuc")
    article = Article.objects.create(
        title="Phát động Tháng hành động vì trẻ em",
        slug="phat-dong",
        category=category,
        author=specialist,
        excerpt="Tóm tắt",
        body="<p>Nội dung</p>",
    )
    for stars in (4, 5):
        Vote.objects.create(
            article=article, stars=stars, voter_token=f"t{stars}", ip_hash=f"x{stars}"
        )
    # Two days of public reads, as the portal stores them once counted.
    ArticleViews.objects.create(article=article, day=datetime.date(2026, 6, 1), count=1200)
    ArticleViews.objects.create(article=article, day=datetime.date(2026, 6, 2), count=34)
    _activity(
        specialist,
        kind=CommActivity.Kind.PORTAL,
        article_id=article.pk,
        people_reached=0,
        children_reached=0,
    )
    body = specialist_client.get(
        reverse("programmes:communication") + "?year=2026"
    ).content.decode()
    assert "Phát động Tháng hành động vì trẻ em" in body
    assert "1.234 lượt xem, đánh giá 4,5/5 (2 lượt)" in body
