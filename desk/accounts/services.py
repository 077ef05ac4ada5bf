"""Writes on users: registration, sign-in limits, sign-out, password change and reset, and the
admins' management of accounts (create; change role, name or active flag), each audited.

A change to an account that other domains must follow (someone leaves the staff: their tickets
go back to the queue) is the flow `desk.people.flows.user_update`, built on `user_change_apply`."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from rest_framework_simplejwt.exceptions import TokenBackendError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.state import token_backend
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.utils import datetime_from_epoch

from desk.accounts.authentication import SESSION_CLAIM, refresh_token_for, token_is_current
from desk.accounts.events import PasswordResetRequested, SessionEnded, SessionsEnded
from desk.accounts.models import STAFF_ROLES, Attempt, AttemptKind, RevokedSession, Role, User, normalize_email
from desk.accounts.permissions import ensure_admin, ensure_may_change_user
from desk.core.audit import audit_record
from desk.core.errors import NotAuthenticated, RateLimitExceeded, ValidationFailed
from desk.core.events import publish
from desk.core.text import single_line

logger = logging.getLogger(__name__)

PASSWORD_RESET_WINDOW = 3600  # PASSWORD_RESETS_PER_ACCOUNT emails per address per hour


def _check_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user=user)
    except DjangoValidationError as exc:
        raise ValidationFailed(exc.messages[0], details={"password": list(exc.messages)}) from exc


def user_create(
    *,
    email: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    role: Role = Role.CUSTOMER,
) -> User:
    """Create an account; the password goes through Django's validators."""
    email = normalize_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationFailed.field("email", "A user with this email already exists.")
    user = User(email=email, first_name=single_line(first_name), last_name=single_line(last_name), role=role)
    _check_password(password, user)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # a concurrent registration with the same email won the race
        raise ValidationFailed.field("email", "A user with this email already exists.") from exc
    return user


def customer_for_contact(*, email: str, name: str = "", actor: User | None = None) -> User:
    """The customer-side account of someone who reached us without signing up (a phone call, an
    email): found by their email, or made without a usable password (they set one through a
    password reset to sign in). Refuses a staff or deactivated account's email."""
    email = normalize_email(email)
    try:
        validate_email(email)
    except DjangoValidationError as exc:
        raise ValidationFailed.field("customer_email", "Enter a valid email address.") from exc
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        if existing.is_staff:
            raise ValidationFailed.field("customer_email", "This email belongs to a staff account.")
        if not existing.is_active:
            raise ValidationFailed.field("customer_email", "This customer's account is deactivated.")
        return existing
    first, _, last = single_line(name).partition(" ")
    user = User(
        email=email, first_name=first[:NAME_MAX_LENGTH], last_name=last.strip()[:NAME_MAX_LENGTH], role=Role.CUSTOMER
    )
    user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # made by a concurrent request a moment ago
        return User.objects.get(email__iexact=email)
    audit_record(actor=actor, action="user.created_for_contact", target=user, details={"role": user.role})
    return user


def user_register(*, email: str, password: str, first_name: str = "", last_name: str = "") -> User:
    """Self-registration always makes a customer; staff accounts come from an admin."""
    return user_create(email=email, password=password, first_name=first_name, last_name=last_name)


# --- sign-in limits -------------------------------------------------------------------------
#
# Failed sign-ins are counted in the database (`Attempt`), per account and per client address,
# over a sliding window: they hold across server processes and when the cache is down. A locked
# account is refused even with the right password (guessing it is what the lock stops). A busy
# address (many people behind one proxy, or someone guessing) has its wrong guesses refused, but
# never a correct password for an account that is not locked itself.

ADDRESS_BUSY = "Too many failed sign-ins from your network; try again {wait}."
ACCOUNT_LOCKED = "Too many failed sign-ins; try again {wait}."


def _digest(kind: str, value: str) -> str:
    # A digest keeps email addresses and client addresses out of the table.
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


def account_key(email: str) -> str:
    """How an account is named in counters and limits: a digest of its normalized email."""
    return _digest("account", normalize_email(email))


def _address_key(address: str) -> str:
    return _digest("address", address)


def _recent(kind: str, key: str, *, window: int, limit: int) -> list[Any]:
    """When the last `limit` attempts against `key` within the window were made, oldest first."""
    since = timezone.now() - timedelta(seconds=window)
    times = Attempt.objects.filter(kind=kind, key=key, created_at__gte=since).order_by("-created_at")
    return sorted(times.values_list("created_at", flat=True)[:limit])


def _wait(times: list[Any], *, window: int) -> float:
    """Seconds until the oldest of these attempts leaves the window."""
    return (times[0] + timedelta(seconds=window) - timezone.now()).total_seconds()


@dataclass(frozen=True)
class SignInGuard:
    address_busy: bool
    address_wait: float = 0.0


def sign_in_guard(*, email: str, address: str) -> SignInGuard:
    """Refuse (429) a sign-in for an account with too many recent failures: checked before the
    password, so a locked account reveals nothing. Says whether the address is over its budget."""
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    limit = settings.LOGIN_FAILURES_PER_ACCOUNT
    account = _recent(AttemptKind.SIGN_IN_FAILED, account_key(email), window=window, limit=limit)
    if len(account) >= limit:
        raise RateLimitExceeded(ACCOUNT_LOCKED, retry_after=_wait(account, window=window))
    limit = settings.LOGIN_FAILURES_PER_IP
    nearby = _recent(AttemptKind.SIGN_IN_FAILED, _address_key(address), window=window, limit=limit)
    if len(nearby) >= limit:
        return SignInGuard(address_busy=True, address_wait=_wait(nearby, window=window))
    return SignInGuard(address_busy=False)


def sign_in_failed(*, email: str, address: str, guard: SignInGuard) -> None:
    """Count a failed sign-in against the account and the address. From a busy address the
    answer is 429 rather than 401."""
    Attempt.objects.bulk_create(
        [
            Attempt(kind=AttemptKind.SIGN_IN_FAILED, key=account_key(email)),
            Attempt(kind=AttemptKind.SIGN_IN_FAILED, key=_address_key(address)),
        ]
    )
    if guard.address_busy:
        raise RateLimitExceeded(ADDRESS_BUSY, retry_after=guard.address_wait)


def sign_in_succeeded(*, email: str) -> None:
    """The account's failures are forgotten (the address's are not)."""
    Attempt.objects.filter(kind=AttemptKind.SIGN_IN_FAILED, key=account_key(email)).delete()


def attempts_purge() -> int:
    """Delete attempts too old to count for any limit."""
    longest = max(settings.LOGIN_FAILURE_WINDOW_SECONDS, PASSWORD_RESET_WINDOW)
    deleted, _ = Attempt.objects.filter(created_at__lt=timezone.now() - timedelta(seconds=longest)).delete()
    # A revoked session's last refresh token expires at most a refresh lifetime after the revocation.
    expired = timezone.now() - api_settings.REFRESH_TOKEN_LIFETIME
    revoked, _ = RevokedSession.objects.filter(revoked_at__lt=expired).delete()
    return deleted + revoked


# --- sessions -------------------------------------------------------------------------------


def token_pair_for(user: User) -> dict[str, str]:
    refresh = refresh_token_for(user)
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


SESSION_ENDED = "This session has ended; please sign in again."


def _refresh_payload(raw: str) -> dict[str, Any] | None:
    """The claims of a refresh token whose signature and expiry hold (no query)."""
    try:
        payload = token_backend.decode(raw, verify=True)
    except TokenBackendError:
        return None
    if payload.get("token_type") != "refresh" or not payload.get(api_settings.JTI_CLAIM):
        return None
    return payload


def refresh_token_subject(raw: str) -> str | None:
    """The account a refresh token was issued to, if its signature and expiry hold (no query)."""
    payload = _refresh_payload(raw) if raw else None
    subject = payload.get(api_settings.USER_ID_CLAIM) if payload else None
    return str(subject) if subject else None


def _outstanding(payload: dict[str, Any], raw: str, user: User) -> OutstandingToken:
    token, _ = OutstandingToken.objects.get_or_create(
        jti=payload[api_settings.JTI_CLAIM],
        defaults={
            "user": user,
            "token": raw,
            "created_at": timezone.now(),
            "expires_at": datetime_from_epoch(payload["exp"]),
        },
    )
    return token


def _claim(token: OutstandingToken) -> bool:
    """Blacklist the token unless it already is: true for the one caller that did. The unique
    row decides, so of concurrent callers with the same token exactly one wins."""
    try:
        with transaction.atomic():
            BlacklistedToken.objects.create(token=token)
    except IntegrityError:
        return False
    return True


def session_refresh(*, refresh: str) -> dict[str, str]:
    """Rotate a refresh token: a new pair for the same session, and the old token never works
    again. Of concurrent refreshes with one token exactly one succeeds. A rotated token used
    again after REFRESH_REUSE_GRACE_SECONDS was copied: its whole session ends, so whoever holds
    the newest token of that session (the thief or the owner) must sign in again."""
    payload = _refresh_payload(refresh)
    if payload is None:
        raise NotAuthenticated("This refresh token is not valid.")
    user = User.objects.filter(pk=payload.get(api_settings.USER_ID_CLAIM)).first()
    if user is None or not user.is_active or not token_is_current(payload, user):
        raise NotAuthenticated(SESSION_ENDED)
    sid = str(payload.get(SESSION_CLAIM) or payload[api_settings.JTI_CLAIM])
    with transaction.atomic():
        if RevokedSession.objects.filter(sid=sid).exists():
            raise NotAuthenticated(SESSION_ENDED)
        token = _outstanding(payload, refresh, user)
        if _claim(token):
            new = refresh_token_for(user, session=sid)
            return {"access": str(new.access_token), "refresh": str(new)}
        rotated_at = BlacklistedToken.objects.get(token=token).blacklisted_at
        reused = timezone.now() - rotated_at > timedelta(seconds=settings.REFRESH_REUSE_GRACE_SECONDS)
        if reused:
            RevokedSession.objects.get_or_create(sid=sid, defaults={"user": user})
            publish(SessionEnded(user_id=user.pk, session=sid))
            logger.warning("Refresh token reused for user %s: session %s ended.", user.pk, sid[:8])
    raise NotAuthenticated(SESSION_ENDED)


def session_end(*, refresh: str) -> None:
    """Sign out: the refresh token stops working and the session's live connections close. An
    unusable token is already signed out."""
    payload = _refresh_payload(refresh)
    if payload is None:
        return
    user = User.objects.filter(pk=payload.get(api_settings.USER_ID_CLAIM)).first()
    if user is None:
        return
    with transaction.atomic():
        _claim(_outstanding(payload, refresh, user))
        if payload.get(SESSION_CLAIM):
            publish(SessionEnded(user_id=user.pk, session=str(payload[SESSION_CLAIM])))


def sessions_revoke_all(*, user: User) -> None:
    """End every session of the user: refresh tokens are blacklisted, every token carrying the
    old token version is refused (DeskJWTAuthentication), and once this commits the user's live
    connections are closed (they may reconnect only with a token issued after this). Runs inside
    the caller's transaction."""
    User.objects.filter(pk=user.pk).update(token_version=F("token_version") + 1)
    publish(SessionsEnded(user_id=user.pk))
    user.refresh_from_db(fields=["token_version"])
    outstanding = OutstandingToken.objects.filter(user=user).exclude(blacklistedtoken__isnull=False)
    BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in outstanding], ignore_conflicts=True
    )


def password_change(*, user: User, current_password: str, new_password: str) -> dict[str, str]:
    """Change the password after checking the current one; every other session ends. Returns a
    fresh token pair for the session that made the change."""
    if not user.check_password(current_password):
        raise ValidationFailed.field("current_password", "The current password is not correct.")
    _check_password(new_password, user)
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        sessions_revoke_all(user=user)
    return token_pair_for(user)


# --- password reset -------------------------------------------------------------------------


def password_reset_request(*, email: str) -> None:
    """Email a one-time, expiring reset link if an active account has this email. Says nothing
    about whether it does; at most PASSWORD_RESETS_PER_ACCOUNT emails per hour per address."""
    email = normalize_email(email)
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        return
    key = account_key(email)
    limit = settings.PASSWORD_RESETS_PER_ACCOUNT
    if len(_recent(AttemptKind.PASSWORD_RESET, key, window=PASSWORD_RESET_WINDOW, limit=limit)) >= limit:
        logger.info("Password reset for %s not sent: hourly limit reached.", user.pk)
        return
    Attempt.objects.create(kind=AttemptKind.PASSWORD_RESET, key=key)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    with transaction.atomic():
        publish(
            PasswordResetRequested(
                user=user,
                reset_url=f"{settings.SITE_URL}/reset-password?uid={uid}&token={token}",
                valid_minutes=settings.PASSWORD_RESET_TIMEOUT // 60,
            )
        )


RESET_LINK_INVALID = "This reset link is invalid, expired or already used."


def _reset_link_user(uid: str, token: str) -> User | None:
    """The account a reset link is for, while the link still works (once, until it expires)."""
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uid)), is_active=True)
    except (User.DoesNotExist, ValueError, TypeError, OverflowError, DjangoValidationError):
        return None
    return user if default_token_generator.check_token(user, token) else None


def password_reset_link_works(*, uid: str, token: str) -> bool:
    """Whether a reset link can still set a password (the page asks before showing its form)."""
    return _reset_link_user(uid, token) is not None


def password_reset_confirm(*, uid: str, token: str, new_password: str) -> User:
    """Set a new password from a reset link. The link works once (the token is bound to the old
    password) and expires after PASSWORD_RESET_TIMEOUT; every session ends."""
    user = _reset_link_user(uid, token)
    if user is None:
        raise ValidationFailed.field("token", RESET_LINK_INVALID)
    _check_password(new_password, user)
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        sessions_revoke_all(user=user)
    return user


# --- managing users (admins) ----------------------------------------------------------------

USER_EDITABLE_FIELDS = ("first_name", "last_name", "role", "is_active", "triage")
NAME_MAX_LENGTH = 150


def _clean_name(field: str, value: Any) -> str:
    if not isinstance(value, str):
        raise ValidationFailed.field(field, "Give the name as text.")
    value = single_line(value)
    if len(value) > NAME_MAX_LENGTH:
        raise ValidationFailed.field(field, f"At most {NAME_MAX_LENGTH} characters.")
    return value


def _clean_role(value: Any) -> Role:
    if value not in Role.values:
        raise ValidationFailed.field("role", f"Choose one of: {', '.join(Role.values)}.")
    return Role(value)


def user_create_by_admin(
    *, actor: User, email: str, password: str, role: str, first_name: str = "", last_name: str = ""
) -> User:
    """An admin opens an account with any role (how staff accounts are made); audited."""
    ensure_admin(actor)
    with transaction.atomic():
        user = user_create(
            email=email,
            password=password,
            first_name=_clean_name("first_name", first_name),
            last_name=_clean_name("last_name", last_name),
            role=_clean_role(role),
        )
        if user.is_admin:
            user.is_superuser = True  # like `createsuperuser`: an admin may also use Django admin
            user.save(update_fields=["is_superuser"])
        audit_record(actor=actor, action="user.created", target=user, details={"email": user.email, "role": user.role})
    return user


@dataclass(frozen=True)
class UserChange:
    """What `user_change_apply` changed: field -> [before, after]."""

    user: User
    diff: dict[str, list[Any]]
    was_active_staff: bool

    @property
    def left_active_staff(self) -> bool:
        """The user was active staff and is no longer (a new role, or deactivated)."""
        return self.was_active_staff and not (self.user.is_staff and self.user.is_active)

    @property
    def became_customer_side(self) -> bool:
        return "role" in self.diff and self.user.is_customer_side


def user_change_apply(*, actor: User, user: User, changes: dict[str, Any]) -> UserChange:
    """An admin changes a user's name, role or active flag (inside the caller's transaction).

    An admin cannot change their own role or deactivate themselves (so there is always an
    admin). A new role or a deactivation ends every session of the user, live connections
    included. The audit entry is the caller's (`user_change_record`), once the other domains
    have followed the change."""
    ensure_admin(actor)
    unknown = sorted(set(changes) - set(USER_EDITABLE_FIELDS))
    if unknown:
        raise ValidationFailed(
            f"These fields cannot be changed here: {', '.join(unknown)}.",
            details={name: ["This field cannot be changed here."] for name in unknown},
        )
    wanted: dict[str, Any] = {}
    for field in ("first_name", "last_name"):
        if field in changes:
            wanted[field] = _clean_name(field, changes[field])
    if "role" in changes:
        wanted["role"] = _clean_role(changes["role"])
    if "is_active" in changes:
        if not isinstance(changes["is_active"], bool):
            raise ValidationFailed.field("is_active", "Give true or false.")
        wanted["is_active"] = changes["is_active"]
    if "triage" in changes:
        if not isinstance(changes["triage"], bool):
            raise ValidationFailed.field("triage", "Give true or false.")
        wanted["triage"] = changes["triage"]
    ensure_may_change_user(actor=actor, user=user, wanted=wanted)

    user = User.objects.select_for_update().get(pk=user.pk)
    role_after = wanted.get("role", user.role)
    if wanted.get("triage") and role_after not in STAFF_ROLES:
        raise ValidationFailed.field("triage", "Only staff can be in the triage group.")
    if role_after not in STAFF_ROLES and user.triage:
        wanted["triage"] = False  # someone who leaves the staff leaves triage too
    before = {field: getattr(user, field) for field in wanted}
    diff = {field: [before[field], value] for field, value in wanted.items() if before[field] != value}
    was_active_staff = user.is_staff and user.is_active
    if not diff:
        return UserChange(user=user, diff={}, was_active_staff=was_active_staff)
    for field, (_, value) in diff.items():
        setattr(user, field, value)
    if "role" in diff:
        user.is_superuser = user.role == Role.ADMIN
    user.save(update_fields=[*diff, "is_staff", "is_superuser"])
    if "role" in diff or diff.get("is_active", [True, True])[1] is False:
        sessions_revoke_all(user=user)
    return UserChange(user=user, diff=diff, was_active_staff=was_active_staff)


def user_change_record(*, actor: User, change: UserChange, details: dict[str, Any] | None = None) -> None:
    """The audit entry of an account change, with what other domains did about it."""
    user, diff = change.user, change.diff
    action = "user.updated"
    if "is_active" in diff:
        action = "user.reactivated" if user.is_active else "user.deactivated"
    entry: dict[str, Any] = {"changes": {field: [str(old), str(new)] for field, (old, new) in diff.items()}}
    entry.update(details or {})
    audit_record(actor=actor, action=action, target=user, details=entry)
