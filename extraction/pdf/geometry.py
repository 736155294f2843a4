"""From PDF user space (origin bottom-left, y up, unrotated) to the page as displayed (origin top-left,
y down, the page's ``/Rotate`` applied, crop box origin at 0,0): the frame every box in the project uses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pypdfium2 as pdfium

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class PageFrame:
    left: float
    bottom: float
    right: float
    top: float
    rotation: int  # clockwise degrees the viewer turns the page: 0, 90, 180 or 270

    @classmethod
    def of(cls, page: pdfium.PdfPage) -> PageFrame:
        left, bottom, right, top = page.get_cropbox()
        return cls(float(left), float(bottom), float(right), float(top), int(page.get_rotation()) % 360)

    @property
    def width(self) -> float:
        """Displayed width in points."""
        return abs(self.top - self.bottom) if self.rotation in (90, 270) else abs(self.right - self.left)

    @property
    def height(self) -> float:
        return abs(self.right - self.left) if self.rotation in (90, 270) else abs(self.top - self.bottom)

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        """A user-space rectangle as ``(x0, y0, x1, y1)`` in the displayed frame."""
        ax, ay = self.point(left, top)
        bx, by = self.point(right, bottom)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)

    def boxes(self, left: Floats, bottom: Floats, right: Floats, top: Floats) -> tuple[Floats, Floats, Floats, Floats]:
        """``box`` for arrays of rectangles at once (a page's words)."""
        ax, ay = self._turned(left, top)
        bx, by = self._turned(right, bottom)
        return np.minimum(ax, bx), np.minimum(ay, by), np.maximum(ax, bx), np.maximum(ay, by)

    def point(self, x: float, y: float) -> tuple[float, float]:
        return self._turned(x, y)

    def _turned(self, x: Any, y: Any) -> tuple[Any, Any]:
        """``point`` for floats or arrays of them alike."""
        u, v = x - self.left, self.top - y  # unrotated, from the crop box's top-left
        w, h = self.right - self.left, self.top - self.bottom
        if self.rotation == 90:
            return h - v, u
        if self.rotation == 180:
            return w - u, h - v
        if self.rotation == 270:
            return v, w - u
        return u, v
