"""Base classes for the HTTP layer."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.views import APIView

from desk.core.parsers import API_PARSERS


class ThrottleFirstMixin:
    """Count the request against the rate limit before checking permissions, so that refused
    requests are limited too and every response carries the `X-RateLimit-*` headers. A request
    with a bad token is counted against its client address before it is refused."""

    parser_classes = API_PARSERS

    def initial(self: Any, request: Request, *args: Any, **kwargs: Any) -> None:
        self.format_kwarg = self.get_format_suffix(**kwargs)
        request.accepted_renderer, request.accepted_media_type = self.perform_content_negotiation(request)
        request.version, request.versioning_scheme = self.determine_version(request, *args, **kwargs)
        auth_error: APIException | None = None
        try:
            self.perform_authentication(request)
        except APIException as exc:  # request.user is now anonymous: count by client address
            auth_error = exc
        self.check_throttles(request)
        if auth_error is not None:
            raise auth_error
        self.check_permissions(request)


class BaseApi(ThrottleFirstMixin, APIView):
    # No docstring on purpose: drf-spectacular would show it as the description of every
    # endpoint that has none of its own.
    pass
