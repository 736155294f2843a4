"""Login throttling: a sliding window per client address and per user name, kept in memory.

Per-account lock-out is kept in the database as well (``User.locked_until``); this window answers
fast bursts without touching it and keeps one address from trying many accounts.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field


@dataclass
class LoginThrottle:
    per_name: int = 5
    per_address: int = 20
    window_s: float = 300.0
    _hits: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def retry_after(self, address: str, username: str) -> int:
        """Seconds to wait before another attempt is heard; 0 when one may be made now."""
        now = time.monotonic()
        with self._lock:
            waits = [self._wait(f"a:{address}", self.per_address, now),
                     self._wait(f"n:{username.lower()}", self.per_name, now)]
        return max(waits)

    def failed(self, address: str, username: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._hits[f"a:{address}"].append(now)
            self._hits[f"n:{username.lower()}"].append(now)

    def succeeded(self, username: str) -> None:
        with self._lock:
            self._hits.pop(f"n:{username.lower()}", None)

    def _wait(self, key: str, limit: int, now: float) -> int:
        hits = self._hits.get(key)
        if not hits:
            return 0
        while hits and now - hits[0] > self.window_s:
            hits.popleft()
        if len(hits) < limit:
            return 0
        return max(1, int(self.window_s - (now - hits[0])) + 1)
