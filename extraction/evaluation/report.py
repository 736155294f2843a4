"""Scores from results: accuracy per field, folder and kind; lines; whole documents; calibration."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from extraction.confidence import ReliabilityBin, expected_calibration_error, reliability_table
from extraction.evaluation.rules import HEADER_FIELDS, field_matches, match_lines
from extraction.evaluation.runner import DocResult


@dataclass
class Tally:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.total += 1
        self.right += int(ok)

    @property
    def rate(self) -> float | None:
        return self.right / self.total if self.total else None

    def to_json(self) -> dict[str, Any]:
        return {"right": self.right, "total": self.total,
                "accuracy": round(self.rate, 4) if self.rate is not None else None}


@dataclass
class GroupScore:
    fields: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    documents: Tally = field(default_factory=Tally)  # every known header field right
    line_matched: int = 0
    line_truth: int = 0
    line_found: int = 0
    seconds: float = 0.0
    errors: int = 0

    @property
    def line_recall(self) -> float | None:
        return self.line_matched / self.line_truth if self.line_truth else None

    @property
    def line_precision(self) -> float | None:
        return self.line_matched / self.line_found if self.line_found else None

    def to_json(self) -> dict[str, Any]:
        return {"fields": {k: v.to_json() for k, v in sorted(self.fields.items())},
                "documents_all_right": self.documents.to_json(),
                "lines": {"matched": self.line_matched, "truth": self.line_truth, "found": self.line_found,
                          "recall": _round(self.line_recall), "precision": _round(self.line_precision)},
                "seconds": round(self.seconds, 3), "errors": self.errors}


@dataclass
class Report:
    # system → group ("all", "kind:hybrid_pdf/stripped", "folder:sroie") → score
    groups: dict[str, dict[str, GroupScore]]
    reliability: dict[str, list[ReliabilityBin]]
    failures: list[dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        return {
            "systems": {s: {g: score.to_json() for g, score in sorted(gs.items())} for s, gs in self.groups.items()},
            "reliability": {s: {"bins": [b.__dict__ for b in bins], "ece": round(expected_calibration_error(bins), 4)}
                            for s, bins in self.reliability.items()},
            "failures": self.failures,
        }


def score(results: list[DocResult]) -> Report:
    groups: dict[str, dict[str, GroupScore]] = defaultdict(lambda: defaultdict(GroupScore))
    points: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    failures: list[dict[str, Any]] = []
    for r in results:
        keys = ("all", f"kind:{r.kind}", f"folder:{r.doc.folder}" + ("" if r.variant == "original"
                                                                      else f"/{r.variant}"))
        targets = [groups[r.system][k] for k in keys]
        for g in targets:
            g.seconds += r.seconds
            g.errors += int(r.error is not None)
        all_right = True
        known = 0
        wrong: dict[str, Any] = {}
        for fname in HEADER_FIELDS:
            truth = r.doc.truth.get(fname)
            if truth is None:
                continue
            known += 1
            got = (r.fields.get(fname) or {}).get("value")
            ok = field_matches(fname, truth, got)
            for g in targets:
                g.fields[fname].add(ok)
            conf = (r.fields.get(fname) or {}).get("confidence")
            if got is not None and conf is not None:
                points[r.system].append((float(conf), ok))
            if not ok:
                all_right = False
                wrong[fname] = {"truth": truth, "got": got}
        if known:
            for g in targets:
                g.documents.add(all_right)
        truth_lines = r.doc.truth.get("lines")
        if truth_lines:
            pairs = match_lines(truth_lines, r.lines)
            for g in targets:
                g.line_matched += len(pairs)
                g.line_truth += len(truth_lines)
                g.line_found += len(r.lines)
            if len(pairs) < len(truth_lines):
                wrong["lines"] = {"matched": len(pairs), "truth": len(truth_lines), "found": len(r.lines)}
        if wrong or r.error:
            failures.append({"document": r.doc.name, "variant": r.variant, "system": r.system, "error": r.error,
                             "wrong": wrong})
    reliability = {s: reliability_table(p) for s, p in points.items()}
    return Report({s: dict(g) for s, g in groups.items()}, reliability, failures)


def _round(value: float | None) -> float | None:
    return round(value, 4) if value is not None else None


def _pct(t: Tally | None) -> str:
    if t is None or not t.total:
        return "–"
    return f"{100 * t.right / t.total:.0f}% ({t.total})"


def format_report(report: Report, *, systems: list[str]) -> str:
    """Markdown tables: per field × kind for each system, then systems side by side, then calibration."""
    out: list[str] = []
    for system in systems:
        gs = report.groups.get(system)
        if not gs:
            continue
        kinds = sorted(k for k in gs if k.startswith("kind:"))
        out.append(f"### {system}: accuracy per field and kind (documents with a known value)\n")
        out.append("| field | " + " | ".join(k[5:] for k in kinds) + " | all |")
        out.append("|---" * (len(kinds) + 2) + "|")
        for fname in HEADER_FIELDS:
            row = [_pct(gs[k].fields.get(fname)) for k in kinds] + [_pct(gs["all"].fields.get(fname))]
            out.append(f"| {fname} | " + " | ".join(row) + " |")
        out.append("| line recall | " + " | ".join(_share(gs[k].line_recall) for k in kinds)
                   + f" | {_share(gs['all'].line_recall)} |")
        out.append("| line precision | " + " | ".join(_share(gs[k].line_precision) for k in kinds)
                   + f" | {_share(gs['all'].line_precision)} |")
        out.append("| documents all right | " + " | ".join(_pct(gs[k].documents) for k in kinds)
                   + f" | {_pct(gs['all'].documents)} |")
        out.append("")
    out.append("### Systems side by side (all documents each system can read)\n")
    present = [s for s in systems if s in report.groups]
    out.append("| field | " + " | ".join(present) + " |")
    out.append("|---" * (len(present) + 1) + "|")
    for fname in HEADER_FIELDS:
        out.append(f"| {fname} | " + " | ".join(_pct(report.groups[s]["all"].fields.get(fname)) for s in present)
                   + " |")
    out.append("| line recall | " + " | ".join(_share(report.groups[s]["all"].line_recall) for s in present) + " |")
    out.append("")
    for system, bins in report.reliability.items():
        if system not in present or system == "invoice2data":
            continue
        out.append(f"### Calibration ({system}): confidence vs observed accuracy, "
                   f"ECE {expected_calibration_error(bins):.3f}\n")
        out.append("| confidence | fields | mean confidence | accuracy |")
        out.append("|---|---|---|---|")
        for b in bins:
            out.append(f"| {b.low:.2f}–{b.high:.2f} | {b.count} | "
                       f"{b.mean_confidence:.3f} | {b.accuracy:.3f} |" if b.count else
                       f"| {b.low:.2f}–{b.high:.2f} | 0 | – | – |")
        out.append("")
    return "\n".join(out)


def _share(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"
