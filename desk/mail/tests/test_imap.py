"""IMAP polling against a real Dovecot (desk/mail/tests/dovecot.py) and the real database and
storage: what reaches the server's INBOX becomes InboundEmail records, and the server's flags say
what was taken (seen, moved) and what waits for the next poll (unseen)."""

from __future__ import annotations

import logging

import pytest
from imapclient import IMAPClient

from desk.core import secrets
from desk.mail import imap, services
from desk.mail.imap import PollResult, mailbox_poll, mailboxes_poll
from desk.mail.models import Channel, InboundEmail, Mailbox, Security
from desk.mail.tests.dovecot import DovecotAccount
from desk.mail.tests.dovecot import make_mail as mail

pytestmark = pytest.mark.django_db

SEEN = b"\\Seen"
DELETED = b"\\Deleted"


@pytest.fixture
def make_mailbox(dovecot: DovecotAccount, monkeypatch, settings):
    """Mailboxes on this test's Dovecot account; the test's TLS trusts the server's certificate
    through SSL_CERT_FILE, so the poller's verifying default context is what is tested."""
    monkeypatch.setenv("SSL_CERT_FILE", dovecot.ca_file)
    settings.IMAP_TIMEOUT = 10
    settings.IMAP_BATCH = 50

    def make(name: str = "support", security: str = Security.NONE, password: str | None = None, **fields) -> Mailbox:
        port = dovecot.imaps_port if security == Security.TLS else dovecot.imap_port
        mailbox = Mailbox(name=name, host=dovecot.host, port=port, security=security, username=dovecot.user, **fields)
        mailbox.password = dovecot.password if password is None else password
        mailbox.save()
        return mailbox

    return make


def raw_of(record: InboundEmail) -> bytes:
    with record.raw.open("rb") as handle:
        return handle.read()


def no_secret_in(text: str, *secrets_: str) -> None:
    for secret in secrets_:
        assert secret not in text


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("security", [Security.TLS, Security.STARTTLS, Security.NONE])
def test_unseen_mail_becomes_records_and_is_marked_seen_after(security, dovecot, make_mailbox, caplog):
    caplog.set_level(logging.DEBUG)  # imapclient logs the whole conversation at DEBUG
    first, second = mail("Printer on fire"), mail("Refund please")
    dovecot.append(first)
    dovecot.append(second)
    mailbox = make_mailbox(security=security)

    result = mailbox_poll(mailbox)

    assert result == PollResult(fetched=2, stored=2, failed=0, error="")
    records = {record.subject: record for record in InboundEmail.objects.all()}
    assert set(records) == {"Printer on fire", "Refund please"}
    for record, raw in ((records["Printer on fire"], first), (records["Refund please"], second)):
        assert record.channel == Channel.IMAP
        assert record.mailbox_id == mailbox.pk
        assert record.from_address == "carol@example.com"
        assert raw_of(record) == raw  # the bytes exactly as the server holds them
    assert all(SEEN in flags for flags in dovecot.flags_of_all("INBOX").values())
    assert dovecot.count("INBOX", "ALL") == 2  # seen, not moved

    mailbox.refresh_from_db()
    assert mailbox.last_error == ""
    assert mailbox.last_polled_at is not None
    no_secret_in(caplog.text, dovecot.password, mailbox.password_encrypted)
    logins = [line for line in dovecot.log().splitlines() if f"Login: user=<{dovecot.user}>" in line]
    assert any(", TLS," in line for line in logins) == (security != Security.NONE)  # the helper logs in plain

    assert mailbox_poll(mailbox) == PollResult()  # nothing new
    assert InboundEmail.objects.count() == 2


def test_mail_already_seen_or_deleted_on_the_server_is_not_fetched(dovecot, make_mailbox):
    dovecot.append(mail("Read by a person"), flags=[SEEN])
    dovecot.append(mail("Deleted unread by a person"), flags=[DELETED])
    unseen_uid = dovecot.append(mail("Not read yet"))

    result = mailbox_poll(make_mailbox())

    assert (result.fetched, result.stored) == (1, 1)
    assert list(InboundEmail.objects.values_list("subject", flat=True)) == ["Not read yet"]
    assert SEEN in dovecot.flags_of_all()[unseen_uid]


def test_fetching_never_marks_mail_seen_by_itself(dovecot, make_mailbox, monkeypatch):
    """The mail is seen because the poller says so after storing, not because it was read."""
    dovecot.append(mail("Peeked"))
    monkeypatch.setattr(imap, "_file_away", lambda *args, **kwargs: None)

    assert mailbox_poll(make_mailbox()).stored == 1
    assert dovecot.count("INBOX", "UNSEEN") == 1


@pytest.mark.parametrize("security", [Security.TLS, Security.STARTTLS])
def test_tls_is_verified_an_untrusted_certificate_stops_the_poll(
    security, dovecot, make_mailbox, monkeypatch, tmp_path
):
    dovecot.append(mail("Over TLS"))
    mailbox = make_mailbox(security=security)
    nothing_trusted = tmp_path / "empty.pem"
    nothing_trusted.write_text("")
    monkeypatch.setenv("SSL_CERT_FILE", str(nothing_trusted))
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path))

    result = mailbox_poll(mailbox)

    assert result.fetched == 0
    assert "certificate is not trusted" in result.error
    assert InboundEmail.objects.count() == 0
    assert dovecot.count("INBOX", "UNSEEN") == 1


def test_tls_against_the_plain_port_is_a_clear_error(dovecot, make_mailbox):
    mailbox = make_mailbox(security=Security.TLS)
    mailbox.port = dovecot.imap_port
    mailbox.save()

    result = mailbox_poll(mailbox)

    assert result.error.startswith(f"connecting to {dovecot.host}:{dovecot.imap_port} (TLS): TLS failed")
    mailbox.refresh_from_db()
    assert mailbox.last_error == result.error


def test_a_wrong_password_is_recorded_never_raised_and_never_shown(dovecot, make_mailbox, caplog):
    caplog.set_level(logging.DEBUG)
    dovecot.append(mail("Waiting"))
    wrong = "Wrong-Secret-7f3a9c"
    mailbox = make_mailbox(password=wrong)

    result = mailbox_poll(mailbox)

    assert result.fetched == 0
    assert result.error.startswith(f"logging in as {dovecot.user}: login refused")
    assert "AUTHENTICATIONFAILED" in result.error
    assert "\n" not in result.error
    mailbox.refresh_from_db()
    assert mailbox.last_error == result.error
    assert mailbox.last_polled_at is not None
    no_secret_in(mailbox.last_error, wrong, dovecot.password)
    no_secret_in(caplog.text, wrong, dovecot.password)
    for record in caplog.records:
        no_secret_in(record.getMessage(), wrong, dovecot.password)
    assert f"Polling mailbox support ({dovecot.host}:{dovecot.imap_port}) stopped" in caplog.text
    assert dovecot.count("INBOX", "UNSEEN") == 1

    mailbox.password = dovecot.password  # fixed: the next poll works and clears the error
    mailbox.save()
    assert mailbox_poll(mailbox).stored == 1
    mailbox.refresh_from_db()
    assert mailbox.last_error == ""


def test_a_server_that_is_not_there_is_recorded(make_mailbox, dovecot):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    mailbox = make_mailbox()
    mailbox.port = port
    mailbox.save()

    result = mailbox_poll(mailbox)

    assert result.error == f"connecting to 127.0.0.1:{port}: connection refused"
    mailbox.refresh_from_db()
    assert mailbox.last_error == result.error
    assert mailbox.last_polled_at is not None


def test_a_password_that_cannot_be_decrypted_says_so(make_mailbox, dovecot, settings):
    mailbox = make_mailbox()
    settings.FIELD_ENCRYPTION_KEY = "another-key"  # as after a key change
    assert secrets.decrypt(mailbox.password_encrypted) == ""

    result = mailbox_poll(mailbox)

    assert "password cannot be decrypted" in result.error


def test_a_folder_that_does_not_exist_is_a_clear_error(dovecot, make_mailbox):
    result = mailbox_poll(make_mailbox(folder="Nope"))

    assert result.error.startswith("opening folder 'Nope': ")
    assert "doesn't exist" in result.error or "not exist" in result.error.lower()


@pytest.mark.parametrize("move_to", ["", "Processed"])
def test_a_mail_that_cannot_be_stored_stays_unseen_and_the_next_is_stored(
    move_to, dovecot, make_mailbox, monkeypatch, caplog
):
    uid_a = dovecot.append(mail("A"))
    uid_b = dovecot.append(mail("B, the one storage refuses"))
    uid_c = dovecot.append(mail("C"))
    real = services.inbound_receive

    def storage_refuses_b(*, raw: bytes, channel: str, mailbox=None):
        if b"Subject: B," in raw:
            raise OSError(28, "No space left on device")
        return real(raw=raw, channel=channel, mailbox=mailbox)

    monkeypatch.setattr(imap, "inbound_receive", storage_refuses_b)
    mailbox = make_mailbox(move_to=move_to)

    result = mailbox_poll(mailbox)

    assert result == PollResult(fetched=3, stored=2, failed=1, error="")
    assert sorted(InboundEmail.objects.values_list("subject", flat=True)) == ["A", "C"]
    inbox = dovecot.flags_of_all("INBOX")
    if move_to:
        assert list(inbox) == [uid_b]  # A and C moved away
        assert dovecot.count("Processed", "ALL") == 2
    else:
        assert SEEN in inbox[uid_a] and SEEN in inbox[uid_c]
    assert SEEN not in inbox[uid_b]
    mailbox.refresh_from_db()
    assert "1 mail(s) could not be stored" in mailbox.last_error
    assert f"mail UID {uid_b}" in caplog.text and "could not be stored" in caplog.text

    monkeypatch.setattr(imap, "inbound_receive", real)  # storage is back: B comes now
    assert mailbox_poll(mailbox) == PollResult(fetched=1, stored=1)
    assert InboundEmail.objects.count() == 3
    mailbox.refresh_from_db()
    assert mailbox.last_error == ""


def test_a_storage_outage_leaves_every_mail_on_the_server_for_later(dovecot, make_mailbox, settings, tmp_path):
    """No mock: the storage directory cannot be made (a file is in the way), as a full or missing
    disk would be."""
    for n in range(3):
        dovecot.append(mail(f"During the outage {n}"))
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("")
    working = settings.STORAGES
    settings.STORAGES = {
        **working,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(blocked)}},
    }
    mailbox = make_mailbox()

    result = mailbox_poll(mailbox)

    assert result == PollResult(fetched=3, stored=0, failed=3, error="")
    assert InboundEmail.objects.count() == 0
    assert dovecot.count("INBOX", "UNSEEN") == 3

    settings.STORAGES = working
    assert mailbox_poll(mailbox).stored == 3
    assert dovecot.count("INBOX", "UNSEEN") == 0


def test_moved_to_a_folder_made_when_missing(dovecot, make_mailbox):
    for subject in ("One", "Two"):
        dovecot.append(mail(subject))
    assert not dovecot.folder_exists("Done")

    result = mailbox_poll(make_mailbox(move_to="Done"))

    assert (result.stored, result.error) == (2, "")
    assert dovecot.count("INBOX", "ALL") == 0
    assert [SEEN in flags for flags in dovecot.flags_of_all("Done").values()] == [True, True]
    assert InboundEmail.objects.count() == 2


def test_without_move_it_copies_and_expunges_that_mail_only(dovecot, make_mailbox, monkeypatch):
    someone_elses = dovecot.append(mail("Deleted by a person, not expunged yet"), flags=[SEEN, DELETED])
    dovecot.append(mail("For us"))
    has_capability = IMAPClient.has_capability
    monkeypatch.setattr(
        IMAPClient, "has_capability", lambda self, name: name.upper() != "MOVE" and has_capability(self, name)
    )
    calls: list[str] = []
    for name in ("move", "copy", "uid_expunge", "expunge"):
        original = getattr(IMAPClient, name)

        def spy(self, *args, _name=name, _original=original, **kwargs):
            calls.append(_name)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(IMAPClient, name, spy)

    result = mailbox_poll(make_mailbox(move_to="Done"))

    assert result.stored == 1
    assert calls == ["copy", "uid_expunge"]
    assert list(dovecot.flags_of_all("INBOX")) == [someone_elses]  # still there, still \Deleted
    assert dovecot.count("Done", "ALL") == 1
    assert [b"Subject: For us" in raw for raw in dovecot.bodies("Done").values()] == [True]


def test_limit_and_batch_size_are_respected_oldest_first(dovecot, make_mailbox, settings):
    for n in range(5):
        dovecot.append(mail(f"Mail {n}"))
    mailbox = make_mailbox()

    assert mailbox_poll(mailbox, limit=2) == PollResult(fetched=2, stored=2)
    assert sorted(InboundEmail.objects.values_list("subject", flat=True)) == ["Mail 0", "Mail 1"]
    assert dovecot.count("INBOX", "UNSEEN") == 3

    settings.IMAP_BATCH = 2
    assert mailbox_poll(mailbox).fetched == 2
    assert sorted(InboundEmail.objects.values_list("subject", flat=True))[-2:] == ["Mail 2", "Mail 3"]
    assert dovecot.count("INBOX", "UNSEEN") == 1


def test_bodies_are_fetched_in_small_batches_a_big_mail_alone(dovecot, make_mailbox, monkeypatch):
    monkeypatch.setattr(imap, "FETCH_BATCH_COUNT", 2)
    monkeypatch.setattr(imap, "FETCH_BATCH_BYTES", 1024 * 1024)
    big = mail("Big", size=3 * 1024 * 1024)
    small_0 = dovecot.append(mail("Small 0"))
    big_uid = dovecot.append(big)
    small_1 = dovecot.append(mail("Small 1"))
    small_2 = dovecot.append(mail("Small 2"))
    fetched_bodies: list[list[int]] = []
    fetch = IMAPClient.fetch

    def spy(self, messages, data, *args, **kwargs):
        if any("BODY.PEEK[]" in str(item) for item in data):
            fetched_bodies.append(list(messages))
        return fetch(self, messages, data, *args, **kwargs)

    monkeypatch.setattr(IMAPClient, "fetch", spy)

    result = mailbox_poll(make_mailbox())

    assert result == PollResult(fetched=4, stored=4)
    assert fetched_bodies == [[small_0], [big_uid], [small_1, small_2]]
    assert raw_of(InboundEmail.objects.get(subject="Big")) == big


def test_the_same_mail_twice_in_the_mailbox_is_one_record(dovecot, make_mailbox):
    twice = mail("Sent twice", message_id="<the-same-one@example.com>")
    dovecot.append(twice)
    dovecot.append(twice)

    result = mailbox_poll(make_mailbox())

    assert (result.fetched, result.failed) == (2, 0)
    assert InboundEmail.objects.filter(message_id_header="the-same-one@example.com").count() == 1
    assert InboundEmail.objects.count() == 1
    assert dovecot.count("INBOX", "UNSEEN") == 0


def test_every_active_mailbox_is_polled_a_failing_one_does_not_stop_the_others(dovecot, make_mailbox):
    dovecot.append(mail("For the working one"))
    broken = make_mailbox(name="a-broken", password="not-the-password")
    working = make_mailbox(name="b-working")
    resting = make_mailbox(name="c-inactive", active=False)

    results = mailboxes_poll()

    assert [mailbox.name for mailbox, _ in results] == ["a-broken", "b-working"]
    assert "login refused" in results[0][1].error
    assert results[1][1] == PollResult(fetched=1, stored=1)
    broken.refresh_from_db()
    working.refresh_from_db()
    resting.refresh_from_db()
    assert broken.last_error and not working.last_error
    assert resting.last_polled_at is None


def test_a_mailbox_that_crashes_the_poller_does_not_stop_the_others(dovecot, make_mailbox, monkeypatch, caplog):
    dovecot.append(mail("Still fetched"))
    make_mailbox(name="a-crashing")
    make_mailbox(name="b-working")
    poll = imap.mailbox_poll

    def crash_for_a(mailbox, **kwargs):
        if mailbox.name == "a-crashing":
            raise RuntimeError("database went away")
        return poll(mailbox, **kwargs)

    monkeypatch.setattr(imap, "mailbox_poll", crash_for_a)

    results = mailboxes_poll()

    assert results[0][1].error == "poll failed: RuntimeError"
    assert results[1][1].stored == 1
    assert "Polling mailbox a-crashing failed" in caplog.text


def test_folders_with_non_ascii_names(dovecot, make_mailbox):
    dovecot.append(mail("Accented"), folder="Support/Entrée")

    result = mailbox_poll(make_mailbox(folder="Support/Entrée", move_to="Traités"))

    assert (result.stored, result.error) == (1, "")
    assert dovecot.count("Support/Entrée", "ALL") == 0
    assert dovecot.count("Traités", "ALL") == 1


def test_raw_bytes_survive_exactly(dovecot, make_mailbox):
    """8-bit bodies, odd headers: what is stored is what the server had."""
    raw = (
        b"From: =?utf-8?q?Ren=C3=A9e?= <renee@example.com>\r\nTo: support@example.com\r\n"
        b"Subject: Caf\xc3\xa9 \xe2\x98\x95\r\nMessage-ID: <eight-bit@example.com>\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        b"Gr\xc3\xbc\xc3\x9fe \xe2\x80\x94 line one\r\n.\r\n..two dots\r\n"
    )
    dovecot.append(raw)

    assert mailbox_poll(make_mailbox()).stored == 1
    assert raw_of(InboundEmail.objects.get()) == raw
