"""Refreshing prices from the AWS Price List API.

There is no AWS here: botocore's Stubber stands in for the live Pricing API at the
boto3 boundary. The responses under tests/fixtures/pricing/ have the shape of real
`get_products` answers: `PriceList` entries are JSON text, prices are strings under
terms.OnDemand.<term>.priceDimensions.<rate>.pricePerUnit.USD, free tiers are
zero-priced first ranges, EC2 carries reserved offers too, and long answers come in
pages joined by `NextToken`. They are trimmed to one product each (the SQS one quotes
$0.42 to show an update).
"""

from __future__ import annotations

import copy
import io
import json
import os
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
    dump_price_data,
    load_price_book,
    parse_price_book,
)
from builder.insights.pricing.queries import query_for
from builder.insights.pricing.refresh import PriceListError, refresh

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
        "Filters": query.api_filters(),
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

    output.write_text("the previous catalog")
    out = io.StringIO()
    call_command("refresh_prices", "--region", "us-east-1", "--output", str(output), stdout=out)

    # It says what changed, what it kept and why, and where it wrote.
    printed = out.getvalue().splitlines()
    assert "updated   us-east-1 sqs.standard_requests_per_million 0.4 -> 0.42" in printed
    assert "not found us-east-1 lambda.requests_per_million (kept the collected figure)" in printed
    queried = len(_queries_of(json.loads(PRICES_PATH.read_text()), ("us-east-1",)))
    assert f"1 updated, 1 unchanged, {queried - 2} not found, 0 ambiguous" in printed[-2]
    assert printed[-1] == f"wrote {output}"
    assert [f.name for f in tmp_path.iterdir()] == ["prices.json"]  # no temporary left
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


def product(sku: str, usd: str, unit: str = "Hrs", **attributes: str) -> str:
    """One `PriceList` entry as the API sends it: a JSON text."""
    rate = f"{sku}.JRTCKXETXF.6YS6EN2CT7"
    return json.dumps(
        {
            "product": {"productFamily": "NAT Gateway", "attributes": attributes, "sku": sku},
            "serviceCode": "AmazonEC2",
            "terms": {
                "OnDemand": {
                    f"{sku}.JRTCKXETXF": {
                        "priceDimensions": {
                            rate: {
                                "unit": unit,
                                "endRange": "Inf",
                                "beginRange": "0",
                                "description": f"${usd} per {unit}",
                                "appliesTo": [],
                                "rateCode": rate,
                                "pricePerUnit": {"USD": usd},
                            }
                        },
                        "sku": sku,
                        "effectiveDate": "2026-02-01T00:00:00Z",
                        "offerTermCode": "JRTCKXETXF",
                        "termAttributes": {},
                    }
                }
            },
            "version": "20260201000000",
            "publicationDate": "2026-02-01T00:00:00Z",
        }
    )


def nat_data() -> dict:
    return {
        "currency": "USD",
        "hours_per_month": 730,
        "regions": {
            region: {"vpc": {"nat_gateway_per_hour": entry(0.045, "NAT gateway-hour")}}
            for region in ("us-east-1", "eu-west-1")
        },
    }


def test_a_usage_type_is_matched_whatever_its_region_prefix(pricing):
    client, stub = pricing
    # us-east-1 usage types of EC2 carry no region prefix; eu-west-1 ones start "EU-".
    for region, usagetype, usd in (
        ("us-east-1", "NatGateway-Hours", "0.0450000000"),
        ("eu-west-1", "EU-NatGateway-Hours", "0.0480000000"),
    ):
        answer = {
            "FormatVersion": "aws_v1",
            "PriceList": [product(f"S{region}", usd, usagetype=usagetype)],
        }
        stub.add_response(
            "get_products", answer, expected_params(region, "vpc", "nat_gateway_per_hour")
        )

    new, report = refresh(nat_data(), client, TODAY)

    assert query_for("eu-west-1", "vpc", "nat_gateway_per_hour").api_filters()[-1] == {
        "Type": "CONTAINS",
        "Field": "usagetype",
        "Value": "NatGateway-Hours",
    }
    assert new["regions"]["eu-west-1"]["vpc"]["nat_gateway_per_hour"]["price"] == 0.048
    assert new["regions"]["eu-west-1"]["vpc"]["nat_gateway_per_hour"]["as_of"] == "2026-02-01"
    assert report.updated == ["eu-west-1 vpc.nat_gateway_per_hour 0.045 -> 0.048"]
    assert report.unchanged == ["us-east-1 vpc.nat_gateway_per_hour"]


def test_products_that_disagree_on_the_price_keep_the_collected_figure(pricing):
    client, stub = pricing
    answer = {
        "FormatVersion": "aws_v1",
        "PriceList": [
            product("AAA", "0.0450000000", usagetype="NatGateway-Hours"),
            product("BBB", "0.0650000000", usagetype="NatGateway-Hours-Additional"),
        ],
    }
    stub.add_response(
        "get_products", answer, expected_params("us-east-1", "vpc", "nat_gateway_per_hour")
    )

    new, report = refresh(nat_data(), client, TODAY, regions=("us-east-1",))

    assert new["regions"]["us-east-1"]["vpc"] == nat_data()["regions"]["us-east-1"]["vpc"]
    assert report.ambiguous == ["us-east-1 vpc.nat_gateway_per_hour: 0.045, 0.065 (AAA, BBB)"]
    assert report.updated == []


@pytest.fixture
def committed(tmp_path, monkeypatch):
    """The small catalog as the command's input, and the file it would overwrite."""
    path = tmp_path / "prices.json"
    path.write_text(json.dumps(DATA))
    monkeypatch.setattr(refresh_prices, "PRICES_PATH", path)
    return path


def _run_over(committed: Path) -> None:
    call_command("refresh_prices", "--region", "us-east-1", "--output", str(committed))


def test_an_error_on_a_later_page_writes_nothing(pricing, committed, monkeypatch):
    client, stub = pricing
    page1 = recorded("lambda-duration-us-east-1-page1")
    stub.add_response(
        "get_products",
        recorded("lambda-requests-us-east-1"),
        expected_params("us-east-1", "lambda", "requests_per_million"),
    )
    stub.add_response(
        "get_products", page1, expected_params("us-east-1", "lambda", "duration_x86_per_gb_second")
    )
    stub.add_client_error(
        "get_products",
        service_error_code="ThrottlingException",
        service_message="Rate exceeded",
        http_status_code=400,
        expected_params=expected_params(
            "us-east-1", "lambda", "duration_x86_per_gb_second", page1["NextToken"]
        ),
    )
    monkeypatch.setattr(refresh_prices.Command, "client", lambda self: client)
    before = committed.read_text()

    with pytest.raises(CommandError, match="refused, nothing written: .*Rate exceeded"):
        _run_over(committed)

    assert committed.read_text() == before
    assert [f.name for f in committed.parent.iterdir()] == ["prices.json"]


def test_an_unreadable_answer_writes_nothing(pricing, committed, monkeypatch):
    client, stub = pricing
    stub.add_response(
        "get_products",
        {"FormatVersion": "aws_v1", "PriceList": ["{not json"]},
        expected_params("us-east-1", "lambda", "requests_per_million"),
    )
    monkeypatch.setattr(refresh_prices.Command, "client", lambda self: client)
    before = committed.read_text()

    with pytest.raises(CommandError, match="unreadable, nothing written: AWSLambda"):
        _run_over(committed)

    assert committed.read_text() == before


def test_a_price_that_is_not_a_number_is_unreadable(pricing):
    client, stub = pricing
    answer = {"FormatVersion": "aws_v1", "PriceList": [product("AAA", "n/a")]}
    stub.add_response(
        "get_products", answer, expected_params("us-east-1", "vpc", "nat_gateway_per_hour")
    )
    with pytest.raises(PriceListError, match="sku AAA: unreadable price 'n/a'"):
        refresh(nat_data(), client, TODAY, regions=("us-east-1",))


def no_space(src: str, dst: str) -> None:
    """os.replace on a full disk."""
    raise OSError(28, "No space left on device")


def test_writing_the_catalog_replaces_it_whole_or_not_at_all(tmp_path, monkeypatch):
    path = tmp_path / "prices.json"
    path.write_text("old")

    monkeypatch.setattr(os, "replace", no_space)
    with pytest.raises(OSError):
        dump_price_data(DATA, path)
    assert path.read_text() == "old"
    assert [f.name for f in tmp_path.iterdir()] == ["prices.json"]

    monkeypatch.undo()
    dump_price_data(DATA, path)
    assert json.loads(path.read_text()) == DATA


def test_a_write_that_fails_is_a_clear_error_and_leaves_the_file(pricing, tmp_path, monkeypatch):
    client, stub = pricing
    for query in _queries_of(json.loads(PRICES_PATH.read_text()), ("us-east-1",)):
        stub.add_response("get_products", recorded("empty"), expected_params(*query))
    monkeypatch.setattr(refresh_prices.Command, "client", lambda self: client)
    monkeypatch.setattr(os, "replace", no_space)
    output = tmp_path / "prices.json"
    output.write_text("the previous catalog")

    with pytest.raises(CommandError, match="--output: cannot write .*left as it was: No space"):
        call_command("refresh_prices", "--region", "us-east-1", "--output", str(output))

    assert output.read_text() == "the previous catalog"
    assert [f.name for f in tmp_path.iterdir()] == ["prices.json"]
