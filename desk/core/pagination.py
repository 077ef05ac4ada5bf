"""Page-number pagination per SPEC: `page` (default 1), `page_size` (default 10, at most 100).

A `page` or `page_size` that is not a positive whole number is a `validation_error`; a larger
`page_size` is capped at 100; a page past the last one is `not_found`.

`StandardPagination` (DRF's, counting exactly) serves the small lists. Lists that can reach a
million rows use `queryset_page`, whose cost does not grow with the table:
- the page is fetched with one row more than asked, so `next` is known without counting;
- `count` is exact up to COUNT_EXACT_UP_TO matches; above that it is PostgreSQL's estimate, and the
  page says so with `"count_exact": false` (the one addition to SPEC's page shape);
- pages go only so deep (MAX_PAGE_OFFSET rows); beyond that, narrow the filters or reverse the order.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.utils.urls import remove_query_param, replace_query_param

from desk.core.errors import NotFound, ValidationFailed

DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 100
LAST_PAGE = "last"
COUNT_EXACT_UP_TO = 10_000
# When the planner expects more matches than this, counting them (up to COUNT_EXACT_UP_TO) is
# skipped: the answer would almost surely be "more than 10,000" anyway.
ESTIMATE_IS_LARGE = 2 * COUNT_EXACT_UP_TO
MAX_PAGE_OFFSET = 100_000


def _positive_whole_number(value: str) -> bool:
    return value.isascii() and value.isdigit() and value.strip("0") != ""


class StandardPagination(PageNumberPagination):
    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    invalid_page_message = "There is no page {page_number}."

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any] | None:
        page_request(request.query_params)  # the same validation as the large lists
        return super().paginate_queryset(queryset, request, view)


@dataclass(frozen=True)
class PageRequest:
    number: int | None  # None: the last page
    size: int


def page_request(params: Mapping[str, Any]) -> PageRequest:
    """The page asked for, validated: `page` a whole number from 1 (or `last`), `page_size` from 1
    (capped at MAX_PAGE_SIZE)."""
    page = params.get("page")
    if page is not None and page != LAST_PAGE and not _positive_whole_number(page):
        raise ValidationFailed.field("page", "The page must be a whole number from 1.")
    size = params.get("page_size")
    if size is not None and not _positive_whole_number(size):
        raise ValidationFailed.field("page_size", f"The page size must be a whole number from 1 to {MAX_PAGE_SIZE}.")
    number = None if page == LAST_PAGE else int(page or 1)
    return PageRequest(number=number, size=min(int(size or DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE))


@dataclass
class Page:
    items: list[Any]
    number: int
    size: int
    count: int
    count_exact: bool
    has_next: bool


def planner_estimate(queryset: QuerySet[Any]) -> int | None:
    """PostgreSQL's estimate of how many rows the queryset matches (no rows are read); None on
    databases without one."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def count_matching(queryset: QuerySet[Any], *, at_least: int = 0) -> tuple[int, bool]:
    """How many rows match, and whether that is exact: exact up to COUNT_EXACT_UP_TO (counting at
    most one row more), otherwise the planner's estimate, never below `at_least` (rows known to
    exist). Without an estimate (SQLite, the small embedded setup) the count is always exact."""
    estimate = planner_estimate(queryset)
    if estimate is None:
        return queryset.order_by().count(), True
    if estimate > ESTIMATE_IS_LARGE:
        return max(estimate, at_least), False
    counted = queryset.order_by().values("pk")[: COUNT_EXACT_UP_TO + 1].count()
    if counted <= COUNT_EXACT_UP_TO:
        return counted, True
    return max(estimate, counted, at_least), False


def queryset_page(matching: QuerySet[Any], request: PageRequest, *, fetch: Callable[[int, int], list[Any]]) -> Page:
    """One page of `matching` (filtered, not yet ordered or annotated): `fetch(offset, limit)`
    reads the rows themselves, ordered; the count is bounded as described above."""
    size = request.size
    number = request.number
    if number is None:
        count, exact = count_matching(matching)
        if not exact:
            raise ValidationFailed.field(
                "page",
                f"The last page of more than {COUNT_EXACT_UP_TO:,} results is not available; reverse the order instead.",
            )
        number = max(1, math.ceil(count / size))
    offset = (number - 1) * size
    if offset > MAX_PAGE_OFFSET:
        deepest = MAX_PAGE_OFFSET // size + 1
        raise ValidationFailed.field(
            "page", f"Pages go up to {deepest} at {size} per page; narrow the filters or reverse the order."
        )
    rows = fetch(offset, size + 1)
    has_next = len(rows) > size
    rows = rows[:size]
    if not rows and number > 1:
        raise NotFound(f"There is no page {number}.")
    if has_next:
        count, exact = count_matching(matching, at_least=offset + size + 1)
    else:
        count, exact = offset + len(rows), True
    has_next = has_next and offset + size <= MAX_PAGE_OFFSET  # never a link to a page that is refused
    return Page(items=rows, number=number, size=size, count=count, count_exact=exact, has_next=has_next)


def page_body(request: Request, page: Page, results: list[Any]) -> dict[str, Any]:
    """SPEC's page shape, with `count_exact`; `next` and `previous` keep the other parameters."""
    url = request.build_absolute_uri()
    previous = None
    if page.number > 1:
        previous = (
            remove_query_param(url, "page") if page.number == 2 else replace_query_param(url, "page", page.number - 1)
        )
    return {
        "count": page.count,
        "count_exact": page.count_exact,
        "next": replace_query_param(url, "page", page.number + 1) if page.has_next else None,
        "previous": previous,
        "results": results,
    }
