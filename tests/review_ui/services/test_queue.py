"""The queue's filters, sorting, paging, counts by hold code and SLA badges, in the database."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from models.base import utcnow
from models.db import transaction
from review_ui.services.queue import QueueFilter, load_queue, next_document, sites_and_companies, sla_state
from review_ui.sites import EVERY_SITE, SiteScope
from tests.review_ui.conftest import World
from tests.review_ui.factories import BANK_HOLD, PRICE_HOLD, InvoiceSpec, make_invoice


def _fill(world: World) -> dict[str, int]:
    now = utcnow()
    ids = {}
    with transaction(world.rt.sessions) as db:
        alice = world.users["alice"].id
        specs = [
            ("old-price", InvoiceSpec(number="Q-1", vendor="Alpha Surgical AB"), [PRICE_HOLD], 9, None, "HAM", None),
            ("bank", InvoiceSpec(number="Q-2", vendor="Beta Pharma SA",
                                 lines=(("Vaccine", "100", "95.00", "9500.00"),)), [BANK_HOLD], 3, alice, "BER",
             timedelta(hours=-1)),
            ("both", InvoiceSpec(number="Q-3", vendor="Gamma Labs"), [PRICE_HOLD, BANK_HOLD], 1, None, "BER",
             timedelta(hours=4)),
            ("clean", InvoiceSpec(number="Q-4", vendor="alpha medical"), [], 0, None, "MUC", timedelta(days=3)),
        ]
        for key, spec, holds, days, assignee, site, due in specs:
            made = make_invoice(db, world.rt.store, spec, holds=holds, received_at=now - timedelta(days=days, hours=1),
                                assignee=assignee, site=site, due_in=None)
            assert made.task is not None
            made.task.due_at = now + due if due is not None else None
            ids[key] = made.document.id
    return ids


def _ids(world: World, scope: SiteScope = EVERY_SITE, **params: str) -> list[int]:
    with world.db() as db:
        page = load_queue(db, QueueFilter.from_params(params), user_id=world.users["alice"].id, scope=scope,
                          now=utcnow(), warning=timedelta(hours=8))
    return [r.document_id for r in page.rows]


def test_filters_each_narrow_the_queue(world: World) -> None:
    ids = _fill(world)
    assert _ids(world) == [ids["old-price"], ids["bank"], ids["both"], ids["clean"]]
    assert _ids(world, hold="PRICE_VARIANCE") == [ids["old-price"], ids["both"]]
    assert _ids(world, vendor="ALPHA") == [ids["old-price"], ids["clean"]]
    assert _ids(world, site="BER") == [ids["bank"], ids["both"]]
    assert _ids(world, amount_min="1000") == [ids["bank"]]
    assert _ids(world, amount_max="224.91") == [ids["old-price"], ids["both"], ids["clean"]]
    assert _ids(world, age_min="2") == [ids["old-price"], ids["bank"]]
    assert _ids(world, age_max="1") == [ids["both"], ids["clean"]]
    assert _ids(world, sla="overdue") == [ids["bank"]]
    assert _ids(world, sla="due") == [ids["both"]]
    assert _ids(world, assignee="me") == [ids["bank"]]
    assert _ids(world, assignee="none", site="BER") == [ids["both"]]
    assert _ids(world, assignee="alice") == [ids["bank"]]


def test_sorting_and_nonsense_parameters(world: World) -> None:
    ids = _fill(world)
    assert _ids(world, sort="amount_desc")[0] == ids["bank"]
    assert _ids(world, sort="newest")[0] == ids["clean"]
    assert _ids(world, sort="due")[:2] == [ids["bank"], ids["both"]]
    assert _ids(world, sort="vendor") == [ids["clean"], ids["old-price"], ids["bank"], ids["both"]]
    # Unknown values are ignored, not errors: a stale bookmark still opens.
    assert len(_ids(world, sort="drop table", sla="soon", amount_min="1e999x", page="-3")) == 4


def test_counts_by_hold_code_and_paging(world: World) -> None:
    _fill(world)
    with world.db() as db:
        page = load_queue(db, QueueFilter.from_params({"page": "2"}), user_id=1, scope=EVERY_SITE, now=utcnow(),
                          warning=timedelta(hours=8), per_page=3)
    assert dict(page.counts_by_hold) == {"PRICE_VARIANCE": 2, "BANK_DETAILS_CHANGED": 2}
    assert (page.total, page.pages, page.filter.page, len(page.rows)) == (4, 2, 2, 1)
    assert page.rows[0].holds == []


def test_next_item_is_the_oldest_one_i_can_work_on(world: World) -> None:
    ids = _fill(world)
    with world.db() as db:
        bob, alice = world.users["bob"].id, world.users["alice"].id
        assert next_document(db, user_id=bob, scope=EVERY_SITE) == ids["old-price"]
        assert next_document(db, user_id=bob, scope=EVERY_SITE, after=ids["old-price"]) == ids["both"]
        assert next_document(db, user_id=alice, scope=EVERY_SITE, after=ids["old-price"]) == ids["bank"]


BERLIN, MUNICH = SiteScope(frozenset({"BER"})), SiteScope(frozenset({"MUC", "BER"}))


def _unknown_site(world: World) -> int:
    """An item whose site matching has not found (yet): the oldest of all, with a price hold."""
    with transaction(world.rt.sessions) as db:
        made = make_invoice(db, world.rt.store, InvoiceSpec(number="Q-9", vendor="Omega Unknown"), holds=[PRICE_HOLD],
                            received_at=utcnow() - timedelta(days=20), site=None)
        return made.document.id


def test_a_clinics_queue_holds_its_sites_items_only(world: World) -> None:
    ids = _fill(world)
    unknown = _unknown_site(world)
    # The central team (every site) works the item whose site is unknown; no clinic sees it.
    assert _ids(world) == [unknown, ids["old-price"], ids["bank"], ids["both"], ids["clean"]]
    assert _ids(world, BERLIN) == [ids["bank"], ids["both"]]
    assert _ids(world, MUNICH) == [ids["bank"], ids["both"], ids["clean"]]
    assert _ids(world, SiteScope(frozenset())) == []
    # Filters narrow within the scope; they never widen it.
    assert _ids(world, BERLIN, site="HAM") == [] and _ids(world, BERLIN, vendor="alpha") == []
    assert _ids(world, MUNICH, hold="PRICE_VARIANCE") == [ids["both"]]


def test_counts_by_hold_code_and_paging_are_over_the_users_sites(world: World) -> None:
    _fill(world)
    _unknown_site(world)
    with world.db() as db:
        group = load_queue(db, QueueFilter(), user_id=1, scope=EVERY_SITE, now=utcnow(),
                           warning=timedelta(hours=8), per_page=2)
        berlin = load_queue(db, QueueFilter(page=2), user_id=1, scope=BERLIN, now=utcnow(),
                            warning=timedelta(hours=8), per_page=1)
        hamburg = load_queue(db, QueueFilter(), user_id=1, scope=SiteScope(frozenset({"HAM"})), now=utcnow(),
                             warning=timedelta(hours=8))
        options = {scope: sites_and_companies(db, scope)[0] for scope in (EVERY_SITE, BERLIN, MUNICH)}
    assert dict(group.counts_by_hold) == {"PRICE_VARIANCE": 3, "BANK_DETAILS_CHANGED": 2}
    assert (group.total, group.pages) == (5, 3)
    assert dict(berlin.counts_by_hold) == {"BANK_DETAILS_CHANGED": 2, "PRICE_VARIANCE": 1}
    assert (berlin.total, berlin.pages, berlin.filter.page, [r.invoice_number for r in berlin.rows]) == \
        (2, 2, 2, ["Q-3"])
    assert dict(hamburg.counts_by_hold) == {"PRICE_VARIANCE": 1} and hamburg.total == 1
    assert options == {EVERY_SITE: ["BER", "HAM", "MUC"], BERLIN: ["BER"], MUNICH: ["BER", "MUC"]}


def test_next_item_stays_within_the_users_sites(world: World) -> None:
    ids = _fill(world)
    unknown = _unknown_site(world)
    with world.db() as db:
        bob = world.users["bob"].id
        assert next_document(db, user_id=bob, scope=EVERY_SITE) == unknown
        # The oldest item overall is of no known site and the next is Hamburg's: a Berlin clerk skips both
        # (and alice's Berlin item), and when Berlin's queue is done, there is no next one.
        assert next_document(db, user_id=bob, scope=BERLIN) == ids["both"]
        assert next_document(db, user_id=bob, scope=BERLIN, after=ids["both"]) is None
        assert next_document(db, user_id=world.users["alice"].id, scope=BERLIN) == ids["bank"]
        assert next_document(db, user_id=bob, scope=SiteScope(frozenset())) is None


def test_sla_badges() -> None:
    now = utcnow()
    assert sla_state(None, now, timedelta(hours=8)) is None
    assert sla_state(now - timedelta(seconds=1), now, timedelta(hours=8)) == "overdue"
    assert sla_state(now + timedelta(hours=7), now, timedelta(hours=8)) == "due"
    assert sla_state(now + timedelta(hours=9), now, timedelta(hours=8)) == "ok"


def test_the_filter_round_trips_through_its_query_string() -> None:
    f = QueueFilter.from_params({"hold": "price_variance", "amount_min": "10,5", "assignee": "me", "sort": "due"})
    assert f.hold == "PRICE_VARIANCE" and f.amount_min == Decimal("10.5")
    assert QueueFilter.from_params(dict(p.split("=") for p in f.query().split("&"))) == f
