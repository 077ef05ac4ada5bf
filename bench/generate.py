"""Generate a large, realistic helpdesk data set in PostgreSQL with COPY, and report the time taken.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/desk_bench .venv/bin/python -m bench.generate --replace

Defaults: 1,000,000 tickets, 5,000,000 messages, 50,000 customers, 100 agents. The database is
migrated first; existing users, tickets, messages, attachments and events are then REPLACED
(`--replace` is required when any exist). Secondary indexes and foreign keys are dropped for the
load and rebuilt afterwards (which also validates every foreign key), then VACUUM ANALYZE runs.

Rows satisfy every constraint of the schema: enum values, closed_at set exactly when closed,
message length, internal notes only from staff, is_from_customer exactly when the sender is the
ticket's customer, updated_at >= created_at. The same seed gives the same data.

Known benchmark accounts (password `bench-pass-2026`) and the ids the load runner needs are
written to bench/results/dataset.json.
"""

from __future__ import annotations

import argparse
import bisect
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
TABLES = ["support_attachment", "support_message", "support_ticketevent", "support_ticket", SEARCH_TABLE]
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
    return dt.datetime.fromtimestamp(epoch, UTC).isoformat()


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


@dataclass
class Stats:
    users: int = 0
    tickets: int = 0
    messages: int = 0
    attachments: int = 0
    timings: dict[str, float] = field(default_factory=dict)


# --- database helpers ---------------------------------------------------------------------------


def _saved_schema(cur: Any) -> tuple[list[tuple[str, str, str]], list[str]]:
    """The foreign keys and primary keys (table, name, definition) and the other indexes of the
    bulk-loaded tables, to drop before the load and rebuild after it."""
    cur.execute(
        """
        SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype
        FROM pg_constraint c
        WHERE c.contype IN ('f', 'p') AND (c.conrelid::regclass::text = ANY(%(t)s)
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
        if definition.startswith("PRIMARY KEY"):
            cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for indexdef in indexes:
        name = indexdef.split(" INDEX ", 1)[1].split(" ON ", 1)[0]
        cur.execute(f"DROP INDEX IF EXISTS {name}")


def _rebuild_schema(cur: Any, constraints: list[tuple[str, str, str]], indexes: list[str], log: Any) -> None:
    for table, name, definition in constraints:
        if definition.startswith("PRIMARY KEY"):
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
    from desk.support.models import Attachment, Message, Ticket

    written = {
        User: USER_COLUMNS,
        Ticket: TICKET_COLUMNS,
        Message: MESSAGE_COLUMNS,
        Attachment: ATTACHMENT_COLUMNS,
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
            joined = ts(self.start - rng.uniform(1, 400) * DAY)
            rows.append(f"{uid}\t{pw}\t\\N\tf\t{email}\t{first}\t{last}\t{role}\tf\tt\t{joined}\n")
        self.stats.users = len(rows)
        return rows

    # message counts ---------------------------------------------------------------------------

    def message_counts(self) -> array:
        """Messages per ticket: at least one, a long tail, `detail_tickets` with exactly
        `detail_messages`, adding up to exactly `messages`."""
        c = self.c
        rng = random.Random(c.seed + 1)
        if c.messages < c.tickets:
            raise SystemExit("Every ticket has at least one message: --messages must be >= --tickets.")
        mean_extra = (c.messages - c.tickets) / c.tickets
        counts = array("I", [1]) * c.tickets
        if mean_extra > 0:
            rate = math.log(1 + 1 / mean_extra)
            for i in range(c.tickets):
                counts[i] = 1 + min(300, int(rng.expovariate(rate)))
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

    def generate(self, ticket_copy: Any, message_copy: Any, attachment_copy: Any, log: Any) -> None:
        c, rng = self.c, self.rng
        counts = self.message_counts()
        detail = set(self.detail_positions())
        bench_customer = self.bench_customer_positions()
        span = c.now - self.start
        n_cust = len(self.customer_ids)
        tag_cum = list(itertools.accumulate(TAG_WEIGHTS))
        t_buf: list[str] = []
        m_buf: list[str] = []
        a_buf: list[str] = []
        started = time.perf_counter()
        for i in range(c.tickets):
            tid = new_uuid(rng)
            # Volume grows over the two years: density rises linearly towards now.
            created = self.start + span * (rng.random() ** 0.5)
            if i in detail:
                created = min(created, c.now - 10 * DAY)
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
            total = sum(gaps)
            room = (c.now - created) * 0.9
            if total > room > 0:
                scale = room / total
                gaps = [g * scale for g in gaps]
            times = [created]
            for g in gaps:
                times.append(times[-1] + max(g, 0.001))
            # Staff open phone (and some email) tickets on the customer's behalf. An open ticket has
            # no staff reply yet (a reply moves it into progress).
            staff_side = source == "phone" or (source == "email" and rng.random() < 0.3)
            active = status in ("open", "in_progress")
            for j in range(n):
                if j > 0:
                    staff_side = status != "open" and ((not staff_side) if rng.random() < 0.8 else staff_side)
                mid = new_uuid(rng)
                last = j == n - 1
                if staff_side:
                    sender = assigned or self.agent_ids[rng.randrange(c.agents)]
                    internal = j > 0 and rng.random() < 0.12
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
                m_buf.append(
                    f"{mid}\t{text}\t{ts(times[j])}\t{'t' if from_c else 'f'}\t{'t' if internal else 'f'}\t"
                    f"{'t' if read_c else 'f'}\t{'t' if read_s else 'f'}\t{sender}\t{tid}\n"
                )
                if rng.random() < c.attachment_rate or (i in detail and j % 10 == 0):
                    ctype, ext, stem = ATTACHMENT_TYPES[rng.randrange(len(ATTACHMENT_TYPES))]
                    aid = new_uuid(rng)
                    when = dt.datetime.fromtimestamp(times[j], UTC)
                    path = f"attachments/{when:%Y/%m}/{aid.replace('-', '')}{ext}"
                    a_buf.append(
                        f"{aid}\t{path}\t{stem}-{rng.randint(1, 999)}{ext}\t{rng.randint(2_000, 4_000_000)}\t"
                        f"{ctype}\t{ts(times[j])}\t{mid}\t{tid}\t{sender}\n"
                    )
            closed_at = None
            updated = times[-1]
            if status == "closed":
                closed_at = min(c.now, times[-1] + rng.expovariate(1 / (48 * HOUR)))
                updated = closed_at
            elif status == "resolved":
                updated = min(c.now, times[-1] + rng.expovariate(1 / (6 * HOUR)))
            t_buf.append(
                f"{tid}\t{title}\t{category}\t{status}\t{priority}\t{'t' if escalated else 'f'}\t{source}\t"
                f"{json.dumps(tags)}\t{ts(created)}\t{ts(updated)}\t{ts(updated)}\t{ts(closed_at) if closed_at else chr(92) + 'N'}\t"
                f"{assigned or chr(92) + 'N'}\t{customer}\n"
            )
            if i in detail:
                self.detail_ticket_ids.append(tid)
            elif status == "in_progress" and len(self.post_ticket_ids) < 2000 and customer != self.customer_ids[0]:
                self.post_ticket_ids.append(tid)
            self.stats.tickets += 1
            self.stats.messages += n
            if len(m_buf) >= 20_000:
                ticket_copy.write("".join(t_buf))
                message_copy.write("".join(m_buf))
                if a_buf:
                    attachment_copy.write("".join(a_buf))
                self.stats.attachments += len(a_buf)
                t_buf, m_buf, a_buf = [], [], []
            if (i + 1) % 100_000 == 0:
                rate = (i + 1) / (time.perf_counter() - started)
                log(f"  {i + 1:,} tickets, {self.stats.messages:,} messages ({rate:,.0f} tickets/s)")
        ticket_copy.write("".join(t_buf))
        message_copy.write("".join(m_buf))
        if a_buf:
            attachment_copy.write("".join(a_buf))
        self.stats.attachments += len(a_buf)


USER_COLUMNS = (
    "id, password, last_login, is_superuser, email, first_name, last_name, role, is_staff, is_active, date_joined"
)
TICKET_COLUMNS = (
    "id, title, category, status, priority, escalated, source, tags, created_at, updated_at, activity_at, closed_at, "
    "assigned_agent_id, customer_id"
)
MESSAGE_COLUMNS = (
    "id, message_text, created_at, is_from_customer, is_internal, read_by_customer, read_by_staff, sender_id, ticket_id"
)
ATTACHMENT_COLUMNS = "id, file, filename, file_size, content_type, created_at, message_id, ticket_id, uploaded_by_id"


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
            constraints, indexes = _saved_schema(cur)
            # The search table empties with the tickets (their TRUNCATE trigger): not named here.
            cur.execute("TRUNCATE accounts_user, " + ", ".join(t for t in TABLES if t != SEARCH_TABLE) + " CASCADE")
            _drop_schema(cur, constraints, indexes)
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
            # Three COPY streams on three connections, written in step (keys are checked afterwards).
            t = time.perf_counter()
            with (
                psycopg.connect(database_url) as c2,
                psycopg.connect(database_url) as c3,
                cur.copy(f"COPY support_ticket ({TICKET_COLUMNS}) FROM STDIN") as tickets,
                c2.cursor().copy(f"COPY support_message ({MESSAGE_COLUMNS}) FROM STDIN") as messages,
                c3.cursor().copy(f"COPY support_attachment ({ATTACHMENT_COLUMNS}) FROM STDIN") as attachments,
            ):
                gen.generate(tickets, messages, attachments, log)
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
        conn.execute("VACUUM (ANALYZE) accounts_user, " + ", ".join(TABLES))
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
    print(json.dumps({"counts": dataset["counts"], "timings_seconds": dataset["timings_seconds"]}, indent=1))
    print(f"Done in {time.perf_counter() - started:.1f}s. Benchmark accounts (password {BENCH_PASSWORD}):")
    for key in ("agent", "customer", "writer"):
        print(f"  {key}: {dataset[key]['email']} {dataset[key]['id']}")
    print(f"Wrote {args.results_dir / 'dataset.json'}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
