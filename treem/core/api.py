"""One error shape for the whole API:

    {"error": {"code": "not_found", "message": "…", "fields": {"name": ["…"]}}}

`fields` is present only for validation errors. The same shape is used for 404/500 of /api/ paths
that never reach DRF.
"""

from __future__ import annotations

from django.core.exceptions import BadRequest, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler as drf_exception_handler

from treem.core.parsing import InvalidParameter


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    body: dict = {"error": {"code": code, "message": str(message)}}
    if fields:
        body["error"]["fields"] = fields
    return body


class ErrorSerializer(serializers.Serializer):
    """Documents the error shape in the OpenAPI schema."""

    class _Inner(serializers.Serializer):
        code = serializers.CharField()
        message = serializers.CharField()
        fields = serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()), required=False
        )

    error = _Inner()


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    if isinstance(exc, InvalidParameter):
        exc = exceptions.ValidationError({exc.name: [exc.message]})
    elif isinstance(exc, BadRequest):
        exc = exceptions.ParseError(str(exc) or None)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        if isinstance(detail, list):
            detail = {"non_field_errors": detail}
        fields = {
            k: [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in detail.items()
        }
        response.data = error_body(
            "invalid", _("Dữ liệu gửi lên chưa hợp lệ; xem lỗi của từng trường."), fields
        )
    else:
        code = exc.get_codes() if hasattr(exc, "get_codes") else "error"
        if not isinstance(code, str):
            code = "error"
        response.data = error_body(code, exc.detail if hasattr(exc, "detail") else str(exc))
    return response


def api_bad_request(request, exception=None):
    if isinstance(exception, InvalidParameter):
        body = error_body(
            "invalid",
            _("Dữ liệu gửi lên chưa hợp lệ; xem lỗi của từng trường."),
            {exception.name: [exception.message]},
        )
    else:
        body = error_body("bad_request", _("Yêu cầu không hợp lệ."))
    return JsonResponse(body, status=400)


def api_not_found(request, exception=None):
    return JsonResponse(error_body("not_found", _("Không tìm thấy.")), status=404)


def api_server_error(request):
    return JsonResponse(
        error_body("server_error", _("Máy chủ gặp lỗi. Hãy thử lại sau ít phút.")), status=500
    )


_ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
            "required": ["code", "message"],
        }
    },
    "required": ["error"],
}
_ERROR_STATUSES = {
    "400": "Invalid input",
    "401": "Not authenticated",
    "403": "Not allowed",
    "404": "Not found (or outside your jurisdiction)",
    "429": "Too many requests",
}


def add_error_responses(result, generator, request, public):
    """drf-spectacular post-processing hook: every operation documents the one error shape for the
    error statuses any endpoint can answer with."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["ApiError"] = _ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/ApiError"}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status, description in _ERROR_STATUSES.items():
                operation["responses"].setdefault(
                    status,
                    {"description": description, "content": {"application/json": {"schema": ref}}},
                )
    return result
