"""Staff workspace endpoints (staff only; customers get 403, or 404 for others' tickets)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from desk.accounts.apis import PersonOutput, PersonRefOutput
from desk.accounts.models import User
from desk.core.apis import BaseApi
from desk.core.pagination import StandardPagination
from desk.core.schema import error_responses, page_of
from desk.support import presenters as ticket_presenters
from desk.support import selectors as ticket_selectors
from desk.support.models import TicketEvent
from desk.workspace import permissions, presenters, selectors, services
from desk.workspace.models import CANNED_BODY_MAX, CANNED_TITLE_MAX, CannedResponse


class StaffApi(BaseApi):
    """Refuses customer-side users before anything else is looked at."""

    permission_classes = [permissions.WorkspaceStaffOnly]


# --- agents ---------------------------------------------------------------------------------


class AgentOutput(serializers.ModelSerializer):
    name = serializers.CharField()
    open_tickets = serializers.IntegerField()

    class Meta:
        model = User
        fields = ["id", "email", "name", "role", "open_tickets"]
        read_only_fields = fields


class AgentListApi(StaffApi):
    """Staff: the active staff, with how many open tickets each has."""

    @extend_schema(
        operation_id="agents_list", responses={200: AgentOutput(many=True), **error_responses(401, 403, 429)}
    )
    def get(self, request: Request) -> Response:
        return Response([presenters.agent_data(agent) for agent in selectors.agent_list_with_load()])


class CustomerOutput(serializers.ModelSerializer):
    name = serializers.CharField()
    ticket_count = serializers.IntegerField()

    class Meta:
        model = User
        fields = ["id", "email", "name", "role", "ticket_count"]
        read_only_fields = fields


class CustomerListApi(StaffApi):
    """Staff: find customer-side accounts by name or email (to open a ticket for one)."""

    @extend_schema(
        operation_id="customers_list",
        parameters=[
            OpenApiParameter("search", str, description="Part of an email or name."),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
        responses={200: page_of(CustomerOutput, "CustomerPage"), **error_responses(400, 401, 403, 404, 429)},
    )
    def get(self, request: Request) -> Response:
        customers = selectors.customer_search(query=request.query_params.get("search", "")[:100])
        paginator = StandardPagination()
        page = paginator.paginate_queryset(customers, request, view=self)
        return paginator.get_paginated_response([presenters.customer_data(customer) for customer in page])


# --- canned responses -----------------------------------------------------------------------


class CannedOutput(serializers.ModelSerializer):
    owner = PersonRefOutput()
    can_edit = serializers.BooleanField(help_text="Whether you may change or delete it.")

    class Meta:
        model = CannedResponse
        fields = ["id", "title", "body", "shared", "owner", "can_edit", "created_at", "updated_at"]
        read_only_fields = fields


def _canned(response: CannedResponse, user: User) -> dict[str, Any]:
    return presenters.canned_response_data(response, can_edit=permissions.may_edit_canned(response, user))


class CannedInput(serializers.Serializer):
    title = serializers.CharField(max_length=CANNED_TITLE_MAX)
    body = serializers.CharField(
        max_length=CANNED_BODY_MAX,
        help_text=f"Placeholders: {', '.join('{{' + p + '}}' for p in services.PLACEHOLDERS)}.",
    )
    shared = serializers.BooleanField(default=False)


class CannedUpdateInput(serializers.Serializer):
    title = serializers.CharField(max_length=CANNED_TITLE_MAX, required=False)
    body = serializers.CharField(max_length=CANNED_BODY_MAX, required=False)
    shared = serializers.BooleanField(required=False)


class RenderInput(serializers.Serializer):
    ticket_id = serializers.UUIDField()


RenderOutput = inline_serializer("CannedRendered", {"body": serializers.CharField()})


def _parse(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class CannedListApi(StaffApi):
    """Staff: saved replies, your own and the shared ones; save a new one."""

    @extend_schema(
        operation_id="canned_responses_list",
        parameters=[OpenApiParameter("search", str)],
        responses={200: CannedOutput(many=True), **error_responses(401, 403, 429)},
    )
    def get(self, request: Request) -> Response:
        responses = selectors.canned_responses_for(user=request.user, search=request.query_params.get("search", ""))
        return Response([_canned(response, request.user) for response in responses])

    @extend_schema(
        operation_id="canned_responses_create",
        request=CannedInput,
        responses={201: CannedOutput, **error_responses(400, 401, 403, 429)},
    )
    def post(self, request: Request) -> Response:
        response = services.canned_response_create(owner=request.user, **_parse(CannedInput, request.data))
        return Response(_canned(response, request.user), status=status.HTTP_201_CREATED)


class CannedDetailApi(StaffApi):
    """Staff: one saved reply; its owner (or an admin, for shared ones) changes or deletes it."""

    @extend_schema(
        operation_id="canned_responses_retrieve", responses={200: CannedOutput, **error_responses(401, 403, 404, 429)}
    )
    def get(self, request: Request, response_id: str) -> Response:
        response = selectors.canned_response_get_for(user=request.user, response_id=response_id)
        return Response(_canned(response, request.user))

    @extend_schema(
        operation_id="canned_responses_update",
        request=CannedUpdateInput,
        responses={200: CannedOutput, **error_responses(400, 401, 403, 404, 429)},
    )
    def put(self, request: Request, response_id: str) -> Response:
        return self._update(request, response_id)

    @extend_schema(
        operation_id="canned_responses_partial_update",
        request=CannedUpdateInput,
        responses={200: CannedOutput, **error_responses(400, 401, 403, 404, 429)},
    )
    def patch(self, request: Request, response_id: str) -> Response:
        return self._update(request, response_id)

    def _update(self, request: Request, response_id: str) -> Response:
        response = selectors.canned_response_get_for(user=request.user, response_id=response_id)
        changes = _parse(CannedUpdateInput, request.data)
        response = services.canned_response_update(response=response, user=request.user, changes=changes)
        return Response(_canned(response, request.user))

    @extend_schema(
        operation_id="canned_responses_destroy", responses={204: None, **error_responses(401, 403, 404, 429)}
    )
    def delete(self, request: Request, response_id: str) -> Response:
        response = selectors.canned_response_get_for(user=request.user, response_id=response_id)
        services.canned_response_delete(response=response, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CannedRenderApi(StaffApi):
    """Staff: a saved reply filled in for a ticket (the customer's name, the ticket's title)."""

    @extend_schema(
        operation_id="canned_responses_render",
        request=RenderInput,
        responses={200: RenderOutput, **error_responses(400, 401, 403, 404, 429)},
    )
    def post(self, request: Request, response_id: str) -> Response:
        response = selectors.canned_response_get_for(user=request.user, response_id=response_id)
        data = _parse(RenderInput, request.data)
        ticket = ticket_selectors.ticket_get_for(user=request.user, ticket_id=data["ticket_id"])
        return Response({"body": services.canned_response_render(response=response, ticket=ticket, agent=request.user)})


# --- bulk actions ---------------------------------------------------------------------------


class BulkInput(serializers.Serializer):
    ticket_ids = serializers.ListField(child=serializers.UUIDField(), min_length=1, max_length=services.BULK_MAX)
    action = serializers.ChoiceField(choices=services.BULK_ACTIONS)
    value = serializers.JSONField(
        required=False,
        allow_null=True,
        help_text="assign: an agent id or null; set_status: a status; set_priority: a priority; add_tag/remove_tag: a tag.",
    )


BulkOutput = inline_serializer(
    "BulkResult",
    {"updated": serializers.IntegerField(), "ticket_ids": serializers.ListField(child=serializers.UUIDField())},
)


class TicketBulkApi(StaffApi):
    """Staff: one change (assign, status, priority, a tag) to many tickets, each through the same rules as one."""

    @extend_schema(
        operation_id="tickets_bulk",
        request=BulkInput,
        responses={200: BulkOutput, **error_responses(400, 401, 403, 429)},
    )
    def post(self, request: Request) -> Response:
        data = _parse(BulkInput, request.data)
        tickets = services.ticket_bulk_update(
            actor=request.user, ticket_ids=data["ticket_ids"], action=data["action"], value=data.get("value")
        )
        return Response({"updated": len(tickets), "ticket_ids": [str(ticket.pk) for ticket in tickets]})


# --- history --------------------------------------------------------------------------------


class EventOutput(serializers.ModelSerializer):
    actor = PersonOutput(allow_null=True)

    class Meta:
        model = TicketEvent
        fields = ["id", "kind", "actor", "old_value", "new_value", "note", "created_at"]
        read_only_fields = fields


class TicketHistoryApi(BaseApi):
    """Staff: a ticket's history, newest first: who changed what, from what, to what."""

    @extend_schema(
        operation_id="tickets_history", responses={200: EventOutput(many=True), **error_responses(401, 403, 404, 429)}
    )
    def get(self, request: Request, ticket_id: str) -> Response:
        # Visibility first: a customer asking about someone else's ticket learns nothing (404).
        ticket = ticket_selectors.ticket_get_for(user=request.user, ticket_id=ticket_id)
        permissions.ensure_workspace_user(request.user)
        return Response(
            [ticket_presenters.ticket_event_data(event) for event in selectors.ticket_history_for(ticket=ticket)]
        )


# --- metrics --------------------------------------------------------------------------------

MetricsOutput = inline_serializer(
    "Metrics",
    {
        "from": serializers.DateField(),
        "to": serializers.DateField(),
        "tickets_created": serializers.IntegerField(),
        "created_per_day": serializers.ListField(child=serializers.DictField()),
        "status_counts": serializers.DictField(child=serializers.IntegerField()),
        "backlog": serializers.DictField(child=serializers.DictField(child=serializers.IntegerField())),
        "first_response": serializers.DictField(),
        "resolution": serializers.DictField(),
        "resolution_rate": serializers.FloatField(allow_null=True),
        "agents": serializers.ListField(child=serializers.DictField()),
        "sla": serializers.DictField(
            help_text="SLA attainment: targets decided in the range (met, or missed at their due time) per "
            "target, priority and agent, and the open tickets at risk or breached now (docs/sla.md)."
        ),
    },
)


class MetricsApi(StaffApi):
    """Staff: first response and resolution times, open tickets by priority, resolution rate, per-agent load."""

    @extend_schema(
        operation_id="metrics_retrieve",
        parameters=[
            OpenApiParameter("from", str, description="First day, YYYY-MM-DD (default: 29 days before `to`)."),
            OpenApiParameter("to", str, description="Last day, YYYY-MM-DD (default: today)."),
            OpenApiParameter("tz", str, description="Time zone for days, e.g. Europe/Lisbon (default: UTC)."),
        ],
        responses={200: MetricsOutput, **error_responses(400, 401, 403, 429)},
    )
    def get(self, request: Request) -> Response:
        tz = selectors.parse_timezone(request.query_params.get("tz"))
        start, end = selectors.parse_range(request.query_params.get("from"), request.query_params.get("to"), tz=tz)
        return Response(selectors.metrics_for_range(start=start, end=end, tz=tz))
