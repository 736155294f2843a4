"""Document types in six languages, and where a scanned batch splits into invoices."""

from __future__ import annotations

import pytest

from extraction.classify import classify, segment
from extraction.fields.layout import build_layout
from tests.extraction.words import page


@pytest.mark.parametrize(("title", "kind"), [
    ("INVOICE", "invoice"), ("Rechnung", "invoice"), ("FACTURE", "invoice"), ("Factura", "invoice"),
    ("Factuur", "invoice"), ("Fattura", "invoice"),
    ("Credit note", "credit_note"), ("Gutschrift", "credit_note"), ("Avoir", "credit_note"),
    ("Nota de crédito", "credit_note"), ("Creditnota", "credit_note"), ("Nota di credito", "credit_note"),
    ("Statement of account", "statement"), ("Kontoauszug", "statement"), ("Relevé de compte", "statement"),
    ("Payment reminder", "reminder"), ("Zahlungserinnerung", "reminder"), ("Sollecito di pagamento", "reminder"),
    ("Auftragsbestätigung", "other"), ("Lieferschein", "other"),
])
def test_the_title_names_the_document_type(title: str, kind: str) -> None:
    layout = build_layout([page((60, 60, title), (60, 400, "Thank you"))])
    assert classify(layout).document_type == kind


def test_a_credit_note_that_mentions_the_invoice_it_corrects_is_still_a_credit_note() -> None:
    layout = build_layout([page((60, 60, "CREDIT NOTE"), (60, 100, "Credit for invoice INV-17"),
                                (60, 120, "Invoice date 01.02.2024"))])
    assert classify(layout).document_type == "credit_note"


def test_nothing_recognisable_is_other_with_low_confidence() -> None:
    result = classify(build_layout([page((60, 60, "Dear customer, our offices close early on Friday."))]))
    assert result.document_type == "other" and result.confidence < 0.5


def _invoice_page(number: int, invoice: str, mark: str) -> object:
    return page((60, 60, "INVOICE"), (60, 90, f"Invoice number: {invoice}"), (60, 800, mark), number=number)


def test_a_batch_splits_where_page_numbering_restarts_and_numbers_change() -> None:
    pages = [_invoice_page(1, "A-100", "Page 1 of 2"), _invoice_page(2, "A-100", "Page 2 of 2"),
             _invoice_page(3, "B-7", "Page 1 of 1"), _invoice_page(4, "C-9", "")]
    cuts = [(s.page_from, s.page_to) for s in segment(pages)]  # type: ignore[arg-type]
    assert cuts == [(1, 2), (3, 3), (4, 4)]


def test_a_multi_page_invoice_stays_whole() -> None:
    pages = [_invoice_page(1, "A-100", "Seite 1 von 3"), _invoice_page(2, "A-100", "Seite 2 von 3"),
             _invoice_page(3, "A-100", "Seite 3 von 3")]
    assert [(s.page_from, s.page_to) for s in segment(pages)] == [(1, 3)]  # type: ignore[arg-type]
