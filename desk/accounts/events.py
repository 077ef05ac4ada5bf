"""What the accounts domain announces, and who hears it live.

`SessionsEnded`: every session of a user ended (password change or reset, new role,
deactivation); their live connections close once it commits, before a new session can connect.
`SessionEnded`: one session ended (sign-out, or a copied refresh token): its live connections
close.
`PasswordResetRequested`: someone asked for a reset link for an active account (notifications
emails it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desk.accounts.models import User
from desk.core.events import DomainEvent, subscriber
from desk.realtime.transport import send_on_commit, session_group, user_group


@dataclass(frozen=True, slots=True)
class SessionsEnded(DomainEvent):
    name = "user.sessions_ended"
    user_id: Any


@dataclass(frozen=True, slots=True)
class SessionEnded(DomainEvent):
    name = "user.session_ended"
    user_id: Any
    session: str


@dataclass(frozen=True, slots=True)
class PasswordResetRequested(DomainEvent):
    name = "user.password_reset_requested"
    user: User
    reset_url: str
    valid_minutes: int


@subscriber(SessionsEnded)
def close_live_connections(event: SessionsEnded) -> None:
    """Only the user's own connections hear it; the socket closes itself (4401), and the wait
    keeps the caller from answering before the old sockets are told."""
    send_on_commit([user_group(event.user_id)], {"type": "session.ended"}, wait=True)


@subscriber(SessionEnded)
def close_session_connections(event: SessionEnded) -> None:
    send_on_commit([session_group(event.session)], {"type": "session.ended"}, wait=True)
