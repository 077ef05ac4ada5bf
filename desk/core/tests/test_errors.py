"""Every API error leaves in SPEC's body; no malformed request gets a 500."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error", "message", "details"}
    assert body["error"] == code
    return body


def test_unknown_api_url_is_404_in_error_format(customer_client):
    assert_error(customer_client.get("/api/support/nothing-here/"), 404, "not_found")
    assert_error(customer_client.get("/api/"), 404, "not_found")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_write_to_an_unknown_api_url_is_404_not_a_csrf_refusal(method):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)("/api/support/nothing-here/", data="{}", content_type="application/json")
    assert_error(response, 404, "not_found")


def test_unauthenticated_request_is_401(anon_client):
    assert_error(anon_client.get("/api/support/tickets/"), 401, "not_authenticated")


def test_wrong_method_is_405(customer_client):
    assert_error(customer_client.delete("/api/support/tickets/"), 405, "method_not_allowed")


def test_malformed_json_is_400(customer_client):
    response = customer_client.post("/api/support/tickets/", data="{not json", content_type="application/json")
    body = assert_error(response, 400, "validation_error")
    assert "Malformed" in body["message"]


@pytest.mark.parametrize(
    "payload",
    ["[1, 2, 3]", '"just a string"', "null", "12", '{"title": {"nested": true}}', '{"title": ["a"], "category": 5}'],
)
def test_json_of_the_wrong_shape_is_400(customer_client, payload):
    response = customer_client.post("/api/support/tickets/", data=payload, content_type="application/json")
    assert_error(response, 400, "validation_error")


def test_unsupported_media_type_is_415(customer_client):
    response = customer_client.post("/api/support/tickets/", data="title=x", content_type="application/xml")
    assert_error(response, 415, "unsupported_media_type")


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_fails(client, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise RuntimeError("database is down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
