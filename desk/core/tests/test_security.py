"""Security headers and production settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import client_for
from desk.accounts.tests.factories import AdminFactory

ROOT = Path(__file__).resolve().parents[3]

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/tickets/123", "/api/docs/", "/api/support/tickets/", "/healthz"])
def test_every_response_has_a_strict_csp_and_framing_is_refused(client, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in directives["script-src"] and "unsafe-eval" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "path",
    [
        "/api/support/canned-responses/",
        "/api/support/customers/",
        "/api/support/agents/",
        "/api/support/tickets/",
        "/api/auth/users/",
        "/api/notifications/",
        "/api/support/metrics/",
    ],
)
def test_a_nul_character_in_any_query_parameter_is_a_validation_error(path):
    """PostgreSQL cannot compare text holding NUL; every view gets the same clear refusal."""
    client = client_for(AdminFactory())
    response = client.get(f"{path}?search=caf%C3%A9%00x&page=1")
    assert response.status_code == 400
    assert response.json() == {
        "error": "validation_error",
        "message": "search: Null characters are not allowed.",
        "details": {"search": ["Null characters are not allowed."]},
    }
    both = client.get(f"{path}?search=ok&status%00=1&to=%00")
    assert both.status_code == 400
    assert set(both.json()["details"]) == {"status", "to"}
    assert client.get(f"{path}?search=caf%C3%A9").status_code == 200


def test_api_docs_page_has_no_inline_script(client):
    html = client.get("/api/docs/").content.decode()
    assert "<script>" not in html
    assert "cdn" not in html.lower()


def production_settings(extra: dict[str, str]) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "HTTPS"}}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings", "SECRET_KEY": "x" * 50, "DEBUG": "0", **extra})
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k, None) for k in ['SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
        "'SECURE_HSTS_SECONDS', 'SECURE_SSL_REDIRECT', 'SECURE_PROXY_SSL_HEADER', 'DEBUG']}))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_over_https_has_secure_cookies_and_hsts():
    values = production_settings({"HTTPS": "1"})
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["DEBUG"] is False


def test_hsts_header_is_sent_over_https(settings, client):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/healthz", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_hashed_web_build_files_are_cached_for_a_year_and_others_are_not(client, settings):
    import re

    pattern = re.compile(settings.WHITENOISE_IMMUTABLE_FILE_TEST)
    assert pattern.match("/static/assets/index-BQyFWZG2.js")
    assert not pattern.match("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert not pattern.match("/static/admin/js/vendor/jquery/jquery.min.js")
