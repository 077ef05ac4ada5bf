"""Inbound mail, read: the raw RFC 5322 bytes of a mail turned into a `ParsedMail`.

A pure module (no database, no settings): the stdlib `email` package (`policy.default`) reads
the MIME structure and the headers, `html2text` turns HTML bodies into text and
`mail-parser-reply` cuts quoted history and signatures off the new text.

`parse` never raises anything but `MalformedMail` (bytes that are no mail at all, or more than
MAX_PARTS MIME parts): whatever else is wrong with a mail (a bad charset, bad base64, a MIME
boundary that never closes, a header injection attempt) is repaired or left out, and named in
`ParsedMail.problems`.

The new text (`ParsedMail.text`) is mail-parser-reply's first reply with its signature cut, then
tidied: a forwarded message ("---------- Forwarded message ---------", "Begin forwarded
message:", or a "Fwd:"/"FW:" subject) is kept, being the content of the mail; a sign-off rule
match that reads as a sentence ("Thanks, that fixed it!") is not cut; a trailing quoted block
and separator lines go.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import mimetypes
import quopri
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from email import errors, policy
from email.feedparser import BytesFeedParser
from email.message import Message
from email.parser import BytesHeaderParser, BytesParser
from email.utils import parseaddr, parsedate_to_datetime
from typing import Any

import html2text
from mailparser_reply.constants import MAIL_LANGUAGES
from mailparser_reply.parser import EmailMessage as ReplyMessage

__all__ = ["Bounce", "MailFile", "MalformedMail", "ParsedMail", "parse"]


class MalformedMail(Exception):
    """The bytes are not a mail we can read at all (empty, not RFC 5322, no headers). str(exc) is the reason, one line."""


@dataclass(frozen=True)
class MailFile:
    filename: str  # decoded (RFC 2231/2047), never empty: "attachment-<n>" + guessed extension when missing
    content: bytes  # decoded payload (base64/qp undone); b"" if undecodable
    content_type: str  # as declared, lower case, e.g. "image/png", "application/ms-tnef"
    inline: bool  # Content-Disposition inline, or a Content-ID within multipart/related
    content_id: str  # without <>, "" if none


@dataclass(frozen=True)
class Bounce:
    recipients: tuple[str, ...]  # lower-cased Final-Recipient (or Original-Recipient) addresses whose Action is failed
    status: str  # e.g. "5.1.1" (the first failed recipient's), "" if unknown
    permanent: bool  # status starts with "5" (a hard bounce)
    diagnostic: str  # Diagnostic-Code text, one line, ≤ 500 chars
    original_message_id: str  # Message-ID (no <>) of the returned original; ""
    delivery_id: str  # the returned original's "X-Desk-Delivery" header; ""


@dataclass(frozen=True)
class ParsedMail:
    message_id: str  # Message-ID without <>, stripped; "" when missing/empty
    from_address: str  # addr-spec, lower case; "" when missing or unparseable
    from_name: str  # display name, decoded, one line
    reply_to: str  # first Reply-To addr-spec, lower case, or ""
    to: tuple[str, ...]  # lower-cased addresses of To
    cc: tuple[str, ...]
    delivered_to: tuple[str, ...]  # Delivered-To, X-Original-To, Envelope-To, lower case
    subject: str  # decoded (RFC 2047), one line, ""
    in_reply_to: tuple[str, ...]  # Message-IDs without <>
    references: tuple[str, ...]  # Message-IDs without <>, in order
    date: datetime | None  # aware datetime or None
    # An automatic reply: out of office/vacation (Auto-Submitted: auto-replied, X-Autoreply,
    # X-Autorespond, X-Autoreply-From...; Exchange's "Automatic reply:" subject on mail it marks
    # generated), or a read receipt. Never set for a bounce (see `bounce`).
    auto_reply: bool
    # Precedence bulk/list/junk, a List-Id/List-Unsubscribe header, or Auto-Submitted other than
    # "no" (auto-replied included: a vacation reply is both).
    bulk: bool
    automatic_reason: str  # "" or a short reason naming the header, e.g. "Auto-Submitted: auto-replied"
    # A delivery status notification (multipart/report; report-type=delivery-status, or Exim's
    # X-Failed-Recipients bounce). A delay notice is one with no failed recipients.
    bounce: Bounce | None
    text: str  # the new text: quoted history and signatures cut; trimmed; "" if nothing
    full_text: str  # the whole body text (plain or converted HTML), quotes kept
    files: tuple[MailFile, ...]  # every attached or inline file
    problems: tuple[str, ...]  # defects found that did not stop parsing, human readable


# --- limits ---------------------------------------------------------------------------------

# Longer header values are cut (a real one is a few kilobytes; References of a long thread, a
# To of hundreds of people stay well within).
HEADER_LIMIT = 64 * 1024
# Address headers are read up to this much, in all (hundreds of addresses; the email package
# reads about 5,000 a second).
ADDRESS_LIMIT = 32 * 1024
# HTML beyond this (after inline data: images, styles and scripts are dropped) is not
# converted: html2text reads about a megabyte a second.
HTML_LIMIT = 512 * 1024
# Quoted history is looked for in the first this-many characters of the text.
REPLY_LIMIT = 400_000
FEED_CHUNK = 16 * 1024
# Mails of more MIME parts (boundary lines) than this are read faster (see _read_message)...
FAST_PARTS = 500
# ... and of more than this, not at all.
MAX_PARTS = 20_000
MAX_DEPTH = 50
DIAGNOSTIC_LIMIT = 500
FILENAME_LIMIT = 200
REPLY_LANGUAGES = ("en", "de", "fr")

# Headers of which at least one makes bytes a mail (not, say, a JSON document whose first line
# happens to look like "name: value").
_MAIL_HEADERS = frozenset(
    {
        "from",
        "sender",
        "to",
        "cc",
        "subject",
        "date",
        "message-id",
        "received",
        "return-path",
        "mime-version",
        "content-type",
        "delivered-to",
        "reply-to",
        "in-reply-to",
        "references",
    }
)


# --- text clean-up --------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")
# Bidirectional embeddings/overrides/isolates: no business in a one-line header, where they
# serve to disguise a name or a file extension.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _one_line(value: str) -> str:
    """A header value as one line: line breaks and tabs become spaces, NUL and other control
    characters go, runs of white space become one space, the ends are trimmed."""
    if not value.isprintable():
        chars = []
        for char in value:
            category = unicodedata.category(char)
            if char in "\r\n\t\x0b\x0c\x85" or category in ("Zl", "Zp"):
                chars.append(" ")
            elif category == "Cc" or char in _BIDI or char in "\ufeff\ufffe":
                continue
            else:
                chars.append(char)
        value = "".join(chars)
    return _SPACES.sub(" ", value).strip()


_BODY_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff]")
_EMPTY_QUOTES = re.compile(r"^(>+)\n(?:\1\n)+", re.MULTILINE)
_BLANK_LINES = re.compile(r"\n{3,}")


def _clean_body(text: str) -> str:
    """Body text with unix line ends, no control characters but tab and newline, no-break
    spaces as spaces, no trailing spaces, at most one blank line in a row."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _BODY_CONTROL.sub("", text)
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2028", "\n").replace("\u2029", "\n\n")
    if " \n" in text or "\t\n" in text or text.endswith((" ", "\t")):
        # (no regex: "[ \t]+$" backtracks quadratically over a long run of spaces)
        text = "\n".join(line if line == "-- " else line.rstrip(" \t") for line in text.split("\n"))
    text = _EMPTY_QUOTES.sub(r"\1\n", text)
    return _BLANK_LINES.sub("\n\n", text).strip()


# --- charsets -------------------------------------------------------------------------------

# Labels that mail clients use for a superset, as browsers read them (WHATWG Encoding), and a
# few labels Python does not know.
_CHARSET_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "iso-8859-11": "cp874",
    "tis-620": "cp874",
    "windows-874": "cp874",
    "iso-8859-8-i": "iso-8859-8",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ms_kanji": "cp932",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "euc-cn": "gb18030",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "big5": "big5hkscs",
    "x-mac-roman": "mac-roman",
}
# Multi-byte charsets: text that is not quite in them is still best read in them.
_MULTIBYTE = frozenset(
    {
        "cp932",
        "shift_jis",
        "euc_jp",
        "iso2022_jp",
        "gb18030",
        "gbk",
        "gb2312",
        "big5",
        "big5hkscs",
        "cp949",
        "euc_kr",
        "cp950",
    }
)
# Codecs Python has that are no mail charset (or decode slowly): never used for a mail.
_REFUSED_CODECS = frozenset({"punycode", "idna", "unicode-escape", "raw-unicode-escape", "undefined"})


def _codec(label: str | None) -> str | None:
    """The Python codec for a charset label, or None when unknown (or not a text charset)."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _CHARSET_ALIASES.get(label, label)
    try:
        info = codecs.lookup(label)
    except (LookupError, ValueError, TypeError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _REFUSED_CODECS:
        return None
    return info.name


def _decode_bytes(data: bytes, label: str | None, where: str, problems: list[str]) -> str:
    """Bytes as text in their declared charset; an unknown charset, or bytes that are not in
    it, fall back to UTF-8, then to Windows-1252 (Latin-1) with replacement characters."""
    codec = _codec(label)
    if label and codec is None:
        problems.append(f"unknown charset {_one_line(label)[:40]!r} in {where}")
    attempts = [codec] if codec else []
    if "utf-8" not in attempts:
        attempts.append("utf-8")
    for name in attempts:
        try:
            return data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
    if codec:
        problems.append(f"text not in its charset {_one_line(label or '')[:40]!r} in {where}")
    if codec in _MULTIBYTE:
        return data.decode(codec, errors="replace")
    as_utf8 = data.decode("utf-8", errors="replace")
    if any(ord(char) > 127 and char != "\ufffd" for char in as_utf8):
        return as_utf8  # UTF-8 with a few bad bytes
    return data.decode("cp1252", errors="replace")  # no UTF-8 at all: 8-bit text


def _fix_surrogates(value: str) -> str:
    """Raw 8-bit bytes the email package kept as surrogate escapes, read as UTF-8, else as
    Windows-1252."""
    if not any("\udc80" <= char <= "\udcff" for char in value):
        return value
    data = value.encode("utf-8", "surrogateescape")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


_ENCODED_WORD = re.compile(r"=\?([^?\s*]+)(\*[^?\s]*)?\?([bBqQ])\?([^?\s]*)\?=")


def _decode_word_payload(encoding: str, payload: str) -> bytes:
    if encoding in "bB":
        data = payload.encode("ascii", "ignore")
        try:
            return base64.b64decode(data + b"=" * (-len(data) % 4))
        except (binascii.Error, ValueError):
            return b""
    return quopri.decodestring(payload.replace("_", " ").encode("ascii", "ignore"), header=True)


def _fix_encoded_words(value: str, where: str, problems: list[str]) -> str:
    """RFC 2047 encoded words relabelled so that the email package reads them: a charset alias
    becomes its codec, an unknown charset becomes UTF-8 (or Windows-1252 if not UTF-8)."""
    if "=?" not in value:
        return value

    def relabel(match: re.Match[str]) -> str:
        label, language, encoding, payload = match.groups()
        codec = _codec(label)
        data = _decode_word_payload(encoding, payload)
        if codec is None:
            problems.append(f"unknown charset {label[:40]!r} in {where}")
            try:
                data.decode("utf-8")
                codec = "utf-8"
            except UnicodeDecodeError:
                codec = "cp1252"
        if any(byte in data for byte in b"\r\n\x00"):  # an injection attempt: "=0D=0ABcc:"
            problems.append(f"{'NUL' if 0 in data else 'line breaks'} removed from {where}")
            data = data.replace(b"\x00", b"").replace(b"\r", b" ").replace(b"\n", b" ")
            return f"=?{codec}{language or ''}?B?{base64.b64encode(data).decode('ascii')}?="
        if codec == label.lower():
            return match.group(0)
        return f"=?{codec}{language or ''}?{encoding}?{payload}?="

    return _ENCODED_WORD.sub(relabel, value)


# --- headers --------------------------------------------------------------------------------

_FOLD = re.compile(r"\r?\n(?=[ \t])")


def _decode_header_text(raw: str, where: str, problems: list[str]) -> str:
    """An unstructured header value with its RFC 2047 encoded words decoded."""
    raw = _fix_encoded_words(raw.replace("\x00", ""), where, problems)
    try:
        decoded = str(policy.default.header_factory("x-unstructured", raw))
    except Exception:  # noqa: BLE001 - the parser failed on it: keep the raw text
        decoded = raw
    return _fix_surrogates(decoded)


class _Headers:
    """Header values of one message, read from the raw source (never from a header object
    that might raise): unfolded, 8-bit bytes decoded, at most HEADER_LIMIT long."""

    def __init__(self, message: Message, problems: list[str]) -> None:
        self.problems = problems
        self.items: list[tuple[str, str]] = []
        for name, value in message.raw_items():
            value = value if isinstance(value, str) else str(value)
            if len(value) > HEADER_LIMIT:
                problems.append(f"{_one_line(name)[:40]} header over {HEADER_LIMIT // 1024} KB, cut")
                value = value[:HEADER_LIMIT]
            value = _fix_surrogates(value)
            self.items.append((name.lower().strip(), _FOLD.sub("", value)))
        self._noted: set[str] = set()

    def names(self) -> set[str]:
        return {name for name, _ in self.items}

    def all(self, name: str) -> list[str]:
        return [value for key, value in self.items if key == name]

    def first(self, name: str) -> str | None:
        values = self.all(name)
        return values[0] if values else None

    def _note_breaks(self, name: str, value: str) -> None:
        if name in self._noted:
            return
        if "\x00" in value:
            self.problems.append(f"NUL removed from the {name.title()} header")
            self._noted.add(name)
        elif "\r" in value or "\n" in value:
            self.problems.append(f"line breaks removed from the {name.title()} header")
            self._noted.add(name)

    def text(self, name: str) -> str:
        """An unstructured header, RFC 2047 decoded, as one line."""
        raw = self.first(name)
        if raw is None:
            return ""
        self._note_breaks(name, raw)
        return _one_line(self._decoded(name, raw))

    def _decoded(self, name: str, raw: str) -> str:
        decoded = _decode_header_text(raw, f"the {name.title()} header", self.problems)
        self._note_breaks(name, decoded)
        return decoded

    def addresses(self, *names: str) -> list[tuple[str, str]]:
        """(display name, lower-cased addr-spec) of every valid address in these headers."""
        found: list[tuple[str, str]] = []
        budget = ADDRESS_LIMIT
        for name in names:
            for raw in self.all(name):
                if len(raw) > budget:
                    self.problems.append(
                        f"over {ADDRESS_LIMIT // 1024} KB of {name.title()} addresses: the rest left out"
                    )
                    raw = raw[: max(raw.rfind(",", 0, budget), 0)]
                    budget = len(raw)
                budget -= len(raw)
                self._note_breaks(name, raw)
                found.extend(self._parse_addresses(name, raw))
        return found

    def _parse_addresses(self, name: str, raw: str) -> list[tuple[str, str]]:
        raw = _fix_encoded_words(raw.replace("\x00", ""), f"the {name.title()} header", self.problems)
        pairs: list[tuple[str, str]] = []
        try:
            header: Any = policy.default.header_factory("to", raw)
            pairs = [(str(a.display_name or ""), str(a.addr_spec or "")) for a in header.addresses]
        except Exception:  # noqa: BLE001 - a header the modern parser cannot read: the old one
            pairs = []
        if not pairs and raw.strip():
            # The old parser does not decode encoded words: without them, they cannot smuggle
            # in an address ("=?utf-8?q?a=40b.example?=", "=?utf-8?q?x:_y@z?=").
            plain = _ENCODED_WORD.sub('""', raw)
            try:
                pairs = [parseaddr(part) for part in plain.split(",")]
            except Exception:  # noqa: BLE001
                pairs = []
        result = []
        for display, spec in pairs:
            address = _address(spec)
            if address is None:
                if spec.strip():
                    self.problems.append(f"unreadable address in the {name.title()} header")
                continue
            display = _one_line(_fix_surrogates(display))
            if not display and len(pairs) == 1 and "(" in raw:  # "priya@example.com (Priya Sharma)"
                try:
                    display = _one_line(parseaddr(raw)[0])
                except Exception:  # noqa: BLE001
                    display = ""
            result.append((display, address))
        return result


_DOMAIN = re.compile(r"^(?:\[[^\[\]\s\\]+\]|[^\s@\"<>()\[\],;:\\]+)$")
_LOCAL = re.compile(r"^(?:\"[^\"\\\r\n]+\"|[^\s@\"<>()\[\],;:\\]+)$")


def _address(spec: str) -> str | None:
    """A lower-cased addr-spec, or None when it is no address (no @, an encoded word...)."""
    spec = _one_line(spec).replace(" ", "").lower()
    if not spec or "=?" in spec or "?=" in spec or "@" not in spec or len(spec) > 320:
        return None
    local, _, domain = spec.rpartition("@")
    if not local or not domain or not _LOCAL.match(local) or not _DOMAIN.match(domain):
        return None
    return spec


_MESSAGE_ID = re.compile(r"<([^<>]*)>")


def _message_ids(raw: str | None) -> list[str]:
    """Message-IDs in a Message-ID/In-Reply-To/References value, without <>, in order, once."""
    if not raw:
        return []
    found = [_one_line(m).replace(" ", "") for m in _MESSAGE_ID.findall(raw)]
    if not found:  # no angle brackets: the bare tokens that look like ids
        found = [token.strip("<>,;") for token in _one_line(raw).split() if "@" in token]
        if not found and len(_one_line(raw).split()) == 1:
            found = [_one_line(raw).strip("<>")]
    ids: list[str] = []
    for value in found:
        value = value[:998]
        if value and value not in ids:
            ids.append(value)
    return ids


def _date(raw: str | None, problems: list[str]) -> datetime | None:
    if not raw or not raw.strip():
        return None
    try:
        value = parsedate_to_datetime(_one_line(raw))
    except (TypeError, ValueError, IndexError, OverflowError):
        problems.append("unreadable Date header")
        return None
    if value.tzinfo is None:  # "-0000": UTC, local time unknown
        value = value.replace(tzinfo=UTC)
    return value


# --- automatic mail -------------------------------------------------------------------------

# Subjects Exchange/Outlook (in a few languages) give its automatic replies.
_OOF_SUBJECT = re.compile(
    r"^\s*(?:automatic reply|out of (?:the )?office(?: autoreply| reply)?|auto(?:matic)? response|auto|"
    r"automatische antwort|abwesenheitsnotiz|r[ée]ponse automatique|absence du bureau|"
    r"respuesta autom[áa]tica|risposta automatica|automatisch antwoord|autosvar|automatisk svar)\s*:",
    re.IGNORECASE,
)


def _automatic(headers: _Headers, subject: str) -> tuple[bool, bool, str]:
    """(auto_reply, bulk, reason) from the headers that automatic mail carries."""

    def value(name: str) -> str:
        return _one_line(headers.first(name) or "")

    def shown(name: str, text: str) -> str:
        return f"{name}: {text[:120]}" if text else name

    auto_submitted = value("auto-submitted")
    submitted = auto_submitted.split(";")[0].strip().lower()
    precedence = value("precedence").lower() or value("x-precedence").lower()
    names = headers.names()

    reply_reasons: list[str] = []
    if submitted == "auto-replied":
        reply_reasons.append(shown("Auto-Submitted", auto_submitted))
    for name, shown_name in (
        ("x-autoreply", "X-Autoreply"),
        ("x-autorespond", "X-Autorespond"),
        ("x-autoreply-from", "X-Autoreply-From"),
        ("x-mail-autoreply", "X-Mail-Autoreply"),
    ):
        if name in names:
            reply_reasons.append(shown(shown_name, value(name)))
    if precedence == "auto_reply":
        reply_reasons.append(shown("Precedence", precedence))
    if value("x-autogenerated").lower() == "reply":
        reply_reasons.append("X-Autogenerated: Reply")
    # Exchange's out-of-office replies: an automatic-reply subject on a mail Exchange marks as
    # generated (any one of these alone is also on ordinary mail).
    if not reply_reasons and _OOF_SUBJECT.match(subject):
        exchange = (
            (submitted and submitted != "no")
            or value("x-auto-response-suppress").lower() == "all"
            or "x-ms-exchange-inbox-rules-loop" in names
            or "mailbox rules agent" in value("x-ms-exchange-generated-message-source").lower()
        )
        if exchange:
            marker = (
                shown("Auto-Submitted", auto_submitted)
                if submitted and submitted != "no"
                else shown("X-Auto-Response-Suppress", value("x-auto-response-suppress"))
            )
            reply_reasons.append(f"{marker} (subject {subject[:40]!r})")

    bulk_reasons: list[str] = []
    if submitted and submitted != "no":
        bulk_reasons.append(shown("Auto-Submitted", auto_submitted))
    if precedence in ("bulk", "list", "junk"):
        bulk_reasons.append(shown("Precedence", precedence))
    if "list-id" in names:
        bulk_reasons.append(shown("List-Id", value("list-id")))
    if "list-unsubscribe" in names:
        bulk_reasons.append(shown("List-Unsubscribe", value("list-unsubscribe")))

    reasons = reply_reasons + bulk_reasons
    return bool(reply_reasons), bool(bulk_reasons), reasons[0] if reasons else ""


# --- HTML -----------------------------------------------------------------------------------


class _HtmlText(html2text.HTML2Text):
    """html2text as plain text rather than Markdown: no escaping of Markdown characters, table
    cells apart (tables are laid out as lines, not Markdown tables)."""

    def __init__(self) -> None:
        super().__init__(bodywidth=0)
        self.body_width = 0
        self.ignore_images = True
        self.ignore_emphasis = True
        self.ignore_tables = True
        self.ignore_mailto_links = True
        self.unicode_snob = True
        self.use_automatic_links = False
        self.skip_internal_links = True
        self.inline_links = True
        self.ul_item_mark = "-"

    def handle_data(self, data: str, entity_char: bool = False) -> None:
        # entity_char=True is html2text's own way to skip escape_md_section (its "1\." and "\-").
        super().handle_data(data, entity_char=True)

    def handle_tag(self, tag: str, attrs: dict[str, str | None], start: bool) -> None:
        super().handle_tag(tag, attrs, start)
        if tag in ("td", "th") and not start:
            self.o(" ")


_DATA_URI = re.compile(r"""(?i)\bdata:[a-z]+/[a-z0-9.+-]+;base64,[a-z0-9+/=\s]+""")
_STYLE_SCRIPT_OPEN = re.compile(r"<(style|script)\b", re.IGNORECASE)
_MD_LINK = re.compile(
    r"\[([^\[\]\n]{0,2000})\]\(((?:\\.|[^()\s\\]|\([^()\s]{0,2000}\)){0,8000})(?:\s+\"[^\"\n]{0,2000}\")?\)"
)
_MD_HEADING = re.compile(r"^#{1,6} ", re.MULTILINE)
_MD_RULE = re.compile(r"^\* \* \*$", re.MULTILINE)
_MD_UNESCAPE = re.compile(r"\\(.)")
_HTML_DOCUMENT = re.compile(r"\A\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])", re.IGNORECASE)


def _link(match: re.Match[str]) -> str:
    label = match.group(1).strip()
    url = _MD_UNESCAPE.sub(r"\1", match.group(2))
    if not label:
        return ""  # a linked image (a logo, a tracking pixel)
    bare = re.sub(r"^(?:https?://|mailto:)", "", url).rstrip("/")
    if not url or label.rstrip("/") in (url.rstrip("/"), bare):
        return label
    return f"{label} <{url}>"  # as plain-text mail writes links (and mail-parser-reply reads them)


def _without_styles_and_scripts(html: str) -> str:
    """HTML without its <style> and <script> elements (an unclosed one runs to the end)."""
    if not _STYLE_SCRIPT_OPEN.search(html):
        return html
    lower = html.lower()
    kept: list[str] = []
    position = 0
    while (opening := _STYLE_SCRIPT_OPEN.search(html, position)) is not None:
        kept.append(html[position : opening.start()])
        closing = lower.find(f"</{opening.group(1).lower()}", opening.end())
        if closing < 0:
            return "".join(kept)
        end = lower.find(">", closing)
        position = len(html) if end < 0 else end + 1
    kept.append(html[position:])
    return "".join(kept)


def _html_to_text(html: str, where: str, problems: list[str]) -> str:
    html = _DATA_URI.sub("", html)
    html = _without_styles_and_scripts(html)
    if len(html) > HTML_LIMIT:
        problems.append(f"HTML over {HTML_LIMIT // 1024} KB in {where}: only its start converted")
        html = html[:HTML_LIMIT]
    try:
        text = _HtmlText().handle(html)
    except Exception as exc:  # noqa: BLE001 - html2text on broken markup: its tags stripped crudely
        problems.append(f"HTML not converted in {where} ({type(exc).__name__})")
        text = re.sub(r"<[^>]*>", " ", html)
    text = _MD_LINK.sub(_link, text)
    text = _MD_HEADING.sub("", text)
    text = _MD_RULE.sub("", text)
    return text


# --- plain text -----------------------------------------------------------------------------


def _unflow(text: str, delsp: bool) -> str:
    """format=flowed text (RFC 3676) with its soft line breaks joined."""
    out: list[str] = []
    current: str | None = None
    depth_of_current = 0
    for line in text.split("\n"):
        stripped = line.lstrip(">")
        depth = len(line) - len(stripped)
        if stripped.startswith(" "):
            stripped = stripped[1:]  # space-stuffing
        flowed = stripped.endswith(" ") and stripped != "-- "
        if flowed and delsp:
            stripped = stripped[:-1]
        if current is not None and depth != depth_of_current:
            out.append(current)
            current = None
        prefix = ">" * depth + " " if depth else ""
        current = (prefix if current is None else current) + stripped
        depth_of_current = depth
        if not flowed:
            out.append(current)
            current = None
    if current is not None:
        out.append(current)
    return "\n".join(out)


# --- cutting quotes -------------------------------------------------------------------------

# Lines that start a forwarded message, as Gmail, Apple Mail, Thunderbird and Outlook write them:
# what follows is the content of the mail, not history to cut.
_FORWARD_MARKER = re.compile(
    r"^[ \t]*(?:-{5,}[ \t]*(?:forwarded message|weitergeleitete nachricht|"
    r"message transf[ée]r[ée]|mensaje reenviado|messaggio inoltrato|doorgestuurd bericht)[ \t]*-{5,}|"
    r"begin forwarded message:|anfang der weitergeleiteten nachricht:|d[ée]but du message r[ée]exp[ée]di[ée]\s?:)"
    r"[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_FORWARD_SUBJECT = re.compile(r"^\s*(?:fwd?|wg|tr|rv|enc)\s*:", re.IGNORECASE)
_UNDERSCORE_RULE = re.compile(r"^[ \t]*_{32,}[ \t]*$", re.MULTILINE)
_RULE_LINE = re.compile(r"[-_*=]{2,}")
_CLOSING = re.compile(
    "|".join(
        f"(?:{'|'.join(MAIL_LANGUAGES[language].get('signatures', []))})"
        for language in REPLY_LANGUAGES
        if MAIL_LANGUAGES.get(language, {}).get("signatures")
    ),
    re.IGNORECASE,
)


def _is_name(words: str) -> bool:
    """Whether what follows a closing ("Thanks, Priya Sharma") reads as a name, not a sentence."""
    words = words.strip(" ,.-–—!")
    if not words:
        return True
    if len(words) > 40 or re.search(r"[.!?:;]", words):
        return False
    parts = words.split()
    return len(parts) <= 4 and all(
        not part[0].isalpha() or part[0].isupper() or part[0].lower() == part[0].upper() for part in parts
    )


def _signature_cut(signature: str) -> bool:
    """Whether mail-parser-reply's signature is one: its "Thanks,"/"Best," rule matches any
    line that starts so ("Thanks, that fixed it!"), which is a sentence to keep."""
    first = signature.strip().split("\n", 1)[0].lstrip("> ").strip()
    match = _CLOSING.match(first)
    if match is None:  # "-- ", underscores, "Sent from my iPhone"
        return True
    return _is_name(first[match.end() :])


def _reply_body(reply: Any) -> str:
    body: str = reply.content
    if reply.signatures and _signature_cut(reply.signatures):
        at = body.rfind(reply.signatures)
        if at >= 0:
            body = body[:at]
    for disclaimer in reply.disclaimers:
        if disclaimer:
            body = body.replace(disclaimer, "")
    return body.strip()


def _tidy_new_text(text: str) -> str:
    """The new text without what trails it: a quoted block the library left (no "wrote:" line
    above it), a separator line ("--", "* * *", underscores), blank lines."""
    lines = text.strip().split("\n")
    while lines:
        last = lines[-1].strip()
        if not last or last.startswith(">") or _RULE_LINE.fullmatch(last):
            lines.pop()
        else:
            break
    return _clean_body("\n".join(lines))


def _replies(text: str, problems: list[str]) -> Any:
    """mail-parser-reply's reading of a text (its replies, newest first), or None."""
    try:
        return ReplyMessage(text=text, languages=list(REPLY_LANGUAGES), keep_hyphen_lists=True).read()
    except Exception as exc:  # noqa: BLE001 - the library on odd text
        problems.append(f"quoted history not cut ({type(exc).__name__})")
        return None


def _new_text(full: str, subject: str, problems: list[str]) -> str:
    """The new text of a body: the quoted history and the signature cut off (mail-parser-reply),
    a forwarded message kept."""
    if not full:
        return ""
    cut_at = len(full)
    if len(full) > REPLY_LIMIT:
        cut_at = max(full.rfind("\n", 0, REPLY_LIMIT), REPLY_LIMIT // 2)
    sample, tail = full[:cut_at], full[cut_at:]
    # mail-parser-reply deletes a line of underscores (Outlook's separator, a list footer's)
    # before it looks for signatures, where it means one: a "-- " line says the same.
    sample = _UNDERSCORE_RULE.sub("-- ", sample)
    message = _replies(sample, problems)
    if message is None:
        return full
    replies = message.replies
    if not replies:
        return ""
    normalized: str = message.text
    first = replies[0]
    region_end = len(normalized)
    if len(replies) > 1 or first.headers:
        region_end = 0 if first.headers else normalized.find(first.content) + len(first.content)

    forward = _FORWARD_MARKER.search(normalized, 0, region_end) if region_end else None
    if forward is not None:
        before = normalized[: forward.start()]
        forwarded = normalized[forward.start() :] + tail
        lead_message = _replies(before, problems) if before.strip() else None
        lead = _reply_body(lead_message.replies[0]) if lead_message is not None and lead_message.replies else ""
        return _clean_body(f"{_tidy_new_text(lead)}\n\n{forwarded.strip()}")

    new = "" if first.headers else _reply_body(first)
    if _FORWARD_SUBJECT.match(subject) and (len(replies) > 1 or first.headers):
        # Outlook forwards with a "From: … Sent: …" block, just like a reply.
        rest = normalized[region_end:] + tail
        return _clean_body(f"{_tidy_new_text(new)}\n\n{rest.strip()}")
    if tail and len(replies) == 1 and not first.headers:
        return full  # no history in the first part of a long text: all of it is new
    return _tidy_new_text(new)


# --- MIME -----------------------------------------------------------------------------------

_DEFECTS = {
    errors.NoBoundaryInMultipartDefect: "missing MIME boundary",
    errors.StartBoundaryNotFoundDefect: "MIME boundary not found",
    errors.CloseBoundaryNotFoundDefect: "MIME boundary never closed",
    errors.FirstHeaderLineIsContinuationDefect: "first header line is a continuation",
    errors.MisplacedEnvelopeHeaderDefect: "misplaced envelope (From ) line",
    errors.MissingHeaderBodySeparatorDefect: "a malformed header line (taken as the start of the body)",
    errors.InvalidMultipartContentTransferEncodingDefect: "invalid transfer encoding on a multipart",
    errors.UndecodableBytesDefect: "undecodable bytes",
}

_REPORT_MACHINE_TYPES = frozenset(
    {
        "message/delivery-status",
        "message/global-delivery-status",
        "text/rfc822-headers",
        "message/rfc822-headers",
        "message/global-headers",
        "message/disposition-notification",
        "message/global-disposition-notification",
        "message/feedback-report",
    }
)
_SIGNATURE_TYPES = frozenset(
    {"application/pkcs7-signature", "application/x-pkcs7-signature", "application/pgp-signature"}
)
_RETURNED_HEADERS_TYPES = frozenset({"text/rfc822-headers", "message/rfc822-headers", "message/global-headers"})
_DSN_TYPES = frozenset({"message/delivery-status", "message/global-delivery-status"})
_MESSAGE_TYPES = frozenset({"message/rfc822", "message/global"})

_EXTENSIONS = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/jpg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/heic": ".heic",
    "image/svg+xml": ".svg",
    "image/bmp": ".bmp",
    "image/tiff": ".tif",
    "application/pdf": ".pdf",
    "application/zip": ".zip",
    "application/ms-tnef": ".dat",
    "application/vnd.ms-tnef": ".dat",
    "application/octet-stream": ".bin",
    "application/msword": ".doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.ms-excel": ".xls",
    "text/plain": ".txt",
    "text/html": ".html",
    "text/csv": ".csv",
    "text/calendar": ".ics",
    "text/rfc822-headers": ".txt",
    "message/rfc822": ".eml",
    "message/global": ".eml",
    "audio/mpeg": ".mp3",
    "video/mp4": ".mp4",
}
_BUILTIN_TYPES = mimetypes.MimeTypes(filenames=())  # no system files: the same answer everywhere


def _extension(content_type: str) -> str:
    return _EXTENSIONS.get(content_type) or _BUILTIN_TYPES.guess_extension(content_type) or ".bin"


_FILENAME_CHARS = re.compile(r'[\\/:*?"<>|]')


def _safe_filename(name: str) -> str:
    """A file name as one line, without a directory part, at most FILENAME_LIMIT long."""
    name = _one_line(_fix_surrogates(name))
    name = re.split(r"[\\/]", name)[-1].strip().lstrip(".").strip()
    if len(name) > FILENAME_LIMIT:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: FILENAME_LIMIT - len(ext) - 1] + "." + ext) if dot and len(ext) <= 10 else name[:FILENAME_LIMIT]
    return name


_BASE64_JUNK = re.compile(rb"[^A-Za-z0-9+/=\s]")
_BCHARS = re.compile(r"^[0-9A-Za-z'()+_,\-./:=? ]{1,70}$")


@dataclass
class _Report:
    kind: str  # "delivery-status", "disposition-notification", "feedback-report", other
    status_parts: list[Message]
    returned: list[Message]  # the returned original's headers, as a message


class _Reader:
    """One walk over a mail's MIME tree: body text chunks in order, the files, the problems."""

    def __init__(self, raw: bytes, problems: list[str]) -> None:
        self.problems = problems
        self.chunks: list[str] = []
        self.files: list[MailFile] = []
        self.report: _Report | None = None
        self.crlf = b"\r\n" in raw[:4096]
        self._text_cache: dict[int, str] = {}

    # .. the parts ..

    def walk(self, part: Message, number: str, *, text_mode: bool, in_related: bool, in_report: bool) -> None:
        where = f"part {number}" if number else "the body"
        if number.count(".") >= MAX_DEPTH:
            self._problem(f"MIME parts nested over {MAX_DEPTH} deep: the deeper ones left out")
            return
        self._defects(part, where)
        ctype = self._content_type(part)
        if ctype in _MESSAGE_TYPES or ctype in _REPORT_MACHINE_TYPES:
            self._machine_or_message(part, ctype, where, in_related=in_related, in_report=in_report)
            return
        if part.is_multipart():
            children = part.get_payload()
            if not isinstance(children, list):
                return
            subtype = ctype.split("/", 1)[1] if "/" in ctype else ""
            starts_report = subtype == "report" and self.report is None and not in_report
            if starts_report:
                kind = part.get_param("report-type")
                self.report = _Report(str(kind or "").strip().lower(), [], [])
            chosen = self._pick_alternative(children, number) if subtype == "alternative" else None
            for index, child in enumerate(children, 1):
                if not isinstance(child, Message):
                    continue
                if subtype == "signed" and child.get_content_type() in _SIGNATURE_TYPES:
                    continue  # an S/MIME or PGP signature: no file anyone attached
                self.walk(
                    child,
                    f"{number}.{index}" if number else str(index),
                    text_mode=text_mode and (chosen is None or index - 1 == chosen),
                    in_related=subtype == "related",
                    in_report=in_report or starts_report,
                )
            return
        if ctype.startswith("multipart/"):
            recovered = self._recover_multipart(part, ctype, where)
            if recovered is not None:
                self.walk(recovered, number, text_mode=text_mode, in_related=in_related, in_report=in_report)
                return
            ctype = "text/plain"
        if self._is_body(part, ctype):
            if text_mode:
                text = self._body_text(part, ctype, where)
                if text.strip():
                    self.chunks.append(text)
            return
        self._add_file(part, ctype, where, in_related)

    def _machine_or_message(self, part: Message, ctype: str, where: str, *, in_related: bool, in_report: bool) -> None:
        """An attached message (a file), or a machine-readable part of a report (not a file)."""
        if in_report and self.report is not None:
            if ctype in _DSN_TYPES or ctype in ("message/disposition-notification", "message/feedback-report"):
                self.report.status_parts.append(part)
            elif ctype in _RETURNED_HEADERS_TYPES:
                returned = self._returned_headers(part)
                if returned is not None:
                    self.report.returned.append(returned)
            elif ctype in _MESSAGE_TYPES:
                inner = self._inner_message(part)
                if inner is not None:
                    self.report.returned.append(inner)
        if ctype in _MESSAGE_TYPES:
            self._add_file(part, ctype, where, in_related)

    def _content_type(self, part: Message) -> str:
        try:
            ctype = part.get_content_type().lower()
        except Exception:  # noqa: BLE001
            return "application/octet-stream"
        declared = part.get("content-type") if "content-type" in part else None
        if ctype == "text/plain" and declared is not None:
            main = str(declared).split(";", 1)[0].strip().lower()
            if main and main != "text/plain" and "/" not in main:  # "image": no valid type
                return "application/octet-stream"
        return ctype

    def _defects(self, part: Message, where: str) -> None:
        for defect in getattr(part, "defects", []):
            for kind, text in _DEFECTS.items():
                if isinstance(defect, kind):
                    self._problem(f"{text} in {where}")
                    break

    def _problem(self, text: str) -> None:
        if text not in self.problems:
            self.problems.append(text)

    def _disposition(self, part: Message) -> str:
        try:
            return (part.get_content_disposition() or "").lower()
        except Exception:  # noqa: BLE001
            return ""

    def _filename(self, part: Message) -> str:
        name: Any = None
        try:
            name = part.get_filename()
        except Exception:  # noqa: BLE001 - a broken parameter: try the Content-Type name
            name = None
        if not name:
            try:
                name = part.get_param("name")
            except Exception:  # noqa: BLE001
                name = None
        if isinstance(name, tuple):  # an RFC 2231 value the email package left undecoded
            charset, _, value = name
            name = value.encode("latin-1", "replace").decode(_codec(charset) or "utf-8", "replace")
        if not name:
            return ""
        name = str(name)
        if "=?" in name:  # an encoded word left undecoded inside a quoted value
            name = _decode_header_text(name, "a file name", self.problems)
        return _safe_filename(name)

    def _is_body(self, part: Message, ctype: str) -> bool:
        return (
            ctype in ("text/plain", "text/html")
            and self._disposition(part) != "attachment"
            and not self._filename(part)
        )

    def _pick_alternative(self, children: list[Any], number: str) -> int:
        """The alternative to read the text from: text/plain, unless it is empty; else HTML."""
        plain = html = None
        for index, child in enumerate(children):
            if not isinstance(child, Message):
                continue
            kinds = self._body_kinds(child)
            child_number = f"{number}.{index + 1}" if number else str(index + 1)
            if plain is None and "text/plain" in kinds and self._has_text(child, child_number):
                plain = index
            if html is None and "text/html" in kinds:
                html = index
        if plain is not None:
            return plain
        if html is not None:
            return html
        return len(children) - 1

    def _body_kinds(self, part: Message) -> set[str]:
        if part.is_multipart():
            payload = part.get_payload()
            kinds: set[str] = set()
            for child in payload if isinstance(payload, list) else []:
                if isinstance(child, Message) and child.get_content_type() not in _MESSAGE_TYPES:
                    kinds |= self._body_kinds(child)
            return kinds
        ctype = self._content_type(part)
        return {ctype} if self._is_body(part, ctype) else set()

    def _has_text(self, part: Message, number: str) -> bool:
        if part.is_multipart():
            payload = part.get_payload()
            return any(
                isinstance(child, Message) and self._has_text(child, f"{number}.{index}")
                for index, child in enumerate(payload if isinstance(payload, list) else [], 1)
            )
        ctype = self._content_type(part)
        return (
            ctype == "text/plain" and self._is_body(part, ctype) and bool(self._plain(part, f"part {number}").strip())
        )

    # .. content ..

    def _payload(self, part: Message, where: str) -> bytes:
        fast = self._base64(part, where)
        if fast is not None:
            return fast
        before = len(part.defects)
        try:
            data = part.get_payload(decode=True)
        except Exception as exc:  # noqa: BLE001
            self._problem(f"undecodable content in {where} ({type(exc).__name__})")
            return b""
        new = part.defects[before:]
        del part.defects[before:]
        if any(isinstance(d, errors.InvalidBase64LengthDefect) for d in new):
            self._problem(f"bad base64 in {where}: cannot be decoded")
            return b""
        if any(isinstance(d, errors.InvalidBase64CharactersDefect) for d in new):
            self._problem(f"bad base64 in {where}: invalid characters skipped")
        elif any(isinstance(d, errors.InvalidBase64PaddingDefect) for d in new):
            self._problem(f"bad base64 padding in {where}")
        if not isinstance(data, bytes):
            return b""
        return data

    def _base64(self, part: Message, where: str) -> bytes | None:
        """Base64 decoded in one go (the email package splits it into lines first, at three
        times the size in memory); None when it needs the email package's repairs."""
        try:
            cte = str(part.get("content-transfer-encoding", "")).strip().lower()
        except Exception:  # noqa: BLE001
            return None
        if cte != "base64":
            return None
        try:  # (with 8-bit junk in it, get_payload decodes it in the declared charset: may raise)
            payload = part.get_payload()
        except Exception:  # noqa: BLE001
            return None
        if not isinstance(payload, str) or not payload.isascii():
            return None  # 8-bit junk (read as U+FFFD by get_payload): the email package's way
        data = payload.encode("ascii")
        try:
            decoded = binascii.a2b_base64(data)  # skips what is not base64 (line breaks...)
        except (binascii.Error, ValueError):
            return None  # bad padding or length: see what the email package makes of it
        if _BASE64_JUNK.search(data):
            self._problem(f"bad base64 in {where}: invalid characters skipped")
        return decoded

    def _charset(self, part: Message) -> str | None:
        try:
            charset = part.get_param("charset")
        except Exception:  # noqa: BLE001
            return None
        if isinstance(charset, tuple):
            charset = charset[2]
        return str(charset) if charset else None

    def _plain(self, part: Message, where: str) -> str:
        key = id(part)
        if key not in self._text_cache:
            text = _decode_bytes(self._payload(part, where), self._charset(part), where, self.problems)
            try:
                flowed = str(part.get_param("format") or "").lower() == "flowed"
                delsp = str(part.get_param("delsp") or "").lower() == "yes"
            except Exception:  # noqa: BLE001
                flowed = delsp = False
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            if flowed:
                text = _unflow(text, delsp)
            self._text_cache[key] = text
        return self._text_cache[key]

    def _body_text(self, part: Message, ctype: str, where: str) -> str:
        if ctype == "text/html":
            data = self._payload(part, where)
            charset = self._charset(part)
            if not charset:
                meta = re.search(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", data[:4096], re.IGNORECASE)
                charset = meta.group(1).decode("ascii") if meta else None
            return _html_to_text(_decode_bytes(data, charset, where, self.problems), where, self.problems)
        text = self._plain(part, where)
        if _HTML_DOCUMENT.match(text):  # HTML sent as text/plain
            return _html_to_text(text, where, self.problems)
        return text

    def _recover_multipart(self, part: Message, ctype: str, where: str) -> Message | None:
        """A multipart whose boundary is missing (or wrong): the boundary its body uses, guessed
        from its first "--" line, and the part read again with it."""
        try:
            payload = part.get_payload()
        except Exception:  # noqa: BLE001 - 8-bit bytes in a charset that cannot read them
            return None
        if not isinstance(payload, str):
            return None
        boundary = None
        for line in payload.splitlines():
            if line.startswith("--") and len(line) > 2:
                candidate = line[2:].rstrip()
                if candidate.endswith("--") and payload.count("--" + candidate[:-2]) > 1:
                    candidate = candidate[:-2]
                if _BCHARS.match(candidate) and not candidate.endswith(" "):
                    boundary = candidate
                break
        if boundary is None:
            self._problem(f"{where} is a multipart without parts: read as text")
            return None
        self._problem(f"MIME boundary guessed in {where}")
        subtype = ctype if re.fullmatch(r"multipart/[a-z0-9.+-]+", ctype) else "multipart/mixed"
        head = f'Content-Type: {subtype}; boundary="{boundary}"\r\n\r\n'.encode("ascii")
        try:
            recovered = BytesParser(policy=policy.default).parsebytes(head + payload.encode("utf-8", "surrogateescape"))
        except Exception:  # noqa: BLE001
            return None
        if not recovered.is_multipart():
            return None
        recovered.defects.clear()
        return recovered

    def _inner_message(self, part: Message) -> Message | None:
        payload = part.get_payload()
        if isinstance(payload, list) and payload and isinstance(payload[0], Message):
            return payload[0]
        return None

    def _returned_headers(self, part: Message) -> Message | None:
        try:
            data = self._payload(part, "the returned headers")
            return BytesHeaderParser(policy=policy.default).parsebytes(data)
        except Exception:  # noqa: BLE001
            return None

    def _message_bytes(self, part: Message, where: str) -> bytes:
        inner = self._inner_message(part)
        if inner is None:
            return self._payload(part, where)
        try:
            data = inner.as_bytes(
                policy=policy.default.clone(refold_source="none", linesep="\r\n" if self.crlf else "\n")
            )
        except Exception as exc:  # noqa: BLE001
            self._problem(f"attached message in {where} not written back ({type(exc).__name__})")
            return b""
        cte = str(part.get("content-transfer-encoding", "")).strip().lower()
        if cte in ("base64", "quoted-printable"):  # not allowed on message/rfc822, but sent
            self._problem(f"attached message in {where} with {cte} encoding")
            try:
                data = base64.b64decode(data) if cte == "base64" else quopri.decodestring(data)
            except (binascii.Error, ValueError):
                data = b""
        return data

    def _add_file(self, part: Message, ctype: str, where: str, in_related: bool) -> None:
        number = len(self.files) + 1
        filename = self._filename(part)
        if ctype in _MESSAGE_TYPES:
            content = self._message_bytes(part, where)
            if not filename:
                inner = self._inner_message(part)
                subject = _Headers(inner, []).text("subject") if inner is not None else ""
                filename = _safe_filename(_FILENAME_CHARS.sub("-", subject)) or "forwarded"
            if not filename.lower().endswith(".eml"):
                filename += ".eml"
        else:
            content = self._payload(part, where)
        if not filename:
            filename = f"attachment-{number}{_extension(ctype)}"
        try:
            cid_raw = str(part.get("content-id", "") or "")
        except Exception:  # noqa: BLE001
            cid_raw = ""
        content_id = _one_line(cid_raw).strip().strip("<>").strip()
        inline = self._disposition(part) == "inline" or bool(content_id and in_related)
        self.files.append(
            MailFile(filename=filename, content=content, content_type=ctype, inline=inline, content_id=content_id)
        )


# --- bounces --------------------------------------------------------------------------------

_ENHANCED_STATUS = re.compile(r"\b([245]\.\d{1,3}\.\d{1,3})\b")


def _status_blocks(part: Message, reader: _Reader) -> list[list[tuple[str, str]]]:
    """The field blocks of a message/delivery-status part (per message, then per recipient)."""
    try:
        payload = part.get_payload()
    except Exception:  # noqa: BLE001
        payload = None
    if isinstance(payload, list):
        messages = [item for item in payload if isinstance(item, Message)]
    else:  # encoded, or not split by the email package: split the blocks here
        text = _decode_bytes(reader._payload(part, "the delivery status"), "utf-8", "the delivery status", [])
        messages = []
        for block in re.split(r"\r?\n[ \t]*\r?\n", text):
            if block.strip():
                messages.append(BytesHeaderParser(policy=policy.default).parsebytes(block.encode("utf-8")))
    blocks = []
    for message in messages:
        fields = [
            (name.lower().strip(), _one_line(_FOLD.sub("", _fix_surrogates(str(value)))))
            for name, value in message.raw_items()
        ]
        blocks.append(fields)
    return blocks


def _line_at(text: str, index: int) -> str:
    start = text.rfind("\n", 0, index) + 1
    end = text.find("\n", index)
    return text[start : end if end >= 0 else len(text)].strip()


def _field_address(value: str) -> str:
    """The address of a Final-Recipient/Original-Recipient field ("rfc822; user@example.com")."""
    _, _, address = value.partition(";") if ";" in value else ("", "", value)
    return (_address(address.strip().strip("<>")) or "") if address else ""


def _dsn(reader: _Reader, headers: _Headers, full_text: str) -> Bounce | None:
    report = reader.report
    recipients: list[dict[str, str]] = []
    if report is not None and report.kind in ("delivery-status", "global-delivery-status"):
        for part in report.status_parts:
            for block in _status_blocks(part, reader):
                fields = dict(reversed(block))  # the first of each name
                if "final-recipient" in fields or "original-recipient" in fields or "action" in fields:
                    recipients.append(fields)
    elif headers.first("x-failed-recipients") is not None:  # Exim's own (non-DSN) bounces
        for address in re.split(r"[,\s]+", headers.first("x-failed-recipients") or ""):
            found = _address(address.strip("<>"))
            if found:
                status = _ENHANCED_STATUS.search(full_text)
                line = _line_at(full_text, status.start()) if status else ""
                recipients.append(
                    {
                        "final-recipient": f"rfc822; {found}",
                        "action": "failed",
                        "status": status[1] if status else "",
                        "diagnostic-code": line,
                    }
                )
        if not recipients:
            return None
    else:
        return None

    failed: list[str] = []
    first_failed: dict[str, str] | None = None
    for fields in recipients:
        if fields.get("action", "").split()[0:1] != ["failed"]:
            continue
        address = _field_address(fields.get("final-recipient", "")) or _field_address(
            fields.get("original-recipient", "")
        )
        if address and address not in failed:
            failed.append(address)
        if first_failed is None:
            first_failed = fields
    chosen = first_failed or (recipients[0] if recipients else {})
    diagnostic = chosen.get("diagnostic-code", "")
    if ";" in diagnostic[:20]:
        diagnostic = diagnostic.split(";", 1)[1]
    diagnostic = _one_line(diagnostic)[:DIAGNOSTIC_LIMIT]
    status_match = _ENHANCED_STATUS.search(chosen.get("status", "")) or _ENHANCED_STATUS.search(diagnostic)
    status = status_match[1] if status_match else ""

    original_id = delivery_id = ""
    returned = list(report.returned) if report is not None else []
    if not returned:  # the original as text (Exim's "------ This is a copy of the message")
        copy = re.search(r"^-{3,}[^\n]*copy of the message[^\n]*\n", full_text, re.IGNORECASE | re.MULTILINE)
        if copy:
            tail = full_text[copy.end() :].lstrip("\n")
            returned = [BytesHeaderParser(policy=policy.default).parsebytes(tail.encode("utf-8", "replace"))]
    for message in returned:
        original = _Headers(message, [])
        ids = _message_ids(original.first("message-id"))
        original_id = original_id or (ids[0] if ids else "")
        delivery_id = delivery_id or _one_line(original.first("x-desk-delivery") or "").strip("<>").strip()[:100]
    return Bounce(
        recipients=tuple(failed),
        status=status,
        permanent=bool(failed) and status.startswith("5"),
        diagnostic=diagnostic,
        original_message_id=original_id,
        delivery_id=delivery_id,
    )


# --- the mail -------------------------------------------------------------------------------


_BOUNDARY_PARAMETER = re.compile(rb'boundary\s*=\s*"?([^"\s;]{1,200})', re.IGNORECASE)


def _boundary_lines(raw: bytes) -> int:
    """About how many MIME parts the mail has: its lines that start with a declared boundary."""
    boundaries = set()
    for match in _BOUNDARY_PARAMETER.finditer(raw):
        boundaries.add(match.group(1))
        if len(boundaries) > 100:  # a part count in itself: count every "--" line instead
            return raw.count(b"\n--")
    return sum(raw.count(b"\n--" + boundary) for boundary in boundaries)


def _read_message(raw: bytes, problems: list[str]) -> Message:
    if not isinstance(raw, bytes | bytearray | memoryview):
        raise MalformedMail(f"not bytes but {type(raw).__name__}")
    raw = bytes(raw)
    if not raw.strip():
        raise MalformedMail("empty")
    # policy.default parses a header each time it is read (about a millisecond a MIME part, all
    # told): a mail of thousands of parts is read with compat32 (same structure, plain header
    # strings; the headers that matter are decoded here anyway), tens of thousands not at all.
    boundaries = _boundary_lines(raw)
    if boundaries > MAX_PARTS:
        raise MalformedMail(f"more than {MAX_PARTS} MIME parts")
    reading = policy.default
    if boundaries > FAST_PARTS:
        reading = policy.compat32
        problems.append(f"over {FAST_PARTS} MIME parts")
    try:
        # Fed in pieces: the email package splits what it is given into lines at once, which
        # for a whole 20 MB mail costs seven times its size in memory (pieces: about two).
        parser = BytesFeedParser(policy=reading)
        view = memoryview(raw)
        for start in range(0, len(raw), FEED_CHUNK):
            parser.feed(bytes(view[start : start + FEED_CHUNK]))
        message = parser.close()
    except Exception as exc:  # noqa: BLE001
        raise MalformedMail(f"unreadable: {type(exc).__name__}")
    names = {str(name).lower().strip() for name, _ in message.raw_items()}
    if not names:
        raise MalformedMail("no headers")
    if not names & _MAIL_HEADERS:
        raise MalformedMail("no mail headers (From, To, Subject, Date, Message-ID...)")
    return message


def parse(raw: bytes) -> ParsedMail:
    """The mail in `raw` (RFC 5322 bytes). Raises MalformedMail when they are no mail at all."""
    problems: list[str] = []
    message = _read_message(raw, problems)
    try:
        return _parse(message, bytes(raw), problems)
    except MalformedMail:
        raise
    except RecursionError:
        raise MalformedMail("MIME parts nested too deeply")
    except Exception as exc:  # noqa: BLE001 - a bug here must not take the mail with it
        raise MalformedMail(f"could not be read ({type(exc).__name__}: {_one_line(str(exc))[:200]})")


def _parse(message: Message, raw: bytes, problems: list[str]) -> ParsedMail:
    headers = _Headers(message, problems)

    ids = _message_ids(headers.first("message-id"))
    message_id = ids[0] if ids else ""
    if not message_id:
        problems.append("no Message-ID")
    senders = headers.addresses("from")
    if not senders:
        problems.append("no From address" if headers.first("from") is None else "unreadable From address")
    from_name, from_address = senders[0] if senders else ("", "")
    reply_to = headers.addresses("reply-to")
    subject = headers.text("subject")

    reader = _Reader(raw, problems)
    reader.walk(message, "", text_mode=True, in_related=False, in_report=False)
    full_text = _clean_body("\n\n".join(reader.chunks))
    text = _new_text(full_text, subject, problems)

    bounce = _dsn(reader, headers, full_text)
    auto_reply, bulk, reason = _automatic(headers, subject)
    report_kind = reader.report.kind if reader.report is not None else ""
    if bounce is not None:
        auto_reply = False  # a bounce is its own kind of automatic mail, not an out-of-office
        reason = (
            "Content-Type: multipart/report; report-type=delivery-status"
            if report_kind.endswith("delivery-status")
            else f"X-Failed-Recipients: {_one_line(headers.first('x-failed-recipients') or '')[:120]}"
        )
    elif report_kind in ("disposition-notification", "global-disposition-notification"):
        auto_reply = True  # a read receipt
        reason = f"Content-Type: multipart/report; report-type={report_kind}"
    elif report_kind == "feedback-report" and not bulk:
        bulk = True
        reason = reason or "Content-Type: multipart/report; report-type=feedback-report"

    def unique(addresses: list[tuple[str, str]]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(address for _, address in addresses))

    return ParsedMail(
        message_id=message_id,
        from_address=from_address,
        from_name=from_name,
        reply_to=reply_to[0][1] if reply_to else "",
        to=unique(headers.addresses("to")),
        cc=unique(headers.addresses("cc")),
        delivered_to=unique(headers.addresses("delivered-to", "x-original-to", "envelope-to")),
        subject=subject,
        in_reply_to=tuple(_message_ids(headers.first("in-reply-to"))),
        references=tuple(_message_ids(" ".join(headers.all("references")))),
        date=_date(headers.first("date"), problems),
        auto_reply=auto_reply,
        bulk=bulk,
        automatic_reason=reason,
        bounce=bounce,
        text=text,
        full_text=full_text,
        files=tuple(reader.files),
        problems=tuple(dict.fromkeys(problems)),
    )
