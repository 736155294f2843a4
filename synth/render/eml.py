"""The e-mail a vendor's billing system sends to the group's AP inbox, with the invoice attached;
sometimes two invoices in one message, sometimes forwarded by a clinic that received it.

Byte-identical for the same input: MIME boundaries, Message-IDs and dates are derived from the seed
and the invoice, never from the clock or ``random``.
"""

from __future__ import annotations

import email.policy
import email.utils
import random
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, timezone
from email.message import EmailMessage

from synth.document import InvoiceDoc
from synth.seeds import token
from synth.world.buyer import AP_INBOX, GROUP_DOMAIN

_SUBJECTS = {"de": ("Rechnung {n}", "Ihre Rechnung {n}", "Rechnung {n} von {v}"),
             "en": ("Invoice {n}", "Invoice {n} from {v}", "Your invoice {n}"),
             "fr": ("Facture {n}", "Votre facture {n}"), "it": ("Fattura {n}", "Invio fattura n. {n}"),
             "es": ("Factura {n}", "Envío de factura {n}"), "nl": ("Factuur {n}", "Uw factuur {n}")}
_BODIES = {
    "de": "Sehr geehrte Damen und Herren,\n\nanbei erhalten Sie {what} als PDF.\n\nMit freundlichen Grüßen\n"
          "Ihre Buchhaltung\n{v}\n",
    "en": "Dear Sir or Madam,\n\nplease find attached {what}.\n\nKind regards\nAccounts Receivable\n{v}\n",
    "fr": "Madame, Monsieur,\n\nveuillez trouver ci-joint {what}.\n\nCordialement,\nService comptabilité\n{v}\n",
    "it": "Gentili Signori,\n\nin allegato trasmettiamo {what}.\n\nCordiali saluti\nAmministrazione\n{v}\n",
    "es": "Estimados señores:\n\nles adjuntamos {what}.\n\nAtentamente,\nDepartamento de administración\n{v}\n",
    "nl": "Geachte heer/mevrouw,\n\nin de bijlage vindt u {what}.\n\nMet vriendelijke groet,\nAdministratie\n{v}\n",
}
_WHAT = {"de": ("unsere Rechnung {n}", "unsere Rechnungen {n}"), "en": ("our invoice {n}", "our invoices {n}"),
         "fr": ("notre facture {n}", "nos factures {n}"), "it": ("la nostra fattura {n}", "le nostre fatture {n}"),
         "es": ("nuestra factura {n}", "nuestras facturas {n}"), "nl": ("onze factuur {n}", "onze facturen {n}")}
_FILE_STYLES = ("Rechnung_{n}.pdf", "{n}.pdf", "Invoice {n}.pdf", "INV_{n}.pdf", "{v}_{n}.pdf", "document_{n}.pdf")
_STAFF = ("m.keller", "s.yilmaz", "a.becker", "j.wagner", "empfang", "praxisteam")


@dataclass(frozen=True)
class Attachment:
    doc: InvoiceDoc
    data: bytes
    filename: str


def attachment_name(doc: InvoiceDoc, rng: random.Random) -> str:
    number = (doc.invoice_number or "scan").replace("/", "_").replace(" ", "_")
    brand = doc.vendor.brand.replace(" ", "_")
    style = rng.choice(_FILE_STYLES)
    name = style.format(n=number, v=brand)
    if doc.vendor.language == "de" and style.startswith("Invoice"):
        name = f"Rechnung {number}.pdf"
    return name


def _sent_at(doc: InvoiceDoc, rng: random.Random) -> datetime:
    day = (doc.issue_date or doc.due_date or datetime(2025, 1, 1).date()) + timedelta(days=rng.randint(0, 2))
    offset = timezone(timedelta(hours=1 if doc.vendor.country in ("GB", "IE") else 2)) \
        if doc.vendor.country != "US" else timezone(timedelta(hours=-5))
    return datetime.combine(day, time(rng.randint(6, 19), rng.randint(0, 59), rng.randint(0, 59)), tzinfo=offset)


def vendor_message(attachments: list[Attachment], seed: int, rng: random.Random) -> EmailMessage:
    first = attachments[0].doc
    vendor = first.vendor
    language = vendor.language
    numbers = ", ".join(a.doc.invoice_number or "" for a in attachments).strip(", ")
    msg = EmailMessage()
    msg["From"] = email.utils.formataddr((f"{vendor.brand} Buchhaltung" if language == "de" else vendor.brand,
                                          vendor.email))
    msg["To"] = AP_INBOX
    subject = rng.choice(_SUBJECTS[language]).format(n=numbers or "", v=vendor.brand).strip()
    msg["Subject"] = subject
    msg["Date"] = email.utils.format_datetime(_sent_at(first, rng))
    msg["Message-ID"] = f"<{token(seed, 'msg', first.invoice_id, length=24)}@{vendor.domain}>"
    what = _WHAT[language][1 if len(attachments) > 1 else 0].format(n=numbers)
    body = _BODIES[language].format(what=what, v=vendor.name)
    msg.set_content(body)
    if rng.random() < 0.5:
        html = "<html><body>" + "".join(f"<p>{line}</p>" for line in body.split("\n") if line) + "</body></html>"
        msg.add_alternative(html, subtype="html")
    for attachment in attachments:
        msg.add_attachment(attachment.data, maintype="application", subtype="pdf", filename=attachment.filename)
    return msg


def forwarded(original: EmailMessage, doc: InvoiceDoc, seed: int, rng: random.Random) -> EmailMessage:
    """A clinic employee forwarding the vendor's message as an attachment (``message/rfc822``)."""
    msg = EmailMessage()
    sender = f"{rng.choice(_STAFF)}@{GROUP_DOMAIN}"
    msg["From"] = sender
    msg["To"] = AP_INBOX
    msg["Subject"] = f"{rng.choice(('WG', 'Fwd', 'WG'))}: {original['Subject']}"
    sent = email.utils.parsedate_to_datetime(str(original["Date"])) + timedelta(hours=rng.randint(2, 70))
    msg["Date"] = email.utils.format_datetime(sent.astimezone(UTC).astimezone(timezone(timedelta(hours=2))))
    msg["Message-ID"] = f"<{token(seed, 'fwd', doc.invoice_id, length=24)}@{GROUP_DOMAIN}>"
    # The clinics write German, whatever the vendor's language.
    msg.set_content("Hallo,\n\ndiese Rechnung kam bei uns in der Klinik an, bitte buchen.\n\nDanke und Gruß\n")
    msg.add_attachment(original)
    return msg


def to_bytes(msg: EmailMessage, seed: int, key: str) -> bytes:
    """Serialise with boundaries fixed from the seed (the email package would draw random ones)."""
    for number, part in enumerate(msg.walk()):
        if part.get_content_maintype() == "multipart":
            part.set_boundary(f"=_{token(seed, 'boundary', key, number, length=28)}")
    return msg.as_bytes(policy=email.policy.SMTP)
