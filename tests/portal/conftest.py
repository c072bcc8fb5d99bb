from __future__ import annotations

import secrets
import time
from datetime import timedelta

import pytest
from django.core import signing
from django.core.cache import cache
from django.utils import timezone

from treem.accounts.models import User
from treem.portal import services
from treem.portal.models import ArticleEvent, PortalSettings
from treem.portal.security import CONCERN_TOKEN_SALT, FORM_TS_SALT


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def editor(db) -> User:
    return User.objects.get(username="bientap")


@pytest.fixture
def moderator(db) -> User:
    return User.objects.get(username="kiemduyet")


@pytest.fixture
def editor_client(client_for):
    return client_for("bientap")


@pytest.fixture
def moderator_client(client_for):
    return client_for("kiemduyet")


@pytest.fixture
def category(db):
    return services.category_ensure(name="Mẹ và bé", description="Chăm sóc mẹ và bé.")


@pytest.fixture
def cfg(db) -> PortalSettings:
    return PortalSettings.effective()


@pytest.fixture
def make_article(db, editor, moderator, category):
    def make(
        title: str = "Chăm sóc trẻ em mùa nắng nóng",
        *,
        body: str = "<p>Cho trẻ uống đủ nước.</p>",
        tags=("chăm sóc trẻ em",),
        publish: bool = True,
        days_ago: float = 1,
        **kwargs,
    ):
        article = services.article_create(
            actor=editor,
            title=title,
            category=kwargs.pop("category", category),
            excerpt=kwargs.pop("excerpt", "Những điều cha mẹ cần biết khi trời nóng."),
            body=body,
            tag_names=list(tags),
            **kwargs,
        )
        if publish:
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
                publish_at=timezone.now() - timedelta(days=days_ago),
            )
        return article

    return make


@pytest.fixture
def article(make_article):
    return make_article()


def aged_ts(seconds: int = 30) -> str:
    """A signed form timestamp from `seconds` ago (the form was read before being sent)."""
    return signing.dumps(int(time.time()) - seconds, salt=FORM_TS_SALT)


def concern_token(seconds: int = 30, nonce: str | None = None) -> str:
    """A signed concern-form token shown `seconds` ago, with a fresh nonce unless given."""
    payload = {"n": nonce or secrets.token_hex(16), "t": int(time.time()) - seconds}
    return signing.dumps(payload, salt=CONCERN_TOKEN_SALT)


def comment_data(**overrides) -> dict:
    data = {
        "author_name": "Nguyễn Thị Lan",
        "author_email": "lan.secret@example.org",
        "author_website": "",
        "body": "Bài viết rất hữu ích cho các mẹ.",
        "homepage": "",
        "ts": aged_ts(),
    }
    data.update(overrides)
    return data


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Run tasks inline, as the demo and tests do (TASKS_BACKEND=immediate)."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
