"""Which AWS Price List API query answers which price key, as data.

Each entry names the service code, the product attributes to match exactly
(`TERM_MATCH` filters), the usage type it bills under, the unit the API quotes the price
in, and the factor that turns a price per API unit into a price per our unit (per
request -> per 1M requests). `refresh_prices` asks these; keys without a query keep
their collected figure.

Usage types are matched with `CONTAINS` on the part after the region prefix: the
prefix is "EU-" in eu-west-1 but, depending on the service, "USE1-" or nothing at all
in us-east-1, and a guessed exact usage type that matches nothing would keep a stale
figure forever. A `regionCode` filter keeps the match in the region; a match that
still finds products with different prices is reported as ambiguous, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Query:
    service_code: str
    filters: tuple[tuple[str, str], ...]
    api_unit: str
    scale: float = 1.0
    usage: str | None = None  # the usage type without its region prefix

    def api_filters(self) -> list[dict[str, Any]]:
        """The `Filters` argument of `get_products`."""
        filters = [{"Type": "TERM_MATCH", "Field": f, "Value": v} for f, v in self.filters]
        if self.usage:
            filters.append({"Type": "CONTAINS", "Field": "usagetype", "Value": self.usage})
        return filters


def _usage(service_code: str, usage: str, api_unit: str, *filters: tuple[str, str]) -> Query:
    return Query(service_code, filters, api_unit, usage=usage)


FIXED: dict[tuple[str, str], Query] = {
    ("lambda", "requests_per_million"): Query(
        "AWSLambda", (("group", "AWS-Lambda-Requests"),), "Requests", 1_000_000
    ),
    ("lambda", "requests_per_million_arm64"): Query(
        "AWSLambda", (("group", "AWS-Lambda-Requests-ARM"),), "Requests", 1_000_000
    ),
    ("lambda", "duration_x86_per_gb_second"): Query(
        "AWSLambda", (("group", "AWS-Lambda-Duration"),), "Lambda-GB-Second"
    ),
    ("lambda", "duration_arm64_per_gb_second"): Query(
        "AWSLambda", (("group", "AWS-Lambda-Duration-ARM"),), "Lambda-GB-Second"
    ),
    ("dynamodb", "on_demand_read_per_million_rru"): Query(
        "AmazonDynamoDB", (("group", "DDB-ReadUnits"),), "ReadRequestUnits", 1_000_000
    ),
    ("dynamodb", "on_demand_write_per_million_wru"): Query(
        "AmazonDynamoDB", (("group", "DDB-WriteUnits"),), "WriteRequestUnits", 1_000_000
    ),
    ("dynamodb", "pitr_per_gb_month"): _usage(
        "AmazonDynamoDB", "TimedPITRStorage-ByteHrs", "GB-Mo"
    ),
    ("s3", "standard_storage_per_gb_month"): Query(
        "AmazonS3", (("productFamily", "Storage"), ("volumeType", "Standard")), "GB-Mo"
    ),
    ("sqs", "standard_requests_per_million"): Query(
        "AWSQueueService", (("queueType", "Standard"),), "Requests", 1_000_000
    ),
    ("vpc", "nat_gateway_per_hour"): _usage("AmazonEC2", "NatGateway-Hours", "Hrs"),
    ("vpc", "nat_gateway_per_gb_processed"): _usage("AmazonEC2", "NatGateway-Bytes", "GB"),
    # ALB, NLB and Classic all bill "LoadBalancerUsage": the product family tells them apart.
    ("elb", "alb_per_hour"): _usage(
        "AWSELB", "LoadBalancerUsage", "Hrs", ("productFamily", "Load Balancer-Application")
    ),
    ("elb", "alb_lcu_per_hour"): _usage(
        "AWSELB", "LCUUsage", "LCU-Hrs", ("productFamily", "Load Balancer-Application")
    ),
    ("fargate", "linux_x86_per_vcpu_hour"): _usage(
        "AmazonECS", "Fargate-vCPU-Hours:perCPU", "hours"
    ),
    ("fargate", "linux_x86_per_gb_hour"): _usage("AmazonECS", "Fargate-GB-Hours", "GB-Hours"),
    ("cloudwatch", "logs_ingestion_per_gb"): _usage(
        "AmazonCloudWatch", "DataProcessing-Bytes", "GB"
    ),
    ("cloudwatch", "logs_storage_per_gb_month"): _usage(
        "AmazonCloudWatch", "TimedStorage-ByteHrs", "GB-Mo"
    ),
}


RDS_ENGINE = {"postgresql": "PostgreSQL", "mysql": "MySQL"}
RDS_DEPLOYMENT = {"single_az": "Single-AZ", "multi_az": "Multi-AZ"}


def _family(region: str, service: str, key: str) -> Query | None:
    location = ("regionCode", region)
    if service == "ec2" and key.endswith(".linux_per_hour"):
        return Query(
            "AmazonEC2",
            (
                location,
                ("instanceType", key.removesuffix(".linux_per_hour")),
                ("operatingSystem", "Linux"),
                ("tenancy", "Shared"),
                ("preInstalledSw", "NA"),
                ("capacitystatus", "Used"),
            ),
            "Hrs",
        )
    if service == "rds" and key.startswith("db.") and key.endswith("_az_per_hour"):
        instance_class, engine, deployment = key.removesuffix("_per_hour").rsplit(".", 2)
        return Query(
            "AmazonRDS",
            (
                location,
                ("instanceType", instance_class),
                ("databaseEngine", RDS_ENGINE[engine]),
                ("deploymentOption", RDS_DEPLOYMENT[deployment]),
            ),
            "Hrs",
        )
    if service == "elasticache" and key.endswith(".redis_oss_per_hour"):
        return Query(
            "AmazonElastiCache",
            (
                location,
                ("instanceType", key.removesuffix(".redis_oss_per_hour")),
                ("cacheEngine", "Redis"),
            ),
            "Hrs",
        )
    return None


def query_for(region: str, service: str, key: str) -> Query | None:
    """The Price List query for one price key in one region, or None when there is none."""
    fixed = FIXED.get((service, key))
    if fixed is not None:
        return Query(
            fixed.service_code,
            (("regionCode", region), *fixed.filters),
            fixed.api_unit,
            fixed.scale,
            fixed.usage,
        )
    return _family(region, service, key)
