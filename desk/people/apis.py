"""A person's own data (download, deletion) and the admins' users API (`/api/auth/users/`):
endpoints whose work spans domains (`desk.people.flows`, `desk.people.export`)."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from desk.accounts import presenters, selectors
from desk.accounts import services as account_services
from desk.accounts.apis import UserOutput
from desk.accounts.models import Role
from desk.accounts.permissions import AdminsOnly
from desk.core.apis import BaseApi
from desk.core.pagination import StandardPagination
from desk.core.schema import error_responses, page_of
from desk.people import export, flows


class AccountExportApi(BaseApi):
    """Download all your data (tickets, messages, files, notifications) as a zip archive."""

    @extend_schema(
        operation_id="auth_me_export",
        responses={(200, "application/zip"): OpenApiTypes.BINARY, **error_responses(401, 429)},
    )
    def get(self, request: Request) -> FileResponse:
        archive = export.account_export(user=request.user)
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
        flows.account_delete(user=request.user, password=data.validated_data["password"])
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- users (admins only) --------------------------------------------------------------------


class AdminApi(BaseApi):
    """Refuses everyone but admins (403) before anything else is looked at."""

    permission_classes = [AdminsOnly]


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
    triage = serializers.BooleanField(
        required=False, help_text="Staff only: hears of new tickets and of replies on unassigned ones."
    )


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
        return paginator.get_paginated_response([presenters.user_data(user) for user in page])

    @extend_schema(
        operation_id="users_create",
        request=UserCreateInput,
        responses={201: UserOutput, **error_responses(400, 401, 403, 429)},
    )
    def post(self, request: Request) -> Response:
        user = account_services.user_create_by_admin(actor=request.user, **_parse(UserCreateInput, request.data))
        return Response(presenters.user_data(user), status=status.HTTP_201_CREATED)


class UserDetailApi(AdminApi):
    """Admins: one account; change its name, role or active flag. Accounts are never deleted here."""

    @extend_schema(operation_id="users_retrieve", responses={200: UserOutput, **error_responses(401, 403, 404, 429)})
    def get(self, request: Request, user_id: str) -> Response:
        return Response(presenters.user_data(selectors.user_get(user_id=user_id)))

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
        user = flows.user_update(actor=request.user, user=user, changes=changes)
        return Response(presenters.user_data(user))


class UserDeactivateApi(AdminApi):
    """Admins: deactivate an account (it cannot sign in; its tickets and history stay)."""

    @extend_schema(
        operation_id="users_deactivate",
        request=None,
        responses={200: UserOutput, **error_responses(400, 401, 403, 404, 429)},
    )
    def post(self, request: Request, user_id: str) -> Response:
        user = selectors.user_get(user_id=user_id)
        return Response(presenters.user_data(flows.user_deactivate(actor=request.user, user=user)))
