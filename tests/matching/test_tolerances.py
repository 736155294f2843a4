from __future__ import annotations

from decimal import Decimal

from matching.policy.model import CheckRule, Side
from matching.tolerances import evaluate

D = Decimal


def test_the_stricter_of_percent_and_absolute_binds() -> None:
    rule = CheckRule(upper=Side(percent=D(1), absolute=D(10)))
    small = evaluate(rule, D(9), D(500))  # 1% of 500 = 5: exceeded though under 10
    assert small.exceeded and small.limit == D(5) and small.tolerance == "tolerance 1% = 5"
    big = evaluate(rule, D(11), D(5000))  # 1% = 50, but the 10.00 cap binds
    assert big.exceeded and big.limit == D(10)
    assert not evaluate(rule, D(4), D(500)).exceeded


def test_an_off_side_accepts_anything_that_way_and_a_disabled_check_is_not_checked() -> None:
    rule = CheckRule(upper=Side(percent=D(2)))
    assert not evaluate(rule, D(-500), D(100)).exceeded
    off = evaluate(CheckRule(enabled=False, upper=Side(percent=D(0))), D(5), D(100))
    assert not off.exceeded and not off.checked and off.tolerance == "not checked"


def test_zero_tolerance_holds_any_variance_but_the_allowance() -> None:
    rule = CheckRule(upper=Side(percent=D(0)))
    assert evaluate(rule, D("0.001"), D(100)).exceeded
    assert not evaluate(rule, D("0.004"), D(100), allowance=D("0.005")).exceeded


def test_a_value_limit_is_converted_with_the_unit_value() -> None:
    rule = CheckRule(upper=Side(value=D(20)))
    verdict = evaluate(rule, D(6), D(100), unit_value=D("4.00"))  # 6 over at 4.00 = 24 > 20
    assert verdict.exceeded and verdict.limit == D(5)
