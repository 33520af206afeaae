"""The price catalog: shape of every figure, and the start-up check against the engine."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from builder.insights.cost import SUPPORTED_REGIONS, check_price_book, price_book
from builder.insights.pricing import PRICES_PATH, PriceCatalogError, parse_price_book

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
