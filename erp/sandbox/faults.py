"""Fault injection: make chosen calls slow, fail, or vanish, the way a real Odoo behind a proxy does.

A rule matches object calls by model and method (either may be left open) and acts on the next
``times`` matches after letting ``skip`` pass:

- ``delay``: wait ``delay_s`` before running the call (a slow Odoo; the client may time out while the
  call still completes afterwards);
- ``drop``: run and commit the call, then close the connection without answering (a proxy or network
  failure after the fact);
- ``serialization``: refuse the call as PostgreSQL does on a concurrent update (nothing is done);
- ``down``: answer HTTP 503 without running anything (Odoo restarting behind its proxy);
- ``hold``: stop before (``when="before"``) or after (``when="after"``) running the call until released,
  so a test can kill the client at exactly that point.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

KINDS = frozenset({"delay", "drop", "serialization", "down", "hold"})


@dataclass
class FaultRule:
    kind: str
    model: str | None = None
    method: str | None = None
    times: int | None = 1  # None: every match
    skip: int = 0
    delay_s: float = 0.0
    when: str = "before"
    seen: int = 0
    fired: int = 0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; one of {sorted(KINDS)}")
        if self.when not in ("before", "after"):
            raise ValueError("when must be 'before' or 'after'")

    def matches(self, model: str | None, method: str | None) -> bool:
        return (self.model is None or self.model == model) and (self.method is None or self.method == method)

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.fired >= self.times

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FaultRule:
        allowed = {"kind", "model", "method", "times", "skip", "delay_s", "when"}
        return cls(**{k: v for k, v in data.items() if k in allowed})


@dataclass
class Held:
    model: str | None
    method: str | None
    when: str


@dataclass
class FaultPlan:
    rules: list[FaultRule] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    held: Held | None = None
    held_event: threading.Event = field(default_factory=threading.Event)
    release_event: threading.Event = field(default_factory=threading.Event)

    def add(self, rule: FaultRule) -> FaultRule:
        with self.lock:
            self.rules.append(rule)
        return rule

    def clear(self) -> None:
        with self.lock:
            self.rules.clear()
        self.release()

    def take(self, model: str | None, method: str | None) -> list[FaultRule]:
        """The rules that fire for this call (counting it against each)."""
        fired = []
        with self.lock:
            for rule in self.rules:
                if rule.exhausted or not rule.matches(model, method):
                    continue
                rule.seen += 1
                if rule.seen <= rule.skip:
                    continue
                rule.fired += 1
                fired.append(rule)
        return fired

    def hold(self, model: str | None, method: str | None, when: str, timeout_s: float = 120.0) -> None:
        self.release_event.clear()
        self.held = Held(model, method, when)
        self.held_event.set()
        self.release_event.wait(timeout_s)

    def release(self) -> None:
        self.held = None
        self.held_event.clear()
        self.release_event.set()
