"""``payables match --world DIR --report R.json``: a generated world's scenario catalogue through the
pipeline's own stages (intake, read, extract, match; posting is left out), one invoice after another
in catalogue order, each compared with what the generator expects.

The mirror is a fresh database filled from the world's ``snapshot.json`` by ``payables erp import``'s
importer. ``--rendering`` picks the file each invoice is read from: its primary rendering (default),
one kind for all, or ``truth`` to feed the truth file's values straight to matching (matching measured
apart from extraction). The report has ``invoices``, ``false_auto_approvals``, ``false_holds``,
``exact_hold_sets`` (share whose hold codes are exactly the expected set) and ``line_match_accuracy``
(share of expected invoice line → PO line pairs matched), with a breakdown per scenario and every
mismatch with the engine's own sentences.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import click
from sqlalchemy import select

from ingest.intake import Envelope, IntakeResult
from models.db import transaction
from models.documents import Document
from models.errors import ConfigurationError
from models.extractions import Extraction
from models.invoice import FieldValue, InvoiceData, LineItem, Source
from models.matching import Hold, MatchResult
from models.states import DocumentState
from payables.runtime import Runtime
from payables.settings import load_settings
from payables.stages import Next

RENDERINGS = ("primary", "pdf", "scan", "einvoice", "email", "truth")
_STAGES = {"read": "payables.stages.read", "extract": "payables.stages.extract", "match": "payables.stages.match"}


@click.command()
@click.option("--world", "world", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A folder written by `payables synth`.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report here as JSON.")
@click.option("--rendering", type=click.Choice(RENDERINGS), default="primary", show_default=True,
              help="Which file each invoice is read from; 'truth' skips extraction.")
@click.option("--limit", type=int, default=None, help="Only the first N invoices of the catalogue.")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to keep the run's database and store (default: a temporary folder).")
def command(world: Path, report_path: Path | None, rendering: str, limit: int | None, data_dir: Path | None) -> None:
    """Run a generated world's scenarios through extraction and matching and compare with the expected."""
    expected = _catalogue(world, limit)
    with tempfile.TemporaryDirectory(prefix="payables-match-") as tmp:
        rt = Runtime.from_settings(load_settings(data_dir=data_dir or Path(tmp) / "var"))
        try:
            _import(rt, world / "snapshot.json")
            started = time.perf_counter()
            rows = _run(rt, world, expected, rendering)
            report = summarise(rows, rendering, world, time.perf_counter() - started)
        finally:
            rt.close()
    text = json.dumps(report, indent=2, ensure_ascii=False)
    if report_path:
        report_path.write_text(text + "\n", encoding="utf-8")
    click.echo(json.dumps({k: report[k] for k in ("invoices", "false_auto_approvals", "false_holds",
                                                   "exact_hold_sets", "line_match_accuracy", "failed")}))


def _catalogue(world: Path, limit: int | None) -> list[dict[str, Any]]:
    files = sorted((world / "expected").glob("*.json"))
    if not files:
        raise ConfigurationError(f"{world} has no expected/*.json: is it a folder written by `payables synth`?")
    out = [json.loads(f.read_text(encoding="utf-8")) for f in files]
    return out[:limit] if limit else out


def _import(rt: Runtime, snapshot: Path) -> None:
    from erp.snapshot_import import import_snapshot_file

    if not snapshot.is_file():
        raise ConfigurationError(f"{snapshot} is missing: the world has no ERP snapshot")
    import_snapshot_file(snapshot, rt.sessions)


# -- running each invoice -------------------------------------------------------------------------

def _run(rt: Runtime, world: Path, expected: list[dict[str, Any]], rendering: str) -> list[dict[str, Any]]:
    rows = []
    registered: dict[Path, IntakeResult] = {}
    with click.progressbar(expected, label=f"matching {len(expected)} invoices", file=sys.stderr,
                           show_pos=True) as bar:
        for exp in bar:
            try:
                doc_id = _document_for(rt, world, exp, rendering, registered)
                if doc_id is not None:
                    drive(rt, doc_id, "match" if rendering == "truth" else "read")
                rows.append(_compare(rt, exp, doc_id))
            except Exception as exc:  # noqa: BLE001  (one invoice's failure is reported, the run goes on)
                rows.append({"invoice_id": exp["invoice_id"], "scenario": exp["scenario"],
                             "expected": sorted(exp["holds"]), "got": None, "state": "error",
                             "error": f"{type(exc).__name__}: {exc}"})
    return rows


def drive(rt: Runtime, document_id: int, first: str = "read") -> None:
    """The stages in order, in this process: what each names next runs next; posting is not done."""
    import importlib

    queue = [Next(first, document_id)]
    while queue:
        nxt = queue.pop(0)
        module = _STAGES.get(nxt.stage)
        if module is not None:
            queue.extend(importlib.import_module(module).run(rt, nxt.document_id))


def _document_for(rt: Runtime, world: Path, exp: dict[str, Any], rendering: str,
                  registered: dict[Path, IntakeResult]) -> int | None:
    if rendering == "truth":
        return _from_truth(rt, world, exp)
    kind = exp.get("primary") if rendering == "primary" else rendering
    renderings: dict[str, str] = exp.get("renderings", {})
    rel = renderings.get(str(kind)) or (renderings.get("facturx") or renderings.get("ubl")
                                        if kind == "einvoice" else None)
    if rel is None:
        rel = renderings.get("pdf") or next(iter(renderings.values()))
    path = world / rel
    result = registered.get(path)
    if result is None:
        result = rt.intake.register(path.read_bytes(), Envelope(source="cli", filename=path.name,
                                                                source_ref=f"file:{path.resolve()}"))
        registered[path] = result
    wanted = (exp.get("email") or {}).get("attachment") if path.suffix == ".eml" else None
    for r in result.flatten():
        if r.document_id is not None and r.document_id in result.to_process and (
                wanted is None or r.filename == wanted):
            return r.document_id
    return result.document_id


def _from_truth(rt: Runtime, world: Path, exp: dict[str, Any]) -> int:
    """A document as extraction would leave it, with the truth file's values at full confidence."""
    truth = json.loads((world / "truth" / f"{exp['invoice_id']}.truth.json").read_text(encoding="utf-8"))
    inv = truth_invoice(truth)
    envelope = {}
    eml = exp.get("renderings", {}).get("email")
    if eml:
        from ingest.mail.mime import envelope_of, parse_message

        mail = envelope_of(parse_message((world / eml).read_bytes()))
        envelope = {f"mail_{k}": v for k, v in mail.items()}
    with transaction(rt.sessions) as s:
        doc = Document(sha256=f"truth-{exp['invoice_id']}".ljust(64, "0")[:64], size=0, media_type="application/json",
                       source="cli", filename=f"{exp['invoice_id']}.truth.json", envelope=envelope,
                       state=DocumentState.EXTRACTED.value, doc_type=inv.document_type,
                       invoice_number=inv.get("invoice_number"), invoice_date=inv.get("invoice_date"),
                       currency=inv.get("currency"), total_amount=inv.decimal("total_amount"),
                       vendor_name=inv.get("vendor_name"))
        s.add(doc)
        s.flush()
        s.add(Extraction(document_id=doc.id, version=1, kind="machine", engine="truth", data=inv.to_json()))
        return doc.id


def truth_invoice(truth: dict[str, Any]) -> InvoiceData:
    meta = truth.get("_meta") or {}

    def exact(value: Any) -> FieldValue:
        return FieldValue(None if value is None else str(value), 1.0, Source.HUMAN.value)

    fields = {k: exact(v) for k, v in truth.items() if k not in ("lines", "_meta") and v is not None}
    if meta.get("document_type"):
        fields["document_type"] = exact(meta["document_type"])
    if meta.get("credit_note_ref"):
        fields["credit_note_ref"] = exact(meta["credit_note_ref"])
    lines = [LineItem(fields={k: exact(v) for k, v in line.items() if v is not None}, confidence=1.0)
             for line in truth.get("lines") or []]
    po_numbers = list(meta.get("po_numbers") or ([truth["po_number"]] if truth.get("po_number") else []))
    # What a perfect extractor reads off a Factur-X whose XML and page disagree.
    warnings = [{"code": "EINVOICE_PDF_MISMATCH", "message": f"{name}: the XML and the page differ"}
                for name in (meta.get("einvoice_differs") or {})]
    return InvoiceData(fields=fields, lines=lines, po_numbers=po_numbers, warnings=warnings)


# -- comparing --------------------------------------------------------------------------------------

def _compare(rt: Runtime, exp: dict[str, Any], doc_id: int | None) -> dict[str, Any]:
    row: dict[str, Any] = {"invoice_id": exp["invoice_id"], "scenario": exp["scenario"], "group": exp.get("group"),
                           "expected": sorted(exp["holds"]), "document_id": doc_id}
    if doc_id is None:
        return {**row, "got": None, "state": "not stored"}
    with rt.sessions() as s:
        doc = s.get(Document, doc_id)
        state = doc.state if doc else "missing"
        result = s.scalars(select(MatchResult).where(MatchResult.document_id == doc_id)
                           .order_by(MatchResult.run.desc()).limit(1)).first()
        holds = list(s.scalars(select(Hold).where(Hold.document_id == doc_id, Hold.status == "open")))
        failure = doc.failure_reason if doc else None
    got = sorted({h.code for h in holds}) if result is not None else None
    pairs = {(p["invoice_line"], p["po_line_id"]) for p in exp.get("po_lines", [])}
    # A line recognised on a closed or another vendor's order counts as matched: it is shown against
    # that line, though never billed on it.
    ours = {(ln["line"] - 1, ln.get("po_line_id") or ln.get("view_po_line_id"))
            for ln in (result.detail.get("invoice_lines", []) if result else [])}
    row.update(got=got, state=state, auto_approved=state == DocumentState.AUTO_APPROVED.value,
               lines_expected=len(pairs), lines_right=len(pairs & ours),
               vendor_expected=exp.get("vendor_id"), vendor_got=result.vendor_id if result else None)
    if failure:
        row["failure"] = failure
    if got != row["expected"]:
        row["messages"] = [f"{h.code}: {h.message}" for h in holds][:6]
    return row


def summarise(rows: list[dict[str, Any]], rendering: str, world: Path, seconds: float) -> dict[str, Any]:
    n = len(rows)
    should_hold = [r for r in rows if r["expected"]]
    clean = [r for r in rows if not r["expected"]]
    false_auto = [r["invoice_id"] for r in should_hold if r.get("auto_approved")]
    false_holds = [r["invoice_id"] for r in clean if not r.get("auto_approved")]
    exact = sum(1 for r in rows if r.get("got") == r["expected"])
    lines_expected = sum(r.get("lines_expected", 0) for r in rows)
    lines_right = sum(r.get("lines_right", 0) for r in rows)
    per: dict[str, Counter[str]] = defaultdict(Counter)
    for r in rows:
        c = per[r["scenario"]]
        c["invoices"] += 1
        c["exact"] += r.get("got") == r["expected"]
        c["false_auto_approvals"] += bool(r["expected"]) and bool(r.get("auto_approved"))
        c["false_holds"] += not r["expected"] and not r.get("auto_approved")
    return {
        "world": str(world), "rendering": rendering, "seconds": round(seconds, 1),
        "invoices": n,
        "false_auto_approvals": len(false_auto),
        "false_holds": len(false_holds),
        "exact_hold_sets": round(exact / n, 4) if n else None,
        "line_match_accuracy": round(lines_right / lines_expected, 4) if lines_expected else None,
        "failed": sum(1 for r in rows if r.get("state") in ("error", "failed", "not stored")),
        "false_auto_approval_ids": false_auto,
        "false_hold_ids": false_holds,
        "by_scenario": {k: dict(v) for k, v in sorted(per.items())},
        "mismatches": [r for r in rows if r.get("got") != r["expected"]],
        "line_misses": [{k: r.get(k) for k in ("invoice_id", "scenario", "lines_expected", "lines_right")}
                        for r in rows if r.get("lines_right", 0) < r.get("lines_expected", 0)],
    }
