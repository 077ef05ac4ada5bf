"""Websocket sign-in with the same JWT access token as the HTTP API (config.asgi puts it in
front of the live-update consumer).

The token never travels in the URL, which proxies and servers write to their access logs. A
browser, which cannot set headers on a websocket, offers it as a subprotocol next to the desk's
own: `new WebSocket(url, ["desk", "desk.bearer.<token>"])`; the server answers with `desk` only,
so the token is never echoed. Other clients may send `Authorization: Bearer <token>`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from django.contrib.auth.models import AnonymousUser

from desk.accounts.authentication import SESSION_CLAIM, DeskJWTAuthentication
from desk.realtime.consumers import TOKEN_SUBPROTOCOL_PREFIX


@dataclass(frozen=True)
class SocketCredentials:
    """Who a socket speaks for, until when, and in which session."""

    user: Any
    expires_at: float = 0.0
    session: str | None = None


ANONYMOUS = SocketCredentials(user=AnonymousUser())


@database_sync_to_async
def credentials_for_token(raw: str) -> SocketCredentials:
    auth = DeskJWTAuthentication()
    try:
        token = auth.get_validated_token(raw.encode())
        user = auth.get_user(token)
    except Exception:  # noqa: BLE001 - any bad token is "anonymous"
        return ANONYMOUS
    if not user.is_active:
        return ANONYMOUS
    session = token.get(SESSION_CLAIM)
    return SocketCredentials(user=user, expires_at=float(token["exp"]), session=str(session) if session else None)


def token_from_scope(scope: dict[str, Any]) -> str | None:
    for offered in scope.get("subprotocols") or []:
        if offered.startswith(TOKEN_SUBPROTOCOL_PREFIX):
            return offered[len(TOKEN_SUBPROTOCOL_PREFIX) :]
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            parts = value.decode("latin-1").split()
            if len(parts) == 2 and parts[0].lower() == "bearer":
                return parts[1]
    return None


class JwtAuthMiddleware(BaseMiddleware):
    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        raw = token_from_scope(scope)
        credentials = await credentials_for_token(raw) if raw else ANONYMOUS
        scope["user"] = credentials.user
        scope["credentials"] = credentials
        scope["authenticate"] = credentials_for_token  # for a fresh token sent over the socket
        return await super().__call__(scope, receive, send)
