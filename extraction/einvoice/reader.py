"""``read_einvoice``: the exact invoice from a standalone XML file or a hybrid PDF's embedded XML."""

from __future__ import annotations

import logging

from extraction.einvoice import cii, ubl
from extraction.einvoice.embedded import embedded_xml
from extraction.einvoice.result import EInvoice
from extraction.einvoice.xmlpath import Element, local_name
from extraction.einvoice.xmlsafe import parse_xml
from models.errors import InputRefused

log = logging.getLogger(__name__)

PDF = "application/pdf"
XML = "application/xml"


def read_einvoice(data: bytes, media_type: str) -> EInvoice | None:
    """The invoice in ``data``'s e-invoice XML; ``None`` when the document carries none.

    A standalone XML file that is not a CII or UBL invoice is refused (``xml_not_invoice``); hostile XML
    (entities, DOCTYPE) is refused wherever it is found, embedded in a PDF included.
    """
    if media_type == XML:
        root = parse_xml(data)
        found = _read(root, data, origin="xml")
        if found is None:
            raise InputRefused(f"The XML file is not an invoice: its root element is <{local_name(root)}>, "
                               "not a UBL Invoice/CreditNote or a UN/CEFACT Cross Industry Invoice.",
                               code="xml_not_invoice")
        return found
    if media_type == PDF:
        for attachment in embedded_xml(data):
            try:
                root = parse_xml(attachment.data)
            except InputRefused as exc:
                if exc.code != "xml_malformed":
                    raise  # hostile XML is refused wherever it is found
                # A damaged attachment: the pages are still an invoice, read by layout instead.
                log.warning("embedded %s is not well-formed XML, ignored: %s", attachment.name, exc.message)
                continue
            found = _read(root, attachment.data, origin=attachment.name)
            if found is not None:
                return found
    return None


def _read(root: Element, data: bytes, *, origin: str) -> EInvoice | None:
    name = local_name(root)
    if name in cii.ROOTS:
        return EInvoice(cii.read_cii(root), "CII", cii.profile(root), data, origin, cii.type_code(root))
    if name in ubl.ROOTS:
        return EInvoice(ubl.read_ubl(root, name), "UBL", ubl.profile(root), data, origin, ubl.type_code(root))
    return None
