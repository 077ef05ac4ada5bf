"""People: one user model for customers, service providers, agents and admins."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class Role(models.TextChoices):
    CUSTOMER = "customer", "Customer"
    PROVIDER = "provider", "Service provider"
    AGENT = "agent", "Agent"
    ADMIN = "admin", "Admin"


STAFF_ROLES = (Role.AGENT, Role.ADMIN)
CUSTOMER_ROLES = (Role.CUSTOMER, Role.PROVIDER)


def normalize_email(email: str) -> str:
    """Emails are the login: compare and store them trimmed and lower-cased."""
    return (email or "").strip().lower()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=normalize_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("role", Role.ADMIN)
        fields.setdefault("is_superuser", True)
        if fields["role"] != Role.ADMIN or not fields["is_superuser"]:
            raise ValueError("A superuser has the admin role.")
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=normalize_email(username or ""))


class User(AbstractBaseUser, PermissionsMixin):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField("email address", max_length=254, unique=True)
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.CUSTOMER)
    # Staff who hear of new tickets and of replies on tickets nobody is assigned to (the triage
    # group); while nobody is in it, every active staff member does.
    triage = models.BooleanField(default=False)
    is_staff = models.BooleanField(default=False, help_text="Agents and admins are staff; kept in step with the role.")
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # Carried in every token; raising it (password change or reset) ends every session at once.
    token_version = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="user_role_valid"),
            models.CheckConstraint(
                condition=(
                    models.Q(is_staff=True, role__in=[r.value for r in STAFF_ROLES])
                    | models.Q(is_staff=False, role__in=[r.value for r in CUSTOMER_ROLES])
                ),
                name="user_is_staff_matches_role",
            ),
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]
        indexes = [models.Index(fields=["role"], name="user_role_idx")]

    def __str__(self) -> str:
        return self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        # is_staff is derived from the role; the database constraint above guards other writers.
        # Only admins may be superusers, so that a demoted admin keeps no power in Django admin.
        self.email = normalize_email(self.email)
        self.is_staff = self.role in STAFF_ROLES
        if self.role != Role.ADMIN:
            self.is_superuser = False
        if kwargs.get("update_fields") is not None and "role" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "is_staff", "is_superuser"}
        super().save(*args, **kwargs)

    @property
    def name(self) -> str:
        full = f"{self.first_name} {self.last_name}".strip()
        return full or self.email

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.first_name or self.email

    @property
    def is_customer_side(self) -> bool:
        return self.role in CUSTOMER_ROLES

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


class AttemptKind(models.TextChoices):
    SIGN_IN_FAILED = "sign_in_failed", "Failed sign-in"
    PASSWORD_RESET = "password_reset", "Password reset requested"


class Attempt(models.Model):
    """One counted attempt (a failed sign-in, a reset request) against a key: an account or a
    client address, as a digest. Kept in the database, so the limits on guessing passwords hold
    across server processes and without the cache; old rows are purged (`attempts_purge`)."""

    id = models.BigAutoField(primary_key=True)
    kind = models.CharField(max_length=32, choices=AttemptKind.choices)
    key = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["kind", "key", "created_at"], name="attempt_key_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=AttemptKind.values), name="attempt_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key[:8]} {self.created_at:%Y-%m-%d %H:%M:%S}"


class RevokedSession(models.Model):
    """A session (one sign-in and every token rotated from it) ended on its own: its refresh
    tokens no longer rotate. Written when a rotated refresh token is used again (it was copied),
    so that neither the copy nor the original goes on; purged once its tokens have expired."""

    sid = models.CharField(max_length=64, primary_key=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    revoked_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"session {self.sid[:8]} revoked {self.revoked_at:%Y-%m-%d %H:%M:%S}"
