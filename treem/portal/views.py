"""Public pages of the portal (articles, rating, comments, concerns) and the editors' and
moderators' pages under quan-tri/. Thin: parse, call a selector or service, render."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.core.signing import BadSignature, loads
from django.http import FileResponse, Http404, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from treem.core.forms import apply_validation_error
from treem.core.net import client_ip
from treem.core.parsing import safe_ids
from treem.portal import pagecache, selectors, services
from treem.portal.forms import CommentForm, ConcernForm, TrackingForm, VoteForm
from treem.portal.models import PortalSettings
from treem.portal.security import (
    RECEIPT_SALT,
    VOTER_COOKIE,
    VOTER_SALT,
    new_voter_token,
)

PAGE_SIZE = 10
# The article fragment is keyed by the article's version, so an edit is visible at once; the TTL
# only bounds how long an unused entry lingers.
FRAGMENT_TTL = 24 * 3600
VOTER_COOKIE_AGE = 2 * 365 * 24 * 3600
STATUS_LABELS = {
    "received": gettext_lazy("Đã tiếp nhận"),
    "in_progress": gettext_lazy("Đang xử lý"),
    "closed": gettext_lazy("Đã kết thúc xử lý"),
}

_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


NAV_CACHE_KEY = "portal:nav:categories"


def _public(request, template: str, context: dict | None = None, status: int = 200):
    """Render a public page: adds the category navigation (cached: it changes with a deploy or a
    seed, not with readers' actions)."""
    categories = cache.get(NAV_CACHE_KEY)
    if categories is None:
        categories = list(selectors.categories())
        cache.set(NAV_CACHE_KEY, categories, 300)
    return render(
        request, template, {"portal_categories": categories, **(context or {})}, status=status
    )


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


# --- Lists ------------------------------------------------------------------------------------


@require_GET
def home_view(request):
    page = _page(request, selectors.article_list_public())
    return _public(request, "portal/home.html", {"page": page})


@require_GET
def category_view(request, slug: str):
    category = selectors.category_get(slug=slug)
    page = _page(request, selectors.article_list_public(category=category))
    return _public(
        request,
        "portal/article_list.html",
        {
            "page": page,
            "heading": category.name,
            "intro": category.description,
            "category": category,
            "nav_category": category,
            "nav_current_page": True,
        },
    )


@require_GET
def tag_view(request, slug: str):
    tag = selectors.tag_get(slug=slug)
    page = _page(request, selectors.article_list_public(tag=tag))
    return _public(
        request,
        "portal/article_list.html",
        {"page": page, "heading": _("Thẻ: %(tag)s") % {"tag": tag.name}},
    )


@require_GET
def search_view(request):
    query = request.GET.get("q", "").strip()[:200]
    page = _page(request, selectors.article_search(query=query))
    return _public(
        request,
        "portal/article_list.html",
        {"page": page, "query": query, "heading": _("Tìm kiếm"), "is_search": True},
    )


# --- Article ------------------------------------------------------------------------------------


def _json_ld(request, article) -> str:
    """schema.org NewsArticle. No AggregateRating: search engines do not accept self-served
    ratings on articles, and the figures change far more often than the cached fragment."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "description": article.excerpt,
        "datePublished": article.publish_at.isoformat(),
        "dateModified": article.updated_at.isoformat(),
        "author": {"@type": "Person", "name": str(article.author)},
        "publisher": {"@type": "Organization", "name": _("Cổng thông tin Bảo vệ Trẻ em")},
        "mainEntityOfPage": request.build_absolute_uri(article.get_absolute_url()),
        "articleSection": article.category.name,
        "keywords": [t.name for t in article.tags.all()],
        "inLanguage": "vi",
    }
    if article.cover_image:
        data["image"] = [request.build_absolute_uri(article.cover_image.url)]
    return json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)


def _article_fragments(request, article) -> dict[str, str]:
    """The expensive, reader-independent parts of the page (head meta, body, tags, related
    articles), cached per article version, host and language."""
    key = "portal:article:%s:%s:%s:%s:%s" % (
        article.pk,
        article.version,
        # Other articles' changes (a new related article) renew the fragments too.
        pagecache.generations(article.slug)[0],
        get_language(),
        request.get_host(),
    )
    fragments = cache.get(key)
    if fragments is None:
        absolute_url = request.build_absolute_uri(article.get_absolute_url())
        ctx = {
            "article": article,
            "tags": list(article.tags.all()),
            "related": selectors.related_articles(article=article),
            "json_ld": mark_safe(_json_ld(request, article)),  # noqa: S308 - escaped above
            "absolute_url": absolute_url,
            # Plain links to the networks' share pages: no third-party script on the page.
            "share_facebook": "https://www.facebook.com/sharer/sharer.php?u=" + quote(absolute_url),
            "share_zalo": "https://sp.zalo.me/share?url=" + quote(absolute_url),
            "cover_url": request.build_absolute_uri(article.cover_image.url)
            if article.cover_image
            else "",
        }
        fragments = {
            "head": render_to_string("portal/_article_head.html", ctx),
            "main": render_to_string("portal/_article_main.html", ctx),
            "aside": render_to_string("portal/_article_aside.html", ctx),
        }
        cache.set(key, fragments, FRAGMENT_TTL)
    return {k: mark_safe(v) for k, v in fragments.items()}  # noqa: S308 - our own templates


def _voter_token(request) -> str | None:
    return request.get_signed_cookie(VOTER_COOKIE, default=None, salt=VOTER_SALT)


def _rating_context(
    request,
    article,
    *,
    token: str | None = None,
    message: str = "",
    error: str = "",
    comments: int | None = None,
) -> dict:
    token = token or _voter_token(request)
    my_vote = selectors.vote_of_reader(article=article, voter_token=token)
    return {
        "article": article,
        "figures": selectors.article_figures(article=article, comments=comments),
        "my_vote": my_vote,
        "rating_message": message,
        "rating_error": error,
        "star_buttons": _star_buttons(my_vote),
    }


def _comment_form_context(article, form, cfg, *, reply_to=None, message: str = "") -> dict:
    return {
        "article": article,
        "comment_form": form,
        "comments_open": services.comments_open(article, cfg),
        "reply_to": reply_to,
        "comment_message": message,
    }


def _render_article(request, article, *, comment_form=None, status=200, comment_message=""):
    cfg = PortalSettings.effective()
    reply_to = None
    if comment_form is None:
        parent_ids = safe_ids([request.GET.get("tra-loi", "")])
        initial = {}
        if parent_ids:
            parent_id = parent_ids[0]
            reply_to = next(
                (c for c in _walk(selectors.comment_tree(article=article)) if c.pk == parent_id),
                None,
            )
            if reply_to is not None:
                initial["parent"] = reply_to.pk
        comment_form = CommentForm(initial=initial)
    ctx = {
        **_rating_context(request, article),
        **_comment_form_context(
            article, comment_form, cfg, reply_to=reply_to, message=comment_message
        ),
        "fragments": _article_fragments(request, article),
        "comments": selectors.comment_tree(article=article),
        "reply_depth": cfg.reply_depth,
        "nav_category": article.category,
    }
    return _public(request, "portal/article.html", ctx, status=status)


def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node.children)


def _page_for_cache(request, article):
    """The page for `PageCacheMiddleware` to store: everything a reader without a session sees,
    the rating figures and approved comments included, with stand-ins for the per-reader CSRF
    token and form time, which the middleware splices in on every request."""
    cfg = PortalSettings.effective()
    form = CommentForm(initial={"ts": pagecache.TS_SLOT})
    figures = selectors.article_figures(article=article)
    ctx = {
        "article": article,
        "figures": figures,
        "my_vote": None,
        "star_buttons": _star_buttons(None),
        **_comment_form_context(article, form, cfg),
        "nav_category": article.category,
        "fragments": _article_fragments(request, article),
        "comments": selectors.comment_tree(article=article),
        "reply_depth": cfg.reply_depth,
        "csrf_token": pagecache.CSRF_SLOT,
    }
    response = _public(request, "portal/article.html", ctx)
    closes = (
        article.publish_at + timedelta(days=cfg.comments_close_days)
        if cfg.comments_close_days and article.comments_enabled
        else None
    )
    response.portal_page_template = response.content.decode()
    response.portal_page_ttl = pagecache.ttl_for(article, closes)
    return response


@require_GET
def article_view(request, slug: str):
    article = selectors.article_get_public(slug=slug)
    if getattr(request, "portal_page_cache", False):
        # An anonymous reader without a session or a message: the middleware caches this.
        return _page_for_cache(request, article)
    # Signed-in staff, a reader with a message after a form post (their own vote shown), a
    # reply being written: rendered in full.
    return _render_article(request, article)


_STAR_BUTTONS: dict[tuple[str, int | None], str] = {}


def _star_buttons(my_vote: int | None) -> str:
    """The rating form's five star buttons ("3 sao" in the current language, lit up to the
    reader's vote, pressed on their own), drawn from their template once per language and vote:
    they hold nothing of the request, and the block is drawn again after every vote."""
    key = (get_language(), my_vote)
    html = _STAR_BUTTONS.get(key)
    if html is None:
        buttons = [
            (
                str(i),
                ngettext("%(n)s sao", "%(n)s sao", i) % {"n": i},
                " on" if my_vote and i <= my_vote else "",
                "true" if my_vote == i else "false",
            )
            for i in range(1, 6)
        ]
        html = render_to_string("portal/_rating_stars.html", {"buttons": buttons})
        _STAR_BUTTONS[key] = html
    return html


def _rating_fragment(
    request, article, *, my_vote, message: str, error: str, figures=None
) -> HttpResponse:
    """The rating block alone, for htmx to swap: no page context (navigation, user) to build.
    htmx swaps only 2xx responses; the message carries the refusal. *figures*: as the vote's
    own statement read them, when it did."""
    ctx = {
        "article": article,
        "figures": figures or selectors.article_figures(article=article),
        "my_vote": my_vote,
        "rating_message": message,
        "rating_error": error,
        "star_buttons": _star_buttons(my_vote),
        "csrf_token": get_token(request),
    }
    return HttpResponse(render_to_string("portal/_rating.html", ctx))


def _set_voter_cookie(request, response, token: str) -> None:
    response.set_signed_cookie(
        VOTER_COOKIE,
        token,
        salt=VOTER_SALT,
        max_age=VOTER_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def _vote_message(created: bool) -> str:
    return _("Cảm ơn bạn đã đánh giá!") if created else _("Đã cập nhật đánh giá của bạn.")


class _CsrfCheck(CsrfViewMiddleware):
    """Django's own CSRF check (token, origin, referer), answering a refusal with None instead
    of rendering the failure page: the request then goes down the full stack, whose CSRF
    middleware refuses it with Treem's page, once."""

    def _reject(self, request, reason):
        return _CSRF_REFUSED


_CSRF_REFUSED = HttpResponse(status=403)
_csrf_check = _CsrfCheck(lambda request: None)


def article_rate_lean(request, slug: str) -> HttpResponse | None:
    """An htmx vote taken before the session, authentication and message middleware (see
    `PageCacheMiddleware`): a vote needs none of them. CSRF is checked by Django's own code; then
    one statement finds the live article, checks the address's hourly limit and writes the vote
    (`services.vote_cast_by_slug`, which on PostgreSQL also reads the figures; on SQLite one more
    query reads them), and the page cache's generation of the article is replaced: nothing is
    read from the cache beforehand. Anything but a plain valid vote (a refused CSRF token, stars
    out of range, an article taken down, the address over its hourly limit) returns None, and
    the full view answers it with its usual message."""
    _csrf_check.process_request(request)
    if _csrf_check.process_view(request, article_rate_view, (), {}) is not None:
        return None
    stars = request.POST.get("stars", "")
    if stars not in _STARS:
        return None
    token = _voter_token(request)
    new_reader = token is None
    if new_reader:
        token = new_voter_token()
    try:
        result = services.vote_cast_by_slug(
            slug=slug,
            stars=int(stars),
            voter_token=token,
            ip_address=client_ip(request),
            new_reader=new_reader,
        )
    except ValidationError:
        return None
    response = _rating_fragment(
        request,
        result.vote.article,
        my_vote=result.vote.stars,
        message=_vote_message(result.created),
        error="",
        figures=result.figures,
    )
    _set_voter_cookie(request, response, token)
    return response


_STARS = frozenset("12345")


@require_POST
def article_rate_view(request, slug: str):
    article, cfg = selectors.article_for_rating(slug=slug)
    form = VoteForm(request.POST)
    token = _voter_token(request)
    new_reader = token is None
    if new_reader:
        token = new_voter_token()
    message = error = ""
    my_vote = None
    if form.is_valid():
        try:
            result = services.vote_cast(
                article=article,
                stars=form.cleaned_data["stars"],
                voter_token=token,
                ip_address=client_ip(request),
                new_reader=new_reader,
                settings_row=cfg,
            )
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            my_vote = result.vote.stars
            message = _vote_message(result.created)
    else:
        error = _("Hãy chọn từ 1 đến 5 sao rồi gửi lại.")
    if _is_htmx(request):
        response = _rating_fragment(
            request,
            article,
            my_vote=my_vote
            if my_vote is not None
            else selectors.vote_of_reader(article=article, voter_token=token),
            message=message,
            error=error,
        )
    else:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, message)
        response = redirect(article.get_absolute_url() + "#danh-gia")
    _set_voter_cookie(request, response, token)
    return response


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


@require_POST
def article_comment_view(request, slug: str):
    article = selectors.article_get_public(slug=slug)
    form = CommentForm(request.POST)
    outcome = None
    if form.is_valid():
        try:
            outcome = services.comment_submit(
                article=article,
                name=form.cleaned_data["author_name"],
                email=form.cleaned_data["author_email"],
                website=form.cleaned_data["author_website"],
                body=form.cleaned_data["body"],
                parent_id=form.cleaned_data["parent"],
                notify_replies=form.cleaned_data["notify_replies"],
                ip_address=client_ip(request),
                form_age=form.form_age(),
                honeypot=form.cleaned_data["homepage"],
                base_url=_base_url(request),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
    if outcome is None:
        if _is_htmx(request):
            cfg = PortalSettings.effective()
            return _public(
                request, "portal/_comment_form.html", _comment_form_context(article, form, cfg)
            )
        return _render_article(request, article, comment_form=form, status=400)
    if outcome.status == "approved":
        message = _("Bình luận của bạn đã được đăng.")
    else:
        message = _("Cảm ơn bạn! Bình luận sẽ hiện sau khi được kiểm duyệt.")
    if _is_htmx(request):
        cfg = PortalSettings.effective()
        response = _public(
            request,
            "portal/_comment_form.html",
            _comment_form_context(article, CommentForm(), cfg, message=message),
        )
        if outcome.status == "approved":
            response["HX-Refresh"] = "true"  # show the new comment in its thread
        return response
    messages.success(request, message)
    anchor = "#binh-luan-%s" % outcome.obj.pk if outcome.status == "approved" else "#binh-luan"
    return redirect(article.get_absolute_url() + anchor)


@require_http_methods(["GET", "POST"])
def unsubscribe_view(request, token: str):
    """One click (GET from the email link, or the POST mail clients send for List-Unsubscribe-Post)
    stops reply notifications; nothing else to fill in."""
    try:
        services.comment_unsubscribe(token=token)
    except ValidationError as exc:
        return _public(request, "portal/unsubscribe.html", {"error": exc.messages[0]}, status=400)
    return _public(request, "portal/unsubscribe.html", {})


# --- Concerns -----------------------------------------------------------------------------------


def _default_province() -> str:
    return getattr(settings, "TREEM_PROVINCE_CODE", "")


@require_http_methods(["GET", "POST"])
def concern_view(request):
    if request.method == "POST" and "refresh" in request.POST:
        # Without JavaScript: re-show the form with the lists for the chosen province/commune.
        data = request.POST.copy()
        form = ConcernForm(
            initial={k: data.get(k) for k in data if k not in ("csrfmiddlewaretoken", "token")},
            province_code=data.get("province") or _default_province(),
            commune_code=data.get("commune") or None,
        )
        return _public(request, "portal/concern_form.html", {"form": form})
    if request.method == "POST":
        form = ConcernForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                concern = services.concern_submit(
                    what_happened=d["what_happened"],
                    province=d["province"],
                    commune=d["commune"],
                    village=d["village"],
                    happened_on=d["happened_on"],
                    child_description=d["child_description"],
                    reporter_name=d["reporter_name"],
                    reporter_phone=d["reporter_phone"],
                    reporter_email=d["reporter_email"],
                    is_anonymous=d["is_anonymous"],
                    ip_address=client_ip(request),
                    form_token=d["token"],
                    honeypot=d["homepage"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                from django.core.signing import dumps

                receipt = dumps(concern.tracking_code, salt=RECEIPT_SALT)
                return redirect(reverse("portal:concern_received") + "?r=" + receipt)
        return _public(request, "portal/concern_form.html", {"form": form}, status=400)
    form = ConcernForm(province_code=_default_province())
    return _public(request, "portal/concern_form.html", {"form": form})


@require_GET
def concern_communes_view(request):
    """htmx: the commune <select> for the chosen province, and an emptied village select."""
    form = ConcernForm(province_code=request.GET.get("province") or None)
    return _public(request, "portal/_concern_places.html", {"form": form, "part": "commune"})


@require_GET
def concern_villages_view(request):
    form = ConcernForm(province_code=None, commune_code=request.GET.get("commune") or None)
    return _public(request, "portal/_concern_places.html", {"form": form, "part": "village"})


@require_GET
def concern_received_view(request):
    try:
        code = loads(request.GET.get("r", ""), salt=RECEIPT_SALT, max_age=3600)
    except BadSignature as exc:
        raise Http404 from exc
    response = _public(request, "portal/concern_received.html", {"tracking_code": code})
    response["Cache-Control"] = "no-store"
    return response


TRACKING_NEXT = {
    "received": gettext_lazy(
        "Cán bộ bảo vệ trẻ em của xã, phường nơi xảy ra sự việc xem xét tin báo và đánh giá ban "
        "đầu tình trạng của trẻ. Nếu trẻ đang gặp nguy hiểm, biện pháp bảo vệ khẩn cấp được áp "
        "dụng trong vòng 12 giờ kể từ khi nhận tin."
    ),
    "in_progress": gettext_lazy(
        "Cán bộ đang đánh giá nhu cầu của trẻ, lập và thực hiện kế hoạch hỗ trợ cùng gia đình và "
        "các cơ quan liên quan. Vì an toàn của trẻ, nội dung xử lý không được công bố."
    ),
    "closed": gettext_lazy(
        "Việc xử lý đã kết thúc khi trẻ đã an toàn và ổn định. Nếu bạn có thông tin mới hoặc trẻ "
        "lại gặp nguy hiểm, hãy gửi tin báo mới hoặc gọi 111."
    ),
}


@require_http_methods(["GET", "POST"])
def tracking_view(request):
    form = TrackingForm(request.POST or None)
    steps = None
    not_found = False
    if request.method == "POST" and form.is_valid():
        steps = selectors.concern_public_timeline(tracking_code=form.cleaned_data["code"])
        not_found = steps is None
    status = None
    timeline = []
    if steps:
        status = [s for s in steps if s.reached][-1].key
        timeline = [
            {
                "label": STATUS_LABELS[s.key],
                "reached": s.reached,
                "date": s.date,
                "current": s.key == status,
            }
            for s in steps
        ]
    response = _public(
        request,
        "portal/tracking.html",
        {
            "form": form,
            "status": status,
            "status_label": STATUS_LABELS.get(status or "", ""),
            "timeline": timeline,
            "next_step": TRACKING_NEXT.get(status or "", ""),
            "not_found": not_found,
            "nav_tracking": True,
        },
        status=404 if not_found else 200,
    )
    response["Cache-Control"] = "no-store"
    return response


# --- Public media ---------------------------------------------------------------------------------

_THUMB_NAME = re.compile(r"^(?P<stem>\d{4}/\d{2}/[0-9a-zA-Z_-]+)-(?P<width>\d{2,4})w\.jpg$")
_COVER_NAME = re.compile(r"^\d{4}/\d{2}/[0-9a-zA-Z_-]+\.jpg$")
MEDIA_CHECK_TTL = 60


def _public_cover_exists(cover_name: str, width: int | None) -> bool:
    """Whether `cover_name` is the cover of a live article (and `width` one of its copies).
    Cached for a minute: an image of an article just taken down stays reachable that long."""
    key = "portal:media:%s:%s" % (cover_name, width or 0)
    known = cache.get(key)
    if known is None:
        row = (
            selectors.live_articles()
            .filter(cover_image=cover_name)
            .values_list("cover_thumbs", flat=True)
            .first()
        )
        known = row is not None and (width is None or any(t.get("w") == width for t in row or []))
        cache.set(key, known, MEDIA_CHECK_TTL)
    return known


@require_GET
def public_media_view(request, kind: str, name: str):
    """The only uploaded files the public may fetch: the cover images of live articles and their
    thumbnails, re-encoded on upload (`services.cover_store`). Everything else under MEDIA_ROOT
    (case files, evidence, imports) has no public route at all; names are matched against a
    strict pattern (no "..", no other folder) and against the article, never joined blindly."""
    if kind not in ("covers", "thumbs"):
        raise Http404
    if kind == "covers":
        if not _COVER_NAME.match(name):
            raise Http404
        stored, width = "portal/covers/" + name, None
    else:
        match = _THUMB_NAME.match(name)
        if not match:
            raise Http404
        stored = "portal/covers/%s.jpg" % match["stem"]
        width = int(match["width"])
    if not _public_cover_exists(stored, width):
        raise Http404
    path = "portal/%s/%s" % (kind, name)
    try:
        handle = default_storage.open(path, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type="image/jpeg")
    # The names are random per upload: a new cover gets a new name, so a long cache is safe.
    response["Cache-Control"] = "public, max-age=604800, immutable"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


def robots_view(request):
    lines = [
        "User-agent: *",
        "Disallow: /app/",
        "Disallow: /quan-tri/",
        "Disallow: /api/",
        "Disallow: /tra-cuu/",
        "Sitemap: %s" % escape(request.build_absolute_uri(reverse("portal:sitemap"))),
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
