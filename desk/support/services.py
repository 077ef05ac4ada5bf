"""Writes on tickets, messages and attachments: every business rule of the support flow.

Each service checks who may (`permissions`), validates, writes inside one transaction, records
the ticket's history (TicketEvent) and announces the change (`events`) in that transaction;
notifications and live updates follow from the announcement.
"""

from __future__ import annotations

import io
import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from desk.accounts import services as account_services
from desk.accounts.models import User
from desk.accounts.permissions import is_staff
from desk.accounts.presenters import person_ref
from desk.core.errors import FileTooLarge, InvalidFileType, PermissionDenied, ValidationFailed
from desk.core.events import publish
from desk.core.text import single_line
from desk.support import filetypes, permissions
from desk.support.events import (
    AttachmentAdded,
    MessageCreated,
    TicketAssigned,
    TicketCreated,
    TicketEscalated,
    TicketUpdated,
)
from desk.support.models import (
    MAX_TAGS,
    MESSAGE_MAX_LENGTH,
    PRIORITY_RANK,
    TAG_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Attachment,
    Category,
    EventKind,
    Message,
    Priority,
    Source,
    Status,
    Ticket,
    TicketEvent,
)

logger = logging.getLogger(__name__)

MAX_ATTACHMENTS_PER_MESSAGE = 10


# --- validation helpers ---------------------------------------------------------------------


def _clean_title(title: str) -> str:
    cleaned = single_line(title or "")
    if not cleaned:
        raise ValidationFailed.field("title", "The title cannot be empty.")
    if len(cleaned) > TITLE_MAX_LENGTH:
        raise ValidationFailed.field("title", f"The title can be at most {TITLE_MAX_LENGTH} characters.")
    return cleaned


def _clean_message_text(text: str) -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise ValidationFailed.field("message_text", "The message cannot be empty.")
    if len(cleaned) > MESSAGE_MAX_LENGTH:
        raise ValidationFailed.field(
            "message_text", f"The message can be at most {MESSAGE_MAX_LENGTH} characters (it has {len(cleaned)})."
        )
    return cleaned


def _choice(field: str, value: str, choices: type[Any]) -> str:
    if value not in choices.values:
        allowed = ", ".join(choices.values)
        raise ValidationFailed.field(field, f"'{value}' is not a valid {field}; choose one of: {allowed}.")
    return value


def clean_tags(tags: Iterable[Any]) -> list[str]:
    """Tags are short, trimmed, lower-case labels; duplicates collapse, order is kept."""
    if isinstance(tags, (str, bytes)) or not isinstance(tags, Iterable):
        raise ValidationFailed.field("tags", "Tags must be a list of strings.")
    out: list[str] = []
    for raw in tags:
        if not isinstance(raw, str):
            raise ValidationFailed.field("tags", "Tags must be a list of strings.")
        tag = single_line(raw).lower()
        if not tag:
            raise ValidationFailed.field("tags", "A tag cannot be empty.")
        if len(tag) > TAG_MAX_LENGTH:
            raise ValidationFailed.field("tags", f"A tag can be at most {TAG_MAX_LENGTH} characters.")
        if tag not in out:
            out.append(tag)
    if len(out) > MAX_TAGS:
        raise ValidationFailed.field("tags", f"A ticket can have at most {MAX_TAGS} tags.")
    return out


def _active_staff(agent_id: Any, *, field: str = "agent_id") -> User:
    try:
        agent = User.objects.get(pk=agent_id)
    except (User.DoesNotExist, ValueError, TypeError, DjangoValidationError) as exc:  # malformed ids too
        raise ValidationFailed.field(field, "No active staff member has this id.") from exc
    if not permissions.may_be_assigned(agent):
        raise ValidationFailed.field(field, "No active staff member has this id.")
    return agent


def _record(
    ticket: Ticket, actor: User | None, kind: str, old: Any = None, new: Any = None, note: str = ""
) -> TicketEvent:
    return TicketEvent.objects.create(ticket=ticket, actor=actor, kind=kind, old_value=old, new_value=new, note=note)


def _locked(ticket: Ticket) -> Ticket:
    """The ticket again, locked for the change, with its customer and agent (what its events show)."""
    return (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("customer", "assigned_agent", "follows")
        .get(pk=ticket.pk)
    )


# --- tickets --------------------------------------------------------------------------------


# How a ticket staff open for someone starts: with the customer's words, or with a note.
FIRST_MESSAGE_AS = ("customer", "internal_note")


def ticket_create(
    *,
    actor: User,
    title: str,
    message_text: str,
    category: str = Category.GENERAL,
    priority: str = Priority.MEDIUM,
    customer: User | None = None,
    customer_id: Any = None,
    customer_email: str | None = None,
    customer_name: str = "",
    source: str | None = None,
    tags: Sequence[str] | None = None,
    message_as: str | None = None,
) -> Ticket:
    """Open a ticket with its first message, in one transaction.

    Customers open tickets for themselves. Staff may open one on a customer's behalf (a phone
    call, an email), given as `customer` or `customer_id`, or as a caller's `customer_email` (and
    `customer_name`) whose account is found or made; they set its source and tags. The first
    message is then the customer's words as the agent entered them (`message_as="customer"`: shown
    as the customer's, marked `entered_by` the agent) or an internal note (`"internal_note"`)."""
    title = _clean_title(title)
    text = _clean_message_text(message_text)
    _choice("category", category, Category)
    _choice("priority", priority, Priority)
    if message_as not in (None, *FIRST_MESSAGE_AS):
        raise ValidationFailed.field("message_as", f"Choose one of: {', '.join(FIRST_MESSAGE_AS)}.")
    caller = customer_email is not None and customer_email != ""
    if not is_staff(actor) and (caller or message_as not in (None, FIRST_MESSAGE_AS[0])):
        field = "customer_email" if caller else "message_as"
        raise PermissionDenied("Only staff open tickets for callers or write notes.", details={field: ["Staff only."]})
    if caller and (customer is not None or customer_id is not None):
        raise ValidationFailed.field("customer_email", "Give the customer or a caller's email, not both.")
    if customer is None and customer_id is not None:
        permissions.ensure_may_open_for(actor=actor, customer_id=customer_id)
        customer = User.objects.filter(pk=_parse_ids([customer_id], field="customer")[0]).first()
        if customer is None:
            raise ValidationFailed.field("customer", "No customer has this id.")
    if is_staff(actor):
        if customer is None and not caller:
            raise ValidationFailed.field("customer", "Staff must say which customer the ticket is for.")
        if customer is not None:
            permissions.ensure_may_be_customer(customer)
        source = _choice("source", source or (Source.PHONE if caller else Source.WEB), Source)
        tags = clean_tags(tags or [])
    else:
        source = _choice("source", source or Source.WEB, Source)
        permissions.ensure_customer_may_open(actor=actor, customer=customer, tags=tags, source=source)
        customer = actor
        tags = []

    now = timezone.now()
    with transaction.atomic():
        if caller and customer is None:
            customer = account_services.customer_for_contact(
                email=customer_email or "", name=customer_name, actor=actor
            )
        ticket = Ticket.objects.create(
            title=title,
            customer=customer,
            category=category,
            priority=priority,
            source=source,
            tags=list(tags),
            created_at=now,
            updated_at=now,
            activity_at=now,
        )
        if actor.pk == customer.pk:  # a customer's own words
            first = {"sender": actor, "is_from_customer": True, "read_by_customer": True, "read_by_staff": False}
        elif message_as == "internal_note":
            first = {"sender": actor, "is_internal": True, "read_by_customer": True, "read_by_staff": True}
        else:  # the customer's words, as the agent entered them: nobody has anything unread
            first = {
                "sender": customer,
                "entered_by": actor,
                "is_from_customer": True,
                "read_by_customer": True,
                "read_by_staff": True,
            }
        message = Message.objects.create(ticket=ticket, message_text=text, created_at=now, **first)
        _record(ticket, actor, EventKind.CREATED, new={"status": ticket.status, "priority": ticket.priority})
        publish(TicketCreated(ticket=ticket, actor=actor, message=message))
    return ticket


def _touched(*, seen_by_customer: bool = True) -> list[str]:
    return ["updated_at", "activity_at"] if seen_by_customer else ["activity_at"]


def _touch(ticket: Ticket, now: Any, *, seen_by_customer: bool = True) -> list[str]:
    """Mark the ticket changed now: for staff always (`activity_at`), for its customer only when
    the change is one they can see (`updated_at`: an internal note moves nothing of theirs).
    Returns the fields it set."""
    fields = _touched(seen_by_customer=seen_by_customer)
    for field in fields:
        setattr(ticket, field, now)
    return fields


def _set_status(ticket: Ticket, status: str, *, actor: User | None, now: Any) -> bool:
    if ticket.status == status:
        return False
    old = ticket.status
    ticket.status = status
    ticket.closed_at = now if status == Status.CLOSED else None
    _record(ticket, actor, EventKind.STATUS, old=old, new=status)
    return True


def _set_priority(ticket: Ticket, priority: str, *, actor: User | None, record: bool = True) -> bool:
    """`record=False` when the caller's own history entry says it (an escalation)."""
    if ticket.priority == priority:
        return False
    if record:
        _record(ticket, actor, EventKind.PRIORITY, old=ticket.priority, new=priority)
    ticket.priority = priority
    return True


def _set_assignee(ticket: Ticket, agent: User | None, *, actor: User | None, now: Any) -> bool:
    if ticket.assigned_agent_id == (agent.pk if agent else None):
        return False
    _record(ticket, actor, EventKind.ASSIGNMENT, old=person_ref(ticket.assigned_agent), new=person_ref(agent))
    ticket.assigned_agent = agent
    if agent is not None and ticket.status == Status.OPEN:
        _set_status(ticket, Status.IN_PROGRESS, actor=actor, now=now)
    return True


def ticket_update(*, ticket: Ticket, actor: User, changes: dict[str, Any]) -> Ticket:
    """Change a ticket's fields. Staff may change any of them; a customer may retitle their
    ticket, and close or reopen it (`permissions`)."""
    permissions.ensure_may_change(actor=actor, fields=changes)
    if "title" in changes:
        changes["title"] = _clean_title(changes["title"])
    if "status" in changes:
        _choice("status", changes["status"], Status)
        permissions.ensure_may_set_status(actor=actor, status=changes["status"])
    if "priority" in changes:
        _choice("priority", changes["priority"], Priority)
    if "category" in changes:
        _choice("category", changes["category"], Category)
    if "tags" in changes:
        changes["tags"] = clean_tags(changes["tags"])
    agent = None
    if changes.get("assigned_agent") is not None:
        agent = _active_staff(changes["assigned_agent"], field="assigned_agent")

    with transaction.atomic():
        ticket = _locked(ticket)
        now = timezone.now()  # taken under the lock, so updated_at never moves backwards
        changed: list[str] = []
        if "title" in changes and changes["title"] != ticket.title:
            _record(ticket, actor, EventKind.TITLE, old=ticket.title, new=changes["title"])
            ticket.title = changes["title"]
            changed.append("title")
        if "category" in changes and changes["category"] != ticket.category:
            _record(ticket, actor, EventKind.CATEGORY, old=ticket.category, new=changes["category"])
            ticket.category = changes["category"]
            changed.append("category")
        if "priority" in changes and _set_priority(ticket, changes["priority"], actor=actor):
            changed.append("priority")
        if "tags" in changes and changes["tags"] != ticket.tags:
            _record(ticket, actor, EventKind.TAGS, old=ticket.tags, new=changes["tags"])
            ticket.tags = changes["tags"]
            changed.append("tags")
        status_before = ticket.status
        reassigned = "assigned_agent" in changes and _set_assignee(ticket, agent, actor=actor, now=now)
        if reassigned:
            changed.append("assigned_agent")
        if "status" in changes:
            status = changes["status"]
            if not is_staff(actor) and status == Status.OPEN and ticket.status not in (Status.RESOLVED, Status.CLOSED):
                status = ticket.status  # "reopen" of a ticket that is not resolved or closed changes nothing
            _set_status(ticket, status, actor=actor, now=now)
        if ticket.status != status_before:
            changed.append("status")
        if changed:
            _touch(ticket, now)
            ticket.save()
            if reassigned:
                publish(TicketAssigned(ticket=ticket, actor=actor, agent=agent))
            publish(TicketUpdated(ticket=ticket, actor=actor, changes=tuple(changed)))
    return ticket


def ticket_assign(*, ticket: Ticket, actor: User, agent_id: Any) -> Ticket:
    """Assign (or, with None, unassign) a ticket; an open ticket becomes in progress."""
    permissions.ensure_may_assign(actor)
    agent = _active_staff(agent_id) if agent_id is not None else None
    with transaction.atomic():
        ticket = _locked(ticket)
        now = timezone.now()  # taken under the lock, so updated_at never moves backwards
        if _set_assignee(ticket, agent, actor=actor, now=now):
            _touch(ticket, now)
            ticket.save()
            publish(TicketAssigned(ticket=ticket, actor=actor, agent=agent))
    return ticket


def tickets_unassign_from(*, agent: User, actor: User, all_tickets: bool) -> int:
    """Put someone's tickets back in the queue, one by one through `ticket_assign` (history, live
    updates), when they stop being active staff. Closed tickets keep their assignee for the
    metrics, unless `all_tickets` (someone no longer staff at all is never anyone's assignee)."""
    tickets = Ticket.objects.filter(assigned_agent=agent)
    if not all_tickets:
        tickets = tickets.exclude(status=Status.CLOSED)
    count = 0
    for ticket in tickets.order_by("created_at", "id"):
        ticket_assign(ticket=ticket, actor=actor, agent_id=None)
        count += 1
    return count


def ticket_escalate(*, ticket: Ticket, actor: User | None, reason: str, priority: str | None = None) -> Ticket:
    """Escalate a ticket: mark it, and raise its priority (to `priority`, or one level up);
    escalation never lowers a priority. `actor` None: the desk itself (a missed service level)."""
    if actor is not None:
        permissions.ensure_may_escalate(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.field("reason", "Say why the ticket is escalated.")
    if len(reason) > 1000:
        raise ValidationFailed.field("reason", "The reason can be at most 1000 characters.")
    if priority is not None:
        _choice("priority", priority, Priority)
    with transaction.atomic():
        ticket = _locked(ticket)
        now = timezone.now()  # taken under the lock, so updated_at never moves backwards
        current = PRIORITY_RANK[ticket.priority]
        if priority is None:
            target = min(current + 1, PRIORITY_RANK[Priority.URGENT])
        else:
            target = max(current, PRIORITY_RANK[priority])
        new_priority = next(p for p, rank in PRIORITY_RANK.items() if rank == target)
        _record(
            ticket,
            actor,
            EventKind.ESCALATION,
            old={"escalated": ticket.escalated, "priority": ticket.priority},
            new={"escalated": True, "priority": new_priority},
            note=reason,
        )
        _set_priority(ticket, new_priority, actor=actor, record=False)  # the escalation entry has it
        ticket.escalated = True
        _touch(ticket, now)
        ticket.save()
        publish(TicketEscalated(ticket=ticket, actor=actor, reason=reason))
    return ticket


def ticket_mark_read(*, ticket: Ticket, viewer: User) -> int:
    """Mark the other side's messages read for the viewer's side; returns how many changed."""
    if is_staff(viewer):
        return Message.objects.filter(ticket=ticket, is_from_customer=True, read_by_staff=False).update(
            read_by_staff=True
        )
    if viewer.pk != ticket.customer_id:
        return 0
    return Message.objects.filter(
        ticket=ticket, is_from_customer=False, is_internal=False, read_by_customer=False
    ).update(read_by_customer=True)


# --- messages -------------------------------------------------------------------------------


def message_post(
    *,
    ticket: Ticket,
    sender: User,
    message_text: str,
    is_internal: bool = False,
    attachment_ids: Sequence[Any] = (),
) -> Message:
    """Add a message to a ticket's conversation (see `message_post_with_files`)."""
    message, _ = message_post_with_files(
        ticket=ticket, sender=sender, message_text=message_text, is_internal=is_internal, attachment_ids=attachment_ids
    )
    return message


def message_post_with_files(
    *,
    ticket: Ticket,
    sender: User,
    message_text: str,
    is_internal: bool = False,
    attachment_ids: Sequence[Any] = (),
) -> tuple[Message, list[Attachment]]:
    """Add a message to a ticket's conversation; returns it with the files it took along.

    A closed ticket takes no messages until it is reopened; a customer's reply reopens a
    resolved ticket; a staff reply (not an internal note) moves an open ticket into progress.
    `attachment_ids` links the sender's own, not yet linked uploads on this ticket."""
    text = _clean_message_text(message_text)
    permissions.ensure_may_write(sender=sender, is_internal=is_internal)
    ids = _parse_ids(attachment_ids, field="attachment_ids")
    if len(ids) > MAX_ATTACHMENTS_PER_MESSAGE:
        raise ValidationFailed.field(
            "attachment_ids", f"At most {MAX_ATTACHMENTS_PER_MESSAGE} attachments per message."
        )

    with transaction.atomic():
        ticket = _locked(ticket)
        now = timezone.now()  # taken under the lock, so updated_at never moves backwards
        if ticket.status == Status.CLOSED:
            raise ValidationFailed(
                "This ticket is closed; reopen it to add a message.",
                details={"ticket": ["The ticket is closed."]},
            )
        attachments = []
        if ids:
            attachments = list(
                Attachment.objects.select_for_update().filter(
                    pk__in=ids, ticket=ticket, uploaded_by=sender, message__isnull=True
                )
            )
            if len(attachments) != len(ids):
                raise ValidationFailed.field(
                    "attachment_ids", "Each attachment must be your own, unsent upload on this ticket."
                )
        message = _message_new(ticket, sender, text, now=now, is_internal=is_internal)
        if attachments:
            Attachment.objects.filter(pk__in=[a.pk for a in attachments]).update(message=message)
            for attachment in attachments:
                attachment.message = message
            attachments.sort(key=lambda a: (a.created_at, a.pk))
        _message_written(ticket, message, attachments, now=now)
    return message, attachments


def _message_new(
    ticket: Ticket, sender: User, text: str, *, now: Any, is_internal: bool = False, **channel: Any
) -> Message:
    """A new message on a ticket from its customer or staff: the other side has it unread."""
    from_customer = sender.pk == ticket.customer_id
    return Message.objects.create(
        ticket=ticket,
        sender=sender,
        message_text=text,
        created_at=now,
        is_from_customer=from_customer,
        is_internal=is_internal,
        read_by_customer=from_customer,
        read_by_staff=not from_customer,
        **channel,
    )


def _message_written(ticket: Ticket, message: Message, attachments: Sequence[Attachment], *, now: Any) -> None:
    """What a new message does to its (locked) ticket: a customer's reply reopens a resolved
    ticket and answers a pending one (back to open, or in progress when it has an agent), a staff
    reply moves an open one into progress; then it is announced."""
    sender = message.sender
    fields = _touch(ticket, now, seen_by_customer=not message.is_internal)
    moved = False
    if message.is_from_customer and ticket.status in (Status.RESOLVED, Status.PENDING):
        waited = ticket.status == Status.PENDING and ticket.assigned_agent_id is not None
        moved = _set_status(ticket, Status.IN_PROGRESS if waited else Status.OPEN, actor=sender, now=now)
    elif sender is not None and is_staff(sender) and not message.is_internal and ticket.status == Status.OPEN:
        moved = _set_status(ticket, Status.IN_PROGRESS, actor=sender, now=now)
    if moved:
        fields += ["status", "closed_at"]
    ticket.save(update_fields=fields)
    publish(MessageCreated(ticket=ticket, actor=sender, message=message, attachments=tuple(attachments)))
    if moved:
        publish(TicketUpdated(ticket=ticket, actor=sender, changes=("status",)))


def _parse_ids(values: Any, *, field: str) -> list[uuid.UUID]:
    if values is None:
        return []
    if isinstance(values, (str, bytes)) or not isinstance(values, (list, tuple)):
        raise ValidationFailed.field(field, "Give a list of ids.")
    parsed: list[uuid.UUID] = []
    for value in values:
        try:
            parsed.append(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))
        except (ValueError, AttributeError, TypeError) as exc:
            raise ValidationFailed.field(field, f"'{value}' is not a valid id.") from exc
    if len(set(parsed)) != len(parsed):
        raise ValidationFailed.field(field, "An id appears twice.")
    return parsed


# --- attachments ----------------------------------------------------------------------------


def attachment_upload(
    *,
    ticket: Ticket,
    uploader: User,
    upload: IO[bytes] | None,
    filename: str,
    size: int,
    message_id: Any = None,
) -> Attachment:
    """Store an uploaded file for a ticket, after checking its size and its real type.

    The file is stored under a generated name; the sanitized original name is kept for display.
    Either the row and the file are both written, or neither is."""
    if upload is None:
        raise ValidationFailed.field("file", "Attach a file in the `file` field.")
    if size > settings.ATTACHMENT_MAX_BYTES:
        raise FileTooLarge(
            f"The file is {size} bytes; the limit is {settings.ATTACHMENT_MAX_BYTES} bytes.",
            details={"file": [f"At most {settings.ATTACHMENT_MAX_BYTES} bytes."]},
        )
    if size == 0:
        raise ValidationFailed.field("file", "The file is empty.")
    if ticket.status == Status.CLOSED:
        raise ValidationFailed(
            "This ticket is closed; reopen it to add files.", details={"ticket": ["The ticket is closed."]}
        )
    message = None
    if message_id not in (None, ""):
        ids = _parse_ids([message_id], field="message")
        # One's own message, or the customer's words one entered for them (a phone call).
        mine = Q(sender=uploader) | Q(entered_by=uploader)
        message = Message.objects.select_related("sender").filter(mine, pk=ids[0], ticket=ticket).first()
        if message is None:
            raise ValidationFailed.field("message", "The message must be one of yours on this ticket.")
    safe_name = filetypes.sanitize_filename(filename)
    try:
        sniffed = filetypes.sniff(upload, safe_name)
    except filetypes.Rejected as exc:
        raise InvalidFileType(str(exc), details={"file": [str(exc)]}) from exc

    attachment = Attachment(
        ticket=ticket,
        message=message,
        uploaded_by=uploader,
        filename=safe_name,
        file_size=size,
        content_type=sniffed.content_type,
    )
    upload.seek(0)
    attachment.file.save(f"upload{sniffed.extension}", File(upload), save=False)
    stored = attachment.file.name
    try:
        with transaction.atomic():
            attachment.save()
            now = timezone.now()
            # Who can see the file yet (as `selectors.attachments_visible_to`): staff always; the
            # customer when it is theirs, or on a message that is not an internal note.
            seen = not message.is_internal if message is not None else uploader.pk == ticket.customer_id
            Ticket.objects.filter(pk=ticket.pk).update(**dict.fromkeys(_touched(seen_by_customer=seen), now))
            if message is not None:
                files = tuple(message.attachments.order_by("created_at", "id"))
                publish(
                    AttachmentAdded(
                        ticket=ticket, actor=uploader, message=message, attachment=attachment, attachments=files
                    )
                )
    except BaseException:
        attachment.file.storage.delete(stored)
        raise
    return attachment


def attachment_delete(*, attachment: Attachment, user: User) -> None:
    """Remove one of your own uploads that is not part of a sent message yet (a file picked and
    then dropped in the composer). Sent files are part of the conversation and stay."""
    permissions.ensure_may_remove_upload(attachment=attachment, user=user)
    attachment.delete()  # the stored file goes once the delete commits (support.receivers)


UNSENT_UPLOAD_MAX_AGE = timedelta(hours=24)


def attachments_purge_unsent(*, older_than: timedelta = UNSENT_UPLOAD_MAX_AGE) -> int:
    """Delete uploads never attached to a message within a day: abandoned drafts."""
    stale = Attachment.objects.filter(message__isnull=True, created_at__lt=timezone.now() - older_than)
    count = 0
    for attachment in stale.iterator(chunk_size=200):
        attachment.delete()
        count += 1
    return count


# --- mail (the email channel) ---------------------------------------------------------------
#
# A mail becomes its ticket, message, files and notes in the caller's transaction (desk.mail runs
# it under `stored_files_guard`, so the stored files go again if anything fails).


@dataclass(frozen=True)
class MailFile:
    filename: str
    content: bytes


@dataclass(frozen=True)
class MailContent:
    """What a mail says, read by desk.mail: its new text, its sender's address (empty for staff,
    whose addresses customers do not see), its Message-ID and its files."""

    text: str
    email_from: str
    email_message_id: str
    files: Sequence[MailFile] = ()


NO_TEXT = "(This mail has no text.)"
FILES_ONLY = "(This mail has no text, only the attached files.)"
FULL_TEXT_NAME = "full-message.txt"


def _mail_text(content: MailContent) -> tuple[str, list[MailFile]]:
    """The message text (at most MESSAGE_MAX_LENGTH; a longer mail's whole text comes along as a
    .txt file) and the files to store."""
    text = content.text.strip()
    files = list(content.files)
    if len(text) > MESSAGE_MAX_LENGTH:
        files.insert(0, MailFile(FULL_TEXT_NAME, text.encode()))
        text = text[:MESSAGE_MAX_LENGTH].rstrip()
    return text or (FILES_ONLY if files else NO_TEXT), files


def _mail_files_store(
    *, ticket: Ticket, message: Message, uploader: User | None, files: Sequence[MailFile]
) -> tuple[list[Attachment], list[str]]:
    """Store a mail's files through the upload checks (size, type from the bytes); returns the
    attachments and, for each refused file, a line naming it and why."""
    from desk.core.uploads import note_stored

    stored: list[Attachment] = []
    refused: list[str] = []
    for file in files:
        name = filetypes.sanitize_filename(file.filename)
        if len(file.content) > settings.ATTACHMENT_MAX_BYTES:
            refused.append(f"{name}: {len(file.content)} bytes, over the {settings.ATTACHMENT_MAX_BYTES}-byte limit")
            continue
        if not file.content:
            refused.append(f"{name}: the file is empty")
            continue
        if len(stored) >= MAX_ATTACHMENTS_PER_MESSAGE * 5:
            refused.append(f"{name}: too many files in one mail (at most {MAX_ATTACHMENTS_PER_MESSAGE * 5})")
            continue
        buffer = io.BytesIO(file.content)
        try:
            sniffed = filetypes.sniff(buffer, name)
        except filetypes.Rejected as exc:
            refused.append(f"{name}: {exc}")
            continue
        attachment = Attachment(
            ticket=ticket,
            message=message,
            uploaded_by=uploader,
            filename=name,
            file_size=len(file.content),
            content_type=sniffed.content_type,
        )
        buffer.seek(0)
        attachment.file.save(f"upload{sniffed.extension}", File(buffer), save=False)
        note_stored(attachment.file.storage, attachment.file.name)
        stored.append(attachment)
    Attachment.objects.bulk_create(stored)
    return stored, refused


def _refused_note(ticket: Ticket, refused: Sequence[str], *, now: Any) -> None:
    if not refused:
        return
    lines = "\n".join(f"- {line}" for line in refused)
    text = f"Files in this mail that were not attached:\n{lines}"[:MESSAGE_MAX_LENGTH]
    note = Message.objects.create(
        ticket=ticket,
        sender=None,
        message_text=text,
        created_at=now,
        is_internal=True,
        read_by_customer=True,
        read_by_staff=False,
    )
    publish(MessageCreated(ticket=ticket, actor=None, message=note))


def ticket_open_from_mail(
    *,
    customer: User,
    title: str,
    content: MailContent,
    category: str = Category.GENERAL,
    follows: Ticket | None = None,
    confirm: bool = True,
) -> tuple[Ticket, Message]:
    """A mail that matched no ticket opens one for its sender (source email, priority medium),
    continuing `follows` when it was about a closed ticket. `confirm` off: no confirmation email
    (a machine wrote the mail)."""
    permissions.ensure_may_be_customer(customer)
    _choice("category", category, Category)
    title = single_line(title or "")[:TITLE_MAX_LENGTH] or "(no subject)"
    text, files = _mail_text(content)
    now = timezone.now()
    with transaction.atomic():
        ticket = Ticket.objects.create(
            title=title,
            customer=customer,
            category=category,
            priority=Priority.MEDIUM,
            source=Source.EMAIL,
            follows=follows,
            created_at=now,
            updated_at=now,
            activity_at=now,
        )
        message = Message.objects.create(
            ticket=ticket,
            sender=customer,
            message_text=text,
            created_at=now,
            is_from_customer=True,
            read_by_customer=True,
            via=Source.EMAIL,
            email_from=content.email_from,
            email_message_id=content.email_message_id,
        )
        _, refused = _mail_files_store(ticket=ticket, message=message, uploader=customer, files=files)
        _record(
            ticket,
            customer,
            EventKind.CREATED,
            new={"status": ticket.status, "priority": ticket.priority},
            note=f"By email; continues #{follows.number}" if follows is not None else "By email",
        )
        publish(TicketCreated(ticket=ticket, actor=customer, message=message, confirm=confirm))
        _refused_note(ticket, refused, now=now)
    return ticket, message


def message_post_from_mail(*, ticket: Ticket, sender: User, content: MailContent) -> Message:
    """A mail on an existing ticket: its customer's reply (which reopens a resolved ticket) or a
    staff member's public reply. The ticket must not be closed (desk.mail opens a new one)."""
    if sender.pk != ticket.customer_id and not is_staff(sender):
        raise PermissionDenied("Only the ticket's customer or staff write on it.")
    text, files = _mail_text(content)
    with transaction.atomic():
        ticket = _locked(ticket)
        now = timezone.now()
        if ticket.status == Status.CLOSED:
            raise ValidationFailed("This ticket is closed.", details={"ticket": ["The ticket is closed."]})
        from_customer = sender.pk == ticket.customer_id
        message = _message_new(
            ticket,
            sender,
            text,
            now=now,
            via=Source.EMAIL,
            email_from=content.email_from if from_customer else "",
            email_message_id=content.email_message_id,
        )
        attachments, refused = _mail_files_store(ticket=ticket, message=message, uploader=sender, files=files)
        attachments.sort(key=lambda a: (a.created_at, a.pk))
        _message_written(ticket, message, attachments, now=now)
        _refused_note(ticket, refused, now=now)
    return message
