"""Fuzzing the live API from its own OpenAPI schema (schemathesis), signed in as a customer and as
an agent: no 5xx, and every response matches the schema (status, content type, body)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import token_for
from desk.accounts.tests.factories import AgentFactory, CustomerFactory
from desk.support import services
from tests.system.conftest import ROOT

CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
MAX_EXAMPLES = 12
MAX_SECONDS = 90


@pytest.mark.parametrize("role", ["customer", "agent"])
def test_schemathesis_finds_no_server_error_and_no_schema_mismatch(server_factory, tmp_path, role):
    server = server_factory(
        RATE_LIMIT_DEFAULT="1000000", RATE_LIMIT_TICKET_CREATE="1000000", LOGIN_FAILURES_PER_IP="1000000"
    )
    customer, agent = CustomerFactory(), AgentFactory()
    ticket = services.ticket_create(actor=customer, title="Fuzz target", message_text="Hello", category="general")
    services.message_post(ticket=ticket, sender=agent, message_text="Reply")
    user = customer if role == "customer" else agent
    report = tmp_path / "report.json"
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "run",
        f"{server.url}/api/schema/",
        "--checks",
        CHECKS,
        "--max-examples",
        str(MAX_EXAMPLES),
        "--max-time",
        str(MAX_SECONDS),
        "--seed",
        "20261123",
        "--workers",
        "1",
        "--request-timeout",
        "30",
        "--generation-database",
        "none",
        "--no-color",
        "--header",
        f"Authorization: Bearer {token_for(user)}",
        "--report",
        "json",
        "--report-json-path",
        str(report),
        # Ending the fuzzer's own session would only test that sign-out works.
        "--exclude-path-regex",
        r"/api/auth/(logout|password/change|me/delete)/",
    ]
    hooks = {**os.environ, "SCHEMATHESIS_HOOKS": "tests.system.schemathesis_hooks"}
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=MAX_SECONDS * 3, env=hooks)
    summary = result.stdout[-6000:]
    assert result.returncode == 0, f"{summary}\n{result.stderr[-3000:]}\n--- server log ---\n{server.log()[-4000:]}"
    assert "Traceback" not in server.log(), server.log()[-4000:]
    if report.exists():
        data = json.loads(report.read_text())
        assert data, "schemathesis wrote an empty report"
