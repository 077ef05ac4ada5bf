"""Page-number pagination per SPEC: `page` (default 1), `page_size` (default 10, at most 100).

A `page` or `page_size` that is not a positive whole number is a `validation_error`; a larger
`page_size` is capped at 100; a page past the last one is `not_found`.
"""

from __future__ import annotations

from typing import Any

from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

from desk.core.errors import ValidationFailed


def _positive_whole_number(value: str) -> bool:
    return value.isascii() and value.isdigit() and value.strip("0") != ""


class StandardPagination(PageNumberPagination):
    page_size = 10
    page_size_query_param = "page_size"
    max_page_size = 100
    invalid_page_message = "There is no page {page_number}."

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any] | None:
        page = request.query_params.get(self.page_query_param)
        if page is not None and page not in self.last_page_strings and not _positive_whole_number(page):
            raise ValidationFailed.field(self.page_query_param, "The page must be a whole number from 1.")
        size = request.query_params.get(self.page_size_query_param)
        if size is not None and not _positive_whole_number(size):
            raise ValidationFailed.field(
                self.page_size_query_param, f"The page size must be a whole number from 1 to {self.max_page_size}."
            )
        return super().paginate_queryset(queryset, request, view)
