"""OpenAPI pieces shared by every endpoint: the error body and its responses."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    error = serializers.CharField(help_text="Machine-readable code, e.g. `validation_error`.")
    message = serializers.CharField(help_text="A sentence for people.")
    details = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Field name to the messages about that field.",
    )


_DESCRIPTIONS = {
    400: "Invalid input (`validation_error`, `file_too_large`, `invalid_file_type`).",
    401: "Missing or invalid credentials (`not_authenticated`).",
    403: "Not allowed (`permission_denied`).",
    404: "No such object, or not visible to you (`ticket_not_found`, `not_found`).",
    409: "Conflicts with the current state (`conflict`).",
    429: "Rate limit exceeded (`rate_limit_exceeded`); see `Retry-After`.",
}


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    return {code: OpenApiResponse(ErrorSerializer, description=_DESCRIPTIONS[code]) for code in statuses}
