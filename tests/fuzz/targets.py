"""Every parser the outside world reaches, as one fuzz target each, with what it may and may not do.

A target takes one input (bytes for a file parser, text for a value parser) and calls the parser the way
the pipeline does. The rule for file parsers: a bad input ends in one of the project's own errors
(``PayablesError``: a refusal or an unreadable document, with its reason), never in anything else. Value
parsers (amounts, dates, currencies, VAT ids, IBANs, file names) run over every phrase of every page, so
they must not raise at all. Where a parser returns something, a few properties of it are checked too.

The same targets serve the hypothesis tests in this folder (modest example counts, run in CI) and
``bench/fuzz.py`` (100,000+ inputs, hypothesis or atheris).
"""

from __future__ import annotations

import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from extraction.api import ReadLimits
from models.errors import PayablesError

# Small limits: a mutated page that needs OCR is rendered at a few hundred thousand pixels, so one
# input costs tens of milliseconds rather than seconds, and the limit checks themselves get exercised.
LIMITS = ReadLimits(max_pages=8, max_pixels=400_000, ocr_page_timeout_s=10.0, ocr_languages="eng", ocr_dpi=72)
MAX_TOTAL = 4 * 1024 * 1024


@dataclass(frozen=True)
class KnownBug:
    """A crash already reported to the package's owner, with a strict-xfail regression test in
    ``test_regressions.py``: the fuzzers count it apart and keep looking for new ones. When the owner
    fixes it, that test passes unexpectedly and fails the build until the entry here is removed."""

    exceptions: tuple[str, ...]  # the exception's class names
    raised_in: str  # a path suffix of a frame in its traceback
    report: str


KNOWN: tuple[KnownBug, ...] = ()


# How often each known bug was hit in this process (the fuzz benchmark reports it).
KNOWN_HITS: Counter[str] = Counter()


def known(exc: BaseException) -> KnownBug | None:
    frames = [f.filename for f in traceback.extract_tb(exc.__traceback__)]
    for bug in KNOWN:
        if type(exc).__name__ in bug.exceptions and any(f.endswith(bug.raised_in) for f in frames):
            return bug
    return None


def _expect_own_errors(call: Callable[[], object]) -> object:
    try:
        return call()
    except PayablesError as exc:
        assert exc.message and exc.code, f"{type(exc).__name__} without a message or a code"
        return None
    except Exception as exc:
        bug = known(exc)
        if bug is None:
            raise
        KNOWN_HITS[f"{type(exc).__name__} in {bug.raised_in} (known: {bug.report[:70]}…)"] += 1
        return None


# -- file parsers ---------------------------------------------------------------------------------------

def pdf_pages(data: bytes) -> None:
    from extraction.pages import read_pages

    pages = _expect_own_errors(lambda: read_pages(data, "application/pdf", LIMITS, workers=1))
    if pages is not None:
        assert isinstance(pages, list) and len(pages) <= LIMITS.max_pages
        for page in pages:
            assert page.width >= 0 and page.height >= 0


def image_pages(data: bytes) -> None:
    from extraction.images import read_image_pages

    pages = _expect_own_errors(lambda: list(read_image_pages(data, LIMITS)))
    if pages is not None:
        assert isinstance(pages, list) and 1 <= len(pages) <= LIMITS.max_pages
        for page in pages:
            assert page.grey.dtype.name == "uint8" and page.grey.size <= LIMITS.max_pixels
            assert page.dpi > 0


def einvoice_xml(data: bytes) -> None:
    from extraction.einvoice import read_einvoice

    found = _expect_own_errors(lambda: read_einvoice(data, "application/xml"))
    if found is not None:
        found.invoice.to_json()  # what the pipeline stores must serialise


def einvoice_pdf(data: bytes) -> None:
    from extraction.einvoice import read_einvoice

    found = _expect_own_errors(lambda: read_einvoice(data, "application/pdf"))
    if found is not None:
        found.invoice.to_json()


def mime(data: bytes) -> None:
    from ingest.mail.mime import unpack_message

    unpacked = _expect_own_errors(lambda: unpack_message(data, max_total_bytes=MAX_TOTAL))
    if unpacked is not None:
        assert sum(len(m.data) for m in unpacked.members) <= MAX_TOTAL
        for member in unpacked.members:
            assert member.data and member.filename
            assert len(member.filename) <= 240


def sniff_and_unpack(data: bytes) -> None:
    from ingest.containers import unpack
    from ingest.sniff import ACCEPTED, CONTAINERS, sniff

    found = sniff(data)
    assert found.media_type is None or found.media_type in ACCEPTED
    assert found.description
    if found.media_type in CONTAINERS:
        unpacked = _expect_own_errors(lambda: unpack(found.media_type or "", data, max_total_bytes=MAX_TOTAL))
        if unpacked is not None:
            assert sum(len(m.data) for m in unpacked.members) <= MAX_TOTAL


def zip_container(data: bytes) -> None:
    from ingest.containers import MAX_MEMBERS, unpack_zip

    unpacked = _expect_own_errors(lambda: unpack_zip(data, max_total_bytes=MAX_TOTAL))
    if unpacked is not None:
        assert len(unpacked.members) <= MAX_MEMBERS
        assert sum(len(m.data) for m in unpacked.members) <= MAX_TOTAL


# -- value parsers: never raise -----------------------------------------------------------------------

def amounts(text: str) -> None:
    from extraction.normalise import AmountStyle, find_amounts, infer_amount_style, parse_amount

    for style in (None, AmountStyle("."), AmountStyle(","), infer_amount_style([text])):
        value = parse_amount(text, style)
        assert value is None or (isinstance(value, Decimal) and value.is_finite())
        for m in find_amounts(text, style):
            assert 0 <= m.start < m.end <= len(text) and m.value.is_finite()


def dates(text: str) -> None:
    from extraction.normalise import DateOrder, find_dates, infer_date_order, parse_date

    for order in (None, *DateOrder):
        parse_date(text, order)
        for m in find_dates(text, order, compact=True):
            assert 1900 <= m.value.year <= 2200, f"implausible year read from {m.text!r}"
    infer_date_order([text])


def currencies(text: str) -> None:
    from extraction.normalise import currency_in, currency_votes

    code = currency_in(text)
    assert code is None or (len(code) == 3 and code.isupper())
    currency_votes([text, text[::-1]])


def identifiers(text: str) -> None:
    from models.identifiers import (
        iban_valid,
        normalise_iban,
        normalise_ref,
        normalise_vat,
        vat_valid,
        vat_without_country,
    )

    vat = normalise_vat(text)
    assert normalise_vat(vat) == vat, "normalising a VAT id twice must change nothing"
    vat_valid(text)
    vat_without_country(text)
    iban = normalise_iban(text)
    assert normalise_iban(iban) == iban
    if iban_valid(text):
        assert iban[:2].isalpha() and 15 <= len(iban) <= 34
    ref = normalise_ref(text)
    assert normalise_ref(ref) == ref


def filenames(text: str) -> None:
    from ingest.filenames import safe_filename

    name = safe_filename(text)
    if name is not None:
        assert "/" not in name and "\\" not in name and name not in (".", "..")
        assert not any(ord(ch) < 32 or ord(ch) == 127 for ch in name)
        assert 0 < len(name) <= 200


def policy(text: str) -> None:
    from matching.policy import parse_policy

    for name in ("policy.toml", "policy.yaml"):
        _expect_own_errors(lambda name=name: parse_policy(text, name))  # type: ignore[misc]


def policy_file(data: bytes) -> None:
    """The policy files as bytes on disk, as an operator's editor may have saved them."""
    import tempfile
    from pathlib import Path

    from matching.policy import load_policy
    from payables.stages.post import load_posting_policy

    with tempfile.TemporaryDirectory() as tmp:
        for name in ("policy.toml", "policy.yaml"):
            path = Path(tmp) / name
            path.write_bytes(data)
            _expect_own_errors(lambda path=path: load_policy(path))  # type: ignore[misc]
            _expect_own_errors(lambda path=path: load_posting_policy(path))  # type: ignore[misc]


def posting_policy(text: str) -> None:
    import tempfile
    from pathlib import Path

    from payables.stages.post import load_posting_policy

    with tempfile.TemporaryDirectory() as tmp:
        for name in ("policy.toml", "policy.yaml"):
            path = Path(tmp) / name
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
            _expect_own_errors(lambda path=path: load_posting_policy(path))  # type: ignore[misc]


@dataclass(frozen=True)
class Target:
    name: str
    kind: str  # "bytes" or "text"
    fn: Callable[..., None]
    seeds: Callable[[], tuple[bytes, ...]] | Callable[[], tuple[str, ...]]
    weight: float = 1.0  # share of a fuzz run's inputs (slow parsers get fewer)


@cache
def text_seeds() -> tuple[str, ...]:
    return ("1.234,56 EUR", "USD 1,234.56", "(1 234,56)", "CHF 1'234.50-", "€ -12,00", "14.03.2025",
            "March 14, 2025", "2025-03-14", "14/03/25", "20250314", "3 mars 2025", "DE 136 695 976",
            "GB980780684", "EL094259216", "DE89 3704 0044 0532 0130 00", "GB82 WEST 1234 5698 7654 32",
            "INV-2025/0042", "../../etc/passwd.pdf", "Rechnung\x00\x1f.pdf", "PO P00042")


@cache
def policy_seeds() -> tuple[str, ...]:
    import tomllib

    import yaml

    from matching.policy.load import default_policy_text

    text = default_policy_text()

    return (text, yaml.safe_dump(tomllib.loads(text)), "[checks.price]\nupper = { percent = 5 }\n",
            "checks:\n  price:\n    upper: {percent: 5}\n",
            "[posting]\npost = false\n[posting.accounts]\ndefault = 600000\n")


def _seeds(name: str) -> Callable[[], tuple[bytes, ...]]:
    from tests.fuzz import seeds

    return getattr(seeds, name)  # type: ignore[no-any-return]


TARGETS: dict[str, Target] = {t.name: t for t in (
    Target("pdf_pages", "bytes", pdf_pages, _seeds("pdfs"), 0.5),
    Target("image_pages", "bytes", image_pages, _seeds("images")),
    Target("einvoice_xml", "bytes", einvoice_xml, _seeds("xmls")),
    Target("einvoice_pdf", "bytes", einvoice_pdf, _seeds("pdfs"), 0.5),
    Target("mime", "bytes", mime, _seeds("emails")),
    Target("sniff_and_unpack", "bytes", sniff_and_unpack, _seeds("every_file")),
    Target("zip_container", "bytes", zip_container, _seeds("containers")),
    Target("amounts", "text", amounts, text_seeds, 2.0),
    Target("dates", "text", dates, text_seeds, 2.0),
    Target("currencies", "text", currencies, text_seeds, 2.0),
    Target("identifiers", "text", identifiers, text_seeds, 2.0),
    Target("filenames", "text", filenames, text_seeds, 2.0),
    Target("policy", "text", policy, policy_seeds),
    Target("posting_policy", "text", posting_policy, policy_seeds, 0.5),
    Target("policy_file", "bytes", policy_file, lambda: tuple(t.encode() for t in policy_seeds()), 0.5),
)}
