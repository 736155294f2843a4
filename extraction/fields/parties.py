"""Who sent the invoice and to whom: the vendor's and the buyer's names.

Names have no label more often than not, so several independent signals propose them:
- a *section* heading (``Verkäufer``, ``Bill to``) and the first name under it, or its ``Name:`` row;
- the *sender line* of a window envelope letter (``QualityHosting AG - Uferweg 40-42 - D-63571 …``),
  whose first part is the vendor and under which the buyer's address starts (DIN 5008 and its cousins);
- a *legal form* (GmbH, B.V., Inc., SARL…) ending a capitalised run, counted over the pages, since a
  vendor's name repeats in letterhead and footer;
- the top lines of the first page, where a letterhead sits;
- agreement with the domain of the e-mail and web addresses printed.
The buyer's block vetoes a vendor reading and the other way round.
"""

from __future__ import annotations

import re

from extraction.fields.candidates import Candidate
from extraction.fields.context import DocContext
from extraction.fields.labels import find_sections
from extraction.fields.layout import Phrase
from extraction.normalise.text import compact, fold

LEGAL_FORMS = (
    "gmbh & co. kg", "gmbh & co kg", "gmbh", "mbh", "ag", "kg", "ohg", "e.k.", "ek", "ug", "e.v.", "a.g.", "se",
    "ltd", "ltd.", "limited", "llc", "inc", "inc.", "plc", "llp", "corp", "corp.", "co.", "company",
    "sarl", "s.a.r.l.", "sas", "s.a.s.", "sa", "s.a.", "sasu", "eurl", "sci", "snc",
    "s.l.", "sl", "s.l.u.", "slu", "s.coop.",
    "b.v.", "bv", "n.v.", "nv", "v.o.f.", "vof",
    "s.p.a.", "spa", "s.r.l.", "srl", "s.n.c.", "s.a.s",
    "sdn bhd", "sdn. bhd.", "bhd", "enterprise", "trading", "pty ltd", "pty", "oy", "ab", "as", "aps",
)
_LEGAL_WORDS = frozenset(w for form in LEGAL_FORMS for w in form.replace(".", " ").split())
_LEGAL_RE = re.compile(
    r"(?<![\w&])(" + "|".join(re.escape(f) for f in sorted(LEGAL_FORMS, key=len, reverse=True)) + r")(?![\w&])",
    re.IGNORECASE,
)
_STREET = re.compile(
    r"(stra(ss|ß)e|str\.|\bstr\b|weg\b|allee|platz|gasse|ring\b|street|\bst\b|road|\brd\b|avenue|\bave\b|lane|"
    r"\brue\b|boulevard|\bbd\b|chemin|\ballee\b|laan\b|straat|plein|gracht|\bvia\b|viale|piazza|calle|avenida|"
    r"plaza|\bpo box\b|postfach|\bbp\b|\bcs\b)",
    re.IGNORECASE,
)
# Postcode then town (DE/FR/IT/ES/AT/CH), Dutch "1025 RX", British "SW1B 3BN".
_POSTCODE = re.compile(
    r"\b(?:[A-Z]{1,2}[- ]?)?\d{4,5}\b\s+[A-ZÄÖÜ][\w-]+|\b\d{4}\s?[A-Z]{2}\b|[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}"
)
_DOC_WORDS = re.compile(
    r"\b(invoice|rechnung|facture|factura|factuur|fattura|gutschrift|credit note|avoir|receipt|quittung|"
    r"tax invoice|statement|page|seite|copy|kopie|original|duplicate|logo|visualisierung)\b", re.IGNORECASE)
_CONTACT = re.compile(r"\b(contact|kontakt|ansprechpartner|attn|z\.?\s?hd|t\.?\s?a\.?\s?v|attention|"
                      r"a l'attention|contacto|contatto|bearbeiter|sachbearbeiter)\b", re.IGNORECASE)
_ATTENTION = re.compile(r"(?i)\s*(z\.?\s?hd\.?|attn\.?:?|attention:?|à l'attention|a l'attention|t\.?\s?a\.?\s?v\.?|"
                        r"c/o|all'attenzione|a la atenci[oó]n)\b")
_MAIL_PROVIDERS = frozenset({"example", "gmail", "yahoo", "hotmail", "outlook", "localhost", "buyer", "seller", "mail",
                             "email", "test", "gmx", "icloud", "orange", "wanadoo", "proton", "protonmail"})
_SEPARATORS = re.compile(r"\s[|•●·–-]\s|\s?[|•●·]\s?|,\s")
_NAME_LABELS = frozenset({"name", "firma", "company", "nom", "raisonsociale", "nombre", "naam", "ragionesociale",
                          "companyname", "denominazione", "bedrijfsnaam", "razonsocial"})


def party_candidates(ctx: DocContext) -> list[Candidate]:
    out: list[Candidate] = []
    out += _section_candidates(ctx)
    out += _sender_line_candidates(ctx)
    out += _footer_candidates(ctx)
    out += _attention_candidates(ctx)
    out += _legal_form_candidates(ctx)
    out += _top_line_candidates(ctx)
    domains = _domains(ctx)
    for c in out:
        if domains and _matches_domain(c.value, domains):
            c.score += 0.25 if c.field == "vendor_name" else -0.1
            c.features["domain"] = 1.0
    return out


def name_quality(text: str) -> float:
    t = text.strip(" ,:;-|*")
    if len(t) < 2 or len(t) > 90:
        return 0.0
    letters = sum(ch.isalpha() for ch in t)
    digits = sum(ch.isdigit() for ch in t)
    if letters < 4 or "@" in t or "www." in t.lower() or "http" in t.lower():
        return 0.0
    if not any(len(w) >= 3 and w.lower() not in _LEGAL_WORDS for w in re.findall(r"[^\W\d_]+", t)):
        return 0.0  # "AS", "Sdn Bhd", "of": no word that could carry a name
    if _DOC_WORDS.search(t) and not _LEGAL_RE.search(t):
        return 0.0
    quality = 1.0
    if t.startswith("(") or (t.endswith(")") and "(" not in t[:-1]):
        quality *= 0.3  # a remark in brackets
    if ":" in t:
        quality *= 0.2  # "REF COMPTABLE : …": a labelled value, not a name
    if _CONTACT.search(t):
        quality *= 0.3  # "Contact Acheteur", "z. Hd. Herr Mustermann": a person to ask, not the party
    if digits > 0.3 * letters:
        quality *= 0.2
    if _STREET.search(t) and digits:
        quality *= 0.1
    if _POSTCODE.search(t):
        quality *= 0.1
    if len(t.split()) > 8:
        quality *= 0.4
    return quality


def _clean(text: str) -> str:
    return text.strip(" ,:;-|*•●·")


def _candidate(ctx: DocContext, fname: str, phrase: Phrase, text: str, score: float, origin: str,
               start: int = 0) -> Candidate:
    end = start + len(text)
    page = ctx.layout.page(phrase.page)
    return Candidate(field=fname, value=_clean(text), score=score, page=phrase.page,
                     bbox=phrase.span_bbox(start, end), raw=text, conf=phrase.span_conf(start, end),
                     origin=origin, features={origin: 1.0, "rel_y": phrase.y0 / max(1.0, page.height),
                                              "page_first": float(phrase.page == ctx.first_page)},
                     order=ctx.order_of(phrase), y=phrase.y0, line_text=phrase.text)


def address_of(ctx: DocContext, readings: list[Candidate]) -> tuple[str, Candidate] | None:
    """The postal address printed with a party's name: the rest of its sender or footer line, else the
    street and town lines under the name."""
    for c in sorted(readings, key=lambda c: c.origin not in ("sender_line", "footer")):
        if c.origin in ("sender_line", "footer"):
            parts = [_clean(x) for x in _SEPARATORS.split(c.line_text) if x and x.strip()][1:]
            kept: list[str] = []
            for part in parts:
                if ":" in part or "@" in part or "www" in part.lower():
                    break
                kept.append(part)
            if kept and any(_POSTCODE.search(k) for k in kept):
                return ", ".join(kept), c
            continue
        found = _address_below(ctx, c)
        if found:
            return found, c
    return None


def _address_below(ctx: DocContext, c: Candidate) -> str | None:
    page = ctx.layout.page(c.page)
    kept: list[str] = []
    for line in page.lines:
        if line.y0 <= c.bbox.y1 - 0.5 or line.y0 > c.bbox.y1 + 5 * max(1.0, c.bbox.y1 - c.bbox.y0) * 1.6:
            continue
        phrase = next((p for p in line.phrases if p.x0 < c.bbox.x1 and p.x1 > c.bbox.x0), None)
        if phrase is None or ctx.hits_in(phrase):
            continue
        if _STREET.search(phrase.text) or _POSTCODE.search(phrase.text):
            kept.append(_clean(phrase.text))
            if _POSTCODE.search(phrase.text):
                return ", ".join(kept)
    return None


def _section_candidates(ctx: DocContext) -> list[Candidate]:
    out: list[Candidate] = []
    for block in ctx.sections:
        fname = "vendor_name" if block.kind == "vendor" else "buyer_name"
        heading = block.heading
        line = ctx.line_of(heading)
        # "Bill to: ACME Ltd" / "To: iViveLabs Ltd": the name is on the heading's own line.
        rest = _after_heading(heading)
        if rest and name_quality(rest) > 0.5:
            out.append(_candidate(ctx, fname, heading, rest, 0.7 * name_quality(rest), "section",
                                  heading.text.find(rest)))
            continue
        rank = 0
        for below in ctx.lines_below(line, 6):
            if below.y0 > block.y1 or rank >= 3:
                break
            for p in below.phrases:
                if not block.contains(p):
                    continue
                key = compact(p.text)
                if key in _NAME_LABELS:
                    right = ctx.right_of(p, 0.45)
                    if right is not None and name_quality(right.text) > 0.3:
                        out.append(_candidate(ctx, fname, right, right.text, 0.9, "section"))
                        rank = 3
                    continue
                if ctx.hits_in(p) and ctx.hits_in(p)[0].start == 0:
                    continue  # a labelled row ("Nummer: 549910"), not the name
                q = name_quality(p.text)
                if q > 0.5:
                    # The first name under the heading is the party; a legal form further down may be too.
                    legal = _LEGAL_RE.search(p.text) is not None
                    base = (0.62, 0.4, 0.3, 0.3)[min(rank, 3)]
                    if rank == 0 or legal:
                        out.append(_candidate(ctx, fname, p, p.text, base * q + (0.1 if legal else 0.0),
                                              "section"))
                    rank += 1
    return out


def _after_heading(heading: Phrase) -> str:
    m = re.match(r"\s*[^:]{1,30}:\s*(.+)$", heading.text)
    return m.group(1) if m else ""


def _sender_line_candidates(ctx: DocContext) -> list[Candidate]:
    out: list[Candidate] = []
    page = ctx.layout.pages[0] if ctx.layout.pages else None
    if page is None:
        return out
    for line in page.lines:
        if line.y0 > 0.45 * page.height:
            break
        # Joined with plain spaces: only the sender line's own separators split it, not column gaps.
        joined = "   ".join(p.text for p in line.phrases)
        parts = [x for x in _SEPARATORS.split(joined) if x and x.strip()]
        if len(parts) < 3 or not any(_POSTCODE.search(x) for x in parts[1:]):
            continue
        name = _clean(parts[0])
        first = line.phrases[0]
        if name_quality(name) < 0.5 or not first.text.startswith(name):
            continue
        out.append(_candidate(ctx, "vendor_name", first, name, 0.75, "sender_line"))
        buyer = _first_name_below(ctx, first)
        if buyer is not None:
            out.append(_candidate(ctx, "buyer_name", buyer, buyer.text, 0.7, "sender_line"))
        return out
    return out


def _footer_candidates(ctx: DocContext) -> list[Candidate]:
    """"Zelarvia Facility Management e.K. · Lindenallee 20 · 78532 Tuttlingen · USt-IdNr.: DE386644883":
    the company line at the foot of the page is the vendor's own."""
    out: list[Candidate] = []
    for page in ctx.layout.pages[-1:]:
        for line in page.lines:
            if line.y0 < 0.82 * page.height:
                continue
            first = line.phrases[0]
            parts = [x for x in _SEPARATORS.split(first.text) if x and x.strip()]
            if len(parts) < 3:
                continue
            vat = any(e.kind == "VAT" for e in ctx.entities(first))
            if not vat and not any(_POSTCODE.search(x) for x in parts[1:]):
                continue
            name = _clean(parts[0])
            if name_quality(name) >= 0.5 and first.text.startswith(name):
                out.append(_candidate(ctx, "vendor_name", first, name, 0.7 if vat else 0.6, "footer"))
                return out
    return out


def _attention_candidates(ctx: DocContext) -> list[Candidate]:
    """"Rheinwald MVZ Süd GmbH / z. Hd. Kreditorenbuchhaltung": the name over an attention line is the
    addressee, which on an invoice is the buyer."""
    out: list[Candidate] = []
    for p in ctx.phrases:
        if not _ATTENTION.match(p.text):
            continue
        for above in ctx.lines_above(ctx.line_of(p), 2):
            name = next((q for q in above.phrases if q.x0 < p.x1 and q.x1 > p.x0), None)
            if name is not None and name_quality(name.text) > 0.5:
                out.append(_candidate(ctx, "buyer_name", name, name.text, 0.75, "attention"))
                break
    return out


def _first_name_below(ctx: DocContext, phrase: Phrase) -> Phrase | None:
    line = ctx.line_of(phrase)
    for below in ctx.lines_below(line, 3):
        for p in below.phrases:
            if p.x1 < phrase.x0 - 5 or p.x0 > phrase.x1:
                continue
            if name_quality(p.text) > 0.5 and not ctx.hits_in(p):
                return p
            if name_quality(p.text) == 0 and re.match(r"(?i)(z\.\s?hd|attn|t\.a\.v)", p.text):
                continue
    return None


def _legal_form_candidates(ctx: DocContext) -> list[Candidate]:
    out: list[Candidate] = []
    for p in ctx.phrases:
        for m in _LEGAL_RE.finditer(p.text):
            if m.group(1).lower() in {"as", "se", "ab", "sa", "co.", "company", "trading", "enterprise", "ag",
                                      "kg", "sl", "nv", "ek", "ug", "spa", "pty"} and not m.group(1).isupper() \
                    and m.group(1).lower() not in {"co.", "company", "trading", "enterprise"}:
                continue  # "as" and "sa" in running text are words, not company forms
            name = _run_before(p.text, m.start(), m.end())
            if name is None:
                continue
            text, start = name
            if name_quality(text) < 0.4:
                continue
            section = ctx.section_of(p)
            buyer = section is not None and section.kind == "buyer"
            fname = "buyer_name" if buyer else "vendor_name"
            rel_y = p.y0 / max(1.0, ctx.layout.page(p.page).height)
            score = 0.42 + (0.1 if rel_y < 0.25 or rel_y > 0.8 else 0.0)
            out.append(_candidate(ctx, fname, p, text, score, "legal_form", start))
    return out


def _run_before(text: str, start: int, end: int) -> tuple[str, int] | None:
    """The capitalised words ending in a legal form: "Invoice Amazon Web Services, Inc." → "Amazon …"."""
    words = list(re.finditer(r"\S+", text[:start]))
    first = start
    taken = 0
    for w in reversed(words):
        token = w.group(0).strip(",")
        if not token or _DOC_WORDS.fullmatch(token.strip(":.")) or token.endswith(":") or taken >= 6:
            break
        if not (token[0].isupper() or token[0].isdigit() or token in {"&", "+", "und", "and", "et", "de", "van",
                                                                       "der", "du", "di", "y", "e"}):
            break
        first = w.start()
        taken += 1
    if taken == 0 and not text[start:end].isupper():
        return None
    return text[first:end], first


def _top_line_candidates(ctx: DocContext) -> list[Candidate]:
    out: list[Candidate] = []
    page = ctx.layout.pages[0] if ctx.layout.pages else None
    if page is None or not page.lines:
        return out
    heights = sorted(line.height for line in page.lines)
    median = heights[len(heights) // 2]
    rank = 0
    for line in page.lines[:6]:
        for p in line.phrases:
            if ctx.section_of(p) is not None or ctx.hits_in(p) or find_sections(p):
                continue  # a heading ("Afleveradres") or a labelled value is not a letterhead
            q = name_quality(p.text)
            if q < 0.5:
                continue
            big = line.height > 1.25 * median
            score = (0.3 - 0.04 * rank + (0.12 if big else 0.0)) * q
            out.append(_candidate(ctx, "vendor_name", p, p.text, score, "top_line"))
            rank += 1
    return out


def _domains(ctx: DocContext) -> set[str]:
    found: set[str] = set()
    for p in ctx.phrases:
        for e in ctx.entities(p):
            if e.kind not in ("EMAIL", "URL"):
                continue
            host = e.value.split("@")[-1].lower()
            host = re.sub(r"^(https?://)?(www\.)?", "", host).split("/")[0]
            core = host.rsplit(".", 1)[0].split(".")[-1] if "." in host else host
            if len(core) >= 4 and core not in _MAIL_PROVIDERS:
                found.add(re.sub(r"[^a-z0-9]", "", core))
    if ctx.sender and "@" in ctx.sender:
        core = ctx.sender.rsplit("@", 1)[1].lower().strip(" >").rsplit(".", 1)[0].split(".")[-1]
        if len(core) >= 4 and core not in _MAIL_PROVIDERS:
            found.add(re.sub(r"[^a-z0-9]", "", core))
    return found


def _matches_domain(name: str, domains: set[str]) -> bool:
    key = re.sub(r"[^a-z0-9]", "", fold(name))
    return any(d in key or (len(key) >= 4 and key in d) for d in domains)
