"""The per-process index matching needs (vendors by identifier and name, orders by number), rebuilt
only when the mirror changes: building it for 50,000 vendors takes a second or two, a lookup
microseconds to milliseconds."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from matching.mirror_view import CompanyRecord, MirrorView, SiteRecord
from matching.po_numbers import OrderNumberIndex
from matching.vendors.index import VendorIndex


@dataclass(frozen=True)
class MatchIndex:
    revision: str
    vendors: VendorIndex
    orders: OrderNumberIndex
    sites: dict[int, SiteRecord]
    companies: dict[int, CompanyRecord]

    @classmethod
    def build(cls, mirror: MirrorView) -> MatchIndex:
        snap = mirror.snapshot()
        return cls(snap.revision, VendorIndex(snap), OrderNumberIndex(snap.orders),
                   {s.id: s for s in snap.sites}, {c.id: c for c in snap.companies})


class IndexCache:
    """Holds the current index; asks the mirror for its revision at most every ``check_every_s``."""

    def __init__(self, check_every_s: float = 5.0) -> None:
        self._index: MatchIndex | None = None
        self._checked = 0.0
        self._every = check_every_s
        self._lock = threading.Lock()

    def get(self, mirror: MirrorView) -> MatchIndex:
        with self._lock:
            now = time.monotonic()
            if self._index is not None and now - self._checked < self._every:
                return self._index
            revision = mirror.revision()
            if self._index is None or self._index.revision != revision:
                self._index = MatchIndex.build(mirror)
            self._checked = now
            return self._index

    def invalidate(self) -> None:
        with self._lock:
            self._index = None
