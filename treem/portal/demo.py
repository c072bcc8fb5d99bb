"""Demo content of the portal for `manage.py seed_demo`: the four categories, a dozen original
articles (see demo_articles.py), a draft and an article in review, and some votes and comments.

Deterministic (a seeded random generator; publication dates counted back from the first seeding)
and idempotent (an article that exists by slug is left as it is, with its votes and comments).
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from treem.lib.text import slugify_vi
from treem.portal import security, services
from treem.portal.demo_articles import (
    ARTICLES,
    CATEGORIES,
    COMMENT_TEXTS,
    COMMENTERS,
    REPLY_TEXTS,
    UNPUBLISHED,
)
from treem.portal.models import Article, ArticleEvent, Comment, CommenterStatus, Vote


def seed(ctx) -> None:
    rng = random.Random(20260611)  # noqa: S311 - demo data, not security
    editor = ctx.users["bientap"]
    moderator = ctx.users["kiemduyet"]
    categories = {
        name: services.category_ensure(name=name, description=desc, position=i)
        for i, (name, desc) in enumerate(CATEGORIES)
    }
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    for cat, title, tags, excerpt, body, days_ago in ARTICLES:
        if Article.objects.filter(slug=slugify_vi(title)).exists():
            continue
        article = services.article_create(
            actor=editor,
            title=title,
            category=categories[cat],
            excerpt=excerpt,
            body=body,
            tag_names=tags,
            cover_image=_demo_cover(rng),
            cover_alt=_("Hình minh hoạ trừu tượng cho bài “%(title)s”") % {"title": title},
        )
        article = services.article_transition(
            actor=editor,
            article=article,
            kind=ArticleEvent.Kind.SUBMIT,
            expected_version=article.version,
        )
        article = services.article_transition(
            actor=moderator,
            article=article,
            kind=ArticleEvent.Kind.APPROVE,
            expected_version=article.version,
            publish_at=now - timedelta(days=days_ago, hours=rng.randint(0, 8)),
        )
        _votes(article, rng)
        _comments(article, rng)
    for cat, title, tags, excerpt, body, status in UNPUBLISHED:
        if Article.objects.filter(slug=slugify_vi(title)).exists():
            continue
        article = services.article_create(
            actor=editor,
            title=title,
            category=categories[cat],
            excerpt=excerpt,
            body=body,
            tag_names=tags,
        )
        if status == "in_review":
            services.article_transition(
                actor=editor,
                article=article,
                kind=ArticleEvent.Kind.SUBMIT,
                expected_version=article.version,
            )


# Soft colours of a children's-services site; pictures of real children are never used (Decree
# 56/2017 protects a child's image), so demo covers are abstract shapes drawn here.
_PALETTE = ["#f4a261", "#e9c46a", "#2a9d8f", "#8ab17d", "#e76f51", "#90bede", "#cdb4db"]


def _demo_cover(rng: random.Random):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw, ImageFilter

    width, height = 1600, 900
    base = Image.new("RGB", (width, height), rng.choice(_PALETTE))
    draw = ImageDraw.Draw(base)
    for _i in range(9):
        r = rng.randint(90, 320)
        x, y = rng.randint(-100, width), rng.randint(-100, height)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=rng.choice(_PALETTE))
    base = base.filter(ImageFilter.GaussianBlur(6))
    buffer = BytesIO()
    base.save(buffer, "JPEG", quality=85)
    return SimpleUploadedFile("bia.jpg", buffer.getvalue(), content_type="image/jpeg")


def _votes(article: Article, rng: random.Random) -> None:
    for i in range(rng.randint(3, 14)):
        at = article.publish_at + timedelta(hours=rng.randint(1, 40))
        Vote.objects.create(
            article=article,
            stars=rng.choice([3, 4, 4, 5, 5, 5]),
            voter_token="demo%028x" % rng.getrandbits(112),
            ip_hash=security.ip_hash("198.51.100.%d" % (i + 1)),
            created_at=at,
            updated_at=at,
        )


def _comments(article: Article, rng: random.Random) -> None:
    previous = None
    for _i in range(rng.randint(0, 3)):
        name, email = rng.choice(COMMENTERS)
        parent = previous if previous is not None and rng.random() < 0.4 else None
        e_hash = security.email_hash(email)
        comment = Comment.objects.create(
            article=article,
            parent=parent,
            depth=parent.depth + 1 if parent else 1,
            author_name=name,
            author_email=email,
            email_hash=e_hash,
            body=rng.choice(REPLY_TEXTS if parent else COMMENT_TEXTS),
            status=Comment.Status.APPROVED,
            created_at=article.publish_at + timedelta(hours=rng.randint(2, 30)),
        )
        CommenterStatus.objects.get_or_create(email_hash=e_hash)
        previous = comment
