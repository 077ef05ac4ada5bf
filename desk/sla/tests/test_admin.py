"""Service levels in Django admin: every page opens, and nothing can be changed there (the web
app and the API validate and re-evaluate; the clocks write themselves)."""

from __future__ import annotations

import pytest
from django.test import Client

from desk.accounts.tests.factories import AdminFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client() -> Client:
    client = Client()
    client.force_login(AdminFactory(is_superuser=True))
    return client


def test_every_page_opens_and_nothing_can_be_added(admin_client, make_policy, open_ticket, office_hours) -> None:
    make_policy(calendar=office_hours)
    ticket = open_ticket()
    for model in ("businesscalendar", "slapolicy", "ticketsla", "slaoutcome"):
        assert admin_client.get(f"/admin/sla/{model}/").status_code == 200
        assert admin_client.get(f"/admin/sla/{model}/add/").status_code == 403
    assert admin_client.get(f"/admin/sla/ticketsla/{ticket.pk}/change/").status_code == 200
    response = admin_client.post(f"/admin/sla/businesscalendar/{office_hours.pk}/change/", {"name": "Renamed"})
    assert response.status_code == 403
    office_hours.refresh_from_db()
    assert office_hours.name == "Office"
