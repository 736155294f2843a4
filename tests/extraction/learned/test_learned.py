"""The learned part: labels from truth, augmentation, the two models' training, persistence, decoding."""

from __future__ import annotations

from pathlib import Path

import pytest

from extraction.fields.select import Chosen
from extraction.learned import layout_model, ner
from extraction.learned.augment import augment
from extraction.learned.decode import candidates, spans_from_probs
from extraction.learned.ensemble import Policy, combine
from extraction.learned.labels import TAGS, TaggedPage, tag_pages
from extraction.normalise.amounts import AmountStyle
from extraction.normalise.dates import DateOrder
from tests.extraction.words import page

TRUTH = {"invoice_number": "INV-2024-0042", "invoice_date": "2024-03-12", "total_amount": "107.10",
         "vendor_name": "ACME Medical GmbH", "vendor_vat": "DE 136 695 976"}


def _invoice(number: str = "INV-2024-0042", total: str = "107,10") -> object:
    return page((60, 60, "ACME Medical GmbH"), (60, 100, "Rechnungsnummer:"), (200, 100, number),
                (60, 115, "Rechnungsdatum: 12.03.2024"), (60, 130, "USt-IdNr. DE 136 695 976"),
                (300, 500, "Gesamtbetrag"), (480, 500, total))


def _training_pages() -> list[TaggedPage]:
    return [tp for n in range(1, 7) for tp in tag_pages(
        [_invoice(f"INV-{n:04d}", f"{n},50")],  # type: ignore[list-item]
        {**TRUTH, "invoice_number": f"INV-{n:04d}", "total_amount": f"{n}.50"})]


def test_truth_values_are_tagged_where_they_are_printed() -> None:
    tagged = tag_pages([_invoice()], TRUTH)[0]  # type: ignore[list-item]
    by_tag = {}
    for w, t in zip(tagged.words, tagged.tags, strict=True):
        by_tag.setdefault(t[2:], []).append(w.text) if t != "O" else None
    assert by_tag["INVNO"] == ["INV-2024-0042"]
    assert by_tag["TOTAL"] == ["107,10"]
    assert by_tag["DATE"] == ["12.03.2024"]
    assert by_tag["VENDOR"] == ["ACME", "Medical", "GmbH"]
    assert by_tag["VAT"] == ["DE", "136", "695", "976"]


def test_augmented_pages_keep_the_tags_and_change_the_values() -> None:
    tagged = tag_pages([_invoice()], TRUTH)
    copies = augment(tagged, 3, seed=1)
    assert len(copies) == 3 and all(c.tags == tagged[0].tags for c in copies)
    numbers = {next(w.text for w, t in zip(c.words, c.tags, strict=True) if t == "B-INVNO") for c in copies}
    assert len(numbers) == 3 and all(n.startswith("INV-") for n in numbers)
    assert augment(tagged, 3, seed=1)[0].words == copies[0].words  # seeded


@pytest.mark.slow
def test_the_tagger_trains_deterministically_and_survives_saving(tmp_path: Path) -> None:
    tagged = _training_pages()
    settings = layout_model.TaggerSettings(hidden=32, layers=1, heads=2, intermediate=64, epochs=12, batch=6)
    model = layout_model.train(tagged, settings)
    again = layout_model.train(tagged, settings)
    probe = tagged[0]
    first = layout_model.predict(model, probe.page, probe.words)
    assert first == layout_model.predict(again, probe.page, probe.words)
    layout_model.save(model, tmp_path / "tagger")
    loaded = layout_model.load(tmp_path / "tagger")
    assert layout_model.predict(loaded, probe.page, probe.words) == first
    predicted = [TAGS[max(range(len(r)), key=r.__getitem__)] for r in first]
    assert predicted[probe.tags.index("B-INVNO")] == "B-INVNO"
    assert sum((tmp_path / "tagger").joinpath(f).stat().st_size for f in ("model.safetensors",)) < 4_000_000


def test_the_spacy_ner_trains_and_reads_entities_back(tmp_path: Path) -> None:
    tagged = _training_pages()
    nlp = ner.train(tagged, ner.NerSettings(epochs=10))
    spans = ner.predict(nlp, tagged[0].words)
    assert spans and all(tag in {"INVNO", "DATE", "TOTAL", "VENDOR", "VAT"} for _, _, tag in spans)
    ner.save(nlp, tmp_path / "ner")
    assert ner.predict(ner.load(tmp_path / "ner"), tagged[0].words) == spans


def test_spans_decode_through_the_extraction_parsers() -> None:
    p = _invoice()
    words = p.words  # type: ignore[attr-defined]
    probs = [[1.0 if t == "O" else 0.0 for t in TAGS] for _ in words]
    total_at = next(i for i, w in enumerate(words) if w.text == "107,10")
    probs[total_at] = [0.9 if t == "B-TOTAL" else 0.1 / (len(TAGS) - 1) for t in TAGS]
    spans = spans_from_probs(probs)
    found = candidates(p, words, spans, AmountStyle(","), DateOrder.DMY)  # type: ignore[arg-type]
    assert [(c.field, c.value, c.origin) for c in found] == [("total_amount", "107.10", "learned")]


def test_the_ensemble_takes_learned_answers_only_as_its_policy_says() -> None:
    rules = {"total_amount": Chosen("total_amount", "100.00", 0.9, 1, None, None)}
    learned = {"total_amount": Chosen("total_amount", "107.10", 0.8, 1, None, None, "learned"),
               "invoice_number": Chosen("invoice_number", "A-1", 0.7, 1, None, None, "learned")}
    assert combine(rules, learned, Policy({"total_amount": "rules", "invoice_number": "rules"})) == rules
    filled = combine(rules, learned, Policy({"total_amount": "fill", "invoice_number": "fill"}))
    assert filled["total_amount"].value == "100.00" and filled["invoice_number"].value == "A-1"
    preferred = combine(rules, learned, Policy({"total_amount": "prefer"}, min_score=0.85))
    assert preferred["total_amount"].value == "100.00"  # below the policy's minimum score
