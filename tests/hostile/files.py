"""Hostile files, made by the test code itself (no binary is committed), each with the refusal it must
end in. Sizes are real where the attack is the size: the 20,000 × 20,000 PNG is a complete, valid
image (its 400 million pixels compress to a few hundred kilobytes of zeros), the zip bomb really expands
a thousandfold, the TIFF really has 1,000 pages."""

from __future__ import annotations

import base64
import io
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from email.message import EmailMessage
from functools import cache

from PIL import Image
from reportlab.pdfgen import canvas


@dataclass(frozen=True)
class Hostile:
    name: str            # the file name it arrives under
    data: bytes
    state: str           # where the document must end
    code: str | None     # the refusal code recorded (None: not refused)
    reason: str          # a phrase the recorded reason must contain (lower case)
    children: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # member name → (state, code)


def plain_pdf(text: str = "Invoice INV-1 Total EUR 10.00") -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    c.drawString(72, 720, text)
    c.save()
    return buf.getvalue()


def raw_pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF written object by object, with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


_PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>"
_CONTENT = b"<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 720 Td (Invoice INV-1) Tj ET\nendstream"


def encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(plain_pdf())))
    writer.encrypt(user_password="s3cret", owner_password="owner", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def javascript_pdf() -> bytes:
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", _PAGE, _CONTENT,
        b"<< /Type /Action /S /JavaScript /JS (app.alert\\('pwned'\\); this.exportDataObject\\({cName: 'x'}\\);) >>",
    ])


def launch_pdf() -> bytes:
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", _PAGE, _CONTENT,
        b"<< /Type /Action /S /Launch /Win << /F (cmd.exe) /P (/c calc.exe) >> /NewWindow true >>",
    ])


def looping_page_tree_pdf() -> bytes:
    """The root page node's only kid is a node whose only kid is the root: a reader that follows /Kids
    without remembering where it has been never comes back."""
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>",
        _CONTENT,
    ])


def _png(width: int, height: int, rows: bytes | None = None, extra_chunks: bytes = b"") -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    if rows is None:
        # Every row is filter byte 0 and white pixels, compressed as a stream so nothing big is held.
        packer = zlib.compressobj(9)
        row = b"\x00" + b"\xff" * width
        parts = [packer.compress(row) for _ in range(height)]
        rows = b"".join(parts) + packer.flush()
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + extra_chunks + chunk(b"IDAT", rows)
            + chunk(b"IEND", b""))


def huge_png() -> bytes:
    return _png(20_000, 20_000)


def png_bomb() -> bytes:
    """Declares 100,000 × 100,000 pixels (10 gigapixels, 10 GB decoded) in a file of a few hundred bytes:
    the first rows are real, the decoder would be asked for the rest."""
    rows = zlib.compress(b"\x00" + b"\x00" * 100_000, 9)
    return _png(100_000, 100_000, rows=rows)


def thousand_page_tiff() -> bytes:
    frames = [Image.new("1", (16, 16), 1) for _ in range(1000)]
    buf = io.BytesIO()
    frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:], compression="group4")
    return buf.getvalue()


def billion_laughs_xml() -> bytes:
    lol = [b'<!ENTITY lol "lol">']
    for i in range(1, 10):
        previous = b"&lol%s;" % (str(i - 1).encode() if i > 1 else b"")
        lol.append(b'<!ENTITY lol%d "%s">' % (i, previous * 10))
    return (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n' + b"\n".join(lol) + b"\n]>\n"
            b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&lol9;</Invoice>\n')


def external_entity_xml() -> bytes:
    return (b'<?xml version="1.0"?>\n<!DOCTYPE Invoice [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>\n'
            b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID>&xxe;</ID></Invoice>\n')


def zip_bomb() -> bytes:
    """One member of 100 MB of zeros, about 100 KB compressed (a thousandfold)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf, zf.open("invoice.pdf", "w") as fh:
        block = b"\x00" * (1 << 20)
        for _ in range(100):
            fh.write(block)
    return buf.getvalue()


def email_with(attachments: dict[str, bytes], subject: str = "Invoice") -> bytes:
    msg = EmailMessage()
    msg["From"] = "billing@vendor.example"
    msg["To"] = "ap@clinic.example"
    msg["Subject"] = subject
    msg["Message-ID"] = f"<{abs(hash(subject))}@vendor.example>"
    msg.set_content("Please find our invoice attached.")
    for name, data in attachments.items():
        msg.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return msg.as_bytes()


def raw_email(attachments: list[tuple[bytes, bytes]], subject: bytes = b"Invoices") -> bytes:
    """An e-mail written byte by byte, so that attachment names can carry what a well-behaved mailer
    would never write (control characters, CR LF, NUL, path separators) in RFC 2231 or quoted form."""
    boundary = b"----=_hostile"
    out = [b"From: billing@vendor.example", b"To: ap@clinic.example", b"Subject: " + subject,
           b"Message-ID: <names@vendor.example>", b"MIME-Version: 1.0",
           b'Content-Type: multipart/mixed; boundary="' + boundary + b'"', b"", b"--" + boundary,
           b"Content-Type: text/plain", b"", b"Invoices attached.", b""]
    for disposition, data in attachments:
        out += [b"--" + boundary, b"Content-Type: application/pdf", b"Content-Transfer-Encoding: base64",
                b"Content-Disposition: attachment; " + disposition, b"", base64.encodebytes(data).strip()]
    out += [b"--" + boundary + b"--", b""]
    return b"\r\n".join(out)


TRAVERSAL = b'filename="../../etc/passwd.pdf"'
WINDOWS_TRAVERSAL = b'filename="..\\\\..\\\\windows\\\\system32\\\\evil.pdf"'
CONTROL = b"filename*=utf-8''in%01voice%1B%5B2J%0D%0A%00.pdf"


def windows_executable() -> bytes:
    """The start of a real PE file: the MZ header, the DOS stub and a PE signature."""
    stub = b"This program cannot be run in DOS mode.\r\r\n$"
    dos = bytearray(b"MZ" + b"\x90\x00" + b"\x00" * 60)
    struct.pack_into("<I", dos, 60, 128)
    body = bytes(dos) + b"\x0e\x1f\xba\x0e\x00\xb4\x09\xcd\x21\xb8\x01\x4c\xcd\x21" + stub
    return body.ljust(128, b"\x00") + b"PE\x00\x00" + b"\x4c\x01" + b"\x00" * 200


@cache
def catalogue() -> list[Hostile]:
    return [
        Hostile("encrypted.pdf", encrypted_pdf(), "refused", "pdf_encrypted", "password-protected"),
        Hostile("javascript.pdf", javascript_pdf(), "refused", "pdf_javascript", "javascript"),
        Hostile("launch.pdf", launch_pdf(), "refused", "pdf_launch_action", "launch action"),
        Hostile("page-tree-loop.pdf", looping_page_tree_pdf(), "refused", "pdf_corrupt", "damaged"),
        Hostile("huge-20000x20000.png", huge_png(), "refused", "image_too_large", "400 megapixels"),
        Hostile("png-bomb.png", png_bomb(), "refused", "image_too_large", "10,000 megapixels"),
        Hostile("thousand-pages.tif", thousand_page_tiff(), "refused", "too_many_pages", "more than 200 pages"),
        Hostile("billion-laughs.xml", billion_laughs_xml(), "refused", "xml_entities", "entities"),
        Hostile("external-entity.xml", external_entity_xml(), "refused", "xml_entities", "external-entity (xxe)"),
        Hostile("zip-bomb.eml", email_with({"invoices.zip": zip_bomb()}, "Invoices zipped"), "split", None,
                "unpacked", children={"invoices.zip": ("refused", "zip_bomb")}),
        Hostile("setup.exe.pdf", windows_executable(), "refused", "unsupported_type", "windows executable"),
    ]


NAMES = ("encrypted.pdf", "javascript.pdf", "launch.pdf", "page-tree-loop.pdf", "huge-20000x20000.png", "png-bomb.png",
         "thousand-pages.tif", "billion-laughs.xml", "external-entity.xml", "zip-bomb.eml", "setup.exe.pdf")


def by_name(name: str) -> Hostile:
    return next(h for h in catalogue() if h.name == name)
