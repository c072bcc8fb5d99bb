"""Article views counted without touching the page cache's speed: one INCR in the shared cache per
read, flushed to the database now and then.

What is counted: a GET of an article page answered 200 to an anonymous reader (from the page cache
or freshly rendered; signed-in staff, whose pages bypass the cache, are not counted, nor are
previews with a query string). Not counted:

- robots, by a simple rule on the User-Agent (`is_reader`): none, or one naming itself a bot,
  crawler, spider, link preview, headless browser, or a programming library's HTTP client, and
  browsers' prefetches (`Sec-Purpose`/`Purpose: prefetch`);
- one reader refreshing: a reader (a keyed hash of their address and User-Agent: no address is
  kept) is counted once per article per SEEN_SECONDS. Readers sharing an address and a browser
  (a school's computer room) are then counted once in that window: the count errs low, never high.

How: on the Redis cache, one Lua script (SET NX of the reader's mark, then INCR of the article's
counter) run by the same command as the page cache's own read (`pagecache.cached_page`); on
another cache (tests, runserver) the same two steps through Django's cache API. `flush` moves the
counters into `ArticleViews` (one row per article and day), claiming each with an atomic DECRBY
so reads counted meanwhile are kept; `article_views` adds what is not flushed yet, so the figure
is current.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re

from django.conf import settings
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

log = logging.getLogger(__name__)

SEEN_SECONDS = 30 * 60
_BOT = re.compile(
    r"bot|crawl|spider|slurp|preview|facebookexternalhit|embedly|headless|lighthouse|pingdom"
    r"|monitor|curl|wget|python|httpclient|http-client|go-http|java/|okhttp|scrapy|axios|node-fetch",
    re.IGNORECASE,
)
# KEYS[1]: the reader's mark, KEYS[2]: the article's counter; ARGV[1]: the mark's lifetime.
_COUNT = (
    "if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then redis.call('INCR', KEYS[2]) end "
)
# The same, after reading the other keys (KEYS[3]...): the page cache's read and the count in
# one command (a redis-py pipeline costs more CPU to build than this whole request otherwise).
_READ_AND_COUNT = "local r = redis.call('MGET', unpack(KEYS, 3)) " + _COUNT + "return r"
_COUNT_ONLY = _COUNT + "return 0"


def is_reader(request) -> bool:
    ua = request.META.get("HTTP_USER_AGENT", "")
    if not ua or _BOT.search(ua):
        return False
    purpose = request.headers.get("Sec-Purpose", "") or request.headers.get("Purpose", "")
    return "prefetch" not in purpose.lower()


def counter_key(slug: str) -> str:
    return "portal:views:%s" % slug


def view_keys(request, slug: str) -> tuple[str, str]:
    """(the reader's mark for this article, the article's counter)."""
    from treem.core.net import client_ip

    who = "%s|%s" % (client_ip(request) or "", request.META.get("HTTP_USER_AGENT", ""))
    key = hmac.new(settings.SECRET_KEY.encode(), who.encode(), hashlib.sha256).hexdigest()[:24]
    return "portal:seen:%s:%s" % (slug, key), counter_key(slug)


def get_many_and_count(cache, keys: list[str], view: tuple[str, str] | None) -> dict:
    """`cache.get_many(keys)`, and the view counted (when `view` is given) in the same round trip
    on Redis."""
    from treem.portal.pagecache import redis_client

    client = redis_client(cache)
    if client is None:
        found = cache.get_many(keys)
        if view is not None:
            count(cache, view)
        return found
    make = cache.make_and_validate_key
    if view is None:
        values = client.mget([make(k) for k in keys])
    else:
        values = client.eval(
            _READ_AND_COUNT,
            2 + len(keys),
            make(view[0]),
            make(view[1]),
            *map(make, keys),
            SEEN_SECONDS,
        )
    loads = cache._cache._serializer.loads
    return {k: loads(v) for k, v in zip(keys, values, strict=True) if v is not None}


def count(cache, view: tuple[str, str]) -> None:
    """Count one read (unless this reader was counted in the last SEEN_SECONDS)."""
    seen, counter = view
    from treem.portal.pagecache import redis_client

    client = redis_client(cache)
    if client is not None:
        make = cache.make_and_validate_key
        client.eval(_COUNT_ONLY, 2, make(seen), make(counter), SEEN_SECONDS)
        return
    if cache.add(seen, 1, SEEN_SECONDS) and not cache.add(counter, 1, None):
        cache.incr(counter)


def _pending(cache, slugs: list[str]) -> dict[str, int]:
    found = cache.get_many([counter_key(s) for s in slugs])
    return {s: int(found.get(counter_key(s)) or 0) for s in slugs}


def flush() -> int:
    """Add the reads counted in the cache to `ArticleViews` (today's row of each article); the
    number of reads moved. Safe to run at any time and from several places: each counter is
    claimed by an atomic decrement of what was read, and given back if the write fails."""
    from treem.portal.models import Article, ArticleViews
    from treem.portal.pagecache import page_cache

    cache = page_cache()
    articles = dict(Article.objects.exclude(publish_at=None).values_list("slug", "id"))
    day = timezone.localdate()
    moved = 0
    for slug, n in _pending(cache, list(articles)).items():
        if n <= 0:
            continue
        key = counter_key(slug)
        cache.decr(key, n)
        try:
            with transaction.atomic():
                row, created = ArticleViews.objects.get_or_create(
                    article_id=articles[slug], day=day, defaults={"count": n}
                )
                if not created:
                    ArticleViews.objects.filter(pk=row.pk).update(count=F("count") + n)
        except Exception:
            cache.incr(key, n)
            raise
        moved += n
    if moved:
        log.info("article views flushed", extra={"views": moved})
    return moved


def article_views(article_ids: list[int]) -> dict[int, int]:
    """Public reads of each article so far: the flushed rows plus what the cache holds yet."""
    from treem.portal.models import Article, ArticleViews
    from treem.portal.pagecache import page_cache

    ids = list(article_ids)
    totals = dict(
        ArticleViews.objects.filter(article_id__in=ids)
        .values("article_id")
        .annotate(n=Sum("count"))
        .values_list("article_id", "n")
    )
    slugs = dict(Article.objects.filter(pk__in=ids).values_list("slug", "id"))
    for slug, n in _pending(page_cache(), list(slugs)).items():
        totals[slugs[slug]] = totals.get(slugs[slug], 0) + n
    return {pk: int(totals.get(pk) or 0) for pk in ids}
