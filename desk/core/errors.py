"""Application errors: one family carrying SPEC's error code, message, details and HTTP status.

Services raise these; `desk.core.exceptions.api_exception_handler` turns them into the error body
`{"error": code, "message": sentence, "details": {field: [messages]}}`.
"""

from __future__ import annotations

import math
from typing import Any


class ApplicationError(Exception):
    code = "error"
    status_code = 400
    default_message = "The request could not be completed."

    def __init__(self, message: str | None = None, *, details: dict[str, Any] | None = None) -> None:
        self.message = message or self.default_message
        self.details = details or {}
        super().__init__(self.message)


class ValidationFailed(ApplicationError):
    code = "validation_error"
    status_code = 400
    default_message = "The request has invalid fields."

    @classmethod
    def field(cls, field: str, message: str) -> ValidationFailed:
        return cls(message, details={field: [message]})


class FileTooLarge(ApplicationError):
    code = "file_too_large"
    status_code = 400
    default_message = "The file is larger than the allowed size."


class InvalidFileType(ApplicationError):
    code = "invalid_file_type"
    status_code = 400
    default_message = "This type of file is not allowed."


class NotAuthenticated(ApplicationError):
    code = "not_authenticated"
    status_code = 401
    default_message = "Authentication credentials were not provided or are invalid."


class PermissionDenied(ApplicationError):
    code = "permission_denied"
    status_code = 403
    default_message = "You do not have permission to perform this action."


class NotFound(ApplicationError):
    code = "not_found"
    status_code = 404
    default_message = "Not found."


class TicketNotFound(NotFound):
    code = "ticket_not_found"
    default_message = "Ticket not found."


class Conflict(ApplicationError):
    code = "conflict"
    status_code = 409
    default_message = "The request conflicts with the current state."


def wait_phrase(seconds: float) -> str:
    """How long to wait, as people say it: "in 40 seconds", "in 10 minutes", "in 2 hours"."""
    seconds = max(1, math.ceil(seconds))
    if seconds < 90:
        return f"in {seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    if minutes < 90:
        return f"in {minutes} minutes"
    hours = math.ceil(minutes / 60)
    return f"in {hours} hours"


class RateLimitExceeded(ApplicationError):
    code = "rate_limit_exceeded"
    status_code = 429
    default_message = "Too many requests."

    def __init__(self, message: str | None = None, *, retry_after: float) -> None:
        """`message` may hold `{wait}`, which becomes when to try again ("in 10 minutes")."""
        self.retry_after = max(1, math.ceil(retry_after))
        text = message or "Too many requests; try again {wait}."
        super().__init__(text.replace("{wait}", wait_phrase(self.retry_after)))
