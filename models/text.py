"""Words on a page with their boxes: what the text layer or OCR gives, and what the viewer shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Word:
    """One word, boxed in PDF points from the page's top-left; ``conf`` is 0..1 (1.0 for a text layer)."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    conf: float = 1.0

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    def to_list(self) -> list[Any]:
        return [self.text, round(self.x0, 2), round(self.y0, 2), round(self.x1, 2), round(self.y1, 2),
                round(self.conf, 3)]

    @classmethod
    def from_list(cls, row: list[Any]) -> Word:
        return cls(str(row[0]), float(row[1]), float(row[2]), float(row[3]), float(row[4]),
                   float(row[5]) if len(row) > 5 else 1.0)


@dataclass
class PageText:
    """A page's words; ``source`` is ``text_layer`` or ``ocr``."""

    number: int
    width: float
    height: float
    words: list[Word] = field(default_factory=list)
    source: str = "text_layer"
    rotation: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, "width": self.width, "height": self.height,
                "source": self.source, "rotation": self.rotation,
                "words": [w.to_list() for w in self.words]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PageText:
        return cls(number=int(data["number"]), width=float(data["width"]), height=float(data["height"]),
                   words=[Word.from_list(w) for w in data.get("words") or []],
                   source=str(data.get("source") or "text_layer"), rotation=int(data.get("rotation") or 0))
