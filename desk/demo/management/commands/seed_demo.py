"""`manage.py seed_demo`: demo accounts and a dozen tickets in varied states.

Idempotent: people are matched by email and tickets by (customer, title), so a second run
changes nothing. The demo password is printed at the end."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from desk.accounts.models import Role, User
from desk.sla import services as sla_services
from desk.sla.models import SlaOutcome, SlaPolicy, TicketSla
from desk.support import services
from desk.support.models import EventKind, Message, Ticket, TicketEvent
from desk.workspace.models import CannedResponse

# Nepal's working week: Sunday to Friday.
DEMO_WORKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri")
DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - printed for the demo on purpose

PEOPLE: list[dict[str, Any]] = [
    {"email": "admin@example.com", "first_name": "Ada", "last_name": "Admin", "role": Role.ADMIN},
    {
        "email": "alice.agent@example.com",
        "first_name": "Alice",
        "last_name": "Agent",
        "role": Role.AGENT,
        "triage": True,
    },
    {"email": "bob.agent@example.com", "first_name": "Bob", "last_name": "Agent", "role": Role.AGENT},
    {"email": "carol@example.com", "first_name": "Carol", "last_name": "Customer", "role": Role.CUSTOMER},
    {"email": "dave@example.com", "first_name": "Dave", "last_name": "Provider", "role": Role.PROVIDER},
    {"email": "erin@example.com", "first_name": "Erin", "last_name": "Customer", "role": Role.CUSTOMER},
]


@dataclass
class DemoTicket:
    customer: str
    title: str
    category: str
    priority: str
    days_ago: int
    conversation: list[tuple[str, str]]  # (sender email or "note:" + email, text)
    agent: str | None = None
    status: str | None = None
    escalate: str | None = None
    tags: list[str] = field(default_factory=list)


TICKETS = [
    DemoTicket(
        "carol@example.com",
        "Charged twice for my cleaning booking",
        "billing",
        "high",
        6,
        [
            ("carol@example.com", "I see two charges of $80 for the booking on Friday. Can you refund one?"),
            ("alice.agent@example.com", "Thanks Carol, I can see the duplicate charge. I've started the refund."),
            ("note:alice.agent@example.com", "Payment provider shows a retried capture; refund id RF-2291."),
            ("carol@example.com", "Great, thank you!"),
        ],
        agent="alice.agent@example.com",
        status="resolved",
        tags=["refund"],
    ),
    DemoTicket(
        "carol@example.com",
        "Provider did not show up",
        "service",
        "urgent",
        2,
        [
            ("carol@example.com", "The plumber booked for 9am never arrived and does not answer the phone."),
            ("bob.agent@example.com", "I'm sorry about this. I'm contacting the provider now."),
        ],
        agent="bob.agent@example.com",
        escalate="No-show on an urgent booking",
        tags=["no-show"],
    ),
    DemoTicket(
        "carol@example.com",
        "How do I change my address?",
        "account",
        "low",
        1,
        [("carol@example.com", "I moved last week. Where do I update my home address?")],
    ),
    DemoTicket(
        "dave@example.com",
        "Payout not received",
        "billing",
        "high",
        4,
        [
            ("dave@example.com", "My weekly payout has not arrived. It usually lands on Monday."),
            ("alice.agent@example.com", "Hi Dave, payouts were delayed by the bank holiday; it should land today."),
            ("dave@example.com", "Still nothing this morning."),
        ],
        agent="alice.agent@example.com",
        tags=["payout"],
    ),
    DemoTicket(
        "dave@example.com",
        "Calendar sync shows wrong times",
        "technical",
        "medium",
        9,
        [
            ("dave@example.com", "Bookings show one hour off in my Google Calendar."),
            ("bob.agent@example.com", "Thanks, this was a daylight-saving bug and is fixed now."),
            ("dave@example.com", "Confirmed, all good."),
        ],
        agent="bob.agent@example.com",
        status="closed",
        tags=["calendar", "bug"],
    ),
    DemoTicket(
        "dave@example.com",
        "Can I offer weekend slots only?",
        "service",
        "low",
        3,
        [("dave@example.com", "I only work weekends. Is there a setting for that?")],
    ),
    DemoTicket(
        "erin@example.com",
        "App crashes when uploading photos",
        "technical",
        "high",
        5,
        [
            ("erin@example.com", "The app closes whenever I attach a photo to my request."),
            ("note:bob.agent@example.com", "Matches the known Android 14 crash; engineering ticket ENG-512."),
            ("bob.agent@example.com", "Thanks Erin. Could you tell us your phone model and app version?"),
        ],
        agent="bob.agent@example.com",
        tags=["mobile", "bug"],
    ),
    DemoTicket(
        "erin@example.com",
        "Reset password email never arrives",
        "account",
        "medium",
        0,
        [("erin@example.com", "I asked for a password reset three times but got no email.")],
    ),
    DemoTicket(
        "erin@example.com",
        "Invoice needs my company name",
        "billing",
        "low",
        12,
        [
            ("erin@example.com", "Please add 'Erin Design Ltd' to my invoices."),
            ("alice.agent@example.com", "Done: your invoices now show the company name."),
        ],
        agent="alice.agent@example.com",
        status="closed",
    ),
    DemoTicket(
        "carol@example.com",
        "Cleaner left a mess",
        "service",
        "medium",
        8,
        [
            ("carol@example.com", "The cleaner left the kitchen dirtier than before."),
            ("alice.agent@example.com", "I'm sorry. We have arranged a free re-clean for Saturday."),
            ("carol@example.com", "OK, let's see how that goes."),
        ],
        agent="alice.agent@example.com",
        status="resolved",
        tags=["quality"],
    ),
    DemoTicket(
        "erin@example.com",
        "Question about the referral bonus",
        "general",
        "low",
        2,
        [
            ("erin@example.com", "My friend signed up with my code. When do I get the bonus?"),
            ("alice.agent@example.com", "Bonuses are paid after your friend's first completed booking."),
            ("alice.agent@example.com", "Could you send me your friend's account email, so I can check the booking?"),
        ],
        agent="alice.agent@example.com",
        status="pending",  # waiting for Erin's reply: its clocks are stopped
    ),
    DemoTicket(
        "dave@example.com",
        "Customer left an abusive review",
        "service",
        "urgent",
        1,
        [("dave@example.com", "A customer left a review with insults. Can it be removed?")],
        escalate="Abuse report: needs trust & safety",
        tags=["trust-safety"],
    ),
]


DEMO_MAIL_ID = "CAF=demo-geyser-0001@mail.gmail.com"
DEMO_MAIL = f"""From: Hari Thapa <hari.thapa@example.org>
To: Support Desk <support@example.com>
Subject: Geyser not heating after yesterday's service
Date: Tue, 1 Dec 2026 09:12:44 +0545
Message-ID: <{DEMO_MAIL_ID}>
MIME-Version: 1.0
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: 8bit

Namaste,

The technician from your marketplace serviced our geyser yesterday (booking SB-20931),
and since then it does not heat at all. Could someone come back today?

Dhanyabad,
Hari

--
Hari Thapa
Baneshwor, Kathmandu
"""

CANNED = [
    (
        "Greeting",
        'Hi {{customer_first_name}},\n\nThanks for reaching out about "{{ticket_title}}". I\'m looking into it now.\n\n{{agent_first_name}}',
    ),
    (
        "Refund started",
        "Hi {{customer_first_name}}, I've started your refund. It usually reaches your account within 3-5 business days.\n\n{{agent_name}}",
    ),
    (
        "Need more details",
        "Hi {{customer_first_name}}, could you send us a screenshot and the time it happened? That will help us find the cause.\n\n{{agent_first_name}}",
    ),
    (
        "Closing",
        "Hi {{customer_first_name}}, we're marking this as resolved. Just reply if anything is still wrong.\n\n{{agent_name}}",
    ),
]


class Command(BaseCommand):
    help = "Load demo accounts and tickets (idempotent) and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            people = {spec["email"]: self._person(spec) for spec in PEOPLE}
            self._service_levels(people["admin@example.com"])
            created = sum(self._ticket(spec, people) for spec in TICKETS)
            for title, body in CANNED:
                CannedResponse.objects.get_or_create(
                    owner=people["admin@example.com"], title=title, defaults={"body": body, "shared": True}
                )
        created += self._mailed_ticket()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created} tickets created)."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for spec in PEOPLE:
            self.stdout.write(f"  {spec['role']:<9} {spec['email']}")

    @staticmethod
    def _service_levels(admin: User) -> None:
        """An office calendar in Kathmandu (Sunday to Friday, Nepal's public holidays) and three
        policies: urgent tickets around the clock, billing and everything else in office hours."""
        if SlaPolicy.objects.exists():
            return
        office = sla_services.calendar_create(
            actor=admin,
            values={
                "name": "Kathmandu office",
                "time_zone": "Asia/Kathmandu",
                "hours": {day: [["09:00", "13:00"], ["14:00", "18:00"]] for day in DEMO_WORKDAYS},
                "holiday_country": "NP",
            },
        )
        for name, conditions, targets, calendar in (
            ("Urgent", {"priority": ["urgent"]}, (30, 60, 240), None),
            ("Billing", {"category": ["billing"]}, (120, 240, 960), office),
            ("Standard", {}, (240, 480, 2400), office),
        ):
            first, following, resolution = targets
            sla_services.policy_create(
                actor=admin,
                values={
                    "name": name,
                    "conditions": conditions,
                    "calendar": str(calendar.pk) if calendar else None,
                    "targets": {"first_response": first, "next_response": following, "resolution": resolution},
                    "escalate_on_breach": name == "Urgent",
                },
            )

    def _person(self, spec: dict[str, Any]) -> User:
        user = User.objects.filter(email=spec["email"]).first()
        if user is None:
            user = User(**spec, is_superuser=spec["role"] == Role.ADMIN)
            user.set_password(DEMO_PASSWORD)
            user.save()
        return user

    def _ticket(self, spec: DemoTicket, people: dict[str, User]) -> int:
        customer = people[spec.customer]
        if Ticket.objects.filter(customer=customer, title=spec.title).exists():
            return 0
        start = timezone.now() - timedelta(days=spec.days_ago, hours=3)
        first_sender, first_text = spec.conversation[0]
        ticket = services.ticket_create(
            actor=people[first_sender],
            title=spec.title,
            message_text=first_text,
            category=spec.category,
            priority=spec.priority,
        )
        admin = people["admin@example.com"]
        if spec.tags:
            services.ticket_update(ticket=ticket, actor=admin, changes={"tags": spec.tags})
        if spec.agent:
            services.ticket_assign(ticket=ticket, actor=admin, agent_id=people[spec.agent].pk)
        for sender, text in spec.conversation[1:]:
            internal = sender.startswith("note:")
            services.message_post(
                ticket=ticket, sender=people[sender.removeprefix("note:")], message_text=text, is_internal=internal
            )
        if spec.escalate:
            services.ticket_escalate(
                ticket=ticket, actor=people[spec.agent or "admin@example.com"], reason=spec.escalate
            )
        if spec.status:
            services.ticket_update(
                ticket=ticket, actor=people[spec.agent or "admin@example.com"], changes={"status": spec.status}
            )
        self._spread_in_time(ticket, start)
        self._clocks_again(ticket)
        return 1

    @staticmethod
    def _mailed_ticket() -> int:
        """A ticket that came by email, through the email channel itself (stored, then processed)."""
        from desk.mail import services as mail_services
        from desk.mail.models import Channel, InboundEmail

        if InboundEmail.objects.filter(message_id_header=DEMO_MAIL_ID).exists():
            return 0
        inbound = mail_services.inbound_receive(raw=DEMO_MAIL.encode(), channel=Channel.HTTP)
        mail_services.inbound_process(inbound_id=inbound.pk)
        return 1

    @staticmethod
    def _clocks_again(ticket: Ticket) -> None:
        """Its service-level clocks from the history as it now reads (spread back in time)."""
        TicketSla.objects.filter(ticket=ticket).delete()
        SlaOutcome.objects.filter(ticket=ticket).delete()
        sla_kinds = [EventKind.SLA_POLICY, EventKind.SLA_MET, EventKind.SLA_MISSED]
        TicketEvent.objects.filter(ticket=ticket, kind__in=sla_kinds).delete()
        ticket = Ticket.objects.select_related("customer", "assigned_agent", "follows").get(pk=ticket.pk)
        sla_services.ticket_sla_evaluate(ticket=ticket, choose=True, why="Ticket created")
        TicketEvent.objects.filter(ticket=ticket, kind=EventKind.SLA_POLICY).update(created_at=ticket.created_at)

    @staticmethod
    def _spread_in_time(ticket: Ticket, start: Any) -> None:
        """Give the conversation believable timestamps, an hour or so apart from `start`."""
        step = timedelta(hours=1, minutes=17)
        messages = list(Message.objects.filter(ticket=ticket).order_by("created_at", "id"))
        for index, message in enumerate(messages):
            Message.objects.filter(pk=message.pk).update(created_at=start + step * index)
        events = list(TicketEvent.objects.filter(ticket=ticket).order_by("created_at", "id"))
        for index, event in enumerate(events):
            TicketEvent.objects.filter(pk=event.pk).update(created_at=start + step * index / 2)
        last = start + step * max(len(messages) - 1, len(events) // 2)
        Ticket.objects.filter(pk=ticket.pk).update(created_at=start, updated_at=last)
        Ticket.objects.filter(pk=ticket.pk, closed_at__isnull=False).update(closed_at=last)
