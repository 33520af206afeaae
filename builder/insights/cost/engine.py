"""estimate(model) -> Estimate: every line item of a resolved model, in one region."""

from __future__ import annotations

from functools import cache

from builder.catalog import get_catalog
from builder.catalog.validate import regions as catalog_regions
from builder.insights.cost.access_logs import SOURCES, access_logs, log_source_types
from builder.insights.cost.items import Estimate, NodeInfo
from builder.insights.cost.price_keys import FAMILIES, FIXED, FREE_TIER, RDS_ENGINES, family_of
from builder.insights.cost.pricer import Pricer, apply_free_tier
from builder.insights.cost.rules import FREE_TYPES, RULES, Facts, implied_logs
from builder.insights.pricing import PriceBook, PriceCatalogError, load_price_book
from codegen.model import Model

# Regions the catalog must price in full (a gap there is an explicit `missing` entry).
SUPPORTED_REGIONS = ("us-east-1", "eu-west-1")


def required_prices(book: PriceBook) -> dict[tuple[str, str], str]:
    """(service, key) -> unit of every price the engine can ask for that we know of.

    The fixed keys, and for each family the keys of the catalog's default and of every
    value the book names in any region: a class priced in one region, or under one
    engine, must be present (priced or an explicit gap) under all of them.
    """
    catalog = get_catalog()
    wanted = dict(FIXED)
    for family in FAMILIES:
        type_name, prop = family.default_of
        values = {catalog.types[type_name].props[prop]["default"]}
        values.update(
            value
            for (_, service, key) in book.entries
            if service == family.service and (value := family.value_of(key)) is not None
        )
        for value in values:
            wanted.update(
                dict.fromkeys(((family.service, k) for k in family.keys(value)), family.unit)
            )
    return wanted


def check_price_book(book: PriceBook) -> None:
    """Every price the engine can ask for is priced or explicitly missing, in its unit."""
    catalog = get_catalog()
    for type_name in catalog.types:
        if type_name not in RULES and type_name not in FREE_TYPES:
            raise PriceCatalogError(f"the cost engine has no rule for catalog type {type_name}")
    # Checked here, at start-up, rather than as a KeyError in a user's estimate.
    unpriced = sorted(log_source_types(catalog) - SOURCES.keys())
    if unpriced:
        raise PriceCatalogError(f"the cost engine cannot price access logs of {unpriced[0]}")
    engines = catalog.types["aws.rds.instance"].props["engine"]["enum"]
    unknown = sorted(set(engines) - set(RDS_ENGINES))
    if unknown:
        raise PriceCatalogError(f"the cost engine has no RDS price key for engine {unknown[0]}")
    wanted = required_prices(book)
    for region in SUPPORTED_REGIONS:
        if region not in book.regions:
            raise PriceCatalogError(f"prices: region {region} is missing")
        for (service, key), unit in wanted.items():
            entry = book.get(region, service, key)
            if entry is None:
                raise PriceCatalogError(
                    f"prices: {service}.{key} in {region} is neither priced nor marked missing"
                )
            if entry.unit != unit:
                raise PriceCatalogError(
                    f"prices: {service}.{key} in {region} is per {entry.unit!r}; "
                    f"the engine multiplies by {unit!r}"
                )
        for service, key in FREE_TIER:
            entry = book.get(region, service, key)
            if entry is None or entry.quantity is None:
                raise PriceCatalogError(f"prices: free tier {service}.{key} in {region} missing")
    for (region, service, key), entry in book.entries.items():
        family = family_of(service, key)
        if family and entry.unit != family.unit:
            raise PriceCatalogError(f"prices: {service}.{key} in {region} is per {entry.unit!r}")


@cache
def known_regions() -> frozenset[str]:
    """AWS regions a document or a request may name (the catalog's list)."""
    return catalog_regions()


@cache
def price_book() -> PriceBook:
    """The shipped price catalog, loaded and checked once per process."""
    book = load_price_book()
    check_price_book(book)
    return book


def estimate(
    model: Model,
    region: str | None = None,
    free_tier: bool = False,
    book: PriceBook | None = None,
) -> Estimate:
    """Line items for every component of `model`, priced in `region` (the model's by default).

    Free-tier allowances are off by default: they are account-wide and often used up by
    other workloads, so list prices are the safer forecast.
    """
    book = book or price_book()
    region = region or model.region
    pricer = Pricer(book, region)
    facts = Facts.of(model)
    components = model.components
    for comp in components.values():
        rule = RULES.get(comp.type)
        if rule is not None:
            rule(comp, pricer, facts)
    for spec in model.log_groups:
        if spec.drawn_id is None:
            implied_logs(spec, components[spec.owner_id], pricer)
    if model.log_bucket is not None:
        for source in model.log_bucket.sources:
            access_logs(source, components[source.node_id], model.log_bucket, pricer)
    allowances = pricer.allowances() if free_tier else {}
    if free_tier:
        apply_free_tier(pricer.items, allowances)
    return Estimate(
        region=region,
        currency=book.currency,
        free_tier=free_tier,
        items=pricer.items,
        nodes={c.node_id: NodeInfo(c.label, c.type) for c in components.values()},
        allowances=allowances,
        assumptions=list(pricer.assumptions),
        prices_collected=book.collected,
    )
