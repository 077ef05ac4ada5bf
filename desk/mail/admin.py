"""Admins manage the mailboxes polled for mail and see every inbound mail with its status."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from desk.core.errors import NotFound
from desk.mail import services
from desk.mail.models import InboundEmail, InboundStatus, Mailbox


class MailboxForm(forms.ModelForm):
    """The password is written, never shown: left empty, the stored one stays."""

    new_password = forms.CharField(
        label="Password",
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="Stored encrypted. Leave empty to keep the current password.",
    )

    class Meta:
        model = Mailbox
        fields = ["name", "host", "port", "security", "username", "folder", "move_to", "category", "active"]

    def save(self, commit: bool = True) -> Mailbox:
        mailbox = super().save(commit=False)
        if self.cleaned_data.get("new_password"):
            mailbox.password = self.cleaned_data["new_password"]
        if commit:
            mailbox.save()
        return mailbox


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    form = MailboxForm
    list_display = ["name", "username", "host", "port", "security", "folder", "category", "active", "last_polled_at"]
    list_filter = ["active", "security", "category"]
    readonly_fields = ["last_polled_at", "last_error", "created_at"]
    actions = ["poll_now"]

    @admin.action(description="Fetch new mail now")
    def poll_now(self, request, queryset):  # type: ignore[no-untyped-def]
        from desk.mail.imap import mailbox_poll

        for mailbox in queryset:
            result = mailbox_poll(mailbox)
            if result.error:
                self.message_user(request, f"{mailbox.name}: {result.error}", level="error")
            else:
                self.message_user(request, f"{mailbox.name}: {result.stored} new mail(s), {result.failed} not stored.")


@admin.register(InboundEmail)
class InboundEmailAdmin(admin.ModelAdmin):
    list_display = ["received_at", "from_address", "subject", "channel", "status", "reason", "ticket_link"]
    list_filter = ["status", "channel", "mailbox"]
    search_fields = ["from_address", "subject", "message_id_header"]
    date_hierarchy = "received_at"
    show_full_result_count = False
    list_select_related = ["ticket"]
    fields = [
        "message_id_header",
        "channel",
        "mailbox",
        "from_address",
        "from_name",
        "subject",
        "status",
        "reason",
        "attempts",
        "ticket",
        "message",
        "opened_ticket",
        "size",
        "received_at",
        "processed_at",
        "raw_download",
        "full_text",
    ]
    readonly_fields = fields
    actions = ["reprocess"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # a mail is evidence of what reached us; it goes with its ticket's retention

    @admin.display(description="Ticket")
    def ticket_link(self, obj: InboundEmail) -> str:
        return f"#{obj.ticket.number}" if obj.ticket_id and obj.ticket else "—"

    @admin.display(description="Original")
    def raw_download(self, obj: InboundEmail) -> str:
        url = reverse("admin:mail_inboundemail_raw", args=[obj.pk])
        return format_html('<a href="{}">Download .eml ({} bytes)</a>', url, obj.size)

    def get_urls(self):  # type: ignore[no-untyped-def]
        from django.urls import path

        return [
            path(
                "<uuid:inbound_id>/raw/",
                self.admin_site.admin_view(self.raw_view),
                name="mail_inboundemail_raw",
            ),
            *super().get_urls(),
        ]

    def raw_view(self, request, inbound_id):  # type: ignore[no-untyped-def]
        from django.http import Http404

        from desk.mail.apis import raw_mail_response

        inbound = InboundEmail.objects.filter(pk=inbound_id).select_related("ticket").first()
        if inbound is None or not self.has_view_permission(request, inbound):
            raise Http404
        try:
            return raw_mail_response(inbound)
        except NotFound as exc:
            raise Http404(str(exc)) from exc

    @admin.action(description="Process again (failed mails)")
    def reprocess(self, request, queryset):  # type: ignore[no-untyped-def]
        done = 0
        for inbound in queryset.filter(status=InboundStatus.FAILED):
            services.inbound_reprocess(inbound=inbound)
            done += 1
        self.message_user(request, f"Processed {done} mail(s) again.")
