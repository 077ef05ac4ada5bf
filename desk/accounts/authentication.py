"""Bearer tokens: SimpleJWT's, carrying the user's token version, so that a password change or
reset ends every other session at once (access tokens included, not only refresh tokens)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer, TokenRefreshSerializer
from rest_framework_simplejwt.tokens import RefreshToken

VERSION_CLAIM = "ver"


def refresh_token_for(user: Any) -> RefreshToken:
    """A refresh token (and, through it, access tokens) stamped with the user's token version."""
    token = RefreshToken.for_user(user)
    token[VERSION_CLAIM] = user.token_version
    return token


def token_is_current(token: Any, user: Any) -> bool:
    return int(token.get(VERSION_CLAIM, 0)) == user.token_version


class DeskTokenObtainPairSerializer(TokenObtainPairSerializer):
    @classmethod
    def get_token(cls, user: Any) -> RefreshToken:
        return refresh_token_for(user)


class DeskTokenRefreshSerializer(TokenRefreshSerializer):
    """Refuses a refresh token from before the user's last password change, even if it somehow
    escaped the blacklist."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        from django.contrib.auth import get_user_model

        token = self.token_class(attrs["refresh"])
        user = get_user_model().objects.filter(pk=token.get("user_id")).only("token_version", "is_active").first()
        if user is None or not user.is_active or not token_is_current(token, user):
            raise InvalidToken("This session has ended; please sign in again.")
        return super().validate(attrs)


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
