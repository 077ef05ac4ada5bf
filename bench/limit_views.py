"""Bare-SQL "limit" views: each runs the single SQL statement equivalent to a real read endpoint,
with a raw cursor, and returns the same JSON. The benchmark gives every endpoint's throughput as
a ratio to its limit.

Mounted under /bench/limit/ only when BENCH_LIMIT_VIEWS=1 (never in production). They check the
same `Authorization: Bearer` access token, but only its signature and expiry (no database): the
user's id comes from the token and whether the user is staff is looked up once per process and
kept, so each request runs exactly one SQL statement.

Differences from the real endpoints, on purpose (they are what a limit may skip):
- no rate limiting, no DRF machinery, no ORM;
- `count` is counted in the same statement, up to 10,001 matches (`count_exact` false above
  10,000), where the endpoint asks the planner for an estimate first;
- `search` is PostgreSQL full-text search over the same search documents as the endpoint
  (`support_ticketsearch`): the 1,000 newest matches, ranked by ts_rank (or in the order asked
  for), in one statement.
- the staff's `sla` block is read in the same statement (`sla_ticketsla` and its policy, joined
  for the page's rows) and shaped by the product's own pure presenter (`desk.sla.presenters.
  sla_block`, from the row's columns): the SLA arithmetic is part of the answer, not of the
  framework.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any
from urllib.parse import urlencode

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import AccessToken

from desk.sla.presenters import sla_block
from desk.support.filetypes import IMAGE_TYPES
from desk.support.models import Category, Priority, Status

COUNT_EXACT_UP_TO = 10_000
SEARCH_CANDIDATES = 1_000
SNIPPET_LENGTH = 100
# `{updated}` is what "updated" means to the viewer: staff see the last activity of any kind.
ORDERINGS = {
    "created_at": "t.created_at ASC, t.id ASC",
    "-created_at": "t.created_at DESC, t.id DESC",
    "updated_at": "t.{updated} ASC, t.id ASC",
    "-updated_at": "t.{updated} DESC, t.id DESC",
    "priority": "t.priority_rank ASC, t.created_at DESC, t.id DESC",
    "-priority": "t.priority_rank DESC, t.created_at DESC, t.id DESC",
    # Soonest breach first, tickets without a due time last: the index `ticket_sla_idx` (staff only).
    "sla": "t.sla_next_breach_at ASC NULLS LAST, t.created_at ASC, t.id ASC",
}
STAFF_ONLY_ORDERINGS = {"sla"}
CHOICES = {"status": Status.values, "priority": Priority.values, "category": Category.values}
# `?sla=`: as `desk.support.selectors._sla_filter` (a missed target, or due and not met; less than a
# quarter of the time left; neither; no policy). %(now)s is the request's time.
_OVERDUE = "(t.sla_breached OR coalesce(t.sla_next_breach_at <= %(now)s, false))"
_RISKY = "coalesce(t.sla_at_risk_at <= %(now)s, false)"
SLA_STATES = {
    "breached": f"(t.sla_tracked AND {_OVERDUE})",
    "at_risk": f"(t.sla_tracked AND NOT {_OVERDUE} AND {_RISKY})",
    "ok": f"(t.sla_tracked AND NOT {_OVERDUE} AND NOT {_RISKY})",
    "none": "(NOT t.sla_tracked)",
}

_staff_cache: dict[str, bool] = {}


class BadRequest(Exception):
    pass


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": code, "message": message, "details": {}}, status=status)


def _viewer(request: HttpRequest) -> tuple[str, bool] | None:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    try:
        user_id = str(AccessToken(header[7:].strip())["user_id"])
    except (TokenError, KeyError):
        return None
    if user_id not in _staff_cache:
        with connection.cursor() as cur:
            cur.execute("SELECT is_staff FROM accounts_user WHERE id = %s AND is_active", [user_id])
            row = cur.fetchone()
        if row is None:
            return None
        _staff_cache[user_id] = row[0]
    return user_id, _staff_cache[user_id]


def _dt(value: Any) -> str | None:
    """DRF's datetime format: ISO 8601, UTC written as Z."""
    if value is None:
        return None
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _tags(value: Any) -> list[str]:
    # Django's cursor hands jsonb over as text (JSONField parses it); parse it the same way.
    return json.loads(value) if isinstance(value, str) else value


def _person(pid: Any, email: str | None, first: str | None, last: str | None) -> dict[str, Any] | None:
    if pid is None:
        return None
    return {"id": str(pid), "email": email, "name": f"{first} {last}".strip() or email}


def _json(data: Any, status: int = 200) -> HttpResponse:
    body = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return HttpResponse(body.encode(), status=status, content_type="application/json")


def _sla_block(policy_id: Any, policy_name: str | None, clocks: Any, paused: bool | None, now: Any) -> Any:
    """The staff's `sla` block of a row (None without a policy), by the product's presenter."""
    if policy_id is None:
        return None
    clocks_data = json.loads(clocks) if isinstance(clocks, str) else clocks
    return sla_block(policy_id=policy_id, policy_name=policy_name, clocks_data=clocks_data, paused=paused, now=now)


def _list_where(params: Any, *, user_id: str, is_staff: bool, now: Any) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    args: list[Any] = []
    if not is_staff:
        where.append("t.customer_id = %s")
        args.append(user_id)
    for name, allowed in CHOICES.items():
        raw = params.get(name)
        if raw:
            values = [v for v in raw.split(",") if v]
            if not values or any(v not in allowed for v in values):
                raise BadRequest(f"Invalid {name}.")
            where.append(f"t.{name} = ANY(%s)")
            args.append(values)
    agent = params.get("assigned_agent")
    if agent:
        if agent == "me":
            where.append("t.assigned_agent_id = %s")
            args.append(user_id)
        elif agent == "none":
            where.append("t.assigned_agent_id IS NULL")
        else:
            try:
                args.append(str(uuid.UUID(agent)))
            except ValueError as exc:
                raise BadRequest("Invalid assigned_agent.") from exc
            where.append("t.assigned_agent_id = %s")
    escalated = params.get("escalated")
    if escalated:
        if escalated not in ("true", "false", "1", "0"):
            raise BadRequest("Invalid escalated.")
        where.append("t.escalated = %s")
        args.append(escalated in ("true", "1"))
    tag = " ".join(params.get("tag", "").split()).lower()
    if tag:
        where.append("t.tags @> %s::jsonb")  # the endpoint's containment test, which a GIN index serves
        args.append(json.dumps([tag]))
    states = [v.strip() for v in params.get("sla", "").split(",") if v.strip()]
    if states:
        if not is_staff or any(v not in SLA_STATES for v in states):
            raise BadRequest("Invalid sla.")
        clause = " OR ".join(SLA_STATES[v] for v in dict.fromkeys(states))
        args.extend([now] * clause.count("%(now)s"))
        where.append("(" + clause % {"now": "%s"} + ")")
    return where, args


def _search_document(is_staff: bool) -> str:
    # A ticket without internal notes has no public document of its own: it is its document.
    return "s.document" if is_staff else "coalesce(s.public_document, s.document)"


def _page_url(request: HttpRequest, page: int | None) -> str:
    params = request.GET.copy()
    if page is None or page == 1:
        params.pop("page", None)
    else:
        params["page"] = str(page)
    query = urlencode(sorted(params.lists()), doseq=True) if params else ""
    return request.build_absolute_uri(request.path) + (f"?{query}" if query else "")


def ticket_list(request: HttpRequest) -> HttpResponse:
    """The ticket list (GET /api/support/tickets/) as one SQL statement."""
    viewer = _viewer(request)
    if viewer is None:
        return _error(401, "not_authenticated", "Authentication credentials were not provided or are invalid.")
    user_id, is_staff = viewer
    params = request.GET
    now = dt.datetime.now(dt.UTC)
    updated = "activity_at" if is_staff else "updated_at"
    try:
        page = int(params.get("page", "1"))
        page_size = min(100, int(params.get("page_size", "10")))
        if page < 1 or page_size < 1:
            raise ValueError
        where, args = _list_where(params, user_id=user_id, is_staff=is_staff, now=now)
        ordering = params.get("ordering") or "-created_at"
        if ordering not in ORDERINGS or (ordering in STAFF_ONLY_ORDERINGS and not is_staff):
            raise BadRequest("Invalid ordering.")
        order_sql = ORDERINGS[ordering].format(updated=updated)
        search = " ".join(params.get("search", "").split())
    except (ValueError, BadRequest) as exc:
        return _error(400, "validation_error", str(exc) or "Invalid page.")
    offset = (page - 1) * page_size
    where_sql = " AND ".join(where) or "TRUE"
    if search:
        # The newest SEARCH_CANDIDATES + 1 matches with their rank; a page of the first 1,000 in
        # relevance order (or the order asked for); the count is theirs.
        document, tsquery = _search_document(is_staff), "websearch_to_tsquery('english', %s)"
        head = f"""WITH cand AS (
            SELECT t.*, ts_rank({document}, {tsquery}) AS rank
            FROM support_ticketsearch s JOIN support_ticket t ON t.id = s.ticket_id
            WHERE {where_sql} AND {document} @@ {tsquery}
            ORDER BY s.created_at DESC, s.ticket_id DESC LIMIT {SEARCH_CANDIDATES + 1})"""
        order_sql = order_sql if "ordering" in params else "t.rank DESC, t.created_at DESC, t.id DESC"
        page_sql = f"""SELECT * FROM (SELECT * FROM cand t ORDER BY t.created_at DESC, t.id DESC
            LIMIT {SEARCH_CANDIDATES}) t ORDER BY {order_sql} LIMIT %s OFFSET %s"""
        count_sql, exact_up_to = "SELECT count(*) FROM cand", SEARCH_CANDIDATES
        head_args, count_args, page_args = [search, *args, search], [], []
    else:
        head = ""
        page_sql = f"SELECT t.* FROM support_ticket t WHERE {where_sql} ORDER BY {order_sql} LIMIT %s OFFSET %s"
        count_sql = (
            f"SELECT count(*) FROM (SELECT 1 FROM support_ticket t WHERE {where_sql} LIMIT {COUNT_EXACT_UP_TO + 1}) n"
        )
        exact_up_to = COUNT_EXACT_UP_TO
        head_args, count_args, page_args = [], args, args
    hidden = "" if is_staff else " AND NOT m.is_internal"
    unread = (
        "m.is_from_customer AND NOT m.read_by_staff"
        if is_staff
        else ("NOT m.is_from_customer AND NOT m.is_internal AND NOT m.read_by_customer")
    )
    # Staff rows carry their SLA state; a customer's never do.
    sla_cols, sla_joins = "NULL, NULL, NULL, NULL", ""
    if is_staff:
        sla_cols = "p.id, p.name, sla.clocks, sla.paused"
        sla_joins = """LEFT JOIN sla_ticketsla sla ON sla.ticket_id = t.id
        LEFT JOIN sla_slapolicy p ON p.id = sla.policy_id"""
    # The page's ids are chosen first (a deferred join), so the snippet and unread subqueries
    # run for the rows of the page only, never for the rows skipped or sorted away. One row more
    # than the page tells whether there is a next page.
    sql = f"""{head}
        SELECT t.id, t.number, t.title, t.status, t.priority, t.category, t.escalated, t.source, t.tags,
               t.created_at, t.{updated}, t.closed_at,
               a.id, a.email, a.first_name, a.last_name, c.id, c.email, c.first_name, c.last_name,
               fw.id, fw.number, fw.title,
               (SELECT SUBSTRING(m.message_text, 1, {SNIPPET_LENGTH}) FROM support_message m
                 WHERE m.ticket_id = t.id{hidden} ORDER BY m.created_at DESC, m.id DESC LIMIT 1),
               (SELECT COUNT(*) FROM support_message m WHERE m.ticket_id = t.id AND {unread}),
               ({count_sql}),
               {sla_cols}
        FROM ({page_sql}) t
        JOIN accounts_user c ON c.id = t.customer_id
        LEFT JOIN accounts_user a ON a.id = t.assigned_agent_id
        LEFT JOIN support_ticket fw ON fw.id = t.follows_id
        {sla_joins}
        ORDER BY {order_sql}
    """
    with connection.cursor() as cur:
        cur.execute(sql, [*head_args, *count_args, *page_args, page_size + 1, offset])
        rows = cur.fetchall()
    has_next = len(rows) > page_size
    rows = rows[:page_size]
    if not rows and page > 1:
        return _error(404, "not_found", "Invalid page.")
    counted = rows[0][25] if rows else 0
    exact = counted <= exact_up_to or not has_next
    count = max(counted, offset + len(rows) + has_next) if has_next else offset + len(rows)
    results = []
    for r in rows:
        item = {
            "id": str(r[0]),
            "number": r[1],
            "title": r[2],
            "status": r[3],
            "priority": r[4],
            "category": r[5],
            "escalated": r[6],
            "assigned_agent": _person(r[12], r[13], r[14], r[15]),
            "customer": _person(r[16], r[17], r[18], r[19]),
            "source": r[7],
            "tags": _tags(r[8]),
            "last_message_snippet": r[23],
            "unread_count": r[24],
            "created_at": _dt(r[9]),
            "updated_at": _dt(r[10]),
            "closed_at": _dt(r[11]),
            "follows": {"id": str(r[20]), "number": r[21], "title": r[22]} if r[20] is not None else None,
        }
        if is_staff:
            item["sla"] = _sla_block(r[26], r[27], r[28], r[29], now)
        results.append(item)
    return _json(
        {
            "count": count,
            "count_exact": exact,
            "next": _page_url(request, page + 1) if has_next else None,
            "previous": _page_url(request, page - 1) if page > 1 else None,
            "results": results,
        }
    )


def _brief_person(pid: Any, email: str | None, first: str | None, last: str | None, is_staff: bool) -> Any:
    """A message's sender or the staff member who entered it (`person`)."""
    if pid is None:
        return None
    return {"id": str(pid), "name": f"{first or ''} {last or ''}".strip() or (email or ""), "is_staff": is_staff}


def ticket_detail(request: HttpRequest, ticket_id: str) -> HttpResponse:
    """Ticket detail (GET /api/support/tickets/{id}/) as one SQL statement: the ticket, its
    visible messages with senders and attachments, and marking them read for the viewer's side;
    for staff its SLA state too."""
    viewer = _viewer(request)
    if viewer is None:
        return _error(401, "not_authenticated", "Authentication credentials were not provided or are invalid.")
    user_id, is_staff = viewer
    try:
        pk = str(uuid.UUID(ticket_id))
    except ValueError:
        return _error(404, "ticket_not_found", "Ticket not found.")
    if is_staff:
        visible, hidden = "", ""
        mark = "m.is_from_customer AND NOT m.read_by_staff"
        read_cols = "m.read_by_customer, (m.read_by_staff OR m.is_from_customer)"
        mark_set = "read_by_staff = true"
        updated = "activity_at"
        sla_cols = "p.id, p.name, sla.clocks, sla.paused"
        sla_joins = """LEFT JOIN sla_ticketsla sla ON sla.ticket_id = tk.id
        LEFT JOIN sla_slapolicy p ON p.id = sla.policy_id"""
    else:
        visible, hidden = " AND t.customer_id = %(user)s", " AND NOT m.is_internal"
        mark = "NOT m.is_from_customer AND NOT m.is_internal AND NOT m.read_by_customer"
        read_cols = "(m.read_by_customer OR NOT m.is_from_customer), m.read_by_staff"
        mark_set = "read_by_customer = true"
        updated = "updated_at"
        sla_cols, sla_joins = "NULL, NULL, NULL, NULL", ""
    sql = f"""
        WITH tk AS (
            SELECT t.* FROM support_ticket t WHERE t.id = %(id)s{visible}
        ), marked AS (
            UPDATE support_message m SET {mark_set}
            WHERE m.ticket_id = (SELECT id FROM tk) AND {mark}
            RETURNING 1
        )
        SELECT tk.id, tk.title, tk.category, tk.status, tk.priority, tk.escalated, tk.source, tk.tags,
               tk.created_at, tk.{updated}, tk.closed_at,
               c.id, c.email, c.first_name, c.last_name, a.id, a.email, a.first_name, a.last_name,
               m.id, m.message_text, m.created_at, m.is_from_customer, m.is_internal, {read_cols},
               s.id, s.email, s.first_name, s.last_name, s.is_staff,
               f.id, f.uploaded_by_id, f.filename, f.file_size, f.content_type, f.created_at,
               tk.number, fw.id, fw.number, fw.title, m.via, m.email_from,
               e.id, e.email, e.first_name, e.last_name, e.is_staff,
               {sla_cols}
        FROM tk
        JOIN accounts_user c ON c.id = tk.customer_id
        LEFT JOIN accounts_user a ON a.id = tk.assigned_agent_id
        LEFT JOIN support_ticket fw ON fw.id = tk.follows_id
        {sla_joins}
        LEFT JOIN support_message m ON m.ticket_id = tk.id{hidden}
        LEFT JOIN accounts_user s ON s.id = m.sender_id
        LEFT JOIN accounts_user e ON e.id = m.entered_by_id
        LEFT JOIN support_attachment f ON f.message_id = m.id
        ORDER BY m.created_at, m.id, f.created_at, f.id
    """
    with connection.cursor() as cur:
        cur.execute(sql, {"id": pk, "user": user_id})
        rows = cur.fetchall()
    if not rows:
        return _error(404, "ticket_not_found", "Ticket not found.")
    r = rows[0]
    messages: list[dict[str, Any]] = []
    by_id: dict[Any, dict[str, Any]] = {}
    for row in rows:
        mid = row[19]
        if mid is None:
            continue
        message = by_id.get(mid)
        if message is None:
            message = {
                "id": str(mid),
                "ticket": pk,
                "sender": _brief_person(row[26], row[27], row[28], row[29], row[30]),
                "message_text": row[20],
                "created_at": _dt(row[21]),
                "is_from_customer": row[22],
                "is_internal": row[23],
                "read_by_customer": row[24],
                "read_by_staff": row[25],
                "entered_by": _brief_person(row[43], row[44], row[45], row[46], row[47]),
                "via": row[41],
                "email_from": row[42],
                "attachments": [],
            }
            by_id[mid] = message
            messages.append(message)
        if row[31] is not None:
            message["attachments"].append(
                {
                    "id": str(row[31]),
                    "ticket": pk,
                    "message": str(mid),
                    "uploaded_by": str(row[32]) if row[32] else None,
                    "filename": row[33],
                    "file_size": row[34],
                    "content_type": row[35],
                    "is_image": row[35] in IMAGE_TYPES,
                    "created_at": _dt(row[36]),
                    "download_url": f"/api/support/attachments/{row[31]}/download/",
                }
            )
    data = {
        "id": str(r[0]),
        "number": r[37],
        "title": r[1],
        "customer": _person(r[11], r[12], r[13], r[14]),
        "category": r[2],
        "status": r[3],
        "priority": r[4],
        "assigned_agent": _person(r[15], r[16], r[17], r[18]),
        "escalated": r[5],
        "source": r[6],
        "tags": _tags(r[7]),
        "created_at": _dt(r[8]),
        "updated_at": _dt(r[9]),
        "closed_at": _dt(r[10]),
        "follows": {"id": str(r[38]), "number": r[39], "title": r[40]} if r[38] is not None else None,
        "messages": messages,
    }
    if is_staff:
        data["sla"] = _sla_block(r[48], r[49], r[50], r[51], dt.datetime.now(dt.UTC))
    return _json(data)
