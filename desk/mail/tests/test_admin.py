"""Admins manage mailboxes (the password written, encrypted, never shown) and see every inbound
mail with its status, in Django admin."""

from __future__ import annotations

import pytest
from django.test import Client

from desk.accounts.tests.factories import AdminFactory
from desk.mail.models import InboundEmail, Mailbox
from desk.mail.tests.builders import deliver, mail

pytestmark = pytest.mark.django_db

SECRET = "imap-pass-Zq81!x"


@pytest.fixture
def admin_client():
    admin = AdminFactory(is_superuser=True)
    client = Client()
    client.force_login(admin)
    return client


def test_a_mailbox_password_is_stored_encrypted_and_never_shown(admin_client) -> None:
    form = {
        "name": "support",
        "host": "imap.example.org",
        "port": "993",
        "security": "tls",
        "username": "support@example.org",
        "new_password": SECRET,
        "folder": "INBOX",
        "move_to": "",
        "category": "technical",
        "active": "on",
    }
    response = admin_client.post("/admin/mail/mailbox/add/", form)
    assert response.status_code == 302, response.content[:500]
    mailbox = Mailbox.objects.get()
    assert mailbox.password == SECRET
    assert SECRET not in mailbox.password_encrypted and mailbox.password_encrypted
    page = admin_client.get(f"/admin/mail/mailbox/{mailbox.pk}/change/").content.decode()
    assert SECRET not in page and mailbox.password_encrypted not in page

    # Saved again without a new password: the stored one stays.
    form["new_password"] = ""
    form["folder"] = "Support"
    assert admin_client.post(f"/admin/mail/mailbox/{mailbox.pk}/change/", form).status_code == 302
    mailbox.refresh_from_db()
    assert (mailbox.folder, mailbox.password) == ("Support", SECRET)


def test_admins_see_inbound_mail_with_its_status_and_the_original(admin_client, django_capture_on_commit_callbacks):
    failed = deliver(b"\x00\x01 not a mail", django_capture_on_commit_callbacks)
    ok = deliver(mail(subject="Shown in admin"), django_capture_on_commit_callbacks)
    listing = admin_client.get("/admin/mail/inboundemail/").content.decode()
    assert "Shown in admin" in listing and "failed" in listing and "processed" in listing
    detail = admin_client.get(f"/admin/mail/inboundemail/{failed.pk}/change/").content.decode()
    assert failed.reason[:30] in detail
    raw = admin_client.get(f"/admin/mail/inboundemail/{ok.pk}/raw/")
    assert raw.status_code == 200 and b"Shown in admin" in b"".join(raw.streaming_content)
    assert admin_client.post(f"/admin/mail/inboundemail/{ok.pk}/delete/").status_code == 403
    assert InboundEmail.objects.count() == 2
