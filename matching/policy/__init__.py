"""The tolerance policy: what the checks accept, for whom, and how invoices are routed."""

from matching.policy.load import default_policy, load_policy, parse_policy
from matching.policy.lookup import RuleScope, rule_for
from matching.policy.model import CheckRule, Policy, Side

__all__ = ["CheckRule", "Policy", "RuleScope", "Side", "default_policy", "load_policy", "parse_policy",
           "rule_for"]
