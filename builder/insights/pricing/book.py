"""Load the price catalog (prices.json) and check every entry's shape at load time.

Prices are AWS public on-demand list prices carried over from the collected catalog
(see docs/cost.md), each with its unit, source and date; `refresh_prices` rebuilds
them from the AWS Price List API. The app never calls the Pricing API at request time.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PRICES_PATH = Path(__file__).parent / "prices.json"


class PriceCatalogError(Exception):
    """The price data is malformed or lacks a price the engine needs; raised at load."""


@dataclass(frozen=True)
class Price:
    """One figure: a price per `unit`, a free-tier `quantity`, or an explicit gap."""

    region: str
    service: str
    key: str
    unit: str
    source: str
    as_of: str
    price: float | None = None
    quantity: float | None = None
    missing: str | None = None  # why there is no figure, when there is none

    @property
    def ref(self) -> str:
        return f"{self.service}.{self.key}"


@dataclass(frozen=True)
class PriceBook:
    currency: str
    collected: str
    hours_per_month: float
    regions: tuple[str, ...]
    # Services priced the same everywhere, looked up in the region named here.
    global_services: dict[str, str]
    entries: dict[tuple[str, str, str], Price]
    raw: dict[str, Any]

    def region_for(self, region: str, service: str) -> str:
        return self.global_services.get(service, region)

    def get(self, region: str, service: str, key: str) -> Price | None:
        """The entry for `key`, or None when the catalog does not know it in `region`."""
        return self.entries.get((self.region_for(region, service), service, key))


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise PriceCatalogError(message)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0


def _entry(region: str, service: str, key: str, raw: Any) -> Price:
    where = f"price {region}/{service}.{key}"
    _check(isinstance(raw, dict), f"{where}: must be an object")
    for field in ("unit", "source", "as_of"):
        _check(isinstance(raw.get(field), str) and raw[field], f"{where}: {field} is required")
    kinds = [k for k in ("price", "quantity", "missing") if raw.get(k) is not None]
    _check(len(kinds) == 1, f"{where}: needs exactly one of price, quantity or missing")
    if "price" in kinds:
        _check(_number(raw["price"]), f"{where}: price must be a number >= 0")
    if "quantity" in kinds:
        _check(_number(raw["quantity"]), f"{where}: quantity must be a number >= 0")
    return Price(
        region=region,
        service=service,
        key=key,
        unit=raw["unit"],
        source=raw["source"],
        as_of=raw["as_of"],
        price=raw.get("price"),
        quantity=raw.get("quantity"),
        missing=raw.get("missing"),
    )


def parse_price_book(data: dict[str, Any]) -> PriceBook:
    """A PriceBook from the catalog's JSON; raises PriceCatalogError on a bad entry."""
    _check(data.get("currency") == "USD", "prices: currency must be USD")
    _check(_number(data.get("hours_per_month")), "prices: hours_per_month is required")
    regions = data.get("regions")
    _check(isinstance(regions, dict) and regions, "prices: regions is required")
    entries: dict[tuple[str, str, str], Price] = {}
    for region, services in regions.items():
        for service, keys in services.items():
            for key, raw in keys.items():
                entries[(region, service, key)] = _entry(region, service, key, raw)
    global_services = data.get("global_services", {})
    for service, home in global_services.items():
        _check(home in regions, f"prices: global service {service} lives in unknown {home}")
    return PriceBook(
        currency=data["currency"],
        collected=str(data.get("collected", "")),
        hours_per_month=float(data["hours_per_month"]),
        regions=tuple(regions),
        global_services=dict(global_services),
        entries=entries,
        raw=data,
    )


def load_price_book(path: Path = PRICES_PATH) -> PriceBook:
    return parse_price_book(json.loads(path.read_text()))


def dump_price_data(data: dict[str, Any], path: Path = PRICES_PATH) -> None:
    """Write price data the way it is committed: stable order, one key per line.

    Atomically: the text goes to a temporary file beside `path`, which then replaces
    it in one rename, so a reader (or a crash) sees the old file or the new one, never
    half of one.
    """
    text = json.dumps(data, indent=1) + "\n"
    # mkstemp makes the file private (0600); keep the mode of the file it replaces.
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            os.fchmod(out.fileno(), mode)
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
