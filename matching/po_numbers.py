"""Purchase-order numbers as printed vs as stored: exact first, then tolerant of OCR and formatting.

Odoo names orders ``P00123``; invoices print ``PO-000123``, ``PO 123``, ``Bestellung P00123``, and OCR
turns digits into look-alike letters (``PO0O123``). The tolerant key drops the letter prefix, reads
look-alike letters in the number part as the digits they resemble (O/0, I/1, L/1, S/5, B/8, Z/2) and
drops leading zeros, so all of those meet at ``123``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from models.identifiers import normalise_ref

_LOOKALIKE = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "S": "5", "B": "8", "Z": "2",
                            "G": "6"})
_PREFIX = re.compile(r"^[A-Z#]*")
# Words that introduce an order number on invoices in our vendors' languages.
_LEAD_WORDS = re.compile(
    r"^(PURCHASEORDER|ORDERNO|ORDERNUMBER|ORDER|PONUMBER|PONO|BESTELLNUMMER|BESTELLUNG|BESTELLNR|"
    r"COMMANDE|BONDECOMMANDE|PEDIDO|ORDINE|BESTELNUMMER|BESTELLING|REF|NO|NR|N°)[:#]*")


def exact_key(text: str | None) -> str:
    return normalise_ref(text)


def tolerant_key(text: str | None) -> str:
    """``PO-000123`` / ``P00123`` / ``PO0O123`` → ``123``; empty when nothing number-like is left."""
    compact = _LEAD_WORDS.sub("", normalise_ref(text))
    rest = _PREFIX.sub("", compact)
    if not rest:
        return ""
    digits = rest.translate(_LOOKALIKE).lstrip("0")
    return digits if any(c.isdigit() for c in digits) else ""


class OrderNumberIndex:
    """Order ids by exact and by tolerant number (and by the vendor's own reference on the order)."""

    def __init__(self, orders: Iterable[tuple[int, str, int]]) -> None:
        self._exact: dict[str, set[int]] = defaultdict(set)
        self._tolerant: dict[str, set[int]] = defaultdict(set)
        self.vendor_of: dict[int, int] = {}
        for order_id, name, vendor_id in orders:
            self.vendor_of[order_id] = vendor_id
            if exact_key(name):
                self._exact[exact_key(name)].add(order_id)
            if tolerant_key(name):
                self._tolerant[tolerant_key(name)].add(order_id)

    def lookup(self, printed: str) -> tuple[set[int], str]:
        """Order ids for a printed number, and how they were found (``exact`` / ``tolerant`` / ``none``)."""
        exact = self._exact.get(exact_key(printed))
        if exact:
            return set(exact), "exact"
        stripped = _LEAD_WORDS.sub("", exact_key(printed))
        exact = self._exact.get(stripped)
        if exact:
            return set(exact), "exact"
        key = tolerant_key(printed)
        tolerant = self._tolerant.get(key) if key else None
        if tolerant:
            return set(tolerant), "tolerant"
        return set(), "none"


def printed_numbers(po_numbers: Iterable[str], po_field: str | None) -> list[str]:
    """The distinct order numbers an invoice prints, in order; one field may hold several ("P001, P002")."""
    seen: dict[str, str] = {}
    for raw in [*po_numbers, *([po_field] if po_field else [])]:
        for piece in re.split(r"[,;]|\s+/\s+|\s+and\s+|\s+&\s+", raw or ""):
            part = piece.strip()
            if part and exact_key(part) and exact_key(part) not in seen:
                seen[exact_key(part)] = part
    return list(seen.values())
