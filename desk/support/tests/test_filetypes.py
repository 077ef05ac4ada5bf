"""Type detection from bytes and filename sanitizing, unit by unit."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest

from desk.support import filetypes
from desk.support.tests import files


def sniff(data: bytes, name: str) -> filetypes.Sniffed:
    return filetypes.sniff(io.BytesIO(data), name)


@pytest.mark.parametrize(
    ("data", "name", "content_type", "extension"),
    [
        (files.png_bytes(), "a.png", filetypes.PNG, ".png"),
        (files.png_bytes(), "no-extension", filetypes.PNG, ".png"),
        (files.jpeg_bytes(), "a.jfif", filetypes.JPEG, ".jfif"),
        (files.jpeg_bytes(), "", filetypes.JPEG, ".jpg"),
        (files.gif_bytes(), "a.gif", filetypes.GIF, ".gif"),
        (files.webp_bytes(), "a.webp", filetypes.WEBP, ".webp"),
        (files.pdf_bytes(), "a.PDF", filetypes.PDF, ".pdf"),
        (files.docx_bytes(), "a.docx", filetypes.DOCX, ".docx"),
        (files.xlsx_bytes(), "a.xlsx", filetypes.XLSX, ".xlsx"),
        (files.odt_bytes(), "a.odt", filetypes.ODT, ".odt"),
        (files.TEXT, "a.txt", filetypes.TEXT, ".txt"),
        (files.TEXT, "no-extension", filetypes.TEXT, ".txt"),
        (files.TEXT, "a.md", filetypes.TEXT, ".txt"),  # text is stored as .txt whatever its name
        (files.CSV, "a.csv", filetypes.CSV, ".csv"),
        (b"\xef\xbb\xbfwith a BOM\r\n", "bom.txt", filetypes.TEXT, ".txt"),
    ],
)
def test_allowed(data: bytes, name: str, content_type: str, extension: str) -> None:
    assert sniff(data, name) == filetypes.Sniffed(content_type, extension)


def test_text_with_a_character_split_across_read_chunks() -> None:
    data = b"a" * (64 * 1024 - 1) + "é".encode() + b" the end"
    assert sniff(data, "long.txt").content_type == filetypes.TEXT


def _png_claiming(width: int, height: int) -> bytes:
    """A PNG header announcing huge dimensions (a decompression bomb), without pixel data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"", "empty.txt"),
        (files.HTML, "a.png"),
        (files.HTML, "a.txt"),
        (b"\n\n   <svg onload=alert(1)>", "a.txt"),
        (b"<?xml version='1.0'?><x/>", "data.txt"),
        (files.WINDOWS_EXE, "a.png"),
        (files.WINDOWS_EXE, "a.exe"),
        (files.ELF_BINARY, "a"),
        ("café".encode("latin-1") + b" bill", "latin1.txt"),  # only UTF-8 text is taken
        (b"bell \x07 in text", "a.txt"),
        (b"plain text", "a.js"),
        (b"plain text", "a.svg"),
        (b"plain text", "a.png"),
        (b"plain text", "a.docx"),
        (files.png_bytes(), "a.jpg"),
        (files.docx_bytes(), "a.xlsx"),
        (_png_claiming(20_000, 20_000), "bomb.png"),
        (files.png_bytes()[:-20], "cut.png"),
        (files.gif_bytes()[:12], "cut.gif"),
        (_zip({"[Content_Types].xml": b"<Types/>"}), "a.docx"),  # OOXML without a main part
        (_zip({"mimetype": b"application/vnd.oasis.opendocument.text"}), "a.odt"),  # no content.xml
        (_zip({"mimetype": b"x" * 500, "content.xml": b""}), "a.odt"),
        (_zip({"mimetype": b"application/x-evil", "content.xml": b""}), "a.odt"),
        (b"PK\x03\x04 not really a zip", "a.docx"),
        (files.plain_zip_bytes(), "a.zip"),
    ],
)
def test_refused(data: bytes, name: str) -> None:
    with pytest.raises(filetypes.Rejected):
        sniff(data, name)


def test_stream_is_rewound() -> None:
    stream = io.BytesIO(files.docx_bytes())
    stream.read(10)
    filetypes.sniff(stream, "a.docx")
    assert stream.tell() == 0


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("report.pdf", "report.pdf"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("dir/sub/name.txt", "name.txt"),
        ("invoice\u202egnp.exe", "invoicegnp.exe"),  # a right-to-left override hides the real extension
        ("zero\u200bwidth.txt", "zerowidth.txt"),
        ("tab\there\x00.txt", "tabhere.txt"),
        ('a<b>c:d"e|f?g*h.txt', "a_b_c_d_e_f_g_h.txt"),
        ("  spaces   inside  .txt  ", "spaces inside .txt"),
        ("trailing dots...", "trailing dots"),
        (".hidden", "hidden"),
        ("...", "file"),
        ("", "file"),
        ("e\u0301cole.txt", "école.txt"),  # NFC: one character, not two
        ("n" * 300 + ".docx", "n" * 250 + ".docx"),
        ("n" * 300 + "." + "e" * 30, "n" * 255),  # an absurd extension is not kept
    ],
)
def test_sanitize_filename(raw: str, clean: str) -> None:
    result = filetypes.sanitize_filename(raw)
    assert result == clean
    assert len(result) <= 255


def test_sanitize_respects_a_smaller_limit() -> None:
    assert filetypes.sanitize_filename("abcdefghij.pdf", max_length=8) == "abcd.pdf"
