"""The output folder: every file listed in the manifest with its hash, truth and expected outcome for
every invoice, and the same bytes for the same seed whatever the number of workers."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from models.holds import HoldCode
from synth import SynthConfig, generate, write_world
from synth.snapshot import FORMAT

CORPUS_KEYS = {"vendor_name", "vendor_vat", "vendor_iban", "buyer_name", "invoice_number", "invoice_date",
               "due_date", "po_number", "currency", "net_amount", "tax_amount", "total_amount", "lines", "_meta"}


def test_the_manifest_lists_every_file_with_its_hash(written_world: Path) -> None:
    manifest = json.loads((written_world / "manifest.json").read_text(encoding="utf-8"))
    listed = {f["path"]: f for f in manifest["files"]}
    on_disk = {str(p.relative_to(written_world)) for p in written_world.rglob("*") if p.is_file()}
    assert on_disk - {"manifest.json"} == set(listed)
    for path, entry in listed.items():
        data = (written_world / path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"] and len(data) == entry["bytes"]
    renderings = {f["rendering"] for f in manifest["files"]}
    assert {"pdf", "scan", "facturx", "ubl", "email", "truth", "expected", "snapshot"} <= renderings


def test_truth_files_follow_the_corpus_schema(written_world: Path) -> None:
    kinds = set()
    for path in (written_world / "truth").glob("*.truth.json"):
        truth = json.loads(path.read_text(encoding="utf-8"))
        assert set(truth) == CORPUS_KEYS
        assert all(set(line) == {"description", "quantity", "unit_price", "amount"} for line in truth["lines"])
        meta = truth["_meta"]
        kinds.add(meta["kind"])
        assert meta["source"] == "synth" and all((written_world / d["path"]).is_file()
                                                 for d in meta["documents"].values())
    assert kinds <= {"digital_pdf", "image_scan", "hybrid_pdf", "einvoice_xml"} and len(kinds) >= 3


def test_expected_outcomes_name_holds_po_lines_and_the_primary_rendering(written_world: Path) -> None:
    snapshot = json.loads((written_world / "snapshot.json").read_text(encoding="utf-8"))
    assert snapshot["format"] == FORMAT
    lines = {line["id"]: line for line in snapshot["models"]["purchase.order.line"]}
    orders = {po["id"]: po for po in snapshot["models"]["purchase.order"]}
    for path in (written_world / "expected").glob("*.json"):
        expected = json.loads(path.read_text(encoding="utf-8"))
        assert all(HoldCode(code) for code in expected["holds"])
        assert expected["auto_approve"] == (not expected["holds"])
        assert expected["primary"] in expected["renderings"] or expected["primary"] == "einvoice"
        for pair in expected["po_lines"]:
            po = orders[lines[pair["po_line_id"]]["order_id"]]
            assert po["id"] in expected["po_ids"]
            if expected["scenario"] != "po_vendor_mismatch":
                assert po["partner_id"] == expected["vendor_id"]
        if expected["scenario"] == "vendor_ambiguous":
            assert expected["vendor_id"] is None and len(expected["vendor_candidates"]) == 2


def test_same_seed_same_bytes_whatever_the_workers(tmp_path: Path) -> None:
    config = SynthConfig(vendors=15, invoices=6, seed=23)
    write_world(generate(config), tmp_path / "a", jobs=1)
    write_world(generate(config), tmp_path / "b", jobs=2)
    a = (tmp_path / "a" / "manifest.json").read_bytes()
    assert a == (tmp_path / "b" / "manifest.json").read_bytes()
    other = SynthConfig(vendors=15, invoices=6, seed=24)
    write_world(generate(other), tmp_path / "c", jobs=1)
    assert a != (tmp_path / "c" / "manifest.json").read_bytes()
