"""Treem's own error pages, and the one JSON error shape for every /api/ path.

With DEBUG off Django calls these for 400, 403, 404 and 500 (and `csrf_failure` for a refused
form). A path under /api/ always gets `{"error": {"code", "message"}}`, whether DRF raised the
error, the URL matched nothing, or the view crashed. The 500 page is rendered without the request
context: it must not need the database or the session that may be what failed.
"""

from __future__ import annotations

from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

from treem.core.api import api_bad_request, api_not_found, api_server_error, error_body
from treem.core.parsing import InvalidParameter


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def bad_request(request, exception=None):
    if _is_api(request):
        return api_bad_request(request, exception)
    message = exception.message if isinstance(exception, InvalidParameter) else ""
    return render(request, "400.html", {"message": message}, status=400)


def permission_denied(request, exception=None):
    message = str(exception or "")
    if _is_api(request):
        return JsonResponse(
            error_body(
                "permission_denied",
                message or _("Vai trò của bạn không được phép thực hiện thao tác này."),
            ),
            status=403,
        )
    return render(request, "403.html", {"message": message}, status=403)


def page_not_found(request, exception=None):
    if _is_api(request):
        return api_not_found(request)
    return render(request, "404.html", status=404)


def server_error(request):
    if _is_api(request):
        return api_server_error(request)
    return HttpResponseServerError(loader.get_template("500.html").render())


def csrf_failure(request, reason=""):
    if _is_api(request):
        return JsonResponse(
            error_body(
                "csrf_failed",
                _("Phiên làm việc đã hết hạn hoặc thiếu mã bảo vệ; hãy tải lại trang rồi thử lại."),
            ),
            status=403,
        )
    return render(
        request,
        "403.html",
        {"message": _("Biểu mẫu đã hết hạn hoặc thiếu mã bảo vệ. Hãy tải lại trang rồi gửi lại.")},
        status=403,
    )
