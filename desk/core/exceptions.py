"""One exception handler for the whole API: every error leaves in SPEC's error body."""

from __future__ import annotations

import logging
from typing import Any

from django.core import exceptions as django_exceptions
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import DatabaseError, IntegrityError
from django.http import Http404
from rest_framework import exceptions as drf
from rest_framework.response import Response
from rest_framework.views import set_rollback

from desk.core.errors import ApplicationError, wait_phrase

logger = logging.getLogger(__name__)

NON_FIELD = "non_field_errors"

# DRF exception class -> (code, default message). Checked in order; subclasses first.
_DRF_CODES: list[tuple[type[drf.APIException], str, str | None]] = [
    (drf.ParseError, "validation_error", None),
    (drf.ValidationError, "validation_error", "The request has invalid fields."),
    (drf.NotAuthenticated, "not_authenticated", None),
    (drf.AuthenticationFailed, "not_authenticated", None),
    (drf.PermissionDenied, "permission_denied", None),
    (drf.NotFound, "not_found", None),
    (drf.MethodNotAllowed, "method_not_allowed", None),
    (drf.NotAcceptable, "not_acceptable", None),
    (drf.UnsupportedMediaType, "unsupported_media_type", None),
    (drf.Throttled, "rate_limit_exceeded", None),
]


_BODY_LIMITS: dict[type[Exception], str] = {
    RequestDataTooBig: "The request body is too large.",
    TooManyFieldsSent: "The request has too many fields.",
    TooManyFilesSent: "The request has too many files.",
}


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": code, "message": message, "details": details or {}}


def flatten_details(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """Turn DRF's nested error detail into SPEC's flat {field: [messages]} mapping."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if key in (NON_FIELD, "detail") and not prefix:
                name = NON_FIELD
            for field, messages in flatten_details(value, name).items():
                out.setdefault(field, []).extend(messages)
    elif isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            out.setdefault(prefix or NON_FIELD, []).extend(str(item) for item in detail)
        else:
            for index, item in enumerate(detail):
                if item:
                    name = f"{prefix}.{index}" if prefix else str(index)
                    for field, messages in flatten_details(item, name).items():
                        out.setdefault(field, []).extend(messages)
    elif detail is not None:
        out.setdefault(prefix or NON_FIELD, []).append(str(detail))
    return out


def _validation_message(details: dict[str, list[str]]) -> str:
    if len(details) == 1:
        field, messages = next(iter(details.items()))
        if messages:
            text = messages[0]
            return text if field == NON_FIELD else f"{field}: {text}"
    return "The request has invalid fields."


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    headers: dict[str, str] = {}
    if isinstance(exc, ApplicationError):
        set_rollback()
        response = Response(error_body(exc.code, exc.message, exc.details), status=exc.status_code)
        retry_after = getattr(exc, "retry_after", None)
        if retry_after is not None:
            response["Retry-After"] = str(retry_after)
        return response

    if isinstance(exc, (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)):
        set_rollback()
        return Response(error_body("validation_error", _BODY_LIMITS[type(exc)]), status=400)
    if isinstance(exc, DatabaseError):
        # The transaction is rolled back; say what the client can do rather than "500".
        set_rollback()
        logger.exception("Database error during %s", getattr(context.get("request"), "path", "a request"))
        if isinstance(exc, IntegrityError):
            return Response(
                error_body("conflict", "The change conflicts with another one; nothing was saved. Please retry."),
                status=409,
            )
        return Response(
            error_body("service_unavailable", "The service is briefly unavailable; nothing was saved. Please retry."),
            status=503,
            headers={"Retry-After": "5"},
        )
    if isinstance(exc, Http404):
        exc = drf.NotFound()
    elif isinstance(exc, django_exceptions.PermissionDenied):
        exc = drf.PermissionDenied()
    elif isinstance(exc, django_exceptions.ValidationError):
        exc = drf.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD: exc.messages})

    if not isinstance(exc, drf.APIException):
        return None  # A real bug: let Django log it; the 500 handler still answers in SPEC's format.

    set_rollback()
    code = "error"
    for klass, mapped, _ in _DRF_CODES:
        if isinstance(exc, klass):
            code = mapped
            break
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if isinstance(exc, drf.Throttled) and exc.wait is not None:
        headers["Retry-After"] = str(max(1, int(exc.wait)))

    if isinstance(exc, drf.ValidationError):
        details = flatten_details(exc.detail)
        message = _validation_message(details)
    elif isinstance(exc, drf.ParseError):
        details = {}
        message = f"Malformed request body: {exc.detail}"
    elif isinstance(exc, drf.Throttled):
        details = {}
        wait = int(headers.get("Retry-After", "60"))
        message = f"Too many requests; try again {wait_phrase(wait)}."
    else:
        details = {}
        message = str(exc.detail) if not isinstance(exc.detail, (dict, list)) else exc.default_detail
    return Response(error_body(code, str(message), details), status=exc.status_code, headers=headers)
