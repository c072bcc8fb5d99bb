"""Whole-page cache of article pages for anonymous readers: no database query, no session.

How a page is served (`PageCacheMiddleware`, placed before the session, CSRF and authentication
middleware): a GET of /bai-viet/<slug>/ without a query string, from a reader without a session
cookie (signed-in staff always have one, and so bypass the cache) and without a pending flash
message, is answered from the cache when the page is there. The cached bytes hold the rating
figures and the approved comments; what differs per reader is spliced in on the way out, with no
query: the CSRF token of the rating and comment forms (masked from the reader's own `csrftoken`
cookie, or from a new one set on this response: the forms keep working without JavaScript) and
the signed "form shown at" time of the comment form.

An entry is kept under `<slug>:<language>:<host>` with the two generations it was rendered
under, and served only while both are current. The generations are random tokens in the same
cache, read in the same round trip as the page, replaced at and after the commit of every change
that shows on the page (`invalidate_article`: a vote, a voided vote, a comment approved, marked as
spam or deleted; `invalidate_all`: an article edited, published or taken down, which also
changes the lists of related articles, and a change of moderation settings). A page rendered
while a change commits is stored under the generation read *before* the database was read, so it
is never served after the change. The cache must be shared by every worker process (Redis through
CACHE_URL); the per-process memory cache is only right with one process (runserver, tests).

An entry also expires after PAGE_TTL seconds and before the article's scheduled take-down or the
closing of its comments, which are moments, not writes.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections import OrderedDict
from datetime import datetime

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from django.utils import timezone

PAGE_TTL = 600
GENERATION_TTL = 7 * 24 * 3600
ARTICLE_PATH = re.compile(r"^/bai-viet/(?P<slug>[-a-zA-Z0-9_]+)/$")
# Stand-ins for the per-reader parts; letters and digits only, so escaping leaves them as they are.
CSRF_SLOT = "TREEMCSRFSLOT7Q2"
TS_SLOT = "TREEMFORMTSSLOT7Q2"

GLOBAL_KEY = _GLOBAL = "portal:pc:g"


def page_cache():
    alias = "pages" if "pages" in settings.CACHES else "default"
    return caches[alias]


def redis_client(cache):
    """The redis-py client of a Redis cache, made once per process. Django's RedisCache builds a
    new client object for every operation, which costs more CPU (about a millisecond: it copies
    redis-py's table of reply parsers) than the rest of a cached page's request; the client is
    thread-safe and its connection pool is the cache's own. None for another cache backend."""
    if not isinstance(cache, RedisCache):
        return None
    backend = cache._cache
    client = getattr(backend, "_treem_client", None)
    if client is None:
        client = backend._treem_client = backend.get_client(write=True)
    return client


def _article_key(slug: str) -> str:
    return "portal:pc:a:%s" % slug


def generations(slug: str) -> tuple[str, str]:
    """The current (global, article) generations, created when missing (first request, or
    evicted: a new token simply starts a fresh set of pages)."""
    cache = page_cache()
    keys = [_GLOBAL, _article_key(slug)]
    found = cache.get_many(keys)
    out = []
    for key in keys:
        value = found.get(key)
        if value is None:
            cache.add(key, secrets.token_hex(6), GENERATION_TTL)
            value = cache.get(key)
        out.append(value)
    return out[0], out[1]


def page_key(slug: str, language: str, host: str) -> str:
    return "portal:pc:p:%s:%s:%s" % (slug, language, host)


# The pages this worker process served lately, with the generations they were rendered under.
# Only the two small generation tokens then travel from the shared cache on a hit, not the page
# (tens of kilobytes to unpickle): the check of the generations is what keeps every process right.
_LOCAL: OrderedDict[str, tuple[str, str, str, float]] = OrderedDict()
_LOCAL_MAX = 256
_LOCAL_LOCK = threading.Lock()


def _local_get(key: str):
    with _LOCAL_LOCK:
        entry = _LOCAL.get(key)
        if entry is None:
            return None
        if entry[3] <= time.time():  # expired like its shared copy
            del _LOCAL[key]
            return None
        _LOCAL.move_to_end(key)
        return entry


def _local_put(key: str, entry, ttl: int) -> None:
    with _LOCAL_LOCK:
        _LOCAL[key] = (entry[0], entry[1], entry[2], time.time() + ttl)
        _LOCAL.move_to_end(key)
        while len(_LOCAL) > _LOCAL_MAX:
            _LOCAL.popitem(last=False)


def cached_page(slug: str, language: str, host: str, view=None) -> str | None:
    """The cached page when it was stored under the current generations. One round trip to the
    shared cache: the generations alone when this process holds the page, else with the page.

    `view` (`readcount.view_keys`): the read to count. Counted in the same round trip when this
    process holds the page (it is then all but certain to be served); otherwise the caller counts
    it once the page is known to exist, so reads of slugs that do not exist are never counted."""
    from treem.portal import readcount

    akey, pkey = _article_key(slug), page_key(slug, language, host)
    local = _local_get(pkey)
    keys = [_GLOBAL, akey] if local is not None else [_GLOBAL, akey, pkey]
    found = readcount.get_many_and_count(page_cache(), keys, view if local is not None else None)
    if _GLOBAL not in found or akey not in found:
        return None
    current = (found[_GLOBAL], found[akey])
    if local is not None and (local[0], local[1]) == current:
        return local[2]
    if view is not None and local is None and found.get(pkey) is not None:
        readcount.count(page_cache(), view)
    entry = found.get(pkey)
    if entry is None and local is not None:
        entry = page_cache().get(pkey)
    if entry is None or (entry[0], entry[1]) != current:
        return None
    # Fetched from the shared cache: keep it here no longer than a fresh page would be.
    _local_put(pkey, entry, entry[3] - time.time() if len(entry) > 3 else PAGE_TTL)
    return entry[2]


def store_page(gens: tuple[str, str], slug: str, language: str, host: str, html: str, ttl: int):
    key = page_key(slug, language, host)
    entry = (gens[0], gens[1], html, time.time() + ttl)
    page_cache().set(key, entry, ttl)
    _local_put(key, entry, ttl)


def _bump(key: str) -> None:
    cache = page_cache()
    client = redis_client(cache)
    if client is None:
        cache.set(key, secrets.token_hex(6), GENERATION_TTL)
        return
    value = cache._cache._serializer.dumps(secrets.token_hex(6))
    client.set(cache.make_and_validate_key(key), value, ex=GENERATION_TTL)


def _bump_now_and_after_commit(key: str) -> None:
    if not transaction.get_connection().in_atomic_block:
        # Called after the change was committed: one bump is enough.
        _bump(key)
        return
    # Inside a transaction: now, so no page rendered before the change is served once it is
    # visible; again after the commit, so a page rendered between the two (from the data before
    # the commit) is dropped.
    _bump(key)
    transaction.on_commit(lambda: _bump(key))


def invalidate_article(slug: str) -> None:
    """Pages of this article are rendered again on their next request."""
    _bump_now_and_after_commit(_article_key(slug))


def invalidate_all() -> None:
    """Every article page is rendered again on its next request."""
    _bump_now_and_after_commit(_GLOBAL)


def ttl_for(article, comments_close_at: datetime | None) -> int:
    """Seconds the page may be kept: PAGE_TTL, less if the article is taken down or its comments
    close sooner."""
    now = timezone.now()
    ttl = PAGE_TTL
    for moment in (article.unpublish_at, comments_close_at):
        if moment is not None and moment > now:
            ttl = min(ttl, int((moment - now).total_seconds()))
    return max(ttl, 1)
