"""Writes of the public portal: articles and their workflow, votes, comments and their moderation,
concerns and their hand-over to case management, settings, and the personal-data purge."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _

from treem.accounts.policy import Action, require
from treem.audit.services import audit_record, diff_fields
from treem.core.concurrency import save_versioned
from treem.lib.text import fold, nfc, slugify_vi
from treem.portal import pagecache, security
from treem.portal.intake_bridge import intake_module
from treem.portal.models import (
    Article,
    ArticleEvent,
    ArticleRevision,
    Category,
    Comment,
    CommenterStatus,
    Concern,
    ConcernFormUse,
    PortalSettings,
    Tag,
    Vote,
)
from treem.portal.sanitize import clean_html, html_to_text
from treem.portal.selectors import Figures

log = logging.getLogger(__name__)

# ------------------------------------------------------------------------------------------------
# Articles
# ------------------------------------------------------------------------------------------------

ARTICLE_FIELDS = [
    "title",
    "category",
    "excerpt",
    "body",
    "cover_image",
    "cover_width",
    "cover_height",
    "cover_thumbs",
    "cover_alt",
    "publish_at",
    "unpublish_at",
    "comments_enabled",
    "search_text",
]


# Widths of the smaller copies of a cover image, for `srcset`: a phone (390 px, 2x), a listing
# card, a tablet. The largest kept is COVER_MAX_WIDTH, enough for the article column at 2x.
COVER_THUMB_WIDTHS = (320, 640, 960)
COVER_MAX_WIDTH = 1600
COVER_MAX_PIXELS = 40_000_000


def cover_store(*, article: Article, upload) -> None:
    """Re-encode an uploaded cover and make its thumbnails (Pillow), on the article (not saved).

    Re-encoding drops what the file carried besides the picture (EXIF with the GPS position of a
    photo taken at a child's home, comments, a script hidden in a polyglot file), turns it
    upright, and bounds its size. The cover goes under portal/covers/, the copies under
    portal/thumbs/ with the same name and their width: the only files the public media view
    serves (`views.public_media_view`)."""
    from io import BytesIO

    if not nfc(article.cover_alt or "").strip():
        raise ValidationError(
            {"cover_alt": _("Hãy mô tả ngắn ảnh bìa cho người khiếm thị rồi lưu lại.")}
        )

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.width * probe.height > COVER_MAX_PIXELS:
                raise ValidationError(
                    {"cover_image": _("Ảnh quá lớn; hãy chọn ảnh dưới 40 triệu điểm ảnh.")}
                )
            probe.load()
            image = ImageOps.exif_transpose(probe)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            {"cover_image": _("Tệp không phải là ảnh đọc được; hãy chọn ảnh JPEG, PNG hoặc WebP.")}
        ) from exc
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    image = image.convert("RGB")
    if image.width > COVER_MAX_WIDTH:
        image = image.resize(
            (COVER_MAX_WIDTH, round(image.height * COVER_MAX_WIDTH / image.width)),
            Image.Resampling.LANCZOS,
        )

    def encode(img) -> ContentFile:
        buffer = BytesIO()
        img.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
        return ContentFile(buffer.getvalue())

    stem = "%s/%s" % (timezone.now().strftime("%Y/%m"), security.new_voter_token()[:16])
    name = default_storage.save("portal/covers/%s.jpg" % stem, encode(image))
    # The storage may have altered the name to make it unique: thumbnails follow the saved name.
    stem = name.removeprefix("portal/covers/").removesuffix(".jpg")
    thumbs = []
    for width in COVER_THUMB_WIDTHS:
        if width >= image.width:
            break
        height = round(image.height * width / image.width)
        copy = image.resize((width, height), Image.Resampling.LANCZOS)
        path = default_storage.save("portal/thumbs/%s-%sw.jpg" % (stem, width), encode(copy))
        thumbs.append({"w": width, "h": height, "path": path})
    article.cover_image.name = name
    article.cover_width, article.cover_height = image.width, image.height
    article.cover_thumbs = thumbs


def _unique_slug(model, base: str, *, exclude_pk: int | None = None, max_length: int = 200) -> str:
    base = (base or "bai-viet")[:max_length].strip("-") or "bai-viet"
    slug, n = base, 2
    qs = model.objects.all()
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    while qs.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def category_ensure(*, name: str, description: str = "", position: int = 0) -> Category:
    name = nfc(name)
    category = Category.objects.filter(name=name).first()
    if category is None:
        category = Category(
            name=name,
            slug=_unique_slug(Category, slugify_vi(name)),
            description=description,
            position=position,
        )
        category.full_clean()
        category.save()
        pagecache.invalidate_all()  # the category navigation is on every page
    return category


def tags_ensure(names: list[str]) -> list[Tag]:
    tags = []
    seen = set()
    for raw in names:
        name = nfc(raw)
        if not name or fold(name) in seen:
            continue
        seen.add(fold(name))
        slug = slugify_vi(name)[:100] or "the"
        tag = Tag.objects.filter(slug=slug).first()
        if tag is None:
            tag = Tag.objects.create(name=name, slug=slug)
        tags.append(tag)
    return tags


def _search_text(article: Article, tag_names: list[str]) -> str:
    return fold(
        " ".join([article.title, article.excerpt, " ".join(tag_names), html_to_text(article.body)])
    )


def _revision(article: Article, *, actor, tag_names: list[str]) -> ArticleRevision:
    last = article.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    return ArticleRevision.objects.create(
        article=article,
        number=last + 1,
        title=article.title,
        excerpt=article.excerpt,
        body=article.body,
        category_name=article.category.name,
        tag_names=tag_names,
        cover_alt=article.cover_alt,
        status=article.status,
        created_by=actor,
    )


def _event(article: Article, *, actor, kind: str, from_status: str, details=None) -> None:
    ArticleEvent.objects.create(
        article=article,
        kind=kind,
        from_status=from_status,
        to_status=article.status,
        actor=actor,
        details=details or {},
    )


def _clean_article(article: Article) -> None:
    article.title = nfc(article.title)
    article.excerpt = nfc(article.excerpt)
    article.cover_alt = nfc(article.cover_alt)
    article.body = clean_html(article.body)
    if article.cover_image and not article.cover_alt:
        raise ValidationError(
            {"cover_alt": _("Hãy mô tả ngắn ảnh bìa cho người khiếm thị rồi lưu lại.")}
        )
    if article.publish_at and article.unpublish_at and article.unpublish_at <= article.publish_at:
        raise ValidationError(
            {"unpublish_at": _("Thời điểm gỡ bài phải sau thời điểm xuất bản; hãy chọn lại.")}
        )


@transaction.atomic
def article_create(
    *,
    actor,
    title: str,
    category: Category,
    excerpt: str,
    body: str,
    tag_names: list[str] | None = None,
    cover_image=None,
    cover_alt: str = "",
    publish_at: datetime | None = None,
    unpublish_at: datetime | None = None,
    comments_enabled: bool = True,
    slug: str = "",
) -> Article:
    require(actor, Action.ARTICLE_EDIT)
    article = Article(
        title=title,
        category=category,
        excerpt=excerpt,
        body=body,
        author=actor,
        cover_alt=cover_alt,
        publish_at=publish_at,
        unpublish_at=unpublish_at,
        comments_enabled=comments_enabled,
    )
    if cover_image:
        cover_store(article=article, upload=cover_image)
    _clean_article(article)
    article.slug = _unique_slug(Article, slug or slugify_vi(article.title))
    tags = tags_ensure(tag_names or [])
    names = [t.name for t in tags]
    article.search_text = _search_text(article, names)
    article.full_clean()
    article.save()
    article.tags.set(tags)
    _revision(article, actor=actor, tag_names=names)
    _event(article, actor=actor, kind=ArticleEvent.Kind.CREATE, from_status="")
    audit_record(actor=actor, action="create", obj=article, details={"status": article.status})
    return article


@transaction.atomic
def article_update(
    *,
    actor,
    article: Article,
    expected_version: int,
    title: str,
    category: Category,
    excerpt: str,
    body: str,
    tag_names: list[str] | None = None,
    cover_image=None,
    cover_alt: str = "",
    publish_at: datetime | None = None,
    unpublish_at: datetime | None = None,
    comments_enabled: bool = True,
) -> Article:
    """Edit an article in any state. A published article stays published (a correction); the
    change is kept as a revision like every other."""
    require(actor, Action.ARTICLE_EDIT)
    before = Article.objects.get(pk=article.pk)
    article.title, article.category, article.excerpt, article.body = title, category, excerpt, body
    article.cover_alt = cover_alt
    # A published article keeps its publication time unless a new one is given.
    if publish_at is None and before.status == Article.Status.PUBLISHED:
        publish_at = before.publish_at
    article.publish_at, article.unpublish_at = publish_at, unpublish_at
    article.comments_enabled = comments_enabled
    if isinstance(cover_image, FieldFile):
        pass  # the form's "no new file": the current cover stays
    elif cover_image:
        cover_store(article=article, upload=cover_image)
    elif cover_image is not None:
        # An explicit "" clears the cover (the files are kept, like every earlier version).
        article.cover_image = ""
        article.cover_width = article.cover_height = None
        article.cover_thumbs = []
    _clean_article(article)
    tags = tags_ensure(tag_names or [])
    names = [t.name for t in tags]
    article.search_text = _search_text(article, names)
    article.full_clean(exclude=["slug"])
    save_versioned(article, expected_version=expected_version, fields=ARTICLE_FIELDS)
    article.tags.set(tags)
    _revision(article, actor=actor, tag_names=names)
    _event(article, actor=actor, kind=ArticleEvent.Kind.EDIT, from_status=article.status)
    audit_record(
        actor=actor,
        action="update",
        obj=article,
        changes=diff_fields(before, article, ["title", "category_id", "excerpt", "publish_at"]),
    )
    # Its title and excerpt also show in other articles' "related" lists.
    pagecache.invalidate_all()
    return article


_TRANSITIONS = {
    # kind: (allowed from, to, action required)
    ArticleEvent.Kind.SUBMIT: (
        {Article.Status.DRAFT, Article.Status.UNPUBLISHED},
        Article.Status.IN_REVIEW,
        Action.ARTICLE_EDIT,
    ),
    ArticleEvent.Kind.APPROVE: (
        {Article.Status.IN_REVIEW},
        Article.Status.PUBLISHED,
        Action.ARTICLE_APPROVE,
    ),
    ArticleEvent.Kind.RETURN: (
        {Article.Status.IN_REVIEW},
        Article.Status.DRAFT,
        Action.ARTICLE_APPROVE,
    ),
    ArticleEvent.Kind.UNPUBLISH: (
        {Article.Status.PUBLISHED},
        Article.Status.UNPUBLISHED,
        Action.ARTICLE_APPROVE,
    ),
}


@transaction.atomic
def article_transition(
    *,
    actor,
    article: Article,
    kind: str,
    expected_version: int,
    note: str = "",
    publish_at: datetime | None = None,
) -> Article:
    """Move an article through the workflow: submit, approve (publish now or at `publish_at`),
    return for changes, unpublish. Refuses a move that does not start from the current state."""
    if kind not in _TRANSITIONS:
        raise ValidationError(_("Thao tác này không có trong quy trình biên tập."))
    allowed_from, to_status, action = _TRANSITIONS[kind]
    require(actor, action)
    if article.status not in allowed_from:
        raise ValidationError(
            _(
                "Bài đang ở trạng thái “%(status)s” nên không thể thực hiện thao tác này; "
                "hãy tải lại trang để xem trạng thái mới."
            )
            % {"status": article.get_status_display()}
        )
    from_status = article.status
    article.status = to_status
    fields = ["status"]
    now = timezone.now()
    if kind == ArticleEvent.Kind.APPROVE:
        article.publish_at = publish_at or article.publish_at or now
        if article.unpublish_at and article.unpublish_at <= article.publish_at:
            raise ValidationError(
                _("Thời điểm gỡ bài đã qua hoặc trước thời điểm xuất bản; hãy sửa bài trước.")
            )
        fields.append("publish_at")
    if kind == ArticleEvent.Kind.UNPUBLISH:
        article.unpublish_at = None
        fields.append("unpublish_at")
    save_versioned(article, expected_version=expected_version, fields=fields)
    names = list(article.tags.values_list("name", flat=True))
    _revision(article, actor=actor, tag_names=names)
    _event(
        article,
        actor=actor,
        kind=kind,
        from_status=from_status,
        details={"note": nfc(note)} if note else {},
    )
    audit_record(
        actor=actor,
        action="other",
        obj=article,
        changes={"status": [from_status, to_status]},
        details={"transition": kind},
    )
    pagecache.invalidate_all()
    return article


# ------------------------------------------------------------------------------------------------
# Votes
# ------------------------------------------------------------------------------------------------


class VoteRateLimited(ValidationError):
    pass


@dataclass
class VoteResult:
    vote: Vote
    created: bool
    # The article's figures with this vote counted, when the vote's statement read them
    # (PostgreSQL, the vote its own transaction); None: read them afterwards.
    figures: Figures | None = None


# The live article of a slug, as `Article.is_live` says it (%s: slug, now, now).
_LIVE_ARTICLE = (
    "SELECT id FROM portal_article WHERE slug = %s AND status = 'published' "
    "AND publish_at <= %s AND (unpublish_at IS NULL OR unpublish_at > %s)"
)
# A returning reader changes their live vote on the live article.
_VOTE_UPDATE = " ".join(
    (
        "UPDATE portal_vote SET stars = %s, updated_at = %s",
        "WHERE article_id = (",
        _LIVE_ARTICLE,
        ") AND voter_token = %s AND voided_at IS NULL RETURNING id, article_id",
    )
)
# A first vote on the live article, written only while the address sent fewer than
# `votes_per_hour` votes in the hour (the moderators' setting, its default when no row was
# saved); turned into an update if a concurrent first vote of the same reader won the partial
# unique index (one live vote per reader and article).
_VOTE_INSERT = " ".join(
    (
        "INSERT INTO portal_vote (article_id, stars, voter_token, ip_hash, created_at, updated_at)",
        "SELECT a.id, %s, %s, %s, %s, %s FROM (",
        _LIVE_ARTICLE,
        ") a WHERE (SELECT COUNT(*) FROM portal_vote WHERE ip_hash = %s AND updated_at >= %s) <",
        "COALESCE((SELECT votes_per_hour FROM portal_portalsettings WHERE id = 1), %s)",
        "ON CONFLICT (article_id, voter_token) WHERE voided_at IS NULL",
        "DO UPDATE SET stars = excluded.stars, updated_at = excluded.updated_at",
        "RETURNING id, article_id, created_at = updated_at",
    )
)


# PostgreSQL: the same statements, committed without waiting for the write-ahead log to reach
# the disk ("asynchronous commit", chosen here for the statement's own transaction only:
# set_config(..., is_local => true) lasts until that transaction ends). The one-row CTE is joined
# so that it runs; SET LOCAL in a transaction of its own would cost three more round trips.
# Measured with bench/portal.py on PostgreSQL: the WAL flush was a third of a vote's time. What a
# crash of the database server can cost is the votes of its last fraction of a second (at most
# three times `wal_writer_delay`), never consistency: a vote is worth that, a child's record is
# not, so nothing else commits this way, and a vote inside a caller's transaction does not.
_ASYNC = "WITH _async AS MATERIALIZED (SELECT set_config('synchronous_commit', 'off', true)) "
# ... and the article's figures as they are once the vote is in, read in the same statement (one
# round trip fewer than a query after the vote). The statement sees the database as it was before
# it: the figures' row (`ArticleRating`, kept by triggers) without this vote, less this reader's
# earlier live vote if they had one (found by the one-vote-per-reader index): the other readers'
# votes, to which `_figures_with` adds this one. Their parameters follow the vote's: the approved
# comment status, the voter token.
_FIGURES_AFTER = " ".join(
    (
        ") SELECT v.*, COALESCE(r.stars_total, 0) - p.stars, COALESCE(r.votes, 0) - p.n,",
        "(SELECT COUNT(*) FROM portal_comment c",
        "WHERE c.article_id = v.article_id AND c.status = %s)",
        "FROM v LEFT JOIN portal_articlerating r ON r.article_id = v.article_id",
        "CROSS JOIN LATERAL (SELECT COALESCE(SUM(o.stars), 0) AS stars, COUNT(*) AS n",
        "FROM portal_vote o WHERE o.article_id = v.article_id AND o.voided_at IS NULL",
        "AND o.voter_token = %s) p",
    )
)
_VOTE_UPDATE_ASYNC = (
    _ASYNC
    + ", v AS ("
    + _VOTE_UPDATE.replace("WHERE article_id", "FROM _async WHERE article_id")
    + _FIGURES_AFTER
)
_VOTE_INSERT_ASYNC = (
    _ASYNC
    + ", v AS ("
    + _VOTE_INSERT.replace(") a WHERE", ") a CROSS JOIN _async WHERE").replace(
        "created_at = updated_at", "created_at = updated_at AS created"
    )
    + _FIGURES_AFTER
)


def _vote_statements(connection) -> tuple[str, str]:
    """(update, insert): on PostgreSQL, when the vote is its own transaction (autocommit), the
    asynchronous ones, which also return the figures; the plain ones otherwise (SQLite, or inside
    a caller's transaction, whose other writes keep their durability)."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        return _VOTE_UPDATE_ASYNC, _VOTE_INSERT_ASYNC
    return _VOTE_UPDATE, _VOTE_INSERT


def _figures_with(row, stars: int) -> Figures:
    """The figures of an asynchronous statement's row (…, others' total, others' count,
    approved comments), this vote included."""
    total, n, comments = row[-3:]
    return Figures(average=(total + stars) / (n + 1), votes=n + 1, comments=comments)


def _vote_save(*, slug, stars, voter_token, ip_key, now, new_reader) -> VoteResult | None:
    """The vote in one statement (two when a returning reader votes on another article): the
    article is found by its slug and checked live, the address's hourly limit counted and the
    row written by the database in the same statement, so nothing is read beforehand (neither
    the article nor the settings) and concurrent votes cannot slip between a check and a write.
    Raw SQL, which PostgreSQL and SQLite (3.35+) both run: these statements run on every vote of
    a viral article, and the ORM spent longer building them than the database running them.
    None: nothing written (the article is not live, or the address is over its limit)."""
    from django.db import connection

    at = connection.ops.adapt_datetimefield_value(now)
    update, insert = _vote_statements(connection)
    with_figures = update is _VOTE_UPDATE_ASYNC
    tail = [Comment.Status.APPROVED.value, voter_token] if with_figures else []
    with connection.cursor() as cursor:
        if not new_reader:
            # A token made for this request has no vote yet: only a returning reader's vote is
            # looked for, and changed in the same statement.
            cursor.execute(update, [stars, at, slug, at, at, voter_token, *tail])
            row = cursor.fetchone()
            if row is not None:
                vote = _vote(row[0], row[1], slug, stars, voter_token, now)
                figures = _figures_with(row, stars) if with_figures else None
                return VoteResult(vote=vote, created=False, figures=figures)
        since = connection.ops.adapt_datetimefield_value(now - timedelta(hours=1))
        default_limit = PortalSettings._meta.get_field("votes_per_hour").default
        cursor.execute(
            insert,
            [stars, voter_token, ip_key, at, at, slug, at, at, ip_key, since, default_limit, *tail],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    # A row created at another moment than this vote's: a concurrent first vote of the same
    # reader was there first, and this one changed it.
    created = bool(row[2])
    return VoteResult(
        vote=_vote(row[0], row[1], slug, stars, voter_token, now),
        created=created,
        figures=_figures_with(row, stars) if with_figures else None,
    )


def _vote(pk, article_id, slug, stars, voter_token, now) -> Vote:
    return Vote(
        pk=pk,
        article=Article(pk=article_id, slug=slug),
        stars=stars,
        voter_token=voter_token,
        updated_at=now,
    )


def vote_cast_by_slug(
    *, slug: str, stars: int, voter_token: str, ip_address: str | None, new_reader: bool = False
) -> VoteResult:
    """Record a reader's rating of the live article with this slug; a reader who already voted on
    it (same cookie) changes that vote instead of adding one. The reader is their own cookie,
    never their address: readers behind one address (a school, an office, a mobile network) each
    have their own vote, and no reader is ever handed another's token. The address only caps how
    many new votes it sends per hour (`votes_per_hour`), which bounds a reader who clears their
    cookies; a reader changing their own vote is never refused.

    One statement in most cases (a new reader's INSERT, a returning reader's UPDATE), in
    autocommit; then the article's cached pages are renewed."""
    if not isinstance(stars, int) or isinstance(stars, bool) or not 1 <= stars <= 5:
        raise ValidationError({"stars": _("Hãy chọn từ 1 đến 5 sao rồi gửi lại.")})
    if not voter_token or len(voter_token) > Vote._meta.get_field("voter_token").max_length:
        raise ValidationError(_("Không lưu được đánh giá lúc này; hãy thử lại."))
    now = timezone.now()
    result = _vote_save(
        slug=slug,
        stars=stars,
        voter_token=voter_token,
        ip_key=security.ip_hash(ip_address),
        now=now,
        new_reader=new_reader,
    )
    if result is None:
        live = Article.objects.filter(slug=slug, status=Article.Status.PUBLISHED).first()
        if live is None or not live.is_live(now):
            raise ValidationError(_("Bài viết này không còn nhận đánh giá."))
        raise VoteRateLimited(
            _("Bạn đã đánh giá nhiều bài trong một giờ qua. Hãy đợi một lúc rồi đánh giá tiếp."),
            code="rate_limited",
        )
    # Committed (unless a caller's transaction is open): the page shows the new figures.
    pagecache.invalidate_article(slug)
    return result


def vote_cast(
    *,
    article: Article,
    stars: int,
    voter_token: str,
    ip_address: str | None,
    new_reader: bool = False,
    settings_row: PortalSettings | None = None,
) -> VoteResult:
    """`vote_cast_by_slug` for an article at hand (the settings are read by the statement
    itself; `settings_row` is accepted for callers that have it)."""
    if not article.is_live():
        raise ValidationError(_("Bài viết này không còn nhận đánh giá."))
    return vote_cast_by_slug(
        slug=article.slug,
        stars=stars,
        voter_token=voter_token,
        ip_address=ip_address,
        new_reader=new_reader,
    )


@transaction.atomic
def votes_void(*, actor, votes: QuerySet[Vote], reason: str = "") -> int:
    """Void suspicious votes; figures are aggregates of the live votes, so they follow at once."""
    require(actor, Action.COMMENT_MODERATE)
    ids = list(votes.filter(voided_at__isnull=True).values_list("id", flat=True))
    if not ids:
        return 0
    Vote.objects.filter(id__in=ids).update(voided_at=timezone.now(), voided_by=actor)
    article_ids = sorted(set(Vote.objects.filter(id__in=ids).values_list("article_id", flat=True)))
    for slug in Article.objects.filter(id__in=article_ids).values_list("slug", flat=True):
        pagecache.invalidate_article(slug)
    audit_record(
        actor=actor,
        action="other",
        object_type="portal.vote",
        details={"voided": len(ids), "articles": article_ids, "reason_length": len(reason)},
    )
    return len(ids)


# ------------------------------------------------------------------------------------------------
# Comments
# ------------------------------------------------------------------------------------------------

_LINK = re.compile(r"(https?://|www\.)", re.IGNORECASE)


@dataclass
class Outcome:
    """What became of a public submission: "approved", "held" or "discarded" (bots only)."""

    status: str
    obj: object | None = None
    reasons: list[str] = field(default_factory=list)


def comments_open(article: Article, settings_row: PortalSettings, now=None) -> bool:
    if not article.comments_enabled or not article.is_live(now):
        return False
    days = settings_row.comments_close_days
    if days == 0:
        return True
    return (now or timezone.now()) < article.publish_at + timedelta(days=days)


def _contains_word(folded_text: str, words: list[str]) -> bool:
    padded = f" {re.sub(r'[^0-9a-z]+', ' ', folded_text)} "
    return any(f" {re.sub(r'[^0-9a-z]+', ' ', w).strip()} " in padded for w in words)


def _flood_wait(
    qs: QuerySet, *, ip_address: str | None, ip_field: str, extra: Q | None, interval: int
) -> int:
    """Seconds left before this address (or contact) may submit again; 0 if it may now."""
    if interval <= 0:
        return 0
    since = timezone.now() - timedelta(seconds=interval)
    cond = Q()
    if ip_address:
        cond |= Q(**{ip_field: ip_address})
    if extra is not None:
        cond |= extra
    if not cond:
        return 0
    last = qs.filter(cond, created_at__gte=since).order_by("-created_at").first()
    if last is None:
        return 0
    return max(1, int((last.created_at - since).total_seconds()))


def comment_submit(
    *,
    article: Article,
    name: str,
    email: str,
    body: str,
    website: str = "",
    parent_id: int | None = None,
    notify_replies: bool = False,
    ip_address: str | None,
    form_age: float | None,
    honeypot: str = "",
    base_url: str = "",
) -> Outcome:
    """Apply the moderation rules to a new comment, in this order: closed, bot traps, flood,
    block list (rejected), then hold rules (link limit, watch list, first comment)."""
    cfg = PortalSettings.effective()
    now = timezone.now()
    if not comments_open(article, cfg, now):
        raise ValidationError(_("Bài viết này đã đóng bình luận."), code="closed")
    if honeypot:
        # Only a program fills a field people cannot see: answer as if held, store nothing.
        return Outcome(status="discarded", reasons=["honeypot"])
    if form_age is None or form_age < cfg.min_fill_seconds:
        raise ValidationError(
            _(
                "Bình luận được gửi quá nhanh hoặc biểu mẫu đã hết hạn. Hãy đọc lại bình luận, "
                "đợi vài giây rồi gửi lại."
            ),
            code="too_fast",
        )
    name = nfc(name)
    _refuse_invisible("author_name", name)
    email = nfc(email).lower()
    e_hash = security.email_hash(email)
    wait = _flood_wait(
        Comment.objects.all(),
        ip_address=ip_address,
        ip_field="ip_address",
        extra=Q(email_hash=e_hash),
        interval=cfg.flood_interval_seconds,
    )
    if wait:
        raise ValidationError(
            _("Bạn vừa gửi một bình luận. Hãy đợi %(seconds)s giây rồi gửi tiếp.")
            % {"seconds": wait},
            code="flood",
        )
    body = (body or "").replace("\r\n", "\n").strip()
    folded = fold(f"{name} {body} {website}")
    if _contains_word(folded, cfg.block_list):
        raise ValidationError(
            _(
                "Bình luận có từ ngữ không được phép trên cổng thông tin. Hãy sửa lại nội dung "
                "rồi gửi."
            ),
            code="blocked",
        )
    parent = None
    depth = 1
    if parent_id:
        parent = Comment.objects.filter(
            pk=parent_id, article=article, status=Comment.Status.APPROVED
        ).first()
        if parent is None:
            raise ValidationError(_("Bình luận bạn muốn trả lời không còn; hãy tải lại trang."))
        # Replies deeper than the set depth attach to the deepest allowed ancestor.
        while parent is not None and parent.depth >= cfg.reply_depth:
            parent = parent.parent
        depth = parent.depth + 1 if parent else 1
    reasons = []
    if len(_LINK.findall(body)) + (1 if website else 0) > cfg.link_limit:
        reasons.append("links")
    if _contains_word(folded, cfg.watch_list):
        reasons.append("watch_word")
    if not CommenterStatus.objects.filter(email_hash=e_hash).exists():
        reasons.append("first_comment")
    comment = Comment(
        article=article,
        parent=parent,
        depth=depth,
        author_name=nfc(name),
        author_email=email,
        email_hash=e_hash,
        author_website=website,
        body=body,
        notify_replies=notify_replies,
        ip_address=ip_address,
        status=Comment.Status.PENDING if reasons else Comment.Status.APPROVED,
        hold_reasons=reasons,
        created_at=now,
    )
    comment.full_clean()
    with transaction.atomic():
        comment.save()
        if comment.status == Comment.Status.APPROVED:
            pagecache.invalidate_article(article.slug)
            _queue_reply_notification(comment, base_url=base_url)
    return Outcome(
        status="approved" if comment.status == Comment.Status.APPROVED else "held",
        obj=comment,
        reasons=reasons,
    )


def _queue_reply_notification(comment: Comment, *, base_url: str) -> None:
    parent = comment.parent
    if (
        parent is None
        or not parent.notify_replies
        or not parent.author_email
        or parent.email_hash == comment.email_hash
    ):
        return

    def send():
        from treem.portal.tasks import send_reply_notification

        try:
            send_reply_notification.enqueue(comment.pk, base_url)
        except Exception:
            log.exception("portal.reply_notification_enqueue_failed")

    transaction.on_commit(send)


class ModerationAction:
    APPROVE = "approve"
    SPAM = "spam"
    DELETE = "delete"
    ALL = (APPROVE, SPAM, DELETE)


@transaction.atomic
def comments_moderate(
    *, actor, comments: QuerySet[Comment], action: str, base_url: str = ""
) -> int:
    """Approve, mark as spam or delete comments (one or many). Approving a comment approves its
    author, whose next comments are published at once."""
    require(actor, Action.COMMENT_MODERATE)
    if action not in ModerationAction.ALL:
        raise ValidationError(_("Hãy chọn một thao tác kiểm duyệt: duyệt, thư rác hoặc xoá."))
    items = list(comments.select_related("parent", "article"))
    now = timezone.now()
    for slug in {c.article.slug for c in items}:
        pagecache.invalidate_article(slug)
    for comment in items:
        if action == ModerationAction.DELETE:
            comment.delete()
            continue
        was_approved = comment.status == Comment.Status.APPROVED
        comment.status = (
            Comment.Status.APPROVED if action == ModerationAction.APPROVE else Comment.Status.SPAM
        )
        comment.moderated_at, comment.moderated_by = now, actor
        comment.save(update_fields=["status", "moderated_at", "moderated_by"])
        if action == ModerationAction.APPROVE:
            CommenterStatus.objects.get_or_create(email_hash=comment.email_hash)
            if not was_approved:
                _queue_reply_notification(comment, base_url=base_url)
        else:
            CommenterStatus.objects.filter(email_hash=comment.email_hash).delete()
    if items:
        audit_record(
            actor=actor,
            action="delete" if action == ModerationAction.DELETE else "update",
            object_type="portal.comment",
            details={"moderation": action, "count": len(items)},
        )
    return len(items)


def comment_unsubscribe(*, token: str) -> int:
    """One-click unsubscription from reply notifications (every comment of that email)."""
    e_hash = security.unsubscribe_email_hash(token)
    if not e_hash:
        raise ValidationError(
            _("Liên kết huỷ nhận thư không hợp lệ. Hãy dùng đúng liên kết trong email.")
        )
    return Comment.objects.filter(email_hash=e_hash, notify_replies=True).update(
        notify_replies=False
    )


# ------------------------------------------------------------------------------------------------
# Concerns
# ------------------------------------------------------------------------------------------------


def _refuse_invisible(field_name: str, value: str) -> None:
    """Names shown to staff or to the public must read as typed (see `security.invisible_chars`)."""
    codes = security.invisible_chars(value)
    if codes:
        raise ValidationError(
            {
                field_name: _(
                    "Tên có ký tự ẩn hoặc ký tự đảo chiều văn bản (%(chars)s). Hãy gõ lại tên "
                    "bằng bàn phím, không dán từ nơi khác, rồi gửi lại."
                )
                % {"chars": ", ".join(codes)}
            },
            code="invisible",
        )


def concern_caps() -> dict[str, int]:
    """The flood caps of the concern form (settings, see .env.example)."""
    return {
        "per_address": int(getattr(settings, "PORTAL_CONCERN_MAX_PER_ADDRESS", 3)),
        "window_minutes": int(getattr(settings, "PORTAL_CONCERN_WINDOW_MINUTES", 60)),
        "token_max_age": int(getattr(settings, "PORTAL_CONCERN_FORM_MAX_AGE_HOURS", 24)) * 3600,
    }


# The review of a held concern: from each state, the decisions a case-working officer of the
# concern's commune or province may take (`access.can_see_concerns`). Read by the service, the
# staff page and its template.
CONCERN_REVIEW_TRANSITIONS: dict[str, dict] = {
    Concern.Review.WAITING: {
        "next": (Concern.Review.RELEASED, Concern.Review.DISMISSED),
        "role": Action.CASE_WORK,
    },
    Concern.Review.DISMISSED: {"next": (Concern.Review.RELEASED,), "role": Action.CASE_WORK},
}


def concern_review_choices(concern: Concern) -> tuple[str, ...]:
    return CONCERN_REVIEW_TRANSITIONS.get(concern.review, {}).get("next", ())


def _concern_flood_reasons(
    *, ip_address: str | None, contact: Q, nonce: str | None, cfg: PortalSettings
) -> list[str]:
    reasons = []
    caps = concern_caps()
    if ip_address:
        since = timezone.now() - timedelta(minutes=caps["window_minutes"])
        recent = Concern.objects.filter(ip_address=ip_address, created_at__gte=since).count()
        if recent >= caps["per_address"]:
            reasons.append("address_cap")
    if _flood_wait(
        Concern.objects.all(),
        ip_address=ip_address,
        ip_field="ip_address",
        extra=contact or None,
        interval=cfg.flood_interval_seconds,
    ):
        reasons.append("flood")
    if nonce is None:
        reasons.append("token_invalid")
    else:
        try:
            # A savepoint: the failed insert must not spoil the surrounding transaction.
            with transaction.atomic():
                ConcernFormUse.objects.create(nonce=nonce)
        except IntegrityError:
            reasons.append("token_reused")
    return reasons


def concern_submit(
    *,
    what_happened: str,
    commune,
    province=None,
    village=None,
    happened_on: date | None = None,
    child_description: str = "",
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_email: str = "",
    is_anonymous: bool = False,
    ip_address: str | None,
    form_token: str | None,
    honeypot: str = "",
) -> Concern:
    """Store a concern; hand it to case management unless an abuse protection tripped.

    Protections: the bot trap, the minimum time to fill the form, at most
    `PORTAL_CONCERN_MAX_PER_ADDRESS` concerns per address in `PORTAL_CONCERN_WINDOW_MINUTES`, the
    flood interval per address or contact, and a signed form token good for one submission. A
    concern that trips one is kept and waits for an officer's review (it reaches a person, not a
    case, and sends no notification): a flood cannot become cases, and a real report is never
    lost, whoever filled the form."""
    cfg = PortalSettings.effective()
    reporter_name = nfc(reporter_name)
    _refuse_invisible("reporter_name", reporter_name)
    if village is not None and village.commune_id != commune.code:
        raise ValidationError({"village": _("Thôn, ấp này không thuộc xã đã chọn; hãy chọn lại.")})
    token = security.concern_form_token_read(form_token, max_age=concern_caps()["token_max_age"])
    nonce, form_age = token if token else (None, None)
    if is_anonymous:
        reporter_name = reporter_phone = reporter_email = ""
    contact = Q()
    if reporter_phone:
        contact |= Q(reporter_phone=nfc(reporter_phone))
    if reporter_email:
        contact |= Q(reporter_email=nfc(reporter_email).lower())
    with transaction.atomic():
        reasons = []
        if honeypot:
            reasons.append("honeypot")
        if form_age is not None and form_age < cfg.min_fill_seconds:
            reasons.append("too_fast")
        reasons += _concern_flood_reasons(
            ip_address=ip_address, contact=contact, nonce=nonce, cfg=cfg
        )
        concern = Concern(
            what_happened=(what_happened or "").strip(),
            province=province or commune.province,
            commune=commune,
            village=village,
            happened_on=happened_on,
            child_description=(child_description or "").strip(),
            reporter_name=reporter_name,
            reporter_phone=nfc(reporter_phone),
            reporter_email=nfc(reporter_email).lower(),
            is_anonymous=is_anonymous,
            is_held=bool(reasons),
            hold_reasons=reasons,
            review=Concern.Review.WAITING if reasons else Concern.Review.NONE,
            form_nonce=nonce or "",
            ip_address=ip_address,
        )
        for _attempt in range(5):
            concern.tracking_code = security.new_tracking_code()
            if not Concern.objects.filter(tracking_code=concern.tracking_code).exists():
                break
        concern.full_clean()
        concern.save()
        audit_record(
            actor=None,
            action="create",
            obj=concern,
            details={"held": concern.is_held, "reasons": reasons, "commune": commune.code},
        )
        if not reasons:
            transaction.on_commit(lambda: _forward_soon(concern.pk))
    return concern


@transaction.atomic
def concern_review(*, actor, concern: Concern, decision: str) -> Concern:
    """An officer's decision on a held concern: release it to case management (a report is made
    and routed as usual) or dismiss it (kept, listed as dismissed, can still be released)."""
    rule = CONCERN_REVIEW_TRANSITIONS.get(concern.review)
    require(actor, rule["role"] if rule else Action.CASE_WORK)
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if decision not in concern_review_choices(concern):
        raise ValidationError(
            _(
                "Tin báo này đang ở trạng thái “%(state)s” nên không thể làm thao tác này; hãy "
                "tải lại trang."
            )
            % {"state": concern.get_review_display()}
        )
    before = concern.review
    concern.review = decision
    concern.reviewed_at, concern.reviewed_by = timezone.now(), actor
    concern.save(update_fields=["review", "reviewed_at", "reviewed_by"])
    audit_record(
        actor=actor,
        action="update",
        obj=concern,
        changes={"review": [before, decision]},
    )
    if decision == Concern.Review.RELEASED:
        pk = concern.pk
        transaction.on_commit(lambda: _forward_soon(pk))
    return concern


def _forward_soon(concern_id: int) -> None:
    from treem.portal.tasks import forward_concern

    try:
        forward_concern.enqueue(concern_id)
    except Exception:
        log.exception("portal.concern_forward_enqueue_failed")


FORWARDABLE_REVIEW = (Concern.Review.NONE, Concern.Review.RELEASED)


def concern_forward(*, concern_id: int) -> bool:
    """Hand one concern to case management. A failure is recorded on the concern (never raised):
    the concern stays in the portal's list for commune workers and is retried."""
    intake = intake_module()
    if intake is None:
        return False
    concern = Concern.objects.filter(pk=concern_id).first()
    if concern is None or concern.forwarded_at is not None:
        return concern is not None
    if concern.review not in FORWARDABLE_REVIEW:
        # Held for an officer's review: `concern_review` forwards it when released.
        return False
    try:
        with transaction.atomic():
            intake.report_from_concern(concern=concern)
            Concern.objects.filter(pk=concern.pk).update(
                intake_status=Concern.IntakeStatus.FORWARDED,
                forwarded_at=timezone.now(),
                intake_attempts=concern.intake_attempts + 1,
                intake_error="",
            )
    except Exception as exc:
        log.exception("portal.concern_forward_failed", extra={"concern": concern.pk})
        Concern.objects.filter(pk=concern.pk).update(
            intake_status=Concern.IntakeStatus.FAILED,
            intake_attempts=concern.intake_attempts + 1,
            intake_error=f"{type(exc).__name__}: {exc}"[:300],
        )
        return False
    return True


def concerns_forward_pending(*, limit: int = 500) -> dict[str, int]:
    ids = list(
        Concern.objects.filter(forwarded_at__isnull=True, review__in=FORWARDABLE_REVIEW)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    ok = sum(1 for pk in ids if concern_forward(concern_id=pk))
    return {"pending": len(ids), "forwarded": ok, "failed": len(ids) - ok}


# ------------------------------------------------------------------------------------------------
# Settings and retention
# ------------------------------------------------------------------------------------------------

SETTINGS_FIELDS = [
    "reply_depth",
    "link_limit",
    "watch_words",
    "block_words",
    "comments_close_days",
    "retention_days",
    "flood_interval_seconds",
    "min_fill_seconds",
    "votes_per_hour",
]


@transaction.atomic
def portal_settings_update(*, actor, **values) -> PortalSettings:
    require(actor, Action.COMMENT_MODERATE)
    row = PortalSettings.effective()
    before = {name: getattr(row, name) for name in SETTINGS_FIELDS}
    for name, value in values.items():
        if name not in SETTINGS_FIELDS:
            raise ValidationError(_("Cài đặt “%(name)s” không tồn tại.") % {"name": name})
        setattr(row, name, value)
    if row.reply_depth < 1:
        raise ValidationError({"reply_depth": _("Số tầng trả lời phải từ 1 trở lên.")})
    row.updated_by = actor
    row.full_clean()
    row.save()
    pagecache.invalidate_all()  # reply depth, comments closing: the comment form of every page
    audit_record(
        actor=actor, action="update", obj=row, changes=diff_fields(before, row, SETTINGS_FIELDS)
    )
    return row


@transaction.atomic
def personal_data_purge(*, now: datetime | None = None) -> dict[str, int]:
    """Clear commenters' emails and addresses, and concern senders' addresses, older than the
    retention period. The keyed email hash stays (approval, unsubscription); the comment text
    and name, which were published, stay."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=PortalSettings.effective().retention_days)
    comments = Comment.objects.filter(created_at__lt=cutoff, personal_data_purged_at__isnull=True)
    n_comments = comments.update(author_email="", ip_address=None, personal_data_purged_at=now)
    n_concerns = Concern.objects.filter(created_at__lt=cutoff, ip_address__isnull=False).update(
        ip_address=None
    )
    if n_comments or n_concerns:
        audit_record(
            actor=None,
            action="delete",
            object_type="portal.personal_data",
            details={"comments": n_comments, "concerns": n_concerns},
        )
    return {"comments": n_comments, "concerns": n_concerns}
