"""Notification endpoints: the user's in-app notifications and email preferences."""

from __future__ import annotations

import uuid
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from desk.core.apis import BaseApi
from desk.core.errors import NotFound, ValidationFailed
from desk.core.pagination import StandardPagination
from desk.core.schema import error_responses, page_of
from desk.notifications import presenters, selectors, services
from desk.notifications.models import Kind, Notification


class NotificationOutput(serializers.ModelSerializer):
    ticket = serializers.UUIDField(source="ticket_id", allow_null=True)
    ticket_title = serializers.CharField(source="ticket.title", allow_null=True, default=None)
    message = serializers.UUIDField(source="message_id", allow_null=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "text", "ticket", "ticket_title", "message", "count", "created_at", "read_at"]
        read_only_fields = fields


NotificationPageOutput = page_of(NotificationOutput, "NotificationPage")
UnreadCountOutput = inline_serializer("UnreadCount", {"unread": serializers.IntegerField()})
MarkedOutput = inline_serializer("MarkedRead", {"marked": serializers.IntegerField()})
PreferencesOutput = inline_serializer(
    "EmailPreferences",
    {"email": serializers.DictField(child=serializers.BooleanField(), help_text="Email kind to on/off.")},
)


class NotificationListApi(BaseApi):
    """Your notifications, newest first (`?unread=true`: only unread ones)."""

    @extend_schema(
        operation_id="notifications_list",
        parameters=[
            OpenApiParameter("unread", str, enum=["true", "false"]),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
        responses={200: NotificationPageOutput, **error_responses(400, 401, 404, 429)},
    )
    def get(self, request: Request) -> Response:
        unread = request.query_params.get("unread", "false")
        if unread not in ("true", "false", "1", "0"):
            raise ValidationFailed.field("unread", "Use true or false.")
        notifications = selectors.notification_list_for(user=request.user, unread_only=unread in ("true", "1"))
        paginator = StandardPagination()
        page = paginator.paginate_queryset(notifications, request, view=self)
        return paginator.get_paginated_response([presenters.notification_data(n) for n in page])


class NotificationUnreadCountApi(BaseApi):
    """How many of your notifications are unread."""

    @extend_schema(
        operation_id="notifications_unread_count", responses={200: UnreadCountOutput, **error_responses(401, 429)}
    )
    def get(self, request: Request) -> Response:
        return Response({"unread": selectors.notification_unread_count(user=request.user)})


class NotificationReadApi(BaseApi):
    """Mark one of your notifications read."""

    @extend_schema(
        operation_id="notifications_mark_read",
        request=None,
        responses={200: NotificationOutput, **error_responses(401, 404, 429)},
    )
    def post(self, request: Request, notification_id: str) -> Response:
        notification = services.notification_mark_read(user=request.user, notification_id=_uuid(notification_id))
        return Response(presenters.notification_data(notification))


class NotificationReadAllApi(BaseApi):
    """Mark all your notifications read."""

    @extend_schema(
        operation_id="notifications_mark_all_read",
        request=None,
        responses={200: MarkedOutput, **error_responses(401, 429)},
    )
    def post(self, request: Request) -> Response:
        return Response({"marked": services.notifications_mark_all_read(user=request.user)})


class EmailPreferencesApi(BaseApi):
    """Which kinds of email you get; every kind is on until you turn it off."""

    class Input(serializers.Serializer):
        email = serializers.DictField(
            child=serializers.BooleanField(), help_text=f"Any of: {', '.join(Kind.values)} (those that apply to you)."
        )

    @extend_schema(
        operation_id="notifications_preferences_retrieve",
        responses={200: PreferencesOutput, **error_responses(401, 429)},
    )
    def get(self, request: Request) -> Response:
        return Response({"email": services.email_preferences_for(user=request.user)})

    @extend_schema(
        operation_id="notifications_preferences_update",
        request=Input,
        responses={200: PreferencesOutput, **error_responses(400, 401, 429)},
    )
    def put(self, request: Request) -> Response:
        return self._update(request)

    @extend_schema(
        operation_id="notifications_preferences_partial_update",
        request=Input,
        responses={200: PreferencesOutput, **error_responses(400, 401, 429)},
    )
    def patch(self, request: Request) -> Response:
        return self._update(request)

    def _update(self, request: Request) -> Response:
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(
            {"email": services.email_preferences_update(user=request.user, changes=dict(data.validated_data["email"]))}
        )


def _uuid(value: Any) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise NotFound("Notification not found.") from exc
