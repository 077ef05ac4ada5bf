"""The ticket API (SPEC "Endpoints"): thin views that parse input, fetch what the user may see,
call one service, and shape the output."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from desk.accounts.apis import PersonOutput, UserBrief
from desk.core.apis import BaseApi
from desk.core.errors import FileTooLarge, NotFound, ValidationFailed
from desk.core.pagination import page_body, page_request
from desk.core.ratelimit import SCOPE_DEFAULT, SCOPE_TICKET_CREATE
from desk.core.schema import error_responses
from desk.core.uploads import upload_was_too_large
from desk.support import permissions, presenters, selectors, services
from desk.support.filetypes import IMAGE_TYPES
from desk.support.models import (
    MAX_TAGS,
    MESSAGE_MAX_LENGTH,
    TAG_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Attachment,
    Category,
    Message,
    Priority,
    Source,
    Status,
    Ticket,
)
from desk.support.staff_view import add_staff_fields, schema_fields

# --- output ---------------------------------------------------------------------------------


class AttachmentOutput(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()
    is_image = serializers.SerializerMethodField()
    uploaded_by = serializers.UUIDField(source="uploaded_by_id", allow_null=True)
    ticket = serializers.UUIDField(source="ticket_id")
    message = serializers.UUIDField(source="message_id", allow_null=True)

    class Meta:
        model = Attachment
        fields = [
            "id",
            "ticket",
            "message",
            "uploaded_by",
            "filename",
            "file_size",
            "content_type",
            "is_image",
            "created_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, attachment: Attachment) -> str:
        return presenters.attachment_data(attachment)["download_url"]

    def get_is_image(self, attachment: Attachment) -> bool:
        return attachment.content_type in IMAGE_TYPES


class MessageOutput(serializers.ModelSerializer):
    sender = PersonOutput(allow_null=True)
    ticket = serializers.UUIDField(source="ticket_id")
    entered_by = PersonOutput(
        allow_null=True,
        help_text="The staff member who entered the customer's words (a phone call), if not the sender.",
    )
    attachments = AttachmentOutput(many=True)
    email_from = serializers.CharField(
        help_text="The customer's address when the message came by email (`via: email`); empty otherwise."
    )

    class Meta:
        model = Message
        fields = [
            "id",
            "ticket",
            "sender",
            "message_text",
            "created_at",
            "is_from_customer",
            "is_internal",
            "read_by_customer",
            "read_by_staff",
            "entered_by",
            "via",
            "email_from",
            "attachments",
        ]
        read_only_fields = fields


TICKET_FIELDS = [
    "id",
    "number",
    "title",
    "customer",
    "category",
    "status",
    "priority",
    "assigned_agent",
    "escalated",
    "source",
    "tags",
    "created_at",
    "updated_at",
    "closed_at",
    "follows",
]


class TicketRefOutput(serializers.ModelSerializer):
    class Meta:
        model = Ticket
        fields = ["id", "number", "title"]
        read_only_fields = fields


class TicketOutput(serializers.ModelSerializer):
    """A ticket's own fields: the base of the list row and the detail, and what a live
    `ticket.updated` event carries."""

    follows = TicketRefOutput(
        allow_null=True, help_text="The closed ticket this one continues (its customer mailed about it later)."
    )
    customer = UserBrief()
    assigned_agent = UserBrief(allow_null=True)
    tags = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = Ticket
        fields = TICKET_FIELDS
        read_only_fields = fields


class WithStaffFields(serializers.Serializer):
    """Adds the fields other domains show staff (`desk.support.staff_view`: the service level)."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return {**super().get_fields(), **schema_fields()}


class TicketListOutput(WithStaffFields, TicketOutput):
    last_message_snippet = serializers.CharField(allow_null=True)
    unread_count = serializers.IntegerField()

    class Meta(TicketOutput.Meta):
        fields = [*TICKET_FIELDS, "last_message_snippet", "unread_count"]
        read_only_fields = fields


class TicketPageOutput(serializers.Serializer):
    """One page of the ticket list (SPEC: `{"count", "next", "previous", "results"}`, plus
    `count_exact`)."""

    count = serializers.IntegerField(
        help_text="Tickets matching the query, on all pages: exact up to 10,000 (see `count_exact`); above "
        "that, the database's estimate. A search lists at most its 1,000 newest matches."
    )
    count_exact = serializers.BooleanField(
        help_text="Whether `count` is exact. When false, `count` is an estimate (over 10,000 matches): show it as "
        "approximate and page with `next` and `previous`."
    )
    next = serializers.URLField(allow_null=True, help_text="The next page, or null on the last.")
    previous = serializers.URLField(allow_null=True, help_text="The previous page, or null on the first.")
    results = TicketListOutput(many=True)


class TicketDetailOutput(WithStaffFields, TicketOutput):
    messages = MessageOutput(many=True, source="visible_messages")

    class Meta(TicketOutput.Meta):
        fields = [*TICKET_FIELDS, "messages"]
        read_only_fields = fields


# The serializers above document the responses (OpenAPI); the views build them with the
# presenters (`desk.support.presenters`), the one shape of each resource, which
# `tests/test_presenters.py` holds to these serializers.


# --- input ----------------------------------------------------------------------------------


class TicketCreateInput(serializers.Serializer):
    title = serializers.CharField(max_length=TITLE_MAX_LENGTH)
    category = serializers.ChoiceField(choices=Category.choices)
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.MEDIUM)
    message_text = serializers.CharField(max_length=MESSAGE_MAX_LENGTH)
    customer = serializers.UUIDField(required=False, help_text="Staff only: the customer the ticket is for.")
    customer_email = serializers.CharField(
        required=False,
        max_length=254,
        help_text="Staff only, instead of `customer`: a caller's email. Their account is found, or made "
        "(they set a password through a reset to sign in).",
    )
    customer_name = serializers.CharField(
        required=False, allow_blank=True, max_length=300, help_text="Staff only: a new caller's name."
    )
    message_as = serializers.ChoiceField(
        choices=[("customer", "customer"), ("internal_note", "internal_note")],
        required=False,
        help_text="Staff only: the first message is the customer's words, entered by you (`customer`, the "
        "default), or an internal note only staff see (`internal_note`).",
    )
    source = serializers.ChoiceField(
        choices=Source.choices, required=False, help_text="Customers may use web or mobile; staff any."
    )
    tags = serializers.ListField(
        child=serializers.CharField(max_length=TAG_MAX_LENGTH),
        max_length=MAX_TAGS,
        required=False,
        help_text="Staff only.",
    )


class TicketUpdateInput(serializers.Serializer):
    title = serializers.CharField(max_length=TITLE_MAX_LENGTH, required=False)
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False, help_text="Staff only.")
    category = serializers.ChoiceField(choices=Category.choices, required=False, help_text="Staff only.")
    assigned_agent = serializers.UUIDField(required=False, allow_null=True, help_text="Staff only.")
    tags = serializers.ListField(
        child=serializers.CharField(max_length=TAG_MAX_LENGTH),
        max_length=MAX_TAGS,
        required=False,
        help_text="Staff only.",
    )


class MessageInput(serializers.Serializer):
    message_text = serializers.CharField(max_length=MESSAGE_MAX_LENGTH)
    is_internal = serializers.BooleanField(default=False, help_text="Staff only: a note customers never see.")
    attachment_ids = serializers.ListField(
        child=serializers.UUIDField(), max_length=services.MAX_ATTACHMENTS_PER_MESSAGE, default=list
    )


class AttachmentInput(serializers.Serializer):
    file = serializers.FileField(help_text="At most ATTACHMENT_MAX_BYTES (10 MB by default).")
    message = serializers.UUIDField(required=False, help_text="One of your messages on this ticket.")


class AssignInput(serializers.Serializer):
    agent_id = serializers.UUIDField(allow_null=True, help_text="A staff member, or null to unassign.")


class EscalateInput(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)
    priority = serializers.ChoiceField(
        choices=Priority.choices, required=False, help_text="Raised to this (never lowered); default one level up."
    )


def parse(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- views ----------------------------------------------------------------------------------

LIST_PARAMETERS = [
    OpenApiParameter("status", str, description="Comma-separated: open, in_progress, resolved, closed."),
    OpenApiParameter("priority", str, description="Comma-separated: low, medium, high, urgent."),
    OpenApiParameter("category", str, description="Comma-separated: billing, technical, account, service, general."),
    OpenApiParameter("assigned_agent", str, description="A user id, `me` or `none`."),
    OpenApiParameter("escalated", str, enum=["true", "false"]),
    OpenApiParameter("tag", str),
    OpenApiParameter("customer", str, description="A customer's id: their tickets (useful to staff)."),
    OpenApiParameter("number", int, description="A ticket number: that ticket (`#1042` in the web app)."),
    OpenApiParameter(
        "search", str, description="Words in the title or the messages you can see; `#1042` finds ticket number 1042."
    ),
    OpenApiParameter(
        "sla",
        str,
        description="Staff only. Comma-separated service-level states: breached, at_risk, ok, none (docs/sla.md).",
    ),
    OpenApiParameter(
        "ordering", str, enum=list(selectors.ORDERINGS), description="`sla` (staff only): soonest breach first."
    ),
    OpenApiParameter("page", int),
    OpenApiParameter("page_size", int, description="Default 10, at most 100."),
]


def _detail(request: Request, ticket: Ticket | Any) -> dict[str, Any]:
    """The ticket (given, or read again by id after a change) with the conversation the viewer may see."""
    if not isinstance(ticket, Ticket):
        ticket = selectors.ticket_get_for(user=request.user, ticket_id=ticket)
    messages = list(selectors.ticket_messages_for(user=request.user, ticket=ticket))
    staff = permissions.sees_internal_notes(request.user)
    data = presenters.ticket_detail_data(ticket, messages, for_staff=staff)
    if staff:  # what other domains show staff (the service level); customers never get it
        add_staff_fields([data], [ticket.pk])
    return data


def _list_items(request: Request, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    items = [presenters.ticket_list_item(row) for row in rows]
    if permissions.sees_internal_notes(request.user):  # customers never get the staff fields
        add_staff_fields(items, [row["id"] for row in rows])
    return items


def _ticket_scope(request: Request) -> str:
    return SCOPE_TICKET_CREATE if request.method == "POST" else SCOPE_DEFAULT


class TicketListCreateApi(BaseApi):
    """Customers list and open their own tickets; staff list all tickets and open them for customers."""

    rate_limit_scope = staticmethod(_ticket_scope)

    @extend_schema(
        operation_id="tickets_list",
        parameters=LIST_PARAMETERS,
        responses={200: TicketPageOutput, **error_responses(400, 401, 404, 429)},
    )
    def get(self, request: Request) -> Response:
        page = selectors.ticket_page_for(
            user=request.user, filters=request.query_params, page=page_request(request.query_params)
        )
        return Response(page_body(request, page, _list_items(request, page.items)))

    @extend_schema(
        operation_id="tickets_create",
        request=TicketCreateInput,
        responses={201: TicketDetailOutput, **error_responses(400, 401, 403, 429)},
    )
    def post(self, request: Request) -> Response:
        data = parse(TicketCreateInput, request.data)
        ticket = services.ticket_create(actor=request.user, customer_id=data.pop("customer", None), **data)
        return Response(_detail(request, ticket.pk), status=status.HTTP_201_CREATED)


class TicketDetailApi(BaseApi):
    """One ticket with its conversation; staff change any field, a customer the title or close/reopen."""

    @extend_schema(
        operation_id="tickets_retrieve", responses={200: TicketDetailOutput, **error_responses(401, 404, 429)}
    )
    def get(self, request: Request, ticket_id: str) -> Response:
        ticket = selectors.ticket_get_for(user=request.user, ticket_id=ticket_id)
        services.ticket_mark_read(ticket=ticket, viewer=request.user)
        return Response(_detail(request, ticket))

    @extend_schema(
        operation_id="tickets_update",
        request=TicketUpdateInput,
        responses={200: TicketDetailOutput, **error_responses(400, 401, 403, 404, 429)},
    )
    def put(self, request: Request, ticket_id: str) -> Response:
        return self._update(request, ticket_id)

    @extend_schema(
        operation_id="tickets_partial_update",
        request=TicketUpdateInput,
        responses={200: TicketDetailOutput, **error_responses(400, 401, 403, 404, 429)},
    )
    def patch(self, request: Request, ticket_id: str) -> Response:
        return self._update(request, ticket_id)

    def _update(self, request: Request, ticket_id: str) -> Response:
        ticket = selectors.ticket_get_for(user=request.user, ticket_id=ticket_id)
        changes = parse(TicketUpdateInput, request.data)
        services.ticket_update(ticket=ticket, actor=request.user, changes=changes)
        return Response(_detail(request, ticket.pk))


class TicketMessagesApi(BaseApi):
    """Reply on a ticket (staff may write internal notes), linking your own uploads."""

    @extend_schema(
        operation_id="tickets_messages_create",
        request=MessageInput,
        responses={201: MessageOutput, **error_responses(400, 401, 403, 404, 429)},
    )
    def post(self, request: Request, ticket_id: str) -> Response:
        ticket = selectors.ticket_get_for(user=request.user, ticket_id=ticket_id)
        data = parse(MessageInput, request.data)
        message, attachments = services.message_post_with_files(ticket=ticket, sender=request.user, **data)
        # The message as written (its sender is the caller), with the files it took along.
        return Response(presenters.message_data(message, attachments), status=status.HTTP_201_CREATED)


class TicketAttachmentsApi(BaseApi):
    """Upload one file to a ticket (multipart `file`); its type is decided from its bytes."""

    parser_classes = [MultiPartParser]  # anything else is 415 `unsupported_media_type`

    @extend_schema(
        operation_id="tickets_attachments_create",
        request={"multipart/form-data": AttachmentInput},
        responses={201: AttachmentOutput, **error_responses(400, 401, 404, 415, 429)},
    )
    def post(self, request: Request, ticket_id: str) -> Response:
        ticket = selectors.ticket_get_for(user=request.user, ticket_id=ticket_id)
        data = request.data
        if upload_was_too_large(request):
            raise FileTooLarge(details={"file": ["The file is larger than the allowed size."]})
        files = request.FILES.getlist("file")
        if len(files) > 1:
            raise ValidationFailed.field("file", "Upload one file per request.")
        upload = files[0] if files else None
        attachment = services.attachment_upload(
            ticket=ticket,
            uploader=request.user,
            upload=upload,
            filename=upload.name if upload else "",
            size=upload.size if upload else 0,
            message_id=data.get("message"),
        )
        return Response(presenters.attachment_data(attachment), status=status.HTTP_201_CREATED)


class AttachmentDownloadApi(BaseApi):
    """Download a file you may see; images may be shown inline with `?inline=1`."""

    @extend_schema(
        operation_id="attachments_download",
        parameters=[OpenApiParameter("inline", str, enum=["1"], description="Images only: show instead of save.")],
        responses={
            (200, "*/*"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The file's bytes, with the Content-Type found when it was uploaded."
            ),
            **error_responses(401, 404, 429),
        },
    )
    def get(self, request: Request, attachment_id: str) -> FileResponse:
        attachment = selectors.attachment_get_for(user=request.user, attachment_id=attachment_id)
        inline = request.query_params.get("inline") == "1" and attachment.content_type in IMAGE_TYPES
        try:
            handle = attachment.file.open("rb")
        except (FileNotFoundError, OSError) as exc:
            raise NotFound("The file is no longer available.") from exc
        response = FileResponse(
            handle, as_attachment=not inline, filename=attachment.filename, content_type=attachment.content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
        response["Cache-Control"] = "private, no-store"
        return response


class TicketAssignApi(BaseApi):
    """Staff: assign a ticket to an active staff member (null to unassign)."""

    @extend_schema(
        operation_id="tickets_assign",
        request=AssignInput,
        responses={200: TicketDetailOutput, **error_responses(400, 401, 403, 404, 429)},
    )
    def post(self, request: Request, ticket_id: str) -> Response:
        ticket = selectors.ticket_get_for(user=request.user, ticket_id=ticket_id)
        permissions.ensure_may_assign(request.user)  # before looking at the body
        data = parse(AssignInput, request.data)
        services.ticket_assign(ticket=ticket, actor=request.user, agent_id=data["agent_id"])
        return Response(_detail(request, ticket.pk))


class TicketEscalateApi(BaseApi):
    """Staff: escalate a ticket, raising its priority (never lowering it)."""

    @extend_schema(
        operation_id="tickets_escalate",
        request=EscalateInput,
        responses={200: TicketDetailOutput, **error_responses(400, 401, 403, 404, 429)},
    )
    def post(self, request: Request, ticket_id: str) -> Response:
        ticket = selectors.ticket_get_for(user=request.user, ticket_id=ticket_id)
        permissions.ensure_may_escalate(request.user)  # before looking at the body
        data = parse(EscalateInput, request.data)
        services.ticket_escalate(ticket=ticket, actor=request.user, **data)
        return Response(_detail(request, ticket.pk))


class AttachmentDetailApi(BaseApi):
    """Remove one of your own uploads that is not part of a sent message yet."""

    @extend_schema(
        operation_id="attachments_destroy",
        description="Remove one of your own uploads that is not part of a sent message yet.",
        responses={204: None, **error_responses(401, 403, 404, 429)},
    )
    def delete(self, request: Request, attachment_id: str) -> Response:
        attachment = selectors.attachment_get_for(user=request.user, attachment_id=attachment_id)
        services.attachment_delete(attachment=attachment, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
