"""Websocket sign-in with the same JWT access token as the HTTP API (config.asgi puts it in
front of the live-update consumer).

Browsers cannot set headers on a websocket, so the token travels in the `token` query parameter
(or the `Authorization` header for other clients)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from django.contrib.auth.models import AnonymousUser
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError

from desk.accounts.authentication import DeskJWTAuthentication


@database_sync_to_async
def user_for_token(raw: str) -> Any:
    auth = DeskJWTAuthentication()
    try:
        token = auth.get_validated_token(raw.encode())
        user = auth.get_user(token)
    except (InvalidToken, TokenError, Exception):  # noqa: BLE001 - any bad token is "anonymous"
        return AnonymousUser()
    return user if user.is_active else AnonymousUser()


def token_from_scope(scope: dict[str, Any]) -> str | None:
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    if query.get("token"):
        return query["token"][0]
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            parts = value.decode("latin-1").split()
            if len(parts) == 2 and parts[0].lower() == "bearer":
                return parts[1]
    return None


class JwtAuthMiddleware(BaseMiddleware):
    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        raw = token_from_scope(scope)
        scope["user"] = await user_for_token(raw) if raw else AnonymousUser()
        return await super().__call__(scope, receive, send)
