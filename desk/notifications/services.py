"""Who is told what (SPEC "Notifications"), and the durable delivery of emails.

The `notify_*` services run inside the transaction of the change they report (`subscribers`
call them for the other domains' events): they write the in-app notifications and the email
delivery records there, so they exist exactly when the change does.
Sending happens after the commit, on the task queue; a failed send is retried with backoff from
its record, and `emails_retry_due` (periodic task and management command) picks up anything
still waiting, e.g. after the broker or the mail server was down.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import formataddr, parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from desk.accounts.models import User
from desk.core.breaker import broker_breaker
from desk.core.errors import NotFound, ValidationFailed
from desk.core.events import publish
from desk.core.text import single_line
from desk.notifications import presenters, selectors, threading
from desk.notifications.events import NotificationsCreated
from desk.notifications.models import (
    DeliveryStatus,
    EmailDelivery,
    EmailPreference,
    Kind,
    Notification,
    SuppressedAddress,
)
from desk.support.models import Message, Ticket

logger = logging.getLogger(__name__)

# The emails each side can receive, and so can switch off.
CUSTOMER_EMAIL_KINDS = (Kind.TICKET_CREATED, Kind.STAFF_REPLY, Kind.TICKET_RESOLVED)
STAFF_EMAIL_KINDS = (
    Kind.CUSTOMER_REPLY,
    Kind.TICKET_ASSIGNED,
    Kind.TICKET_ESCALATED,
    Kind.SLA_WARNING,
    Kind.SLA_BREACHED,
)

# How long one delivery attempt owns a record before another worker may try it again.
ATTEMPT_LEASE = timedelta(minutes=5)
SNIPPET = 300


def email_kinds_for(user: User) -> tuple[str, ...]:
    return STAFF_EMAIL_KINDS if user.is_staff else CUSTOMER_EMAIL_KINDS


def max_attempts() -> int:
    return int(getattr(settings, "EMAIL_MAX_ATTEMPTS", 10))


def retry_delay(attempts: int) -> timedelta:
    """Backoff after the n-th failed attempt: 30 s, 1 min, 2 min, ... at most an hour."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


# --- who is told what -----------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    kind: str
    text: str
    email: bool  # also send an email (subject to the recipient's preference)
    # The text of several such notices about one ticket, grouped into one unread notification
    # ("{count} new replies on: …"); None: each notice stands alone.
    grouped: str | None = None


def notify_ticket_created(*, ticket: Ticket, actor: User | None, message: Message, confirm: bool = True) -> None:
    """A new ticket: staff hear of it in the app, the customer gets a confirmation by email
    (unless `confirm` is off: a mail sent by a machine, which must not get an answer)."""
    customer = ticket.customer
    _notify(
        selectors.triage_recipients(exclude=actor),
        Notice(Kind.TICKET_CREATED, f"New ticket from {customer.name}: {ticket.title}", False),
        ticket=ticket,
        message=message,
    )
    if not confirm:
        return
    _notify(
        [customer],
        Notice(Kind.TICKET_CREATED, f"We received your ticket: {ticket.title}", True),
        ticket=ticket,
        message=None if message.is_internal else message,  # opened by staff with a note: never shown
        in_app=False,
    )


def notify_message(*, ticket: Ticket, actor: User | None, message: Message) -> None:
    """A note tells the ticket's agent; a customer's reply its agent (or the triage group while it
    has none); a staff reply the customer. Repeated ones about a ticket are grouped while unread."""
    title = ticket.title
    if message.is_internal:
        agent_on_ticket = ticket.assigned_agent
        if agent_on_ticket and actor and agent_on_ticket.pk != actor.pk and agent_on_ticket.is_active:
            _notify(
                [agent_on_ticket],
                Notice(
                    Kind.INTERNAL_NOTE,
                    f"{actor.name} added a note on: {title}",
                    False,
                    grouped=f"{{count}} new notes on: {title}",
                ),
                ticket=ticket,
                message=message,
            )
    elif message.is_from_customer:
        assigned = ticket.assigned_agent
        recipients = [assigned] if assigned and assigned.is_active else selectors.triage_recipients()
        recipients = [user for user in recipients if actor is None or user.pk != actor.pk]
        customer = ticket.customer.name
        _notify(
            recipients,
            Notice(
                Kind.CUSTOMER_REPLY,
                f"{customer} replied on: {title}",
                True,
                grouped=f"{{count}} new replies from {customer} on: {title}",
            ),
            ticket=ticket,
            message=message,
        )
    elif actor is not None and actor.is_staff:
        _notify(
            [ticket.customer],
            Notice(
                Kind.STAFF_REPLY, f"Support replied on: {title}", True, grouped=f"{{count}} new replies on: {title}"
            ),
            ticket=ticket,
            message=message,
        )


def notify_resolved(*, ticket: Ticket, actor: User | None) -> None:
    """The customer hears that their ticket was resolved (unless they did it), with the way back:
    reopening it, or simply replying, which reopens it."""
    if actor is not None and actor.pk == ticket.customer_id:
        return
    _notify(
        [ticket.customer],
        Notice(Kind.TICKET_RESOLVED, f"Your ticket was resolved: {ticket.title}", True),
        ticket=ticket,
    )


def notify_assigned(*, ticket: Ticket, actor: User | None, agent: User | None) -> None:
    """The new assignee hears of it, unless they took the ticket themselves."""
    if agent is None or (actor is not None and agent.pk == actor.pk):
        return
    by = actor.name if actor is not None else "Support"
    _notify([agent], Notice(Kind.TICKET_ASSIGNED, f"{by} assigned you: {ticket.title}", True), ticket=ticket)


def notify_escalated(*, ticket: Ticket, actor: User | None, reason: str) -> None:
    """Admins and the ticket's agent hear of an escalation."""
    recipients = {user.pk: user for user in selectors.admin_recipients(exclude=actor)}
    assigned = ticket.assigned_agent
    if assigned and (actor is None or assigned.pk != actor.pk) and assigned.is_active:
        recipients[assigned.pk] = assigned
    by = actor.name if actor is not None else "Support"
    _notify(
        list(recipients.values()),
        Notice(Kind.TICKET_ESCALATED, f"Escalated by {by}: {ticket.title} — {reason}"[:500], True),
        ticket=ticket,
        reason=reason,
    )


SLA_TARGETS = {"first_response": "first response", "next_response": "next response", "resolution": "resolution"}


def notify_sla(*, ticket: Ticket, target: str, level: str, due_at: datetime | None) -> None:
    """A service-level alert: at 75% of a target, its agent (or all staff while it has none);
    at breach, the same and the admins. Staff only, always."""
    assigned = ticket.assigned_agent
    staff: list[User] | None = None  # read once, for "all staff" and for the admins among them
    recipients = {user.pk: user for user in ([assigned] if assigned and assigned.is_active else [])}
    if not recipients:
        staff = selectors.staff_recipients()
        recipients = {user.pk: user for user in staff}
    what = SLA_TARGETS.get(target, target)
    due = f" (due {due_at:%Y-%m-%d %H:%M} UTC)" if due_at is not None else ""
    if level == "breach":
        admins = [user for user in staff if user.is_admin] if staff is not None else selectors.admin_recipients()
        recipients.update({user.pk: user for user in admins})
        notice = Notice(Kind.SLA_BREACHED, f"SLA breached, {what}{due}: {ticket.title}", True)
        reason = f"The {what} target was missed{due}."
    else:
        notice = Notice(Kind.SLA_WARNING, f"SLA at risk, {what}{due}: {ticket.title}", True)
        reason = f"The {what} target has less than a quarter of its time left{due}."
    _notify(list(recipients.values()), notice, ticket=ticket, reason=reason)


def _notify(
    recipients: Iterable[User],
    notice: Notice,
    *,
    ticket: Ticket,
    message: Message | None = None,
    in_app: bool = True,
    reason: str = "",
) -> None:
    """Write the in-app notifications and email records for one notice, in a constant number of
    queries however many recipients there are (an unassigned ticket's reply goes to all staff)."""
    recipients = [user for user in recipients if user.is_active]
    if not recipients:
        return
    if in_app:
        notifications = _notifications_write(recipients, notice, ticket=ticket, message=message)
        publish(
            NotificationsCreated(
                notifications=tuple(notifications), all_staff=all(user.is_staff for user in recipients)
            )
        )
    if notice.email:
        muted = selectors.email_muted(users=recipients, kind=notice.kind)
        wanted = [user for user in recipients if user.pk not in muted]
        if wanted:
            email_queue(recipients=wanted, kind=notice.kind, ticket=ticket, message=message, reason=reason)


def _notifications_write(
    recipients: Sequence[User], notice: Notice, *, ticket: Ticket, message: Message | None
) -> list[Notification]:
    """One notification per recipient: new, or (for a grouped kind) their unread one about this
    ticket brought up to date and to the top, so that a busy ticket is one line, not twenty."""
    now = timezone.now()
    grouped: dict[Any, Notification] = {}
    if notice.grouped is not None:
        unread = Notification.objects.filter(
            recipient__in=recipients, kind=notice.kind, ticket=ticket, read_at__isnull=True
        ).order_by("-created_at")
        for notification in unread:
            grouped.setdefault(notification.recipient_id, notification)
        for notification in grouped.values():
            notification.count += 1
            notification.text = notice.grouped.format(count=notification.count)[:500]
            notification.message = message
            notification.created_at = now
            notification.ticket = ticket
        Notification.objects.bulk_update(list(grouped.values()), ["count", "text", "message", "created_at"])
    created = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user, kind=notice.kind, ticket=ticket, message=message, text=notice.text[:500], created_at=now
            )
            for user in recipients
            if user.pk not in grouped
        ]
    )
    return [*grouped.values(), *created]


def staff_notifications_drop(*, user: User) -> None:
    """Someone who becomes customer-side keeps only the notifications about their own tickets."""
    Notification.objects.filter(recipient=user).exclude(ticket__customer=user).delete()


# --- emails ---------------------------------------------------------------------------------

SUBJECTS = {
    Kind.TICKET_CREATED: "We received your request: {title}",
    Kind.STAFF_REPLY: "Re: {title}",
    Kind.CUSTOMER_REPLY: "Customer reply: {title}",
    Kind.TICKET_ASSIGNED: "Assigned to you: {title}",
    Kind.TICKET_ESCALATED: "Escalated: {title}",
    Kind.TICKET_RESOLVED: "Resolved: {title}",
    Kind.SLA_WARNING: "SLA at risk: {title}",
    Kind.SLA_BREACHED: "SLA breached: {title}",
}
HEADLINES = {
    Kind.TICKET_CREATED: "Thanks for getting in touch. We have your request and will reply soon.",
    Kind.STAFF_REPLY: "Our support team replied to your request.",
    Kind.CUSTOMER_REPLY: "{customer} replied.",
    Kind.TICKET_ASSIGNED: "{actor} assigned this ticket to you.",
    Kind.TICKET_ESCALATED: "{actor} escalated this ticket.",
    Kind.SLA_WARNING: "A service-level target on this ticket is at risk.",
    Kind.SLA_BREACHED: "A service-level target on this ticket was missed.",
    Kind.TICKET_RESOLVED: (
        "We have resolved your request. Not solved after all? Open the ticket and choose Reopen, or "
        "reply there: a reply reopens it."
    ),
}


def email_queue(
    *, recipients: Sequence[User], kind: str, ticket: Ticket, message: Message | None = None, reason: str = ""
) -> list[EmailDelivery]:
    """Render a ticket email and record one delivery per recipient; they are sent once the
    transaction commits. Only public text goes into an email: never an internal note."""
    if message is not None and message.is_internal:
        raise ValueError("Internal notes are never emailed.")
    actor = message.sender if message is not None else None
    headline = HEADLINES[kind].format(customer=ticket.customer.name, actor=(actor.name if actor else "Support"))
    # A staff reply is a person's words, from them ("Alice at Support Desk"); the rest the desk wrote.
    person = kind == Kind.STAFF_REPLY and actor is not None
    bodies = []
    for recipient in recipients:  # each greeted by name
        context = presenters.ticket_email_context(
            ticket=ticket, recipients=[recipient], headline=headline, message=message, reason=reason
        )
        text = render_to_string("notifications/email.txt", context)
        bodies.append((recipient, text, render_to_string("notifications/email.html", context)))
    return _deliveries_record(
        kind=kind,
        ticket=ticket,
        subject=f"{threading.subject_tag(ticket.number)} {SUBJECTS[kind].format(title=ticket.title)}",
        bodies=bodies,
        from_name=f"{actor.name} at {settings.DESK_NAME}" if person and actor else "",
        automatic=not person,
        message=message,
    )


def email_password_reset(*, user: User, reset_url: str, valid_minutes: int) -> EmailDelivery:
    """The reset link, by email (its copy is removed once sent: SCRUB_AFTER_SENDING)."""
    context = presenters.password_reset_context(user=user, reset_url=reset_url, valid_minutes=valid_minutes)
    return email_record(
        recipient=user,
        kind=Kind.PASSWORD_RESET,
        subject="Reset your Support Desk password",
        body_text=render_to_string("notifications/password_reset.txt", context),
        body_html=render_to_string("notifications/password_reset.html", context),
    )


def email_record(
    *, recipient: User, kind: str, subject: str, body_text: str, body_html: str, ticket: Ticket | None = None
) -> EmailDelivery:
    """Record one rendered email for delivery (see email_record_many)."""
    [delivery] = email_record_many(
        recipients=[recipient], kind=kind, subject=subject, body_text=body_text, body_html=body_html, ticket=ticket
    )
    return delivery


def email_record_many(
    *,
    recipients: Sequence[User],
    kind: str,
    subject: str,
    body_text: str,
    body_html: str,
    ticket: Ticket | None = None,
) -> list[EmailDelivery]:
    """Record a rendered email for each recipient, in the caller's transaction; after the commit
    they go to the task queue as one batch, and each is retried from its record until it is sent."""
    return _deliveries_record(
        kind=kind, ticket=ticket, subject=subject, bodies=[(user, body_text, body_html) for user in recipients]
    )


def _deliveries_record(
    *,
    kind: str,
    ticket: Ticket | None,
    subject: str,
    bodies: Sequence[tuple[User, str, str]],
    from_name: str = "",
    automatic: bool = True,
    message: Message | None = None,
) -> list[EmailDelivery]:
    """One delivery record per (recipient, text, html), in one query; queued after the commit.
    A ticket's emails answer to its signed reply address, in the thread of the customer's mail."""
    now = timezone.now()
    reply_to = threading.reply_address(ticket.number) if ticket is not None else ""
    in_reply_to, references = _thread_of(ticket, kind=kind, message=message) if ticket is not None else ("", "")
    deliveries = EmailDelivery.objects.bulk_create(
        [
            EmailDelivery(
                recipient=user,
                to_address=user.email,
                kind=kind,
                ticket=ticket,
                subject=single_line(subject)[:255],
                body_text=body_text,
                body_html=body_html,
                created_at=now,
                next_attempt_at=now,
                message_id=threading.new_message_id(),
                reply_to=reply_to,
                in_reply_to=in_reply_to,
                references=references,
                from_name=single_line(from_name)[:255],
                automatic=automatic,
            )
            for user, body_text, body_html in bodies
        ]
    )
    ids = [delivery.pk for delivery in deliveries]
    transaction.on_commit(lambda: enqueue_deliveries(ids))
    return deliveries


def _thread_of(ticket: Ticket, *, kind: str, message: Message | None) -> tuple[str, str]:
    """In-Reply-To and References for a ticket's email: the customer's latest mail on it, after
    their first (what mail clients thread by); empty when they never wrote by email."""
    if kind == Kind.TICKET_CREATED:  # a new ticket's only mail is its first message, if any
        mails = [message.email_message_id] if message is not None and message.email_message_id else []
    else:
        mails = selectors.customer_mail_ids(ticket=ticket)
    if not mails:
        return "", ""
    return mails[-1], " ".join(f"<{mail}>" for mail in dict.fromkeys(mails))


# Emails that carry a secret (a reset link) keep no copy of it once sent.
SCRUB_AFTER_SENDING = frozenset({Kind.PASSWORD_RESET})


_batched: ContextVar[list[Any] | None] = ContextVar("desk_batched_deliveries", default=None)


@contextmanager
def deliveries_batched() -> Iterator[None]:
    """Code that commits many changes in a row (a worker processing a batch of mails) hands the
    emails they record to the queue together at the end, in batches of 100, not one task each."""
    collected: list[Any] = []
    token = _batched.set(collected)
    try:
        yield
    finally:
        _batched.reset(token)
        for start in range(0, len(collected), 100):
            enqueue_deliveries(collected[start : start + 100])


def enqueue_deliveries(delivery_ids: Sequence[Any]) -> None:
    """Hand deliveries to the task queue as one batch; if the broker is unreachable the records
    wait for the periodic retry instead."""
    from desk.notifications.tasks import deliver_emails

    collecting = _batched.get()
    if collecting is not None:
        collecting.extend(delivery_ids)
        return
    if not delivery_ids or not broker_breaker.allow():
        return
    try:
        deliver_emails.delay([str(pk) for pk in delivery_ids])
    except Exception:
        logger.warning(
            "Could not queue %s email(s); they stay pending for the retry task.", len(delivery_ids), exc_info=True
        )
        broker_breaker.failed()


@dataclass(frozen=True)
class DeliveryResult:
    sent: int = 0
    failed_ids: tuple[Any, ...] = ()
    retry_in: float | None = None  # seconds until the failed ones are due again, if any may be retried


def _message_for(delivery: EmailDelivery, connection: Any) -> EmailMultiAlternatives:
    headers = {"X-Desk-Delivery": str(delivery.pk)}
    if delivery.message_id:
        headers["Message-ID"] = f"<{delivery.message_id}>"
    if delivery.in_reply_to:
        headers["In-Reply-To"] = f"<{delivery.in_reply_to}>"
        headers["References"] = delivery.references
    if delivery.automatic:
        headers["Auto-Submitted"] = "auto-generated"
    from_email = settings.DEFAULT_FROM_EMAIL
    if delivery.from_name:
        from_email = formataddr((single_line(delivery.from_name), parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))
    email = EmailMultiAlternatives(
        subject=single_line(delivery.subject),  # whatever is stored, a header stays one line
        body=delivery.body_text,
        from_email=from_email,
        to=[delivery.to_address],
        reply_to=[delivery.reply_to] if delivery.reply_to else None,
        connection=connection,
        headers=headers,
    )
    email.attach_alternative(delivery.body_html, "text/html")
    return email


def email_deliver_many(*, delivery_ids: Sequence[Any]) -> DeliveryResult:
    """Send a batch of deliveries over one mail-server connection.

    The attempt first claims the due records with a lease (one UPDATE stamping a claim token),
    so two workers never send the same email at once and no lock is held while talking to the
    mail server. Each failure is recorded on its delivery with the next attempt's time."""
    now = timezone.now()
    token = uuid.uuid4()
    EmailDelivery.objects.filter(
        Q(pk__in=list(delivery_ids)),
        ~Q(status=DeliveryStatus.SENT),
        Q(next_attempt_at__lte=now),
        Q(attempts__lt=max_attempts()),
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + ATTEMPT_LEASE, claim=token)
    deliveries = list(EmailDelivery.objects.filter(claim=token))
    if not deliveries:
        return DeliveryResult()
    deliveries = _drop_suppressed(deliveries)
    if not deliveries:
        return DeliveryResult()
    sent: list[EmailDelivery] = []
    failures: list[tuple[EmailDelivery, Exception]] = []
    connection = get_connection(fail_silently=False, timeout=settings.EMAIL_TIMEOUT)
    try:
        connection.open()
    except Exception as exc:  # noqa: BLE001 - the mail server is unreachable: every email waits
        failures = [(delivery, exc) for delivery in deliveries]
    else:
        try:
            for delivery in deliveries:
                try:
                    _message_for(delivery, connection).send()
                    sent.append(delivery)
                except Exception as exc:  # noqa: BLE001 - recorded on the delivery and retried
                    failures.append((delivery, exc))
        finally:
            connection.close()

    done_at = timezone.now()
    plain = [d.pk for d in sent if d.kind not in SCRUB_AFTER_SENDING]
    secret = [d.pk for d in sent if d.kind in SCRUB_AFTER_SENDING]
    EmailDelivery.objects.filter(pk__in=plain).update(
        status=DeliveryStatus.SENT, sent_at=done_at, last_error="", claim=None
    )
    EmailDelivery.objects.filter(pk__in=secret).update(
        status=DeliveryStatus.SENT,
        sent_at=done_at,
        last_error="",
        claim=None,
        body_text="[removed after sending]",
        body_html="[removed after sending]",
    )
    retry_in: float | None = None
    for delivery, exc in failures:
        delay = retry_delay(delivery.attempts)
        exhausted = delivery.attempts >= max_attempts()
        EmailDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            next_attempt_at=done_at + delay,
            claim=None,
        )
        (logger.error if exhausted else logger.warning)(
            "Email %s to %s failed (attempt %s of %s): %s",
            delivery.pk,
            delivery.to_address,
            delivery.attempts,
            max_attempts(),
            exc,
        )
        if not exhausted:
            retry_in = min(retry_in or delay.total_seconds(), delay.total_seconds())
    return DeliveryResult(sent=len(sent), failed_ids=tuple(d.pk for d, _ in failures), retry_in=retry_in)


def _drop_suppressed(deliveries: list[EmailDelivery]) -> list[EmailDelivery]:
    """Emails to a hard-bounced address are not sent (and not retried) until an admin clears
    the address; they stay recorded as failed, saying why. Returns the others."""
    addresses = {delivery.to_address.lower() for delivery in deliveries}
    bounced = set(SuppressedAddress.objects.filter(address__in=addresses).values_list("address", flat=True))
    if not bounced:
        return deliveries
    held = [delivery.pk for delivery in deliveries if delivery.to_address.lower() in bounced]
    EmailDelivery.objects.filter(pk__in=held).update(
        status=DeliveryStatus.FAILED,
        attempts=max_attempts(),
        claim=None,
        last_error="Not sent: this address hard-bounced; an admin can clear it under hard-bounced addresses.",
    )
    return [delivery for delivery in deliveries if delivery.to_address.lower() not in bounced]


def delivery_bounced(*, delivery: EmailDelivery, permanent: bool, reason: str) -> None:
    """A delivery status notification came back for this email: it is marked bounced, and a
    hard bounce stops all mail to the address until an admin clears it."""
    EmailDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.BOUNCED, last_error=reason[:2000], attempts=max(delivery.attempts, max_attempts())
    )
    if permanent:
        SuppressedAddress.objects.get_or_create(address=delivery.to_address.lower(), defaults={"reason": reason[:2000]})


def email_deliver(*, delivery_id: Any) -> DeliveryResult:
    return email_deliver_many(delivery_ids=[delivery_id])


def emails_retry_due(*, inline: bool = False, limit: int = 500, ignore_backoff: bool = False) -> int:
    """Send (inline) or re-queue every delivery whose next attempt is due; returns how many."""
    due = selectors.emails_due(max_attempts=max_attempts(), limit=limit, ignore_backoff=ignore_backoff)
    if ignore_backoff and due:
        EmailDelivery.objects.filter(pk__in=due).update(next_attempt_at=timezone.now())
    for start in range(0, len(due), 100):
        batch = due[start : start + 100]
        if inline:
            email_deliver_many(delivery_ids=batch)
        else:
            enqueue_deliveries(batch)
    return len(due)


# --- in-app notifications and preferences ---------------------------------------------------


def notification_mark_read(*, user: User, notification_id: Any) -> Notification:
    notification = selectors.notification_get_for(user=user, notification_id=notification_id)
    if notification is None:
        raise NotFound("Notification not found.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def email_preferences_for(*, user: User) -> dict[str, bool]:
    stored = selectors.email_preferences_stored(user=user)
    return {kind: stored.get(kind, True) for kind in email_kinds_for(user)}


def email_preferences_update(*, user: User, changes: dict[str, Any]) -> dict[str, bool]:
    allowed = email_kinds_for(user)
    unknown = [kind for kind in changes if kind not in allowed]
    if unknown:
        raise ValidationFailed(
            f"Unknown email kind for your account: {', '.join(sorted(unknown))}.",
            details={kind: [f"Choose from: {', '.join(allowed)}."] for kind in unknown},
        )
    wrong = [kind for kind, value in changes.items() if not isinstance(value, bool)]
    if wrong:
        raise ValidationFailed(
            "Preferences are true or false.", details={kind: ["Must be true or false."] for kind in wrong}
        )
    with transaction.atomic():
        for kind, enabled in changes.items():
            EmailPreference.objects.update_or_create(user=user, kind=kind, defaults={"enabled": enabled})
    return email_preferences_for(user=user)


def email_mail_refused(*, user: User, subject: str, reason: str) -> EmailDelivery:
    """Tell a staff member that their mail was not added anywhere, and why."""
    context = {
        "user": user,
        "subject": single_line(subject) or "(no subject)",
        "reason": reason,
        "site_url": settings.SITE_URL,
    }
    return email_record(
        recipient=user,
        kind=Kind.MAIL_REFUSED,
        subject=f"Not added to a ticket: {context['subject']}"[:255],
        body_text=render_to_string("notifications/mail_refused.txt", context),
        body_html=render_to_string("notifications/mail_refused.html", context),
    )
