"""The Postfix pipe command (`deploy/mail-to-desk`, README "Email in") against a running server:
its exit status tells Postfix to drop (delivered), bounce or keep the mail."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import need
from desk.mail.models import InboundEmail
from desk.mail.tests.builders import mail

pytestmark = pytest.mark.django_db(transaction=True)

SCRIPT = Path(__file__).resolve().parents[3] / "deploy" / "mail-to-desk"
TOKEN = "pipe-test-token-0123456789"


@pytest.fixture
def pipe(live_server, settings, tmp_path):
    need(shutil.which("curl") is not None, "curl is not installed (the mail pipe uses it)")
    settings.INBOUND_EMAIL_TOKEN = TOKEN
    url = f"{live_server.url}/api/inbound/email/"

    def run(raw: bytes, *, token: str = TOKEN, target: str = url) -> subprocess.CompletedProcess[bytes]:
        config = tmp_path / "mail-to-desk.conf"  # as Postfix runs it: settings from the config file
        config.write_text(f"DESK_INBOUND_URL={target}\nDESK_INBOUND_TOKEN={token}\n")
        return subprocess.run(
            ["/bin/sh", str(SCRIPT)],
            input=raw,
            capture_output=True,
            timeout=60,
            env={"PATH": "/usr/bin:/bin", "DESK_INBOUND_CONFIG": str(config)},
        )

    return run


def test_a_piped_mail_is_accepted_and_postfix_told_so(pipe) -> None:
    result = pipe(mail(subject="Piped from Postfix"))
    assert result.returncode == 0, result.stderr
    assert InboundEmail.objects.get().ticket.title == "Piped from Postfix"


def test_a_mail_too_large_bounces_and_a_desk_away_or_misconfigured_keeps_it(pipe, settings) -> None:
    settings.INBOUND_EMAIL_MAX_BYTES = 1000
    assert pipe(mail(body="x" * 2000)).returncode == 69  # EX_UNAVAILABLE: Postfix bounces it
    settings.INBOUND_EMAIL_MAX_BYTES = 25 * 1024 * 1024
    assert pipe(mail(), token="wrong").returncode == 75  # EX_TEMPFAIL: Postfix tries again later
    assert pipe(mail(), target="http://127.0.0.1:9/api/inbound/email/").returncode == 75
    assert not InboundEmail.objects.exists()
