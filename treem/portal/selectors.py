"""Reads of the portal. Public selectors return only what may be shown to anyone (live articles,
approved comments, figures); staff selectors check the role."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils import formats, timezone

from treem.accounts.policy import Action, require
from treem.lib.text import fold
from treem.portal.intake_bridge import PUBLIC_STATUSES, intake_module
from treem.portal.models import Article, Category, Comment, Concern, Tag, Vote
from treem.portal.security import normalise_tracking_code


def live_articles(now=None) -> QuerySet[Article]:
    """Articles a reader may see now: approved, publication time reached, not yet taken down."""
    now = now or timezone.now()
    return (
        Article.objects.filter(status=Article.Status.PUBLISHED, publish_at__lte=now)
        .filter(Q(unpublish_at__isnull=True) | Q(unpublish_at__gt=now))
        .select_related("category", "author")
        .order_by("-publish_at", "-id")
    )


def article_list_public(
    *, category: Category | None = None, tag: Tag | None = None
) -> QuerySet[Article]:
    qs = live_articles().prefetch_related("tags")
    if category is not None:
        qs = qs.filter(category=category)
    if tag is not None:
        qs = qs.filter(tags=tag)
    return qs


def article_search(*, query: str) -> QuerySet[Article]:
    """Accent- and case-insensitive search: every word of the query must appear (*cham soc tre*
    finds *chăm sóc trẻ*)."""
    words = fold(query).split()
    qs = live_articles().prefetch_related("tags")
    if not words:
        return qs.none()
    for word in words[:10]:
        qs = qs.filter(search_text__contains=word)
    return qs


def article_get_public(*, slug: str) -> Article:
    article = live_articles().filter(slug=slug).first()
    if article is None:
        raise Http404
    return article


def _versioned(computes: dict):
    """Values from the shared cache, each valid while the page cache's global generation is the
    one it was computed under (every article move and settings change renews it); one round trip
    for all of them. `computes` maps a cache key to the function that computes its value."""
    from treem.portal import pagecache

    cache = pagecache.page_cache()
    found = cache.get_many([pagecache.GLOBAL_KEY, *computes])
    gen = found.get(pagecache.GLOBAL_KEY) or pagecache.generations("-")[0]
    values, missing = {}, {}
    for key, compute in computes.items():
        entry = found.get(key)
        if entry is not None and entry[0] == gen:
            values[key] = entry[1]
        else:
            values[key] = compute()
            missing[key] = (gen, values[key])
    if missing:
        cache.set_many(missing, 300)
    return values


def _live_row(slug: str):
    return (
        live_articles()
        .filter(slug=slug)
        .values_list("pk", "status", "publish_at", "unpublish_at")
        .first()
    ) or False


def _settings_row():
    from treem.portal.models import PortalSettings

    return PortalSettings.effective()


def article_for_rating(*, slug: str):
    """The live article a rating POST is about and the moderation settings, from the cache when
    possible (a viral article gets its votes in bursts), in one round trip. Only what a vote
    needs: id, slug, status and publication window; the entries follow the page cache's global
    generation, so a take-down or a settings change is seen at once."""
    live_key = "portal:live:%s" % slug
    values = _versioned({live_key: lambda: _live_row(slug), "portal:settings": _settings_row})
    row = values[live_key]
    if not row:
        raise Http404
    article = Article(pk=row[0], slug=slug, status=row[1], publish_at=row[2], unpublish_at=row[3])
    if not article.is_live():
        raise Http404
    return article, values["portal:settings"]


def portal_settings():
    """The moderation settings, from the cache (see `_versioned`; every change renews it)."""
    return _versioned({"portal:settings": _settings_row})["portal:settings"]


def categories() -> QuerySet[Category]:
    return Category.objects.all()


def category_get(*, slug: str) -> Category:
    category = Category.objects.filter(slug=slug).first()
    if category is None:
        raise Http404
    return category


def tag_get(*, slug: str) -> Tag:
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        raise Http404
    return tag


@dataclass(frozen=True)
class Figures:
    average: float | None
    votes: int
    comments: int

    @property
    def average_display(self) -> str:
        """One decimal, written the reader's way: "4,5" in Vietnamese, "4.5" in English."""
        if self.average is None:
            return "–"
        return formats.number_format(round(self.average, 1), decimal_pos=1)

    @property
    def stars_width(self) -> int:
        """Width in pixels of the lit part of the 120-pixel row of five stars."""
        return round((self.average or 0) * 24)


def comment_generation(*, article: Article) -> tuple[int, str]:
    """The number of approved comments and a token that changes whenever the set of approved
    comments changes (one comment approved, marked as spam or deleted). Read from the database on
    every request, so a cache keyed by it is right in every worker process."""
    row = Comment.objects.filter(article=article, status=Comment.Status.APPROVED).aggregate(
        n=Count("id"), ids=Sum("id"), last=Max("id")
    )
    return row["n"], "%s-%s-%s" % (row["n"], row["ids"] or 0, row["last"] or 0)


_FIGURES_SQL = (
    "SELECT (SELECT stars_total FROM portal_articlerating WHERE article_id = %s), "
    "(SELECT votes FROM portal_articlerating WHERE article_id = %s), "
    "(SELECT COUNT(*) FROM portal_comment WHERE article_id = %s AND status = %s)"
)


def article_figures(*, article: Article, comments: int | None = None) -> Figures:
    """Rating average and count of the live (not voided) votes, and approved comments, in one
    query. The votes' figures are the row the database keeps with every vote
    (`ArticleRating`, see `treem.portal.ratings`): the live rows' aggregate, read without summing
    them. Plain SQL (it runs after every vote): the ORM took longer to build it than the
    database to answer."""
    from django.db import connection

    pk = article.pk
    with connection.cursor() as cursor:
        cursor.execute(_FIGURES_SQL, [pk, pk, pk, Comment.Status.APPROVED.value])
        total, votes, n_comments = cursor.fetchone()
    return Figures(
        average=total / votes if votes else None,
        votes=votes or 0,
        comments=comments if comments is not None else (n_comments or 0),
    )


def article_views(*, article_ids: list[int]) -> dict[int, int]:
    """Public reads of each article so far (see `treem.portal.readcount`: robots and a reader's
    refreshes not counted), current to the last read: the rows flushed to the database plus the
    reads the cache holds yet. For the portal's staff pages and for other apps (programmes)."""
    from treem.portal import readcount

    return readcount.article_views(article_ids)


def vote_of_reader(*, article: Article, voter_token: str | None) -> int | None:
    if not voter_token:
        return None
    return (
        Vote.objects.filter(article=article, voter_token=voter_token, voided_at__isnull=True)
        .values_list("stars", flat=True)
        .first()
    )


def comment_tree(*, article: Article) -> list[Comment]:
    """Approved comments in reading order, each with `.children`, roots returned. A reply whose
    parent is not approved is not shown (its thread is incomplete)."""
    comments = list(
        Comment.objects.filter(article=article, status=Comment.Status.APPROVED)
        .only("id", "parent_id", "depth", "author_name", "author_website", "body", "created_at")
        .order_by("created_at", "id")
    )
    by_id = {c.pk: c for c in comments}
    roots = []
    for c in comments:
        c.children = []
    for c in comments:
        if c.parent_id is None:
            roots.append(c)
        elif c.parent_id in by_id:
            by_id[c.parent_id].children.append(c)
    return roots


def related_articles(*, article: Article, limit: int = 4) -> list[Article]:
    """Live articles sharing the most tags with this one (newest first among equals), topped up
    from its category when too few share a tag."""
    tag_ids = list(article.tags.values_list("id", flat=True))
    related: list[Article] = []
    if tag_ids:
        related = list(
            live_articles()
            .filter(tags__in=tag_ids)
            .exclude(pk=article.pk)
            .annotate(shared=Count("tags", filter=Q(tags__in=tag_ids)))
            .order_by("-shared", "-publish_at", "-id")[:limit]
        )
    if len(related) < limit:
        related += list(
            live_articles()
            .filter(category_id=article.category_id)
            .exclude(pk__in=[article.pk, *(a.pk for a in related)])[: limit - len(related)]
        )
    return related


# --- Staff --------------------------------------------------------------------------------------


def articles_for_staff(*, user, status: str = "", query: str = "") -> QuerySet[Article]:
    require(user, Action.ARTICLE_APPROVE)
    qs = Article.objects.select_related("category", "author").order_by("-updated_at", "-id")
    if status:
        qs = qs.filter(status=status)
    if query:
        for word in fold(query).split()[:10]:
            qs = qs.filter(search_text__contains=word)
    return qs


def moderation_queue(*, user, status: str = Comment.Status.PENDING) -> QuerySet[Comment]:
    require(user, Action.COMMENT_MODERATE)
    return (
        Comment.objects.filter(status=status)
        .select_related("article")
        .prefetch_related(Prefetch("parent", queryset=Comment.objects.only("id", "author_name")))
        .order_by("-created_at", "-id")
    )


def votes_for_moderation(*, user, article: Article | None = None) -> QuerySet[Vote]:
    require(user, Action.COMMENT_MODERATE)
    qs = Vote.objects.select_related("article").order_by("-created_at", "-id")
    if article is not None:
        qs = qs.filter(article=article)
    return qs


def vote_bursts(*, user, hours: int = 48, threshold: int = 10) -> list[dict]:
    """Articles that received at least `threshold` live votes in one hour (by the creation hour),
    over the last `hours` hours: the usual sign of a vote-stuffing attempt."""
    require(user, Action.COMMENT_MODERATE)
    since = timezone.now() - timezone.timedelta(hours=hours)
    buckets: dict[tuple[int, str], int] = {}
    titles: dict[int, str] = {}
    rows = Vote.objects.filter(created_at__gte=since, voided_at__isnull=True).values_list(
        "article_id", "article__title", "created_at"
    )
    for article_id, title, created in rows:
        key = (article_id, timezone.localtime(created).strftime("%Y-%m-%d %H:00"))
        buckets[key] = buckets.get(key, 0) + 1
        titles[article_id] = title
    return sorted(
        (
            {"article_id": a, "title": titles[a], "hour": h, "votes": n}
            for (a, h), n in buckets.items()
            if n >= threshold
        ),
        key=lambda b: (-b["votes"], b["hour"]),
    )


# --- Concerns -----------------------------------------------------------------------------------


def concern_public_status(*, tracking_code: str) -> str | None:
    """Only the status of a concern ("received", "in_progress", "closed"), never any detail."""
    code = normalise_tracking_code(tracking_code)
    concern_id = Concern.objects.filter(tracking_code=code).values_list("pk", flat=True).first()
    if concern_id is None:
        return None
    intake = intake_module()
    if intake is None or not hasattr(intake, "public_status"):
        return "received"
    try:
        status = intake.public_status(concern_id=concern_id)
    except Exception:  # noqa: BLE001 - the reader still learns that it was received
        return "received"
    return status if status in PUBLIC_STATUSES else "received"


def concerns_open(qs: QuerySet[Concern]) -> QuerySet[Concern]:
    """Of concerns the user may see (`access.concerns_for_user`), those still needing a person:
    waiting for review, or not (yet) handed to case management. Dismissed ones are kept but done."""
    return qs.filter(forwarded_at__isnull=True).exclude(review=Concern.Review.DISMISSED)


@dataclass(frozen=True)
class TrackingStep:
    key: str
    reached: bool
    date: object = None  # the date it was reached, when known


ORDER = ("received", "in_progress", "closed")


def concern_public_timeline(*, tracking_code: str) -> list[TrackingStep] | None:
    """The three public steps of a concern (received, in progress, closed), each with whether it
    is reached and the date it was: dates only, never who, what or where. None for an unknown
    code."""
    code = normalise_tracking_code(tracking_code)
    row = Concern.objects.filter(tracking_code=code).values_list("pk", "created_at").first()
    if row is None:
        return None
    concern_id, created = row
    status = concern_public_status(tracking_code=code)
    dates = {"received": created}
    if status != "received" and intake_module() is not None:
        try:
            from treem.protection.models import Case, CaseEvent
        except ImportError:  # pragma: no cover - case management not installed
            Case = CaseEvent = None
        if Case is not None:
            case = (
                Case.objects.filter(report__source_concern_id=concern_id)
                .values("pk", "opened_at", "closed_at")
                .first()
            )
            if case is not None:
                # Work began with the first step after the receipt and the assignment.
                dates["in_progress"] = (
                    CaseEvent.objects.filter(case_id=case["pk"])
                    .exclude(kind__in=["received", "assigned"])
                    .order_by("at")
                    .values_list("at", flat=True)
                    .first()
                )
                dates["closed"] = case["closed_at"]
    reached_upto = ORDER.index(status)
    return [
        TrackingStep(
            key=key,
            reached=i <= reached_upto,
            date=timezone.localtime(dates[key]).date()
            if i <= reached_upto and dates.get(key)
            else None,
        )
        for i, key in enumerate(ORDER)
    ]
