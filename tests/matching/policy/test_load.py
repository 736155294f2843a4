"""The policy file: merged over the shipped defaults, validated with the line of each mistake."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from matching.policy import default_policy, load_policy, parse_policy
from models.errors import ConfigurationError


def test_the_shipped_defaults_are_the_agreed_ones() -> None:
    p = default_policy()
    price = p.checks["price"]
    assert price.side("upper") is not None and price.side("upper").percent == Decimal(2)  # type: ignore[union-attr]
    assert price.side("lower") is None
    total = p.checks["amount_total"].side("upper")
    assert total is not None and (total.percent, total.absolute) == (Decimal(1), Decimal("10.00"))
    charges = p.checks["charges"].side("upper")
    assert charges is not None and (charges.percent, charges.absolute) == (Decimal(5), Decimal("100.00"))
    assert p.checks["qty_received"].side("upper").percent == 0  # type: ignore[union-attr]
    assert p.auto_post.amount_limit == Decimal("25000.00")
    assert p.confidence.threshold == 0.80
    assert p.audit.sample_rate == 0.0 and p.anomalies.first_invoice is False


def test_a_file_states_only_what_differs_and_a_side_is_replaced_whole(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text('[checks.price]\nupper = { absolute = 0.05 }\n\n[audit]\nsample_rate = 0.02\n')
    p = load_policy(path)
    upper = p.checks["price"].side("upper")
    assert upper is not None and upper.absolute == Decimal("0.05") and upper.percent is None
    assert p.audit.sample_rate == 0.02
    assert p.checks["qty_ordered"] == default_policy().checks["qty_ordered"]


def test_no_check_and_zero_tolerance_are_different_things() -> None:
    p = parse_policy("[checks.price]\nenabled = false\n\n[checks.qty_ordered]\nupper = { percent = 0 }\n", "p.toml")
    assert p.checks["price"].enabled is False
    assert p.checks["qty_ordered"].enabled and p.checks["qty_ordered"].side("upper").percent == 0  # type: ignore[union-attr]


def test_mistakes_are_reported_with_their_line_numbers() -> None:
    text = ('[checks.price]\nupper = { percent = -2 }\n\n[checks.qty_ordered]\nupper = {}\n\n'
            '[[rules]]\ncheck = "prize"\nvendor = 5\n\n[auto_post]\namount_limit = "lots"\n')
    with pytest.raises(ConfigurationError) as err:
        parse_policy(text, "policy.toml")
    message = str(err.value)
    assert "policy.toml line 2: checks.price.upper.percent: Input should be greater than or equal to 0" in message
    assert "policy.toml line 5: checks.qty_ordered.upper" in message and 'write "off"' in message
    assert "policy.toml line 8: rules.0.check" in message and "unknown check 'prize'" in message
    assert "policy.toml line 12: auto_post.amount_limit: Input should be a valid decimal" in message


def test_a_toml_syntax_error_names_its_line() -> None:
    with pytest.raises(ConfigurationError, match="line 2"):
        parse_policy("[checks.price]\nupper = {percent = \n", "broken.toml")


def test_yaml_works_the_same_way_and_bare_off_means_off() -> None:
    p = parse_policy("checks:\n  price:\n    upper: {percent: 2.5}\n    lower: off\n", "p.yaml")
    assert p.checks["price"].side("upper").percent == Decimal("2.5")  # type: ignore[union-attr]
    assert p.checks["price"].side("lower") is None
    with pytest.raises(ConfigurationError, match=r"p.yaml line 3: checks.price.upper"):
        parse_policy("checks:\n  price:\n    upper: {}\n", "p.yaml")


def test_two_rules_for_the_same_check_and_scope_are_refused() -> None:
    text = ('[[rules]]\ncheck = "price"\nvendor = 5\nupper = { percent = 5 }\n\n'
            '[[rules]]\ncheck = "price"\nvendor = 5\nupper = { percent = 9 }\n')
    same = "line 6: this rule for 'price' has the same scope as the rule at line 1"
    with pytest.raises(ConfigurationError, match=same):
        parse_policy(text, "p.toml")


def test_an_unreadable_policy_file_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="cannot read the tolerance policy"):
        load_policy(tmp_path / "missing.toml")


def test_a_policy_file_that_is_not_utf8_is_a_configuration_error(tmp_path: Path) -> None:
    from matching.policy import load_policy

    path = tmp_path / "policy.toml"
    path.write_bytes(b"\xff\xfe[checks.price]\nupper = { percent = 5 }\n")
    with pytest.raises(ConfigurationError):
        load_policy(path)


def test_the_policy_file_may_carry_the_posting_table_its_documentation_shows() -> None:
    from matching.policy import parse_policy

    parse_policy("[posting]\npost = true\nrequest_limit_s = 150\n", "policy.toml")
