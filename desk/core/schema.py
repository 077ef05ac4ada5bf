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
    413: "The body is larger than this endpoint takes (`file_too_large`).",
    415: "The body is not in a format this endpoint takes (`unsupported_media_type`).",
    429: "Rate limit exceeded (`rate_limit_exceeded`); see `Retry-After`.",
}


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    return {code: OpenApiResponse(ErrorSerializer, description=_DESCRIPTIONS[code]) for code in statuses}


def page_of(item: type[serializers.Serializer], name: str) -> type[serializers.Serializer]:
    """The schema of one page of a paginated list (SPEC: `{"count", "next", "previous", "results"}`)."""
    fields = {
        "count": serializers.IntegerField(help_text="Items matching the query, on all pages."),
        "next": serializers.URLField(allow_null=True, help_text="The next page, or null on the last."),
        "previous": serializers.URLField(allow_null=True, help_text="The previous page, or null on the first."),
        "results": item(many=True),
    }
    return type(name, (serializers.Serializer,), fields)


def document_query_refusals(result: dict, generator: object, request: object, public: bool) -> dict:
    """Every operation can answer 400: the NUL-character guard (`NullCharacterGuardMiddleware`)
    refuses a query string holding one before any view sees it, whatever the parameter."""
    error = {
        "description": _DESCRIPTIONS[400],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            operation["responses"].setdefault("400", error)
    return result
