"""Bearer tokens: SimpleJWT's, carrying the user's token version, so that a password change or
reset ends every other session at once (access tokens included, not only refresh tokens), and the
session they belong to (one sign-in and every token rotated from it), so that one session can be
ended on its own: at sign-out, or when a rotated refresh token is used again."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer
from rest_framework_simplejwt.tokens import RefreshToken

VERSION_CLAIM = "ver"
SESSION_CLAIM = "sid"


def refresh_token_for(user: Any, *, session: str | None = None) -> RefreshToken:
    """A refresh token (and, through it, access tokens) stamped with the user's token version and
    its session: a new one at sign-in, the same one when a token is rotated."""
    token = RefreshToken.for_user(user)
    token[VERSION_CLAIM] = user.token_version
    token[SESSION_CLAIM] = session or uuid4().hex
    return token


def token_is_current(token: Any, user: Any) -> bool:
    return int(token.get(VERSION_CLAIM, 0)) == user.token_version


class DeskTokenObtainPairSerializer(TokenObtainPairSerializer):
    @classmethod
    def get_token(cls, user: Any) -> RefreshToken:
        return refresh_token_for(user)


class DeskJWTAuthentication(JWTAuthentication):
    def get_user(self, validated_token: Any) -> Any:
        user = super().get_user(validated_token)
        if not token_is_current(validated_token, user):
            raise InvalidToken("This session has ended; please sign in again.")
        return user


class DeskJWTScheme(OpenApiAuthenticationExtension):
    """Documents the bearer token in the OpenAPI schema (as SimpleJWT's own scheme)."""

    target_class = "desk.accounts.authentication.DeskJWTAuthentication"
    name = "jwtAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
