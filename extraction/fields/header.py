"""Header fields of one document: candidates from every rule, then one consistent answer per field."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from extraction.fields.candidates import Candidate, label_candidates
from extraction.fields.context import DocContext
from extraction.fields.identifiers import identifier_candidates
from extraction.fields.parties import address_of, party_candidates
from extraction.fields.select import Chosen, Grouped, choose, chosen_from, group_by_value
from extraction.fields.totals import choose_totals
from extraction.normalise.amounts import find_amounts
from extraction.normalise.currencies import currency_votes
from extraction.normalise.text import fold
from models.identifiers import normalise_ref

# Stems of the words that name the document; before a bare "Nr."/"vom" they make it the invoice's.
_DOC_STEMS = ("rechnung", "invoice", "factur", "fattur", "gutschrift", "credit", "avoir", "korrektur", "beleg",
              "nota")
_WEAK = 0.4
# How many words before a weak label may name the document ("Handelsrechnung (380) Nr.").
_DOC_WORD_REACH = 2
_EURO_LANGS = {"de", "fr", "es", "nl", "it"}
_TERMS_DAYS = re.compile(
    r"(\d{1,3})\s*(?:days?|tage[n]?|jours?|d[ií]as|dagen|giorni|gg)\b(?!\s*(?:\d|skonto|rabatt))", re.IGNORECASE)


@dataclass
class FieldSet:
    fields: dict[str, Chosen]
    candidates: list[Candidate]
    ctx: DocContext
    notes: list[str] = field(default_factory=list)
    tax_breakdown: list[dict[str, str]] = field(default_factory=list)

    def po_numbers(self) -> list[str]:
        """Every order number the invoice names, the chosen one first (for matching multi-PO invoices)."""
        chosen = self.fields.get("po_number")
        if chosen is None:
            return []
        floor = 0.6 * chosen.score
        out = [chosen.value]
        for c in sorted((c for c in self.candidates if c.field == "po_number"), key=lambda c: c.order):
            if c.score >= floor and normalise_ref(c.value) not in {normalise_ref(v) for v in out}:
                out.append(c.value)
        return out


_DATES = frozenset({"invoice_date", "due_date"})
_AMOUNTS = frozenset({"net_amount", "tax_amount", "total_amount"})
_IDS = frozenset({"vendor_vat", "vendor_iban", "vendor_bic", "buyer_vat"})
_PARTIES = frozenset({"vendor_name", "buyer_name", "vendor_address"})


def extract_header(ctx: DocContext, line_sum: Decimal | None = None, *,
                   only: frozenset[str] | None = None) -> FieldSet:
    """Every header field; or, with ``only``, just what those fields need (an e-invoice's page check
    reads the few fields its XML leaves out or its page does not visibly print)."""
    def wanted(fields: frozenset[str]) -> bool:
        return only is None or bool(only & fields)

    labelled = only
    if only is not None:
        if wanted(_DATES):
            only = only | _DATES | {"invoice_number", "payment_terms"}  # near the number; due from terms
        if wanted(_AMOUNTS):
            only = only | _AMOUNTS | {"payment_tendered", "payment_change"}
        labelled = only
    cands = label_candidates(ctx, labelled)
    _boost_weak_labels(ctx, cands)
    if wanted(_IDS):
        cands += identifier_candidates(ctx)
    if wanted(_PARTIES):
        cands += party_candidates(ctx)
    if wanted(_DATES):
        cands += _date_fallbacks(ctx)
    chosen: dict[str, Chosen] = {}
    for fname in ("invoice_number", "po_number", "delivery_note", "credit_note_ref", "vendor_bic", "payment_terms"):
        c = choose(fname, cands, min_score=0.15)
        if c is not None:
            chosen[fname] = c
    _near_number(cands, chosen.get("invoice_number"))
    if wanted(_DATES):
        chosen.update(_dates(ctx, cands))
    if wanted(frozenset({"currency"})):
        chosen.update(_currency(ctx, cands))
    if wanted(_AMOUNTS):
        chosen.update(choose_totals(cands, line_sum, _printed_amounts(ctx)))
    if wanted(_IDS):
        chosen.update(_vendor_ids(cands))
    if wanted(_PARTIES):
        chosen.update(_parties(ctx, cands))
    _drop_clashes(chosen)
    return FieldSet(chosen, cands, ctx, tax_breakdown=_tax_breakdown(ctx, cands, chosen.get("tax_amount")))


def _boost_weak_labels(ctx: DocContext, cands: list[Candidate]) -> None:
    """``Handelsrechnung (380) Nr. 471102 vom 05.03.2018``: a bare "Nr."/"vom" after the document's name."""
    for c in cands:
        weight = c.features.get("label_weight", 1.0)
        if c.field not in ("invoice_number", "invoice_date") or weight > _WEAK:
            continue
        raw_before = c.before_label
        before = fold(raw_before)
        # The document's name right before the label, not anywhere earlier on the line (an e-mail address
        # "invoices@…" or a "Fecha de factura" column title two phrases back).
        near = [t for t in before.split()[-_DOC_WORD_REACH:] if "@" not in t and "www" not in t]
        if any(stem in t for t in near for stem in _DOC_STEMS):
            # "Rechnung Nr. 471102 vom 05.03.2018": a number between the document's name and "vom" makes
            # the date the invoice's own; "Rechnung gemäß Bestellung vom …" is some other date.
            boosted = 0.9 if c.field == "invoice_number" or re.search(r"\d{3}", raw_before) else 0.6
            c.score = c.score / weight * boosted
            c.features["label_weight"] = boosted
            c.features["doc_word"] = 1.0
        elif c.field == "invoice_date" and re.search(r"[A-ZÄÖÜ][\w.-]+,\s*$", raw_before):
            # "München, den 01.11.2024": the place-and-date line of a letter.
            c.score = c.score / weight * 0.8
            c.features["label_weight"] = 0.8
        elif c.features.get("buyer_section") or c.features.get("vendor_section"):
            c.score *= 0.5


def _near_number(cands: list[Candidate], number: Chosen | None) -> None:
    """An invoice's date is printed next to its number: a date within a few lines of it is favoured over a
    referenced document's date elsewhere on the page."""
    if number is None or number.bbox is None:
        return
    box = number.bbox
    for c in cands:
        if c.field != "invoice_date" or c.page != number.page:
            continue
        height = max(4.0, box.y1 - box.y0)
        if abs(c.bbox.y0 - box.y0) <= 3.5 * height:
            c.score += 0.25
            c.features["near_number"] = 1.0


def _date_fallbacks(ctx: DocContext) -> list[Candidate]:
    """Every date on the first page, weakly: an invoice whose date has no label still has a date."""
    out: list[Candidate] = []
    for rank, p in enumerate(q for q in ctx.phrases if q.page == ctx.first_page):
        for d in ctx.dates(p):
            page = ctx.layout.page(p.page)
            rel_y = p.y0 / max(1.0, page.height)
            score = 0.22 * (1.0 if rel_y < 0.4 else 0.6) * (1.0 if d.unambiguous else 0.9)
            out.append(Candidate(field="invoice_date", value=d.value.isoformat(), score=score, page=p.page,
                                 bbox=p.span_bbox(d.start, d.end), raw=d.text, conf=p.span_conf(d.start, d.end),
                                 origin="position", features={"fallback": 1.0, "rel_y": rel_y, "rank": rank},
                                 order=ctx.order_of(p), y=p.y0))
    return out


def _dates(ctx: DocContext, cands: list[Candidate]) -> dict[str, Chosen]:
    inv = group_by_value(c for c in cands if c.field == "invoice_date")
    due = group_by_value(c for c in cands if c.field == "due_date")
    best: tuple[float, Grouped | None, Grouped | None] | None = None
    for i in [*inv[:4], None]:
        for d in [*due[:4], None]:
            if i is not None and d is not None and i.value == d.value and (
                    d.score < 0.5 or i.best.origin == "position"):
                # One printed date is not both, and a date under a due label is not the issue date
                # just because it is also printed near the invoice number.
                continue
            score = (i.score if i else 0.0) + (d.score if d else 0.0)
            if i is not None and d is not None:
                gap = (date.fromisoformat(d.value) - date.fromisoformat(i.value)).days
                if gap < 0:
                    score -= 0.35
                elif gap > 400:
                    score -= 0.3
            if best is None or score > best[0]:
                best = (score, i, d)
    out: dict[str, Chosen] = {}
    if best is None:
        return out
    _, i, d = best
    ordered = i is None or d is None or d.value >= i.value
    if i is not None:
        out["invoice_date"] = chosen_from(i, [g for g in inv if g is not i])
        out["invoice_date"].features["consistent"] = float(ordered)
    if d is not None:
        out["due_date"] = chosen_from(d, [g for g in due if g is not d])
        out["due_date"].features["consistent"] = float(ordered)
    elif "invoice_date" in out:
        computed = _due_from_terms(ctx, cands, date.fromisoformat(out["invoice_date"].value))
        if computed is not None:
            out["due_date"] = computed
    return out


def _due_from_terms(ctx: DocContext, cands: list[Candidate], issued: date) -> Chosen | None:
    """"Payment terms: 30 days" with no due date printed: the due date is the issue date plus the term."""
    for c in cands:
        if c.field != "payment_terms":
            continue
        m = _TERMS_DAYS.search(c.value)
        if m and 0 < int(m.group(1)) <= 180:
            value = (issued + timedelta(days=int(m.group(1)))).isoformat()
            return Chosen("due_date", value, 0.3 * c.score, c.page, c.bbox, c.raw, "computed", c.conf,
                          {"score": 0.3 * c.score, "computed": 1.0, "support": 0.0, "margin": 0.0})
    return None


def _currency(ctx: DocContext, cands: list[Candidate]) -> dict[str, Chosen]:
    labelled = choose("currency", cands, min_score=0.3)
    if labelled is not None:
        return {"currency": labelled}
    votes = currency_votes(p.text for p in ctx.phrases)
    amount_votes = currency_votes(a.text for p in ctx.phrases for a in ctx.amounts(p)
                                  if a.currency)
    for code, n in amount_votes.items():
        votes[code] += 2 * n
    if votes:
        (code, n), *rest = votes.most_common()
        runner = rest[0][1] if rest else 0
        score = min(0.9, 0.45 + 0.1 * n) * (1.0 if n > runner else 0.6)
        return {"currency": Chosen("currency", code, score, None, None, None, "pattern", 1.0,
                                   {"score": score, "support": float(n), "margin": float(n - runner)})}
    if ctx.language in _EURO_LANGS:
        return {"currency": Chosen("currency", "EUR", 0.25, None, None, None, "default", 1.0,
                                   {"score": 0.25, "default": 1.0, "support": 0.0, "margin": 0.0})}
    return {}


def _vendor_ids(cands: list[Candidate]) -> dict[str, Chosen]:
    out: dict[str, Chosen] = {}
    for fname in ("vendor_vat", "vendor_iban"):
        groups = group_by_value(c for c in cands if c.field == fname)
        vendor = [g for g in groups if not g.best.features.get("buyer_section")]
        if vendor and vendor[0].score >= 0.3:
            out[fname] = chosen_from(vendor[0], [g for g in groups if g is not vendor[0]])
        buyer = [g for g in groups if g.best.features.get("buyer_section")]
        if fname == "vendor_vat" and buyer and (not vendor or buyer[0].value != vendor[0].value):
            out["buyer_vat"] = chosen_from(buyer[0], buyer[1:])
            out["buyer_vat"].field = "buyer_vat"
    return out


def _parties(ctx: DocContext, cands: list[Candidate]) -> dict[str, Chosen]:
    def key(c: Candidate) -> str:
        return re.sub(r"[^a-z0-9]", "", fold(c.value))

    vendors = group_by_value((c for c in cands if c.field == "vendor_name"), key=key)
    buyers = group_by_value((c for c in cands if c.field == "buyer_name"), key=key)
    out: dict[str, Chosen] = {}
    buyer_keys = {key(g.best) for g in buyers[:1]}
    vendors = [g for g in vendors if key(g.best) not in buyer_keys or g.score > buyers[0].score + 0.2]
    if vendors and vendors[0].score >= 0.2:
        out["vendor_name"] = chosen_from(vendors[0], vendors[1:])
        out["vendor_name"].value = vendors[0].best.value
        same = [c for c in cands if c.field == "vendor_name" and key(c) == key(vendors[0].best)]
        address = address_of(ctx, same)
        if address is not None:
            text, where = address
            score = 0.8 * vendors[0].score
            out["vendor_address"] = Chosen("vendor_address", text, score, where.page, None, text, where.origin,
                                           where.conf, {"score": score, "support": 1.0, "margin": 0.0})
    vendor_key = key(vendors[0].best) if vendors else None
    buyers = [g for g in buyers if key(g.best) != vendor_key]
    if buyers and buyers[0].score >= 0.3:
        out["buyer_name"] = chosen_from(buyers[0], buyers[1:])
        out["buyer_name"].value = buyers[0].best.value
    return out


_RATE = re.compile(r"(\d{1,2}(?:[.,]\d{1,2})?)\s?%")


def _tax_breakdown(ctx: DocContext, cands: list[Candidate], tax: Chosen | None) -> list[dict[str, str]]:
    """Tax per rate from the lines that print one ("USt. 19% auf 804,35  152,83"), when they add up to
    the invoice's tax."""
    if tax is None:
        return []
    by_line: dict[str, Candidate] = {}
    for c in cands:
        if c.field == "tax_amount" and c.origin != "computed" and _RATE.search(c.line_text) and c.score >= 0.4:
            best = by_line.get(c.line_text)
            if best is None or c.score > best.score:
                by_line[c.line_text] = c
    rows = []
    for text, c in by_line.items():
        rate = _RATE.search(text)
        assert rate is not None
        value = Decimal(c.value)
        bases = [a.value for a in find_amounts(_RATE.sub(" ", text), ctx.read.style)
                 if a.decimals == 2 and abs(a.value) > abs(value)]
        row = {"rate": rate.group(1).replace(",", "."), "tax": c.value}
        if bases:
            row["base"] = format(bases[0], "f")
        rows.append(row)
    total = sum((Decimal(r["tax"]) for r in rows), Decimal(0))
    return rows if rows and abs(total - Decimal(tax.value)) < Decimal("0.01") else []


def _drop_clashes(chosen: dict[str, Chosen]) -> None:
    """One printed number cannot be both the invoice number and the order number."""
    inv, po = chosen.get("invoice_number"), chosen.get("po_number")
    if inv is not None and po is not None and normalise_ref(inv.value) == normalise_ref(po.value):
        weaker = "po_number" if po.score <= inv.score else "invoice_number"
        del chosen[weaker]


def _printed_amounts(ctx: DocContext) -> list[Decimal]:
    return [a.value for p in ctx.phrases for a in ctx.amounts(p) if a.decimals == 2]
