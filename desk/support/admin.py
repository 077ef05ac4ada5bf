"""Tickets in Django admin, for looking only: tickets, their messages, files and history change
through the app and the API (services record history, notify and publish), never here."""

from django.contrib import admin

from desk.core.admin import ReadOnly
from desk.support.models import Attachment, Message, Ticket, TicketEvent


class MessageInline(ReadOnly, admin.StackedInline):
    model = Message
    extra = 0
    fields = [
        "sender",
        "message_text",
        "is_internal",
        "is_from_customer",
        "read_by_customer",
        "read_by_staff",
        "created_at",
    ]
    readonly_fields = fields
    ordering = ["created_at"]


class AttachmentInline(ReadOnly, admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["filename", "content_type", "file_size", "message", "uploaded_by", "created_at"]
    readonly_fields = fields


class TicketEventInline(ReadOnly, admin.TabularInline):
    model = TicketEvent
    extra = 0
    fields = ["created_at", "actor", "kind", "old_value", "new_value", "note"]
    readonly_fields = fields
    ordering = ["-created_at"]


@admin.register(Ticket)
class TicketAdmin(ReadOnly, admin.ModelAdmin):
    list_display = [
        "title",
        "customer",
        "status",
        "priority",
        "category",
        "assigned_agent",
        "escalated",
        "source",
        "updated_at",
    ]
    list_filter = ["status", "priority", "category", "escalated", "source"]
    search_fields = ["title", "customer__email", "id"]
    list_select_related = ["customer", "assigned_agent"]
    date_hierarchy = "created_at"
    inlines = [MessageInline, AttachmentInline, TicketEventInline]
    show_full_result_count = False


@admin.register(Message)
class MessageAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["ticket", "sender", "short_text", "is_internal", "is_from_customer", "created_at"]
    list_filter = ["is_internal", "is_from_customer", "read_by_customer", "read_by_staff"]
    search_fields = ["message_text", "ticket__title"]
    list_select_related = ["ticket", "sender"]
    show_full_result_count = False

    @admin.display(description="Text")
    def short_text(self, message: Message) -> str:
        return message.message_text[:80]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["filename", "content_type", "file_size", "ticket", "uploaded_by", "created_at"]
    list_filter = ["content_type"]
    search_fields = ["filename", "ticket__title"]
    list_select_related = ["ticket", "uploaded_by"]


@admin.register(TicketEvent)
class TicketEventAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["ticket", "kind", "actor", "old_value", "new_value", "created_at"]
    list_filter = ["kind"]
    search_fields = ["ticket__title", "note"]
    list_select_related = ["ticket", "actor"]
