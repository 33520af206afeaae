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
re-applied to each month's quantities, so they are not scaled linearly. An item billed
on the largest of several quantities (ALB LCUs) takes the largest again each month, as
its usage keys may grow at different rates.
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


def _terms(drivers: tuple[str, ...], rates: dict[str, float], factor: float) -> tuple[float, ...]:
    default = rates.get(WILDCARD, 0.0)
    return tuple(
        factor * rates.get(key, 0.0 if key in NOT_IN_WILDCARD else default) for key in drivers
    )


def _growth(terms: tuple[float, ...], month: int) -> float:
    return math.prod((1 + r) ** month for r in terms)


@dataclass
class _Plan:
    """An estimate sorted for forecasting, once for every scenario.

    Items proportional to their drivers are summed per driver set (a few sums however
    many nodes); items under a free-tier allowance, graduated tiers or a curve that
    leaves its proportional range are recomputed each month.
    """

    flat: float
    groups: dict[tuple[str, ...], float]
    special: list[LineItem]


def _proportional(item: LineItem, est: Estimate, rates: dict[str, float], months: int) -> bool:
    """Whether the item's cost stays proportional to its drivers in every scenario."""
    if (
        item.tiers
        or item.parts
        or (item.free_pool is not None and item.free_pool in est.allowances)
    ):
        return False
    if item.curve is None:
        return True
    widest = SCENARIOS[-1]
    # The largest factor over the horizon: growing terms at the end, shrinking at the start.
    terms = tuple(max(r, 0.0) for r in _terms(item.drivers, rates, widest.growth_factor))
    peak = item.driver_value * widest.usage_factor * _growth(terms, months - 1)
    return peak <= item.curve_linear_up_to


def _plan(est: Estimate, rates: dict[str, float], months: int) -> _Plan:
    flat, groups, special = 0.0, {}, []
    for item in est.items:
        if item.monthly_cost is None:
            continue
        if not item.drivers:
            flat += item.monthly_cost
        elif not _proportional(item, est, rates, months):
            special.append(item)
        else:
            groups[item.drivers] = groups.get(item.drivers, 0.0) + item.monthly_cost
    return _Plan(flat, groups, special)


def _run(
    plan: _Plan, est: Estimate, rates: dict[str, float], months: int, scenario: Scenario
) -> list[float]:
    groups = [
        (_terms(drivers, rates, scenario.growth_factor), cost * scenario.usage_factor)
        for drivers, cost in plan.groups.items()
    ]
    special = [
        (
            item,
            _terms(item.drivers, rates, scenario.growth_factor),
            [(_terms(keys, rates, scenario.growth_factor), q) for keys, q in item.parts],
        )
        for item in plan.special
    ]
    totals = []
    for month in range(months):
        total = plan.flat + sum(cost * _growth(terms, month) for terms, cost in groups)
        left = dict(est.allowances)
        for item, terms, parts in special:
            factor = scenario.usage_factor * _growth(terms, month)
            if parts:
                quantity = scenario.usage_factor * max(
                    q * _growth(part_terms, month) for part_terms, q in parts
                )
            elif item.curve is not None:
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


def forecast(
    est: Estimate,
    growth: dict[str, float] | None = None,
    months: int = MONTHS,
    scenario: Scenario = SCENARIOS[1],
) -> list[float]:
    """Total cost of each month, 1..months, under `scenario` (missing prices excluded)."""
    rates = growth or {}
    return _run(_plan(est, rates, months), est, rates, months, scenario)


def scenarios(
    est: Estimate, growth: dict[str, float] | None = None, months: int = MONTHS
) -> dict[str, list[float]]:
    """The forecast of each scenario, by name (low, expected, high)."""
    rates = growth or {}
    plan = _plan(est, rates, months)
    return {s.name: _run(plan, est, rates, months, s) for s in SCENARIOS}
