"""The engine's rules on small documents: figures computed by hand from the catalog."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.insights.cost_documents import NETWORK, costs, item, node, price

QUIET_LAMBDA = {"tracing": False}


def test_free_tier_is_off_by_default_and_offsets_lambda_when_on():
    fn = node(
        "fn",
        "lambda.function",
        props={**QUIET_LAMBDA, "architecture": "x86_64", "memory_mb": 512},
        usage={"invocations_per_month": 2_000_000, "avg_duration_ms": 1000},
    )
    listed = costs(price(fn), "fn")
    # 2M requests x $0.20 per 1M = $0.40
    # 2,000,000 x 1 s x 0.5 GB = 1,000,000 GB-s x $0.0000166667 = $16.6667
    assert listed["requests"] == pytest.approx(0.40)
    assert listed["duration"] == pytest.approx(16.6667)
    free = costs(price(fn, free_tier=True), "fn")
    # (2M - 1M free) x $0.20 = $0.20; (1,000,000 - 400,000 free) x $0.0000166667 = $10.00002
    assert free["requests"] == pytest.approx(0.20)
    assert free["duration"] == pytest.approx(10.00002)


def test_an_account_wide_allowance_is_shared_between_nodes():
    buckets = [
        node(name, "s3.bucket", usage={"transfer_out_gb": 60}) for name in ("first", "second")
    ]
    est = price(*buckets, free_tier=True)
    # 100 GB free a month for the account: the first bucket's 60 GB are covered, the
    # second gets the remaining 40 GB and pays for 20 GB x $0.09 = $1.80.
    assert item(est, "first", "transfer_out").monthly_cost == pytest.approx(0.0)
    assert item(est, "second", "transfer_out").free_quantity == pytest.approx(40)
    assert item(est, "second", "transfer_out").monthly_cost == pytest.approx(1.80)


def test_a_price_missing_in_the_region_is_a_flagged_item_outside_the_total():
    queue = node("queue", "sqs.queue")
    est = price(queue, node("db", "rds.instance", "vpc"), *NETWORK, region="eu-west-1")
    requests = item(est, "queue", "requests")
    assert requests.monthly_cost is None and requests.unit_price is None
    assert requests.description == (
        "Standard requests: no price for sqs.standard_requests_per_million in eu-west-1"
    )
    # db.t4g.micro PostgreSQL single-AZ in eu-west-1: 730 h x $0.017 = $12.41; the rest
    # (storage, the credentials secret, the queue) has no eu-west-1 figure.
    assert est.monthly_total == pytest.approx(12.41)
    assert {(i.node_id, i.code) for i in est.missing} == {
        ("queue", "requests"),
        ("db", "storage"),
        ("db", "credentials"),
    }


def test_an_instance_type_the_catalog_does_not_know_is_flagged():
    est = price(node("vm", "ec2.instance", "pub_a", props={"instance_type": "x9.huge"}), *NETWORK)
    assert item(est, "vm", "instance").missing == (
        "no price for ec2.x9.huge.linux_per_hour in us-east-1"
    )


def test_global_services_are_priced_in_any_region():
    est = price(node("cdn", "cloudfront.distribution"), region="ap-south-1")
    # 100 GB x $0.085 = $8.50 and 100 x 10,000 requests x $0.01 = $1.00, wherever drawn;
    # its logs go to the log bucket in ap-south-1, which has no S3 figures.
    unpriced = {"access_log_storage": None, "access_log_puts": None}
    assert costs(est, "cdn") == pytest.approx({"transfer_out": 8.50, "requests": 1.00, **unpriced})


@pytest.mark.parametrize(
    ("props", "expected"),
    [
        # 730 h x $0.016 = $11.68; 20 GB x $0.115 = $2.30; secret $0.40
        ({}, {"instance": 11.68, "storage": 2.30, "credentials": 0.40}),
        # Multi-AZ: 730 h x $0.032 = $23.36; standby storage too: 40 GB x $0.115 = $4.60
        ({"multi_az": True}, {"instance": 23.36, "storage": 4.60, "credentials": 0.40}),
    ],
)
def test_rds_multi_az_doubles_instance_and_storage(props, expected):
    est = price(node("db", "rds.instance", "vpc", props=props), *NETWORK)
    assert costs(est, "db") == pytest.approx(expected)


@pytest.mark.parametrize(
    ("props", "expected"),
    [
        # PITR on (the catalog default): 40 GB x $0.20 per GB-month = $8.00, beside
        # storage 40 GB x $0.25 = $10.00 and 1M reads x $0.125 + 1M writes x $0.625
        ({}, {"reads": 0.125, "writes": 0.625, "storage": 10.00, "pitr": 8.00}),
        ({"point_in_time_recovery": False}, {"reads": 0.125, "writes": 0.625, "storage": 10.00}),
    ],
)
def test_dynamodb_point_in_time_recovery_is_billed_on_the_table_size(props, expected):
    table = node("t", "dynamodb.table", props=props, usage={"storage_gb": 40})
    est = price(table)
    assert costs(est, "t") == pytest.approx(expected)
    if "pitr" in expected:
        pitr = item(est, "t", "pitr")
        assert (pitr.quantity, pitr.unit, pitr.unit_price) == (40, "GB-month", 0.2)
        assert pitr.source.startswith("https://aws.amazon.com/dynamodb/pricing/")


def test_dynamodb_point_in_time_recovery_has_no_eu_west_1_figure_and_says_so():
    est = price(node("t", "dynamodb.table", usage={"storage_gb": 40}), region="eu-west-1")
    pitr = item(est, "t", "pitr")
    assert pitr.monthly_cost is None and pitr.quantity == 40
    assert pitr.missing == "no price for dynamodb.pitr_per_gb_month in eu-west-1"


@pytest.mark.parametrize(
    ("props", "region", "expected"),
    [
        # db.m5.large MySQL Single-AZ: 730 h x $0.171 = $124.83
        ({"engine": "mysql", "instance_class": "db.m5.large"}, "us-east-1", 124.83),
        # db.t4g.micro PostgreSQL Multi-AZ in eu-west-1 has no collected figure
        ({"multi_az": True}, "eu-west-1", None),
        ({"engine": "mysql", "instance_class": "db.m5.large", "multi_az": True}, "us-east-1", None),
        # a class the price catalog does not know at all
        ({"instance_class": "db.x9.huge"}, "us-east-1", None),
    ],
)
def test_rds_classes_without_a_figure_are_flagged_by_class_engine_and_deployment(
    props, region, expected
):
    est = price(node("db", "rds.instance", "vpc", props=props), *NETWORK, region=region)
    instance = item(est, "db", "instance")
    assert instance.monthly_cost == (pytest.approx(expected) if expected else None)
    if expected is None:
        engine = "mysql" if props.get("engine") == "mysql" else "postgresql"
        deployment = "multi_az" if props.get("multi_az") else "single_az"
        key = f"{props.get('instance_class', 'db.t4g.micro')}.{engine}.{deployment}_per_hour"
        assert instance.missing == f"no price for rds.{key} in {region}"
        assert instance.description.endswith(f": no price for rds.{key} in {region}")


def test_dynamodb_provisioned_capacity_is_billed_by_the_hour():
    table = node("t", "dynamodb.table", props={"billing_mode": "PROVISIONED"}, usage={})
    got = costs(price(table), "t")
    # 5 RCU x 730 h x $0.00013 = $0.4745; 5 WCU x 730 h x $0.00065 = $2.3725; 1 GB x $0.25
    assert got["read_capacity"] == pytest.approx(0.4745)
    assert got["write_capacity"] == pytest.approx(2.3725)
    assert got["storage"] == pytest.approx(0.25)
    assert "reads" not in got


@pytest.mark.parametrize(
    ("architecture", "vcpu", "memory"),
    [
        # 1 vCPU x 730 h x $0.04048 = $29.5504; 2 GB x 730 h x $0.004445 = $6.4897
        ("x86_64", 29.5504, 6.4897),
        # 1 vCPU x 730 h x $0.03238 = $23.6374; 2 GB x 730 h x $0.00356 = $5.1976
        ("arm64", 23.6374, 5.1976),
    ],
)
def test_fargate_is_priced_by_architecture(architecture, vcpu, memory):
    props = {"cpu": 1024, "memory_mb": 2048, "desired_count": 1, "architecture": architecture}
    got = costs(price(node("svc", "ecs.fargate_service", "vpc", props=props), *NETWORK), "svc")
    assert got["vcpu"] == pytest.approx(vcpu)
    assert got["memory"] == pytest.approx(memory)


def test_alb_lcus_follow_processed_data_and_lambda_targets():
    fn = node("fn", "lambda.function", props=QUIET_LAMBDA)
    alb = node("alb", "elbv2.application_load_balancer", "vpc", props={"internet_facing": False})
    got = costs(price(alb, fn, *NETWORK, edges=(("alb", "fn"),)), "alb")
    # Lambda targets: 100 GB / 0.4 GB per LCU-hour = 250 LCU-h x $0.008 = $2.00;
    # internal, so no public addresses; its access logs as in test_cost_access_logs.py.
    assert got == pytest.approx(
        {"alb_hours": 16.425, "lcu": 2.00, "access_log_storage": 0.0276, "access_log_puts": 0.0876}
    )


def internal_alb(requests: int, lambda_targets: int = 0) -> tuple[dict, ...]:
    """An internal load balancer (catalog usage but `requests`) and its Lambda targets."""
    fns = [node(f"fn{k}", "lambda.function", props=QUIET_LAMBDA) for k in range(lambda_targets)]
    alb = node(
        "alb",
        "elbv2.application_load_balancer",
        "vpc",
        props={"internet_facing": False},
        usage={"requests_per_month": requests},
    )
    return alb, *fns


def test_a_high_request_rate_bills_alb_lcus_on_new_connections():
    est = price(*internal_alb(1_000_000_000), *NETWORK)
    lcu = item(est, "alb", "lcu")
    # 1,000M requests / 4 per connection = 250M connections / (730 h x 3,600 s) = 95.1 a
    # second / 25 per LCU = 3.805 LCUs x 730 h = 2,777.78 LCU-h (1,000M / 360,000);
    # processed bytes are 100 GB at 1 GB per LCU-hour = 100 LCU-h, so connections bill:
    # 2,777.78 x $0.008 = $22.22222.
    assert lcu.quantity == pytest.approx(2777.7778)
    assert lcu.monthly_cost == pytest.approx(22.22222)
    assert lcu.description == (
        "Load balancer capacity units, billed on new connections (1,000M requests at 4 per "
        "connection, 25 a second per LCU); also processed bytes 100.00 LCU-hours (100 GB at "
        "1 GB per LCU-hour for instance or IP targets); rule evaluations none (0 listener "
        "rules, the first 10 free); active connections not estimated"
    )
    assert lcu.drivers == ("requests_per_month",)
    assert any("4 requests per connection" in text for text in est.assumptions)


@pytest.mark.parametrize(
    ("requests", "lambda_targets", "billed_on", "cost"),
    [
        # Catalog usage: 100 GB at 1 GB per LCU-hour = 100 LCU-h over 1M requests' 2.78
        # LCU-h of new connections: 100 x $0.008 = $0.80.
        (1_000_000, 0, "processed bytes", 0.80),
        # 25 Lambda targets: a default and 24 listener rules, 14 beyond the first 10 free.
        # Rule evaluations: 100M requests x 14 / 3,600 s / 1,000 a second per LCU = 388.89
        # LCU-h, over new connections 100M / 360,000 = 277.78 and processed bytes 100 GB /
        # 0.4 GB (Lambda targets) = 250: 388.89 x $0.008 = $3.1111.
        (100_000_000, 25, "rule evaluations", 3.11111),
        # The same with 1M requests: 3.89 LCU-h of rules, 250 of processed bytes = $2.00.
        (1_000_000, 25, "processed bytes", 2.00),
    ],
)
def test_alb_lcus_bill_on_the_largest_dimension(requests, lambda_targets, billed_on, cost):
    edges = tuple(("alb", f"fn{k}") for k in range(lambda_targets))
    lcu = item(price(*internal_alb(requests, lambda_targets), *NETWORK, edges=edges), "alb", "lcu")
    assert lcu.monthly_cost == pytest.approx(cost)
    assert lcu.description.startswith(f"Load balancer capacity units, billed on {billed_on} (")


def test_waf_protecting_cloudfront_is_priced_in_us_east_1():
    acl, cdn = node("acl", "wafv2.web_acl"), node("cdn", "cloudfront.distribution")
    est = price(acl, cdn, edges=(("acl", "cdn"),), region="eu-west-1")
    # $5.00 + 4 rules x $1.00 + 1M requests x $0.60, at us-east-1 prices
    assert costs(est, "acl") == pytest.approx({"web_acl": 5.00, "rules": 4.00, "requests": 0.60})


@pytest.mark.parametrize(
    ("free_tier", "expected"),
    [
        # 100,000 x $0.0055 + 50,000 x $0.0046 = $550 + $230 = $780
        (False, 780.0),
        # the first 10,000 are free: $780 - 10,000 x $0.0055 = $725
        (True, 725.0),
    ],
)
def test_cognito_users_are_priced_in_graduated_tiers(free_tier, expected):
    pool = node("users", "cognito.user_pool", usage={"monthly_active_users": 150_000})
    assert item(price(pool, free_tier=free_tier), "users", "mau").monthly_cost == pytest.approx(
        expected
    )


def test_xray_samples_one_request_a_second_and_five_percent_of_the_rest():
    api = node(
        "api",
        "apigateway.rest_api",
        props={"access_logging": False},
        usage={"requests_per_month": 10_000_000},
    )
    # 2,628,000 (730 h x 3,600 s) + 5% x 7,372,000 = 2,996,600 traces x $5.00 per 1M
    assert item(price(api), "api", "xray_traces").monthly_cost == pytest.approx(14.983)


def test_ec2_instance_brings_its_volume_monitoring_and_address():
    vm = node("vm", "ec2.instance", "pub_a", props={"associate_public_ip": True})
    # t3.micro 730 h x $0.0104 = $7.592; 20 GB gp3 x $0.08 = $1.60;
    # detailed monitoring 7 metrics x $0.30 = $2.10; public IPv4 730 h x $0.005 = $3.65
    assert costs(price(vm, *NETWORK), "vm") == pytest.approx(
        {"instance": 7.592, "root_volume": 1.60, "detailed_monitoring": 2.10, "public_ipv4": 3.65}
    )


def test_express_workflows_pay_requests_and_duration():
    sm = node(
        "sm",
        "stepfunctions.state_machine",
        props={"workflow_type": "EXPRESS", "logging": False, "tracing": False},
        usage={"transitions_per_month": 1_000_000},
    )
    # 1M requests x $1.00; 1,000,000 x 0.1 s x 64/1024 GB / 3,600 = 1.7361 GB-h x $0.060012
    assert costs(price(sm), "sm") == pytest.approx(
        {"requests": 1.00, "duration": 1_000_000 * 0.1 * 0.0625 / 3600 * 0.060012}
    )


def test_scheduled_rules_cost_nothing_and_pattern_rules_pay_per_event():
    schedule = node("tick", "events.rule")
    pattern = node(
        "match",
        "events.rule",
        props={"schedule_expression": "", "event_pattern": '{"source": ["shop"]}'},
        usage={"events_per_month": 3_000_000},
    )
    est = price(schedule, pattern)
    assert item(est, "tick", "events").monthly_cost == 0.0
    assert item(est, "match", "events").monthly_cost == pytest.approx(3.00)  # 3M x $1.00


def test_log_groups_the_model_adds_follow_usage_and_retention():
    fn = node(
        "fn",
        "lambda.function",
        props={**QUIET_LAMBDA, "log_retention_days": 90},
        usage={"invocations_per_month": 4_000_000},
    )
    got = costs(price(fn), "fn")
    # 4M invocations x 1 GB per million = 4 GB x $0.50 = $2.00;
    # kept 90 days = 3 months: 12 GB-month x $0.03 = $0.36
    assert got["lambda_ingestion"] == pytest.approx(2.00)
    assert got["lambda_storage"] == pytest.approx(0.36)


def test_a_function_writing_to_a_drawn_log_group_gets_no_group_of_its_own():
    fn = node("fn", "lambda.function", props=QUIET_LAMBDA)
    est = price(fn, node("logs", "logs.log_group"), edges=(("fn", "logs"),))
    assert set(costs(est, "fn")) == {"requests", "duration"}
    assert set(costs(est, "logs")) == {"logs_ingestion", "logs_storage"}


def test_kms_encrypted_bucket_brings_its_key():
    est = price(node("b", "s3.bucket", props={"encryption": "KMS"}))
    assert item(est, "b", "kms_key").monthly_cost == pytest.approx(1.00)
    assert item(est, "b", "kms_key").implied


def test_the_cost_engine_imports_no_django():
    code = (
        "import sys, builder.insights.cost, builder.insights.pricing.refresh;"
        "assert not any(m.split('.')[0] == 'django' for m in sys.modules), 'django imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
