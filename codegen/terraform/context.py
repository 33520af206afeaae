"""What every emitter shares: addresses of nodes, references, physical names, tags.

A node's primary resource is `<resource type>.<naming.tf_name(node id)>`; resources a
node implies besides it (its role, security group, log group...) use the same name
under their own resource type, or `tf_name(node id, role)` where one type repeats.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from codegen import naming
from codegen.model import Component, Model, Ref
from codegen.terraform.hcl import Block, Expr, attrs, template

# The Terraform resource type of each node type's primary resource.
RESOURCE_TYPES = {
    "aws.ec2.vpc": "aws_vpc",
    "aws.ec2.subnet": "aws_subnet",
    "aws.ec2.nat_gateway": "aws_nat_gateway",
    "aws.ec2.instance": "aws_instance",
    "aws.elbv2.application_load_balancer": "aws_lb",
    "aws.ecs.fargate_service": "aws_ecs_service",
    "aws.lambda.function": "aws_lambda_function",
    "aws.apigateway.rest_api": "aws_api_gateway_rest_api",
    "aws.apigatewayv2.http_api": "aws_apigatewayv2_api",
    "aws.dynamodb.table": "aws_dynamodb_table",
    "aws.s3.bucket": "aws_s3_bucket",
    "aws.sqs.queue": "aws_sqs_queue",
    "aws.sns.topic": "aws_sns_topic",
    "aws.kinesis.stream": "aws_kinesis_stream",
    "aws.events.rule": "aws_cloudwatch_event_rule",
    "aws.stepfunctions.state_machine": "aws_sfn_state_machine",
    "aws.cognito.user_pool": "aws_cognito_user_pool",
    "aws.secretsmanager.secret": "aws_secretsmanager_secret",
    "aws.kms.key": "aws_kms_key",
    "aws.rds.instance": "aws_db_instance",
    "aws.elasticache.redis": "aws_elasticache_replication_group",
    "aws.cloudfront.distribution": "aws_cloudfront_distribution",
    "aws.wafv2.web_acl": "aws_wafv2_web_acl",
    "aws.logs.log_group": "aws_cloudwatch_log_group",
    "aws.cloudwatch.alarm": "aws_cloudwatch_metric_alarm",
    "aws.route53.hosted_zone": "aws_route53_zone",
    "aws.ecr.repository": "aws_ecr_repository",
}

# How a model `Ref` attribute reads in Terraform, per node type; `{a}` is the address.
_DEFAULT_ATTRS = {"arn": "{a}.arn", "id": "{a}.id", "name": "{a}.name"}
ATTRIBUTES: dict[str, dict[str, str]] = {
    "aws.lambda.function": {
        "name": "{a}.function_name",
        "arn_versions": '"${{{a}.arn}}:*"',
        "invoke_arn": "{a}.invoke_arn",
    },
    "aws.s3.bucket": {
        "name": "{a}.id",
        "objects": '"${{{a}.arn}}/*"',
        "kms_key_arn": "aws_kms_key.{n}.arn",
    },
    "aws.sqs.queue": {"url": "{a}.url"},
    "aws.dynamodb.table": {"stream_arn": "{a}.stream_arn"},
    "aws.rds.instance": {
        "endpoint": "{a}.address",
        "id": "{a}.identifier",
        "secret_arn": "{a}.master_user_secret[0].secret_arn",
    },
    "aws.elasticache.redis": {
        "endpoint": "{a}.primary_endpoint_address",
        "secret_arn": "aws_secretsmanager_secret.{n}.arn",
    },
    "aws.ecs.fargate_service": {"name": "{a}.name"},
}


@dataclass
class Context:
    """The model plus what the emitters collect for the repository's shared files."""

    model: Model
    outputs: list[Block] = field(default_factory=list)
    # Whether the us-east-1 provider alias is needed (a WAF protecting CloudFront).
    needs_us_east_1: bool = False
    _node_names: set[str] | None = field(default=None, repr=False)

    def comp(self, node_id: str) -> Component:
        return self.model.components[node_id]

    def name(self, node_id: str) -> str:
        return naming.tf_name(node_id)

    def address(self, node_id: str) -> str:
        return f"{RESOURCE_TYPES[self.comp(node_id).type]}.{naming.tf_name(node_id)}"

    def attr(self, node_id: str, attribute: str) -> Expr:
        type_ = self.comp(node_id).type
        pattern = ATTRIBUTES.get(type_, {}).get(attribute) or _DEFAULT_ATTRS.get(attribute)
        if pattern is None:
            raise KeyError(f"no Terraform attribute {attribute!r} for {type_}")
        return Expr(pattern.format(a=self.address(node_id), n=naming.tf_name(node_id)))

    def ref(self, ref: Ref) -> Expr:
        return self.attr(ref.node_id, ref.attribute)

    def physical(
        self, node_id: str, max_length: int = 40, suffix: str = "", lead: str = ""
    ) -> Expr:
        """An AWS resource name: `lead`, the name prefix, then the node's part of it.

        `var.name_prefix` is at most 20 characters (its validation says so), so the
        node's part gets what the service allows beyond that and the hyphen.
        """
        part = naming.physical_suffix(node_id, max_length - 21 - len(suffix))
        return template(lead, Expr("var.name_prefix"), f"-{part}{suffix}")

    def tags(self, node_id: str, role: str = "") -> dict[str, str]:
        """Per-resource tags: the label as the Name (default tags carry the rest)."""
        label = naming.tag_value(self.comp(node_id).label)
        name = f"{label} - {role}" if role else label
        return {"Name": name[:256], "CloudwrightNode": node_id}

    def subnets(self, comp: Component) -> list[Expr]:
        return [Expr(f"aws_subnet.{naming.tf_name(s)}.id") for s in comp.subnet_ids]

    def security_groups(self, comp: Component) -> list[Expr] | None:
        """The node's own security group, as a list, when it has one."""
        if not comp.has_security_group:
            return None
        return [Expr(f"aws_security_group.{naming.tf_name(comp.node_id)}.id")]

    def absent(self, node_id: str) -> bool:
        """Whether a node renders no resource, for want of what it needs (said in a comment)."""
        comp = self.comp(node_id)
        if comp.type == "aws.cloudfront.distribution":
            return not any(o.distribution_id == node_id for o in self.model.cdn_origins)
        if comp.type == "aws.cloudwatch.alarm":
            return any(a.alarm_id == node_id and a.subject_id is None for a in self.model.alarms)
        return False

    def singleton(self, name: str) -> str:
        """Name of a resource the architecture has once (the access-log bucket...).

        Such names could equal a node's; that node keeps the plain name.
        """
        if self._node_names is None:
            self._node_names = {naming.tf_name(node_id) for node_id in self.model.components}
        return naming.tf_name(name, "shared") if name in self._node_names else name

    def log_group(self, owner_id: str, purpose: str) -> str:
        """Address of the log group `owner_id` writes to: a drawn one, or its own."""
        spec = self.model.log_group_for(owner_id, purpose)
        if spec is not None and spec.drawn_id:
            return f"aws_cloudwatch_log_group.{naming.tf_name(spec.drawn_id)}"
        return f"aws_cloudwatch_log_group.{naming.tf_name(owner_id, purpose)}"

    def output(self, name: str, description: str, value: Expr) -> None:
        self.outputs.append(
            Block("output", (name,)).add(*attrs(description=description, value=value))
        )
