"""What to generate: world size, seed, scenario mix, renderings, the world's "today"."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date

from models.errors import ConfigurationError
from synth.scenarios import GROUPS, SCENARIOS

RENDERINGS = ("pdf", "scan", "einvoice", "email")
DEFAULT_MIX = {"clean": 0.6, "noisy": 0.1, "exception": 0.3}
# A fixed date, not the clock: the same seed must give the same bytes on any day.
DEFAULT_TODAY = date(2025, 6, 30)


@dataclass(frozen=True)
class SynthConfig:
    vendors: int = 200
    invoices: int = 1000
    seed: int = 7
    mix: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_MIX))
    each: int | None = None  # exactly this many invoices of every scenario (overrides invoices and mix)
    renderings: tuple[str, ...] = RENDERINGS
    today: date = DEFAULT_TODAY
    jobs: int = field(default_factory=lambda: max(1, os.cpu_count() or 1))

    def __post_init__(self) -> None:
        if self.vendors < 10:
            raise ConfigurationError("--vendors must be at least 10: the scenarios need vendors kept apart")
        if self.invoices < 1 and not self.each:
            raise ConfigurationError("--invoices must be at least 1")
        unknown = [r for r in self.renderings if r not in RENDERINGS]
        if unknown or not self.renderings:
            raise ConfigurationError(f"unknown rendering(s) {', '.join(unknown) or '(none given)'}; "
                                     f"choose from {', '.join(RENDERINGS)}")


def parse_mix(text: str | None) -> dict[str, float]:
    """``clean=0.7`` or ``clean=0.6,noisy=0.1,price_variance=0.05``: group or scenario weights.

    Groups not named share what is left in proportion to their defaults; named scenarios take their
    share out of their group's.
    """
    if not text:
        return dict(DEFAULT_MIX)
    given: dict[str, float] = {}
    for part in text.split(","):
        name, sep, value = part.partition("=")
        name = name.strip()
        if not sep or name not in (*GROUPS, *SCENARIOS):
            raise ConfigurationError(f"--mix entry {part!r} is not NAME=SHARE with NAME a group "
                                     f"({', '.join(GROUPS)}) or a scenario name")
        try:
            share = float(value)
        except ValueError as exc:
            raise ConfigurationError(f"--mix share {value!r} for {name} is not a number") from exc
        if not 0 <= share <= 1:
            raise ConfigurationError(f"--mix share for {name} must lie between 0 and 1, not {share}")
        given[name] = share
    groups = {g: given[g] for g in GROUPS if g in given}
    scenario_shares = {n: s for n, s in given.items() if n in SCENARIOS}
    # A scenario's share is of all invoices: it counts towards its group, taken out of the group's share
    # when the group is given, added to the group's default portion of the rest when it is not.
    extra = {g: sum(s for n, s in scenario_shares.items() if SCENARIOS[n].group == g and g not in groups)
             for g in GROUPS}
    fixed = sum(groups.values()) + sum(extra.values())
    if fixed > 1 + 1e-9:
        raise ConfigurationError(f"--mix shares add up to {fixed:.2f}, more than 1")
    for g, share in groups.items():
        named = sum(s for n, s in scenario_shares.items() if SCENARIOS[n].group == g)
        if named > share + 1e-9:
            raise ConfigurationError(f"--mix gives {g}'s scenarios {named:.2f}, more than {g}'s own {share:.2f}")
    rest = [g for g in GROUPS if g not in groups]
    weight = sum(DEFAULT_MIX[g] for g in rest)
    mix: dict[str, float] = dict(groups)
    for g in rest:
        mix[g] = (1 - fixed) * DEFAULT_MIX[g] / weight + extra[g]
    mix.update(scenario_shares)
    return mix
