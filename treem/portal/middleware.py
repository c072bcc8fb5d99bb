"""Serves cached article pages to anonymous readers, and takes htmx votes, before sessions, CSRF
and authentication are even looked at (see `treem.portal.pagecache` for the whole design, and
`treem.portal.views.article_rate_lean` for the vote)."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.middleware.csrf import (
    CSRF_SECRET_LENGTH,
    CSRF_TOKEN_LENGTH,
    InvalidTokenFormat,
    _check_token_format,
    _get_new_csrf_string,
    _mask_cipher_secret,
    _unmask_cipher_token,
)
from django.utils import translation
from django.utils.cache import patch_vary_headers

from treem.portal import pagecache, readcount
from treem.portal.security import form_timestamp

_BYPASS_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
RATE_PATH = re.compile(r"^/bai-viet/(?P<slug>[-a-zA-Z0-9_]+)/danh-gia/$")


def _language(request) -> str:
    """The language exactly as `treem.core.middleware.LanguageMiddleware` will choose it: the
    switch's cookie, else Vietnamese (the browser's Accept-Language is ignored)."""
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _csrf_secret(request) -> tuple[str, bool]:
    """The reader's CSRF secret from their cookie, or a new one (True: set the cookie)."""
    value = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    if value and not settings.CSRF_USE_SESSIONS:
        try:
            _check_token_format(value)
        except InvalidTokenFormat:
            pass
        else:
            if len(value) == CSRF_TOKEN_LENGTH:
                value = _unmask_cipher_token(value)
            if len(value) == CSRF_SECRET_LENGTH:
                return value, False
    return _get_new_csrf_string(), True


def eligible_slug(request) -> str | None:
    """The article slug when this request may be served from, or stored in, the page cache."""
    if request.method != "GET" or request.META.get("QUERY_STRING"):
        return None
    if settings.CSRF_USE_SESSIONS or any(c in request.COOKIES for c in _BYPASS_COOKIES):
        return None
    if request.headers.get("HX-Request"):
        return None
    match = pagecache.ARTICLE_PATH.match(request.path_info)
    return match["slug"] if match else None


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST":
            return self._post(request)
        slug = eligible_slug(request)
        if slug is None:
            return self.get_response(request)
        try:
            host = request.get_host()
        except DisallowedHost:
            return self.get_response(request)
        language = _language(request)
        view = readcount.view_keys(request, slug) if readcount.is_reader(request) else None
        html = pagecache.cached_page(slug, language, host, view)
        if html is not None:
            return self._serve(request, html, language)
        # A miss: the view renders the page for the cache (`views.article_view`), under the
        # generations read now, before it reads the database.
        gens = pagecache.generations(slug)
        request.portal_page_cache = True
        response = self.get_response(request)
        template = getattr(response, "portal_page_template", None)
        if template is None or response.status_code != 200:
            return response
        pagecache.store_page(gens, slug, language, host, template, response.portal_page_ttl)
        if view is not None:
            # Counted once per reader and window: a count already made above is not repeated.
            readcount.count(pagecache.page_cache(), view)
        return self._serve(request, template, language, state="miss")

    def _post(self, request):
        """An htmx vote is taken here, on the lean path (`views.article_rate_lean`); every other
        POST, and a vote the lean path leaves (refused, or not a plain valid vote), goes down the
        full stack."""
        match = RATE_PATH.match(request.path_info)
        if match is None or request.headers.get("HX-Request") != "true":
            return self.get_response(request)
        if settings.CSRF_USE_SESSIONS:
            return self.get_response(request)
        from treem.portal.views import article_rate_lean

        language = _language(request)
        with translation.override(language):
            response = article_rate_lean(request, match["slug"])
        if response is None:
            return self.get_response(request)
        # What the middleware below this one would have added.
        patch_vary_headers(response, ("Cookie",))
        response["Content-Language"] = language
        response.setdefault("X-Frame-Options", getattr(settings, "X_FRAME_OPTIONS", "DENY"))
        return response

    @staticmethod
    def _serve(request, html: str, language: str, state: str = "hit") -> HttpResponse:
        secret, new = _csrf_secret(request)
        body = html.replace(pagecache.CSRF_SLOT, _mask_cipher_secret(secret)).replace(
            pagecache.TS_SLOT, form_timestamp()
        )
        response = HttpResponse(body)
        if new:
            response.set_cookie(
                settings.CSRF_COOKIE_NAME,
                secret,
                max_age=settings.CSRF_COOKIE_AGE,
                domain=settings.CSRF_COOKIE_DOMAIN,
                path=settings.CSRF_COOKIE_PATH,
                secure=settings.CSRF_COOKIE_SECURE,
                httponly=settings.CSRF_COOKIE_HTTPONLY,
                samesite=settings.CSRF_COOKIE_SAMESITE,
            )
        # What the middleware below this one would have added to a rendered page.
        patch_vary_headers(response, ("Cookie",))
        response["Content-Language"] = language
        response.setdefault("X-Frame-Options", getattr(settings, "X_FRAME_OPTIONS", "DENY"))
        response["X-Page-Cache"] = state
        return response
