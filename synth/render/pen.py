"""A thin layer over reportlab's canvas: coordinates from the top of the page (as a reader and the
extraction's boxes measure them), three type families, text that shrinks to fit its column."""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

Colour = tuple[float, float, float]
BLACK: Colour = (0.0, 0.0, 0.0)
_FACES = {"Helvetica": ("Helvetica", "Helvetica-Bold"), "Times": ("Times-Roman", "Times-Bold"),
          "Courier": ("Courier", "Courier-Bold")}
MIN_SIZE = 5.0


class Pen:
    def __init__(self, canvas: Canvas, width: float, height: float, family: str) -> None:
        self.c = canvas
        self.width = width
        self.height = height
        self.regular, self.bold = _FACES[family]

    def face(self, bold: bool) -> str:
        return self.bold if bold else self.regular

    def measure(self, text: str, size: float, bold: bool = False) -> float:
        return float(stringWidth(text, self.face(bold), size))

    def fit(self, text: str, size: float, width: float | None, bold: bool = False) -> float:
        """The largest size, down to 6 pt, at which ``text`` fits ``width``."""
        if width is None:
            return size
        while size > MIN_SIZE and self.measure(text, size, bold) > width:
            size -= 0.25
        return size

    def text(self, x: float, y: float, text: str, size: float = 8.5, *, bold: bool = False,
             colour: Colour = BLACK, align: str = "left", width: float | None = None) -> float:
        """Draw ``text`` with its baseline ``y`` points below the top; returns the size used."""
        if not text:
            return size
        size = self.fit(text, size, width, bold)
        self.c.setFont(self.face(bold), size)
        self.c.setFillColorRGB(*colour)
        base = self.height - y
        if align == "right":
            self.c.drawRightString(x, base, text)
        elif align == "center":
            self.c.drawCentredString(x, base, text)
        else:
            self.c.drawString(x, base, text)
        return size

    def lines(self, x: float, y: float, rows: list[str], size: float = 8.5, leading: float | None = None, *,
              bold_first: bool = False, colour: Colour = BLACK, align: str = "left",
              width: float | None = None) -> float:
        """Stacked lines; returns the y below the last one."""
        leading = leading or size * 1.3
        for i, row in enumerate(rows):
            self.text(x, y + i * leading, row, size, bold=bold_first and i == 0, colour=colour, align=align,
                      width=width)
        return y + len(rows) * leading

    def wrap(self, text: str, size: float, width: float, bold: bool = False) -> list[str]:
        words, out, current = text.split(), [], ""
        for word in words:
            trial = f"{current} {word}".strip()
            if self.measure(trial, size, bold) <= width or not current:
                current = trial
            else:
                out.append(current)
                current = word
        if current:
            out.append(current)
        return out

    def rule(self, x0: float, y: float, x1: float, weight: float = 0.5, colour: Colour = BLACK,
             dash: tuple[float, float] | None = None) -> None:
        self.c.saveState()
        self.c.setStrokeColorRGB(*colour)
        self.c.setLineWidth(weight)
        if dash:
            self.c.setDash(*dash)
        self.c.line(x0, self.height - y, x1, self.height - y)
        self.c.restoreState()

    def vline(self, x: float, y0: float, y1: float, weight: float = 0.5, colour: Colour = BLACK) -> None:
        self.c.saveState()
        self.c.setStrokeColorRGB(*colour)
        self.c.setLineWidth(weight)
        self.c.line(x, self.height - y0, x, self.height - y1)
        self.c.restoreState()

    def box(self, x: float, y: float, w: float, h: float, *, fill: Colour | None = None,
            stroke: Colour | None = BLACK, weight: float = 0.5) -> None:
        """A rectangle whose top-left corner is ``y`` points below the top."""
        self.c.saveState()
        if fill is not None:
            self.c.setFillColorRGB(*fill)
        if stroke is not None:
            self.c.setStrokeColorRGB(*stroke)
            self.c.setLineWidth(weight)
        self.c.rect(x, self.height - y - h, w, h, stroke=1 if stroke is not None else 0,
                    fill=1 if fill is not None else 0)
        self.c.restoreState()


def tint(colour: Colour, amount: float) -> Colour:
    """A lighter shade: ``amount`` 0 is the colour, 1 is white."""
    return (colour[0] + (1 - colour[0]) * amount, colour[1] + (1 - colour[1]) * amount,
            colour[2] + (1 - colour[2]) * amount)
