"""Every field an e-invoice's XML holds comes out exactly, on every e-invoice of the corpus."""

from __future__ import annotations

import json
from pathlib import Path

from extraction.einvoice import read_einvoice
from tests.extraction.corpus_rules import HEADER_FIELDS, field_matches, line_matches

FOLDERS = ("cen_en16931", "xrechnung_testsuite", "peppol_bis3", "oca_edi", "ferd_zugferd24", "zugferd_corpus",
           "fnfe_facturx_1007", "mustang_tests")
KINDS = {"einvoice_xml": (".xml", "application/xml"), "hybrid_pdf": (".pdf", "application/pdf")}


def _documents(corpus: Path) -> list[tuple[Path, str, dict]]:  # type: ignore[type-arg]
    out = []
    for folder in FOLDERS:
        for truth_path in sorted((corpus / folder).glob("*.truth.json")):
            truth = json.loads(truth_path.read_text(encoding="utf-8"))
            kind = truth["_meta"]["kind"]
            if kind in KINDS:
                suffix, media_type = KINDS[kind]
                out.append((truth_path.with_name(truth_path.name.replace(".truth.json", suffix)), media_type, truth))
    return out


def test_every_field_the_xml_holds_is_exact(corpus_dir: Path) -> None:
    docs = _documents(corpus_dir)
    assert len(docs) >= 100
    wrong: list[str] = []
    checked = 0
    for path, media_type, truth in docs:
        found = read_einvoice(path.read_bytes(), media_type)
        if found is None:
            wrong.append(f"{path.name}: no e-invoice found")
            continue
        assert found.invoice.get("invoice_number") and found.syntax in ("CII", "UBL")
        for name in HEADER_FIELDS:
            if truth.get(name) is not None:
                checked += 1
                if not field_matches(name, truth[name], found.invoice.get(name)):
                    wrong.append(f"{path.name}: {name} is {found.invoice.get(name)!r}, truth {truth[name]!r}")
        lines = [{k: f.value for k, f in line.fields.items()} for line in found.invoice.lines]
        truth_lines = truth.get("lines") or []
        if len(lines) != len(truth_lines):
            wrong.append(f"{path.name}: {len(lines)} lines, truth {len(truth_lines)}")
        for i, (want, got) in enumerate(zip(truth_lines, lines, strict=False)):
            checked += 1
            if not line_matches(want, got):
                wrong.append(f"{path.name}: line {i + 1} is {got}, truth {want}")
    assert checked > 1500
    assert wrong == []
