"""Which AWS Price List API query answers which price key, as data.

Each entry names the service code, the product attributes to match exactly
(`TERM_MATCH` filters), the unit the API quotes the price in, and the factor that
turns a price per API unit into a price per our unit (per request -> per 1M requests).
`refresh_prices` asks these; keys without a query keep their collected figure.
"""

from __future__ import annotations

from dataclasses import dataclass

# Price List usage types start with a region prefix.
USAGE_PREFIX = {"us-east-1": "USE1", "eu-west-1": "EU"}


@dataclass(frozen=True)
class Query:
    service_code: str
    filters: tuple[tuple[str, str], ...]
    api_unit: str
    scale: float = 1.0


def _fixed(region: str) -> dict[tuple[str, str], Query]:
    usage = USAGE_PREFIX[region]
    return {
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
        ("s3", "standard_storage_per_gb_month"): Query(
            "AmazonS3", (("productFamily", "Storage"), ("volumeType", "Standard")), "GB-Mo"
        ),
        ("sqs", "standard_requests_per_million"): Query(
            "AWSQueueService", (("queueType", "Standard"),), "Requests", 1_000_000
        ),
        ("vpc", "nat_gateway_per_hour"): Query(
            "AmazonEC2", (("usagetype", f"{usage}-NatGateway-Hours"),), "Hrs"
        ),
        ("vpc", "nat_gateway_per_gb_processed"): Query(
            "AmazonEC2", (("usagetype", f"{usage}-NatGateway-Bytes"),), "GB"
        ),
        ("elb", "alb_per_hour"): Query(
            "AWSELB", (("usagetype", f"{usage}-LoadBalancerUsage"),), "Hrs"
        ),
        ("elb", "alb_lcu_per_hour"): Query(
            "AWSELB", (("usagetype", f"{usage}-LCUUsage"),), "LCU-Hrs"
        ),
        ("fargate", "linux_x86_per_vcpu_hour"): Query(
            "AmazonECS", (("usagetype", f"{usage}-Fargate-vCPU-Hours:perCPU"),), "hours"
        ),
        ("fargate", "linux_x86_per_gb_hour"): Query(
            "AmazonECS", (("usagetype", f"{usage}-Fargate-GB-Hours"),), "GB-Hours"
        ),
        ("cloudwatch", "logs_ingestion_per_gb"): Query(
            "AmazonCloudWatch", (("usagetype", f"{usage}-DataProcessing-Bytes"),), "GB"
        ),
        ("cloudwatch", "logs_storage_per_gb_month"): Query(
            "AmazonCloudWatch", (("usagetype", f"{usage}-TimedStorage-ByteHrs"),), "GB-Mo"
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
    if region not in USAGE_PREFIX:
        return None
    fixed = _fixed(region).get((service, key))
    if fixed is not None:
        return Query(
            fixed.service_code,
            (("regionCode", region), *fixed.filters),
            fixed.api_unit,
            fixed.scale,
        )
    return _family(region, service, key)
