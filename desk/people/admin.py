"""Accounts in Django admin. Changing a name, role or active flag goes through the same flow as
the users API (`flows.user_update`): sessions end, tickets go back to the queue, the audit trail
records it. Accounts are never deleted here, one by one or in bulk: deactivate them (their
tickets keep their history); customers delete their own accounts through the API."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from desk.accounts.models import User
from desk.accounts.permissions import ensure_may_change_user
from desk.core.errors import ApplicationError
from desk.people import flows

FLOW_FIELDS = ("first_name", "last_name", "role", "is_active", "triage")


class UserAdminChangeForm(UserChangeForm):
    """Refuses, as the API does, what an admin may not change (their own role or active flag)."""

    actor: User | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        wanted = {field: cleaned[field] for field in FLOW_FIELDS if field in self.changed_data and field in cleaned}
        if self.actor is not None and wanted:
            try:
                ensure_may_change_user(actor=self.actor, user=self.instance, wanted=wanted)
            except ApplicationError as exc:
                raise ValidationError(exc.message) from exc
        return cleaned


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserAdminChangeForm
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "role", "is_staff", "is_active", "triage", "date_joined"]
    list_filter = ["role", "is_staff", "is_active", "triage"]
    search_fields = ["email", "first_name", "last_name"]
    readonly_fields = ["is_staff", "is_superuser", "date_joined", "last_login"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("first_name", "last_name")}),
        ("Role", {"fields": ("role", "is_staff", "is_superuser", "is_active", "triage")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "role", "password1", "password2")}),)
    actions = ["deactivate"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:
            form.actor = request.user
        return form

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            return
        changes = {field: form.cleaned_data[field] for field in FLOW_FIELDS if field in form.changed_data}
        rest = [field for field in form.changed_data if field not in FLOW_FIELDS and field != "password"]
        current = User.objects.get(pk=obj.pk)
        if rest:  # the email: no side effects beyond the save
            for field in rest:
                setattr(current, field, getattr(obj, field))
            current.save(update_fields=rest)
        if changes:
            flows.user_update(actor=request.user, user=current, changes=changes)  # type: ignore[arg-type]
        obj.refresh_from_db()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description="Deactivate selected users (they are signed out; tickets go back to the queue)")
    def deactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        done = 0
        for user in queryset.filter(is_active=True):
            try:
                flows.user_deactivate(actor=request.user, user=user)  # type: ignore[arg-type]
            except ApplicationError as exc:
                self.message_user(request, f"{user.email}: {exc.message}", messages.ERROR)
                continue
            done += 1
        self.message_user(request, f"{done} user(s) deactivated.", messages.SUCCESS)
