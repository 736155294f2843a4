"""How many inputs each fuzz test draws: modest in CI, scaled up for a long run.

``PAYABLES_FUZZ_EXAMPLES`` set to N gives every target N inputs and random (not derandomised) draws;
unset, each test draws its CI share with a fixed seed so that CI is repeatable.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_OVERRIDE = os.environ.get("PAYABLES_FUZZ_EXAMPLES")


def budget(ci_examples: int) -> settings:
    examples = int(_OVERRIDE) if _OVERRIDE else ci_examples
    return settings(max_examples=examples, deadline=None, database=None, derandomize=not _OVERRIDE,
                    suppress_health_check=list(HealthCheck), print_blob=True)
