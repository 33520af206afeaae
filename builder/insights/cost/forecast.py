"""Twelve-month forecasts: monthly growth per usage key, and low/expected/high scenarios.

Month 1 is the estimate itself. Each later month scales every line item by the growth
of the usage keys it is driven by: an item driven by invocations and duration grows by
both rates. Items with no driver (hours, instance counts, fixed fees) stay flat: hours
run by the month and do not grow, so `hours_per_month` takes no growth rate.

Scenarios bracket the workload the document states:
- low: workload usage at half, growth rates at half;
- expected: usage and growth as given;
- high: workload usage doubled, growth rates one and a half times.
Fixed costs are the same in all three. Free-tier allowances and graduated tiers are
re-applied to each month's quantities, so they are not scaled linearly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from builder.catalog import get_catalog
from builder.insights.cost.items import Estimate, LineItem

MONTHS = 12
WILDCARD = "*"
NOT_GROWING = frozenset({"hours_per_month"})
# Duration is per invocation, not workload: it grows only when asked by name.
NOT_IN_WILDCARD = NOT_GROWING | {"avg_duration_ms"}
MIN_RATE, MAX_RATE = -0.99, 10.0


@dataclass(frozen=True)
class Scenario:
    name: str
    usage_factor: float
    growth_factor: float


SCENARIOS = (
    Scenario("low", 0.5, 0.5),
    Scenario("expected", 1.0, 1.0),
    Scenario("high", 2.0, 1.5),
)


class GrowthInvalid(ValueError):
    """A growth setting is not usable; `field` names it (growth or growth.<key>)."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _rate(field: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise GrowthInvalid(field, "must be a number (0.05 is 5% a month)")
    if not MIN_RATE <= value <= MAX_RATE:
        raise GrowthInvalid(field, f"must be between {MIN_RATE} and {MAX_RATE} a month")
    return float(value)


def parse_growth(value: Any) -> dict[str, float]:
    """Monthly growth rates by usage key ("*" for every workload key) from user input.

    Accepts None, a number (the whole document), or {"*": rate, "<usage key>": rate}.
    """
    if value is None:
        return {}
    if not isinstance(value, dict):
        return {WILDCARD: _rate("growth", value)}
    known = {key for t in get_catalog().types.values() for key in t.usage}
    rates = {}
    for key, rate in value.items():
        field = f"growth.{key}"
        if key != WILDCARD and key not in known:
            raise GrowthInvalid(field, "is not a usage key of any component type")
        if key in NOT_GROWING:
            raise GrowthInvalid(field, "hours run by the month and do not grow")
        rates[key] = _rate(field, rate)
    return rates


def _item_rate_terms(item: LineItem, rates: dict[str, float]) -> tuple[float, ...]:
    default = rates.get(WILDCARD, 0.0)
    return tuple(rates.get(key, 0.0 if key in NOT_IN_WILDCARD else default) for key in item.drivers)


def _needs_each_month(
    item: LineItem,
    terms: tuple[float, ...],
    scenario: Scenario,
    months: int,
    allowances: dict[str, float],
) -> bool:
    """Whether an item's cost is not simply proportional to its drivers over the horizon."""
    if item.tiers or (item.free_pool is not None and item.free_pool in allowances):
        return True
    if item.curve is None:
        return False
    peak = scenario.usage_factor * math.prod(max(1 + r, 1) ** (months - 1) for r in terms)
    return item.driver_value * peak > item.curve_linear_up_to


def forecast(
    est: Estimate,
    growth: dict[str, float] | None = None,
    months: int = MONTHS,
    scenario: Scenario = SCENARIOS[1],
) -> list[float]:
    """Total cost of each month, 1..months, under `scenario` (missing prices excluded)."""
    rates = growth or {}
    flat = 0.0
    # Linear items grouped by their growth terms: a few groups however many nodes.
    groups: dict[tuple[float, ...], float] = {}
    special: list[tuple[LineItem, tuple[float, ...]]] = []
    for item in est.items:
        if item.monthly_cost is None:
            continue
        if not item.drivers:
            flat += item.monthly_cost
            continue
        terms = tuple(r * scenario.growth_factor for r in _item_rate_terms(item, rates))
        if _needs_each_month(item, terms, scenario, months, est.allowances):
            special.append((item, terms))
        else:
            groups[terms] = groups.get(terms, 0.0) + item.monthly_cost * scenario.usage_factor
    totals = []
    for month in range(months):
        total = flat
        for terms, cost in groups.items():
            total += cost * math.prod((1 + r) ** month for r in terms)
        left = dict(est.allowances)
        for item, terms in special:
            factor = scenario.usage_factor * math.prod((1 + r) ** month for r in terms)
            if item.curve is not None:
                quantity = item.curve(item.driver_value * factor)
            else:
                quantity = item.quantity * factor
            free = 0.0
            if item.free_pool is not None and item.free_pool in left:
                free = min(quantity, left[item.free_pool])
                left[item.free_pool] -= free
            total += item.cost_for(quantity, free) or 0.0
        totals.append(total)
    return totals


def scenarios(
    est: Estimate, growth: dict[str, float] | None = None, months: int = MONTHS
) -> dict[str, list[float]]:
    return {s.name: forecast(est, growth, months, s) for s in SCENARIOS}
