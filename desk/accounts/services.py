"""Writes on users: registration, sign-in limits, sign-out, password change and reset."""

from __future__ import annotations

import hashlib
import logging
import time
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from desk.accounts.authentication import refresh_token_for
from desk.accounts.models import Role, User, normalize_email
from desk.core.errors import RateLimitExceeded, ValidationFailed
from desk.core.ratelimit import counter_add, counter_clear, counter_get

logger = logging.getLogger(__name__)


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
    user = User(email=email, first_name=first_name.strip(), last_name=last_name.strip(), role=role)
    _check_password(password, user)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # a concurrent registration with the same email won the race
        raise ValidationFailed.field("email", "A user with this email already exists.") from exc
    return user


def user_register(*, email: str, password: str, first_name: str = "", last_name: str = "") -> User:
    """Self-registration always makes a customer; staff accounts come from an admin."""
    return user_create(email=email, password=password, first_name=first_name, last_name=last_name)


# --- sign-in limits -------------------------------------------------------------------------


def _account_key(email: str) -> str:
    # A digest keeps email addresses out of the cache's keys.
    return "login-fail:acct:" + hashlib.sha256(normalize_email(email).encode()).hexdigest()[:32]


def login_guard(*, email: str, address: str) -> None:
    """Refuse a sign-in attempt (429) while the account or the client address has had too many
    recent failures. Checked before the password, so a locked account reveals nothing."""
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    for key, limit in (
        (_account_key(email), settings.LOGIN_FAILURES_PER_ACCOUNT),
        (f"login-fail:ip:{address}", settings.LOGIN_FAILURES_PER_IP),
    ):
        count, reset_at = counter_get(key, window=window)
        if count >= limit:
            wait = max(1, int(reset_at - time.time()))
            raise RateLimitExceeded(f"Too many failed sign-ins; try again in {wait} s.", retry_after=wait)


def login_failed(*, email: str, address: str) -> None:
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    counter_add(_account_key(email), window=window)
    counter_add(f"login-fail:ip:{address}", window=window)


def login_succeeded(*, email: str) -> None:
    counter_clear(_account_key(email), window=settings.LOGIN_FAILURE_WINDOW_SECONDS)


# --- sessions -------------------------------------------------------------------------------


def token_pair_for(user: User) -> dict[str, str]:
    refresh = refresh_token_for(user)
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


def session_end(*, refresh: str) -> None:
    """Sign out: the refresh token stops working. An unusable token is already signed out."""
    try:
        RefreshToken(refresh).blacklist()
    except TokenError:
        pass


def sessions_revoke_all(*, user: User) -> None:
    """End every session of the user: refresh tokens are blacklisted, and every token carrying the
    old token version is refused (DeskJWTAuthentication)."""
    User.objects.filter(pk=user.pk).update(token_version=F("token_version") + 1)
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
    from desk.notifications.services import email_record

    email = normalize_email(email)
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        return
    sent = counter_add("password-reset:" + hashlib.sha256(email.encode()).hexdigest()[:32], window=3600)
    if sent > settings.PASSWORD_RESETS_PER_ACCOUNT:
        logger.info("Password reset for %s not sent: hourly limit reached.", user.pk)
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    context: dict[str, Any] = {
        "recipient_name": user.first_name or user.name,
        "reset_url": f"{settings.SITE_URL}/reset-password?uid={uid}&token={token}",
        "valid_minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
    }
    with transaction.atomic():
        email_record(
            recipient=user,
            kind="password_reset",
            subject="Reset your Support Desk password",
            body_text=render_to_string("accounts/password_reset.txt", context),
            body_html=render_to_string("accounts/password_reset.html", context),
        )


def password_reset_confirm(*, uid: str, token: str, new_password: str) -> User:
    """Set a new password from a reset link. The link works once (the token is bound to the old
    password) and expires after PASSWORD_RESET_TIMEOUT; every session ends."""
    invalid = ValidationFailed.field("token", "This reset link is invalid, expired or already used.")
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uid)), is_active=True)
    except (User.DoesNotExist, ValueError, TypeError, OverflowError, DjangoValidationError) as exc:
        raise invalid from exc
    if not default_token_generator.check_token(user, token):
        raise invalid
    _check_password(new_password, user)
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        sessions_revoke_all(user=user)
    return user
