import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from treem.portal import selectors, services
from treem.portal.models import Vote
from treem.portal.security import VOTER_COOKIE, ip_hash


def _rate(client, article, stars, **extra):
    return client.post(article.get_absolute_url() + "danh-gia/", {"stars": stars}, **extra)


def test_one_vote_per_reader_and_revote_changes_it(article, cfg):
    reader = Client(REMOTE_ADDR="203.0.113.10")
    assert _rate(reader, article, 2).status_code == 302
    assert _rate(reader, article, 5).status_code == 302
    votes = Vote.objects.filter(article=article)
    assert votes.count() == 1
    assert votes.get().stars == 5
    figures = selectors.article_figures(article=article)
    assert (figures.votes, figures.average) == (1, 5)


def test_readers_behind_one_address_each_keep_their_own_vote_and_cookie(article, cfg):
    """Issue 14, item 10: two readers behind one address (a school's network) overwrote each
    other's vote, and the second received the first one's voter cookie."""
    lan = Client(REMOTE_ADDR="203.0.113.11")
    minh = Client(REMOTE_ADDR="203.0.113.11")
    _rate(lan, article, 1)
    _rate(minh, article, 4)
    assert sorted(Vote.objects.filter(article=article).values_list("stars", flat=True)) == [1, 4]
    lan_token = lan.cookies[VOTER_COOKIE].value
    assert lan.cookies[VOTER_COOKIE].value != minh.cookies[VOTER_COOKIE].value
    # Each reader's re-vote changes their own vote only.
    _rate(minh, article, 5)
    assert sorted(Vote.objects.filter(article=article).values_list("stars", flat=True)) == [1, 5]
    assert lan.cookies[VOTER_COOKIE].value == lan_token
    figures = selectors.article_figures(article=article)
    assert (figures.votes, figures.average) == (2, 3)


def test_same_cookie_from_another_address_changes_the_same_vote(article, cfg):
    reader = Client(REMOTE_ADDR="203.0.113.12")
    _rate(reader, article, 1)
    reader.defaults["REMOTE_ADDR"] = "198.51.100.7"
    _rate(reader, article, 3)
    assert list(Vote.objects.filter(article=article).values_list("stars", flat=True)) == [3]


def test_different_readers_each_count(article, cfg):
    _rate(Client(REMOTE_ADDR="203.0.113.13"), article, 2)
    _rate(Client(REMOTE_ADDR="203.0.113.14"), article, 5)
    figures = selectors.article_figures(article=article)
    assert (figures.votes, figures.average) == (2, 3.5)


def test_forged_cookie_is_ignored(article, cfg):
    reader = Client(REMOTE_ADDR="203.0.113.15")
    reader.cookies[VOTER_COOKIE] = "someone-elses-token"
    _rate(reader, article, 2)
    assert Vote.objects.get(article=article).voter_token != "someone-elses-token"


def test_client_forwarded_header_is_not_trusted(article, cfg, settings):
    settings.TRUSTED_PROXIES = []
    _rate(Client(REMOTE_ADDR="203.0.113.16"), article, 1, HTTP_X_FORWARDED_FOR="10.0.0.1")
    _rate(Client(REMOTE_ADDR="203.0.113.16"), article, 2, HTTP_X_FORWARDED_FOR="10.0.0.2")
    hashes = set(Vote.objects.filter(article=article).values_list("ip_hash", flat=True))
    assert hashes == {ip_hash("203.0.113.16")}


def test_trusted_proxy_address_is_used(article, cfg, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    _rate(Client(REMOTE_ADDR="127.0.0.1"), article, 1, HTTP_X_FORWARDED_FOR="10.0.0.1")
    _rate(Client(REMOTE_ADDR="127.0.0.1"), article, 2, HTTP_X_FORWARDED_FOR="10.0.0.2")
    assert Vote.objects.filter(article=article).count() == 2


def test_rate_limit_per_address(make_article, cfg):
    cfg.votes_per_hour = 2
    cfg.save()
    articles = [make_article(f"Bài {i}", tags=()) for i in range(3)]
    for a in articles[:2]:
        services.vote_cast(article=a, stars=4, voter_token=f"t{a.pk}", ip_address="203.0.113.20")
    with pytest.raises(services.VoteRateLimited):
        services.vote_cast(
            article=articles[2], stars=4, voter_token="tx", ip_address="203.0.113.20"
        )
    # Another address is not affected.
    services.vote_cast(article=articles[2], stars=4, voter_token="ty", ip_address="203.0.113.21")


def test_stars_out_of_range_are_refused(article):
    with pytest.raises(ValidationError):
        services.vote_cast(article=article, stars=6, voter_token="t", ip_address="203.0.113.1")
    reader = Client(REMOTE_ADDR="203.0.113.22")
    _rate(reader, article, 0)
    assert not Vote.objects.exists()


def test_voided_votes_leave_correct_figures(article, moderator, cfg):
    services.vote_cast(article=article, stars=4, voter_token="real", ip_address="203.0.113.30")
    for i in range(5):
        services.vote_cast(article=article, stars=1, voter_token=f"b{i}", ip_address=f"10.9.0.{i}")
    assert selectors.article_figures(article=article).votes == 6
    burst = Vote.objects.filter(voter_token__startswith="b")
    assert services.votes_void(actor=moderator, votes=burst) == 5
    figures = selectors.article_figures(article=article)
    assert (figures.votes, figures.average) == (1, 4)
    # Voided votes are kept (not deleted) and a voided reader may vote again.
    assert Vote.objects.filter(voided_at__isnull=False).count() == 5
    services.vote_cast(article=article, stars=5, voter_token="b0", ip_address="10.9.0.0")
    assert selectors.article_figures(article=article).votes == 2


def test_moderator_voids_selected_votes_on_the_votes_page(article, moderator_client, cfg):
    services.vote_cast(article=article, stars=1, voter_token="b1", ip_address="10.9.0.1")
    vote = Vote.objects.get()
    response = moderator_client.post(
        f"/quan-tri/danh-gia/?article={article.pk}", {"ids": [vote.pk]}
    )
    assert response.status_code == 302
    vote.refresh_from_db()
    assert vote.voided_at is not None


def test_htmx_vote_returns_the_rating_fragment(article, cfg):
    reader = Client(REMOTE_ADDR="203.0.113.40")
    response = _rate(reader, article, 4, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<section id="danh-gia"')
    assert 'data-testid="rating-count">1 lượt đánh giá' in html
    assert "Bạn đã chấm 4 sao" in html
    assert VOTER_COOKIE in response.cookies


def test_votes_page_personas(client_for, anon_client, db):
    assert anon_client.get("/quan-tri/danh-gia/").status_code == 302
    assert client_for("bientap").get("/quan-tri/danh-gia/").status_code == 403
    assert client_for("canbo.a").get("/quan-tri/danh-gia/").status_code == 403
    assert client_for("kiemduyet").get("/quan-tri/danh-gia/").status_code == 200
