from django.test import Client

from treem.portal import services


def test_public_api_lists_live_articles_only(make_article, django_assert_max_num_queries):
    live = make_article("Bài công khai", tags=("a",))
    make_article("Bản nháp", publish=False)
    for i in range(5):
        make_article(f"Bài {i}", tags=("b", "c"))
    client = Client()
    with django_assert_max_num_queries(4):
        data = client.get("/api/portal/articles/").json()
    slugs = [a["slug"] for a in data["results"]]
    assert live.slug in slugs and "ban-nhap" not in slugs
    assert client.get("/api/portal/articles/ban-nhap/").status_code == 404
    assert client.get("/api/portal/articles/ban-nhap/").json()["error"]["code"] == "not_found"


def test_article_detail_carries_fresh_figures(article):
    services.vote_cast(article=article, stars=3, voter_token="t", ip_address="203.0.113.1")
    data = Client().get(f"/api/portal/articles/{article.slug}/").json()
    assert data["figures"] == {"average": 3.0, "votes": 1, "comments": 0}
    assert "<script" not in data["body"]


def test_comment_api_has_no_email_field(article, cfg):
    services.comment_submit(
        article=article,
        name="A",
        email="hidden@example.org",
        body="x",
        ip_address="203.0.113.2",
        form_age=30,
    )
    from treem.portal.models import Comment

    Comment.objects.update(status="approved")
    data = Client().get(f"/api/portal/articles/{article.slug}/comments/").json()
    assert data["results"][0]["author_name"] == "A"
    assert "author_email" not in data["results"][0]
    assert "hidden@example.org" not in str(data)
