"""Security headers on every response: a Content-Security-Policy without inline scripts,
framing refused, no referrer leaks across sites, and no powerful browser features. And one
guard on input that no view should have to repeat."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from desk.core.exceptions import NON_FIELD, error_body


def content_security_policy(request: HttpRequest) -> str:
    host = request.get_host()
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            # Styles may be inline (the API docs page carries a <style> block); scripts may not.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            f"connect-src 'self' ws://{host} wss://{host}",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = content_security_policy(request)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class NullCharacterGuardMiddleware:
    """Refuses a query string that holds a NUL character, with SPEC's validation error naming the
    parameter. No filter or search needs one, and PostgreSQL cannot compare text holding one: it
    would fail in the database, in whichever view the parameter reached."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "%00" not in request.META.get("QUERY_STRING", ""):  # the only way a NUL arrives in a URL
            return self.get_response(request)
        wrong = [
            key.replace("\x00", "") or NON_FIELD
            for key, values in request.GET.lists()
            if "\x00" in key or any("\x00" in value for value in values)
        ]
        if not wrong:
            return self.get_response(request)
        details = {key: ["Null characters are not allowed."] for key in dict.fromkeys(wrong)}
        message = (
            f"{wrong[0]}: Null characters are not allowed." if len(details) == 1 else "The request has invalid fields."
        )
        return JsonResponse(error_body("validation_error", message, details), status=400)
