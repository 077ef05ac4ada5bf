"""Base classes for the HTTP layer."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.views import APIView


class ThrottleFirstMixin:
    """Count the request against the rate limit before checking permissions, so that refused
    requests are limited too and every response carries the `X-RateLimit-*` headers."""

    def initial(self: Any, request: Request, *args: Any, **kwargs: Any) -> None:
        self.format_kwarg = self.get_format_suffix(**kwargs)
        request.accepted_renderer, request.accepted_media_type = self.perform_content_negotiation(request)
        request.version, request.versioning_scheme = self.determine_version(request, *args, **kwargs)
        self.perform_authentication(request)
        self.check_throttles(request)
        self.check_permissions(request)


class BaseApi(ThrottleFirstMixin, APIView):
    """An APIView with the project's defaults."""
