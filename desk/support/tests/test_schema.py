"""The OpenAPI schema: it validates without generator warnings, it matches what the endpoints
really return (every response of a full support flow is checked against it, errors included),
and the docs page works offline."""

from __future__ import annotations

import json
import re
from html import unescape
from io import StringIO
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from jsonschema import Draft202012Validator
from rest_framework.test import APIClient

from conftest import client_for
from desk.accounts.tests.factories import AgentFactory, CustomerFactory
from desk.support.tests import files
from desk.support.tests.helpers import TICKETS, ticket_url, upload

# The operations of the ticket API (SPEC "Endpoints") and the auth endpoints.
OPERATIONS = {
    ("post", "/api/auth/register/"),
    ("post", "/api/auth/token/"),
    ("post", "/api/auth/token/refresh/"),
    ("get", "/api/auth/me/"),
    ("get", "/api/support/tickets/"),
    ("post", "/api/support/tickets/"),
    ("get", "/api/support/tickets/{ticket_id}/"),
    ("put", "/api/support/tickets/{ticket_id}/"),
    ("patch", "/api/support/tickets/{ticket_id}/"),
    ("post", "/api/support/tickets/{ticket_id}/messages/"),
    ("post", "/api/support/tickets/{ticket_id}/attachments/"),
    ("get", "/api/support/attachments/{attachment_id}/download/"),
    ("post", "/api/support/tickets/{ticket_id}/assign/"),
    ("post", "/api/support/tickets/{ticket_id}/escalate/"),
}


def test_schema_generation_has_no_warnings_and_validates(tmp_path: Path) -> None:
    out = tmp_path / "schema.json"
    stderr = StringIO()
    # --fail-on-warn turns any generator warning (or error) into a failure; --validate checks
    # the result against the OpenAPI specification.
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", "--file", str(out), stderr=stderr
    )
    schema = json.loads(out.read_text())
    assert schema["openapi"].startswith("3.")
    operations = {(method, path) for path, item in schema["paths"].items() for method in item}
    assert operations >= OPERATIONS


@pytest.fixture(scope="module")
def openapi() -> dict[str, Any]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema, renderer_context={}))


def _json_schema(node: Any) -> Any:
    """OpenAPI 3.0 → JSON Schema 2020-12: `nullable` becomes a null alternative, and objects with
    declared properties allow no others (so an undocumented field in a response fails)."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _json_schema(value) for key, value in node.items() if key != "nullable"}
    if "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    if node.get("nullable"):
        return {"anyOf": [out, {"type": "null"}]}
    return out


class SchemaChecker:
    """Checks real responses against the documented response for their operation and status."""

    def __init__(self, openapi: dict[str, Any]) -> None:
        self.openapi = openapi
        self.components = _json_schema(openapi["components"])
        self.templates = [
            (re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$"), path) for path in openapi["paths"]
        ]
        self.seen: set[tuple[str, str, int]] = set()

    def template(self, url: str) -> str:
        path = urlsplit(url).path
        matches = [template for pattern, template in self.templates if pattern.match(path)]
        assert matches, f"{path} is not in the schema"
        return min(matches, key=lambda t: t.count("{"))  # a literal segment beats a parameter

    def check(self, method: str, url: str, response: Any) -> Any:
        path = self.template(url)
        operation = self.openapi["paths"][path][method]
        documented = operation["responses"].get(str(response.status_code))
        assert documented is not None, f"{method.upper()} {path} returned undocumented {response.status_code}"
        self.seen.add((method, path, response.status_code))
        content = documented.get("content", {})
        actual_type = response["Content-Type"].split(";")[0]
        if "application/json" in content:
            assert actual_type == "application/json", (path, actual_type)
            schema = {**_json_schema(content["application/json"]["schema"]), "components": self.components}
            validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
            errors = sorted(validator.iter_errors(response.json()), key=lambda e: list(e.path))
            assert not errors, f"{method.upper()} {path} {response.status_code}: " + "; ".join(
                f"{list(e.path)}: {e.message}" for e in errors[:5]
            )
        else:
            assert content, f"{method.upper()} {path} {response.status_code} documents no body"
            [media] = content
            assert media == "*/*" or media == actual_type, (path, media, actual_type)
        return response


def test_every_response_of_the_support_flow_matches_the_schema(
    openapi: dict[str, Any], db: Any, settings: Any, anon_client: APIClient
) -> None:
    api = SchemaChecker(openapi)
    agent = AgentFactory()
    other = CustomerFactory()
    staff, stranger = client_for(agent), client_for(other)

    def call(client: APIClient, method: str, url: str, data: Any = None, fmt: str = "json", **kw: Any) -> Any:
        response = (
            getattr(client, method)(url, data, format=fmt, **kw)
            if data is not None
            else getattr(client, method)(url, **kw)
        )
        return api.check(method, url, response)

    # auth
    call(anon_client, "post", "/api/auth/register/", {"email": "flow@example.com", "password": "a-long-unusual-pass"})
    call(anon_client, "post", "/api/auth/register/", {"email": "flow@example.com", "password": "x"})
    tokens = call(
        anon_client, "post", "/api/auth/token/", {"email": "flow@example.com", "password": "a-long-unusual-pass"}
    )
    call(anon_client, "post", "/api/auth/token/", {"email": "flow@example.com", "password": "wrong-password"})
    call(anon_client, "post", "/api/auth/token/", {"email": "flow@example.com"})
    refreshed = call(anon_client, "post", "/api/auth/token/refresh/", {"refresh": tokens.json()["refresh"]})
    call(anon_client, "post", "/api/auth/token/refresh/", {"refresh": "junk"})
    call(anon_client, "post", "/api/auth/token/refresh/", {})
    me = APIClient()
    me.credentials(HTTP_AUTHORIZATION=f"Bearer {refreshed.json()['access']}")
    call(me, "get", "/api/auth/me/")
    call(me, "get", "/api/auth/me/?fields=%00")
    call(anon_client, "get", "/api/auth/me/")

    # tickets
    created = call(me, "post", TICKETS, {"title": "Refund", "category": "billing", "message_text": "Twice charged."})
    ticket_id = created.json()["id"]
    call(me, "post", TICKETS, {"title": "", "category": "billing", "message_text": "x"})
    call(me, "post", TICKETS, {"title": "t", "category": "billing", "message_text": "x", "tags": ["a"]})
    call(anon_client, "post", TICKETS, {"title": "t"})
    call(me, "get", TICKETS)
    call(staff, "get", TICKETS + "?search=refund&ordering=-priority&page_size=1")
    call(staff, "get", TICKETS + "?status=nope")
    call(staff, "get", TICKETS + "?page=9")
    call(anon_client, "get", TICKETS)
    call(me, "get", ticket_url(ticket_id))
    call(me, "get", ticket_url(ticket_id) + "?view=%00")
    call(stranger, "get", ticket_url(ticket_id))
    call(anon_client, "get", ticket_url(ticket_id))
    call(me, "patch", ticket_url(ticket_id), {"title": "Refund please"})
    call(me, "patch", ticket_url(ticket_id), {"priority": "urgent"})
    call(staff, "patch", ticket_url(ticket_id), {"status": "bogus"})
    call(stranger, "put", ticket_url(ticket_id), {"title": "x"})
    call(stranger, "patch", ticket_url(ticket_id), {"title": "x"})
    call(anon_client, "patch", ticket_url(ticket_id), {"title": "x"})
    call(me, "put", ticket_url(ticket_id), {"assigned_agent": None})
    call(staff, "put", ticket_url(ticket_id), {"title": ""})
    call(anon_client, "put", ticket_url(ticket_id), {"title": "x"})
    call(staff, "put", ticket_url(ticket_id), {"tags": ["vip"], "priority": "high"})

    # files and messages
    file = api.check("post", ticket_url(ticket_id, "attachments"), upload(me, ticket_id, files.png_bytes(), "a.png"))
    api.check("post", ticket_url(ticket_id, "attachments"), upload(me, ticket_id, files.HTML, "a.png"))
    api.check("post", ticket_url(ticket_id, "attachments"), upload(stranger, ticket_id))
    api.check("post", ticket_url(ticket_id, "attachments"), upload(anon_client, ticket_id))
    call(me, "post", ticket_url(ticket_id, "attachments"), {"file": "x"})  # JSON: 415
    reply = {"message_text": "Receipt attached.", "attachment_ids": [file.json()["id"]]}
    call(me, "post", ticket_url(ticket_id, "messages"), reply)
    call(me, "post", ticket_url(ticket_id, "messages"), {"message_text": "note", "is_internal": True})
    call(me, "post", ticket_url(ticket_id, "messages"), {"message_text": ""})
    call(stranger, "post", ticket_url(ticket_id, "messages"), {"message_text": "hi"})
    call(anon_client, "post", ticket_url(ticket_id, "messages"), {"message_text": "hi"})
    call(staff, "post", ticket_url(ticket_id, "messages"), {"message_text": "Refunded.", "is_internal": False})
    call(me, "get", file.json()["download_url"])
    call(me, "get", file.json()["download_url"] + "?inline=%00")
    call(stranger, "get", file.json()["download_url"])
    call(anon_client, "get", file.json()["download_url"])

    # staff actions
    call(staff, "post", ticket_url(ticket_id, "assign"), {"agent_id": str(agent.pk)})
    call(staff, "post", ticket_url(ticket_id, "assign"), {"agent_id": "nope"})
    call(me, "post", ticket_url(ticket_id, "assign"), {"agent_id": str(agent.pk)})
    call(stranger, "post", ticket_url(ticket_id, "assign"), {"agent_id": str(agent.pk)})
    call(anon_client, "post", ticket_url(ticket_id, "assign"), {})
    call(staff, "post", ticket_url(ticket_id, "escalate"), {"reason": "VIP"})
    call(staff, "post", ticket_url(ticket_id, "escalate"), {})
    call(me, "post", ticket_url(ticket_id, "escalate"), {"reason": "me too"})
    call(stranger, "post", ticket_url(ticket_id, "escalate"), {"reason": "x"})
    call(anon_client, "post", ticket_url(ticket_id, "escalate"), {"reason": "x"})
    call(me, "get", ticket_url(ticket_id))
    call(staff, "get", ticket_url(ticket_id))
    call(staff, "get", TICKETS)

    # the rate limit's 429, for a fresh user
    settings.RATE_LIMIT_DEFAULT = 1
    settings.RATE_LIMIT_TICKET_CREATE = 1
    limited = client_for(CustomerFactory())
    call(limited, "get", TICKETS)
    call(limited, "get", TICKETS)
    call(limited, "post", TICKETS, {"title": "a", "category": "general", "message_text": "b"})
    call(limited, "post", TICKETS, {"title": "a", "category": "general", "message_text": "b"})

    exercised = {(method, path) for method, path, _ in api.seen}
    assert exercised == OPERATIONS
    statuses = {status for *_, status in api.seen}
    assert statuses >= {200, 201, 400, 401, 403, 404, 415, 429}
    # Every documented status of these operations, except 429 on all but two, was produced above.
    for method, path in OPERATIONS:
        documented = {int(s) for s in openapi["paths"][path][method]["responses"]} - {429}
        produced = {status for m, p, status in api.seen if (m, p) == (method, path)}
        assert documented <= produced, (method, path, documented - produced)


def test_every_operation_documents_the_refusal_of_a_nul_query_parameter(openapi: dict[str, Any]) -> None:
    """A query parameter with a NUL character is refused (400) wherever it is sent."""
    silent = [
        f"{method.upper()} {path}"
        for path, operations in openapi["paths"].items()
        for method, operation in operations.items()
        if "400" not in operation["responses"]
    ]
    assert silent == []
    me = openapi["paths"]["/api/auth/me/"]["get"]["responses"]["400"]
    assert me["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


def test_the_schema_is_served(anon_client: APIClient, db: Any) -> None:
    response = anon_client.get("/api/schema/?format=json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Support Desk API"


def test_api_docs_render_offline(client: Any, db: Any) -> None:
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = [unescape(a) for a in re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)]
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets), html[:500]
    # Nothing from a CDN or any other host: every asset is served by us, the libraries under /static/.
    assert not re.search(r"https?://", " ".join(assets)), assets
    assert all(a.startswith("/") for a in assets), assets
    assert any(a.startswith("/static/") and "swagger-ui-bundle" in a for a in assets), assets
    page_text = html
    for asset in assets:
        served = client.get(asset)
        assert served.status_code == 200, asset
        body = b"".join(served.streaming_content) if served.streaming else served.content
        assert body, asset
        if not asset.startswith("/static/"):  # the page's own init script
            page_text += body.decode()
            assert not re.search(r"https?://(?!localhost|127\.0\.0\.1|testserver)", body.decode()), asset
    assert "/api/schema/" in page_text
