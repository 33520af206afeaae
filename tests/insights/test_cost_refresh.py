"""Refreshing prices from the AWS Price List API.

There is no AWS here: botocore's Stubber stands in for the live Pricing API at the
boto3 boundary. The responses under tests/fixtures/pricing/ have the shape of real
`get_products` answers, trimmed to one product each (the SQS one quotes $0.42 to show
an update).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import boto3
import pytest
from botocore.stub import Stubber
from django.core.management import call_command
from django.core.management.base import CommandError

from builder.insights.cost import check_price_book
from builder.insights.management.commands import refresh_prices
from builder.insights.pricing import (
    PRICES_PATH,
    PriceCatalogError,
    load_price_book,
    parse_price_book,
)
from builder.insights.pricing.queries import query_for
from builder.insights.pricing.refresh import refresh

FIXTURES = Path(__file__).parent.parent / "fixtures" / "pricing"
TODAY = "2026-11-22"


def recorded(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def entry(price, unit, **extra) -> dict:
    return {"price": price, "unit": unit, "source": "collected", "as_of": "2024", **extra}


DATA = {
    "currency": "USD",
    "hours_per_month": 730,
    "regions": {
        "us-east-1": {
            "lambda": {
                "requests_per_million": entry(0.2, "1M requests"),
                "duration_x86_per_gb_second": entry(1.66667e-05, "GB-second"),
                "free_tier_requests": {
                    "quantity": 1000000,
                    "unit": "requests/month",
                    "source": "collected",
                    "as_of": "2026",
                },
            },
            "sqs": {"standard_requests_per_million": entry(0.4, "1M requests")},
            "ec2": {"t3.micro.linux_per_hour": entry(0.0104, "instance-hour")},
            "route53": {"hosted_zone_per_month": entry(0.5, "hosted zone-month")},
            "dynamodb": {"on_demand_read_per_million_rru": entry(0.125, "1M read request units")},
        },
        "eu-west-1": {
            "lambda": {
                "requests_per_million": {
                    "price": None,
                    "unit": "1M requests",
                    "missing": "no source",
                    "source": "collected",
                    "as_of": "2026",
                }
            }
        },
    },
}


def expected_params(region: str, service: str, key: str, token: str | None = None) -> dict:
    query = query_for(region, service, key)
    params = {
        "ServiceCode": query.service_code,
        "Filters": [{"Type": "TERM_MATCH", "Field": f, "Value": v} for f, v in query.filters],
        "FormatVersion": "aws_v1",
        "MaxResults": 100,
    }
    return {**params, "NextToken": token} if token else params


@pytest.fixture
def pricing():
    client = boto3.client(
        "pricing",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def test_refresh_reads_each_price_from_its_product_and_keeps_the_rest(pricing):
    client, stub = pricing
    page1 = recorded("lambda-duration-us-east-1-page1")
    for response, params in [
        (recorded("lambda-requests-us-east-1"), ("us-east-1", "lambda", "requests_per_million")),
        (page1, ("us-east-1", "lambda", "duration_x86_per_gb_second")),
        (
            recorded("lambda-duration-us-east-1-page2"),
            ("us-east-1", "lambda", "duration_x86_per_gb_second", page1["NextToken"]),
        ),
        (recorded("sqs-standard-us-east-1"), ("us-east-1", "sqs", "standard_requests_per_million")),
        (recorded("ec2-t3-micro-us-east-1"), ("us-east-1", "ec2", "t3.micro.linux_per_hour")),
        (recorded("empty"), ("us-east-1", "dynamodb", "on_demand_read_per_million_rru")),
        (recorded("lambda-requests-eu-west-1"), ("eu-west-1", "lambda", "requests_per_million")),
    ]:
        stub.add_response("get_products", response, expected_params(*params))

    new, report = refresh(DATA, client, TODAY)

    east, west = new["regions"]["us-east-1"], new["regions"]["eu-west-1"]
    # $0.0000002 per request x 1,000,000 = $0.20 per 1M requests
    assert east["lambda"]["requests_per_million"]["price"] == pytest.approx(0.2)
    assert east["lambda"]["requests_per_million"]["as_of"] == "2025-11-01"
    assert "AWS Price List API" in east["lambda"]["requests_per_million"]["source"]
    # The second page held the product; its first tier is the list price.
    assert east["lambda"]["duration_x86_per_gb_second"]["price"] == pytest.approx(1.66667e-05)
    # The free first million is skipped: $0.00000042 x 1,000,000 = $0.42
    assert east["sqs"]["standard_requests_per_million"]["price"] == pytest.approx(0.42)
    # A gap the API can fill is filled, and is no longer marked missing.
    assert west["lambda"]["requests_per_million"]["price"] == pytest.approx(0.2)
    assert "missing" not in west["lambda"]["requests_per_million"]
    # Nothing found, or no query: the collected figure stays.
    assert east["dynamodb"] == DATA["regions"]["us-east-1"]["dynamodb"]
    assert east["route53"] == DATA["regions"]["us-east-1"]["route53"]
    assert report.updated == ["us-east-1 sqs.standard_requests_per_million 0.4 -> 0.42"] + [
        "eu-west-1 lambda.requests_per_million None -> 0.2"
    ]
    assert report.not_found == ["us-east-1 dynamodb.on_demand_read_per_million_rru"]
    assert report.no_query == ["us-east-1 route53.hosted_zone_per_month"]
    assert DATA["regions"]["us-east-1"]["sqs"]["standard_requests_per_million"]["price"] == 0.4


def _queries_of(data: dict, regions: tuple[str, ...]) -> list[tuple[str, str, str]]:
    return [
        (region, service, key)
        for region in regions
        for service, keys in data["regions"][region].items()
        for key, value in keys.items()
        if "quantity" not in value and query_for(region, service, key)
    ]


def test_refresh_prices_command_writes_a_checked_catalog(pricing, tmp_path, monkeypatch):
    client, stub = pricing
    answers = {
        ("us-east-1", "sqs", "standard_requests_per_million"): "sqs-standard-us-east-1",
        ("us-east-1", "ec2", "t3.micro.linux_per_hour"): "ec2-t3-micro-us-east-1",
    }
    for query in _queries_of(json.loads(PRICES_PATH.read_text()), ("us-east-1",)):
        stub.add_response(
            "get_products", recorded(answers.get(query, "empty")), expected_params(*query)
        )
    monkeypatch.setattr(refresh_prices.Command, "client", lambda self: client)
    output = tmp_path / "prices.json"

    call_command("refresh_prices", "--region", "us-east-1", "--output", str(output))

    book = load_price_book(output)
    check_price_book(book)
    assert book.get("us-east-1", "sqs", "standard_requests_per_million").price == 0.42
    assert book.get("us-east-1", "ec2", "t3.micro.linux_per_hour").price == 0.0104
    # Unanswered keys keep the committed figures.
    assert book.get("us-east-1", "vpc", "nat_gateway_per_hour").price == 0.045


def test_refresh_prices_refuses_an_unknown_region():
    with pytest.raises(CommandError, match="--region: the catalog has no region mars-1"):
        call_command("refresh_prices", "--region", "mars-1", "--dry-run")


def test_a_refreshed_catalog_failing_the_checks_is_not_written(pricing, tmp_path, monkeypatch):
    client, stub = pricing
    broken = copy.deepcopy(json.loads(PRICES_PATH.read_text()))
    del broken["regions"]["us-east-1"]["lambda"]["requests_per_million"]
    for query in _queries_of(broken, ("us-east-1",)):
        stub.add_response("get_products", recorded("empty"), expected_params(*query))
    monkeypatch.setattr(refresh_prices.Command, "client", lambda self: client)
    monkeypatch.setattr(refresh_prices, "PRICES_PATH", tmp_path / "in.json")
    (tmp_path / "in.json").write_text(json.dumps(broken))
    output = tmp_path / "out.json"
    with pytest.raises(CommandError, match="nothing written"):
        call_command("refresh_prices", "--region", "us-east-1", "--output", str(output))
    assert not output.exists()
    with pytest.raises(PriceCatalogError, match="lambda.requests_per_million in us-east-1"):
        check_price_book(parse_price_book(broken))
