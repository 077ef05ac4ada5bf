"""Plain Django views shared by the whole site: health check, the web app's shell, and the
error pages that answer API paths in SPEC's error body."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from desk.core.exceptions import error_body

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health check: the database is unreachable.")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _wants_api_error(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def _error(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    if _wants_api_error(request) or status >= 500:
        return JsonResponse(error_body(code, message), status=status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, "bad_request", "The request could not be understood.")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, "permission_denied", "You do not have permission to perform this action.")


@csrf_exempt  # nothing is there to protect: an unknown URL answers 404 whatever the method
def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, "not_found", f"No endpoint or page at {request.path}.")


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(request, 500, "server_error", "Something went wrong on our side; please try again.")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(request, 403, "permission_denied", "The request's CSRF check failed.")


@never_cache
@require_safe
def spa(request: HttpRequest) -> HttpResponse:
    """Serve the web app's shell for every non-API path, so deep links and reloads work."""
    index = settings.WEB_DIST_DIR / "index.html"
    if not index.is_file():
        return HttpResponse(
            "The web app is not built yet: run `make run` (or `npm --prefix web run build`).",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    return HttpResponse(index.read_bytes(), content_type="text/html; charset=utf-8")
