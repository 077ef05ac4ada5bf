"""Generate a large, realistic helpdesk data set in PostgreSQL with COPY, and report the time taken.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/desk_bench .venv/bin/python -m bench.generate --replace

Defaults: 1,000,000 tickets, 5,000,000 messages, 50,000 customers, 100 agents. The database is
migrated first; existing users, tickets, messages, attachments and events are then REPLACED
(`--replace` is required when any exist). Secondary indexes and foreign keys are dropped for the
load and rebuilt afterwards (which also validates every foreign key), then VACUUM ANALYZE runs.

Rows satisfy every constraint of the schema: enum values, closed_at set exactly when closed,
message length, internal notes only from staff, is_from_customer exactly when the sender is the
ticket's customer, updated_at >= created_at. The same seed gives the same data.

Service levels (unless --no-sla): four SLA policies (urgent and high on the built-in 24/7
calendar, medium and low on a Kathmandu office calendar, Sunday to Friday 10:00-18:00 with the
main national holidays), each matching ticket's clocks (`sla_ticketsla`, in exactly the JSON
`desk.sla.clocks` writes, computed by a step-for-step port of `clocks.replay` on a fast
business-time table that gives the instants of `desk.sla.hours`), the queue columns
(`support_ticket.sla_*`), the targets decided (`sla_slaoutcome`) and the status changes that move
the clocks (pending, resolved, closed, and a customer's return from pending) in the history. The
alert job is taken to have run all along: warnings and breaches up to the load's "now" are
marked sent, so nothing is due right after a load. See bench/README.md, "Service levels".

Known benchmark accounts (password `bench-pass-2026`) and the ids the load runner needs are
written to bench/results/dataset.json.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import datetime as dt
import importlib
import itertools
import json
import math
import os
import random
import sys
import time
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"
BENCH_PASSWORD = "bench-pass-2026"
BENCH_AGENT_EMAIL = "bench.agent@example.com"
BENCH_CUSTOMER_EMAIL = "bench.customer@example.com"
BENCH_WRITER_EMAIL = "bench.writer@example.com"
UTC = dt.UTC
DAY = 86400.0
HOUR = 3600.0

SEARCH_TABLE = "support_ticketsearch"
TABLES = [
    "support_attachment",
    "support_message",
    "support_ticketevent",
    "sla_slaoutcome",
    "sla_ticketsla",
    "support_ticket",
    SEARCH_TABLE,
]
# Tables whose search triggers (migration support 0003) are switched off during the COPY: the
# search documents are then built in one statement, not one message at a time.
TRIGGERED = ["support_ticket", "support_message"]

FIRST_NAMES = [
    "Ana",
    "Ben",
    "Chloe",
    "David",
    "Elif",
    "Farid",
    "Grace",
    "Hiro",
    "Ines",
    "Jonas",
    "Kofi",
    "Lena",
    "Mateo",
    "Nadia",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sven",
    "Tariq",
    "Uma",
    "Victor",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zoe",
    "Aiko",
    "Bruno",
    "Carmen",
    "Dmitri",
    "Emma",
    "Felix",
    "Gita",
    "Hugo",
    "Ivy",
    "Jamal",
    "Kira",
    "Liam",
    "Maya",
    "Noah",
    "Olga",
    "Pablo",
    "Rhea",
    "Sami",
    "Tomas",
    "Ugo",
    "Vera",
    "Will",
    "Yara",
    "Zane",
]
LAST_NAMES = [
    "Silva",
    "Smith",
    "Nguyen",
    "Müller",
    "Kowalski",
    "Haddad",
    "Okafor",
    "Tanaka",
    "Rossi",
    "Dubois",
    "Novak",
    "Jensen",
    "Garcia",
    "Ivanova",
    "Khan",
    "Patel",
    "Cohen",
    "Larsen",
    "Moreau",
    "Schmidt",
    "Costa",
    "Yilmaz",
    "Kim",
    "Lopez",
    "Brown",
    "Wilson",
    "Fischer",
    "Moretti",
    "Sato",
    "Andersen",
]

CATEGORIES = (("billing", 25), ("technical", 30), ("account", 15), ("service", 20), ("general", 10))
PRIORITIES = (("low", 25), ("medium", 45), ("high", 22), ("urgent", 8))
SOURCES = (("web", 55), ("mobile", 20), ("email", 18), ("phone", 7))
# Status depends on the ticket's age: recent tickets are open, old ones resolved or closed.
STATUS_BY_AGE = (
    (3 * DAY, (("open", 50), ("in_progress", 40), ("resolved", 10), ("closed", 0))),
    (30 * DAY, (("open", 12), ("in_progress", 28), ("resolved", 35), ("closed", 25))),
    (1e12, (("open", 1), ("in_progress", 2), ("resolved", 12), ("closed", 85))),
)
TAGS = [
    "refund",
    "vip",
    "bug",
    "payment",
    "login",
    "mobile-app",
    "invoice",
    "duplicate",
    "feature-request",
    "cancellation",
    "onboarding",
    "api",
    "integration",
    "shipping",
    "chargeback",
    "security",
    "data-export",
    "performance",
    "outage",
    "billing-dispute",
    "password",
    "2fa",
    "provider-payout",
    "review",
    "spam",
    "gdpr",
    "translation",
    "accessibility",
    "beta",
]
TAG_WEIGHTS = [1.0 / (rank + 1) for rank in range(len(TAGS))]  # Zipf: a few tags are very common

TITLES = {
    "billing": [
        "Refund for order #{n}",
        "Charged twice for booking #{n}",
        "Invoice {n} shows the wrong amount",
        "Duplicate charge on my card",
        "How do I update my payment method?",
        "Subscription renewed after cancellation",
        "Missing payout for job #{n}",
    ],
    "technical": [
        "App crashes when I open my bookings",
        "Cannot upload photos to my listing",
        "Page keeps loading forever",
        "Error {n} when saving my profile",
        "Notifications stopped arriving",
        "Calendar sync with Google is broken",
        "Search returns no providers in my area",
    ],
    "account": [
        "Cannot log in after password reset",
        "Please delete my account",
        "Change the email on my account",
        "Two-factor code never arrives",
        "Account locked after too many attempts",
        "Merge my two accounts",
    ],
    "service": [
        "Provider did not show up for booking #{n}",
        "Complaint about the quality of job #{n}",
        "Reschedule my appointment",
        "Provider asked to be paid outside the platform",
        "Cleaning was not finished",
        "Damage during the move on order #{n}",
    ],
    "general": [
        "Question about your fees",
        "How does the guarantee work?",
        "Feedback on the new design",
        "Do you operate in my city?",
        "Partnership enquiry",
    ],
}
CUSTOMER_SENTENCES = {
    "billing": [
        "I was charged twice for the same booking and I would like a refund.",
        "The invoice shows a duplicate charge that I never agreed to.",
        "My card statement has a charge of {n} that I do not recognise.",
        "I cancelled before the deadline but still got charged the full amount.",
        "Could you send me a corrected invoice for order #{n}?",
        "The refund you promised last week has not arrived yet.",
    ],
    "technical": [
        "The app crashes every time I open the bookings tab.",
        "I get error {n} when I try to save my profile.",
        "Photos fail to upload, the progress bar stops at 90 percent.",
        "Push notifications stopped working after the last update.",
        "The page keeps loading and never shows my messages.",
        "I am on Android 14 and reinstalled the app but it still fails.",
    ],
    "account": [
        "I reset my password but I still cannot log in.",
        "The two-factor code never arrives by SMS.",
        "Please change the email address on my account to my work address.",
        "My account was locked after too many attempts, please unlock it.",
        "I would like to delete my account and all my data.",
    ],
    "service": [
        "The provider did not show up and did not answer my calls.",
        "The job was not finished and the provider left early.",
        "The provider asked me to pay in cash outside the platform.",
        "Something was damaged during the move and I have photos.",
        "I need to reschedule my appointment to next week.",
    ],
    "general": [
        "I would like to know how your fees are calculated.",
        "Do you have providers in my city yet?",
        "How does the satisfaction guarantee work exactly?",
        "I have some feedback about the new booking page.",
    ],
}
COMMON_CUSTOMER = [
    "Thanks in advance for your help.",
    "This is quite urgent for me.",
    "I already contacted you about this last week.",
    "Please let me know what you need from me.",
    "Order reference #{n}.",
    "Any update on this?",
    "It happened again this morning.",
    "Thank you, that fixed it!",
]
STAFF_SENTENCES = [
    "Thanks for reaching out, I am looking into this now.",
    "I have escalated this to our payments team.",
    "Could you send us a screenshot of the error?",
    "I have issued a refund; it can take 5 to 10 business days to appear.",
    "Please try clearing the app cache and logging in again.",
    "I have reset the two-factor settings on your account.",
    "We have contacted the provider and will get back to you within 24 hours.",
    "Sorry for the trouble, this is a known issue and a fix is on the way.",
    "I have updated the invoice; you can download it from your account page.",
    "Is there anything else I can help you with?",
    "I am closing this ticket now; reply here if the problem comes back.",
]
INTERNAL_SENTENCES = [
    "Checked the payment logs: the duplicate charge is real, refund approved.",
    "Customer has three previous complaints about this provider.",
    "Waiting on engineering, see incident {n}.",
    "Provider warned; second strike this month.",
    "Possible fraud, do not refund before the risk team reviews.",
    "Reproduced on staging with build {n}.",
]
SERVICES = [
    "house cleaning",
    "window cleaning",
    "deep cleaning",
    "carpet cleaning",
    "plumbing",
    "electrical repair",
    "furniture assembly",
    "moving help",
    "piano moving",
    "painting",
    "wallpapering",
    "gardening",
    "lawn mowing",
    "hedge trimming",
    "pest control",
    "roof repair",
    "gutter cleaning",
    "appliance repair",
    "boiler service",
    "locksmith",
    "dog walking",
    "pet sitting",
    "babysitting",
    "tutoring",
    "yoga lessons",
    "personal training",
    "photography",
    "catering",
    "hairdressing",
    "massage",
    "car detailing",
    "bike repair",
    "IT support",
    "tile installation",
    "flooring",
    "handyman",
    "snow removal",
    "pool cleaning",
    "window fitting",
    "tailoring",
]
CITIES = [
    "Lisbon",
    "Porto",
    "Madrid",
    "Barcelona",
    "Valencia",
    "Paris",
    "Lyon",
    "Marseille",
    "Berlin",
    "Hamburg",
    "Munich",
    "Cologne",
    "Vienna",
    "Zurich",
    "Geneva",
    "Milan",
    "Rome",
    "Naples",
    "Turin",
    "Amsterdam",
    "Rotterdam",
    "Utrecht",
    "Brussels",
    "Antwerp",
    "Ghent",
    "Dublin",
    "Cork",
    "London",
    "Manchester",
    "Leeds",
    "Glasgow",
    "Edinburgh",
    "Copenhagen",
    "Aarhus",
    "Oslo",
    "Bergen",
    "Stockholm",
    "Gothenburg",
    "Helsinki",
    "Tampere",
    "Warsaw",
    "Krakow",
    "Prague",
    "Brno",
    "Budapest",
    "Bucharest",
    "Sofia",
    "Athens",
    "Thessaloniki",
    "Istanbul",
    "Izmir",
    "Tallinn",
    "Riga",
    "Vilnius",
    "Ljubljana",
    "Zagreb",
    "Split",
    "Belgrade",
    "Bratislava",
    "Luxembourg",
    "Seville",
    "Bilbao",
    "Nantes",
    "Toulouse",
    "Bordeaux",
    "Leipzig",
    "Dresden",
    "Stuttgart",
    "Frankfurt",
    "Bologna",
    "Florence",
    "Verona",
    "Eindhoven",
    "Malmo",
    "Uppsala",
    "Gdansk",
    "Poznan",
]
CONTEXT_SENTENCES = [
    "I booked {service} in {city} with {provider}.",
    "This is about the {service} booking in {city}.",
    "The provider was {provider} ({service}, {city}).",
    "We live in {city} and used {service} for the first time.",
]
# Benchmark searches: a common word, a common phrase, a service, a city, a provider's name.
SEARCH_TERMS = ["refund", "duplicate charge", "window cleaning", "Lisbon", "Nadia Kowalski"]
ATTACHMENT_TYPES = (
    ("image/png", ".png", "screenshot"),
    ("image/jpeg", ".jpg", "photo"),
    ("application/pdf", ".pdf", "invoice"),
    ("text/plain", ".txt", "log"),
)


# --- service levels -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PolicySpec:
    """A generated SLA policy, and how fast its tickets' conversations move: each reply time is
    drawn as an exponential with these means (staff work on the policy's calendar, so their means
    are business seconds; customers write whenever they like, real seconds)."""

    key: str
    name: str
    calendar: str  # "always" (the built-in 24/7) or "kathmandu"
    conditions: dict[str, list[str]]
    first_response: int  # business minutes
    next_response: int
    resolution: int
    escalate_on_breach: bool
    first_reply_mean: float  # business seconds to the first staff reply
    next_reply_mean: float  # business seconds to each following staff reply
    customer_gap_mean: float  # real seconds between the customer's messages
    resolve_mean: float  # business seconds from the last message to resolving


SLA_POLICIES = (
    PolicySpec(
        "urgent", "Urgent (24/7)", "always", {"priority": ["urgent"]}, 30, 60, 240, True,
        11 * 60, 20 * 60, 25 * 60, 20 * 60,
    ),
    PolicySpec(
        "high", "High (24/7)", "always", {"priority": ["high"]}, 60, 120, 480, False,
        22 * 60, 40 * 60, 75 * 60, 60 * 60,
    ),
    PolicySpec(
        "medium", "Medium (Kathmandu office hours)", "kathmandu", {"priority": ["medium"]}, 240, 480, 2400, False,
        90 * 60, 160 * 60, 6 * HOUR, 4 * HOUR,
    ),
    # General questions of low priority have no SLA (`sla=none`).
    PolicySpec(
        "low", "Low (Kathmandu office hours)", "kathmandu",
        {"priority": ["low"], "category": ["billing", "technical", "account", "service"]}, 480, 960, 4800, False,
        180 * 60, 320 * 60, 12 * HOUR, 8 * HOUR,
    ),
)  # fmt: skip
# The office calendar: Sunday to Friday 10:00-18:00 in Kathmandu (Nepal's week starts on Sunday;
# Saturday is the day off), minus the main national holidays of each year.
KATHMANDU_CALENDAR = {
    "name": "Kathmandu office",
    "time_zone": "Asia/Kathmandu",
    "hours": {
        day: ([["10:00", "18:00"]] if day != "sat" else []) for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    },
}
KATHMANDU_HOLIDAYS = {
    "Nepali New Year",
    "Buddha Jayanti",
    "Republic Day",
    "Constitution Day",
    "Fulpati",
    "Maha Ashtami",
    "Maha Navami",
    "Bijaya Dashami",
    "Ekadashi (Dashain)",
    "Laxmi Pooja",
    "Bhai Tika",
}
SLA_TARGETS = ("first_response", "next_response", "resolution")
SLA_RUNNING = frozenset({"open", "in_progress"})
SLA_DONE = frozenset({"resolved", "closed"})
AT_RISK_SHARE = 0.75
# An in-progress ticket whose last public message is a staff reply is waiting on its customer
# (pending) this often: a few of the recent ones, most of those idle for days.
PENDING_SHARE = ((3 * DAY, 0.35), (1e12, 0.9))
EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)
# Tickets with the customer's first message alone (no reply, ever): spam, duplicates, solved by
# the customer. Without service levels the message counts are geometric, a fifth of them alone.
SINGLE_MESSAGE_SHARE = 0.05
# Real time per unit of business time on the office calendar (48 open hours a week).
OFFICE_TIME_RATIO = 168 / 48


def us_of(epoch: float) -> int:
    """An instant as whole microseconds (the database's precision)."""
    return round(epoch * 1_000_000)


def quantized(epoch: float) -> float:
    """The instant rounded to the microsecond, as a float that `ts` writes exactly (floats near
    today are 0.24 µs apart, so the microsecond survives the round trip)."""
    return round(epoch * 1_000_000) / 1_000_000


_DAY_US = 86_400_000_000
_DATES: dict[int, str] = {}
_CLOCK = [f"{h:02d}:{m:02d}:{sec:02d}" for h in range(24) for m in range(60) for sec in range(60)]


def iso_us(us: int | None) -> str | None:
    """What `Clock.to_json` (and the COPY rows) write for an instant: `datetime.isoformat()` in
    UTC, without making a datetime (dates and times of day come from tables)."""
    if us is None:
        return None
    day, rest = divmod(us, _DAY_US)
    date = _DATES.get(day)
    if date is None:
        date = _DATES[day] = f"{(EPOCH + dt.timedelta(days=day)):%Y-%m-%d}T"
    second, micro = divmod(rest, 1_000_000)
    if micro:
        return f"{date}{_CLOCK[second]}.{micro:06d}+00:00"
    return f"{date}{_CLOCK[second]}+00:00"


def _json_instant(us: int | None) -> str:
    return "null" if us is None else f'"{iso_us(us)}"'


def kathmandu_holidays(first_year: int, last_year: int) -> list[str]:
    import holidays as holiday_tables

    days = holiday_tables.country_holidays("NP", years=range(first_year, last_year + 1))
    return sorted(
        day.isoformat() for day, names in days.items() if any(n in KATHMANDU_HOLIDAYS for n in names.split("; "))
    )


class BusinessTime:
    """The business-time arithmetic of `desk.sla.hours` for one calendar, in whole microseconds,
    over a fixed range of dates: the open spans (as `hours` computes them) with the business time
    before each, so that `between` and `add` are binary searches rather than walks over days.
    Gives the same instants and the same float seconds as `hours` (bench/tests compare them)."""

    def __init__(self, calendar: Any, *, first: dt.date, last: dt.date, always_open: bool = False) -> None:
        from desk.sla import hours

        self.always_open = always_open
        self.opens: list[int] = []
        self.closes: list[int] = []
        self.before: list[int] = []  # business µs before each span
        self.upto: list[int] = []  # business µs up to each span's close
        if always_open:
            return
        spans: list[list[int]] = []
        day = first
        while day <= last:
            for opens, closes in hours._open_spans(calendar, day):
                a, b = (opens - EPOCH) // dt.timedelta(microseconds=1), (closes - EPOCH) // dt.timedelta(microseconds=1)
                if spans and a <= spans[-1][1]:  # overlapping or touching (a fall-back change): their union
                    spans[-1][1] = max(spans[-1][1], b)
                else:
                    spans.append([a, b])
            day += dt.timedelta(days=1)
        total = 0
        for a, b in spans:
            self.opens.append(a)
            self.closes.append(b)
            self.before.append(total)
            total += b - a
            self.upto.append(total)

    def _cumulative(self, us: int) -> int:
        i = bisect.bisect_right(self.opens, us) - 1
        if i < 0 or (i == len(self.opens) - 1 and us > self.closes[-1]):
            raise ValueError("An instant outside the generated calendar's range.")
        return self.before[i] + min(us, self.closes[i]) - self.opens[i]

    def between(self, start: int, end: int) -> float:
        """`hours.business_seconds_between`: business seconds in [start, end)."""
        if end <= start:
            return 0.0
        if self.always_open:
            return (end - start) / 1_000_000
        return (self._cumulative(end) - self._cumulative(start)) / 1_000_000

    def sub(self, end: int, seconds: float) -> int:
        """An instant from which `seconds` of business time pass until `end`."""
        amount = round(seconds * 1_000_000)
        if self.always_open:
            return end - amount
        target = self._cumulative(end) - amount
        if target <= 0:
            raise ValueError("An instant before the generated calendar's range.")
        j = bisect.bisect_left(self.upto, target)
        return self.opens[j] + target - self.before[j]

    def add(self, start: int, seconds: float) -> int:
        """`hours.add_business_seconds`: the first instant by which `seconds` have passed."""
        amount = round(seconds * 1_000_000)
        if not amount:
            return start
        if self.always_open:
            return start + amount
        target = self._cumulative(start) + amount
        j = bisect.bisect_left(self.upto, target)
        if j == len(self.upto):
            raise ValueError("A due time beyond the generated calendar's range.")
        return self.opens[j] + target - self.before[j]


class SlaClock:
    """`desk.sla.clocks.Clock` with instants as microseconds; `to_json` writes what Clock.to_json
    writes."""

    __slots__ = (
        "alerted",
        "at_risk_at",
        "crossed_due",
        "crossed_risk",
        "cycle",
        "due_at",
        "elapsed",
        "met_at",
        "minutes",
        "missed",
        "name",
        "remaining",
        "since",
        "warned",
    )

    def __init__(self, name: str, minutes: int | None, cycle: int | None = None) -> None:
        self.name, self.minutes, self.cycle = name, minutes, cycle
        self.elapsed = 0.0
        self.since = self.met_at = self.due_at = self.at_risk_at = None
        self.crossed_due = self.crossed_risk = False
        self.remaining: float | None = None
        self.warned = self.alerted = self.missed = False

    @property
    def seconds(self) -> float | None:
        return None if self.minutes is None else self.minutes * 60.0

    @property
    def active(self) -> bool:
        return self.cycle is not None and self.met_at is None

    def late(self) -> bool:
        return self.met_at is not None and self.due_at is not None and self.met_at > self.due_at

    def breached(self, now: int) -> bool:
        if self.minutes is None or self.cycle is None:
            return False
        if self.missed or self.late():
            return True
        return self.met_at is None and self.due_at is not None and self.due_at <= now

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "minutes": self.minutes,
            "cycle": iso_us(self.cycle),
            "elapsed": self.elapsed,
            "since": iso_us(self.since),
            "met_at": iso_us(self.met_at),
            "due_at": iso_us(self.due_at),
            "at_risk_at": iso_us(self.at_risk_at),
            "crossed_due": self.crossed_due,
            "crossed_risk": self.crossed_risk,
            "remaining": self.remaining,
            "warned": self.warned,
            "alerted": self.alerted,
            "missed": self.missed,
        }

    def json_text(self) -> str:
        """`json.dumps(self.to_json())`, compact, written directly (floats as `repr`, as json does)."""
        b = ("false", "true")
        minutes = "null" if self.minutes is None else self.minutes
        remaining = "null" if self.remaining is None else repr(self.remaining)
        return (
            f'{{"name":"{self.name}","minutes":{minutes},"cycle":{_json_instant(self.cycle)},'
            f'"elapsed":{self.elapsed!r},"since":{_json_instant(self.since)},"met_at":{_json_instant(self.met_at)},'
            f'"due_at":{_json_instant(self.due_at)},"at_risk_at":{_json_instant(self.at_risk_at)},'
            f'"crossed_due":{b[self.crossed_due]},"crossed_risk":{b[self.crossed_risk]},"remaining":{remaining},'
            f'"warned":{b[self.warned]},"alerted":{b[self.alerted]},"missed":{b[self.missed]}}}'
        )


class SlaReplay:
    """`desk.sla.clocks.replay` on microseconds and `BusinessTime`, step for step (the same float
    sums, so the same JSON), keeping the next-response cycles it closes (for their outcomes)."""

    def __init__(self, time: BusinessTime, targets: dict[str, int | None]) -> None:
        self.time = time
        self.clocks = {name: SlaClock(name, targets.get(name)) for name in SLA_TARGETS}
        self.closed_cycles: list[SlaClock] = []

    def _reach(self, clock: SlaClock, amount: float) -> int:
        return self.time.add(clock.since, max(amount - clock.elapsed, 0.0))

    def start(self, clock: SlaClock, at: int) -> None:
        if clock.active and clock.since is None:
            clock.since = at

    def stop(self, clock: SlaClock, at: int) -> None:
        if clock.since is None:
            return
        seconds = self.time.between(clock.since, at)
        target = clock.seconds
        if target is not None:
            if not clock.crossed_risk and clock.elapsed + seconds >= target * AT_RISK_SHARE:
                clock.at_risk_at = self._reach(clock, target * AT_RISK_SHARE)
                clock.crossed_risk = True
            if not clock.crossed_due and clock.elapsed + seconds >= target:
                clock.due_at = self._reach(clock, target)
                clock.crossed_due = True
        clock.elapsed += seconds
        clock.since = None

    def project(self, clock: SlaClock, now: int) -> None:
        target = clock.seconds
        if target is None:
            clock.due_at = clock.at_risk_at = None
            return
        counting = clock.since is not None and clock.met_at is None
        if not clock.crossed_risk:
            clock.at_risk_at = self._reach(clock, target * AT_RISK_SHARE) if counting else None
        if not clock.crossed_due:
            clock.due_at = self._reach(clock, target) if counting else None
        spent = clock.elapsed
        if counting and now > clock.since:
            spent += self.time.between(clock.since, now)
        clock.remaining = max(target - spent, 0.0)

    def meet(self, clock: SlaClock, at: int) -> None:
        if not clock.active:
            return
        if clock.since is not None and not clock.crossed_due and clock.seconds is not None:
            clock.due_at = self._reach(clock, clock.seconds)
        self.stop(clock, at)
        clock.met_at = at

    def run(self, created: int, entries: list[tuple[int, int, str]], now: int) -> dict[str, SlaClock]:
        """`entries`: (at, order, kind) with kind "customer", "staff" or a status, in order."""
        first, following, resolution = (self.clocks[name] for name in SLA_TARGETS)
        first.cycle = resolution.cycle = created
        self.start(first, created)
        self.start(resolution, created)
        running = True
        for at, _order, kind in entries:
            if at < created:
                continue
            if kind == "customer":
                if first.met_at is not None and (following.cycle is None or following.met_at is not None):
                    if following.cycle is not None:
                        self.closed_cycles.append(following)
                    self.clocks[following.name] = following = SlaClock(following.name, following.minutes, at)
                    if running:
                        self.start(following, at)
            elif kind == "staff":
                self.meet(first, at)
                self.meet(following, at)
            else:
                now_running = kind in SLA_RUNNING
                if kind in SLA_DONE:
                    self.meet(resolution, at)
                if running and not now_running:
                    for clock in self.clocks.values():
                        self.stop(clock, at)
                if now_running and not running:
                    if resolution.met_at is not None:
                        resolution.met_at = None
                        resolution.due_at = resolution.due_at if resolution.crossed_due else None
                    for clock in self.clocks.values():
                        self.start(clock, at)
                running = now_running
        for clock in self.clocks.values():
            if clock.active or clock.minutes is None:
                self.project(clock, now)
            else:
                clock.remaining = None if clock.seconds is None else max(clock.seconds - clock.elapsed, 0.0)
        return self.clocks


def sla_alerts_sent(clocks: dict[str, SlaClock], now: int, last_change: int | None = None) -> None:
    """Mark what the alert job (running all along) has sent by `now`: the warning of every target
    that passed 75% of its time unmet, and the breach of every target missed (or met late, which
    the job saw first). A target missed and still unmet that the ticket's evaluation saw again
    after the breach (a later message or status change: `last_change`) carries `crossed_due`, as
    `clocks.merge` leaves it."""
    for clock in clocks.values():
        if clock.minutes is None or clock.cycle is None:
            continue
        if clock.late() or (clock.met_at is None and clock.due_at is not None and clock.due_at <= now):
            clock.warned = clock.alerted = clock.missed = True
            if clock.met_at is None and last_change is not None and last_change > clock.due_at:
                clock.crossed_due = True
        elif clock.at_risk_at is not None:
            clock.warned = clock.at_risk_at < clock.met_at if clock.met_at is not None else clock.at_risk_at <= now


def sla_outcome(clock: SlaClock) -> tuple[bool, int, int] | None:
    """(met, due_at, decided_at) of a target decided: met in time, or missed at its due time."""
    if clock.minutes is None or clock.cycle is None or clock.due_at is None:
        return None
    if clock.missed or clock.late():
        return False, clock.due_at, clock.due_at
    if clock.met_at is not None:
        return True, clock.due_at, clock.met_at
    return None


def sla_keys(clocks: dict[str, SlaClock], *, paused: bool, now: int) -> tuple[int | None, int | None, bool, int | None]:
    """`desk.sla.clocks.queue_keys`: next breach, at risk, breached, next alert."""
    unmet = [clock for clock in clocks.values() if clock.minutes is not None and clock.active]
    due = [clock.due_at for clock in unmet if clock.due_at is not None]
    risk = [clock.at_risk_at for clock in unmet if clock.at_risk_at is not None]
    alerts = [clock.at_risk_at for clock in unmet if clock.at_risk_at is not None and not clock.warned]
    alerts += [clock.due_at for clock in unmet if clock.due_at is not None and not clock.alerted]
    return (
        None if paused or not due else min(due),
        None if paused or not risk else min(risk),
        any(clock.breached(now) for clock in clocks.values()),
        min(alerts) if alerts else None,
    )


def weighted(choices: tuple[tuple[str, int], ...]) -> tuple[list[str], list[float]]:
    values = [v for v, _ in choices]
    total = float(sum(w for _, w in choices))
    acc = list(itertools.accumulate(w / total for _, w in choices))
    acc[-1] = 1.0
    return values, acc


def pick(rng: random.Random, table: tuple[list[str], list[float]]) -> str:
    values, acc = table
    return values[bisect.bisect_left(acc, rng.random())]


def ts(epoch: float) -> str:
    """`datetime.fromtimestamp(epoch, UTC).isoformat()` (exactly, for `quantized` instants)."""
    return iso_us(round(epoch * 1_000_000))  # type: ignore[return-value]


def new_uuid(rng: random.Random) -> str:
    """A random (version 4) UUID from the seeded generator, so a seed gives the same ids."""
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:32]}"


@dataclass
class Config:
    tickets: int = 1_000_000
    messages: int = 5_000_000
    customers: int = 50_000
    agents: int = 100
    attachment_rate: float = 0.02
    detail_tickets: int = 100  # tickets with exactly DETAIL_MESSAGES messages, for the detail benchmark
    detail_messages: int = 50
    bench_customer_tickets: int = 60
    years: float = 2.0
    seed: int = 7
    now: float = field(default_factory=time.time)
    sla: bool = True  # policies, clocks, outcomes, status history and pending tickets


@dataclass
class Stats:
    users: int = 0
    tickets: int = 0
    messages: int = 0
    attachments: int = 0
    events: int = 0
    sla_tracked: int = 0
    sla_paused: int = 0
    sla_running: int = 0
    sla_running_breached: int = 0
    sla_running_at_risk: int = 0
    sla_outcomes: int = 0
    sla_missed: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


# --- database helpers ---------------------------------------------------------------------------


def _saved_schema(cur: Any) -> tuple[list[tuple[str, str, str]], list[str]]:
    """The foreign keys, primary keys and unique constraints (table, name, definition) and the
    other indexes of the bulk-loaded tables, to drop before the load and rebuild after it."""
    cur.execute(
        """
        SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype
        FROM pg_constraint c
        WHERE c.contype IN ('f', 'p', 'u') AND (c.conrelid::regclass::text = ANY(%(t)s)
              OR (c.contype = 'f' AND c.confrelid::regclass::text = ANY(%(t)s)))
        ORDER BY c.contype DESC, 1, 2
        """,
        {"t": TABLES},
    )
    constraints = [(table, name, definition) for table, name, definition, _ in cur.fetchall()]
    cur.execute(
        """
        SELECT i.indexdef FROM pg_indexes i
        WHERE i.schemaname = 'public' AND i.tablename = ANY(%(t)s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        ORDER BY i.tablename, i.indexname
        """,
        {"t": TABLES},
    )
    indexes = [row[0] for row in cur.fetchall()]
    return constraints, indexes


def _drop_schema(cur: Any, constraints: list[tuple[str, str, str]], indexes: list[str]) -> None:
    for table, name, definition in constraints:
        if definition.startswith("FOREIGN KEY"):
            cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for table, name, definition in constraints:
        if definition.startswith(("PRIMARY KEY", "UNIQUE")):
            cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for indexdef in indexes:
        name = indexdef.split(" INDEX ", 1)[1].split(" ON ", 1)[0]
        cur.execute(f"DROP INDEX IF EXISTS {name}")


def _rebuild_schema(cur: Any, constraints: list[tuple[str, str, str]], indexes: list[str], log: Any) -> None:
    for table, name, definition in constraints:
        if definition.startswith(("PRIMARY KEY", "UNIQUE")):
            started = time.perf_counter()
            cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            log(f"  {table} {definition} in {time.perf_counter() - started:.1f}s")
    for indexdef in indexes:
        started = time.perf_counter()
        cur.execute(indexdef)
        log(f"  {indexdef.split(' INDEX ', 1)[1]} in {time.perf_counter() - started:.1f}s")
    for table, name, definition in constraints:
        if definition.startswith("FOREIGN KEY"):
            started = time.perf_counter()
            cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            log(f"  {table} {name} (validated) in {time.perf_counter() - started:.1f}s")


def _search_fill_sql() -> str:
    """The statement that builds every ticket's search document (the migration's own)."""
    migration = importlib.import_module("desk.support.migrations.0003_postgres_search")
    return migration.FILL_SQL


def _fill_missing_defaults(cur: Any) -> list[tuple[str, str]]:
    """Columns the generator does not write (added to the models later) get their model default
    as a temporary database default for the load; returns them, to drop the defaults afterwards."""
    from psycopg import sql

    from desk.accounts.models import User
    from desk.sla.models import SlaOutcome, TicketSla
    from desk.support.models import Attachment, Message, Ticket, TicketEvent

    written = {
        User: USER_COLUMNS,
        Ticket: TICKET_COLUMNS,
        Message: MESSAGE_COLUMNS,
        Attachment: ATTACHMENT_COLUMNS,
        TicketSla: TICKETSLA_COLUMNS,
        SlaOutcome: OUTCOME_COLUMNS,
        TicketEvent: EVENT_COLUMNS,
    }
    added = []
    # Ticket numbers come from the counter's sequence, as `TicketNumber` hands them out: the load
    # takes numbers in load order and the counter goes on after them.
    cur.execute(
        "ALTER TABLE support_ticket ALTER COLUMN number SET DEFAULT "
        "nextval(pg_get_serial_sequence('support_ticketnumber', 'id'))"
    )
    added.append((Ticket._meta.db_table, "number"))
    for model, columns in written.items():
        names = {c.strip() for c in columns.split(",")}
        for f in model._meta.concrete_fields:
            if f.column in names or f.null or not f.has_default() or (model, f.column) == (Ticket, "number"):
                continue
            value = f.get_default()
            if isinstance(value, (list, dict)):
                value = json.dumps(value)
            elif hasattr(value, "hex") and not isinstance(value, (int, float)):
                value = str(value)
            cur.execute(
                sql.SQL("ALTER TABLE {} ALTER COLUMN {} SET DEFAULT {}").format(
                    sql.Identifier(model._meta.db_table), sql.Identifier(f.column), sql.Literal(value)
                )
            )
            added.append((model._meta.db_table, f.column))
    return added


# --- generation ---------------------------------------------------------------------------------


class Generator:
    """Writes users, tickets, messages and attachments as COPY text, in one pass over tickets."""

    def __init__(self, config: Config) -> None:
        self.c = config
        self.rng = random.Random(config.seed)
        self.categories = weighted(CATEGORIES)
        self.priorities = weighted(PRIORITIES)
        self.sources = weighted(SOURCES)
        self.status_by_age = [(age, weighted(table)) for age, table in STATUS_BY_AGE]
        self.start = config.now - config.years * 365 * DAY
        self.customer_ids: list[str] = []
        self.agent_ids: list[str] = []
        self.stats = Stats()
        self.detail_ticket_ids: list[str] = []
        self.post_ticket_ids: list[str] = []
        self.bench_customer_ticket_ids: list[str] = []
        self.customer_roles: dict[str, str] = {}
        # The service levels draw from their own generator: the rest of the data does not depend
        # on how many draws they take.
        self.sla_rng = random.Random(config.seed + 2)
        self.sla_events = config.sla
        self.policies: list[tuple[PolicySpec, str]] = []
        self.sla_time: dict[str, BusinessTime] = {}

    # users ------------------------------------------------------------------------------------

    def user_rows(self, password_hash: str) -> list[str]:
        rng, c = self.rng, self.c
        unusable = "!" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(40))
        rows = []
        for i in range(c.agents):
            uid = new_uuid(rng)
            self.agent_ids.append(uid)
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            email = BENCH_AGENT_EMAIL if i == 0 else f"agent{i}@support.example.com"
            role = "admin" if 1 <= i <= 4 else "agent"
            pw = password_hash if i == 0 else unusable
            joined = ts(self.start - rng.uniform(30, 400) * DAY)
            rows.append(f"{uid}\t{pw}\t\\N\tf\t{email}\t{first}\t{last}\t{role}\tt\tt\t{joined}\n")
        for i in range(c.customers):
            uid = new_uuid(rng)
            self.customer_ids.append(uid)
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            if i == 0:
                email, pw = BENCH_CUSTOMER_EMAIL, password_hash
            elif i == 1:
                email, pw = BENCH_WRITER_EMAIL, password_hash
            else:
                email, pw = f"{first.lower()}.{last.lower()}.{i}@customer.example.com", unusable
            role = "provider" if rng.random() < 0.15 and i > 1 else "customer"
            self.customer_roles[uid] = role
            joined = ts(self.start - rng.uniform(1, 400) * DAY)
            rows.append(f"{uid}\t{pw}\t\\N\tf\t{email}\t{first}\t{last}\t{role}\tf\tt\t{joined}\n")
        self.stats.users = len(rows)
        return rows

    # message counts ---------------------------------------------------------------------------

    def message_counts(self) -> array:
        """Messages per ticket: at least one, a long tail, `detail_tickets` with exactly
        `detail_messages`, adding up to exactly `messages`. With service levels, only a few
        tickets (SINGLE_MESSAGE_SHARE) have the customer's first message alone: most get a reply."""
        c = self.c
        rng = random.Random(c.seed + 1)
        if c.messages < c.tickets:
            raise SystemExit("Every ticket has at least one message: --messages must be >= --tickets.")
        mean_extra = (c.messages - c.tickets) / c.tickets
        counts = array("I", [1]) * c.tickets
        single = SINGLE_MESSAGE_SHARE if c.sla else 0.0
        # The others have 1 + base + a geometric tail, the mean kept (the sum is adjusted below).
        base = 1 if single and mean_extra > 1.5 else 0
        tail = mean_extra / (1 - single) - base if base else mean_extra
        if mean_extra > 0:
            rate = math.log(1 + 1 / tail)
            for i in range(c.tickets):
                extra = int(rng.expovariate(rate))
                counts[i] = 1 if base and rng.random() < single else 1 + base + min(300 - base, extra)
        for i in self.detail_positions():
            counts[i] = c.detail_messages
        fixed = set(self.detail_positions())
        diff = c.messages - sum(counts)
        while diff != 0:
            i = rng.randrange(c.tickets)
            if i in fixed:
                continue
            if diff > 0:
                counts[i] += 1
                diff -= 1
            elif counts[i] > 1:
                counts[i] -= 1
                diff += 1
        return counts

    def detail_positions(self) -> range:
        c = self.c
        n = min(c.detail_tickets, c.tickets // 3)
        step = max(1, c.tickets // max(1, n))
        return range(3, 3 + n * step, step)[:n]

    def bench_customer_positions(self) -> set[int]:
        c = self.c
        n = min(c.bench_customer_tickets, c.tickets // 3)
        step = max(1, c.tickets // max(1, n))
        return set(range(5, 5 + n * step, step)[:n])

    # tickets and their conversations -------------------------------------------------------------

    def text(
        self, sentences: list[str], extra: list[str], n_min: int = 1, n_max: int = 4, *, context: bool = False
    ) -> str:
        rng = self.rng
        parts = [rng.choice(sentences)]
        for _ in range(rng.randint(n_min, n_max) - 1):
            parts.append(rng.choice(extra if rng.random() < 0.5 else sentences))
        if rng.random() < 0.02:  # a few long messages (pasted logs, long complaints)
            parts.extend(rng.choice(sentences) for _ in range(rng.randint(10, 40)))
        if context and rng.random() < 0.6:
            parts.insert(1, rng.choice(CONTEXT_SENTENCES))
        out = " ".join(parts)
        if "{" in out:
            out = (
                out.replace("{n}", str(rng.randint(1_000_000, 9_999_999)))
                .replace("{service}", rng.choice(SERVICES))
                .replace("{city}", rng.choice(CITIES))
                .replace("{provider}", f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}")
            )
        return out[:5000].strip()

    # service levels -------------------------------------------------------------------------------

    def sla_setup(self, builtin_calendar_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """The office calendar and the policies (rows to insert), and the fast arithmetic of each
        calendar over the data's dates (two years back to a year ahead)."""
        from desk.sla import hours

        c, srng = self.c, self.sla_rng
        first = dt.datetime.fromtimestamp(self.start, UTC).date() - dt.timedelta(days=7)
        last = dt.datetime.fromtimestamp(c.now, UTC).date() + dt.timedelta(days=400)
        made = ts(self.start - 30 * DAY)
        office = {
            "id": new_uuid(srng),
            **KATHMANDU_CALENDAR,
            "holidays": kathmandu_holidays(first.year, last.year),
            "created_at": made,
        }
        parsed = hours.parse_calendar(time_zone=office["time_zone"], hours=office["hours"], holidays=office["holidays"])
        office["hours"] = hours.canonical_hours(parsed)
        self.sla_time = {
            "always": BusinessTime(None, first=first, last=last, always_open=True),
            "kathmandu": BusinessTime(parsed, first=first, last=last),
        }
        policies = []
        for position, spec in enumerate(SLA_POLICIES, start=1):
            policies.append(
                {
                    "id": new_uuid(srng),
                    "name": spec.name,
                    "position": position,
                    "calendar_id": builtin_calendar_id if spec.calendar == "always" else office["id"],
                    "conditions": spec.conditions,
                    "first_response_minutes": spec.first_response,
                    "next_response_minutes": spec.next_response,
                    "resolution_minutes": spec.resolution,
                    "escalate_on_breach": spec.escalate_on_breach,
                    "created_at": made,
                }
            )
        self.policies = [(spec, row["id"]) for spec, row in zip(SLA_POLICIES, policies, strict=True)]
        return office, policies

    def policy_for(self, facts: dict[str, str]) -> tuple[PolicySpec, str] | None:
        """The first policy by position whose conditions the ticket meets (`policy_matches`)."""
        for spec, pid in self.policies:
            if all(facts.get(key) in values for key, values in spec.conditions.items()):
                return spec, pid
        return None

    def _customer_came_back(
        self,
        policy: PolicySpec,
        convo: list[tuple[str, str, bool, bool, bool, bool, str]],
        public: list[int],
        times: list[float],
        changes: list[tuple[float, str]],
    ) -> None:
        """An in-progress ticket whose customer wrote last, after a staff reply: it waited on the
        customer (pending) from that reply until the customer came back, lately, and their message
        reopened it. Moves the customer's last turn to a recent instant, so that the next-response
        clock runs from there (due times spread around now: some overdue, most ahead)."""
        if not convo[public[-1]][2]:
            return
        staff = [j for j in public if not convo[j][2]]
        if not staff:
            return
        k = staff[-1]
        back_j = next(j for j in public if j > k)
        srng, now = self.sla_rng, self.c.now
        wait = srng.expovariate(1) * policy.next_response * 60 * 0.6  # business seconds since
        back = self.sla_time[policy.calendar].sub(us_of(now), wait) / 1_000_000
        if back <= times[k] + 600 or back <= times[back_j] or back >= now - 60:
            return
        base, span, room = times[back_j], times[-1] - times[back_j], now - 1 - back
        scale = 1.0 if span <= room else room / span
        for j in range(back_j, len(times)):
            times[j] = quantized(back + (times[j] - base) * scale)
            if j > back_j:
                times[j] = max(times[j], quantized(times[j - 1] + 0.001))
        changes.append((quantized(times[k] + srng.uniform(1, 300)), "pending"))
        changes.append((times[back_j], "in_progress"))

    def generate(
        self,
        ticket_copy: Any,
        message_copy: Any,
        attachment_copy: Any,
        log: Any,
        sla_copy: Any = None,
        outcome_copy: Any = None,
        event_copy: Any = None,
    ) -> None:
        c, rng, srng = self.c, self.rng, self.sla_rng
        counts = self.message_counts()
        detail = set(self.detail_positions())
        bench_customer = self.bench_customer_positions()
        span = c.now - self.start
        now_us = us_of(c.now)
        now_text = iso_us(now_us)
        n_cust = len(self.customer_ids)
        tag_cum = list(itertools.accumulate(TAG_WEIGHTS))
        st = self.stats
        t_buf: list[str] = []
        m_buf: list[str] = []
        a_buf: list[str] = []
        s_buf: list[str] = []
        o_buf: list[str] = []
        e_buf: list[str] = []
        null = "\\N"
        started = time.perf_counter()
        for i in range(c.tickets):
            tid = new_uuid(rng)
            # Volume grows over the two years: density rises linearly towards now. Instants are
            # whole microseconds, as stored, so the SLA clocks computed here match the rows.
            created = quantized(self.start + span * (rng.random() ** 0.5))
            if i in detail:
                created = quantized(min(created, c.now - 10 * DAY))
            age = c.now - created
            if i in bench_customer:
                customer = self.customer_ids[0]
                self.bench_customer_ticket_ids.append(tid)
            else:
                # A long tail: a few customers (big providers) open many tickets.
                customer = self.customer_ids[min(n_cust - 1, 2 + int((n_cust - 2) * rng.random() ** 1.5))]
            category = pick(rng, self.categories)
            priority = pick(rng, self.priorities)
            source = pick(rng, self.sources)
            status = pick(rng, next(table for limit, table in self.status_by_age if age < limit))
            escalated = rng.random() < (0.15 if priority == "urgent" else 0.025)
            if escalated and priority in ("low", "medium"):
                priority = "high"
            matched = None
            if self.policies:
                facts = {
                    "priority": priority,
                    "category": category,
                    "source": source,
                    "customer_role": self.customer_roles[customer],
                }
                matched = self.policy_for(facts)
            policy = matched[0] if matched else None
            if policy is not None and status == "open":
                # An unanswered ticket stays open only so long past its first-response target (a
                # few are forgotten, and breached); the others have had their reply.
                real = policy.first_response * 60.0 * (1.0 if policy.calendar == "always" else OFFICE_TIME_RATIO)
                if srng.random() > max(0.08, math.exp(-age / (2 * real))):
                    status = "in_progress"
            assigned = None
            if (status != "open" or rng.random() < 0.45) and rng.random() < 0.97:
                # Agents carry unequal loads.
                assigned = self.agent_ids[min(c.agents - 1, int(c.agents * rng.random() ** 1.3))]
            r = rng.random()
            n_tags = 0 if r < 0.4 else 1 if r < 0.7 else 2 if r < 0.9 else 3
            tags = sorted(set(rng.choices(TAGS, cum_weights=tag_cum, k=n_tags)))
            title = rng.choice(TITLES[category]).replace("{n}", str(rng.randint(1_000_000, 9_999_999)))

            # The conversation: times, senders, read flags.
            n = counts[i]
            mean_gap = (4 * HOUR) if status in ("open", "in_progress") else (10 * HOUR)
            gaps = [rng.expovariate(1 / mean_gap) for _ in range(n - 1)]
            room = (c.now - created) * 0.9
            if policy is None:
                total = sum(gaps)
                if total > room > 0:
                    scale = room / total
                    gaps = [g * scale for g in gaps]
                times = [created]
                for g in gaps:
                    times.append(quantized(times[-1] + max(g, 0.001)))
            else:
                # A tracked ticket moves at its policy's pace (the same random draws, other means):
                # staff reply in business time on the policy's calendar.
                times = [created]
                limit = created + room
                clock_time = self.sla_time[policy.calendar]
            # Staff open phone (and some email) tickets on the customer's behalf. An open ticket has
            # no staff reply yet (a reply moves it into progress).
            staff_side = source == "phone" or (source == "email" and rng.random() < 0.3)
            active = status in ("open", "in_progress")
            replied = False
            # The rows are written once the times are final (a waiting ticket's last turn moves).
            convo: list[tuple[str, str, bool, bool, bool, bool, str]] = []
            files: list[tuple[int, str, str, str, str, int, int]] = []
            for j in range(n):
                if j > 0:
                    staff_side = status != "open" and ((not staff_side) if rng.random() < 0.8 else staff_side)
                    # A tracked ticket past "open" has had its first response.
                    staff_side = staff_side or (policy is not None and j == 1 and status != "open")
                mid = new_uuid(rng)
                last = j == n - 1
                if staff_side:
                    sender = assigned or self.agent_ids[rng.randrange(c.agents)]
                    internal = j > 0 and rng.random() < 0.12 and not (policy is not None and j == 1 and not replied)
                    if internal:
                        text = self.text(INTERNAL_SENTENCES, STAFF_SENTENCES, 1, 2)
                        read_c = False
                    else:
                        text = self.text(STAFF_SENTENCES, STAFF_SENTENCES, 1, 3)
                        read_c = not (last and status != "closed" and rng.random() < 0.5)
                    from_c, read_s = False, True
                else:
                    sender = customer
                    internal = False
                    text = self.text(
                        CUSTOMER_SENTENCES[category], COMMON_CUSTOMER, context=j == 0 or rng.random() < 0.2
                    )
                    from_c, read_c = True, True
                    read_s = not (active and j >= n - 2 and rng.random() < 0.6)
                if policy is not None and j > 0:
                    unit, prev = gaps[j - 1] / mean_gap, times[-1]
                    if staff_side and not internal:
                        mean = policy.next_reply_mean if replied else policy.first_reply_mean
                        at = clock_time.add(us_of(prev), unit * mean) / 1_000_000
                    else:
                        at = prev + unit * (policy.next_reply_mean if staff_side else policy.customer_gap_mean)
                    if at > limit:
                        at = prev + (limit - prev) * 0.5
                    times.append(quantized(max(at, prev + 0.001)))
                replied = replied or not (from_c or internal)
                convo.append((mid, text, from_c, internal, read_c, read_s, sender))
                if rng.random() < c.attachment_rate or (i in detail and j % 10 == 0):
                    ctype, ext, stem = ATTACHMENT_TYPES[rng.randrange(len(ATTACHMENT_TYPES))]
                    aid = new_uuid(rng)
                    files.append((j, aid, ctype, ext, stem, rng.randint(1, 999), rng.randint(2_000, 4_000_000)))
            closed_at = None
            if status == "closed":
                closed_at = quantized(min(c.now, times[-1] + rng.expovariate(1 / (48 * HOUR))))
            elif status == "resolved":
                resolved_draw = quantized(min(c.now, times[-1] + rng.expovariate(1 / (6 * HOUR))))
            # The status changes that move the clocks, in the history: waiting on the customer (and
            # the customer's reply that ends it), resolved, closed (after being resolved).
            changes: list[tuple[float, str]] = []
            if self.sla_events:
                public = [j for j, row in enumerate(convo) if not row[3]]
                last_public = convo[public[-1]] if public else None
                if status == "in_progress" and last_public is not None and not last_public[2]:
                    share = next(p for limit_age, p in PENDING_SHARE if age < limit_age)
                    if srng.random() < share:
                        status = "pending"  # the agent asked the customer with the last reply
                        changes.append((quantized(min(c.now, times[-1] + srng.uniform(1, 300))), status))
                elif status == "in_progress" and policy is not None and last_public is not None:
                    self._customer_came_back(policy, convo, public, times, changes)
                if status in SLA_DONE:
                    end = closed_at if closed_at is not None else c.now
                    if policy is not None:
                        took = self.sla_time[policy.calendar].add(
                            us_of(times[-1]), srng.expovariate(1 / policy.resolve_mean)
                        )
                        resolved_at = took / 1_000_000
                    else:
                        resolved_at = (
                            resolved_draw if status == "resolved" else times[-1] + srng.expovariate(1 / (6 * HOUR))
                        )
                    if resolved_at >= end:
                        resolved_at = times[-1] + (end - times[-1]) * 0.5
                    changes.append((quantized(max(resolved_at, times[-1] + 0.001)), "resolved"))
                    if status == "closed":
                        changes.append((closed_at, "closed"))
            elif status == "resolved":
                changes.append((resolved_draw, "resolved"))
            updated = closed_at if closed_at is not None else max([times[-1], *(at for at, _new in changes)])
            previous = "in_progress"
            for at, new in changes:
                if self.sla_events:
                    e_buf.append(
                        f'{new_uuid(srng)}\t{tid}\t{assigned or null}\tstatus_changed\t"{previous}"\t"{new}"\t\t{ts(at)}\n'
                    )
                previous = new
            st.events += len(changes) if self.sla_events else 0
            for j, (mid, text, from_c, internal, read_c, read_s, sender) in enumerate(convo):
                m_buf.append(
                    f"{mid}\t{text}\t{ts(times[j])}\t{'t' if from_c else 'f'}\t{'t' if internal else 'f'}\t"
                    f"{'t' if read_c else 'f'}\t{'t' if read_s else 'f'}\t{sender}\t{tid}\n"
                )
            for j, aid, ctype, ext, stem, number, size in files:
                when = dt.datetime.fromtimestamp(times[j], UTC)
                path = f"attachments/{when:%Y/%m}/{aid.replace('-', '')}{ext}"
                a_buf.append(
                    f"{aid}\t{path}\t{stem}-{number}{ext}\t{size}\t{ctype}\t{ts(times[j])}\t{convo[j][0]}\t{tid}\t"
                    f"{convo[j][6]}\n"
                )
            sla_cols = f"{null}\t{null}\tf\tf"
            if matched is not None and sla_copy is not None:
                spec, policy_id = matched
                entries = [(us_of(times[j]), 0, "customer" if convo[j][2] else "staff") for j in public]
                entries += [(us_of(at), 1, new) for at, new in changes]
                replay = SlaReplay(
                    self.sla_time[spec.calendar],
                    {
                        "first_response": spec.first_response,
                        "next_response": spec.next_response,
                        "resolution": spec.resolution,
                    },
                )
                created_us = us_of(created)
                clocks = replay.run(created_us, entries, now_us)
                sla_alerts_sent(clocks, now_us, max(at for at, _order, _kind in entries))
                for old_cycle in replay.closed_cycles:
                    sla_alerts_sent({"": old_cycle}, now_us)
                paused = status not in SLA_RUNNING
                breach_at, risk_at, breached, alert_at = sla_keys(clocks, paused=paused, now=now_us)
                decided = replay.closed_cycles + list(clocks.values())
                missed = any(clock.missed for clock in decided)
                if missed and spec.escalate_on_breach:
                    escalated = True  # the alert job escalated it at the breach
                for clock in decided:
                    outcome = sla_outcome(clock)
                    if outcome is not None and outcome_copy is not None:
                        met, due_at, decided_at = outcome
                        o_buf.append(
                            f"{tid}\t{clock.name}\t{iso_us(clock.cycle)}\t{'t' if met else 'f'}\t{iso_us(due_at)}\t"
                            f"{iso_us(decided_at)}\t{priority}\t{assigned or null}\n"
                        )
                        st.sla_outcomes += 1
                        st.sla_missed += not met
                clocks_json = "{" + ",".join(f'"{name}":{clock.json_text()}' for name, clock in clocks.items()) + "}"
                s_buf.append(
                    f"{tid}\t{policy_id}\t{clocks_json}\t{'t' if paused else 'f'}\t"
                    f"{iso_us(alert_at) if alert_at is not None else null}\t{now_text}\t{1 + len(entries)}\n"
                )
                sla_cols = (
                    f"{iso_us(breach_at) if breach_at is not None else null}\t"
                    f"{iso_us(risk_at) if risk_at is not None else null}\t{'t' if breached else 'f'}\tt"
                )
                st.sla_tracked += 1
                st.sla_paused += paused
                if not paused:
                    st.sla_running += 1
                    st.sla_running_breached += (breach_at is not None and breach_at <= now_us) or breached
                    st.sla_running_at_risk += not breached and risk_at is not None and risk_at <= now_us
            st.statuses[status] = st.statuses.get(status, 0) + 1
            t_buf.append(
                f"{tid}\t{title}\t{category}\t{status}\t{priority}\t{'t' if escalated else 'f'}\t{source}\t"
                f"{json.dumps(tags)}\t{ts(created)}\t{ts(updated)}\t{ts(updated)}\t{ts(closed_at) if closed_at else null}\t"
                f"{assigned or null}\t{customer}\t{sla_cols}\n"
            )
            if i in detail:
                self.detail_ticket_ids.append(tid)
            elif status == "in_progress" and len(self.post_ticket_ids) < 2000 and customer != self.customer_ids[0]:
                self.post_ticket_ids.append(tid)
            st.tickets += 1
            st.messages += n
            if len(m_buf) >= 20_000:
                self._flush(
                    (ticket_copy, t_buf), (message_copy, m_buf), (attachment_copy, a_buf), (sla_copy, s_buf),
                    (outcome_copy, o_buf), (event_copy, e_buf),
                )  # fmt: skip
                t_buf, m_buf, a_buf, s_buf, o_buf, e_buf = [], [], [], [], [], []
            if (i + 1) % 100_000 == 0:
                rate = (i + 1) / (time.perf_counter() - started)
                log(f"  {i + 1:,} tickets, {st.messages:,} messages ({rate:,.0f} tickets/s)")
        self._flush(
            (ticket_copy, t_buf), (message_copy, m_buf), (attachment_copy, a_buf), (sla_copy, s_buf),
            (outcome_copy, o_buf), (event_copy, e_buf),
        )  # fmt: skip

    def _flush(self, *streams: tuple[Any, list[str]]) -> None:
        for copy, rows in streams:
            if copy is not None and rows:
                copy.write("".join(rows))
        self.stats.attachments += len(streams[2][1])


USER_COLUMNS = (
    "id, password, last_login, is_superuser, email, first_name, last_name, role, is_staff, is_active, date_joined"
)
TICKET_COLUMNS = (
    "id, title, category, status, priority, escalated, source, tags, created_at, updated_at, activity_at, closed_at, "
    "assigned_agent_id, customer_id, sla_next_breach_at, sla_at_risk_at, sla_breached, sla_tracked"
)
MESSAGE_COLUMNS = (
    "id, message_text, created_at, is_from_customer, is_internal, read_by_customer, read_by_staff, sender_id, ticket_id"
)
ATTACHMENT_COLUMNS = "id, file, filename, file_size, content_type, created_at, message_id, ticket_id, uploaded_by_id"
TICKETSLA_COLUMNS = "ticket_id, policy_id, clocks, paused, next_alert_at, evaluated_at, version"
OUTCOME_COLUMNS = "ticket_id, target, cycle, met, due_at, decided_at, priority, agent_id"
EVENT_COLUMNS = "id, ticket_id, actor_id, kind, old_value, new_value, note, created_at"


def _sla_policies_write(cur: Any, gen: Generator) -> None:
    """Replace the policies and calendars by the generated ones (the built-in 24/7 stays)."""
    cur.execute("DELETE FROM sla_slapolicy")
    cur.execute("DELETE FROM sla_businesscalendar WHERE NOT builtin")
    cur.execute("SELECT id FROM sla_businesscalendar WHERE builtin")
    row = cur.fetchone()
    if row is None:  # a flushed database (the tests'): made as migration sla 0002 makes it
        always = {day: [["00:00", "24:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
        row = (new_uuid(gen.sla_rng),)
        cur.execute(
            "INSERT INTO sla_businesscalendar (id, name, time_zone, hours, holidays, builtin, created_at, updated_at) "
            "VALUES (%s, '24/7', 'UTC', %s, '[]', true, now(), now())",
            [row[0], json.dumps(always)],
        )
    office, policies = gen.sla_setup(str(row[0]))
    cur.execute(
        "INSERT INTO sla_businesscalendar (id, name, time_zone, hours, holidays, builtin, created_at, updated_at) "
        "VALUES (%s, %s, %s, %s, %s, false, %s, %s)",
        [
            office["id"],
            office["name"],
            office["time_zone"],
            json.dumps(office["hours"]),
            json.dumps(office["holidays"]),
            office["created_at"],
            office["created_at"],
        ],
    )
    for p in policies:
        cur.execute(
            "INSERT INTO sla_slapolicy (id, name, position, calendar_id, conditions, first_response_minutes, "
            "next_response_minutes, resolution_minutes, escalate_on_breach, created_at, updated_at) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [
                p["id"],
                p["name"],
                p["position"],
                p["calendar_id"],
                json.dumps(p["conditions"]),
                p["first_response_minutes"],
                p["next_response_minutes"],
                p["resolution_minutes"],
                p["escalate_on_breach"],
                p["created_at"],
                p["created_at"],
            ],
        )


def run(config: Config, *, database_url: str, replace: bool, results_dir: Path, log: Any = print) -> dict[str, Any]:
    """Migrate, (re)load the data set, rebuild indexes and keys, analyse; return what was made."""
    import psycopg
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    timings["migrate"] = time.perf_counter() - t0

    gen = Generator(config)
    with psycopg.connect(database_url) as conn:
        conn.execute("SET maintenance_work_mem = '1GB'")
        conn.execute("SET synchronous_commit = off")
        with conn.cursor() as cur:
            cur.execute("SELECT (SELECT count(*) FROM accounts_user) + (SELECT count(*) FROM support_ticket)")
            existing = cur.fetchone()[0]
            if existing and not replace:
                raise SystemExit(f"The database already has {existing} users/tickets; pass --replace to reload it.")
            t = time.perf_counter()
            cur.execute(
                "SELECT count(*) FROM pg_constraint WHERE contype = 'p' AND conrelid::regclass::text = ANY(%s)",
                [[t for t in TABLES if t != SEARCH_TABLE]],
            )
            if cur.fetchone()[0] < len(TABLES) - 1:
                raise SystemExit(
                    "Primary keys are missing: an earlier load stopped before rebuilding them. "
                    "Drop and create the database again, then load."
                )
            constraints, indexes = _saved_schema(cur)
            # The search table empties with the tickets (their TRUNCATE trigger): not named here.
            cur.execute("TRUNCATE accounts_user, " + ", ".join(t for t in TABLES if t != SEARCH_TABLE) + " CASCADE")
            _drop_schema(cur, constraints, indexes)
            if config.sla:
                _sla_policies_write(cur, gen)
            conn.commit()
            timings["prepare"] = time.perf_counter() - t

            defaults = _fill_missing_defaults(cur)
            t = time.perf_counter()
            password_hash = make_password(BENCH_PASSWORD)
            with cur.copy(f"COPY accounts_user ({USER_COLUMNS}) FROM STDIN") as copy:
                copy.write("".join(gen.user_rows(password_hash)))
            conn.commit()
            timings["users"] = time.perf_counter() - t

            for table in TRIGGERED:
                cur.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            conn.commit()
            # One COPY stream per table, each on its own connection, written in step (keys are
            # checked afterwards): tickets, messages, attachments, and with the service levels each
            # ticket's clocks, the targets decided and the status history.
            t = time.perf_counter()
            with contextlib.ExitStack() as stack:

                def stream(table: str, columns: str) -> Any:
                    other = stack.enter_context(psycopg.connect(database_url))
                    return stack.enter_context(other.cursor().copy(f"COPY {table} ({columns}) FROM STDIN"))

                tickets = stack.enter_context(cur.copy(f"COPY support_ticket ({TICKET_COLUMNS}) FROM STDIN"))
                messages = stream("support_message", MESSAGE_COLUMNS)
                attachments = stream("support_attachment", ATTACHMENT_COLUMNS)
                sla = outcomes = events = None
                if config.sla:
                    sla = stream("sla_ticketsla", TICKETSLA_COLUMNS)
                    outcomes = stream("sla_slaoutcome", OUTCOME_COLUMNS)
                    events = stream("support_ticketevent", EVENT_COLUMNS)
                gen.generate(tickets, messages, attachments, log, sla, outcomes, events)
            conn.commit()
            timings["copy"] = time.perf_counter() - t
            log(f"copied in {timings['copy']:.1f}s; building the search documents")

            t = time.perf_counter()
            cur.execute("SET work_mem = '256MB'")
            cur.execute(_search_fill_sql())
            for table in TRIGGERED:
                cur.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            conn.commit()
            timings["search_documents"] = time.perf_counter() - t
            log(f"search documents in {timings['search_documents']:.1f}s; rebuilding keys and indexes")

            t = time.perf_counter()
            for table, column in defaults:
                cur.execute(f'ALTER TABLE {table} ALTER COLUMN "{column}" DROP DEFAULT')
            _rebuild_schema(cur, constraints, indexes, log)
            conn.commit()
            timings["indexes_and_keys"] = time.perf_counter() - t
        conn.autocommit = True
        t = time.perf_counter()
        conn.execute("VACUUM (ANALYZE) accounts_user, sla_slapolicy, sla_businesscalendar, " + ", ".join(TABLES))
        timings["vacuum_analyze"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - t0

    stats = gen.stats
    dataset = {
        "generated_at": dt.datetime.now(UTC).isoformat(),
        "config": {k: v for k, v in vars(config).items() if k != "now"},
        "counts": {
            "users": stats.users,
            "tickets": stats.tickets,
            "messages": stats.messages,
            "attachments": stats.attachments,
            "status_events": stats.events,
            "statuses": dict(sorted(stats.statuses.items())),
        },
        "sla": {
            "now": iso_us(us_of(config.now)),
            "policies": [{"id": pid, "name": spec.name} for spec, pid in gen.policies],
            "tracked": stats.sla_tracked,
            "paused": stats.sla_paused,
            "running": stats.sla_running,
            "running_breached": stats.sla_running_breached,
            "running_at_risk": stats.sla_running_at_risk,
            "outcomes": stats.sla_outcomes,
            "outcomes_missed": stats.sla_missed,
        },
        "timings_seconds": {k: round(v, 1) for k, v in timings.items()},
        "password": BENCH_PASSWORD,
        "agent": {"email": BENCH_AGENT_EMAIL, "id": gen.agent_ids[0]},
        "customer": {"email": BENCH_CUSTOMER_EMAIL, "id": gen.customer_ids[0]},
        "writer": {"email": BENCH_WRITER_EMAIL, "id": gen.customer_ids[1]},
        "detail_ticket_ids": gen.detail_ticket_ids,
        "post_ticket_ids": gen.post_ticket_ids,
        "bench_customer_ticket_ids": gen.bench_customer_ticket_ids,
        "search_terms": SEARCH_TERMS,
        "tag": "chargeback",
    }
    results_dir.mkdir(parents=True, exist_ok=True)
    (results_dir / "dataset.json").write_text(json.dumps(dataset, indent=1))
    return dataset


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    d = Config()
    parser.add_argument("--tickets", type=int, default=d.tickets)
    parser.add_argument("--messages", type=int, default=d.messages)
    parser.add_argument("--customers", type=int, default=d.customers)
    parser.add_argument("--agents", type=int, default=d.agents)
    parser.add_argument("--attachment-rate", type=float, default=d.attachment_rate, help="share of messages")
    parser.add_argument("--years", type=float, default=d.years, help="how far back tickets go")
    parser.add_argument("--seed", type=int, default=d.seed)
    parser.add_argument("--no-sla", action="store_true", help="no service levels (nor pending tickets, nor history)")
    parser.add_argument("--replace", action="store_true", help="replace the users and tickets already there")
    parser.add_argument("--results-dir", type=Path, default=RESULTS_DIR)
    args = parser.parse_args(argv)
    if args.customers < 2 or args.agents < 1 or args.tickets < 1:
        parser.error("Need at least 2 customers, 1 agent and 1 ticket.")

    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        parser.error("Set DATABASE_URL to the PostgreSQL database to load (for example .../desk_bench).")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-generator")
    import django

    django.setup()
    config = Config(
        tickets=args.tickets,
        messages=args.messages,
        customers=args.customers,
        agents=args.agents,
        attachment_rate=args.attachment_rate,
        years=args.years,
        seed=args.seed,
        sla=not args.no_sla,
    )
    started = time.perf_counter()
    print(
        f"Loading {config.tickets:,} tickets, {config.messages:,} messages, {config.customers:,} customers, "
        f"{config.agents} agents into {database_url.rsplit('/', 1)[-1]}",
        flush=True,
    )
    dataset = run(
        config,
        database_url=database_url,
        replace=args.replace,
        results_dir=args.results_dir,
        log=lambda s: print(s, flush=True),
    )
    print(json.dumps({k: dataset[k] for k in ("counts", "sla", "timings_seconds")}, indent=1))
    print(f"Done in {time.perf_counter() - started:.1f}s. Benchmark accounts (password {BENCH_PASSWORD}):")
    for key in ("agent", "customer", "writer"):
        print(f"  {key}: {dataset[key]['email']} {dataset[key]['id']}")
    print(f"Wrote {args.results_dir / 'dataset.json'}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
