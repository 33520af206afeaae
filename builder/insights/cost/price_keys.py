"""Every price the engine can ask for, with the unit it multiplies by.

The price catalog is checked against this table when it loads: each fixed key must be
priced or explicitly missing in every supported region, in the unit written here (a
price per 1,000 requests read as a price per request is a 1,000-fold error, so units
are compared, not trusted). Keys that depend on a prop (instance types, database
classes, cache nodes) are families: the catalog default of that prop, and every value
the price catalog names in any region, must be present with all the keys a rule can build from it
(an RDS class under both engines, Single- and Multi-AZ).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# (service, key) -> unit of the price.
FIXED: dict[tuple[str, str], str] = {
    ("lambda", "requests_per_million"): "1M requests",
    ("lambda", "requests_per_million_arm64"): "1M requests",
    ("lambda", "duration_x86_per_gb_second"): "GB-second",
    ("lambda", "duration_arm64_per_gb_second"): "GB-second",
    ("api_gateway", "rest_requests_per_million"): "1M requests",
    ("api_gateway", "http_requests_per_million"): "1M requests",
    ("dynamodb", "on_demand_write_per_million_wru"): "1M write request units",
    ("dynamodb", "on_demand_read_per_million_rru"): "1M read request units",
    ("dynamodb", "storage_per_gb_month"): "GB-month",
    ("dynamodb", "provisioned_wcu_per_hour"): "WCU-hour",
    ("dynamodb", "provisioned_rcu_per_hour"): "RCU-hour",
    ("dynamodb", "pitr_per_gb_month"): "GB-month",
    ("s3", "standard_storage_per_gb_month"): "GB-month",
    ("s3", "put_copy_post_list_per_1000"): "1,000 requests",
    ("s3", "get_select_other_per_1000"): "1,000 requests",
    ("data_transfer", "out_to_internet_per_gb_first_10tb"): "GB",
    ("sqs", "standard_requests_per_million"): "1M requests",
    ("sqs", "fifo_requests_per_million"): "1M requests",
    ("sns", "publish_requests_per_million"): "1M requests",
    ("cloudwatch", "logs_ingestion_per_gb"): "GB",
    ("cloudwatch", "logs_storage_per_gb_month"): "GB-month",
    ("cloudwatch", "custom_metric_per_month"): "metric-month",
    ("cloudwatch", "standard_alarm_per_month"): "alarm metric-month",
    ("cognito", "lite_mau_10001_to_100000"): "MAU",
    ("cognito", "lite_mau_100001_to_1000000"): "MAU",
    ("cognito", "lite_mau_over_1000000"): "MAU",
    ("eventbridge", "custom_events_per_million"): "1M events",
    ("step_functions", "standard_state_transitions_per_1000"): "1,000 state transitions",
    ("step_functions", "express_requests_per_million"): "1M requests",
    ("step_functions", "express_duration_per_gb_hour"): "GB-hour",
    ("ebs", "gp3_storage_per_gb_month"): "GB-month",
    ("elb", "alb_per_hour"): "ALB-hour",
    ("elb", "alb_lcu_per_hour"): "LCU-hour",
    ("vpc", "nat_gateway_per_hour"): "NAT gateway-hour",
    ("vpc", "nat_gateway_per_gb_processed"): "GB processed",
    ("vpc", "public_ipv4_per_hour"): "IP-hour",
    ("fargate", "linux_x86_per_vcpu_hour"): "vCPU-hour",
    ("fargate", "linux_x86_per_gb_hour"): "GB-hour",
    ("fargate", "linux_arm64_per_vcpu_hour"): "vCPU-hour",
    ("fargate", "linux_arm64_per_gb_hour"): "GB-hour",
    ("rds", "storage_gp3_per_gb_month"): "GB-month",
    ("cloudfront", "data_transfer_out_us_first_10tb_per_gb"): "GB",
    ("cloudfront", "https_requests_us_per_10k"): "10,000 requests",
    ("waf", "web_acl_per_month"): "web ACL-month",
    ("waf", "rule_per_month"): "rule-month",
    ("waf", "requests_per_million"): "1M requests",
    ("secrets_manager", "secret_per_month"): "secret-month",
    ("secrets_manager", "api_calls_per_10k"): "10,000 API calls",
    ("kms", "customer_managed_key_per_month"): "key-month",
    ("kms", "requests_per_10k"): "10,000 requests",
    ("route53", "hosted_zone_per_month"): "hosted zone-month",
    ("route53", "standard_queries_per_million"): "1M queries",
    ("kinesis_data_streams", "provisioned_shard_hour"): "shard-hour",
    ("kinesis_data_streams", "put_payload_units_per_million"): "1M PUT payload units (25 KB each)",
    ("ecr", "storage_per_gb_month"): "GB-month",
    ("xray", "traces_recorded_per_million"): "1M traces recorded",
}

# Free-tier allowances: (service, key) -> how many of the allowance make one unit of the
# priced quantity it offsets (1,000,000 free requests offset 1 unit of "1M requests").
FREE_TIER: dict[tuple[str, str], float] = {
    ("lambda", "free_tier_requests"): 1_000_000,
    ("lambda", "free_tier_gb_seconds"): 1,
    ("data_transfer", "free_tier_out_to_internet"): 1,
    ("cloudfront", "free_tier_data_transfer_out"): 1,
    ("cloudfront", "free_tier_requests"): 10_000,
    ("cognito", "free_tier_mau"): 1,
    ("xray", "free_tier_traces_recorded"): 1_000_000,
}


# Catalog engine -> the engine's name in RDS price keys, and the deployments priced.
RDS_ENGINES: dict[str, str] = {"postgres": "postgresql", "mysql": "mysql"}
RDS_DEPLOYMENTS = ("single_az", "multi_az")


@dataclass(frozen=True)
class Family:
    """Keys built from a prop value: `<value><suffix>` under `service`."""

    service: str
    pattern: re.Pattern[str]
    unit: str
    # (catalog type, prop) whose default must be priced in every supported region.
    default_of: tuple[str, str]
    # Every suffix a rule may put after the prop value (engines x deployments for RDS).
    suffixes: tuple[str, ...]

    def keys(self, value: str) -> tuple[str, ...]:
        """Every key a rule can ask for when the prop has `value`."""
        return tuple(value + suffix for suffix in self.suffixes)

    def value_of(self, key: str) -> str | None:
        """The prop value `key` was built from, or None when it is not one of ours."""
        if not self.pattern.match(key):
            return None
        return next((key.removesuffix(s) for s in self.suffixes if key.endswith(s)), None)


_RDS_SUFFIXES = tuple(
    f".{engine}.{deployment}_per_hour"
    for engine in RDS_ENGINES.values()
    for deployment in RDS_DEPLOYMENTS
)

FAMILIES: tuple[Family, ...] = (
    Family(
        "ec2",
        re.compile(r"^[a-z][a-z0-9-]*\.[a-z0-9]+\.linux_per_hour$"),
        "instance-hour",
        ("aws.ec2.instance", "instance_type"),
        (".linux_per_hour",),
    ),
    Family(
        "rds",
        re.compile(
            r"^db\.[a-z0-9]+\.[a-z0-9]+\."
            rf"({'|'.join(RDS_ENGINES.values())})\.({'|'.join(RDS_DEPLOYMENTS)})_per_hour$"
        ),
        "instance-hour",
        ("aws.rds.instance", "instance_class"),
        _RDS_SUFFIXES,
    ),
    Family(
        "elasticache",
        re.compile(r"^cache\.[a-z0-9]+\.[a-z0-9]+\.redis_oss_per_hour$"),
        "node-hour",
        ("aws.elasticache.redis", "node_type"),
        (".redis_oss_per_hour",),
    ),
)


def family_of(service: str, key: str) -> Family | None:
    for family in FAMILIES:
        if family.service == service and family.pattern.match(key):
            return family
    return None
