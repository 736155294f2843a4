"""Who sent the invoice: tax id, then IBAN, then the sender's e-mail domain, then the name.

A clear winner resolves; near ties give ``VENDOR_AMBIGUOUS`` with the candidates; nothing gives
``VENDOR_UNKNOWN``. A vendor is never created here. A name is weak evidence: it never overrides a valid
tax id that belongs to nobody (an unknown business with a familiar-sounding name), and the number of a
purchase order only breaks a tie between vendors the name already proposed.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from matching.findings import Finding
from matching.vendors.index import NameHit, VendorIndex
from matching.vendors.normalise import legal_form
from models.holds import HoldCode
from models.identifiers import iban_valid, normalise_iban, normalise_vat, vat_valid

# How far the word-weighted score must put the leading name ahead for it to settle a near tie.
SECOND_OPINION_LEAD = 5.0
# Below this word-weighted score a similar-looking name proposes nobody.
RARE_WORDS_FLOOR = 60.0


@dataclass(frozen=True)
class NameThresholds:
    accept: float = 85.0  # a name alone resolves at or above this score...
    margin: float = 4.0  # ...when the runner-up is at least this far behind (or it is the only exact one)
    consider: float = 75.0  # below this a name proposes nobody


@dataclass(frozen=True)
class VendorClues:
    name: str | None = None
    vat: str | None = None
    iban: str | None = None
    address: str | None = None
    email_domain: str | None = None
    po_vendor_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Candidate:
    vendor_id: int
    name: str
    score: float
    why: str

    def to_json(self) -> dict[str, Any]:
        return {"vendor_id": self.vendor_id, "name": self.name, "score": round(self.score, 1), "why": self.why}


@dataclass(frozen=True)
class VendorResolution:
    vendor_id: int | None
    method: str  # vat | iban | domain | name | none
    candidates: tuple[Candidate, ...] = ()
    evidence: dict[str, Any] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"vendor_id": self.vendor_id, "method": self.method,
                "candidates": [c.to_json() for c in self.candidates], "evidence": self.evidence}


def resolve_vendor(clues: VendorClues, index: VendorIndex, th: NameThresholds | None = None) -> VendorResolution:
    th = th or NameThresholds()
    evidence: dict[str, Any] = {}
    vat_ids = _vat_matches(clues.vat, index, evidence)
    iban_ids = index.by_iban(clues.iban) if clues.iban and iban_valid(clues.iban) else set()
    domain_ids = index.by_domain(clues.email_domain)
    evidence.update({"vat_matches": sorted(vat_ids), "iban_matches": sorted(iban_ids),
                     "domain_matches": sorted(domain_ids)})
    # The name search is the one costly step: done only when an identifier leaves a question open.
    searched: list[list[NameHit]] = []

    def hits() -> list[NameHit]:
        if not searched:
            found = index.search_name(clues.name) if clues.name else []
            evidence["name_hits"] = [{"vendor_id": h.vendor_id, "name": index.name_of(h.vendor_id),
                                      "score": round(h.score, 1)} for h in found]
            searched.append(found)
        return searched[0]

    for ids, method in ((vat_ids, "vat"), (iban_ids, "iban"), (domain_ids, "domain")):
        if not ids:
            continue
        chosen = ids if len(ids) == 1 else _narrow(ids, clues, index, th, vat_ids, iban_ids)
        if len(chosen) == 1:
            winner = next(iter(chosen))
            if method == "domain" and _name_contradicts(winner, clues, index, hits(), th):
                return _ambiguous([winner, hits()[0].vendor_id], index, clues, evidence,
                                  "the sender's domain belongs to one vendor, the printed name to another")
            return VendorResolution(winner, method, evidence=evidence)
        return _ambiguous(sorted(chosen), index, clues, evidence, f"several vendors share this {_label(method)}")
    return _by_name(clues, index, th, hits(), evidence)


def _label(method: str) -> str:
    return {"vat": "tax id", "iban": "IBAN", "domain": "e-mail domain"}.get(method, method)


def _vat_matches(vat: str | None, index: VendorIndex, evidence: dict[str, Any]) -> set[int]:
    if not vat:
        return set()
    if index.is_buyer_vat(vat):
        # Extraction sometimes reads the buyer's VAT id as the vendor's; it identifies nobody here.
        evidence["vat_ignored"] = f"{normalise_vat(vat)} is our own company's tax id"
        return set()
    return index.by_vat(vat)


def _narrow(ids: set[int], clues: VendorClues, index: VendorIndex, th: NameThresholds, vat_ids: set[int],
            iban_ids: set[int]) -> set[int]:
    """Several vendors share the strongest identifier (branches under one VAT id, a factoring company's
    IBAN): keep those the other clues also point at."""
    for other in (vat_ids, iban_ids, index.by_domain(clues.email_domain), clues.po_vendor_ids):
        both = ids & set(other)
        if both and both != ids:
            ids = both
            if len(ids) == 1:
                return ids
    scored = sorted(((index.score_name(v, clues.name), v) for v in ids), reverse=True)
    if scored and scored[0][0] >= th.consider and (len(scored) == 1 or scored[0][0] - scored[1][0] >= th.margin):
        return {scored[0][1]}
    return ids


def _name_contradicts(winner: int, clues: VendorClues, index: VendorIndex, hits: list[NameHit],
                      th: NameThresholds) -> bool:
    if not hits or hits[0].vendor_id == winner or hits[0].score < 95:
        return False
    return index.score_name(winner, clues.name) < th.consider


def _by_name(clues: VendorClues, index: VendorIndex, th: NameThresholds, hits: list[NameHit],
             evidence: dict[str, Any]) -> VendorResolution:
    # A name never outweighs a valid tax id: candidates whose own tax id differs from it are out.
    contradicted = {h.vendor_id for h in hits if _vat_conflict(h.vendor_id, clues, index)}
    # A name that shares only its common words ("Facility Services") with a vendor's is no candidate:
    # the rare word that names the business must match too.
    close = [h for h in hits if h.score >= th.consider and h.vendor_id not in contradicted
             and index.second_opinion(h.vendor_id, clues.name) >= RARE_WORDS_FLOOR]
    if contradicted and not close:
        first = next(h for h in hits if h.vendor_id in contradicted)
        conflict = _vat_conflict(first.vendor_id, clues, index) or ""
        evidence["vat_conflict"] = conflict
        return _unknown(clues, evidence, conflict, index, hits)
    if not close:
        why = "no vendor's tax id, IBAN, e-mail domain or name matches" if clues.name or clues.vat \
            else "the invoice names no vendor, tax id or IBAN that could be read"
        return _unknown(clues, evidence, why, index, hits)
    # The one name that equals the printed one exactly (once normalised) needs no margin.
    exact_only = close[0].score == 100.0 and (len(close) == 1 or close[1].score < 100.0)
    group = [close[0]] if exact_only else [close[0], *(h for h in close[1:] if close[0].score - h.score < th.margin)]
    if len(group) > 1:
        picked = _break_tie(group, clues, index)
        if picked is not None:
            evidence["tie_broken_by"] = picked[1]
            group = [picked[0]]
    best = group[0]
    if len(group) == 1 and best.score >= th.accept:
        return VendorResolution(best.vendor_id, "name", evidence={**evidence, "name_score": round(best.score, 1)})
    why = ("several vendors have similar names" if len(group) > 1 else
           f"the closest name scores {best.score:.0f}, below the {th.accept:.0f} needed")
    return _ambiguous([h.vendor_id for h in group], index, clues, evidence, why)


def _break_tie(group: list[NameHit], clues: VendorClues, index: VendorIndex) -> tuple[NameHit, str] | None:
    """Between near-equal names: the rarer words (a second scorer that must agree with the first and
    lead clearly), then the legal form, the address's postcode, the PO's vendor, if they single one out."""
    opinions = sorted(((index.second_opinion(h.vendor_id, clues.name), i) for i, h in enumerate(group)), reverse=True)
    if opinions[0][1] == 0 and opinions[0][0] - opinions[1][0] >= SECOND_OPINION_LEAD:
        return group[0], "rarer words"
    form = legal_form(clues.name)
    by_form = [h for h in group if form and legal_form(index.name_of(h.vendor_id)) == form]
    if len(by_form) == 1:
        return by_form[0], "legal form"
    by_address = [h for h in group if index.address_overlap(h.vendor_id, clues.address) >= 0.5]
    if len(by_address) == 1:
        return by_address[0], "address"
    by_order = [h for h in group if h.vendor_id in clues.po_vendor_ids]
    if len(by_order) == 1:
        return by_order[0], "purchase order"
    return None


def _vat_conflict(vendor_id: int, clues: VendorClues, index: VendorIndex) -> str | None:
    """A valid tax id on the invoice that is not the name-matched vendor's own (and nobody else's)."""
    if not clues.vat or not vat_valid(clues.vat) or index.is_buyer_vat(clues.vat):
        return None
    vendor = index.vendors.get(vendor_id)
    if vendor is None or not vendor.vat:
        return None
    if normalise_vat(vendor.vat) in (normalise_vat(clues.vat),) or index.by_vat(clues.vat) & {vendor_id}:
        return None
    return (f"the name resembles {vendor.name}, but the invoice's tax id {normalise_vat(clues.vat)} is not "
            f"theirs ({normalise_vat(vendor.vat)})")


def _ambiguous(ids: Collection[int], index: VendorIndex, clues: VendorClues, evidence: dict[str, Any],
               why: str) -> VendorResolution:
    cands = tuple(Candidate(v, index.name_of(v), index.score_name(v, clues.name), why) for v in dict.fromkeys(ids))
    names = "; ".join(f"{c.name} (id {c.vendor_id}, name score {c.score:.0f})" for c in cands)
    finding = Finding(HoldCode.VENDOR_AMBIGUOUS, f"Vendor not certain: {why}. Candidates: {names}.",
                      measured=str(len(cands)), evidence={"candidates": [c.to_json() for c in cands]})
    return VendorResolution(None, "none", cands, evidence, (finding,))


def _unknown(clues: VendorClues, evidence: dict[str, Any], why: str, index: VendorIndex,
             hits: list[NameHit]) -> VendorResolution:
    printed = ", ".join(f"{k} {v}" for k, v in (("name", clues.name), ("tax id", clues.vat), ("IBAN", clues.iban),
                                              ("domain", clues.email_domain)) if v)
    finding = Finding(HoldCode.VENDOR_UNKNOWN, f"Vendor unknown: {why} (invoice shows {printed or 'nothing'}). "
                      "Create or link the vendor in Odoo first.", evidence={"clues": printed})
    cands = tuple(Candidate(h.vendor_id, index.name_of(h.vendor_id), h.score, "closest name") for h in hits[:3])
    return VendorResolution(None, "none", cands, evidence, (finding,))


def iban_finding(vendor_id: int, clues: VendorClues, index: VendorIndex) -> Finding | None:
    """``BANK_DETAILS_CHANGED`` when the invoice's IBAN is not one of the vendor's accounts in the ERP."""
    if not clues.iban:
        return None
    iban = normalise_iban(clues.iban)
    if not iban_valid(iban):
        return Finding(HoldCode.LOW_CONFIDENCE, f"The IBAN read from the invoice ({iban}) fails its checksum; "
                       "check it on the page.", line_ref="vendor_iban", measured=iban)
    vendor = index.vendors.get(vendor_id)
    on_file = tuple(normalise_iban(a) for a in (vendor.bank_accounts if vendor else ()))
    if iban in on_file:
        return None
    owners = sorted(index.by_iban(iban) - {vendor_id})
    also = f"; this IBAN is on file for {', '.join(index.name_of(o) for o in owners)}" if owners else ""
    known = ", ".join(on_file) if on_file else "none"
    return Finding(HoldCode.BANK_DETAILS_CHANGED,
                   f"The invoice asks for payment to {iban}, which is not among "
                   f"{index.name_of(vendor_id)}'s bank accounts in Odoo (on file: {known}){also}. "
                   "Confirm with the vendor by a known phone number before paying.",
                   line_ref="vendor_iban", measured=iban, limit=known,
                   evidence={"invoice_iban": iban, "on_file": list(on_file), "other_owners": owners})
