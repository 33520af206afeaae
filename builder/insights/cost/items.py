"""What an estimate is made of: line items tied to nodes, and the estimate itself."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# (upper bound of the tier in units, or None for the last tier; price per unit)
Tiers = tuple[tuple[float | None, float], ...]


def tiered_cost(quantity: float, tiers: Tiers) -> float:
    """Cost of the first `quantity` units under graduated tiers."""
    cost, floor = 0.0, 0.0
    for upper, price in tiers:
        top = quantity if upper is None else min(quantity, upper)
        if top > floor:
            cost += (top - floor) * price
        if upper is None or quantity <= upper:
            break
        floor = upper
    return cost


@dataclass
class LineItem:
    """One priced quantity of one node: `quantity` units of `unit` at `unit_price`.

    `monthly_cost` is None when the catalog has no price for it in the region; such an
    item carries `missing` and is left out of totals, never counted as zero.
    """

    node_id: str
    service: str
    description: str
    quantity: float
    unit: str
    unit_price: float | None
    monthly_cost: float | None
    code: str  # stable within the node, so diffs can pair items across versions
    price_ref: str  # service.key in the price catalog
    # Usage keys the quantity is proportional to; growth and scenarios scale these.
    drivers: tuple[str, ...] = ()
    free_pool: str | None = None  # price ref of the free-tier allowance that offsets it
    free_quantity: float = 0.0  # units the allowance covered
    tiers: Tiers = ()
    # For a quantity not proportional to its drivers (sampling): quantity from the
    # product of driver values, and that product for this estimate.
    curve: Callable[[float], float] | None = field(default=None, repr=False, compare=False)
    driver_value: float = 0.0
    # The curve is proportional up to this driver value, so forecasts below it are linear.
    curve_linear_up_to: float = 0.0
    # For a quantity that is the largest of several (ALB LCU dimensions): each part's
    # usage keys and quantity. Keys can grow at different rates, so forecasts take the
    # largest again every month; `drivers` are the largest part's.
    parts: tuple[tuple[tuple[str, ...], float], ...] = ()
    missing: str | None = None
    implied: bool = False  # added by what the model implies rather than a drawn node
    source: str | None = None
    as_of: str | None = None

    def cost_for(self, quantity: float, free_quantity: float = 0.0) -> float | None:
        if self.unit_price is None:
            return None
        if self.tiers:
            return tiered_cost(quantity, self.tiers) - tiered_cost(free_quantity, self.tiers)
        return (quantity - free_quantity) * self.unit_price


@dataclass(frozen=True)
class NodeInfo:
    label: str
    type: str


@dataclass
class Estimate:
    region: str
    currency: str
    free_tier: bool
    items: list[LineItem]
    nodes: dict[str, NodeInfo]
    # Free-tier allowance of each pool, in the units of the items it offsets.
    allowances: dict[str, float]
    assumptions: list[str]
    prices_collected: str

    @property
    def monthly_total(self) -> float:
        return sum(i.monthly_cost for i in self.items if i.monthly_cost is not None)

    @property
    def missing(self) -> list[LineItem]:
        return [i for i in self.items if i.missing]

    def by_node(self) -> dict[str, float]:
        totals = dict.fromkeys(self.nodes, 0.0)
        for item in self.items:
            if item.monthly_cost is not None:
                totals[item.node_id] += item.monthly_cost
        return totals

    def by_service(self) -> dict[str, float]:
        totals: dict[str, float] = {}
        for item in self.items:
            if item.monthly_cost is not None:
                totals[item.service] = totals.get(item.service, 0.0) + item.monthly_cost
        return dict(sorted(totals.items(), key=lambda kv: -kv[1]))
