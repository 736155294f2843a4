"""``payables train``: the learned models, the ensemble policy and the confidence calibration, reproducibly.

1. Documents: the corpus's development half (never its test half) and, when given, a generated
   synthetic world; each read by ``read_pages`` (cached) and tagged from its truth.
2. Out-of-fold answers: the development documents are split in folds; models trained without a fold
   read that fold, so every document gets a learned answer from models that never saw it.
3. The ensemble policy per field (rules / fill / prefer) from those answers, kept only where it beats
   the rules by a margin; the calibration fitted on the ensemble's out-of-fold fields.
4. The final models, trained on every development document, written with the policy, the calibration
   and a manifest (seed, data, timings, the command) to ``extraction/learned/artefacts``.
Everything is seeded; torch runs deterministic algorithms on the CPU.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from extraction.api import ReadLimits
from extraction.confidence import ARTEFACT as CALIBRATION
from extraction.confidence import Calibrator, feature_vector, fit_calibrator
from extraction.confidence import Sample as CalibrationSample
from extraction.evaluation.corpus import CorpusDoc, load_corpus
from extraction.evaluation.rules import HEADER_FIELDS, field_matches
from extraction.evaluation.runner import PageCache, variants_of
from extraction.fields.select import Chosen
from extraction.invoice import read_by_ocr, read_layout
from extraction.learned import layout_model, ner
from extraction.learned.augment import augment
from extraction.learned.ensemble import ARTEFACTS, Models, Policy, combine, learned_candidates, learned_choice
from extraction.learned.labels import FIELD_TAGS, TaggedPage, tag_pages
from models.errors import ConfigurationError
from models.text import PageText

# A policy other than "rules" must win this many more documents on held-out data, and a share of them.
MIN_GAIN_DOCS = 2
MIN_GAIN_SHARE = 0.03
# Fields a document may leave unprinted that the rules still derive (a due date from "30 days net"):
# an empty truth does not make their reading wrong.
_DERIVABLE = frozenset({"due_date"})


@dataclass
class TrainSettings:
    corpus: Path
    synth: Path | None = None
    synth_limit: int = 0  # 0: every synthetic document
    synth_kinds: tuple[str, ...] | None = None  # renderings of the world to calibrate on (None: all)
    out: Path = ARTEFACTS
    cache: Path | None = None
    seed: int = 0
    folds: int = 2
    copies: int = 2
    tagger: layout_model.TaggerSettings = field(default_factory=layout_model.TaggerSettings)
    ner: ner.NerSettings = field(default_factory=ner.NerSettings)


@dataclass
class Sample:
    doc: CorpusDoc
    pages: list[PageText]
    tagged: list[TaggedPage]


def train_all(settings: TrainSettings, log: Callable[[str], None] = print) -> dict[str, Any]:
    import torch

    torch.set_num_threads(1)
    started = time.perf_counter()
    dev = _samples([d for d in load_corpus(settings.corpus, split="dev") if d.media_type != "application/xml"],
                   settings, log)
    synth_docs = [d for d in load_corpus(settings.synth) if d.media_type != "application/xml"] if settings.synth else []
    synth = _samples(synth_docs[:settings.synth_limit] if settings.synth_limit else synth_docs, settings, log)
    if not dev:
        raise ConfigurationError(f"No development documents with pages under {settings.corpus}.")
    log(f"{len(dev)} development documents, {len(synth)} synthetic")

    rules = {s.doc.name: read_layout(s.pages)[0] for s in dev}
    held_out: dict[str, dict[str, Chosen]] = {}
    for k in range(settings.folds):
        train_on = [s for i, s in enumerate(dev) if i % settings.folds != k] + synth
        models = _train_models(train_on, settings, log, f"fold {k + 1}/{settings.folds}")
        for i, s in enumerate(dev):
            if i % settings.folds == k:
                fs = rules[s.doc.name]
                held_out[s.doc.name] = learned_choice(
                    learned_candidates(s.pages, models, fs.ctx.read.style, fs.ctx.read.order))

    policy, evidence = choose_policy(dev, {n: fs.fields for n, fs in rules.items()}, held_out)
    log("ensemble policy: " + ", ".join(f"{f}={p}" for f, p in sorted(policy.fields.items())))
    cache = PageCache(settings.cache, ReadLimits())
    extra = [d for d in calibration_docs([s.doc for s in dev], cache, with_variants=True, log=log)
             if d.variant != "original"]
    extra += calibration_docs(_synth_docs(settings), cache, with_variants=False, log=log)
    calibrator = _calibrate(dev, {n: fs.fields for n, fs in rules.items()}, held_out, policy, extra)

    final = _train_models(dev + synth, settings, log, "final")
    layout_model.save(final.tagger, settings.out / "layout_tagger")
    ner.save(final.ner, settings.out / "ner")
    policy.save(settings.out, evidence)
    calibrator.save(settings.out / CALIBRATION.name)
    manifest = {
        "command": "payables train " + str(settings.corpus)
                   + (f" --synth {settings.synth} --synth-limit {settings.synth_limit}" if settings.synth else "")
                   + f" --epochs {settings.tagger.epochs} --seed {settings.seed}",
        "seed": settings.seed, "folds": settings.folds, "augmented_copies": settings.copies,
        "development_documents": len(dev), "synthetic_documents": len(synth),
        "tagger": asdict(settings.tagger), "ner": asdict(settings.ner),
        "seconds": round(time.perf_counter() - started, 1),
    }
    if settings.synth is not None and (settings.synth / "manifest.json").exists():
        world = json.loads((settings.synth / "manifest.json").read_text(encoding="utf-8"))
        manifest["synthetic_world"] = {k: world.get(k) for k in ("format", "seed", "vendors", "invoices",
                                                                  "renderings", "generated_for")}
    (settings.out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def _samples(docs: list[CorpusDoc], settings: TrainSettings, log: Callable[[str], None]) -> list[Sample]:
    from models.errors import PayablesError

    cache = PageCache(settings.cache, ReadLimits())
    out = []
    for doc in docs:
        try:
            pages = cache.pages(doc.path.read_bytes(), doc.media_type)
        except PayablesError as exc:
            log(f"skipped {doc.name}: {exc}")
            continue
        if any(p.words for p in pages):
            out.append(Sample(doc, pages, tag_pages(pages, doc.truth)))
    return out


def _train_models(samples: list[Sample], settings: TrainSettings, log: Callable[[str], None], name: str) -> Models:
    tagged = [tp for s in samples for tp in s.tagged]
    # Synthetic documents vary their values and layouts already; only the few real ones are multiplied.
    real = [tp for s in samples if not s.doc.folder.startswith("synth:") for tp in s.tagged]
    tagged += augment(real, settings.copies, settings.seed)
    log(f"{name}: training on {len(tagged)} pages")
    tagger = layout_model.train(tagged, settings.tagger, log=log)
    recogniser = ner.train(tagged, settings.ner, log=log)
    return Models(tagger, recogniser)


def choose_policy(dev: list[Sample], rules: dict[str, dict[str, Chosen]],
                  learned: dict[str, dict[str, Chosen]]) -> tuple[Policy, dict[str, Any]]:
    policy = Policy()
    evidence: dict[str, Any] = {}
    for fname in FIELD_TAGS:
        scores: dict[str, int] = {}
        known = [s for s in dev if s.doc.truth.get(fname) is not None]
        for how in ("rules", "learned", "fill", "prefer"):
            trial = Policy({fname: "prefer" if how == "learned" else how}, min_score=0.0 if how == "learned" else 0.5)
            right = 0
            for s in known:
                got = combine(rules[s.doc.name], learned.get(s.doc.name, {}), trial).get(fname)
                if how == "learned":
                    got = learned.get(s.doc.name, {}).get(fname)
                right += int(got is not None and field_matches(fname, s.doc.truth[fname], got.value))
            scores[how] = right
        best = max(("fill", "prefer"), key=lambda h: scores[h])
        gain = scores[best] - scores["rules"]
        enough = gain >= MIN_GAIN_DOCS and gain >= MIN_GAIN_SHARE * max(1, len(known))
        policy.fields[fname] = best if enough else "rules"
        evidence[fname] = {"documents": len(known), **scores}
    return policy, evidence


def _calibrate(dev: list[Sample], rules: dict[str, dict[str, Chosen]], learned: dict[str, dict[str, Chosen]],
               policy: Policy, extra: list[CalibrationDoc]) -> Calibrator:
    """The calibration from the ensemble's held-out answers on the development half, plus the rules'
    answers on ``extra`` documents (variants of the development half, a synthetic world) for the fields
    whose policy is the rules."""
    samples: list[CalibrationSample] = []
    for s in dev:
        chosen = combine(rules[s.doc.name], learned.get(s.doc.name, {}), policy)
        samples += field_samples(s.doc, chosen, s.pages)
    rule_fields = {f for f in FIELD_TAGS if policy.fields.get(f, "rules") == "rules"}
    for doc in extra:
        samples += [x for x in field_samples(doc.doc, doc.chosen, doc.pages)
                    if x.field in rule_fields or x.field not in FIELD_TAGS]
    return fit_calibrator(samples, fitted_on=_described(samples, len(dev), extra))


@dataclass
class CalibrationDoc:
    doc: CorpusDoc
    variant: str
    pages: list[PageText]
    chosen: dict[str, Chosen]


def field_samples(doc: CorpusDoc, chosen: dict[str, Chosen], pages: list[PageText]) -> list[CalibrationSample]:
    """One sample per field read: right or wrong by the corpus rules. On a generated document a field
    the truth leaves empty is not printed, so any value read for it is wrong; in the corpus an empty
    truth means unknown and is skipped."""
    generated = doc.folder.startswith("synth:")
    out = []
    for fname, c in chosen.items():
        if fname not in HEADER_FIELDS:
            continue
        truth = doc.truth.get(fname)
        if truth is None and not (generated and fname not in _DERIVABLE):
            continue
        right = truth is not None and field_matches(fname, truth, c.value)
        out.append(CalibrationSample(fname, feature_vector(fname, c, ocr=read_by_ocr(c, pages)), right))
    return out


def calibration_docs(docs: list[CorpusDoc], cache: PageCache, *, with_variants: bool,
                     log: Callable[[str], None]) -> list[CalibrationDoc]:
    """The rules' readings of ``docs`` (and of their variants: XML removed, degraded scan)."""
    from models.errors import PayablesError

    out = []
    for doc in docs:
        try:
            variants = list(variants_of(doc, with_variants=with_variants))
        except PayablesError as exc:
            log(f"{doc.name}: variants not built: {exc}")
            variants = list(variants_of(doc, with_variants=False))
        for v in variants:
            if v.media_type == "application/xml":
                continue
            try:
                pages = cache.pages(v.data, v.media_type)
            except PayablesError as exc:
                log(f"skipped {doc.name} ({v.name}): {exc}")
                continue
            if any(p.words for p in pages):
                out.append(CalibrationDoc(doc, v.name, pages, read_layout(pages)[0].fields))
    return out


def calibrate_only(settings: TrainSettings, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Refit only the confidence calibration, keeping the trained models and the ensemble policy. The
    held-out learned answers the full training fits on are not available here, so this needs a policy
    that takes no learned answer (as the shipped one does); otherwise run the full training."""
    policy = Policy.load(settings.out)
    if policy.uses_learned():
        raise ConfigurationError("The ensemble policy takes learned answers for "
                                 + ", ".join(f for f, p in sorted(policy.fields.items()) if p != "rules")
                                 + "; refit the calibration with the full `payables train`.")
    started = time.perf_counter()
    cache = PageCache(settings.cache, ReadLimits())
    dev = [d for d in load_corpus(settings.corpus, split="dev") if d.media_type != "application/xml"]
    extra = calibration_docs(dev, cache, with_variants=True, log=log)
    synth_docs = _synth_docs(settings)
    extra += calibration_docs(synth_docs, cache, with_variants=False, log=log)
    samples = [x for d in extra for x in field_samples(d.doc, d.chosen, d.pages)]
    calibrator = fit_calibrator(samples, fitted_on=_described(samples, 0, extra))
    calibrator.save(settings.out / CALIBRATION.name)
    log(f"calibration: {calibrator.fitted_on}")
    manifest_path = settings.out / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    manifest["calibration"] = {
        "command": "payables train " + str(settings.corpus) + " --calibration-only"
                   + (f" --synth {settings.synth} --synth-limit {settings.synth_limit}" if settings.synth else ""),
        "fitted_on": calibrator.fitted_on, "groups": sorted((calibrator.models or {}).keys()),
        "seconds": round(time.perf_counter() - started, 1),
    }
    if settings.synth is not None and (settings.synth / "manifest.json").exists():
        world = json.loads((settings.synth / "manifest.json").read_text(encoding="utf-8"))
        manifest["calibration"]["synthetic_world"] = {k: world.get(k) for k in ("seed", "vendors", "invoices",
                                                                                 "renderings")}
    manifest_path.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def _synth_docs(settings: TrainSettings) -> list[CorpusDoc]:
    if settings.synth is None:
        return []
    kinds = settings.synth_kinds
    docs = [d for d in load_corpus(settings.synth)
            if d.media_type != "application/xml" and (kinds is None or d.kind in kinds)]
    return docs[:settings.synth_limit] if settings.synth_limit else docs


def _described(samples: list[CalibrationSample], dev: int, extra: list[CalibrationDoc]) -> str:
    kinds: dict[str, int] = {}
    for d in extra:
        key = "synthetic" if d.doc.folder.startswith("synth:") else f"corpus dev {d.variant}"
        kinds[key] = kinds.get(key, 0) + 1
    parts = ([f"{dev} development documents (held-out answers)"] if dev else []) + [
        f"{n} {k}" for k, n in sorted(kinds.items())]
    wrong = sum(1 for s in samples if not s.right)
    return f"{len(samples)} fields ({wrong} wrong) of " + ", ".join(parts)
