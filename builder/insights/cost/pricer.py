"""Turns quantities into line items: price lookup, missing prices, assumptions used."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from builder.insights.cost.assumptions import Assumption
from builder.insights.cost.items import LineItem, Tiers
from builder.insights.cost.price_keys import FIXED, FREE_TIER, family_of
from builder.insights.pricing import Price, PriceBook


@cache
def registered_unit(service: str, key: str) -> str:
    """The unit the engine multiplies by; an unregistered key is a bug in the engine."""
    if (service, key) in FIXED:
        return FIXED[(service, key)]
    family = family_of(service, key)
    if family is None:
        raise KeyError(f"the cost engine asked for unregistered price {service}.{key}")
    return family.unit


class Pricer:
    """Collects the line items of one estimate in one region."""

    def __init__(self, book: PriceBook, region: str):
        self.book = book
        self.region = region
        self.items: list[LineItem] = []
        self.assumptions: dict[str, None] = {}
        self.hours = book.hours_per_month

    def price(self, service: str, key: str, region: str | None = None) -> Price | None:
        registered_unit(service, key)
        entry = self.book.get(region or self.region, service, key)
        return entry if entry is not None and entry.price is not None else None

    def assume(self, assumption: Assumption) -> float:
        self.assumptions.setdefault(assumption.text, None)
        return assumption.value

    def add(
        self,
        node_id: str,
        service: str,
        code: str,
        description: str,
        quantity: float,
        price_ref: tuple[str, str],
        *,
        drivers: tuple[str, ...] = (),
        free: tuple[str, str] | None = None,
        tiers: Callable[[float], Tiers] | None = None,
        curve: Callable[[float], float] | None = None,
        driver_value: float = 0.0,
        curve_linear_up_to: float = 0.0,
        parts: tuple[tuple[tuple[str, ...], float], ...] = (),
        implied: bool = False,
        region: str | None = None,
    ) -> None:
        """Price `quantity` units; `tiers` builds graduated tiers from the first price."""
        price_service, price_key = price_ref
        entry = self.price(price_service, price_key, region)
        where = self.book.region_for(region or self.region, price_service)
        if entry is None:
            unit = registered_unit(price_service, price_key)
            self.items.append(
                LineItem(
                    node_id=node_id,
                    service=service,
                    description=f"{description}: no price for "
                    f"{price_service}.{price_key} in {where}",
                    quantity=quantity,
                    unit=unit,
                    unit_price=None,
                    monthly_cost=None,
                    code=code,
                    price_ref=f"{price_service}.{price_key}",
                    drivers=drivers,
                    missing=f"no price for {price_service}.{price_key} in {where}",
                    implied=implied,
                )
            )
            return
        item = LineItem(
            node_id=node_id,
            service=service,
            description=description,
            quantity=quantity,
            unit=entry.unit,
            unit_price=entry.price,
            monthly_cost=0.0,
            code=code,
            price_ref=entry.ref,
            drivers=drivers,
            free_pool=f"{free[0]}.{free[1]}" if free else None,
            tiers=tiers(entry.price) if tiers else (),
            curve=curve,
            driver_value=driver_value,
            curve_linear_up_to=curve_linear_up_to,
            parts=parts,
            implied=implied,
            source=entry.source,
            as_of=entry.as_of,
        )
        item.monthly_cost = item.cost_for(quantity)
        self.items.append(item)

    def not_charged(
        self, node_id: str, service: str, code: str, description: str, quantity: float, unit: str
    ) -> None:
        """A quantity AWS does not bill (scheduled events), shown so it is not a surprise."""
        self.items.append(
            LineItem(node_id, service, description, quantity, unit, 0.0, 0.0, code, "free")
        )

    def allowances(self) -> dict[str, float]:
        """Free-tier allowances, in the units of the items each one offsets."""
        allowances = {}
        for (service, key), per_unit in FREE_TIER.items():
            entry = self.book.get(self.region, service, key)
            if entry is not None and entry.quantity is not None:
                allowances[f"{service}.{key}"] = entry.quantity / per_unit
        return allowances


def apply_free_tier(items: list[LineItem], allowances: dict[str, float]) -> None:
    """Offset items by the account-wide allowances, in item order, each pool once."""
    left = dict(allowances)
    for item in items:
        if item.free_pool is None or item.unit_price is None:
            continue
        used = min(item.quantity, left.get(item.free_pool, 0.0))
        left[item.free_pool] = left.get(item.free_pool, 0.0) - used
        item.free_quantity = used
        item.monthly_cost = item.cost_for(item.quantity, used)
