"""Writing a generated world to a folder:

``snapshot.json``                      the ERP world (see ``synth.snapshot``)
``documents/<id>.pdf``                 digital PDF (text layer)
``documents/<id>-scan.{png,jpg,tif,pdf}`` the page scanned (no text layer)
``documents/<id>-facturx.pdf``         Factur-X: the page with its CII XML embedded
``documents/<id>-ubl.xml``             UBL 2.1 invoice or credit note
``documents/<id>.eml``                 the vendor's e-mail (sometimes two invoices, sometimes forwarded)
``truth/<id>.truth.json``              the corpus truth schema (``/work/shared/corpus/README.md``)
``expected/<id>.json``                 the scenario, the holds matching must raise, the PO lines it
                                       must match, the vendor, the renderings and the primary one
``manifest.json``                      every file with its invoice(s), rendering and sha256

Documents are rendered in worker processes (forked, so the world is not pickled); every byte depends
only on the seed and the configuration, never on timing or the number of workers.
"""

from __future__ import annotations

import json
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from hashlib import sha256
from pathlib import Path
from typing import Any

from synth.generate import GeneratedInvoice, GeneratedWorld
from synth.render.bundle import TRUTH_KIND, Bundle, FileRecord, plan_bundles, render_bundle
from synth.render.style import style_for
from synth.snapshot import snapshot_bytes

MANIFEST_FORMAT = "payables-synth/1"
_STATE: dict[str, Any] = {}


def allowed_renderings(invoice: GeneratedInvoice, chosen: tuple[str, ...]) -> frozenset[str]:
    scenario = invoice.scenario
    usable = (scenario.only or frozenset(chosen)) & frozenset(chosen)
    return frozenset(usable - scenario.excludes)


def _render(index: int) -> list[FileRecord]:
    bundles: list[Bundle] = _STATE["bundles"]
    return render_bundle(bundles[index], _STATE["out"], _STATE["seed"])


def render_all(bundles: list[Bundle], out: Path, seed: int, jobs: int) -> list[FileRecord]:
    _STATE.update(bundles=bundles, out=out, seed=seed)
    indices = list(range(len(bundles)))
    if jobs <= 1 or len(bundles) < 4:
        results = [_render(i) for i in indices]
    else:
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            results = list(pool.map(_render, indices, chunksize=4))
    _STATE.clear()
    return [record for batch in results for record in batch]


def _json_bytes(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode()


def write_world(generated: GeneratedWorld, out: Path, jobs: int = 1) -> dict[str, Any]:
    config = generated.config
    for sub in ("documents", "truth", "expected"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    files: list[dict[str, Any]] = []
    snapshot = snapshot_bytes(generated.world)
    (out / "snapshot.json").write_bytes(snapshot)
    files.append({"path": "snapshot.json", "invoices": [], "rendering": "snapshot",
                  "sha256": sha256(snapshot).hexdigest(), "bytes": len(snapshot)})
    by_id = {inv.doc.invoice_id: inv for inv in generated.invoices}
    bundles = plan_bundles([(inv.doc, allowed_renderings(inv, config.renderings)) for inv in generated.invoices],
                           config.seed)
    records = render_all(bundles, out, config.seed, jobs)
    plans = {plan.doc.invoice_id: plan for bundle in bundles for plan in bundle.plans}
    per_invoice: dict[str, list[FileRecord]] = {}
    for record in records:
        for invoice_id in record.invoices:
            per_invoice.setdefault(invoice_id, []).append(record)
        files.append({"path": record.path, "invoices": list(record.invoices), "rendering": record.rendering,
                      "sha256": record.sha256, "bytes": record.size})
    for invoice_id, invoice in by_id.items():
        plan = plans[invoice_id]
        own = per_invoice.get(invoice_id, [])
        truth = _truth(invoice, own, plan.primary, config.seed)
        expected = _expected(invoice, own, plan.primary)
        for folder, name, data in (("truth", f"{invoice_id}.truth.json", truth),
                                   ("expected", f"{invoice_id}.json", expected)):
            payload = _json_bytes(data)
            (out / folder / name).write_bytes(payload)
            files.append({"path": f"{folder}/{name}", "invoices": [invoice_id], "rendering": folder,
                          "sha256": sha256(payload).hexdigest(), "bytes": len(payload)})
    files.sort(key=lambda f: f["path"])
    manifest = {"format": MANIFEST_FORMAT, "seed": config.seed, "generated_for": config.today.isoformat(),
                "vendors": config.vendors, "invoices": len(generated.invoices),
                "renderings": list(config.renderings), "files": files}
    (out / "manifest.json").write_bytes(_json_bytes(manifest))
    return manifest


def _rendering_key(record: FileRecord) -> str:
    return record.rendering if record.rendering != "email" else "email"


def _primary_record(own: list[FileRecord], primary: str) -> FileRecord | None:
    wanted = {"einvoice": ("facturx", "ubl")}.get(primary, (primary,))
    return next((r for r in own if r.rendering in wanted), None)


def _truth(invoice: GeneratedInvoice, own: list[FileRecord], primary: str, seed: int) -> dict[str, Any]:
    doc = invoice.doc
    truth = doc.truth()
    main = _primary_record(own, primary)
    style = style_for(doc.vendor, seed)
    meta: dict[str, Any] = {
        "source": "synth", "kind": main.kind if main else "digital_pdf", "language": doc.vendor.language,
        "truth_origin": "generated with the document by payables synth; every value is printed on the page",
        "seed": seed, "layout": style.layout.name, "document_type": doc.document_type,
        "documents": {r.rendering: {"path": r.path, "kind": TRUTH_KIND.get(r.rendering, r.kind)} for r in own},
    }
    if len(doc.po_numbers) > 1:
        meta["po_numbers"] = doc.po_numbers
    if doc.credit_note_of:
        meta["credit_note_ref"] = doc.credit_note_of
    differs = doc.einvoice_differences()
    if differs:
        meta["einvoice_differs"] = differs
    truth["_meta"] = meta
    return truth


def _expected(invoice: GeneratedInvoice, own: list[FileRecord], primary: str) -> dict[str, Any]:
    doc, expected, scenario = invoice.doc, invoice.expected, invoice.scenario
    details = dict(expected.details)
    po_ids = details.pop("po_ids", [])
    renderings = {_rendering_key(r): r.path for r in own}
    out: dict[str, Any] = {
        "invoice_id": doc.invoice_id, "scenario": scenario.name, "group": scenario.group,
        "summary": scenario.summary, "holds": [str(code) for code in expected.holds],
        "auto_approve": not expected.holds, "vendor_id": expected.vendor_id,
        "vendor_candidates": expected.vendor_candidates, "document_type": doc.document_type, "po_ids": po_ids,
        "po_lines": [{"invoice_line": i, "po_line_id": line.po_line_id} for i, line in enumerate(doc.lines)
                     if line.po_line_id is not None],
        "non_po_lines": [i for i, line in enumerate(doc.lines) if line.po_line_id is None and line.kind == "freight"],
        "credit_note_for": expected.credit_note_for, "duplicate_of": expected.duplicate_of, "note": expected.note,
        "details": details, "renderings": renderings, "primary": "einvoice" if primary == "einvoice" else primary,
    }
    email = next((r for r in own if r.rendering == "email"), None)
    if email is not None:
        names = email.detail.get("attachments", {})
        assert isinstance(names, dict)
        out["email"] = {"path": email.path, "attachment": names.get(doc.invoice_id),
                        "invoices": list(email.invoices), "forwarded": bool(email.detail.get("forwarded"))}
    return out
