"""HTTP interface of the email channel: raw mail in (for mail servers and providers), and the
stored mails of a ticket out (for staff)."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse
from django.utils.crypto import constant_time_compare
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import UnsupportedMediaType
from rest_framework.parsers import BaseParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from desk.core.apis import BaseApi
from desk.core.errors import FileTooLarge, NotAuthenticated, NotFound, TicketNotFound, ValidationFailed
from desk.core.ratelimit import SCOPE_INBOUND_EMAIL, client_address
from desk.core.schema import error_responses
from desk.mail import presenters, selectors, services
from desk.mail.models import Channel, InboundEmail, InboundStatus
from desk.support import selectors as support_selectors

RFC822 = "message/rfc822"


class MailTooLarge(FileTooLarge):
    status_code = 413


class Rfc822Parser(BaseParser):
    """Accepts `message/rfc822`; the view reads the body itself, within the size limit."""

    media_type = RFC822

    def parse(self, stream, media_type=None, parser_context=None):  # type: ignore[no-untyped-def]
        return None


class InboundAcceptedOutput(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=InboundStatus.choices)


class InboundEmailApi(BaseApi):
    """Mail servers and providers: hand over one raw mail (RFC 5322 bytes, `message/rfc822`)
    with `Authorization: Bearer <INBOUND_EMAIL_TOKEN>`. It is stored, then processed on the task
    queue; the same Message-ID again answers with the record it already made."""

    permission_classes = [AllowAny]
    authentication_classes: list[type] = []
    parser_classes = [Rfc822Parser]
    rate_limit_scope = SCOPE_INBOUND_EMAIL

    @staticmethod
    def rate_limit_identity(request: Request) -> str:
        return f"inbound:{client_address(request)}"

    @extend_schema(
        operation_id="inbound_email_create",
        request={RFC822: OpenApiTypes.BINARY},
        responses={202: InboundAcceptedOutput, **error_responses(400, 401, 404, 413, 415, 429)},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        expected = settings.INBOUND_EMAIL_TOKEN
        if not expected:
            raise NotFound("Inbound email over HTTP is not enabled.")
        scheme, _, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() != "bearer" or not constant_time_compare(token.strip(), expected):
            raise NotAuthenticated("A valid inbound email token is required.")
        if request.content_type.split(";")[0].strip().lower() != RFC822:
            raise UnsupportedMediaType(request.content_type, detail=f"Send the mail as {RFC822}.")
        limit = settings.INBOUND_EMAIL_MAX_BYTES
        too_large = MailTooLarge(
            f"The mail is larger than {limit} bytes.", details={"body": [f"At most {limit} bytes."]}
        )
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            raise too_large
        raw = request._request.read(limit + 1)
        if len(raw) > limit:
            raise too_large
        if not raw.strip():
            raise ValidationFailed.field("body", "The mail is empty.")
        inbound = services.inbound_receive(raw=raw, channel=Channel.HTTP)
        return Response({"id": str(inbound.pk), "status": inbound.status}, status=status.HTTP_202_ACCEPTED)


class InboundEmailOutput(serializers.ModelSerializer):
    message_id = serializers.CharField(source="message_id_header")
    mailbox = serializers.CharField(source="mailbox.name", allow_null=True)
    ticket = serializers.UUIDField(source="ticket_id", allow_null=True)
    message = serializers.UUIDField(source="message_id", allow_null=True, help_text="The message it became.")
    raw_url = serializers.CharField(help_text="The original mail (`.eml`).")

    class Meta:
        model = InboundEmail
        fields = [
            "id",
            "message_id",
            "channel",
            "mailbox",
            "from_address",
            "from_name",
            "subject",
            "status",
            "reason",
            "ticket",
            "message",
            "opened_ticket",
            "size",
            "received_at",
            "processed_at",
            "full_text",
            "raw_url",
        ]
        read_only_fields = fields


class TicketEmailsOutput(serializers.Serializer):
    count = serializers.IntegerField()
    results = InboundEmailOutput(many=True)


class TicketEmailsApi(BaseApi):
    """Staff: the mails that reached a ticket, oldest first: what each became (a message, an
    ignored auto-reply, a bounce), why, its whole text and the original."""

    @extend_schema(operation_id="tickets_emails", responses={200: TicketEmailsOutput, **error_responses(401, 404, 429)})
    def get(self, request: Request, ticket_id: str) -> Response:
        ticket = support_selectors.ticket_get_for(user=request.user, ticket_id=ticket_id)
        if not request.user.is_staff:  # a customer learns nothing: as if the ticket were not there
            raise TicketNotFound()
        mails = [presenters.inbound_data(mail) for mail in selectors.ticket_mails(ticket=ticket)]
        return Response({"count": len(mails), "results": mails})


class InboundEmailRawApi(BaseApi):
    """Staff: download a stored mail as it arrived (`message/rfc822`)."""

    @extend_schema(
        operation_id="inbound_emails_raw",
        responses={
            (200, RFC822): OpenApiResponse(OpenApiTypes.BINARY, description="The mail's bytes."),
            **error_responses(401, 404, 429),
        },
    )
    def get(self, request: Request, inbound_id: str) -> FileResponse:
        inbound = selectors.inbound_get_for(user=request.user, inbound_id=inbound_id)
        return raw_mail_response(inbound)


def raw_mail_response(inbound: InboundEmail) -> FileResponse:
    """A stored mail as a download, never rendered (for staff here, for admins in Django admin)."""
    try:
        handle = inbound.raw.open("rb")
    except OSError as exc:
        raise NotFound("The stored mail is no longer available.") from exc
    name = f"ticket-{inbound.ticket.number}-{inbound.pk.hex[:8]}.eml" if inbound.ticket else f"{inbound.pk.hex}.eml"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=RFC822)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
