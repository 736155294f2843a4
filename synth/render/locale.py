"""How a vendor writes numbers and dates: ``1.234,56`` or ``1,234.56`` (or ``1 234,56``, ``1'234.56``),
``31.03.2025``, ``03/31/2025``, ``31 March 2025``…"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"),
    "it": ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
           "ottobre", "novembre", "dicembre"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"),
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december"),
}
SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}


@dataclass(frozen=True)
class Locale:
    language: str
    decimal: str  # "," or "."
    group: str  # ".", ",", " ", "'" or ""
    date_style: str  # dmy_dot | dmy_slash | dmy_dash | mdy_slash | iso | long | long_us
    symbol_first: bool  # "€ 1.234,56" / "$1,234.56" vs "1.234,56 €"

    def number(self, value: Decimal, places: int = 2) -> str:
        quantum = Decimal(1).scaleb(-places)
        text = format(value.quantize(quantum, ROUND_HALF_UP), "f")
        negative = text.startswith("-")
        whole, _, frac = text.lstrip("-").partition(".")
        groups: list[str] = []
        while len(whole) > 3:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        groups.insert(0, whole)
        out = self.group.join(groups) + (self.decimal + frac if frac else "")
        return ("-" if negative else "") + out

    def money(self, value: Decimal) -> str:
        return self.number(value, 2)

    def price(self, value: Decimal) -> str:
        """Unit prices keep up to four decimals (0,0845 per unit), never fewer than two."""
        places = max(2, min(4, -value.normalize().as_tuple().exponent))  # type: ignore[operator]
        return self.number(value, places)

    def quantity(self, value: Decimal) -> str:
        if value == value.to_integral_value():
            return self.number(value, 0)
        return self.number(value, 2)

    def with_currency(self, value: Decimal, code: str, use_symbol: bool) -> str:
        amount = self.money(value)
        sign = SYMBOLS.get(code, code) if use_symbol else code
        if self.symbol_first:
            return f"{sign}{amount}" if use_symbol and code in ("USD", "GBP") else f"{sign} {amount}"
        return f"{amount} {sign}"

    def date(self, day: date) -> str:
        if self.date_style == "dmy_dot":
            return f"{day.day:02d}.{day.month:02d}.{day.year}"
        if self.date_style == "dmy_slash":
            return f"{day.day:02d}/{day.month:02d}/{day.year}"
        if self.date_style == "dmy_dash":
            return f"{day.day:02d}-{day.month:02d}-{day.year}"
        if self.date_style == "mdy_slash":
            return f"{day.month:02d}/{day.day:02d}/{day.year}"
        if self.date_style == "iso":
            return day.isoformat()
        month = _MONTHS[self.language][day.month - 1]
        if self.date_style == "long_us":
            return f"{month} {day.day}, {day.year}"
        if self.language == "de":
            return f"{day.day}. {month} {day.year}"
        return f"{day.day} {month} {day.year}"


# Country → the ways its vendors write numbers and dates (one is chosen per vendor).
_COUNTRY_LOCALES: dict[str, tuple[Locale, ...]] = {
    "DE": (Locale("de", ",", ".", "dmy_dot", False), Locale("de", ",", ".", "long", False),
           Locale("de", ",", ".", "dmy_dot", True)),
    "AT": (Locale("de", ",", ".", "dmy_dot", False), Locale("de", ",", " ", "dmy_dot", True)),
    "CH": (Locale("de", ".", "'", "dmy_dot", True), Locale("de", ",", ".", "dmy_dot", False)),
    "NL": (Locale("nl", ",", ".", "dmy_dash", True), Locale("nl", ",", ".", "long", True)),
    "BE": (Locale("nl", ",", ".", "dmy_slash", True), Locale("nl", ",", ".", "dmy_dash", False)),
    "FR": (Locale("fr", ",", " ", "dmy_slash", False), Locale("fr", ",", ".", "long", False),
           Locale("fr", ",", "", "dmy_slash", False)),
    "LU": (Locale("fr", ",", ".", "dmy_slash", False),),
    "IT": (Locale("it", ",", ".", "dmy_slash", True), Locale("it", ",", ".", "long", False)),
    "ES": (Locale("es", ",", ".", "dmy_slash", False), Locale("es", ",", ".", "long", False)),
    "GB": (Locale("en", ".", ",", "dmy_slash", True), Locale("en", ".", ",", "long", True)),
    "IE": (Locale("en", ".", ",", "dmy_slash", True), Locale("en", ".", ",", "long", True)),
    "US": (Locale("en", ".", ",", "mdy_slash", True), Locale("en", ".", ",", "long_us", True)),
    "SE": (Locale("en", ",", " ", "iso", False), Locale("en", ".", ",", "iso", True)),
    "DK": (Locale("en", ",", ".", "dmy_dash", False), Locale("en", ".", ",", "long", True)),
}


def locales_for(country: str) -> tuple[Locale, ...]:
    return _COUNTRY_LOCALES[country]
