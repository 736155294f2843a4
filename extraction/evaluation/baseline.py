"""invoice2data with its bundled templates, run on the same documents, for comparison.

invoice2data is template-based: a document whose issuer has no template yields nothing, which is what
the comparison is meant to show. Its default text input (``pdftotext``) is used for PDFs and its
tesseract input for images; it has no e-invoice XML reader.
"""

from __future__ import annotations

import logging
import tempfile
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from models.money import to_decimal

_SUFFIX = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg", "image/tiff": ".tif"}


@lru_cache(maxsize=1)
def _templates() -> list[Any]:
    from invoice2data.extract.loader import read_templates

    return list(read_templates())


def invoice2data_fields(data: bytes, media_type: str) -> dict[str, Any] | None:
    """The corpus-schema fields invoice2data finds, or ``None`` when it cannot read this type at all."""
    suffix = _SUFFIX.get(media_type)
    if suffix is None:
        return None
    from invoice2data import extract_data

    module: Any = None
    if media_type != "application/pdf":
        from invoice2data.input import tesseract

        module = tesseract
    logging.getLogger("invoice2data").setLevel(logging.CRITICAL)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"document{suffix}"
        path.write_bytes(data)
        try:
            result = extract_data(str(path), templates=_templates(), input_module=module)
        except Exception:  # noqa: BLE001 - a third-party tool's failure is a miss, not our crash
            result = {}
    return _to_schema(result or {})


def _to_schema(result: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "vendor_name": result.get("issuer") or result.get("partner_name"),
        "vendor_vat": result.get("vat"),
        "vendor_iban": result.get("iban"),
        "invoice_number": result.get("invoice_number"),
        "invoice_date": _day(result.get("date")),
        "due_date": _day(result.get("date_due")),
        "po_number": result.get("purchase_order_id") or result.get("po_number"),
        "currency": result.get("currency"),
        "net_amount": _amount(result.get("amount_untaxed")),
        "tax_amount": _amount(result.get("amount_tax")),
        "total_amount": _amount(result.get("amount")),
    }
    lines = []
    for line in result.get("lines") or []:
        if not isinstance(line, dict) or not line.get("name"):
            continue
        lines.append({"description": str(line.get("name")).replace("\n", " "),
                      "quantity": _amount(line.get("qty")), "unit_price": _amount(line.get("price_unit")),
                      "amount": _amount(line.get("price_subtotal"))})
    out["lines"] = lines
    return {k: v for k, v in out.items() if v not in (None, "")}


def _day(value: Any) -> str | None:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return None


def _amount(value: Any) -> str | None:
    if value is None or value == "":
        return None
    try:
        amount = to_decimal(value) if not isinstance(value, float) else Decimal(repr(value))
    except (TypeError, ValueError):
        return None
    return format(amount, "f")
