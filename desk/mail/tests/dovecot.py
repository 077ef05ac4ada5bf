"""A real, throwaway Dovecot IMAP server for tests (Debian package `dovecot-imapd`).

One server per test session (per xdist worker): its own configuration, runtime and state
directories, log file, self-signed certificate and password file, all in a temporary directory;
it listens on 127.0.0.1 only, on free ports: `imap` (plain, offering STARTTLS) and `imaps` (TLS).
No system file or user is touched. Each test gets an account of its own (a fresh user, with a
fresh maildir), so tests never see each other's mail.

    def test_something(dovecot):
        dovecot.append(b"Subject: hi\\r\\n\\r\\nbody\\r\\n")
        assert dovecot.count("INBOX", "UNSEEN") == 1

The certificate is valid for IP 127.0.0.1 and DNS localhost; trust it with
`monkeypatch.setenv("SSL_CERT_FILE", dovecot.ca_file)` (OpenSSL reads it whenever a default
context is made: `ssl.create_default_context()` then verifies the server, nothing is disabled).
"""

from __future__ import annotations

import datetime
import grp
import ipaddress
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid
from pathlib import Path

import pytest
from imapclient import IMAPClient

from conftest import need

HOST = "127.0.0.1"
START_TIMEOUT = 15.0


def dovecot_binary() -> str | None:
    found = shutil.which("dovecot")
    if found:
        return found
    return "/usr/sbin/dovecot" if os.access("/usr/sbin/dovecot", os.X_OK) else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _make_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate (its own CA) for 127.0.0.1 and localhost, and its key."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    public = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(HOST)), x509.DNSName("localhost")]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "cert.pem", directory / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    key_file.chmod(0o600)
    return cert_file, key_file


def _identities() -> dict[str, object]:
    """Who the server's processes run as. As root: internal processes as root, the login
    processes (which Dovecot refuses to run as root) and the mail processes (userdb uid 0 is
    refused too) as `nobody`. Otherwise everything runs as the current user."""
    if os.geteuid() != 0:
        user = pwd.getpwuid(os.geteuid()).pw_name
        return {
            "internal_user": user,
            "internal_group": grp.getgrgid(os.getegid()).gr_name,
            "login_user": user,
            "mail_uid": os.geteuid(),
            "mail_gid": os.getegid(),
            "root": False,
        }
    try:
        nobody = pwd.getpwnam("nobody")
        mail_uid, mail_gid = nobody.pw_uid, nobody.pw_gid
    except KeyError:
        mail_uid = mail_gid = 65534
    return {
        "internal_user": "root",
        "internal_group": "root",
        "login_user": "dovenull" if _user_exists("dovenull") else "nobody",
        "mail_uid": mail_uid,
        "mail_gid": mail_gid,
        "root": True,
    }


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


CONFIG = """\
# A throwaway Dovecot for the Support Desk tests (desk/mail/tests/dovecot.py).
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
protocols = imap
listen = {host}
shutdown_clients = yes
import_environment = TZ

default_internal_user = {internal_user}
default_internal_group = {internal_group}
default_login_user = {login_user}
first_valid_uid = {mail_uid}
first_valid_gid = {mail_gid}

ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
ssl_min_protocol = TLSv1.2
# Plain LOGIN must work on the plain port (a mailbox with security "none").
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
auth_cache_size = 0
auth_verbose = yes
auth_debug_passwords = no

mail_location = maildir:~/Maildir
namespace inbox {{
  inbox = yes
  separator = /
}}
mail_fsync = never

service imap-login {{
  inet_listener imap {{
    address = {host}
    port = {imap_port}
  }}
  inet_listener imaps {{
    address = {host}
    port = {imaps_port}
    ssl = yes
  }}
{login_chroot}}}

# No growing delay after failed logins from one address (all tests come from 127.0.0.1).
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}

passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd.d/%u
}}
userdb {{
  driver = static
  args = uid={mail_uid} gid={mail_gid} home={root}/home/%u
}}
"""


@dataclass
class DovecotServer:
    """A running Dovecot; `account()` makes a fresh user on it."""

    root: Path
    process: subprocess.Popen
    imap_port: int
    imaps_port: int
    ca_file: str
    mail_uid: int
    mail_gid: int
    host: str = HOST

    @property
    def log_file(self) -> Path:
        return self.root / "dovecot.log"

    def log(self) -> str:
        try:
            return self.log_file.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def account(self) -> DovecotAccount:
        user = f"t{uuid.uuid4().hex[:12]}"
        password = f"pw-{secrets.token_urlsafe(12)}"
        home = self.root / "home" / user
        home.mkdir(parents=True)
        os.chown(home, self.mail_uid, self.mail_gid)
        # One passwd-file per user (the path has %u): Dovecot reads a changed file at most once a
        # second, a new one at its first login.
        entry = self.root / "passwd.d" / user
        entry.write_text(f"{user}:{{PLAIN}}{password}::::::\n")
        entry.chmod(0o600)
        return DovecotAccount(server=self, user=user, password=password)

    def stop(self) -> None:
        """Stop the server and every process it started (its own process group)."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # anything of it still there
        except (ProcessLookupError, PermissionError):
            pass
        if self.process.poll() is None:
            self.process.wait(timeout=10)
        shutil.rmtree(self.root, ignore_errors=True)


@dataclass
class DovecotAccount:
    """One test's user on the server, with helpers that look at its mail over IMAP."""

    server: DovecotServer
    user: str
    password: str

    @property
    def host(self) -> str:
        return self.server.host

    @property
    def imap_port(self) -> int:
        return self.server.imap_port

    @property
    def imaps_port(self) -> int:
        return self.server.imaps_port

    @property
    def ca_file(self) -> str:
        return self.server.ca_file

    def log(self) -> str:
        return self.server.log()

    @contextmanager
    def client(self) -> Iterator[IMAPClient]:
        """A logged-in client over the plain port (test helpers need no TLS)."""
        client = IMAPClient(self.host, self.imap_port, ssl=False, timeout=10)
        try:
            client.login(self.user, self.password)
            yield client
        finally:
            try:
                client.logout()
            except Exception:
                client.shutdown()

    def create_folder(self, folder: str) -> None:
        with self.client() as client:
            if not client.folder_exists(folder):
                client.create_folder(folder)

    def folder_exists(self, folder: str) -> bool:
        with self.client() as client:
            return client.folder_exists(folder)

    def append(self, raw: bytes, folder: str = "INBOX", flags: Iterable[bytes | str] = ()) -> int:
        """Put a mail in `folder` (made if missing); returns its UID."""
        with self.client() as client:
            if not client.folder_exists(folder):
                client.create_folder(folder)
            answer = client.append(folder, raw, flags=tuple(flags))
        found = re.search(rb"APPENDUID \d+ (\d+)", answer if isinstance(answer, bytes) else answer.encode())
        return int(found.group(1)) if found else 0

    def flags_of_all(self, folder: str = "INBOX") -> dict[int, set[bytes]]:
        """UID -> flags of every mail in `folder`."""
        with self.client() as client:
            client.select_folder(folder, readonly=True)
            uids = client.search(["ALL"])
            if not uids:
                return {}
            fetched = client.fetch(uids, ["FLAGS"]).items()
            # \Recent is about this session, not the mail: left out.
            return {uid: set(data[b"FLAGS"]) - {b"\\Recent"} for uid, data in fetched}

    def count(self, folder: str = "INBOX", criteria: str | list = "ALL") -> int:
        with self.client() as client:
            client.select_folder(folder, readonly=True)
            return len(client.search(criteria))

    def bodies(self, folder: str = "INBOX") -> dict[int, bytes]:
        """UID -> raw bytes of every mail in `folder` (peeked: flags stay as they are)."""
        with self.client() as client:
            client.select_folder(folder, readonly=True)
            uids = client.search(["ALL"])
            if not uids:
                return {}
            return {uid: data[b"BODY[]"] for uid, data in client.fetch(uids, ["BODY.PEEK[]"]).items()}


def _wait_until_serving(process: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Dovecot exited ({process.returncode}) at start:\n{_tail(log)}")
        try:
            with socket.create_connection((HOST, port), timeout=1) as sock:
                sock.settimeout(2)
                if sock.recv(200).startswith(b"* OK"):
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"Dovecot did not greet on {HOST}:{port} within {START_TIMEOUT:.0f} s:\n{_tail(log)}")


def _tail(log: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return "(no log)"


def dovecot_start() -> DovecotServer:
    binary = dovecot_binary()
    if binary is None:
        raise RuntimeError("Dovecot (dovecot-imapd) is not installed")
    ids = _identities()
    last_error: Exception | None = None
    for _ in range(3):  # a port taken between choosing it and Dovecot binding it: try others
        root = Path(tempfile.mkdtemp(prefix="desk-dovecot-"))
        # The mail processes (another user when we are root) must reach their home below.
        root.chmod(0o755)
        for sub in ("run", "state", "home"):
            (root / sub).mkdir()
        (root / "home").chmod(0o755)
        cert_file, _ = _make_certificate(root)
        (root / "passwd.d").mkdir(mode=0o700)
        imap_port, imaps_port = _free_port(), _free_port()
        while imaps_port == imap_port:
            imaps_port = _free_port()
        chroot = "" if ids["root"] else "  chroot =\n"
        (root / "dovecot.conf").write_text(
            CONFIG.format(
                root=root,
                host=HOST,
                imap_port=imap_port,
                imaps_port=imaps_port,
                login_chroot=chroot,
                **{k: v for k, v in ids.items() if k != "root"},
            )
        )
        with open(root / "stdout.log", "wb") as output:
            process = subprocess.Popen(
                [binary, "-F", "-c", str(root / "dovecot.conf")],
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stopped as a whole
            )
        server = DovecotServer(
            root=root,
            process=process,
            imap_port=imap_port,
            imaps_port=imaps_port,
            ca_file=str(cert_file),
            mail_uid=int(ids["mail_uid"]),
            mail_gid=int(ids["mail_gid"]),
        )
        try:
            _wait_until_serving(process, imap_port, root / "dovecot.log")
            _wait_tls(process, imaps_port, cert_file, root / "dovecot.log")
        except RuntimeError as exc:
            last_error = RuntimeError(f"{exc}\n{_tail(root / 'stdout.log')}")
            server.stop()
            continue
        return server
    raise RuntimeError(f"Dovecot would not start: {last_error}")


def _wait_tls(process: subprocess.Popen, port: int, cert_file: Path, log: Path) -> None:
    context = ssl.create_default_context(cafile=str(cert_file))
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Dovecot exited ({process.returncode}) at start:\n{_tail(log)}")
        try:
            with (
                socket.create_connection((HOST, port), timeout=1) as raw,
                context.wrap_socket(raw, server_hostname=HOST) as sock,
            ):
                sock.settimeout(2)
                if sock.recv(200).startswith(b"* OK"):
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"Dovecot did not greet over TLS on {HOST}:{port} within {START_TIMEOUT:.0f} s:\n{_tail(log)}")


def make_mail(
    subject: str, *, message_id: str | None = None, body: str = "Hello, I need help.", size: int = 0
) -> bytes:
    """A small mail as a customer's client would send it (CRLF lines); `size` pads its body."""
    message = EmailMessage()
    message["From"] = "Carol Customer <carol@example.com>"
    message["To"] = "support@example.com"
    message["Subject"] = subject
    message["Date"] = formatdate()
    message["Message-ID"] = message_id or make_msgid(domain="example.com")
    if size:
        body += "\n" + "\n".join("x" * 76 for _ in range(size // 78))
    message.set_content(body)
    return message.as_bytes(policy=SMTP)


@pytest.fixture(scope="session")
def dovecot_server() -> Iterator[DovecotServer]:
    """The session's Dovecot (started at first use). Ask for `dovecot`, which checks it is there."""
    server = dovecot_start()
    yield server
    server.stop()


@pytest.fixture
def dovecot(request: pytest.FixtureRequest) -> DovecotAccount:
    """A fresh user (empty INBOX) on a real Dovecot; skipped (or failed in CI) without Dovecot."""
    need(dovecot_binary() is not None, "Dovecot (dovecot-imapd) is not installed")
    server: DovecotServer = request.getfixturevalue("dovecot_server")
    return server.account()
