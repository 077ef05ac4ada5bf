"""Writes on users: registration and staff accounts."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction

from desk.accounts.models import Role, User, normalize_email
from desk.core.errors import ValidationFailed


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
