"""Which renderings each invoice gets, and rendering them to files.

Every invoice gets each rendering the run asks for and its scenario allows: the digital PDF, a scan,
its e-invoice (Factur-X for vendors in Germany, Austria, Switzerland, France and Luxembourg, UBL for
the others) and an e-mail. One of them is the *primary*: the file to feed the pipeline for that
invoice (each invoice is one business document; feeding two of its renderings in one run makes the
second a true duplicate). Some e-mails carry two invoices of one vendor; both then have the e-mail as
their primary rendering.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from synth.document import InvoiceDoc
from synth.render.eml import Attachment, attachment_name, forwarded, to_bytes, vendor_message
from synth.render.facturx import facturx_pdf
from synth.render.pdf import render_pdf
from synth.render.scan import render_scan
from synth.render.style import style_for
from synth.render.ubl import ubl_xml
from synth.seeds import np_rng, rng

PRIMARY_WEIGHTS = {"pdf": 0.25, "scan": 0.25, "einvoice": 0.2, "email": 0.3}
TRUTH_KIND = {"pdf": "digital_pdf", "scan": "image_scan", "facturx": "hybrid_pdf", "ubl": "einvoice_xml"}


@dataclass
class Plan:
    doc: InvoiceDoc
    kinds: list[str]  # pdf, scan, einvoice, email: what this invoice is rendered as
    einvoice: str  # facturx | ubl
    primary: str
    forwarded: bool = False


@dataclass
class Bundle:
    """Invoices rendered together: one, or two that travel in one e-mail."""

    plans: list[Plan]
    email_key: str | None = None


@dataclass(frozen=True)
class FileRecord:
    path: str
    invoices: tuple[str, ...]
    rendering: str  # pdf | scan | facturx | ubl | email
    sha256: str
    size: int
    kind: str  # the corpus kind of the document, or of the e-mail's attachment
    detail: dict[str, object] = field(default_factory=dict)


def plan_bundles(docs: list[tuple[InvoiceDoc, frozenset[str]]], seed: int) -> list[Bundle]:
    """``docs``: each invoice with the renderings its scenario allows, in invoice order."""
    plans = []
    for doc, allowed in docs:
        r = rng(seed, "renderings", doc.invoice_id)
        kinds: list[str] = [k for k in ("pdf", "scan", "einvoice", "email") if k in allowed]
        forced_fx = doc.einvoice_mismatch is not None
        einvoice = "facturx" if forced_fx or doc.vendor.einvoice == "facturx" else "ubl"
        weights = [PRIMARY_WEIGHTS[k] for k in kinds]
        primary = r.choices(kinds, weights=weights)[0]
        plans.append(Plan(doc, kinds, einvoice, primary, forwarded=r.random() < 0.15))
    bundles: list[Bundle] = []
    waiting: dict[int, Plan] = {}
    pairing = rng(seed, "email-pairs")
    for plan in plans:
        key = plan.doc.vendor.key
        pairable = "email" in plan.kinds and plan.doc.document_type == "invoice" and not plan.forwarded
        if pairable and key in waiting:
            first = waiting.pop(key)
            first.primary = plan.primary = "email"
            bundles.append(Bundle([first, plan], email_key=first.doc.invoice_id))
            continue
        if pairable and pairing.random() < 0.12:
            waiting[key] = plan
            continue
        bundles.append(Bundle([plan], email_key=plan.doc.invoice_id if "email" in plan.kinds else None))
    bundles.extend(Bundle([plan], email_key=plan.doc.invoice_id) for plan in waiting.values())
    bundles.sort(key=lambda b: b.plans[0].doc.invoice_id)
    return bundles


def _write(out: Path, name: str, data: bytes, invoices: tuple[str, ...], rendering: str, kind: str,
           **detail: object) -> FileRecord:
    path = out / "documents" / name
    path.write_bytes(data)
    return FileRecord(f"documents/{name}", invoices, rendering, hashlib.sha256(data).hexdigest(), len(data), kind,
                      dict(detail))


def render_bundle(bundle: Bundle, out: Path, seed: int) -> list[FileRecord]:
    records: list[FileRecord] = []
    attachments: list[tuple[Attachment, str]] = []
    for plan in bundle.plans:
        doc = plan.doc
        ids: tuple[str, ...] = (doc.invoice_id,)
        style = style_for(doc.vendor, seed)
        page = render_pdf(doc, style)
        if "pdf" in plan.kinds:
            records.append(_write(out, f"{doc.invoice_id}.pdf", page, ids, "pdf", "digital_pdf",
                                  layout=style.layout.name))
        if "scan" in plan.kinds:
            data, settings = render_scan(page, np_rng(seed, "scan", doc.invoice_id))
            records.append(_write(out, f"{doc.invoice_id}-scan.{settings.fmt}", data, ids, "scan", "image_scan",
                                  dpi=settings.dpi, angle=settings.angle, bilevel=settings.bilevel,
                                  layout=style.layout.name))
        attached, attached_kind = page, "digital_pdf"
        if "einvoice" in plan.kinds:
            if plan.einvoice == "facturx":
                hybrid = facturx_pdf(doc, page)
                records.append(_write(out, f"{doc.invoice_id}-facturx.pdf", hybrid, ids, "facturx", "hybrid_pdf",
                                      layout=style.layout.name))
                attached, attached_kind = hybrid, "hybrid_pdf"
            else:
                records.append(_write(out, f"{doc.invoice_id}-ubl.xml", ubl_xml(doc), ids, "ubl", "einvoice_xml"))
        if "email" in plan.kinds:
            name = attachment_name(doc, rng(seed, "attachment", doc.invoice_id))
            attachments.append((Attachment(doc, attached, name), attached_kind))
    if attachments and bundle.email_key:
        r = rng(seed, "email", bundle.email_key)
        message = vendor_message([a for a, _ in attachments], seed, r)
        first = bundle.plans[0]
        if first.forwarded and len(attachments) == 1:
            message = forwarded(message, first.doc, seed, r)
        data = to_bytes(message, seed, bundle.email_key)
        ids = tuple(a.doc.invoice_id for a, _ in attachments)
        records.append(_write(out, f"{bundle.email_key}.eml", data, ids, "email", attachments[0][1],
                              attachments={a.doc.invoice_id: a.filename for a, _ in attachments},
                              forwarded=first.forwarded and len(attachments) == 1))
    return records


