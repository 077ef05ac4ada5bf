"""Service levels in Django admin, for looking only: calendars and policies are edited in the web
app or the API (their services validate them and re-evaluate the open tickets), clocks and
outcomes are written by the clocks themselves."""

from django.contrib import admin

from desk.core.admin import ReadOnly
from desk.sla.models import BusinessCalendar, SlaOutcome, SlaPolicy, TicketSla


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["name", "time_zone", "builtin", "updated_at"]
    search_fields = ["name"]


@admin.register(SlaPolicy)
class SlaPolicyAdmin(ReadOnly, admin.ModelAdmin):
    list_display = [
        "position",
        "name",
        "calendar",
        "first_response_minutes",
        "next_response_minutes",
        "resolution_minutes",
        "escalate_on_breach",
    ]
    ordering = ["position"]


@admin.register(TicketSla)
class TicketSlaAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["ticket", "policy", "paused", "next_alert_at", "evaluated_at"]
    list_select_related = ["ticket", "policy"]
    raw_id_fields = ["ticket"]
    show_full_result_count = False


@admin.register(SlaOutcome)
class SlaOutcomeAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["ticket", "target", "met", "due_at", "decided_at", "priority", "agent"]
    list_filter = ["target", "met", "priority"]
    list_select_related = ["ticket", "agent"]
    raw_id_fields = ["ticket"]
    show_full_result_count = False
