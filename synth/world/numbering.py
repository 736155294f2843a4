"""Document numbers assigned in date order once the whole world exists.

Scenarios create documents out of chronological order (an invoice first, the earlier bill it
duplicates afterwards), yet a vendor's invoice numbers, Odoo's PO names and receipt names must rise
with their dates. So each document takes a *slot* while it is built, and the numbers are dealt out
at the end: per sequence, sorted by date, with the gaps a real sequence has (other customers'
invoices, cancelled drafts).
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


@dataclass(eq=False)
class Slot:
    sequence: str  # which numbering the slot belongs to (a vendor's invoices, one site's receipts…)
    day: date
    order: int
    value: str = ""

    def __str__(self) -> str:
        if not self.value:
            raise RuntimeError("a document number was read before the numbers were assigned")
        return self.value


class NumberBook:
    def __init__(self) -> None:
        self._slots: dict[str, list[Slot]] = defaultdict(list)
        self._count = 0

    def slot(self, sequence: str, day: date) -> Slot:
        self._count += 1
        slot = Slot(sequence, day, self._count)
        self._slots[sequence].append(slot)
        return slot

    @property
    def count(self) -> int:
        return self._count

    def truncate(self, count: int) -> None:
        """Drop the slots taken after the ``count``-th (a scenario attempt being undone)."""
        for sequence, slots in self._slots.items():
            self._slots[sequence] = [s for s in slots if s.order <= count]
        self._count = count

    def assign(self, sequence: str, start: int, fmt: Callable[[int, date], str], rng: random.Random,
               max_gap: int = 1) -> None:
        number = start
        for slot in sorted(self._slots.get(sequence, ()), key=lambda s: (s.day, s.order)):
            slot.value = fmt(number, slot.day)
            number += rng.randint(1, max_gap)

    def sequences(self) -> list[str]:
        return sorted(self._slots)
