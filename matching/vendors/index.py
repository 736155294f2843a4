"""The vendor index: built once per process from the mirror, rebuilt when the mirror's revision moves.

Exact identifiers (tax id, IBAN, e-mail domain) are dictionary lookups. Names go through two steps so a
query costs milliseconds against 50,000 vendors: character trigrams of each word, weighted by rarity
(tf-idf) in a sparse matrix, pick a few dozen candidates with one sparse product; rapidfuzz then scores
only those, with scorers that forgive typos and OCR slips (edit ratio), word order (token sort) and
missing words (token set, discounted so that an exact name still beats a subset).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz
from scipy.sparse import csc_matrix

from matching.mirror_view import MirrorSnapshot, VendorRecord
from matching.vendors.normalise import GENERIC_WORDS, match_key, plain_key, postcode_tokens
from models.identifiers import normalise_iban, normalise_vat, vat_without_country

# Mail providers that many unrelated senders share: a domain match there says nothing about the vendor.
PUBLIC_MAIL_DOMAINS: frozenset[str] = frozenset({
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "yahoo.com",
    "yahoo.co.uk", "yahoo.fr", "yahoo.de", "icloud.com", "me.com", "aol.com", "gmx.de", "gmx.net", "gmx.at",
    "web.de", "t-online.de", "orange.fr", "free.fr", "wanadoo.fr", "laposte.net", "libero.it", "virgilio.it",
    "ziggo.nl", "kpnmail.nl", "proton.me", "protonmail.com", "mail.com", "btinternet.com",
})
CANDIDATES = 100
# The weight of a trade word ("services", "medical") in the word-weighted score, however rare.
GENERIC_IDF = 1.0


@dataclass(frozen=True, slots=True)
class NameHit:
    vendor_id: int
    score: float  # 0-100


def trigrams(key: str) -> list[str]:
    grams: list[str] = []
    for token in key.split():
        padded = f" {token} "
        grams.extend(padded[i:i + 3] for i in range(len(padded) - 2))
    return grams


def name_score(query: str, candidate: str) -> float:
    """0-100: how well two match keys name the same business. Typos and OCR slips cost little (edit
    ratio), so does word order (token sort, a little below the same words in the printed order); one
    name being part of the other ("Müller" for "Müller Medizintechnik") scores by how much of the
    longer name the shorter one covers, so a short name does not equally match every longer name
    that contains it."""
    if not query or not candidate:
        return 0.0
    if query == candidate:
        return 100.0
    compact = fuzz.ratio(query.replace(" ", ""), candidate.replace(" ", ""))
    ordered = fuzz.token_sort_ratio(query, candidate) - 1.5
    coverage = min(len(query), len(candidate)) / max(len(query), len(candidate))
    subset = fuzz.token_set_ratio(query, candidate) * (0.78 + 0.14 * coverage)
    return float(max(compact, ordered, subset))


def word_score(query: str, candidate: str, idf: Mapping[str, float]) -> float:
    """0-100, a second opinion for near ties: a soft tf-idf over words (Cohen, Ravikumar & Fienberg
    2003). Each word finds its closest word in the other name (edit ratio), weighted by how rare it is
    among all vendors, in both directions: the word that tells two businesses apart ("Torino" vs
    "Cork") counts more than the ones they share ("Reagents"). Stray one- and two-letter pieces (the
    debris of a garbled legal form) weigh little."""
    if query == candidate:
        return 100.0
    q, c = query.split(), candidate.split()
    return float(100 * (_directed(q, c, idf) + _directed(c, q, idf)) / 2)


def _directed(a: list[str], b: list[str], idf: Mapping[str, float]) -> float:
    total = matched = 0.0
    typical = _TYPICAL_IDF
    for word in a:
        best, best_word = 0.0, word
        for other in b:
            if word == other:
                best, best_word = 1.0, other
                break
            if min(len(word), len(other)) > 3:
                sim = fuzz.ratio(word, other) / 100
                if sim > best:
                    best, best_word = sim, other
        # A misspelt word is as rare as the word it stands for.
        weight = idf.get(word) or idf.get(best_word) or typical
        if len(word) <= 2:
            weight *= 0.2
        total += weight
        # A typo'd word still counts for what it resembles; an unrelated one ("Beloheim" for
        # "Heleron", about 0.5) for nothing.
        matched += weight * (best if best >= 0.6 else 0.0)
    return matched / total if total else 0.0


_TYPICAL_IDF = 4.0


class VendorIndex:
    def __init__(self, snapshot: MirrorSnapshot) -> None:
        self.revision = snapshot.revision
        self.vendors: dict[int, VendorRecord] = {v.id: v for v in snapshot.vendors}
        self._by_vat: dict[str, set[int]] = defaultdict(set)
        self._by_iban: dict[str, set[int]] = defaultdict(set)
        self._by_domain: dict[str, set[int]] = defaultdict(set)
        self.buyer_vats: frozenset[str] = frozenset(
            k for c in snapshot.companies for k in (normalise_vat(c.vat), vat_without_country(c.vat)) if k)
        active = [v for v in snapshot.vendors if v.active]
        for v in active:
            for key in (normalise_vat(v.vat), vat_without_country(v.vat)):
                if key:
                    self._by_vat[key].add(v.id)
            for acc in v.bank_accounts:
                self._by_iban[normalise_iban(acc)].add(v.id)
            for domain in v.domains:
                self._by_domain[domain.lower()].add(v.id)
        self._ids = np.array([v.id for v in active], dtype=np.int64)
        self._keys = [match_key(v.name) for v in active]
        self._plain = [plain_key(v.name) for v in active]
        words = Counter(w for key in self._keys for w in set(key.split()))
        n = max(len(self._keys), 1)
        self.word_idf: dict[str, float] = {w: min(math.log((1 + n) / (1 + df)) + 1.0, GENERIC_IDF)
                                           if w in GENERIC_WORDS else math.log((1 + n) / (1 + df)) + 1.0
                                           for w, df in words.items()}
        self._postcodes = {v.id: postcode_tokens(v.address) for v in active}
        self._build_grams(self._keys)

    def _build_grams(self, keys: list[str]) -> None:
        vocab: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        for row, key in enumerate(keys):
            for gram in set(trigrams(key)):
                col = vocab.setdefault(gram, len(vocab))
                rows.append(row)
                cols.append(col)
        n = max(len(keys), 1)
        df = np.bincount(np.array(cols, dtype=np.int64), minlength=len(vocab)) if cols else np.zeros(0)
        self._idf = np.log((1 + n) / (1 + df)) + 1.0
        data = self._idf[cols] if cols else np.zeros(0)
        matrix = csc_matrix((data, (rows, cols)), shape=(len(keys), len(vocab)), dtype=np.float64)
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        inv = 1.0 / norms
        # Row-normalise in CSC form: scale each stored value by its row's inverse norm.
        matrix.data *= inv[matrix.indices]
        self._matrix = matrix
        self._vocab = vocab

    # -- exact identifiers -------------------------------------------------------------------------

    def by_vat(self, vat: str | None) -> set[int]:
        full, bare = normalise_vat(vat), vat_without_country(vat)
        if not full:
            return set()
        return set(self._by_vat.get(full, ())) or set(self._by_vat.get(bare, ()))

    def is_buyer_vat(self, vat: str | None) -> bool:
        return bool(vat) and (normalise_vat(vat) in self.buyer_vats or vat_without_country(vat) in self.buyer_vats)

    def by_iban(self, iban: str | None) -> set[int]:
        return set(self._by_iban.get(normalise_iban(iban), ())) if iban else set()

    def by_domain(self, domain: str | None) -> set[int]:
        if not domain or domain.lower() in PUBLIC_MAIL_DOMAINS:
            return set()
        d = domain.lower().strip(".")
        hits = self._by_domain.get(d)
        # A subdomain ("billing.acme.de") stands for its parent when the parent is known.
        while not hits and d.count(".") > 1:
            d = d.split(".", 1)[1]
            hits = self._by_domain.get(d)
        return set(hits or ())

    def vendors_sharing_accounts(self, vendor_id: int) -> set[int]:
        v = self.vendors.get(vendor_id)
        if v is None:
            return set()
        return {o for acc in v.bank_accounts for o in self._by_iban.get(normalise_iban(acc), ())} - {vendor_id}

    # -- names -------------------------------------------------------------------------------------

    def candidates(self, key: str, limit: int = CANDIDATES) -> list[int]:
        """Row numbers of the vendors whose names share the most rare trigrams with ``key``."""
        weights: dict[int, float] = defaultdict(float)
        for gram in trigrams(key):
            col = self._vocab.get(gram)
            if col is not None:
                weights[col] += float(self._idf[col])
        if not weights or self._matrix.shape[0] == 0:
            return []
        cols = np.fromiter(weights.keys(), dtype=np.int64)
        w = np.fromiter(weights.values(), dtype=np.float64)
        scores = self._matrix[:, cols] @ w
        # Only vendors sharing a trigram; argpartition over the many exact zeros degenerates.
        rows = np.flatnonzero(scores)
        if rows.size > limit:
            rows = rows[np.argpartition(scores[rows], -limit)[-limit:]]
        return [int(r) for r in rows[np.argsort(-scores[rows], kind="stable")]]

    def search_name(self, name: str | None, limit: int = 5) -> list[NameHit]:
        key, plain = match_key(name), plain_key(name)
        if not key:
            return []
        best: dict[int, float] = {}
        for row in self.candidates(key):
            vid = int(self._ids[row])
            score = name_score(key, self._keys[row])
            if plain != key or self._plain[row] != self._keys[row]:
                score = max(score, name_score(plain, self._plain[row]))
            if score > best.get(vid, -1.0):
                best[vid] = score
        hits = sorted((NameHit(v, s) for v, s in best.items()), key=lambda h: (-h.score, h.vendor_id))
        return hits[:limit]

    def address_overlap(self, vendor_id: int, address: str | None) -> float:
        """Share of the invoice address's postcode-like tokens found in the vendor's address (0-1)."""
        wanted = postcode_tokens(address)
        if not wanted:
            return 0.0
        return len(wanted & self._postcodes.get(vendor_id, set())) / len(wanted)

    def name_of(self, vendor_id: int) -> str:
        v = self.vendors.get(vendor_id)
        return v.name if v else f"vendor {vendor_id}"

    def score_name(self, vendor_id: int, name: str | None) -> float:
        v = self.vendors.get(vendor_id)
        if v is None:
            return 0.0
        return max(name_score(match_key(name), match_key(v.name)), name_score(plain_key(name), plain_key(v.name)))

    def second_opinion(self, vendor_id: int, name: str | None) -> float:
        v = self.vendors.get(vendor_id)
        return word_score(match_key(name), match_key(v.name), self.word_idf) if v else 0.0


def build_vendor_index(snapshot: MirrorSnapshot) -> VendorIndex:
    return VendorIndex(snapshot)
