"""A product as the generator knows it: catalogue bounds for pricing, names in two languages, tax class."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class CatalogueItem:
    product_id: int
    category: str
    en: str
    de: str
    low: Decimal
    high: Decimal
    reduced: bool  # 7% in Germany (medical aids, food)
