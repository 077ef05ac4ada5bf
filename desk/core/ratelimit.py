"""Rate limits, counted in Django's cache (Redis when configured, so every server process shares
the count), with `X-RateLimit-*` headers on every API response.

Each request counts against one budget, a scope and an identity:

- a signed-in user: their own budget per scope (`default`, and a smaller one for creating tickets);
- anything anonymous, a bad token included: the client address's `anonymous` budget, which
  nothing else shares, so noise from one address never blocks signing in;
- the sign-in, registration and refresh endpoints choose their own identity (`rate_limit_identity`
  on the view): sign-in counts per address *and* account, refresh per account, so someone
  behind the same proxy cannot spend another person's budget.

The window slides: at most `limit` requests pass in any minute, however they are timed, and a
refusal says exactly when to try again. One round trip to Redis per request (a small script).

When the cache is unreachable the API keeps serving and logs a warning: a rate limit must not take
the product down. (Failed sign-ins are counted in the database instead, and hold without it:
`desk.accounts.services`.)

The client address is the connection's, or, behind `TRUSTED_PROXY_COUNT` proxies of our own, the
one the outermost of them saw (`X-Forwarded-For`); the header is never trusted otherwise.
"""

from __future__ import annotations

import logging
import math
import threading
import time
import uuid
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
SCOPE_ANONYMOUS = "anonymous"
SCOPE_SIGN_IN = "sign_in"
SCOPE_REFRESH = "refresh"
SCOPE_ACCOUNT = "account"  # registration and password reset
SCOPE_INBOUND_EMAIL = "inbound_email"  # mail servers posting raw mail


@dataclass(frozen=True)
class RateLimitState:
    limit: int
    count: int  # requests in the last window (this one included), as the sliding window counts them
    reset_at: float  # Unix time by which the budget has room again

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
    return {
        SCOPE_TICKET_CREATE: settings.RATE_LIMIT_TICKET_CREATE,
        SCOPE_ANONYMOUS: settings.RATE_LIMIT_ANONYMOUS,
        SCOPE_SIGN_IN: settings.RATE_LIMIT_SIGN_IN,
        SCOPE_REFRESH: settings.RATE_LIMIT_REFRESH,
        SCOPE_ACCOUNT: settings.RATE_LIMIT_ACCOUNT,
        SCOPE_INBOUND_EMAIL: settings.RATE_LIMIT_INBOUND_EMAIL,
    }.get(scope, settings.RATE_LIMIT_DEFAULT)


def client_address(request: HttpRequest) -> str:
    """The client's address: the connection's, unless TRUSTED_PROXY_COUNT proxies of ours stand in
    front (then the address the outermost one saw, from the right of `X-Forwarded-For`, since
    each proxy appends the address it was reached from; whatever the client put to its left is
    ignored). A header with fewer addresses than proxies did not come through them all: the
    connection's address is used."""
    remote = request.META.get("REMOTE_ADDR") or "unknown"
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]


# --- counting ---------------------------------------------------------------------------------
#
# A sliding log: the times of the requests allowed within the last window, per budget. At most
# `limit` requests pass in any window, whatever their timing (no double burst across a boundary),
# and the wait after a refusal is exact: until the oldest of them leaves the window. A refused
# request is not logged, so the log never holds more than `limit` entries.

# KEYS: the log; ARGV: now (s), window (s), limit, a unique member for this request.
_SLIDING_LOG = """
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
local allowed = 0
if count < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  count = count + 1
  allowed = 1
end
redis.call('PEXPIRE', KEYS[1], math.ceil(window * 1000) + 1000)
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {allowed, count, oldest[2] or ARGV[1]}
"""
_local_lock = threading.Lock()


def _redis_client() -> Any | None:
    """The Redis client behind Django's cache, when it is Redis."""
    backend = getattr(cache, "_cache", None)
    get_client = getattr(backend, "get_client", None)
    return get_client(None, write=True) if callable(get_client) else None


def _log(key: str, *, now: float, window: int, limit: int) -> tuple[bool, int, float] | None:
    """Log one request if it fits: (allowed, requests in the window, when the oldest was made).
    None when the cache is down (the breaker then skips it for a few seconds, so a dead Redis
    does not slow every request)."""
    if not cache_breaker.allow():
        return None
    try:
        client = _redis_client()
        if client is not None:
            member = f"{now:.6f}:{uuid.uuid4().hex[:8]}"
            allowed, count, oldest = client.eval(
                _SLIDING_LOG, 1, cache.make_and_validate_key(key), repr(now), window, limit, member
            )
            return bool(allowed), int(count), float(oldest)
        with _local_lock:  # the in-process cache (embedded mode): one process, one lock
            times = [t for t in (cache.get(key) or []) if t > now - window]
            allowed = len(times) < limit
            if allowed:
                times.append(now)
            cache.set(key, times, timeout=window + 1)
            return allowed, len(times), (times[0] if times else now)
    except Exception:
        logger.warning("Rate limiting is unavailable (cache error); serving without a limit.", exc_info=True)
        cache_breaker.failed()
        return None


def hit(*, scope: str, identity: str, now: float | None = None) -> RateLimitState | None:
    """Count one request against `identity`'s budget for `scope`; None when the cache is down."""
    window = settings.RATE_LIMIT_WINDOW_SECONDS
    limit = scope_limit(scope)
    now = time.time() if now is None else now
    logged = _log(f"ratelimit:{scope}:{identity}", now=now, window=window, limit=limit)
    if logged is None:
        return None
    allowed, count, oldest = logged
    return RateLimitState(limit=limit, count=count if allowed else limit + 1, reset_at=oldest + window)


# --- the DRF throttle and the headers ---------------------------------------------------------


class RateLimitThrottle(BaseThrottle):
    """DRF throttle. A view chooses its budget with `rate_limit_scope` (a str or a callable of the
    request) and, for requests that carry no user, may name who is asking with
    `rate_limit_identity` (a callable of the request returning an identity, or None)."""

    def allow_request(self, request: Request, view: Any) -> bool:
        if not settings.RATE_LIMIT_ENABLED:
            return True
        scope, identity = self._budget(request, view)
        state = hit(scope=scope, identity=identity)
        if state is None:
            return True
        request._request.rate_limit_state = state  # read by RateLimitHeadersMiddleware
        self.state = state
        return state.allowed

    @staticmethod
    def _budget(request: Request, view: Any) -> tuple[str, str]:
        user = request.user
        chooser: str | Callable[[Request], str] | None = getattr(view, "rate_limit_scope", None)
        scope = chooser(request) if callable(chooser) else (chooser or SCOPE_DEFAULT)
        if user and user.is_authenticated:
            return scope, f"user:{user.pk}"
        name: Callable[[Request], str | None] | None = getattr(view, "rate_limit_identity", None)
        identity = name(request) if callable(name) else None
        if identity is not None:
            return scope, identity
        return SCOPE_ANONYMOUS, f"ip:{client_address(request)}"

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
            response["X-RateLimit-Reset"] = str(math.ceil(state.reset_at))
        return response
