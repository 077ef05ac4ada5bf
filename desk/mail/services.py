"""The email channel: every inbound mail is stored raw first, then processed into tickets.

`inbound_receive` is where all three inbound paths (IMAP polling, raw MIME over HTTP, provider
webhooks) meet: it writes the raw bytes to storage and an `InboundEmail` record, and queues the
processing after the commit. `inbound_process` reads the record back, parses the mail and makes
of it a ticket, a reply, a bounce record or nothing (with the reason), in one transaction.

A mail that cannot be read is kept (raw) and marked `failed` with the reason; a mail that meets
a passing fault (the database, the storage) is retried from its record.
"""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from dataclasses import dataclass
from datetime import timedelta
from email import policy
from email.parser import BytesHeaderParser
from email.utils import getaddresses
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from desk.accounts import services as account_services
from desk.accounts.models import User
from desk.core.breaker import broker_breaker
from desk.core.errors import ApplicationError
from desk.core.queue import task_named
from desk.core.text import single_line
from desk.core.uploads import stored_files_guard
from desk.mail import parsing
from desk.mail.models import InboundEmail, InboundStatus, Mailbox, raw_upload_to
from desk.notifications import services as notification_services
from desk.notifications import threading
from desk.notifications.models import EmailDelivery
from desk.support import services as support_services
from desk.support.models import Message, Status, Ticket

logger = logging.getLogger(__name__)

# Errors worth another attempt later: the database or the storage was briefly away.
TRANSIENT = (OperationalError, InterfaceError, OSError)
# "Re:", "Fwd:" and their translations, as mail clients prefix subjects.
_REPLY_PREFIX = re.compile(r"^\s*((re|fw|fwd|aw|wg|sv|vs|antw|tr|rv|r)\s*(\[\d+\])?\s*:\s*)+", re.IGNORECASE)


# --- receiving ------------------------------------------------------------------------------


def _header_text(value: Any, limit: int) -> str:
    try:
        text = str(value or "")
    except Exception:  # noqa: BLE001 - a header the parser could not decode is left out
        return ""
    return single_line(text.replace("\x00", ""))[:limit]


def _envelope(raw: bytes) -> tuple[str, str, str, str]:
    """Message-ID, sender address and name, and subject, read from the headers alone (cheap, and
    never failing: a mail with unreadable headers is still stored, to fail visibly later)."""
    try:
        headers = BytesHeaderParser(policy=policy.default).parsebytes(raw[: 256 * 1024])
        message_id = _header_text(headers.get("Message-ID"), 990).strip().strip("<>").strip()
        subject = _header_text(headers.get("Subject"), 998)
        name, address = next(iter(getaddresses([_header_text(headers.get("From"), 998)])), ("", ""))
    except Exception:  # noqa: BLE001 - see above
        message_id, subject, name, address = "", "", "", ""
    if not message_id or " " in message_id:
        message_id = f"sha256-{hashlib.sha256(raw).hexdigest()}@generated.invalid"
    return message_id, address.lower()[:254], single_line(name)[:255], subject


def inbound_receive(*, raw: bytes, channel: str, mailbox: Mailbox | None = None) -> InboundEmail:
    """Store a mail (raw bytes in storage, an InboundEmail row), committed before this returns,
    and queue its processing. The same Message-ID again returns the existing record: a mail is
    one message however often it arrives. Raises if it could not be stored (nothing is then)."""
    message_id, address, name, subject = _envelope(raw)
    existing = InboundEmail.objects.filter(message_id_header=message_id).first()
    if existing is not None:
        return existing
    inbound = InboundEmail(
        message_id_header=message_id,
        channel=channel,
        mailbox=mailbox,
        from_address=address,
        from_name=name,
        subject=subject,
        size=len(raw),
    )
    inbound.raw.save(raw_upload_to(inbound, "mail.eml"), ContentFile(raw), save=False)
    stored = inbound.raw.name
    try:
        with transaction.atomic():
            inbound.save(force_insert=True)
            transaction.on_commit(enqueue_processing)
    except IntegrityError:  # the same mail, stored a moment ago by another path
        inbound.raw.storage.delete(stored)
        return InboundEmail.objects.get(message_id_header=message_id)
    except BaseException:
        inbound.raw.storage.delete(stored)
        raise
    return inbound


# One drain task pending at a time: mails that arrive while it waits are processed by it; one
# that arrives once it has started wakes another (the key goes before the drain looks for mail).
DRAIN_PENDING_KEY = "mail:drain-pending"
DRAIN_BATCH = 50
# Named, not imported: the task module calls this one (and the poller), never the other way.
DRAIN_TASK = "desk.mail.tasks.process_inbound_mail"


def enqueue_processing() -> None:
    """Wake a worker to process the mail waiting; with the broker away it waits for
    `inbound_retry_due`."""
    if not broker_breaker.allow():
        return
    try:
        if not cache.add(DRAIN_PENDING_KEY, 1, timeout=60):
            return  # a drain is already on its way
    except Exception:  # noqa: BLE001 - without the cache, wake a worker anyway
        logger.warning("The cache is unreachable; queueing a drain of inbound mail regardless.")
    try:
        task_named(DRAIN_TASK).delay()
    except Exception:
        logger.warning("Could not queue inbound mail processing; the retry task will.", exc_info=True)
        broker_breaker.failed()
        _drain_started()


def _drain_started() -> None:
    try:
        cache.delete(DRAIN_PENDING_KEY)
    except Exception:  # noqa: BLE001 - the key expires by itself
        logger.warning("The cache is unreachable; the drain key will expire on its own.")


def inbound_drain(*, limit: int = DRAIN_BATCH) -> int:
    """Process waiting mails, oldest first, each in its own transaction, up to `limit` (then
    wake another drain); the emails they cause go to the queue as one batch. Returns how many."""
    _drain_started()
    if InboundEmail.objects.filter(status=InboundStatus.RECEIVED)[limit : limit + 1].exists():
        enqueue_processing()  # more than one batch waits: another worker can take the next
    done = 0
    with notification_services.deliveries_batched():
        while done < limit and inbound_process_next() is not None:
            done += 1
    if done >= limit:
        enqueue_processing()
    return done


# --- processing -----------------------------------------------------------------------------


@dataclass
class Outcome:
    status: str
    reason: str = ""
    ticket: Ticket | None = None
    message: Message | None = None
    opened_ticket: bool = False


def max_attempts() -> int:
    return int(settings.INBOUND_MAX_ATTEMPTS)


def inbound_process(*, inbound_id: Any) -> InboundEmail | None:
    """Process one stored mail, if it is still waiting (an admin's second try, a test)."""
    return _process_one(InboundEmail.objects.filter(pk=inbound_id), inbound_id=inbound_id)


def inbound_process_next() -> InboundEmail | None:
    """Process the oldest waiting mail that no other worker holds; None when none waits."""
    waiting = InboundEmail.objects.filter(status=InboundStatus.RECEIVED).order_by("received_at", "id")
    return _process_one(waiting, inbound_id=None)


def _process_one(candidates: QuerySet[InboundEmail], *, inbound_id: Any) -> InboundEmail | None:
    """Turn a stored mail into what it means, once, in one transaction (its row is locked for
    it, so two workers never process one mail). A passing fault raises (the task retries);
    anything else wrong with the mail marks it failed with the reason."""
    inbound = None
    try:
        with stored_files_guard(), transaction.atomic():
            inbound = (
                candidates.select_for_update(skip_locked=True, of=("self",))
                .select_related("mailbox")
                .filter(status=InboundStatus.RECEIVED)
                .first()
            )
            if inbound is None:  # processed already, being processed, or removed since
                return InboundEmail.objects.filter(pk=inbound_id).first() if inbound_id is not None else None
            inbound.attempts += 1
            with inbound.raw.open("rb") as file:
                raw = file.read()
            try:
                parsed = parsing.parse(raw)
            except parsing.MalformedMail as exc:
                return _finish(inbound, Outcome(InboundStatus.FAILED, f"Malformed mail: {exc}"))
            try:
                with stored_files_guard(), transaction.atomic():  # the mail's writes, undone alone if they fail
                    outcome = _handle(inbound, parsed)
            except TRANSIENT:
                raise
            except ApplicationError as exc:
                outcome = Outcome(InboundStatus.FAILED, f"Refused: {exc}")
            except Exception as exc:
                logger.exception("Inbound mail %s could not be processed.", inbound.pk)
                outcome = Outcome(InboundStatus.FAILED, f"{type(exc).__name__}: {exc}"[:2000])
            return _finish(inbound, outcome, parsed=parsed)
    except TRANSIENT:
        if inbound is None:
            raise
        logger.warning("Inbound mail %s met a passing fault; it will be tried again.", inbound.pk, exc_info=True)
        given_up = _passing_fault(inbound.pk)
        if given_up is None:
            raise  # for the task to retry
        return given_up


def _passing_fault(inbound_id: Any) -> InboundEmail | None:
    """Count the failed attempt (its transaction is gone); at the last one, mark the mail failed
    and return it. None: it is to be tried again."""
    InboundEmail.objects.filter(pk=inbound_id, status=InboundStatus.RECEIVED).update(attempts=F("attempts") + 1)
    inbound = InboundEmail.objects.filter(pk=inbound_id, status=InboundStatus.RECEIVED).first()
    if inbound is None or inbound.attempts < max_attempts():
        return None
    logger.error("Inbound mail %s failed for good after %s attempts.", inbound.pk, inbound.attempts)
    return _finish(inbound, Outcome(InboundStatus.FAILED, "Could not be processed after several attempts."))


def _finish(inbound: InboundEmail, outcome: Outcome, *, parsed: parsing.ParsedMail | None = None) -> InboundEmail:
    inbound.status = outcome.status
    inbound.reason = outcome.reason[:2000]
    inbound.ticket = outcome.ticket
    inbound.message = outcome.message
    inbound.opened_ticket = outcome.opened_ticket
    inbound.processed_at = timezone.now()
    fields = ["status", "reason", "ticket", "message", "opened_ticket", "processed_at", "attempts"]
    if parsed is not None:
        inbound.full_text = parsed.full_text[:200_000]
        fields.append("full_text")
    inbound.save(update_fields=fields)
    if outcome.status == InboundStatus.FAILED:
        logger.warning("Inbound mail %s failed: %s", inbound.pk, inbound.reason)
    return inbound


def _handle(inbound: InboundEmail, mail: parsing.ParsedMail) -> Outcome:
    """What the mail is, in the order that keeps loops and abuse out (email.md)."""
    if mail.bounce is not None:
        return _bounce(mail.bounce)
    sender_address = mail.from_address
    if not sender_address:
        return Outcome(InboundStatus.FAILED, "The mail has no sender address that can be read.")
    own = threading.own_addresses() | _mailbox_addresses()
    if sender_address in own:
        return Outcome(InboundStatus.IGNORED, f"From our own address ({sender_address}): a mail loop.")
    sender = User.objects.filter(email__iexact=sender_address).first()
    if sender is not None and not sender.is_active:
        return Outcome(InboundStatus.IGNORED, "The sender's account is deactivated.")
    ticket = _match(mail, sender)
    if mail.auto_reply:
        reason = f"An automatic reply ({mail.automatic_reason}): recorded, not posted."
        return Outcome(InboundStatus.IGNORED, reason, ticket=ticket)
    content = support_services.MailContent(
        text=mail.text or ("" if mail.files else mail.full_text),
        email_from="" if sender is not None and sender.is_staff else sender_address,
        email_message_id=inbound.message_id_header,
        files=[support_services.MailFile(file.filename, file.content) for file in mail.files],
    )
    if sender is not None and sender.is_staff:
        return _staff_mail(sender, ticket, mail, content)
    if ticket is not None and sender is not None and ticket.customer_id == sender.pk:
        if ticket.status != Status.CLOSED:
            message = support_services.message_post_from_mail(ticket=ticket, sender=sender, content=content)
            return Outcome(InboundStatus.PROCESSED, "A reply on the ticket.", ticket=ticket, message=message)
        return _open(inbound, mail, sender, content, follows=ticket)
    return _open(inbound, mail, sender, content)


def _mailbox_addresses() -> set[str]:
    return {name.lower() for name in Mailbox.objects.filter(username__contains="@").values_list("username", flat=True)}


def _match(mail: parsing.ParsedMail, sender: User | None) -> Ticket | None:
    """The ticket a mail answers: by our signed reply address, by the Message-IDs it refers to,
    or by a `[#1042]` subject tag when its sender is that ticket's customer or staff."""
    for address in (*mail.to, *mail.cc, *mail.delivered_to):
        number = threading.ticket_number_from_address(address)
        if number is not None:
            ticket = Ticket.objects.filter(number=number).select_related("customer").first()
            if ticket is not None:
                return ticket
    referred = [*mail.in_reply_to, *reversed(mail.references)]
    if referred:
        ours = dict(
            EmailDelivery.objects.filter(message_id__in=referred, ticket__isnull=False).values_list(
                "message_id", "ticket_id"
            )
        )
        theirs = dict(
            Message.objects.filter(email_message_id__in=referred).values_list("email_message_id", "ticket_id")
        )
        for message_id in referred:  # the mail it answers first, then the thread from the latest
            ticket_id = ours.get(message_id) or theirs.get(message_id)
            if ticket_id is not None:
                return Ticket.objects.select_related("customer").get(pk=ticket_id)
    tag = threading.SUBJECT_TAG.search(mail.subject)
    if tag and sender is not None:
        ticket = Ticket.objects.filter(number=int(tag["number"])).select_related("customer").first()
        if ticket is not None and (sender.is_staff or ticket.customer_id == sender.pk):
            return ticket
    return None


def _staff_mail(sender: User, ticket: Ticket | None, mail: parsing.ParsedMail, content: Any) -> Outcome:
    """Staff mail on a ticket is a public staff reply; staff mail that matches none is refused
    (and they are told), never a ticket in their name."""
    if ticket is not None and ticket.status != Status.CLOSED:
        message = support_services.message_post_from_mail(ticket=ticket, sender=sender, content=content)
        return Outcome(InboundStatus.PROCESSED, "A staff reply on the ticket.", ticket=ticket, message=message)
    why = (
        f"ticket #{ticket.number} is closed; reopen it in the web app to reply"
        if ticket is not None
        else "it matches no ticket, and staff mail never opens one"
    )
    if not mail.bulk:
        notification_services.email_mail_refused(user=sender, subject=mail.subject, reason=why)
    return Outcome(InboundStatus.IGNORED, f"Staff mail refused: {why}.", ticket=ticket)


def _open(
    inbound: InboundEmail,
    mail: parsing.ParsedMail,
    sender: User | None,
    content: Any,
    *,
    follows: Ticket | None = None,
) -> Outcome:
    """A new ticket for the sender (a new customer account for an unknown address), within the
    per-sender limit."""
    if sender is None and settings.INBOUND_UNKNOWN_SENDERS == "reject":
        return Outcome(InboundStatus.IGNORED, "Unknown sender, and unknown senders are refused.")
    limit = settings.INBOUND_TICKETS_PER_SENDER_PER_HOUR
    recent = InboundEmail.objects.filter(
        from_address=mail.from_address, opened_ticket=True, received_at__gte=timezone.now() - timedelta(hours=1)
    ).count()
    if recent >= limit:
        return Outcome(InboundStatus.IGNORED, f"This address opened {recent} tickets in the last hour (limit {limit}).")
    if sender is None:
        sender = account_services.customer_for_contact(email=mail.from_address, name=mail.from_name)
    category = inbound.mailbox.category if inbound.mailbox is not None else "general"
    ticket, message = support_services.ticket_open_from_mail(
        customer=sender,
        title=ticket_title(mail.subject),
        content=content,
        category=category,
        follows=follows,
        confirm=not mail.bulk,
    )
    reason = f"A new ticket, following closed #{follows.number}." if follows is not None else "A new ticket."
    return Outcome(InboundStatus.PROCESSED, reason, ticket=ticket, message=message, opened_ticket=True)


def ticket_title(subject: str) -> str:
    """A subject as a ticket title: without "Re:"/"Fwd:" prefixes and our `[#N]` tags."""
    title = threading.SUBJECT_TAG.sub("", subject)
    title = _REPLY_PREFIX.sub("", title)
    return single_line(title) or "(no subject)"


def _bounce(bounce: parsing.Bounce) -> Outcome:
    """A delivery status notification marks the email it reports bounced (and a hard bounce
    stops mail to the address); it is never a ticket."""
    delivery = None
    try:
        if bounce.delivery_id:
            delivery = EmailDelivery.objects.filter(pk=uuid.UUID(bounce.delivery_id)).first()
    except ValueError:
        delivery = None
    if delivery is None and bounce.original_message_id:
        delivery = EmailDelivery.objects.filter(message_id=bounce.original_message_id).first()
    if not bounce.recipients:  # a delay (or success) notice: the email may still arrive
        return Outcome(
            InboundStatus.IGNORED, f"A delivery notice ({bounce.status or 'no status'}) that reports no failure."
        )
    kind = "hard" if bounce.permanent else "soft"
    detail = f"{bounce.status or 'unknown status'} for {', '.join(bounce.recipients) or 'an unknown address'}"
    if delivery is None:
        return Outcome(InboundStatus.IGNORED, f"A {kind} bounce ({detail}) of no email we sent.")
    reason = f"Bounced ({kind}, {detail}): {bounce.diagnostic}".strip().rstrip(":")
    notification_services.delivery_bounced(delivery=delivery, permanent=bounce.permanent, reason=reason)
    ticket = Ticket.objects.filter(pk=delivery.ticket_id).first() if delivery.ticket_id else None
    return Outcome(InboundStatus.PROCESSED, f"A {kind} bounce of an email we sent ({detail}).", ticket=ticket)


def inbound_retry_due(*, older_than: timedelta = timedelta(minutes=5), limit: int = 500) -> int:
    """Queue again the mails still waiting (the broker was away, a worker died); returns how many."""
    waiting = list(
        InboundEmail.objects.filter(status=InboundStatus.RECEIVED, received_at__lte=timezone.now() - older_than)
        .order_by("received_at")
        .values_list("pk", flat=True)[:limit]
    )
    if waiting:
        enqueue_processing()
    return len(waiting)


def inbound_reprocess(*, inbound: InboundEmail) -> InboundEmail:
    """An admin's second try of a failed mail (after fixing what made it fail)."""
    InboundEmail.objects.filter(pk=inbound.pk, status=InboundStatus.FAILED).update(
        status=InboundStatus.RECEIVED, attempts=0, reason=""
    )
    return inbound_process(inbound_id=inbound.pk)
