from django.contrib import admin

from desk.workspace.models import CannedResponse


@admin.register(CannedResponse)
class CannedResponseAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "shared", "updated_at"]
    list_filter = ["shared"]
    search_fields = ["title", "body"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]
