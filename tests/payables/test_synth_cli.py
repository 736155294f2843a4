"""``payables synth``: writes a world, reports it, and will not overwrite one by accident."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from payables.cli import cli


def test_synth_writes_a_world_and_refuses_to_overwrite_it(tmp_path: Path) -> None:
    out = tmp_path / "world"
    args = ["synth", "--vendors", "12", "--invoices", "4", "--seed", "3", "--renderings", "pdf,einvoice",
            "--jobs", "1", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "4 invoices" in result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["invoices"] == 4 and manifest["renderings"] == ["pdf", "einvoice"]
    assert not list((out / "documents").glob("*-scan.*"))
    again = CliRunner().invoke(cli, args)
    assert again.exit_code != 0 and "--force" in str(again.exception or again.output)
    forced = CliRunner().invoke(cli, [*args[:-1], "--force", str(out)])
    assert forced.exit_code == 0, forced.output


def test_synth_rejects_a_bad_mix(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["synth", "--mix", "clean=2", str(tmp_path / "w")])
    assert result.exit_code != 0
