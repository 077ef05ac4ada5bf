"""Django admin's sign-in counts in the same failure budget as the API's (`sign_in_guard`): a
password cannot be guessed at /admin/login/ any faster than at /api/auth/token/. (The user admin
itself is `desk.people.admin`: changing an account there goes through the same flows as the API.)"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

from desk.accounts import services
from desk.core.errors import RateLimitExceeded
from desk.core.ratelimit import client_address


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    def clean(self) -> dict[str, Any]:
        email = self.cleaned_data.get("username") or ""
        address = client_address(self.request) if self.request is not None else "unknown"
        try:
            guard = services.sign_in_guard(email=email, address=address)
        except RateLimitExceeded as exc:
            raise ValidationError(exc.message, code="throttled") from exc
        try:
            cleaned = super().clean()
        except ValidationError:
            if self.user_cache is None:  # a wrong password (not a right one for an account without access)
                try:
                    services.sign_in_failed(email=email, address=address, guard=guard)
                except RateLimitExceeded as exc:
                    raise ValidationError(exc.message, code="throttled") from exc
            raise
        services.sign_in_succeeded(email=email)
        return cleaned


admin.site.login_form = ThrottledAdminAuthenticationForm
