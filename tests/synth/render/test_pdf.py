"""Every truth value is printed on the page: read back from the PDF's text layer with pdfplumber and
parsed independently of the renderer (any number format, any date style, six languages)."""

from __future__ import annotations

import io
import itertools
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import pdfplumber
import pytest

from synth import GeneratedWorld
from synth.render.pdf import render_pdf
from synth.render.style import LAYOUTS, style_for

MONTHS = {name: i for i, names in enumerate((
    "january januar janvier gennaio enero januari", "february februar février febbraio febrero februari",
    "march märz mars marzo maart", "april avril aprile abril", "may mai maggio mayo mei",
    "june juni juin giugno junio", "july juli juillet luglio julio", "august août agosto augustus",
    "september septembre settembre septiembre", "october oktober octobre ottobre octubre",
    "november novembre noviembre", "december dezember décembre dicembre diciembre"), start=1)
    for name in names.split()}
_TOKEN = re.compile(r"\d[\d.,']*")


def page_text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def numbers(text: str) -> set[Decimal]:
    """Every number on the page, read both ways (1.234,56 and 1,234.56); "1 234,56" is also joined."""
    tokens = [t.strip(".,'") for t in _TOKEN.findall(text)]
    words = text.split()
    for a, b in itertools.pairwise(words):
        if re.fullmatch(r"\d{1,3}", a) and re.fullmatch(r"\d{3}(?:[.,]\d{1,4})?", b.rstrip("€$£")):
            tokens.append(a + b.rstrip("€$£"))
    found: set[Decimal] = set()
    for token in tokens:
        for decimal, other in ((",", "."), (".", ",")):
            cleaned = token.replace("'", "").replace(other, "").replace(decimal, ".")
            if cleaned.count(".") > 1:
                continue
            try:
                found.add(Decimal(cleaned))
            except InvalidOperation:
                continue
    return found


def dates(text: str) -> set[date]:
    found: set[date] = set()
    for a, b, c in re.findall(r"(\d{1,4})[./-](\d{1,2})[./-](\d{2,4})", text):
        for y, m, d in ((c, b, a), (c, a, b), (a, b, c)):
            try:
                found.add(date(int(y), int(m), int(d)))
            except ValueError:
                continue
    lower = text.lower()
    for d, month, y in re.findall(r"(\d{1,2})\.? ([a-zéûä]+) (\d{4})", lower):
        if month in MONTHS:
            found.add(date(int(y), MONTHS[month], int(d)))
    for month, d, y in re.findall(r"([a-z]+) (\d{1,2}), (\d{4})", lower):
        if month in MONTHS:
            found.add(date(int(y), MONTHS[month], int(d)))
    return found


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def missing_values(truth: dict[str, Any], text: str) -> list[str]:
    flat, nums, days = compact(text), numbers(text), dates(text)
    missing = []
    for key in ("vendor_name", "buyer_name", "invoice_number", "po_number", "vendor_vat", "vendor_iban", "currency"):
        if truth[key] is not None and compact(truth[key]) not in flat:
            missing.append(f"{key}={truth[key]}")
    for key in ("invoice_date", "due_date"):
        if truth[key] is not None and date.fromisoformat(truth[key]) not in days:
            missing.append(f"{key}={truth[key]}")
    for key in ("net_amount", "tax_amount", "total_amount"):
        if Decimal(truth[key]) not in nums:
            missing.append(f"{key}={truth[key]}")
    for i, line in enumerate(truth["lines"]):
        words = line["description"].split()
        if not all(compact(w) in flat for w in words):
            missing.append(f"line {i} description={line['description']}")
        for key in ("quantity", "unit_price", "amount"):
            if Decimal(line[key]) not in nums:
                missing.append(f"line {i} {key}={line[key]}")
    return missing


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_truth_value_is_on_the_page_in_every_layout(small_world: GeneratedWorld, layout: str) -> None:
    # Per layout: a long invoice over several pages, a credit note, two VAT rates, a US vendor, and
    # a couple of others, so that each layout meets each kind of content.
    wanted = ("clean_multipage", "clean_credit_note", "clean_mixed_tax_rates", "clean_uom_conversion",
              "noisy_vendor_name")
    chosen = [inv for inv in small_world.invoices if inv.scenario.name in wanted]
    assert len(chosen) == len(wanted)
    for inv in chosen:
        pdf = render_pdf(inv.doc, style_for(inv.doc.vendor, 11, layout=layout))
        assert not missing_values(inv.doc.truth(), page_text(pdf)), (layout, inv.scenario.name)


def test_every_invoice_of_the_world_shows_its_truth(small_world: GeneratedWorld) -> None:
    problems = {}
    for inv in small_world.invoices:
        pdf = render_pdf(inv.doc, style_for(inv.doc.vendor, 11))
        missing = missing_values(inv.doc.truth(), page_text(pdf))
        if missing:
            problems[inv.doc.invoice_id] = missing
    assert not problems


def test_long_invoices_run_over_pages_with_carried_totals(small_world: GeneratedWorld) -> None:
    inv = next(i for i in small_world.invoices if i.scenario.name == "clean_multipage")
    for layout in ("din_classic", "compact_table", "us_remittance"):
        pdf = render_pdf(inv.doc, style_for(inv.doc.vendor, 11, layout=layout))
        with pdfplumber.open(io.BytesIO(pdf)) as doc:
            pages = [page.extract_text() or "" for page in doc.pages]
        if layout != "compact_table":
            assert len(pages) >= 2
        if len(pages) > 1:
            style = style_for(inv.doc.vendor, 11, layout=layout)
            from synth.render.labels import vocabulary

            words = vocabulary(inv.doc.vendor.language, style.vocabulary_variant)
            assert words["carried"] in pages[0] and words["brought"] in pages[1]


def test_the_parsers_of_this_test_are_not_fooled() -> None:
    assert Decimal("1234.56") in numbers("Total 1.234,56 EUR") and Decimal("1234.56") in numbers("$1,234.56")
    assert Decimal("1234.56") in numbers("1 234,56 €") and Decimal("1234.56") in numbers("CHF 1'234.56")
    assert Decimal("99.99") not in numbers("Total 1.234,56")
    assert date(2025, 3, 4) in dates("4. März 2025") and date(2025, 3, 4) in dates("03/04/2025")
    assert date(2025, 6, 30) in dates("June 30, 2025") and date(2025, 6, 30) in dates("30-06-2025")
    assert missing_values({"vendor_name": "A B", "buyer_name": None, "invoice_number": "X1", "po_number": None,
                           "vendor_vat": None, "vendor_iban": None, "currency": "EUR", "invoice_date": None,
                           "due_date": None, "net_amount": "1", "tax_amount": "0", "total_amount": "1",
                           "lines": []}, "A B X1 EUR 1 0") == []
    assert missing_values({"vendor_name": "A B", "buyer_name": None, "invoice_number": "X2", "po_number": None,
                           "vendor_vat": None, "vendor_iban": None, "currency": "EUR", "invoice_date": None,
                           "due_date": None, "net_amount": "1", "tax_amount": "0", "total_amount": "1",
                           "lines": []}, "A B X1 EUR 1 0") == ["invoice_number=X2"]
