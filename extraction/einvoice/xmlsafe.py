"""Parsing untrusted XML: no DTD, no entities, no network, bounded size and depth.

An e-invoice never needs a DOCTYPE. Entity declarations are how the billion-laughs expansion and XXE
(reading local files or URLs through external entities) work, so a document that declares any is refused
before a tree is built, and the parser itself is configured so that nothing would be expanded or fetched
even if the check were bypassed.
"""

from __future__ import annotations

import re

from lxml import etree

from models.errors import InputRefused

# The largest e-invoices seen in practice (thousands of lines) stay well under this.
MAX_XML_BYTES = 30 * 1024 * 1024

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_comments=True, remove_pis=True)


def parse_xml(data: bytes) -> etree._Element:
    """The root element of ``data``; ``InputRefused`` for hostile or malformed XML."""
    if len(data) > MAX_XML_BYTES:
        raise InputRefused(f"The XML is {len(data) // 1_048_576} MB; e-invoices larger than "
                           f"{MAX_XML_BYTES // 1_048_576} MB are not accepted.", code="xml_too_large")
    head = _decoded_head(data)
    if _ENTITY.search(head) or _ENTITY.search(data):
        raise InputRefused("The XML declares entities (<!ENTITY>). E-invoices never need them and they are "
                           "how entity-expansion (billion laughs) and external-entity (XXE) attacks work; "
                           "the file was refused unread.", code="xml_entities")
    if _DOCTYPE.search(head) or _DOCTYPE.search(data):
        raise InputRefused("The XML carries a document type declaration (<!DOCTYPE>), which no e-invoice "
                           "standard uses; the file was refused unread.", code="xml_doctype")
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise InputRefused(f"The XML is not well-formed: {exc.msg or exc}.", code="xml_malformed") from exc
    if root is None:
        raise InputRefused("The XML has no root element.", code="xml_malformed")
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise InputRefused("The XML carries a document type declaration, which no e-invoice standard uses; "
                           "the file was refused.", code="xml_doctype")
    return root


def _decoded_head(data: bytes) -> bytes:
    """The prolog as ASCII-compatible bytes, so a UTF-16 file cannot hide its DOCTYPE from the check."""
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(head) > 1 and (head[0] == 0 or head[1] == 0)):
        for encoding in ("utf-16", "utf-16-le", "utf-16-be"):
            try:
                return data.decode(encoding).encode("utf-8", "replace")
            except UnicodeDecodeError:
                continue
    return head
