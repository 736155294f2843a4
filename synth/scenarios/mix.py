"""From a mix of shares to a list of scenario names, one per invoice, in a seeded random order."""

from __future__ import annotations

import random
from collections.abc import Iterable

from synth.scenarios import GROUPS, SCENARIOS, Scenario


def _largest_remainder(total: int, weights: dict[str, float]) -> dict[str, int]:
    norm = sum(weights.values())
    if total <= 0 or norm <= 0:
        return dict.fromkeys(weights, 0)
    exact = {k: total * w / norm for k, w in weights.items()}
    counts = {k: int(v) for k, v in exact.items()}
    left = total - sum(counts.values())
    for k in sorted(exact, key=lambda k: (-(exact[k] - counts[k]), k))[:left]:
        counts[k] += 1
    return counts


def available(renderings: Iterable[str]) -> list[Scenario]:
    """Scenarios the chosen renderings can carry (the e-invoice mismatch needs the e-invoice)."""
    chosen = set(renderings)
    out = []
    for scenario in SCENARIOS.values():
        usable = (scenario.only or chosen) & chosen
        usable -= scenario.excludes
        if usable:
            out.append(scenario)
    return out


def plan(invoices: int, mix: dict[str, float], renderings: Iterable[str], rng: random.Random,
         each: int | None = None) -> list[str]:
    scenarios = available(renderings)
    if each:
        names = [s.name for s in scenarios for _ in range(each)]
    else:
        group_counts = _largest_remainder(invoices, {g: mix.get(g, 0.0) for g in GROUPS})
        names = []
        for group in GROUPS:
            members = [s.name for s in scenarios if s.group == group]
            if not members:
                continue
            named = {n: mix[n] for n in members if n in mix}
            rest = [n for n in members if n not in named]
            named_total = sum(named.values())
            group_share = mix.get(group, 0.0)
            weights = dict(named)
            for n in rest:
                weights[n] = max(group_share - named_total, 0.0) / len(rest) if group_share else 0.0
            if sum(weights.values()) <= 0:
                weights = dict.fromkeys(members, 1.0)
            counts = _largest_remainder(group_counts[group], weights)
            names.extend(n for n in members for _ in range(counts[n]))
    rng.shuffle(names)
    return names
