"""Ticket search (SPEC: `search` matches the title and the message text the viewer may see).

A ticket matches when every word of the query appears in its title or in its messages that the
viewer may see (customers never match internal notes), in any order and any message.

PostgreSQL: full-text search with English stemming ("refunds" finds "refund"), over one document
per ticket (`TicketSearch`: title and messages, kept by the database, GIN-indexed). The websearch
syntax works: "a quoted phrase", `or`, `-word`; words too common to search for ("the") are ignored.
The work is bounded: a search looks at the SEARCH_CANDIDATES newest matching tickets and ranks them
by relevance (`ts_rank`, title words weigh more; newest first among equals), or in the order asked
for. `count` is exact up to SEARCH_CANDIDATES matches and the planner's estimate above that.

SQLite (the small embedded setup): every word as a case-insensitive substring, newest first.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from desk.accounts.models import User
from desk.core.errors import NotFound, ValidationFailed
from desk.core.pagination import Page, PageRequest, planner_estimate
from desk.support import permissions
from desk.support.models import Message, Ticket

CONFIG = "english"
SEARCH_CANDIDATES = 1_000
# The newest matches of a word that is neither rare nor very common are looked for among recent
# tickets first: one index intersection instead of reading every match (bench/README.md).
RECENT = timedelta(days=30)
# Above this many estimated matches, walking the tickets newest first finds enough at once.
COMMON = 20_000


def ranks_in_database() -> bool:
    """Whether this database searches with full-text search (and ranks), rather than substrings."""
    return connection.vendor == "postgresql"


def _tsquery(text: str) -> SearchQuery:
    return SearchQuery(text, config=CONFIG, search_type="websearch")


def tickets_matching(
    tickets: QuerySet[Ticket], *, text: str, user: User, messages: QuerySet[Message]
) -> QuerySet[Ticket]:
    """Narrow `tickets` to those matching `text`; `messages` are the messages the user may see."""
    if ranks_in_database():
        query = _tsquery(text)
        if permissions.sees_internal_notes(user):
            return tickets.filter(search__document=query)
        # `public_document` is null when the ticket has no internal note: then it equals `document`.
        return tickets.filter(
            Q(search__public_document=query) | Q(search__public_document__isnull=True, search__document=query)
        )
    for word in text.split():
        in_messages = messages.filter(ticket=OuterRef("pk"), message_text__icontains=word)
        tickets = tickets.filter(Q(title__icontains=word) | Exists(in_messages))
    return tickets


# (pk, relevance, created_at, priority_rank, updated_at as the viewer sees it, next SLA breach)
Candidate = tuple[Any, float, Any, int, Any, Any]


def _candidates(matching: QuerySet[Ticket], *, text: str, user: User, estimate: int) -> list[Candidate]:
    """The newest SEARCH_CANDIDATES + 1 matching tickets, newest first, with their relevance."""
    query = _tsquery(text)
    # A ticket without internal notes has no public document of its own: it is its document.
    document = (
        F("search__document")
        if permissions.sees_internal_notes(user)
        else Coalesce("search__public_document", "search__document")
    )
    newest = matching.order_by("-search__created_at", "-search__ticket_id").annotate(
        relevance=SearchRank(document, query)
    )
    rows = newest.values_list(
        "pk", "relevance", "search__created_at", "priority_rank", permissions.updated_column(user), "sla_next_breach_at"
    )
    wanted = SEARCH_CANDIDATES + 1
    if not permissions.sees_every_ticket(user) or estimate > COMMON:
        return list(rows[:wanted])
    cutoff = timezone.now() - RECENT
    found = list(rows.filter(search__created_at__gte=cutoff)[:wanted])
    if len(found) < wanted:
        found += list(rows.filter(search__created_at__lt=cutoff)[: wanted - len(found)])
    return found


def _ordered(candidates: list[Candidate], ordering: str | None) -> list[Candidate]:
    """The candidates in the asked order (relevance when none), each with a unique tie-break."""
    out = list(candidates)
    if ordering is None:
        out.sort(key=lambda c: (c[1], c[2], c[0]), reverse=True)
    elif ordering in ("created_at", "-created_at"):
        out.sort(key=lambda c: (c[2], c[0]), reverse=ordering.startswith("-"))
    elif ordering in ("updated_at", "-updated_at"):
        out.sort(key=lambda c: (c[4], c[0]), reverse=ordering.startswith("-"))
    elif ordering == "sla":  # soonest breach first, none last
        out.sort(key=lambda c: (c[5] is None, c[5] or c[2], c[2], c[0]))
    else:  # priority by severity, newest first within a priority
        out.sort(key=lambda c: (c[2], c[0]), reverse=True)
        out.sort(key=lambda c: c[3], reverse=ordering.startswith("-"))
    return out


def ticket_page(
    matching: QuerySet[Ticket],
    *,
    text: str,
    user: User,
    ordering: str | None,
    page: PageRequest,
    rows: Callable[[list[Any]], list[dict[str, Any]]],
) -> Page:
    """One page of a full-text search: `matching` is the filtered and searched queryset; `rows`
    reads the list rows of the page's ids, in order."""
    estimate = planner_estimate(matching) or 0
    candidates = _candidates(matching, text=text, user=user, estimate=estimate)
    more = len(candidates) > SEARCH_CANDIDATES
    candidates = _ordered(candidates[:SEARCH_CANDIDATES], ordering)
    size = page.size
    number = page.number
    if number is None:
        number = max(1, math.ceil(len(candidates) / size))
    offset = (number - 1) * size
    if offset >= SEARCH_CANDIDATES:
        raise ValidationFailed.field(
            "page",
            f"A search lists its {SEARCH_CANDIDATES:,} newest matches, {math.ceil(SEARCH_CANDIDATES / size)} pages "
            f"at {size} per page; add words or filters to find older tickets.",
        )
    window = candidates[offset : offset + size + 1]
    has_next = len(window) > size
    ids = [c[0] for c in window[:size]]
    if not ids and number > 1:
        raise NotFound(f"There is no page {number}.")
    if more:
        count, exact = max(estimate, SEARCH_CANDIDATES + 1), False
    else:
        count, exact = len(candidates), True
    return Page(items=rows(ids), number=number, size=size, count=count, count_exact=exact, has_next=has_next)
