"""``payables extract PATH... --json``: one JSON object per input, errors included."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from payables.cli.extract import command
from tests.extraction.samples import text_pdf

_INVOICE = ("ACME Medical Supplies GmbH - Hauptstraße 1 - 10115 Berlin",
            "Invoice number: INV-2024-0042",
            "Invoice date: 12.03.2024",
            "Net amount EUR 90,00",
            "VAT 19% 17,10",
            "Total EUR 107,10")


def test_each_input_gets_a_json_line_with_provenance_and_errors_get_theirs(tmp_path: Path) -> None:
    pdf = tmp_path / "invoice.pdf"
    pdf.write_bytes(text_pdf(lines=_INVOICE))
    note = tmp_path / "note.txt"
    note.write_text("not an invoice")
    result = CliRunner().invoke(command, ["--json", str(pdf), str(note)])
    assert result.exit_code == 1  # one input could not be read
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [r["path"] for r in records] == [str(pdf), str(note)]
    invoice, error = records
    assert invoice["invoice_number"]["value"] == "INV-2024-0042"
    assert invoice["total_amount"]["value"] == "107.10"
    assert set(invoice["total_amount"]) >= {"value", "confidence", "source", "page", "bbox"}
    assert invoice["total_amount"]["source"] == "layout" and invoice["total_amount"]["page"] == 1
    assert isinstance(invoice["lines"], list) and invoice["engine"].startswith("layout-")
    assert error["error"]["code"] == "unsupported_type"


def test_without_json_a_summary_line_per_document(tmp_path: Path) -> None:
    pdf = tmp_path / "invoice.pdf"
    pdf.write_bytes(text_pdf(lines=_INVOICE))
    result = CliRunner().invoke(command, [str(pdf)])
    assert result.exit_code == 0
    assert "invoice_number=INV-2024-0042" in result.output and "total_amount=107.10" in result.output
