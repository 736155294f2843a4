"""Which rule applies: the most specific scoped rule that matches, else the check's default."""

from __future__ import annotations

from dataclasses import dataclass

from matching.policy.model import CheckRule, Policy


@dataclass(frozen=True)
class RuleScope:
    company: int | None = None
    vendor: int | None = None
    category: str | None = None
    kind: str | None = None  # goods | services


def rule_for(policy: Policy, check: str, scope: RuleScope) -> CheckRule:
    best: CheckRule | None = None
    best_specificity = -1
    category = scope.category.casefold() if scope.category else None
    for rule in policy.rules:
        if rule.check != check:
            continue
        if rule.company is not None and rule.company != scope.company:
            continue
        if rule.vendor is not None and rule.vendor != scope.vendor:
            continue
        if rule.category is not None and rule.category.casefold() != category:
            continue
        if rule.kind is not None and rule.kind != scope.kind:
            continue
        if rule.specificity > best_specificity:
            best, best_specificity = rule, rule.specificity
    return best if best is not None else policy.checks[check]
