"""Decide an upload's type from its bytes, never from its name or the client's header.

An upload is accepted only when its bytes are one of SPEC's allowed types and its name (if it has
an extension) agrees with them. Text must be UTF-8 without markup that a browser would run;
images must open, be within a pixel budget and not be truncated.
"""

from __future__ import annotations

import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO

from PIL import Image, UnidentifiedImageError

PNG, JPEG, GIF, WEBP = "image/png", "image/jpeg", "image/gif", "image/webp"
PDF, TEXT, CSV = "application/pdf", "text/plain", "text/csv"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"

IMAGE_TYPES = frozenset({PNG, JPEG, GIF, WEBP})

EXTENSIONS: dict[str, frozenset[str]] = {
    PNG: frozenset({".png"}),
    JPEG: frozenset({".jpg", ".jpeg", ".jpe", ".jfif"}),
    GIF: frozenset({".gif"}),
    WEBP: frozenset({".webp"}),
    PDF: frozenset({".pdf"}),
    CSV: frozenset({".csv"}),
    DOCX: frozenset({".docx"}),
    XLSX: frozenset({".xlsx"}),
    PPTX: frozenset({".pptx"}),
    ODT: frozenset({".odt"}),
    ODS: frozenset({".ods"}),
    ODP: frozenset({".odp"}),
}
DEFAULT_EXTENSION = {
    PNG: ".png",
    JPEG: ".jpg",
    GIF: ".gif",
    WEBP: ".webp",
    PDF: ".pdf",
    TEXT: ".txt",
    CSV: ".csv",
    DOCX: ".docx",
    XLSX: ".xlsx",
    PPTX: ".pptx",
    ODT: ".odt",
    ODS: ".ods",
    ODP: ".odp",
}
# Text is text whatever its name, except names that a desktop would open as a program or a page.
DANGEROUS_EXTENSIONS = frozenset(
    {
        ".htm",
        ".html",
        ".xhtml",
        ".shtml",
        ".svg",
        ".svgz",
        ".xml",
        ".xsl",
        ".js",
        ".mjs",
        ".hta",
        ".exe",
        ".dll",
        ".com",
        ".scr",
        ".msi",
        ".bat",
        ".cmd",
        ".ps1",
        ".vbs",
        ".vbe",
        ".wsf",
        ".jar",
        ".sh",
        ".php",
        ".py",
        ".pl",
        ".rb",
        ".lnk",
        ".app",
        ".apk",
        ".swf",
        ".url",
        ".desktop",
    }
)
_ALL_KNOWN = frozenset().union(*EXTENSIONS.values())
_MARKUP_PREFIXES = (b"<!doctype", b"<html", b"<svg", b"<script", b"<?xml", b"<head", b"<body", b"<iframe", b"<!--")
_OOXML_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}
_ODF_TYPES = {ODT, ODS, ODP}

MAX_IMAGE_PIXELS = 40_000_000
# Decoding every pixel proves an image is whole, but costs memory in proportion to its pixels, not
# its bytes (a 70 KB WebP of 6300×6300 took 600 MB to decode). Above these budgets an image is
# checked from its header and its container's own structure instead: a PNG's chunk checksums up to
# IEND, a WebP's RIFF length. JPEG is decoded at 1/8 scale and GIF at one byte a pixel: always.
DECODE_MAX_PIXELS = {PNG: 16_000_000, WEBP: 4_000_000}
SNIFF_BYTES = 8192
# An office document is a zip: what it unpacks to is bounded, so that no reader of it (a
# previewer, an indexer, a colleague's desktop) inflates a few megabytes into gigabytes.
ARCHIVE_MAX_ENTRIES = 5_000
ARCHIVE_MAX_UNPACKED_BYTES = 256 * 1024 * 1024


class Rejected(Exception):
    """The bytes are not an allowed type (or do not match the name)."""


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    extension: str


def sanitize_filename(raw: str, *, max_length: int = 255) -> str:
    """The original name made safe to store and show: no folders, control characters or
    reserved characters, at most `max_length` characters with the extension kept."""
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").split("/")[-1]
    name = "".join("_" if ch in '<>:"|?*' else ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = " ".join(name.split()).strip(" .")
    if not name:
        name = "file"
    if len(name) > max_length:
        suffix = PurePosixPath(name).suffix
        suffix = suffix if len(suffix) <= 16 else ""
        name = name[: max_length - len(suffix)].rstrip(" .") + suffix
    return name


def _zip_type(stream: IO[bytes]) -> str | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            content_type: str | None = None
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size <= 100:
                    declared = archive.read("mimetype").decode("ascii", "replace").strip()
                    if declared in _ODF_TYPES and "content.xml" in names:
                        content_type = declared
            elif "[Content_Types].xml" in names:
                content_type = next((ctype for part, ctype in _OOXML_PARTS.items() if part in names), None)
            if content_type is not None:
                _check_unpacked_size(archive)
            return content_type
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, RuntimeError, NotImplementedError, EOFError):
        return None


def _check_unpacked_size(archive: zipfile.ZipFile) -> None:
    """Refuse an archive with too many entries, or one that unpacks to more than the budget: by
    what it declares first, then by inflating it (a declared size can lie), a chunk at a time."""
    entries = archive.infolist()
    if len(entries) > ARCHIVE_MAX_ENTRIES:
        raise Rejected(f"The document holds more than {ARCHIVE_MAX_ENTRIES:,} parts.")
    too_large = Rejected("The document unpacks to more than 256 MB.")
    if sum(entry.file_size for entry in entries) > ARCHIVE_MAX_UNPACKED_BYTES:
        raise too_large
    unpacked = 0
    for entry in entries:
        with archive.open(entry) as part:  # raises on a part larger than it declares
            while chunk := part.read(1 << 20):
                unpacked += len(chunk)
                if unpacked > ARCHIVE_MAX_UNPACKED_BYTES:
                    raise too_large


def _is_text(stream: IO[bytes]) -> bool:
    decoder_state = b""
    first = True
    while chunk := stream.read(64 * 1024):
        data = decoder_state + chunk
        if first:
            first = False
            head = data.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
            if head.startswith(_MARKUP_PREFIXES):
                return False
        if b"\x00" in data:
            return False
        try:
            text = data.decode("utf-8")
            decoder_state = b""
        except UnicodeDecodeError as exc:
            if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
                text = data[: exc.start].decode("utf-8", "strict")
                decoder_state = data[exc.start :]
            else:
                return False
        if any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f" for ch in text):
            return False
    return not decoder_state


def _check_pixels(width: int, height: int) -> None:
    if width <= 0 or height <= 0 or width * height > MAX_IMAGE_PIXELS:
        raise Rejected("The image's dimensions are too large.")


def _webp_size(stream: IO[bytes]) -> tuple[int, int]:
    """A WebP's canvas size from its first chunk, after checking that the RIFF container is whole.
    Read before any decoder runs: libwebp allocates the whole canvas as soon as it opens a file."""
    stream.seek(0, 2)
    length = stream.tell()
    stream.seek(0)
    head = stream.read(30)
    stream.seek(0)
    if len(head) < 30 or int.from_bytes(head[4:8], "little") + 8 > length:
        raise Rejected("The image is damaged or incomplete.")
    chunk = head[12:16]
    if chunk == b"VP8X":
        return 1 + int.from_bytes(head[24:27], "little"), 1 + int.from_bytes(head[27:30], "little")
    if chunk == b"VP8L" and head[20] == 0x2F:
        bits = int.from_bytes(head[21:25], "little")
        return 1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF)
    if chunk == b"VP8 " and head[23:26] == b"\x9d\x01\x2a":
        return int.from_bytes(head[26:28], "little") & 0x3FFF, int.from_bytes(head[28:30], "little") & 0x3FFF
    raise Rejected("The image is damaged or incomplete.")


def _check_image(stream: IO[bytes], content_type: str) -> None:
    if content_type == WEBP:
        width, height = _webp_size(stream)
        _check_pixels(width, height)
        if width * height > DECODE_MAX_PIXELS[WEBP]:
            return
    try:
        with Image.open(stream) as image:
            width, height = image.size
            _check_pixels(width, height)
            image.verify()
        if width * height > DECODE_MAX_PIXELS.get(content_type, MAX_IMAGE_PIXELS):
            return
        stream.seek(0)
        with Image.open(stream) as image:
            if content_type == JPEG:
                image.draft("L", (max(1, width // 8), max(1, height // 8)))
            image.load()
    except Rejected:
        raise
    except Image.DecompressionBombError as exc:
        raise Rejected("The image's dimensions are too large.") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise Rejected("The image is damaged or incomplete.") from exc


def sniff(stream: IO[bytes], filename: str) -> Sniffed:
    """Return the upload's type, or raise Rejected. `stream` is rewound before and after."""
    stream.seek(0)
    head = stream.read(SNIFF_BYTES)
    stream.seek(0)
    extension = PurePosixPath(filename).suffix.lower()

    content_type: str | None = None
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        content_type = PNG
    elif head.startswith(b"\xff\xd8\xff"):
        content_type = JPEG
    elif head.startswith((b"GIF87a", b"GIF89a")):
        content_type = GIF
    elif len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        content_type = WEBP
    elif head.startswith(b"%PDF-"):
        content_type = PDF
    elif head.startswith(b"PK\x03\x04"):
        content_type = _zip_type(stream)
        stream.seek(0)
    elif head and _is_text(stream):
        content_type = CSV if extension == ".csv" else TEXT
        stream.seek(0)
    stream.seek(0)

    if content_type is None:
        raise Rejected("This type of file is not allowed.")
    if content_type in IMAGE_TYPES:
        _check_image(stream, content_type)
        stream.seek(0)
    if extension:
        if content_type in (TEXT, CSV):
            if extension in DANGEROUS_EXTENSIONS or (extension in _ALL_KNOWN and extension != ".csv"):
                raise Rejected("The file's name does not match its contents.")
        elif extension not in EXTENSIONS[content_type]:
            raise Rejected("The file's name does not match its contents.")
    # The stored name's extension says what the bytes are: text is stored as .txt (or .csv) whatever
    # it was called (`notes.xht`, `run.cgi`), so nothing that serves the storage takes it for a page.
    if content_type in (TEXT, CSV) or not extension:
        extension = DEFAULT_EXTENSION[content_type]
    return Sniffed(content_type=content_type, extension=extension)
