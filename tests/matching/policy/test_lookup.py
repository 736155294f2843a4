from __future__ import annotations

from decimal import Decimal

from matching.policy import RuleScope, parse_policy, rule_for

POLICY = parse_policy("""
[[rules]]
check = "price"
company = 1
upper = { percent = 3 }

[[rules]]
check = "price"
kind = "services"
upper = { percent = 10 }

[[rules]]
check = "price"
category = "Pharmaceuticals"
upper = { percent = 0 }

[[rules]]
check = "price"
vendor = 42
upper = { percent = 5 }
""", "scoped.toml")


def _upper(scope: RuleScope) -> Decimal | None:
    side = rule_for(POLICY, "price", scope).side("upper")
    return side.percent if side else None


def test_the_most_specific_rule_wins() -> None:
    assert _upper(RuleScope()) == Decimal(2)  # the default
    assert _upper(RuleScope(company=1)) == Decimal(3)
    assert _upper(RuleScope(company=1, kind="services")) == Decimal(10)
    assert _upper(RuleScope(company=1, kind="services", category="pharmaceuticals")) == Decimal(0)
    assert _upper(RuleScope(company=1, kind="goods", category="Pharmaceuticals", vendor=42)) == Decimal(5)


def test_a_rule_for_another_scope_does_not_apply() -> None:
    assert _upper(RuleScope(company=2, vendor=41)) == Decimal(2)
