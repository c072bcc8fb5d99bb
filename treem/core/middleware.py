from __future__ import annotations

import logging
import time

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext as _

from treem.core.net import client_ip, current_ip
from treem.core.parsing import InvalidParameter

log = logging.getLogger("treem.request")


class RequestLogMiddleware:
    """One structured log line per request, and the client address for audit entries.

    The line has the path without its query string (a search can be a child's name) and the user's
    numeric id, never a name or anything from the request body.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        token = current_ip.set(client_ip(request))
        try:
            response = self.get_response(request)
        finally:
            current_ip.reset(token)
        user = getattr(request, "user", None)
        log.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )
        return response


class SlidingSessionMiddleware:
    """Idle expiry that moves forward with use, without writing the session on every request.

    Django's SESSION_SAVE_EVERY_REQUEST writes the session row on every page; on SQLite that
    write waits for the database's single writer, so every page waited behind a long import
    and some failed once SQLite's lock timeout passed. Here the session is saved (and its expiry
    pushed to now + SESSION_COOKIE_AGE) only when the last push is SESSION_REFRESH_SECONDS old:
    a session idle for SESSION_COOKIE_AGE still ends, at most SESSION_REFRESH_SECONDS early.
    Placed after SessionMiddleware, so its response step runs before the session is saved.
    """

    KEY = "_treem_refreshed"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # A visitor without a session gets none; a session just emptied (logout) stays empty.
        if session is None or session.is_empty() or not session.keys():
            return response
        now = int(time.time())
        if session.modified or now - session.get(self.KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
            session[self.KEY] = now
        return response


class LanguageMiddleware(LocaleMiddleware):
    """Vietnamese unless the user chose English with the language switch.

    Django's LocaleMiddleware also follows the browser's Accept-Language, and many officials'
    browsers say English: the interface must still open in Vietnamese (the working language of the
    administration), so only the switch's cookie is honoured.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class RefuseNulMiddleware:
    """A NUL character in the address or its query is refused once, here, with a 400.

    No name, code or search text contains NUL, and PostgreSQL refuses it in a text parameter (the
    query would fail with a server error wherever a view passes the value on). Forms and API
    serializers already refuse it in a body (Django's and DRF's character fields); this covers the
    address, which views read directly. Placed after the language is chosen, so the message is in
    the reader's language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise InvalidParameter(
                "query",
                _("Địa chỉ có ký tự không hợp lệ (ký tự rỗng). Hãy kiểm tra lại đường dẫn."),
            )
        return self.get_response(request)
