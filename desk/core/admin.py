from django.contrib import admin

from desk.core.models import AuditEntry


class ReadOnly:
    """For records that only services write (history, the audit trail, conversations): Django
    admin shows them and never adds, changes or deletes one, singly or in bulk."""

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["created_at", "actor_label", "action", "target_type", "target_id"]
    list_filter = ["action", "target_type"]
    search_fields = ["actor_label", "target_id", "action"]
    readonly_fields = ["id", "actor", "actor_label", "action", "target_type", "target_id", "details", "created_at"]
    show_full_result_count = False
