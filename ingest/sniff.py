"""What a file is, from its bytes alone: the name and the sender's content type are never trusted."""

from __future__ import annotations

import re
from dataclasses import dataclass

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"
XML = "application/xml"
EML = "message/rfc822"
ZIP = "application/zip"

ACCEPTED = frozenset({PDF, PNG, JPEG, TIFF, XML, EML, ZIP})
CONTAINERS = frozenset({EML, ZIP})
EXTENSIONS = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg", TIFF: ".tif", XML: ".xml", EML: ".eml", ZIP: ".zip"}

# Recognised but refused: saying what the file is helps the sender more than "unsupported".
_KNOWN_OTHERS: tuple[tuple[bytes, str], ...] = (
    (b"MZ", "a Windows executable"),
    (b"\x7fELF", "a Linux executable"),
    (b"GIF8", "a GIF image"),
    (b"\xd0\xcf\x11\xe0", "a legacy Microsoft Office file"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"RIFF", "a RIFF media file (WebP/WAV/AVI)"),
    (b"%!PS", "a PostScript file"),
    (b"{\\rtf", "an RTF document"),
)
_HEADER_LINE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]{1,60}:[ \t]?.*$")
_MAIL_HEADERS = {b"from", b"to", b"subject", b"date", b"message-id", b"mime-version", b"received",
                 b"return-path", b"content-type", b"delivered-to", b"reply-to", b"cc", b"x-mailer"}


@dataclass(frozen=True)
class Sniffed:
    media_type: str | None  # None: not a type we accept
    description: str


def sniff(data: bytes) -> Sniffed:
    head = data[:2048]
    if b"%PDF-" in head[:1024]:
        return Sniffed(PDF, "a PDF document")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed(PNG, "a PNG image")
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed(JPEG, "a JPEG image")
    if head.startswith((b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")):
        return Sniffed(TIFF, "a TIFF image")
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        if b"[Content_Types].xml" in head or b"word/" in head or b"xl/" in head:
            return Sniffed(None, "an Office document (DOCX/XLSX)")
        return Sniffed(ZIP, "a ZIP archive")
    for magic, what in _KNOWN_OTHERS:
        if head.startswith(magic):
            return Sniffed(None, what)
    if _looks_like_html(head):
        return Sniffed(None, "an HTML page")
    if _looks_like_xml(head):
        return Sniffed(XML, "an XML document")
    if _looks_like_mail(head):
        return Sniffed(EML, "an e-mail message")
    if _mostly_text(head):
        return Sniffed(None, "a plain text file")
    return Sniffed(None, "a file of unknown type")


def _looks_like_xml(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"\xff\xfe") or text.startswith(b"\xfe\xff"):
        return b"<\x00?\x00x\x00m\x00l" in text[:40] or b"\x00<\x00?\x00x\x00m\x00l" in text[:40]
    return text.startswith(b"<?xml") or (text.startswith(b"<") and re.match(rb"<[A-Za-z_][\w:.-]*[\s>/]",
                                                                             text) is not None)


_HTML_START = re.compile(rb"^(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]",
                         re.IGNORECASE | re.DOTALL)


def _looks_like_html(head: bytes) -> bool:
    # XHTML is well-formed XML, but an HTML page is never an e-invoice: refuse it by name.
    return _HTML_START.match(head.lstrip(b"\xef\xbb\xbf").lstrip()) is not None


def _looks_like_mail(head: bytes) -> bool:
    lines = head.split(b"\n", 40)[:40]
    seen = 0
    for raw in lines:
        line = raw.rstrip(b"\r")
        if not line:
            break
        if line[:1] in (b" ", b"\t"):
            continue
        if not _HEADER_LINE.match(line):
            return False
        if line.split(b":", 1)[0].lower() in _MAIL_HEADERS:
            seen += 1
    return seen >= 2


def _mostly_text(head: bytes) -> bool:
    if not head:
        return False
    printable = sum(1 for b in head if b in (9, 10, 13) or 32 <= b < 127)
    return printable / len(head) > 0.95
