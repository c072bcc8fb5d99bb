from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from treem.accounts.models import User
from treem.core.concurrency import ConcurrentEditError
from treem.portal import selectors, services
from treem.portal.models import Article, ArticleEvent


def test_vietnamese_title_gives_transliterated_slug(make_article):
    article = make_article("Chăm sóc trẻ em", publish=False)
    assert article.slug == "cham-soc-tre-em"
    assert make_article("Chăm Sóc Trẻ Em!", publish=False).slug == "cham-soc-tre-em-2"


def test_workflow_draft_review_published_with_events_and_revisions(editor, moderator, category):
    article = services.article_create(
        actor=editor, title="Tiêu đề", category=category, excerpt="Tóm tắt", body="<p>a</p>"
    )
    assert article.status == Article.Status.DRAFT
    article = services.article_transition(
        actor=editor, article=article, kind="submit", expected_version=article.version
    )
    assert article.status == Article.Status.IN_REVIEW
    article = services.article_transition(
        actor=moderator, article=article, kind="approve", expected_version=article.version
    )
    assert article.status == Article.Status.PUBLISHED
    assert article.is_live()
    kinds = list(article.events.order_by("at", "id").values_list("kind", flat=True))
    assert kinds == ["create", "submit", "approve"]
    assert list(article.revisions.values_list("number", flat=True)) == [3, 2, 1]


def test_every_edit_is_kept_as_a_revision(editor, article):
    old_title = article.title
    services.article_update(
        actor=editor,
        article=article,
        expected_version=article.version,
        title="Tiêu đề mới",
        category=article.category,
        excerpt=article.excerpt,
        body="<p>Nội dung mới</p>",
        tag_names=["mới"],
    )
    revisions = list(article.revisions.order_by("number"))
    assert revisions[-1].title == "Tiêu đề mới" and revisions[-1].tag_names == ["mới"]
    assert any(r.title == old_title for r in revisions[:-1])


def test_stale_edit_is_refused(editor, article):
    stale = article.version
    kwargs = {
        "actor": editor,
        "article": article,
        "title": "A",
        "category": article.category,
        "excerpt": "B",
        "body": "<p>c</p>",
    }
    services.article_update(expected_version=stale, **kwargs)
    with pytest.raises(ConcurrentEditError):
        services.article_update(expected_version=stale, **kwargs)


def test_moderator_approves_but_cannot_write(moderator, category):
    with pytest.raises(PermissionDenied):
        services.article_create(
            actor=moderator, title="x", category=category, excerpt="y", body="z"
        )


def test_editor_may_approve_and_officer_may_not(make_article, editor):
    article = make_article(publish=False)
    article = services.article_transition(
        actor=editor, article=article, kind="submit", expected_version=article.version
    )
    officer = User.objects.get(username="canbo.a")
    with pytest.raises(PermissionDenied):
        services.article_transition(
            actor=officer, article=article, kind="approve", expected_version=article.version
        )
    article = services.article_transition(
        actor=editor, article=article, kind="approve", expected_version=article.version
    )
    assert article.status == Article.Status.PUBLISHED


def test_a_draft_cannot_be_approved_without_review(make_article, moderator):
    article = make_article(publish=False)
    with pytest.raises(ValidationError):
        services.article_transition(
            actor=moderator, article=article, kind="approve", expected_version=article.version
        )


def test_scheduled_publication_and_unpublication(make_article, editor, moderator):
    article = make_article(publish=False)
    article = services.article_transition(
        actor=editor, article=article, kind="submit", expected_version=article.version
    )
    later = timezone.now() + timedelta(hours=2)
    article = services.article_transition(
        actor=moderator,
        article=article,
        kind=ArticleEvent.Kind.APPROVE,
        expected_version=article.version,
        publish_at=later,
    )
    assert not selectors.live_articles().filter(pk=article.pk).exists()
    assert selectors.live_articles(now=later + timedelta(minutes=1)).filter(pk=article.pk).exists()
    # Unpublishing at a set time.
    Article.objects.filter(pk=article.pk).update(unpublish_at=later + timedelta(days=1))
    assert not selectors.live_articles(now=later + timedelta(days=2)).filter(pk=article.pk).exists()


def test_unpublish_takes_an_article_down_at_once(article, moderator):
    services.article_transition(
        actor=moderator, article=article, kind="unpublish", expected_version=article.version
    )
    assert not selectors.live_articles().filter(pk=article.pk).exists()


def test_search_is_accent_insensitive(make_article):
    make_article("Chăm sóc trẻ sơ sinh", tags=())
    make_article("Luật Trẻ em", tags=(), body="<p>Quyền của trẻ.</p>", excerpt="Pháp luật")
    titles = [a.title for a in selectors.article_search(query="cham soc tre")]
    assert titles == ["Chăm sóc trẻ sơ sinh"]
    assert [a.title for a in selectors.article_search(query="CHĂM SÓC")] == titles
    assert list(selectors.article_search(query="")) == []


def test_search_does_not_find_drafts(make_article):
    make_article("Chăm sóc trẻ sơ sinh", publish=False)
    assert list(selectors.article_search(query="cham soc")) == []


def test_cover_image_needs_alt_text(editor, category):
    from django.core.files.uploadedfile import SimpleUploadedFile

    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
        b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
        b"\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    with pytest.raises(ValidationError) as exc:
        services.article_create(
            actor=editor,
            title="Ảnh",
            category=category,
            excerpt="x",
            body="y",
            cover_image=SimpleUploadedFile("a.png", png, content_type="image/png"),
        )
    assert "cover_alt" in exc.value.message_dict
