"""Auth endpoints: register, token, token refresh, me, sign-out, password change and reset.

The admins' users API and a person's own data (export, deletion) span domains: `desk.people`."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework_simplejwt import views as jwt_views

from desk.accounts import presenters, services
from desk.accounts.models import User
from desk.core.apis import BaseApi, ThrottleFirstMixin
from desk.core.ratelimit import SCOPE_ACCOUNT, SCOPE_REFRESH, SCOPE_SIGN_IN, client_address
from desk.core.schema import error_responses


class UserOutput(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "first_name",
            "last_name",
            "name",
            "role",
            "is_staff",
            "is_active",
            "triage",
            "date_joined",
        ]
        read_only_fields = fields


class UserBrief(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "name"]
        read_only_fields = fields


class PersonOutput(serializers.Serializer):
    """The author of a message or a history entry: a name, without contact details."""

    id = serializers.UUIDField()
    name = serializers.CharField()
    is_staff = serializers.BooleanField()


class PersonRefOutput(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()


class RegisterInput(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")


def _body_field(request: Request, name: str) -> str:
    data = request.data if isinstance(request.data, dict) else {}
    value = data.get(name)
    return value if isinstance(value, str) else ""


def _per_address(request: Request) -> str:
    return f"ip:{client_address(request)}"


def _per_address_and_account(request: Request) -> str:
    """Sign-in attempts count per address and account: others behind the same proxy cannot
    spend someone's budget."""
    return f"ip:{client_address(request)}:{services.account_key(_body_field(request, 'email'))}"


def _per_session_owner(request: Request) -> str | None:
    """Refreshes count per account (from the token's signature, without the database); a token
    that does not verify counts as anonymous traffic."""
    subject = services.refresh_token_subject(_body_field(request, "refresh"))
    return f"user:{subject}" if subject else None


class PublicAccountApi(BaseApi):
    """Anyone may call it (no token read); limited per client address in the account budget
    (registrations, reset requests and links)."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    rate_limit_scope = SCOPE_ACCOUNT
    rate_limit_identity = staticmethod(_per_address)


class PublicSessionApi(BaseApi):
    """Anyone may call it with a refresh token, and no access token is read (an expired one must
    not block refreshing or signing out); limited per account in the refresh budget."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    rate_limit_scope = SCOPE_REFRESH
    rate_limit_identity = staticmethod(_per_session_owner)


class RegisterApi(PublicAccountApi):
    """Create a customer account."""

    @extend_schema(
        operation_id="auth_register",
        request=RegisterInput,
        responses={201: UserOutput, **error_responses(400, 429)},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = RegisterInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_register(**data.validated_data)
        return Response(presenters.user_data(user), status=status.HTTP_201_CREATED)


class MeApi(BaseApi):
    """The signed-in user."""

    @extend_schema(operation_id="auth_me", responses={200: UserOutput, **error_responses(401, 429)})
    def get(self, request: Request) -> Response:
        return Response(presenters.user_data(request.user))


class TokenPairOutput(serializers.Serializer):
    access = serializers.CharField(help_text="Send as `Authorization: Bearer <access>`; short-lived.")
    refresh = serializers.CharField(help_text="Exchange at /api/auth/token/refresh/ for a new pair.")


class TokenObtainApi(ThrottleFirstMixin, jwt_views.TokenObtainPairView):
    """Log in with email and password; returns an access and a refresh token."""

    rate_limit_scope = SCOPE_SIGN_IN
    rate_limit_identity = staticmethod(_per_address_and_account)

    @extend_schema(
        operation_id="auth_token",
        responses={200: TokenPairOutput, **error_responses(400, 401, 429)},
        auth=[],
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        email = _body_field(request, "email")
        address = client_address(request)
        guard = services.sign_in_guard(email=email, address=address)
        try:
            response = super().post(request, *args, **kwargs)
        except AuthenticationFailed:
            services.sign_in_failed(email=email, address=address, guard=guard)
            raise
        services.sign_in_succeeded(email=email)
        return response


class TokenRefreshInput(serializers.Serializer):
    refresh = serializers.CharField(help_text="The refresh token from sign-in or the last refresh.")


class TokenRefreshApi(PublicSessionApi):
    """Exchange a refresh token for a new access and refresh token."""

    @extend_schema(
        operation_id="auth_token_refresh",
        description=(
            "Refresh tokens rotate: the old refresh token stops working and a new one is returned. "
            "Of concurrent refreshes with one token, one succeeds. A rotated token used again ends "
            "its session: every token of that sign-in stops refreshing."
        ),
        request=TokenRefreshInput,
        responses={200: TokenPairOutput, **error_responses(400, 401, 429)},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = TokenRefreshInput(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(services.session_refresh(refresh=data.validated_data["refresh"]))


class LogoutInput(serializers.Serializer):
    refresh = serializers.CharField(help_text="The refresh token of the session to end.")


class LogoutApi(PublicSessionApi):
    """Sign out: the refresh token stops working (access tokens expire within minutes)."""

    @extend_schema(operation_id="auth_logout", request=LogoutInput, responses={204: None, **error_responses(400, 429)})
    def post(self, request: Request) -> Response:
        data = LogoutInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.session_end(refresh=data.validated_data["refresh"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordChangeInput(serializers.Serializer):
    current_password = serializers.CharField(max_length=128, trim_whitespace=False)
    new_password = serializers.CharField(max_length=128, trim_whitespace=False)


class PasswordChangeApi(BaseApi):
    """Change your password; every other session is signed out. Returns new tokens for this one."""

    @extend_schema(
        operation_id="auth_password_change",
        request=PasswordChangeInput,
        responses={200: TokenPairOutput, **error_responses(400, 401, 429)},
    )
    def post(self, request: Request) -> Response:
        data = PasswordChangeInput(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(services.password_change(user=request.user, **data.validated_data))


class PasswordResetInput(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class PasswordResetConfirmInput(serializers.Serializer):
    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=128)
    new_password = serializers.CharField(max_length=128, trim_whitespace=False)


DetailOutput = inline_serializer("Detail", {"detail": serializers.CharField()})


class PasswordResetApi(PublicAccountApi):
    """Ask for a password reset link by email. The answer is the same whether or not the email
    belongs to an account."""

    @extend_schema(
        operation_id="auth_password_reset",
        request=PasswordResetInput,
        responses={202: DetailOutput, **error_responses(400, 429)},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = PasswordResetInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.password_reset_request(email=data.validated_data["email"])
        return Response(
            {"detail": "If an account uses this email, a reset link is on its way."}, status=status.HTTP_202_ACCEPTED
        )


class PasswordResetLinkInput(serializers.Serializer):
    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=128)


class PasswordResetCheckApi(PublicAccountApi):
    """Whether a reset link still works (it works once, until it expires), so that a used or
    expired link says so at once instead of showing a form that cannot succeed."""

    @extend_schema(
        operation_id="auth_password_reset_check",
        request=PasswordResetLinkInput,
        responses={
            200: inline_serializer("ResetLinkState", {"valid": serializers.BooleanField()}),
            **error_responses(400, 429),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = PasswordResetLinkInput(data=request.data)
        data.is_valid(raise_exception=True)
        return Response({"valid": services.password_reset_link_works(**data.validated_data)})


class PasswordResetConfirmApi(PublicAccountApi):
    """Set a new password with the link's uid and token; the link then stops working."""

    @extend_schema(
        operation_id="auth_password_reset_confirm",
        request=PasswordResetConfirmInput,
        responses={200: DetailOutput, **error_responses(400, 429)},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = PasswordResetConfirmInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.password_reset_confirm(**data.validated_data)
        return Response({"detail": "Your password is changed. Sign in with the new one."})
