from django.contrib import admin

from desk.notifications.models import EmailDelivery, EmailPreference, Notification, SuppressedAddress


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "text", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__email", "text"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient", "ticket", "message"]
    show_full_result_count = False


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(admin.ModelAdmin):
    list_display = ["subject", "to_address", "kind", "status", "attempts", "created_at", "sent_at", "next_attempt_at"]
    list_filter = ["status", "kind"]
    search_fields = ["to_address", "subject"]
    raw_id_fields = ["recipient", "ticket"]
    readonly_fields = ["created_at", "sent_at", "attempts", "last_error"]
    actions = ["retry_now"]
    show_full_result_count = False

    @admin.action(description="Send again now")
    def retry_now(self, request, queryset):  # type: ignore[no-untyped-def]
        from django.utils import timezone

        from desk.notifications.services import enqueue_deliveries

        ids = list(queryset.exclude(status="sent").values_list("pk", flat=True))
        queryset.filter(pk__in=ids).update(next_attempt_at=timezone.now(), attempts=0)
        enqueue_deliveries(ids)
        self.message_user(request, f"Queued {len(ids)} email(s).")


@admin.register(EmailPreference)
class EmailPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "enabled"]
    list_filter = ["kind", "enabled"]
    raw_id_fields = ["user"]


@admin.register(SuppressedAddress)
class SuppressedAddressAdmin(admin.ModelAdmin):
    """Addresses that hard-bounced get no mail; deleting one here clears it."""

    list_display = ["address", "reason", "created_at"]
    search_fields = ["address"]
    readonly_fields = ["address", "reason", "created_at"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
