"""Rebuild the price data from the AWS Price List API (boto3 `pricing` client).

Pure of Django: `refresh(data, client)` takes the committed price data and a client
(`boto3.client("pricing", region_name="us-east-1")`; the API answers only from
us-east-1 and ap-south-1), asks one `get_products` query per price key that has one
(queries.py), following `NextToken` to the last page, and returns new data plus a
report. Keys without a query, queries that find nothing, and queries whose products
disagree on the price keep their collected figure and are listed in the report. The
input is never modified: a failure half-way leaves nothing half-refreshed.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any

from builder.insights.pricing.queries import Query, query_for

SOURCE = "AWS Price List API"


class PriceListError(Exception):
    """An answer of the Price List API that cannot be read as a price."""


@dataclass
class RefreshReport:
    updated: list[str] = field(default_factory=list)  # "region service.key old -> new"
    unchanged: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)  # "region service.key: a, b (skus)"
    no_query: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Quote:
    """The first paid on-demand tier of one product, in the API's unit."""

    price: float
    sku: str
    effective: str


def _first_paid(product: dict[str, Any], api_unit: str) -> Quote | None:
    """The product's list price: its lowest paid range in `api_unit`, on demand only.

    Free tiers show as a zero-priced first range, so the list price is the first range
    with a price; reserved and savings terms are other offers and are not read.
    """
    sku = product.get("product", {}).get("sku", "")
    ranges = []
    for term in product.get("terms", {}).get("OnDemand", {}).values():
        for dim in term.get("priceDimensions", {}).values():
            usd = dim.get("pricePerUnit", {}).get("USD")
            if dim.get("unit") != api_unit or usd is None:
                continue
            try:
                begin, price = float(dim.get("beginRange", "0")), float(usd)
            except ValueError:
                raise PriceListError(f"sku {sku}: unreadable price {usd!r}") from None
            if price > 0:
                ranges.append((begin, price, term.get("effectiveDate", "")[:10]))
    if not ranges:
        return None
    _, price, effective = min(ranges)
    return Quote(price, sku, effective)


def fetch(client: Any, query: Query) -> list[Quote]:
    """One quote per product matching `query`, over every page of the answer."""
    kwargs: dict[str, Any] = {
        "ServiceCode": query.service_code,
        "Filters": query.api_filters(),
        "FormatVersion": "aws_v1",
        "MaxResults": 100,
    }
    quotes = []
    while True:
        page = client.get_products(**kwargs)
        for raw in page.get("PriceList", []):
            try:
                product = json.loads(raw)
            except (TypeError, json.JSONDecodeError) as exc:
                raise PriceListError(
                    f"{query.service_code}: a product is not JSON: {exc}"
                ) from None
            quote = _first_paid(product, query.api_unit)
            if quote is not None:
                quotes.append(quote)
        token = page.get("NextToken")
        if not token:
            return quotes
        kwargs["NextToken"] = token


def _describe(query: Query, quote: Quote) -> str:
    filters = ", ".join(f"{f}={v}" for f, v in query.filters)
    usage = f", usagetype contains {query.usage}" if query.usage else ""
    return (
        f"{SOURCE}: get_products ServiceCode={query.service_code} ({filters}{usage}), "
        f"sku {quote.sku}"
    )


def refresh(
    data: dict[str, Any],
    client: Any,
    today: str,
    regions: tuple[str, ...] | None = None,
) -> tuple[dict[str, Any], RefreshReport]:
    """New price data with every key that has a query re-read from the Price List API.

    `as_of` is the term's effective date, or `today` when the API gives none. Raises
    PriceListError on an answer that is not a price list, and lets the client's own
    errors through; either way `data` is untouched.
    """
    new = copy.deepcopy(data)
    report = RefreshReport()
    new["collected"] = today
    for region, services in new["regions"].items():
        if regions and region not in regions:
            continue
        for service, keys in services.items():
            for key, entry in keys.items():
                name = f"{region} {service}.{key}"
                if "quantity" in entry:
                    continue
                query = query_for(region, service, key)
                if query is None:
                    report.no_query.append(name)
                    continue
                quotes = fetch(client, query)
                if not quotes:
                    report.not_found.append(name)
                    continue
                # Products that disagree mean the filters are too loose: pick none.
                prices = sorted({q.price for q in quotes})
                if len(prices) > 1:
                    skus = ", ".join(sorted(q.sku for q in quotes))
                    report.ambiguous.append(f"{name}: {', '.join(map(str, prices))} ({skus})")
                    continue
                quote = quotes[0]
                price = round(quote.price * query.scale, 10)
                old = entry.get("price")
                if old == price:
                    report.unchanged.append(name)
                else:
                    report.updated.append(f"{name} {old} -> {price}")
                entry.pop("missing", None)
                entry.pop("derivation", None)
                entry.pop("confirmed_by", None)
                entry.update(
                    price=price, source=_describe(query, quote), as_of=quote.effective or today
                )
    return new, report
