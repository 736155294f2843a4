"""Small real files for intake tests, made on the fly so no binary lives in the repository."""

from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage

from PIL import Image
from reportlab.pdfgen import canvas


def pdf(text: str = "Invoice 1001") -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    c.drawString(72, 720, text)
    c.save()
    return buf.getvalue()


def png(width: int = 300, height: int = 200, shade: int = 200) -> bytes:
    buf = io.BytesIO()
    Image.new("L", (width, height), shade).save(buf, format="PNG")
    return buf.getvalue()


def zip_of(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def email_with(attachments: dict[str, bytes], subject: str = "Invoice") -> bytes:
    msg = EmailMessage()
    msg["From"] = "billing@medsupply.example"
    msg["To"] = "ap@clinic.example"
    msg["Subject"] = subject
    msg["Message-ID"] = "<inv-1@medsupply.example>"
    msg.set_content("Please find our invoice attached.")
    for name, data in attachments.items():
        maintype, subtype = ("application", "pdf") if name.endswith(".pdf") else ("application", "octet-stream")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg.as_bytes()
