"""The synthetic world's scenario catalogue through ``payables match``: every scenario, twice, must
yield exactly its expected hold codes and PO-line matches when matching reads the truth, and nothing
that should be held may post on its own when it reads the rendered documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from payables.cli import cli
from synth import SynthConfig, generate, write_world


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("catalogue")
    write_world(generate(SynthConfig(vendors=40, invoices=0, each=2, seed=23,
                                     renderings=("pdf", "einvoice", "email"))), out, jobs=2)
    return out


def _run(world: Path, tmp_path: Path, *args: str) -> dict[str, object]:
    report = tmp_path / "report.json"
    result = CliRunner().invoke(cli, ["match", "--world", str(world), "--report", str(report),
                                      "--data-dir", str(tmp_path / "var"), *args])
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(report.read_text())
    return data


@pytest.mark.slow
def test_every_scenario_gets_exactly_its_holds_and_po_lines_on_the_truth(world: Path, tmp_path: Path) -> None:
    report = _run(world, tmp_path, "--rendering", "truth")
    mismatches = [(m["invoice_id"], m["scenario"], m["expected"], m["got"])  # type: ignore[index]
                  for m in report["mismatches"]]  # type: ignore[attr-defined]
    assert mismatches == []
    assert report["false_auto_approvals"] == 0 and report["false_holds"] == 0
    assert report["exact_hold_sets"] == 1.0 and report["line_match_accuracy"] == 1.0
    assert report["invoices"] == len(list((world / "expected").glob("*.json")))


@pytest.mark.slow
def test_read_from_the_documents_nothing_that_must_be_held_posts_on_its_own(world: Path, tmp_path: Path) -> None:
    report = _run(world, tmp_path, "--limit", "12")
    assert report["invoices"] == 12 and report["failed"] == 0
    assert report["false_auto_approvals"] == 0
