"""Net, tax and total chosen together: the triple that best fits its labels *and* adds up.

An invoice prints many amounts under total-like labels (group subtotals, prepayments, the amount due
after a deposit); ``net + tax = total`` picks the right three far more often than any single label, and
the sum of the line amounts confirms the net. An amount printed nowhere but implied by the other two
is filled in as ``computed``.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from decimal import ROUND_DOWN, Decimal

from extraction.fields.candidates import Candidate
from extraction.fields.select import Chosen, Grouped, chosen_from, group_by_value
from models.money import to_decimal

_TOP = 5
_CENT = Decimal("0.01")
AMOUNT_FIELDS = ("net_amount", "tax_amount", "total_amount")
_SURE = 0.5
_ROUNDING = Decimal("0.05")
_RATE = re.compile(r"\d{1,2}(?:[.,]\d{1,2})?\s?%")
# How much a total printed after a nearly equal one, on the cash-rounding step, gains over it.
_ROUNDED_LATER = 0.15


def choose_totals(cands: list[Candidate], line_sum: Decimal | None, printed: list[Decimal]) -> dict[str, Chosen]:
    """``printed``: every two-decimal amount on the document, for the rules that need "is it printed"."""
    max_amount = max(printed) if printed else None
    printed_set = set(printed)
    cands = [_without_glued_digit(c, printed_set) for c in cands]
    cands = cands + _rate_sums(cands)
    paid = _paid(cands)
    options: dict[str, list[Grouped | None]] = {}
    for fname in AMOUNT_FIELDS:
        groups = group_by_value(c for c in cands if c.field == fname)
        for grouped in groups:
            value = to_decimal(grouped.value)
            if fname == "total_amount" and value == 0:
                grouped.score *= 0.3  # a zero "total" is a charges or prepayment line
            if fname == "total_amount" and max_amount is not None and value == max_amount:
                grouped.score += 0.1
            if fname == "total_amount" and value in paid:
                grouped.score += 0.5  # cash given less change returned: what the receipt totals
                grouped.best.features["paid_match"] = 1.0
        if fname == "total_amount":
            _favour_rounded_totals(groups)
        groups.sort(key=lambda x: -x.score)
        if fname == "total_amount" and paid and not any(to_decimal(g.value) in paid for g in groups):
            groups.extend(_paid_totals(cands, paid, set(printed)))
        options[fname] = [*groups[:_TOP], None]
    best: tuple[float, tuple[Grouped | None, ...], str] | None = None
    for combo in itertools.product(*(options[f] for f in AMOUNT_FIELDS)):
        score, relation = _score(combo, line_sum)
        if best is None or score > best[0]:
            best = (score, combo, relation)
    out: dict[str, Chosen] = {}
    if best is None:
        return out
    _, combo, relation = best
    for fname, g in zip(AMOUNT_FIELDS, combo, strict=True):
        if g is None:
            continue
        rest = [x for x in options[fname] if x is not None and x is not g]
        chosen = chosen_from(g, rest)
        chosen.features["consistent"] = float(relation == "sum")
        chosen.features["lines_match"] = float(line_sum is not None and fname == "net_amount"
                                               and abs(to_decimal(g.value) - line_sum) < _CENT)
        out[fname] = chosen
    _complete(out, relation)
    total = out.get("total_amount")
    if set(out) == {"total_amount"} and total is not None and line_sum is not None \
            and abs(to_decimal(total.value) - line_sum) < _CENT:
        # The items add up to the total and no tax is printed anywhere: the invoice carries none.
        out["net_amount"] = _computed("net_amount", line_sum, out)
    return out


def _without_glued_digit(cand: Candidate, printed: set[Decimal]) -> Candidate:
    """"NET TOTAL 45.006" over "CASH 45.00": OCR glues a receipt's tax-code mark onto the total as a third
    decimal. An amount with more than two decimals whose two-decimal start is printed elsewhere on the
    document is read as that start; any other stays as read."""
    if cand.field not in AMOUNT_FIELDS:
        return cand
    value = to_decimal(cand.value)
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int) or exponent >= -2:
        return cand
    cut = value.quantize(_CENT, rounding=ROUND_DOWN)
    if cut not in printed:
        return cand
    features = {**cand.features, "glued_digit": 1.0}
    return dataclasses.replace(cand, value=format(cut, "f"), features=features)


def _favour_rounded_totals(groups: list[Grouped]) -> None:
    """"Total incl. GST 7.42 / Rounding adj. -0.02 / Total payable 7.40": where cash is rounded, the
    amount paid is the rounded total, printed after the exact one and on the 0.05 step. A total within
    one rounding step of an earlier total, on the step where the earlier one is not, gains a little."""
    for later in groups:
        value = to_decimal(later.value)
        if value % _ROUNDING != 0:
            continue
        for earlier in groups:
            other = to_decimal(earlier.value)
            if (0 < abs(value - other) < _ROUNDING and other % _ROUNDING != 0
                    and (earlier.best.page, earlier.best.y) < (later.best.page, later.best.y)):
                later.score += _ROUNDED_LATER
                later.best.features["rounded_total"] = 1.0
                break


def _paid(cands: list[Candidate]) -> set[Decimal]:
    """Amounts that tendered minus change make ("CASH 50.00  CHANGE 4.10" pays 45.90)."""
    tendered = {to_decimal(c.value) for c in cands if c.field == "payment_tendered" and c.score >= 0.4}
    # Change is never owed back by the customer: "20.00-" is a printed sign, not a negative amount.
    change = {abs(to_decimal(c.value)) for c in cands if c.field == "payment_change" and c.score >= 0.4}
    return {t - ch for t in tendered for ch in change if 0 < t - ch <= t}


def _paid_totals(cands: list[Candidate], paid: set[Decimal], printed: set[Decimal]) -> list[Grouped]:
    """A receipt whose total line was misread: what was paid, when some figure on it says the same."""
    tendered = next(c for c in cands if c.field == "payment_tendered")
    out = []
    for value in sorted(paid & printed):
        computed = Candidate(field="total_amount", value=format(value.quantize(_CENT), "f"), score=0.45,
                             page=tendered.page, bbox=tendered.bbox, raw="", origin="computed",
                             features={"paid_match": 1.0}, order=tendered.order, y=tendered.y)
        out.append(Grouped(computed.value, 0.45, computed, 1))
    return out


def _rate_sums(cands: list[Candidate]) -> list[Candidate]:
    """"USt. 19% auf 804,35: 152,83" and "USt. 19% auf 4,99: 0,95": with one line per rate (or per part),
    the invoice's tax is their sum, which may be printed nowhere."""
    by_line: dict[str, Candidate] = {}
    for c in cands:
        if c.field == "tax_amount" and _RATE.search(c.line_text) and c.score >= 0.4:
            best = by_line.get(c.line_text)
            if best is None or c.score > best.score:
                by_line[c.line_text] = c
    parts = list(by_line.values())
    if len(parts) < 2 or len(parts) > 6:
        return []
    total = sum((to_decimal(c.value) for c in parts), Decimal(0))
    score = 0.8 * sum(c.score for c in parts) / len(parts)
    first = parts[0]
    return [Candidate(field="tax_amount", value=format(total.quantize(_CENT), "f"), score=score, page=first.page,
                      bbox=first.bbox, raw="", conf=min(c.conf for c in parts), origin="computed",
                      features={"rate_sum": 1.0, "label_weight": first.features.get("label_weight", 0.0)},
                      order=first.order, y=first.y)]


def _score(combo: tuple[Grouped | None, ...], line_sum: Decimal | None) -> tuple[float, str]:
    net, tax, total = (to_decimal(g.value) if g else None for g in combo)
    score = sum(g.score for g in combo if g is not None)
    relation = ""
    if net is not None and tax is not None and total is not None:
        if abs(net + tax - total) < _CENT:
            score += 1.2
            relation = "sum"
        elif abs(net + tax - total) <= _ROUNDING:
            score += 0.5  # cash rounding (to 0.05 on receipts, in Switzerland)
            relation = "rounded"
        else:
            score -= 0.6
    elif net is not None and total is not None:
        if net == total:
            score += 0.1
        elif abs(total) < abs(net):
            score -= 0.5
    elif tax is not None and total is not None and abs(tax) > abs(total):
        score -= 0.5
    if net is not None and tax is not None and abs(tax) > abs(net) and net != 0:
        score -= 0.4
    if line_sum is not None and line_sum != 0:
        if net is not None and abs(net - line_sum) < _CENT:
            score += 0.35
        elif total is not None and abs(total - line_sum) < _CENT:
            score += 0.2
    return score, relation


def _complete(out: dict[str, Chosen], relation: str) -> None:
    """Fill the one amount the other two imply (a tax-free invoice prints no tax line), when both are sure."""
    if len(out) != 2 or any(c.score < _SURE for c in out.values()):
        return
    have = {f: to_decimal(c.value) for f, c in out.items()}
    if "total_amount" in have and "net_amount" in have and "tax_amount" not in have:
        tax = have["total_amount"] - have["net_amount"]
        if tax >= 0 or have["total_amount"] < 0:
            out["tax_amount"] = _computed("tax_amount", tax, out)
    elif "total_amount" in have and "tax_amount" in have and "net_amount" not in have:
        out["net_amount"] = _computed("net_amount", have["total_amount"] - have["tax_amount"], out)
    elif "net_amount" in have and "tax_amount" in have and "total_amount" not in have:
        out["total_amount"] = _computed("total_amount", have["net_amount"] + have["tax_amount"], out)


def _computed(fname: str, value: Decimal, out: dict[str, Chosen]) -> Chosen:
    parents = list(out.values())
    score = min(c.score for c in parents) * 0.8
    return Chosen(fname, format(value.quantize(_CENT), "f"), score, None, None, None, "computed", 1.0,
                  {"score": score, "computed": 1.0, "support": 0.0, "margin": 0.0, "consistent": 1.0})
