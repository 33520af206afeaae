"""The price catalog: shape of every figure, and the start-up check against the engine."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from builder.catalog import get_catalog, validate_document
from builder.insights.cost import SUPPORTED_REGIONS, check_price_book, estimate, price_book
from builder.insights.cost.engine import required_prices
from builder.insights.cost.pricer import Pricer
from builder.insights.pricing import PRICES_PATH, PriceCatalogError, parse_price_book
from codegen import resolve
from codegen.docs_tables import network_nodes, sample_parent
from tests.fixtures import every_pair_document

DATA = json.loads(PRICES_PATH.read_text())
DOCS = Path(__file__).parents[2] / "docs" / "cost.md"


def changed(region: str, service: str, key: str, **fields) -> dict:
    data = copy.deepcopy(DATA)
    entry = data["regions"][region][service].setdefault(key, {})
    for name, value in fields.items():
        if value is None:
            entry.pop(name, None)
        else:
            entry[name] = value
    return data


def test_the_shipped_catalog_loads_and_covers_every_price_the_engine_asks_for():
    book = price_book()
    assert set(SUPPORTED_REGIONS) <= set(book.regions)
    for entry in book.entries.values():
        assert entry.unit and entry.source and entry.as_of
        assert (entry.price is None) == (entry.quantity is not None or entry.missing is not None)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"source": None}, "source is required"),
        ({"as_of": None}, "as_of is required"),
        ({"price": -1}, "price must be a number >= 0"),
        ({"missing": "not found"}, "exactly one of price, quantity or missing"),
    ],
)
def test_a_malformed_figure_stops_loading(fields, message):
    data = changed("us-east-1", "s3", "standard_storage_per_gb_month", **fields)
    with pytest.raises(PriceCatalogError, match=message):
        parse_price_book(data)


def test_a_price_in_another_unit_than_the_engine_multiplies_by_is_refused():
    data = changed("us-east-1", "s3", "put_copy_post_list_per_1000", unit="request")
    with pytest.raises(PriceCatalogError, match="per 'request'; the engine multiplies by"):
        check_price_book(parse_price_book(data))


def test_a_price_neither_given_nor_marked_missing_is_refused():
    data = copy.deepcopy(DATA)
    del data["regions"]["eu-west-1"]["sqs"]["standard_requests_per_million"]
    with pytest.raises(PriceCatalogError, match="neither priced nor marked missing"):
        check_price_book(parse_price_book(data))


def test_the_default_instance_class_must_be_priced_or_marked_in_every_region():
    data = copy.deepcopy(DATA)
    del data["regions"]["eu-west-1"]["rds"]["db.t4g.micro.postgresql.single_az_per_hour"]
    with pytest.raises(PriceCatalogError, match="db.t4g.micro.postgresql"):
        check_price_book(parse_price_book(data))


@pytest.mark.parametrize(
    ("service", "key", "figure"),
    [
        # conflicts resolved as docs/cost.md explains
        ("dynamodb", "on_demand_write_per_million_wru", 0.625),
        ("dynamodb", "on_demand_read_per_million_rru", 0.125),
        ("cloudfront", "http_requests_us_per_10k", 0.0075),
        ("rds", "db.t4g.small.mysql.multi_az_per_hour", 0.065),
        ("rds", "db.t4g.small.postgresql.multi_az_per_hour", 0.064),
    ],
)
def test_conflicting_figures_keep_the_documented_choice(service, key, figure):
    assert price_book().get("us-east-1", service, key).price == figure


def test_every_conflict_in_the_data_is_discussed_in_the_docs():
    text = DOCS.read_text()
    for conflict in DATA["conflicts"]:
        assert conflict["item"] in text, conflict["item"]


def test_an_rds_class_priced_under_one_engine_must_be_present_under_all():
    data = copy.deepcopy(DATA)
    del data["regions"]["us-east-1"]["rds"]["db.m5.large.mysql.multi_az_per_hour"]
    with pytest.raises(PriceCatalogError, match="db.m5.large.mysql.multi_az_per_hour in us-east-1"):
        check_price_book(parse_price_book(data))


def prop_variants_document() -> dict:
    """One node per value of every enum and boolean prop of every type, where valid alone."""
    catalog = get_catalog()
    nodes = []
    for type_name, component in sorted(catalog.types.items()):
        for prop, schema in sorted(component.props.items()):
            values = schema.get("enum") or (
                [True, False] if schema.get("type") == "boolean" else []
            )
            for value in values:
                variant = {
                    "id": f"v{len(nodes)}",
                    "type": type_name,
                    "name": f"{type_name} {prop}={value}",
                    "parent": sample_parent(catalog, type_name),
                    "position": {"x": 0, "y": 0},
                    "props": {prop: value},
                }
                alone = {"format": "cloudwright/v1", "name": "v", "region": "us-east-1"}
                if not validate_document({**alone, "nodes": [*network_nodes(), variant]}):
                    nodes.append(variant)
    return {**alone, "nodes": [*network_nodes(), *nodes], "edges": []}


def test_the_price_keys_walked_cover_every_key_the_rules_ask_for(monkeypatch):
    asked: set[tuple[str, str]] = set()
    price = Pricer.price

    def recording(self, service, key, region=None):
        asked.add((service, key))
        return price(self, service, key, region)

    monkeypatch.setattr(Pricer, "price", recording)
    for document in (every_pair_document(), prop_variants_document()):
        for region in SUPPORTED_REGIONS:
            estimate(resolve(document), region=region)
    assert len(asked) > 50
    assert asked - set(required_prices(price_book())) == set()


def _coverage(book) -> dict[str, tuple[str, ...]]:
    """price key -> "priced" or "gap" per supported region, for keys with any gap."""
    coverage = {}
    for service, key in sorted(required_prices(book)):
        cells = tuple(
            "priced" if (e := book.get(region, service, key)) and e.price is not None else "gap"
            for region in SUPPORTED_REGIONS
        )
        if "gap" in cells:
            coverage[f"{service}.{key}"] = cells
    return coverage


def documented_gaps() -> dict[str, tuple[str, ...]]:
    """The 'Known gaps' table of docs/cost.md: price key -> state in each region."""
    section = DOCS.read_text().split("### Known gaps", 1)[1].split("\n#", 1)[0]
    header = re.search(r"^\| price key \|(.*)\|$", section, re.MULTILINE)
    assert header and [c.strip() for c in header[1].split("|")] == list(SUPPORTED_REGIONS)
    rows = re.findall(r"^\| `([^`]+)` \|(.*)\|$", section, re.MULTILINE)
    return {key: tuple(c.strip() for c in cells.split("|")) for key, cells in rows}


def test_every_price_the_rules_can_ask_for_is_priced_in_both_regions_or_a_documented_gap():
    actual, documented = _coverage(price_book()), documented_gaps()
    undocumented = {k: v for k, v in actual.items() if documented.get(k) != v}
    stale = sorted(set(documented) - set(actual))
    assert undocumented == {}, "add these to the 'Known gaps' table of docs/cost.md"
    assert stale == [], "these are priced now: drop them from the 'Known gaps' table"
