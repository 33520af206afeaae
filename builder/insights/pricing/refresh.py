"""Rebuild the price data from the AWS Price List API (boto3 `pricing` client).

Pure of Django: `refresh(data, client)` takes the committed price data and a client
(`boto3.client("pricing", region_name="us-east-1")`; the API answers only from
us-east-1 and ap-south-1), asks one `get_products` query per price key that has one
(queries.py), and returns new data plus a report. Keys without a query, and queries
that find nothing, keep their collected figure and are listed in the report.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any

from builder.insights.pricing.queries import Query, query_for

SOURCE = "AWS Price List API"


@dataclass
class RefreshReport:
    updated: list[str] = field(default_factory=list)  # "region service.key old -> new"
    unchanged: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    no_query: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Quote:
    price: float
    sku: str
    effective: str


def _dimensions(product: dict[str, Any], api_unit: str) -> list[tuple[float, float, str, str]]:
    """(begin of range, USD price, sku, effective date) of each on-demand dimension."""
    found = []
    for term in product.get("terms", {}).get("OnDemand", {}).values():
        for dim in term.get("priceDimensions", {}).values():
            if dim.get("unit") != api_unit or "USD" not in dim.get("pricePerUnit", {}):
                continue
            found.append(
                (
                    float(dim.get("beginRange", "0")),
                    float(dim["pricePerUnit"]["USD"]),
                    product.get("product", {}).get("sku", ""),
                    term.get("effectiveDate", "")[:10],
                )
            )
    return found


def fetch(client: Any, query: Query) -> Quote | None:
    """The first paid tier's price for `query`, in the API's unit; None if no product."""
    kwargs: dict[str, Any] = {
        "ServiceCode": query.service_code,
        "Filters": [{"Type": "TERM_MATCH", "Field": f, "Value": v} for f, v in query.filters],
        "FormatVersion": "aws_v1",
        "MaxResults": 100,
    }
    dimensions = []
    while True:
        page = client.get_products(**kwargs)
        for raw in page.get("PriceList", []):
            product = json.loads(raw) if isinstance(raw, str) else raw
            dimensions.extend(_dimensions(product, query.api_unit))
        token = page.get("NextToken")
        if not token:
            break
        kwargs["NextToken"] = token
    # Free tiers show as a zero-priced first range; the list price is the first paid one.
    paid = sorted(d for d in dimensions if d[1] > 0)
    if not paid:
        return None
    begin, price, sku, effective = paid[0]
    return Quote(price, sku, effective)


def _describe(query: Query, quote: Quote) -> str:
    filters = ", ".join(f"{f}={v}" for f, v in query.filters)
    return f"{SOURCE}: get_products ServiceCode={query.service_code} ({filters}), sku {quote.sku}"


def refresh(
    data: dict[str, Any],
    client: Any,
    today: str,
    regions: tuple[str, ...] | None = None,
) -> tuple[dict[str, Any], RefreshReport]:
    """New price data with every key that has a query re-read from the Price List API.

    `as_of` is the term's effective date, or `today` when the API gives none.
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
                quote = fetch(client, query)
                if quote is None:
                    report.not_found.append(name)
                    continue
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
