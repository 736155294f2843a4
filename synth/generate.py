"""The whole world in one call: buyer, vendors, catalogue, the scenario instances with the orders,
receipts and bills around them, the vendors' histories, and the invoices, all from one seed.

Scenario instances are built one after another on the shared world. An instance whose invoice would
by chance share its total with another invoice of the same vendor (which a duplicate check could
rightly flag) is undone and drawn again, so that only the duplicate scenarios look like duplicates.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from models.errors import ConfigurationError
from synth.config import SynthConfig
from synth.document import InvoiceDoc
from synth.scenarios import SCENARIOS, Scenario
from synth.scenarios.base import GENERAL, LIMITED, QUIET, SINGLE, TWINS, UNKNOWN, Built, Context, Expected
from synth.scenarios.mix import plan
from synth.seeds import rng
from synth.world.assortment import build_assortment
from synth.world.buyer import build_buyer
from synth.world.catalogue import build_catalogue
from synth.world.history import build_history
from synth.world.naming import assign_names
from synth.world.orders import OrderItem, create_order
from synth.world.profiles import VendorProfile
from synth.world.receipts import goods_lines, receive
from synth.world.records import Partner, SupplierInfo
from synth.world.store import World
from synth.world.units import build_units
from synth.world.vendors import CORE, add_bank, build_vendors, make_profile, plain_name, unlike_any

_ATTEMPTS = 8


@dataclass
class GeneratedInvoice:
    index: int
    scenario: Scenario
    doc: InvoiceDoc
    expected: Expected


@dataclass
class GeneratedWorld:
    config: SynthConfig
    world: World
    invoices: list[GeneratedInvoice]
    profiles: dict[int, VendorProfile]  # every vendor, including those the ERP does not know


def generate(config: SynthConfig) -> GeneratedWorld:
    seed = config.seed
    world = World(seed=seed, today=config.today)
    build_buyer(world, rng(seed, "buyer"))
    build_units(world)
    items = build_catalogue(world, rng(seed, "catalogue"))
    taken: list[str] = []
    partners = build_vendors(world, config.vendors, rng(seed, "vendors"), taken)
    for index, partner in enumerate(partners):
        profile = world.profiles[partner.id]
        # The first vendor is a full-line distributor: long invoices need a long catalogue.
        build_assortment(world, profile, items[profile.category], rng(seed, "assortment", partner.id),
                         size=40 if index == 0 else None)
    names = plan(config.invoices, config.mix, config.renderings, rng(seed, "plan"), config.each)
    pools = _reserve_pools(world, partners, Counter(SCENARIOS[n].pool for n in names), rng(seed, "pools"))
    for partner in partners:
        if world.pools[partner.id] == GENERAL:
            _background_orders(world, world.profiles[partner.id], rng(seed, "background", partner.id))
    profiles = dict(world.profiles)
    invoices = []
    registry: set[tuple[int, str, Decimal]] = set()
    singles_used: set[int] = set()
    fitting: dict[str, list[VendorProfile]] = {}
    for index, name in enumerate(names):
        scenario = SCENARIOS[name]
        built = _build_instance(world, scenario, index, seed, pools, fitting, singles_used, registry, taken, profiles)
        invoices.append(GeneratedInvoice(index, scenario, built.doc, built.expected))
    totals: dict[int, list[Decimal]] = {}
    for invoice in invoices:
        if invoice.doc.vendor.key > 0 and invoice.doc.document_type == "invoice":
            totals.setdefault(invoice.doc.vendor.key, []).append(invoice.doc.amounts[2])
    for key in sorted(world.profiles):
        build_history(world, rng(seed, "history", key), world.profiles[key], totals.get(key, []))
    assign_names(world, profiles)
    _name_ghost_orders(world, invoices)
    return GeneratedWorld(config, world, invoices, profiles)


def _reserve_pools(world: World, partners: list[Partner], needs: Counter[str],
                   order: random.Random) -> dict[str, list[VendorProfile]]:
    # Pools take their vendors from the back of the line: the core vendors (the first ones, chosen so that
    # every scenario finds a vendor it fits) stay general unless the world is too small to spare them.
    core = [p.id for p in partners[:len(CORE)]]
    rest = [p.id for p in partners[len(CORE):]]
    order.shuffle(core)
    order.shuffle(rest)
    keys = rest + core
    sizes = {TWINS: math.ceil(needs[TWINS] / 3), QUIET: math.ceil(needs[QUIET] / 3),
             LIMITED: math.ceil(needs[LIMITED] / 3), SINGLE: needs[SINGLE]}
    reserved = sum(sizes.values())
    if len(keys) - reserved < 5:
        raise ConfigurationError(
            f"{len(keys)} vendors are too few for this mix: {reserved} must be kept apart for scenarios that need "
            f"their own vendor, and at least 5 must remain for the rest; raise --vendors or lower --invoices")
    pools: dict[str, list[VendorProfile]] = {}
    cursor = 0
    for pool in (TWINS, QUIET, LIMITED, SINGLE):
        chosen = keys[cursor:cursor + sizes[pool]]
        cursor += sizes[pool]
        pools[pool] = [world.profiles[k] for k in chosen]
        for key in chosen:
            world.pools[key] = pool
    pools[GENERAL] = [world.profiles[k] for k in sorted(keys[cursor:])]
    for key in keys[cursor:]:
        world.pools[key] = GENERAL
    for profile in pools[LIMITED]:
        world.partner(profile.key).x_invoice_limit = Decimal(order.choice((5000, 10000)))
    for profile in pools[TWINS]:
        _twin(world, profile)
    return pools


def _twin(world: World, profile: VendorProfile) -> None:
    """Record the vendor a second time, as a data migration or a hurried clerk does."""
    original = world.partner(profile.key)
    key = world.next_id("res.partner")
    twin = Partner(**{**original.__dict__, "id": key, "ref": f"K{key:05d}",
                      "write_date": original.write_date + timedelta(days=200)})
    world.partners.append(twin)
    for account in profile.accounts:
        add_bank(world, key, account.acc_number, account.bic, account.bank_name)
    world.profiles[key] = VendorProfile(**{**profile.__dict__, "key": key, "numbering_of": profile.key})
    world.pools[key] = "twin_record"
    world.cache.setdefault("twins", {})[profile.key] = key
    for row in list(world.assortment[profile.key]):
        copy = SupplierInfo(**{**row.__dict__, "id": world.next_id("product.supplierinfo"), "partner_id": key})
        world.supplierinfos.append(copy)
        world.assortment[key].append(copy)


def _background_orders(world: World, vendor: VendorProfile, r: random.Random) -> None:
    """Open orders nobody invoices in this batch: the rest of the business, and distractors."""
    rows = world.assortment[vendor.key]
    if not rows:
        return
    for _ in range(r.choice((0, 0, 1, 1, 2))):
        chosen = sorted(r.sample(rows, k=min(len(rows), r.randint(1, 6))), key=lambda x: x.id)
        items = [OrderItem(row, Decimal(r.randint(1, 30))) for row in chosen]
        po = create_order(world, r, vendor, items, world.today - timedelta(days=r.randint(2, 40)))
        lines = goods_lines(world, po)
        if lines and r.random() < 0.6:
            share = r.choice((Decimal("0.5"), Decimal(1)))
            delivered = {line.id: max(Decimal(1), (line.product_qty * share).quantize(Decimal(1))) for line in lines}
            receive(world, r, po, [delivered], [po.date_order.date() + timedelta(days=r.randint(1, 3))])


def _pick_vendor(world: World, scenario: Scenario, pools: dict[str, list[VendorProfile]],
                 fitting: dict[str, list[VendorProfile]], singles_used: set[int], r: random.Random,
                 taken: list[str], index: int) -> tuple[VendorProfile, int | None]:
    if scenario.pool == UNKNOWN:
        known = world.cache.get("known_names")
        if known is None:
            known = world.cache["known_names"] = [plain_name(p.name) for p in world.partners]
        # Names share trade words ("Medical Supplies"), so most inventions resemble someone: about one in
        # twelve passes with 200 vendors. Enough tries make a failure vanishingly rare; the same seed still
        # takes the same path, so output stays byte-identical.
        for _ in range(2000):
            stranger = make_profile(-(index + 1), r, taken)
            if unlike_any(stranger.name, known):
                return stranger, None
        raise ConfigurationError("could not invent a vendor name unlike every known one; lower --vendors")
    if scenario.name not in fitting:
        fitting[scenario.name] = [v for v in pools[scenario.pool] if scenario.fits(world, v)]
    candidates = fitting[scenario.name]
    if scenario.pool == SINGLE:
        candidates = [v for v in candidates if v.key not in singles_used]
    if not candidates:
        raise ConfigurationError(f"no vendor can carry scenario {scenario.name}; raise --vendors")
    vendor = r.choice(candidates)
    twin = world.cache.get("twins", {}).get(vendor.key) if scenario.pool == TWINS else None
    return vendor, twin


def _build_instance(world: World, scenario: Scenario, index: int, seed: int, pools: dict[str, list[VendorProfile]],
                    fitting: dict[str, list[VendorProfile]], singles_used: set[int],
                    registry: set[tuple[int, str, Decimal]], taken: list[str],
                    profiles: dict[int, VendorProfile]) -> Built:
    for attempt in range(_ATTEMPTS):
        r = rng(seed, "scenario", index, attempt)
        vendor, twin = _pick_vendor(world, scenario, pools, fitting, singles_used, r, taken, index)
        mark = world.savepoint()
        bills_before = len(world.bills)
        built = scenario.build(Context(world, r, vendor, f"SYN-{index + 1:05d}", seed, twin_id=twin))
        doc_key = (vendor.key, built.doc.currency, built.doc.amounts[2])
        bill_keys = [(b.partner_id, world.currency(b.currency_id).name, b.amount_total)
                     for b in world.bills[bills_before:]]
        # Only a duplicate scenario's own bill may share the invoice's total; nothing may share one
        # already taken by another invoice or a recent bill.
        own = [k for k in bill_keys if k == doc_key]
        clash = (doc_key in registry or bool(set(bill_keys) & registry) or len(set(bill_keys)) < len(bill_keys)
                 or (bool(own) and not built.expected.allow_same_total))
        if not clash:
            registry.add(doc_key)
            registry.update(bill_keys)
            if scenario.pool == SINGLE:
                singles_used.add(vendor.key)
            if vendor.key < 0:
                profiles[vendor.key] = vendor
            return built
        world.rollback(mark)
    raise RuntimeError(f"scenario {scenario.name} could not be built without an accidental duplicate total")


def _name_ghost_orders(world: World, invoices: list[GeneratedInvoice]) -> None:
    """PO numbers that must not exist: well above the highest real one."""
    top = len(world.orders)
    ghosts = 0
    for invoice in invoices:
        for mention in invoice.doc.po_mentions:
            if mention.style == "ghost" and mention.literal is None:
                ghosts += 1
                mention.literal = f"P{top + 1000 + 37 * ghosts:05d}"
