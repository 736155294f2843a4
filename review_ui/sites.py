"""Site scoping: which clinics' documents a user sees and acts on.

``User.sites`` lists site codes (``Document.site``, the warehouse code of the purchase order's clinic).
The rule, enforced on the server for every list, count, figure and item:

- an empty list means the whole group: every site, and documents whose site is not known yet (failed
  or refused before matching, no purchase order found). The central AP team works with ``sites=[]``;
- a non-empty list means those sites only. Documents whose site is still unknown are NOT shown: until
  matching has tied a document to a clinic it may be any clinic's, so showing unknown-site documents to
  every clinic's clerks would show each clinic the others' invoices. The central team works them, and a
  document reaches its clinic's queue as soon as its site is known. A stored list that holds nothing
  usable fails closed the same way: it shows nothing, not everything.

A document outside the scope does not exist as far as the user can tell (404, never 403). Auditors
follow the same rule: group-wide unless given sites, and then they read the audit entries of those
sites' documents only. Documents made in the review UI start where they came from (the parts of a
split at the source's site, a merge of one site's documents at that site, an upload by someone with
exactly one site at that site) until matching sets the site of the purchase order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, false, true

from models.documents import Document

# A warehouse code (``HAM``) or, where Odoo has none, its name; a comma separates codes on input.
_SITE = re.compile(r"^[^\s,\x00-\x1f\x7f][^,\x00-\x1f\x7f]{0,59}$")
ALL_SITES_WORD = "all"


@dataclass(frozen=True)
class SiteScope:
    # None: the whole group; otherwise these sites only (an empty set: nothing at all).
    sites: frozenset[str] | None = None

    @classmethod
    def of(cls, stored: Any) -> SiteScope:
        """From ``User.sites`` as stored: anything but a non-empty list of codes is read strictly (a list
        of junk restricts to nothing rather than opening everything)."""
        if stored is None or stored == []:
            return cls(None)
        if not isinstance(stored, list):
            return cls(frozenset())
        return cls(frozenset(s.strip() for s in stored if isinstance(s, str) and _SITE.match(s.strip())))

    @property
    def everywhere(self) -> bool:
        return self.sites is None

    def allows(self, site: str | None) -> bool:
        if self.sites is None:
            return True
        return site is not None and site in self.sites

    def covers(self, other: SiteScope) -> bool:
        """Whether everything ``other`` reaches is within this scope (nobody grants more than they have)."""
        if self.sites is None:
            return True
        return other.sites is not None and other.sites <= self.sites

    def documents(self) -> ColumnElement[bool]:
        """The SQL condition on ``documents`` rows (a query joining Document adds it to its WHERE)."""
        if self.sites is None:
            return true()
        if not self.sites:
            return false()
        return Document.site.in_(sorted(self.sites))

    def describe(self) -> str:
        """For sentences: "every site", "sites BER, HAM", "no site"."""
        if self.sites is None:
            return "every site"
        return ("sites " + ", ".join(sorted(self.sites))) if self.sites else "no site"

    def label(self) -> str:
        if self.sites is None:
            return ALL_SITES_WORD
        return ",".join(sorted(self.sites)) or "(none)"


EVERY_SITE = SiteScope(None)


def parse_sites(text: str) -> list[str]:
    """``"HAM, BER"`` → ``["BER", "HAM"]``; ``"all"`` → ``[]`` (the whole group). Raises ValueError with
    a sentence a person can act on."""
    text = text.strip()
    if not text:
        raise ValueError(f"name the sites (codes separated by commas, e.g. HAM,BER) or {ALL_SITES_WORD!r}")
    if text.lower() == ALL_SITES_WORD:
        return []
    codes = [c.strip() for c in text.split(",")]
    bad = [c for c in codes if not _SITE.match(c)]
    if bad or not codes:
        raise ValueError(f"{', '.join(repr(c) for c in bad) or repr(text)} is not a site code "
                         "(1-60 characters, no commas or control characters)")
    return sorted(set(codes))
