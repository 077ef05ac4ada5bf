"""`manage.py mail_fetch` against a real Dovecot: what it prints, and its exit code (run through
Django's command-line entry point, as `manage.py` does)."""

from __future__ import annotations

import pytest
from django.core.management import ManagementUtility

from desk.mail.models import InboundEmail, Mailbox, Security
from desk.mail.tests.dovecot import DovecotAccount
from desk.mail.tests.dovecot import make_mail as mail

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_test_database_open(monkeypatch):
    """A command run from the command line closes the database connections when it ends, which
    would end this test's transaction; the test keeps its connection."""
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)


def manage(*args: str) -> int:
    """`manage.py mail_fetch ARGS` as the command line runs it; its exit code."""
    try:
        ManagementUtility(["manage.py", "mail_fetch", *args]).execute()
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


@pytest.fixture
def make_mailbox(dovecot: DovecotAccount, settings):
    settings.IMAP_TIMEOUT = 10

    def make(name: str, password: str | None = None, **fields) -> Mailbox:
        mailbox = Mailbox(
            name=name,
            host=dovecot.host,
            port=dovecot.imap_port,
            security=Security.NONE,
            username=dovecot.user,
            **fields,
        )
        mailbox.password = dovecot.password if password is None else password
        mailbox.save()
        return mailbox

    return make


def test_it_polls_every_active_mailbox_and_prints_the_counts(dovecot, make_mailbox, capsys):
    dovecot.append(mail("First"))
    dovecot.append(mail("Second"))
    make_mailbox("support")
    make_mailbox("resting", active=False)

    code = manage()

    out = capsys.readouterr()
    assert code == 0, out.err
    assert out.out.splitlines() == ["support: fetched 2, stored 2, failed 0"]
    assert InboundEmail.objects.count() == 2
    assert dovecot.count("INBOX", "UNSEEN") == 0


def test_a_mailbox_in_error_is_printed_with_the_reason_and_the_exit_code_says_so(dovecot, make_mailbox, capsys):
    dovecot.append(mail("Only the working one gets it"))
    wrong = "Not-The-Password-31337"
    make_mailbox("a-broken", password=wrong)
    make_mailbox("b-working")

    code = manage()

    out = capsys.readouterr()
    assert code == 1
    lines = out.out.splitlines()
    assert lines[0].startswith(f"a-broken: error: logging in as {dovecot.user}: login refused")
    assert lines[0].endswith("(fetched 0, stored 0, failed 0)")
    assert lines[1] == "b-working: fetched 1, stored 1, failed 0"
    assert "1 of 2 mailbox(es) had problems: a-broken" in out.err
    assert wrong not in out.out + out.err
    assert dovecot.password not in out.out + out.err


def test_mailbox_option_polls_that_one_only(dovecot, make_mailbox, capsys):
    dovecot.append(mail("Waiting"))
    make_mailbox("other")
    chosen = make_mailbox("chosen", active=False)  # by hand, even an inactive one

    code = manage("--mailbox", "chosen")

    out = capsys.readouterr()
    assert code == 0, out.err
    assert out.out.splitlines() == ["chosen: fetched 1, stored 1, failed 0"]
    assert InboundEmail.objects.get().mailbox_id == chosen.pk
    assert Mailbox.objects.get(name="other").last_polled_at is None


def test_an_unknown_mailbox_name_is_an_error(dovecot, make_mailbox, capsys):
    make_mailbox("support")

    code = manage("--mailbox", "nope")

    out = capsys.readouterr()
    assert code == 1
    assert "No mailbox named 'nope' (mailboxes: support)" in out.err


def test_limit(dovecot, make_mailbox, capsys):
    for n in range(3):
        dovecot.append(mail(f"Mail {n}"))
    make_mailbox("support")

    assert manage("--limit", "2") == 0
    assert capsys.readouterr().out.splitlines() == ["support: fetched 2, stored 2, failed 0"]
    assert dovecot.count("INBOX", "UNSEEN") == 1


def test_a_mail_that_could_not_be_stored_makes_the_exit_code_non_zero(dovecot, make_mailbox, capsys, monkeypatch):
    from desk.mail import imap

    dovecot.append(mail("Refused by storage"))
    make_mailbox("support")

    def storage_down(**kwargs):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(imap, "inbound_receive", storage_down)

    code = manage()

    out = capsys.readouterr()
    assert code == 1
    assert out.out.splitlines() == ["support: fetched 1, stored 0, failed 1"]
    assert dovecot.count("INBOX", "UNSEEN") == 1


def test_no_active_mailbox(db, capsys):
    assert manage() == 0
    assert capsys.readouterr().out.strip() == "No active mailbox to poll."
