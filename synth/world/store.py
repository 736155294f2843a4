"""The world under construction: every record, id counters per model, and the indexes scenarios use."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from synth.world.items import CatalogueItem
from synth.world.numbering import NumberBook, Slot
from synth.world.profiles import VendorProfile
from synth.world.records import (
    Bill,
    Company,
    Currency,
    Move,
    Partner,
    PartnerBank,
    Picking,
    PickingType,
    Product,
    ProductCategory,
    PurchaseOrder,
    PurchaseOrderLine,
    SupplierInfo,
    Tax,
    Uom,
    UomCategory,
    Warehouse,
)

T = TypeVar("T")
_TABLES = ("partners", "banks", "supplierinfos", "orders", "order_lines", "pickings", "moves", "bills")


@dataclass(frozen=True)
class Site:
    """A clinic or the central store: its warehouse, receiving type and delivery address."""

    warehouse_id: int
    picking_type_id: int
    company_id: int
    name: str
    code: str
    street: str
    city: str
    zip: str


@dataclass
class World:
    seed: int
    today: date
    currencies: list[Currency] = field(default_factory=list)
    companies: list[Company] = field(default_factory=list)
    warehouses: list[Warehouse] = field(default_factory=list)
    picking_types: list[PickingType] = field(default_factory=list)
    partners: list[Partner] = field(default_factory=list)
    banks: list[PartnerBank] = field(default_factory=list)
    uom_categories: list[UomCategory] = field(default_factory=list)
    uoms: list[Uom] = field(default_factory=list)
    product_categories: list[ProductCategory] = field(default_factory=list)
    products: list[Product] = field(default_factory=list)
    supplierinfos: list[SupplierInfo] = field(default_factory=list)
    taxes: list[Tax] = field(default_factory=list)
    orders: list[PurchaseOrder] = field(default_factory=list)
    order_lines: list[PurchaseOrderLine] = field(default_factory=list)
    pickings: list[Picking] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)
    bills: list[Bill] = field(default_factory=list)
    sites: list[Site] = field(default_factory=list)
    profiles: dict[int, VendorProfile] = field(default_factory=dict)
    items: dict[int, CatalogueItem] = field(default_factory=dict)
    pools: dict[int, str] = field(default_factory=dict)  # vendor id → the scenario pool it serves
    cache: dict[str, Any] = field(default_factory=dict)  # derived lookups, built once the pools are fixed
    numbers: NumberBook = field(default_factory=NumberBook)
    _ids: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    lines_of: dict[int, list[PurchaseOrderLine]] = field(default_factory=lambda: defaultdict(list))
    assortment: dict[int, list[SupplierInfo]] = field(default_factory=lambda: defaultdict(list))
    orders_of: dict[int, list[PurchaseOrder]] = field(default_factory=lambda: defaultdict(list))
    bills_of: dict[int, list[Bill]] = field(default_factory=lambda: defaultdict(list))
    pickings_of: dict[int, list[Picking]] = field(default_factory=lambda: defaultdict(list))
    ref_slots: dict[int, Slot] = field(default_factory=dict)  # bill id → the vendor's invoice number
    _index: dict[str, dict[int, object]] = field(default_factory=dict)

    def savepoint(self) -> tuple[dict[str, int], dict[str, int], int]:
        """Marks to undo a scenario attempt that has to be drawn again (see ``rollback``)."""
        return {name: len(getattr(self, name)) for name in _TABLES}, dict(self._ids), self.numbers.count

    def rollback(self, mark: tuple[dict[str, int], dict[str, int], int]) -> None:
        """Forget every record created since ``mark``. Scenario attempts only append records and change
        the ones they created themselves, so cutting the tables back restores the world exactly."""
        lengths, ids, slots = mark
        for name in _TABLES:
            del getattr(self, name)[lengths[name]:]
        self._ids = defaultdict(int, ids)
        self.numbers.truncate(slots)
        self._index.clear()
        self.lines_of = defaultdict(list)
        for line in self.order_lines:
            self.lines_of[line.order_id].append(line)
        self.orders_of = defaultdict(list)
        for order in self.orders:
            self.orders_of[order.partner_id].append(order)
        self.bills_of = defaultdict(list)
        for bill in self.bills:
            self.bills_of[bill.partner_id].append(bill)
        self.pickings_of = defaultdict(list)
        for picking in self.pickings:
            self.pickings_of[picking.purchase_id].append(picking)
        live = {bill.id for bill in self.bills}
        self.ref_slots = {k: v for k, v in self.ref_slots.items() if k in live}

    def next_id(self, model: str) -> int:
        self._ids[model] += 1
        return self._ids[model]

    def product(self, product_id: int) -> Product:
        return self._by_id("products", product_id, Product)

    def uom(self, uom_id: int) -> Uom:
        return self._by_id("uoms", uom_id, Uom)

    def tax(self, tax_id: int) -> Tax:
        return self._by_id("taxes", tax_id, Tax)

    def currency(self, currency_id: int) -> Currency:
        return self._by_id("currencies", currency_id, Currency)

    def currency_id(self, code: str) -> int:
        return next(c.id for c in self.currencies if c.name == code)

    def company(self, company_id: int) -> Company:
        return self._by_id("companies", company_id, Company)

    def partner(self, partner_id: int) -> Partner:
        return self._by_id("partners", partner_id, Partner)

    def order(self, order_id: int) -> PurchaseOrder:
        return self._by_id("orders", order_id, PurchaseOrder)

    def site_of_type(self, picking_type_id: int) -> Site:
        return next(s for s in self.sites if s.picking_type_id == picking_type_id)

    def _by_id(self, attr: str, record_id: int, kind: type[T]) -> T:
        records = getattr(self, attr)
        table = self._index.get(attr)
        if table is None or len(table) != len(records):  # records are only ever appended
            table = {r.id: r for r in records}
            self._index[attr] = table
        record = table[record_id]
        assert isinstance(record, kind)
        return record
