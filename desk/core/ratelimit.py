"""Per-user rate limits, counted in Django's cache (Redis when configured, so every server process
shares the count), with `X-RateLimit-*` headers on every API response.

A fixed one-minute window per user (per client address for anonymous requests) and per scope:
creating tickets has its own, smaller budget; everything else shares the default one. When the
cache is unreachable the API keeps serving and logs a warning: a rate limit must not take the
product down.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from desk.core.breaker import cache_breaker

logger = logging.getLogger(__name__)

SCOPE_DEFAULT = "default"
SCOPE_TICKET_CREATE = "ticket_create"


@dataclass(frozen=True)
class RateLimitState:
    limit: int
    count: int  # requests made in the current window, this one included
    reset_at: int  # Unix time at which the current window ends

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.count)

    @property
    def allowed(self) -> bool:
        return self.count <= self.limit

    @property
    def retry_after(self) -> int:
        return max(1, math.ceil(self.reset_at - time.time()))


def scope_limit(scope: str) -> int:
    if scope == SCOPE_TICKET_CREATE:
        return settings.RATE_LIMIT_TICKET_CREATE
    return settings.RATE_LIMIT_DEFAULT


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


def _incr(name: str, *, timeout: int) -> int | None:
    """Add one to a counter in the cache; None when the cache is down (the breaker then skips
    it for a few seconds, so a dead Redis does not slow every request)."""
    if not cache_breaker.allow():
        return None
    try:
        cache.add(name, 0, timeout=timeout)
        return int(cache.incr(name))
    except ValueError:  # the key expired between add and incr
        cache.set(name, 1, timeout=timeout)
        return 1
    except Exception:
        logger.warning("Rate limiting is unavailable (cache error); serving without a limit.", exc_info=True)
        cache_breaker.failed()
        return None


def hit(*, scope: str, identity: str, now: float | None = None) -> RateLimitState | None:
    """Count one request against `identity`'s window for `scope`; None when the cache is down."""
    window = settings.RATE_LIMIT_WINDOW_SECONDS
    now = time.time() if now is None else now
    window_start = int(now // window) * window
    count = _incr(f"ratelimit:{scope}:{identity}:{window_start}", timeout=window + 5)
    if count is None:
        return None
    return RateLimitState(limit=scope_limit(scope), count=count, reset_at=window_start + window)


class RateLimitThrottle(BaseThrottle):
    """DRF throttle: views choose their bucket with `rate_limit_scope` (a str or a callable)."""

    def allow_request(self, request: Request, view: Any) -> bool:
        if not settings.RATE_LIMIT_ENABLED:
            return True
        scope = SCOPE_DEFAULT
        chooser: str | Callable[[Request], str] | None = getattr(view, "rate_limit_scope", None)
        if callable(chooser):
            scope = chooser(request)
        elif isinstance(chooser, str):
            scope = chooser
        user = request.user
        identity = f"user:{user.pk}" if user and user.is_authenticated else f"ip:{client_address(request)}"
        state = hit(scope=scope, identity=identity)
        if state is None:
            return True
        request._request.rate_limit_state = state  # read by RateLimitHeadersMiddleware
        self.state = state
        return state.allowed

    def wait(self) -> float | None:
        state: RateLimitState | None = getattr(self, "state", None)
        return state.retry_after if state else None


class RateLimitHeadersMiddleware:
    """Copies the rate-limit state of the request onto the response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        state: RateLimitState | None = getattr(request, "rate_limit_state", None)
        if state is not None:
            response["X-RateLimit-Limit"] = str(state.limit)
            response["X-RateLimit-Remaining"] = str(state.remaining)
            response["X-RateLimit-Reset"] = str(state.reset_at)
        return response


# --- counters for other limits (sign-in failures, reset emails) ------------------------------


def _window_key(key: str, window: int, now: float) -> tuple[str, int]:
    start = int(now // window) * window
    return f"counter:{key}:{start}", start + window


def counter_add(key: str, *, window: int, now: float | None = None) -> int:
    """Add one to `key`'s count in the current window; returns the new count (0 if the cache is down)."""
    name, _ = _window_key(key, window, time.time() if now is None else now)
    return _incr(name, timeout=window + 5) or 0


def counter_get(key: str, *, window: int, now: float | None = None) -> tuple[int, int]:
    """The current window's count for `key`, and when the window ends (Unix time)."""
    name, reset_at = _window_key(key, window, time.time() if now is None else now)
    if not cache_breaker.allow():
        return 0, reset_at
    try:
        return int(cache.get(name) or 0), reset_at
    except Exception:
        logger.warning("Counter %s unavailable (cache error).", key, exc_info=True)
        cache_breaker.failed()
        return 0, reset_at


def counter_clear(key: str, *, window: int, now: float | None = None) -> None:
    name, _ = _window_key(key, window, time.time() if now is None else now)
    if not cache_breaker.allow():
        return
    try:
        cache.delete(name)
    except Exception:
        logger.warning("Counter %s unavailable (cache error).", key, exc_info=True)
        cache_breaker.failed()
