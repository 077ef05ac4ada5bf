"""Auth endpoints: register, token, token refresh, me, sign-out, password change and reset; and
the admins' users API (`/api/auth/users/`)."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework_simplejwt import views as jwt_views

from desk.accounts import privacy, selectors, services
from desk.accounts.models import Role, User
from desk.accounts.services import user_register
from desk.core.apis import BaseApi, ThrottleFirstMixin
from desk.core.pagination import StandardPagination
from desk.core.ratelimit import client_address
from desk.core.schema import error_responses, page_of


class UserOutput(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "first_name", "last_name", "name", "role", "is_staff", "is_active", "date_joined"]
        read_only_fields = fields


class UserBrief(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "name"]
        read_only_fields = fields


class RegisterInput(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")


class RegisterApi(BaseApi):
    """Create a customer account."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        operation_id="auth_register",
        request=RegisterInput,
        responses={201: UserOutput, **error_responses(400, 429)},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = RegisterInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = user_register(**data.validated_data)
        return Response(UserOutput(user).data, status=status.HTTP_201_CREATED)


class MeApi(BaseApi):
    """The signed-in user."""

    @extend_schema(operation_id="auth_me", responses={200: UserOutput, **error_responses(401, 429)})
    def get(self, request: Request) -> Response:
        return Response(UserOutput(request.user).data)


class TokenPairOutput(serializers.Serializer):
    access = serializers.CharField(help_text="Send as `Authorization: Bearer <access>`; short-lived.")
    refresh = serializers.CharField(help_text="Exchange at /api/auth/token/refresh/ for a new pair.")


class TokenObtainApi(ThrottleFirstMixin, jwt_views.TokenObtainPairView):
    """Log in with email and password; returns an access and a refresh token."""

    @extend_schema(
        operation_id="auth_token",
        responses={200: TokenPairOutput, **error_responses(400, 401, 429)},
        auth=[],
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = request.data if isinstance(request.data, dict) else {}
        email = data.get("email") if isinstance(data.get("email"), str) else ""
        address = client_address(request)
        services.login_guard(email=email, address=address)
        try:
            response = super().post(request, *args, **kwargs)
        except AuthenticationFailed:
            services.login_failed(email=email, address=address)
            raise
        services.login_succeeded(email=email)
        return response


class TokenRefreshApi(ThrottleFirstMixin, jwt_views.TokenRefreshView):
    """Exchange a refresh token for a new access and refresh token."""

    @extend_schema(
        operation_id="auth_token_refresh",
        description="Refresh tokens rotate: the old refresh token stops working and a new one is returned.",
        responses={200: TokenPairOutput, **error_responses(400, 401, 429)},
        auth=[],
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().post(request, *args, **kwargs)


class LogoutInput(serializers.Serializer):
    refresh = serializers.CharField(help_text="The refresh token of the session to end.")


class LogoutApi(BaseApi):
    """Sign out: the refresh token stops working (access tokens expire within minutes)."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []  # an expired access token must not block signing out

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


class PasswordResetApi(BaseApi):
    """Ask for a password reset link by email. The answer is the same whether or not the email
    belongs to an account."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

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


class PasswordResetConfirmApi(BaseApi):
    """Set a new password with the link's uid and token; the link then stops working."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

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


class AccountExportApi(BaseApi):
    """Download all your data (tickets, messages, files, notifications) as a zip archive."""

    @extend_schema(
        operation_id="auth_me_export",
        responses={(200, "application/zip"): OpenApiTypes.BINARY, **error_responses(401, 429)},
    )
    def get(self, request: Request) -> FileResponse:
        archive = privacy.account_export(user=request.user)
        filename = f"support-desk-data-{timezone.now():%Y%m%d}.zip"
        response = FileResponse(archive, as_attachment=True, filename=filename, content_type="application/zip")
        response["Cache-Control"] = "private, no-store"
        return response


class AccountDeleteInput(serializers.Serializer):
    password = serializers.CharField(max_length=128, trim_whitespace=False, help_text="Confirms it is you.")


class AccountDeleteApi(BaseApi):
    """Delete your (customer or provider) account and all its tickets, for good."""

    @extend_schema(
        operation_id="auth_me_delete",
        request=AccountDeleteInput,
        responses={204: None, **error_responses(400, 401, 403, 429)},
    )
    def post(self, request: Request) -> Response:
        data = AccountDeleteInput(data=request.data)
        data.is_valid(raise_exception=True)
        privacy.account_delete(user=request.user, password=data.validated_data["password"])
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- users (admins only) --------------------------------------------------------------------


class AdminApi(BaseApi):
    """Refuses everyone but admins (403) before anything else is looked at."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        services.ensure_admin(request.user)


UserPageOutput = page_of(UserOutput, "UserPage")


class UserCreateInput(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)
    role = serializers.ChoiceField(choices=Role.choices)
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")


class UserUpdateInput(serializers.Serializer):
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    role = serializers.ChoiceField(choices=Role.choices, required=False, help_text="Not your own.")
    is_active = serializers.BooleanField(required=False, help_text="false deactivates (not yourself).")


def _parse(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


USER_LIST_PARAMETERS = [
    OpenApiParameter("role", str, description="Comma-separated: customer, provider, agent, admin."),
    OpenApiParameter("is_active", str, enum=["true", "false"]),
    OpenApiParameter("search", str, description="Words in the email, first or last name."),
    OpenApiParameter("ordering", str, enum=list(selectors.USER_ORDERINGS)),
    OpenApiParameter("page", int),
    OpenApiParameter("page_size", int, description="Default 10, at most 100."),
]


class UserListCreateApi(AdminApi):
    """Admins: list every account, or open one with any role (how staff accounts are made)."""

    @extend_schema(
        operation_id="users_list",
        parameters=USER_LIST_PARAMETERS,
        responses={200: UserPageOutput, **error_responses(400, 401, 403, 404, 429)},
    )
    def get(self, request: Request) -> Response:
        users = selectors.user_list(filters=request.query_params)
        paginator = StandardPagination()
        page = paginator.paginate_queryset(users, request, view=self)
        return paginator.get_paginated_response(UserOutput(page, many=True).data)

    @extend_schema(
        operation_id="users_create",
        request=UserCreateInput,
        responses={201: UserOutput, **error_responses(400, 401, 403, 429)},
    )
    def post(self, request: Request) -> Response:
        user = services.user_create_by_admin(actor=request.user, **_parse(UserCreateInput, request.data))
        return Response(UserOutput(user).data, status=status.HTTP_201_CREATED)


class UserDetailApi(AdminApi):
    """Admins: one account; change its name, role or active flag. Accounts are never deleted here."""

    @extend_schema(operation_id="users_retrieve", responses={200: UserOutput, **error_responses(401, 403, 404, 429)})
    def get(self, request: Request, user_id: str) -> Response:
        return Response(UserOutput(selectors.user_get(user_id=user_id)).data)

    @extend_schema(
        operation_id="users_partial_update",
        request=UserUpdateInput,
        description=(
            "A new role or a deactivation signs the user out everywhere. Someone who stops being active "
            "staff is taken off their open tickets. You cannot change your own role or deactivate yourself."
        ),
        responses={200: UserOutput, **error_responses(400, 401, 403, 404, 429)},
    )
    def patch(self, request: Request, user_id: str) -> Response:
        user = selectors.user_get(user_id=user_id)
        changes = _parse(UserUpdateInput, request.data)
        user = services.user_update(actor=request.user, user=user, changes=changes)
        return Response(UserOutput(user).data)


class UserDeactivateApi(AdminApi):
    """Admins: deactivate an account (it cannot sign in; its tickets and history stay)."""

    @extend_schema(
        operation_id="users_deactivate",
        request=None,
        responses={200: UserOutput, **error_responses(400, 401, 403, 404, 429)},
    )
    def post(self, request: Request, user_id: str) -> Response:
        user = selectors.user_get(user_id=user_id)
        return Response(UserOutput(services.user_deactivate(actor=request.user, user=user)).data)
