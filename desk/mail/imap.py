"""IMAP polling: the unseen mail of each active mailbox becomes an InboundEmail.

A mail is marked seen (or moved to the mailbox's `move_to` folder) on the server only after its
raw bytes are stored and committed (`inbound_receive` returned): a mail that could not be stored
stays unseen and comes again at the next poll, and one stored but not yet marked (the connection
dropped in between) is stored only once, since `inbound_receive` knows its Message-ID.

Nothing about a server or a mail raises out of here: a poll that could not connect, log in or
open the folder records a one-line reason on the mailbox (`last_error`, never the password).
"""

from __future__ import annotations

import contextlib
import imaplib
import logging
import re
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from imapclient import DELETED, SEEN, IMAPClient
from imapclient.exceptions import CapabilityError, LoginError

from desk.core.text import single_line
from desk.mail.models import Channel, Mailbox, Security
from desk.mail.services import inbound_receive

logger = logging.getLogger(__name__)

# Mails fetched per FETCH command: a few, and a few megabytes at most (a mail may weigh 20 MB or
# more; one bigger than this is fetched alone).
FETCH_BATCH_COUNT = 10
FETCH_BATCH_BYTES = 8 * 1024 * 1024
ERROR_MAX_LENGTH = 500


@dataclass
class PollResult:
    fetched: int = 0  # mails read from the server
    stored: int = 0  # of which stored (or already stored: the same Message-ID) and marked
    failed: int = 0  # of which storing failed: they stay unseen for the next poll
    error: str = ""  # why the poll stopped (connection, login, folder…); "" when it did not

    @property
    def ok(self) -> bool:
        return not self.error and not self.failed


class _Stage:
    """What the poll was doing, for the reason given when it stops."""

    def __init__(self) -> None:
        self.doing = "connecting"


def mailboxes_poll(*, limit: int | None = None) -> list[tuple[Mailbox, PollResult]]:
    """One poll of every active mailbox, in name order; one failing does not stop the others."""
    results: list[tuple[Mailbox, PollResult]] = []
    for mailbox in Mailbox.objects.filter(active=True).order_by("name"):
        try:
            result = mailbox_poll(mailbox, limit=limit)
        except Exception as exc:  # e.g. the database: the next mailbox still gets its poll
            logger.exception("Polling mailbox %s failed", mailbox.name)
            result = PollResult(error=f"poll failed: {type(exc).__name__}")
        results.append((mailbox, result))
    return results


def mailbox_poll(mailbox: Mailbox, *, limit: int | None = None) -> PollResult:
    """Fetch the mailbox's unseen mail (oldest first, at most `limit` or IMAP_BATCH mails), store
    each one, then mark it seen or move it. Records the outcome on the mailbox."""
    result = PollResult()
    stage = _Stage()
    password = mailbox.password
    try:
        if mailbox.password_encrypted and not password:
            raise _Unusable(
                "the stored password cannot be decrypted (SECRET_KEY or FIELD_ENCRYPTION_KEY changed?): set it again"
            )
        client = _connect(mailbox, stage)
        try:
            stage.doing = f"logging in as {mailbox.username}"
            client.login(mailbox.username, password)
            _fetch_and_store(client, mailbox, limit or int(settings.IMAP_BATCH), result, stage)
        finally:
            _close(client)
    except Exception as exc:  # noqa: BLE001 - whatever the server did, the poll ends with a reason, not a crash
        result.error = _error_text(f"{stage.doing}: {_reason(exc)}", password)
        logger.warning("Polling mailbox %s (%s:%s) stopped: %s", mailbox.name, mailbox.host, mailbox.port, result.error)
    if result.error:
        last_error = result.error
    elif result.failed:
        last_error = f"{result.failed} mail(s) could not be stored; they stay unseen for the next poll (see the log)"
    else:
        last_error = ""
    mailbox.last_polled_at = timezone.now()
    mailbox.last_error = last_error
    Mailbox.objects.filter(pk=mailbox.pk).update(last_polled_at=mailbox.last_polled_at, last_error=last_error)
    return result


class _Unusable(Exception):
    """The mailbox cannot be polled as configured (the message says why)."""


def _connect(mailbox: Mailbox, stage: _Stage) -> IMAPClient:
    timeout = float(settings.IMAP_TIMEOUT)
    where = f"{mailbox.host}:{mailbox.port}"
    if mailbox.security == Security.TLS:
        stage.doing = f"connecting to {where} (TLS)"
        return IMAPClient(
            mailbox.host, mailbox.port, ssl=True, ssl_context=ssl.create_default_context(), timeout=timeout
        )
    if mailbox.security not in (Security.STARTTLS, Security.NONE):
        raise _Unusable(f"unknown security {mailbox.security!r}")
    stage.doing = f"connecting to {where}"
    client = IMAPClient(mailbox.host, mailbox.port, ssl=False, timeout=timeout)
    if mailbox.security == Security.STARTTLS:
        stage.doing = f"starting TLS with {where}"
        try:
            client.starttls(ssl.create_default_context())
        except BaseException:
            _close(client, logout=False)
            raise
    return client


def _close(client: IMAPClient, *, logout: bool = True) -> None:
    """Log out, or at least close the socket: the connection may be broken already."""
    if logout:
        try:
            client.logout()
            return
        except Exception:  # then close it below
            logger.debug("IMAP logout failed", exc_info=True)
    with contextlib.suppress(Exception):
        client.shutdown()


def _fetch_and_store(client: IMAPClient, mailbox: Mailbox, limit: int, result: PollResult, stage: _Stage) -> None:
    stage.doing = f"opening folder {mailbox.folder!r}"
    client.select_folder(mailbox.folder)
    stage.doing = "searching for unseen mail"
    # Unseen and not deleted (a person deleted it, the server has not expunged it yet); UIDs grow
    # with arrival: oldest first.
    uids = sorted(client.search(["UNSEEN", "UNDELETED"]))[: max(limit, 0)]
    if not uids:
        return
    can_move = uidplus = False
    if mailbox.move_to:
        stage.doing = f"preparing folder {mailbox.move_to!r}"
        if not client.folder_exists(mailbox.move_to):
            client.create_folder(mailbox.move_to)
        can_move = client.has_capability("MOVE")
        uidplus = client.has_capability("UIDPLUS")
    stage.doing = "reading the sizes of unseen mail"
    sizes = {uid: int(data.get(b"RFC822.SIZE", 0)) for uid, data in client.fetch(uids, ["RFC822.SIZE"]).items()}
    for batch in _batches([uid for uid in uids if uid in sizes], sizes):
        stage.doing = f"fetching {len(batch)} mail(s)"
        bodies = client.fetch(batch, ["BODY.PEEK[]"])  # PEEK: fetching alone marks nothing seen
        for uid in batch:
            raw = (bodies.pop(uid, None) or {}).get(b"BODY[]")
            if raw is None:
                continue  # expunged meanwhile by another client
            result.fetched += 1
            try:
                inbound_receive(raw=raw, channel=Channel.IMAP, mailbox=mailbox)
            except Exception:  # storing failed: the mail stays unseen, the poll goes on
                result.failed += 1
                logger.exception(
                    "Mailbox %s: mail UID %s (%d bytes) could not be stored; it stays unseen for the next poll",
                    mailbox.name,
                    uid,
                    len(raw),
                )
                continue
            del raw
            result.stored += 1
            _file_away(client, uid, mailbox, can_move=can_move, uidplus=uidplus, stage=stage)


def _batches(uids: list[int], sizes: dict[int, int]) -> Iterator[list[int]]:
    batch: list[int] = []
    weight = 0
    for uid in uids:
        size = sizes.get(uid, 0)
        if batch and (len(batch) >= FETCH_BATCH_COUNT or weight + size > FETCH_BATCH_BYTES):
            yield batch
            batch, weight = [], 0
        batch.append(uid)
        weight += size
    if batch:
        yield batch


def _file_away(client: IMAPClient, uid: int, mailbox: Mailbox, *, can_move: bool, uidplus: bool, stage: _Stage) -> None:
    """A stored mail is marked seen, then moved when the mailbox says so. Seen first: if the move
    fails, the mail is still not fetched again."""
    stage.doing = f"marking mail UID {uid} seen"
    client.add_flags([uid], [SEEN], silent=True)
    if not mailbox.move_to:
        return
    stage.doing = f"moving mail UID {uid} to {mailbox.move_to!r}"
    if can_move:
        client.move([uid], mailbox.move_to)
        return
    client.copy([uid], mailbox.move_to)
    client.add_flags([uid], [DELETED], silent=True)
    if uidplus:
        client.uid_expunge([uid])  # that mail only
    # Without UIDPLUS the original stays in the folder flagged \Seen and \Deleted, for the server's
    # next expunge: a plain EXPUNGE would also remove whatever else someone flagged \Deleted there.


_BYTES_REPR = re.compile(r"""\bb(['"])(.*?)\1""")


def _reason(exc: BaseException) -> str:
    """A short, human reason for an exception from the connection or the server."""
    if isinstance(exc, _Unusable):
        return str(exc)
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"the server's TLS certificate is not trusted ({exc.verify_message or exc.reason})"
    if isinstance(exc, ssl.SSLError):
        return f"TLS failed ({exc.reason or exc}); is the port and security right?"
    if isinstance(exc, socket.gaierror):
        return f"unknown host ({exc.strerror})"
    if isinstance(exc, TimeoutError):
        return f"no answer within {settings.IMAP_TIMEOUT} s"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, OSError):
        return exc.strerror or str(exc) or type(exc).__name__
    if isinstance(exc, CapabilityError) and "STARTTLS" in str(exc).upper():
        return "the server does not offer STARTTLS"
    if isinstance(exc, LoginError):
        return f"login refused: {_unbytes(exc)}"
    if isinstance(exc, imaplib.IMAP4.abort):
        return f"the connection broke: {_unbytes(exc)}"
    if isinstance(exc, imaplib.IMAP4.error):
        return _unbytes(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {exc}"


def _unbytes(exc: BaseException) -> str:
    """imaplib's messages quote server text as Python bytes (b'...'): the text alone."""
    return _BYTES_REPR.sub(r"\2", str(exc))


def _error_text(text: str, password: str) -> str:
    """One line, bounded, and never the password (should a server ever echo it)."""
    if password:
        text = text.replace(password, "********")
    text = single_line(text)
    return text if len(text) <= ERROR_MAX_LENGTH else text[: ERROR_MAX_LENGTH - 1] + "…"
