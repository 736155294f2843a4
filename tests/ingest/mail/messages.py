"""Real e-mail messages for the mail tests, built with the ``email`` package the way mailers build them:
a text and HTML body with a signature logo, attachments, forwards, inline PDFs, non-ASCII names."""

from __future__ import annotations

import io
import itertools
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from PIL import Image, ImageDraw

from tests.ingest import samples

_ids = itertools.count(1)


def logo() -> bytes:
    """A 160x48 signature logo: the kind of image every vendor's mail carries."""
    buf = io.BytesIO()
    img = Image.new("RGB", (160, 48), (20, 80, 160))
    ImageDraw.Draw(img).text((10, 16), "MedSupply", fill=(255, 255, 255))
    img.save(buf, format="PNG")
    return buf.getvalue()


def scan_jpeg(text: str = "INVOICE 5521") -> bytes:
    """A phone photo or scan of a paper invoice: page-sized, with some ink on it."""
    buf = io.BytesIO()
    img = Image.new("L", (1240, 1754), 245)
    draw = ImageDraw.Draw(img)
    for row in range(40):
        draw.text((100, 100 + row * 38), f"{text} line {row} qty 4 x 12.50 EUR", fill=20)
    img.save(buf, format="JPEG", quality=70)
    return buf.getvalue()


def invoice_mail(attachments: list[tuple[str, bytes]] | None = None, *, subject: str = "Invoice",
                 sender: str = "Billing <billing@medsupply.example>", with_logo: bool = True,
                 message_id: str | None = None, inline: list[tuple[str, bytes]] | None = None) -> EmailMessage:
    """text + HTML body (with the logo as a related inline image), then the attachments."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "ap@clinic.example"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(datetime(2024, 3, 4, 9, 30, next(_ids) % 60, tzinfo=UTC))
    msg["Message-ID"] = message_id or make_msgid(f"inv{next(_ids)}", "medsupply.example")
    msg.set_content("Dear customer,\nplease find our invoice attached.\n-- \nMedSupply GmbH\n")
    cid = make_msgid("logo", "medsupply.example")
    msg.add_alternative(f"<html><body><p>Dear customer,</p><p>please find our invoice attached.</p>"
                        f"<img src=\"cid:{cid[1:-1]}\"></body></html>", subtype="html")
    if with_logo:
        html = msg.get_payload()[1]  # type: ignore[index]
        html.add_related(logo(), maintype="image", subtype="png", cid=cid, filename="logo.png")
    for name, data in attachments or []:
        maintype, subtype = _type_of(name)
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    for name, data in inline or []:
        maintype, subtype = _type_of(name)
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name, disposition="inline")
    return msg


def forwarded(inner: EmailMessage, *, by: str = "Nurse Station 3 <ward3@clinic.example>") -> EmailMessage:
    """A clerk forwarding a vendor's mail as an attachment (``message/rfc822``)."""
    msg = EmailMessage()
    msg["From"] = by
    msg["To"] = "ap@clinic.example"
    msg["Subject"] = f"Fwd: {inner['Subject']}"
    msg["Message-ID"] = make_msgid(f"fwd{next(_ids)}", "clinic.example")
    msg.set_content("This came to the ward by mistake, forwarding.")
    msg.add_attachment(inner)
    return msg


def pdf_mail(name: str = "INV-1.pdf", text: str = "Invoice 1", **kwargs: object) -> EmailMessage:
    return invoice_mail([(name, samples.pdf(text))], **kwargs)  # type: ignore[arg-type]


def _type_of(name: str) -> tuple[str, str]:
    ext = name.lower().rsplit(".", 1)[-1]
    return {
        "pdf": ("application", "pdf"), "xml": ("application", "xml"), "png": ("image", "png"),
        "jpg": ("image", "jpeg"), "zip": ("application", "zip"), "txt": ("text", "plain"),
        "docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
    }.get(ext, ("application", "octet-stream"))


def raw(msg: EmailMessage) -> bytes:
    return msg.as_bytes()
