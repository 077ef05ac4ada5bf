"""Removing an unsent upload, and the purge of abandoned ones."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from desk.support import services
from desk.support.models import Attachment
from desk.support.tests.factories import MessageFactory, TicketFactory

pytestmark = pytest.mark.django_db


def upload(ticket, user, *, message=None, age=timedelta(0)) -> Attachment:
    attachment = Attachment(
        ticket=ticket, uploaded_by=user, message=message, filename="a.txt", file_size=3, content_type="text/plain"
    )
    attachment.file.save("upload.txt", ContentFile(b"abc"), save=False)
    attachment.created_at = timezone.now() - age
    attachment.save()
    return attachment


def test_owner_removes_an_unsent_upload_and_its_file(
    customer, customer_client, _isolated_media, django_capture_on_commit_callbacks
):
    ticket = TicketFactory(customer=customer)
    attachment = upload(ticket, customer)
    path = _isolated_media / attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = customer_client.delete(f"/api/support/attachments/{attachment.pk}/")
    assert response.status_code == 204
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not path.exists()


def test_sent_files_and_other_peoples_files_stay(
    customer, agent, agent_client, customer_client, other_customer, make_client
):
    ticket = TicketFactory(customer=customer)
    sent = upload(ticket, customer, message=MessageFactory(ticket=ticket))
    agents_draft = upload(ticket, agent)
    assert customer_client.delete(f"/api/support/attachments/{sent.pk}/").status_code == 403
    assert (
        customer_client.delete(f"/api/support/attachments/{agents_draft.pk}/").status_code == 404
    )  # not visible to her
    assert agent_client.delete(f"/api/support/attachments/{sent.pk}/").status_code == 403
    assert make_client(other_customer).delete(f"/api/support/attachments/{sent.pk}/").status_code == 404
    assert Attachment.objects.count() == 2


def test_purge_removes_only_day_old_unsent_uploads(customer):
    ticket = TicketFactory(customer=customer)
    old_draft = upload(ticket, customer, age=timedelta(hours=25))
    new_draft = upload(ticket, customer, age=timedelta(hours=1))
    old_sent = upload(ticket, customer, message=MessageFactory(ticket=ticket), age=timedelta(days=30))
    assert services.attachments_purge_unsent() == 1
    assert set(Attachment.objects.values_list("pk", flat=True)) == {new_draft.pk, old_sent.pk}
    assert not Attachment.objects.filter(pk=old_draft.pk).exists()
