"""Page-number pagination per SPEC: `page` (default 1), `page_size` (default 10, at most 100)."""

from __future__ import annotations

from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    page_size = 10
    page_size_query_param = "page_size"
    max_page_size = 100
