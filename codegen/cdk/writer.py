"""What one stack's builders share: how to name a construct, an attribute, a module.

A node's construct is `self.<ident>` in the stack that owns it and `<stack>.<ident>`
in a stack that refers to it (the owning stack is passed in, and CDK turns the
reference into an export and an import).
"""

from __future__ import annotations

from codegen import naming
from codegen.cdk.pytree import Expr, Name, name
from codegen.cdk.stacks import StackPlan
from codegen.model import Model, Ref

# aws_cdk submodules, by the alias the generated code imports them as.
MODULES = {
    "apigateway": "aws_apigateway",
    "apigwv2": "aws_apigatewayv2",
    "apigwv2_authorizers": "aws_apigatewayv2_authorizers",
    "apigwv2_integrations": "aws_apigatewayv2_integrations",
    "cloudfront": "aws_cloudfront",
    "origins": "aws_cloudfront_origins",
    "cloudwatch": "aws_cloudwatch",
    "cw_actions": "aws_cloudwatch_actions",
    "cognito": "aws_cognito",
    "dynamodb": "aws_dynamodb",
    "ec2": "aws_ec2",
    "ecr": "aws_ecr",
    "ecs": "aws_ecs",
    "elasticache": "aws_elasticache",
    "elbv2": "aws_elasticloadbalancingv2",
    "elbv2_targets": "aws_elasticloadbalancingv2_targets",
    "events": "aws_events",
    "targets": "aws_events_targets",
    "kinesis": "aws_kinesis",
    "kms": "aws_kms",
    "lambda_": "aws_lambda",
    "event_sources": "aws_lambda_event_sources",
    "logs": "aws_logs",
    "rds": "aws_rds",
    "route53": "aws_route53",
    "route53_targets": "aws_route53_targets",
    "s3": "aws_s3",
    "s3n": "aws_s3_notifications",
    "secretsmanager": "aws_secretsmanager",
    "sns": "aws_sns",
    "subscriptions": "aws_sns_subscriptions",
    "sqs": "aws_sqs",
    "sfn": "aws_stepfunctions",
    "tasks": "aws_stepfunctions_tasks",
    "wafv2": "aws_wafv2",
}

# The construct attribute a model `Ref` names, per type.
ATTRIBUTES = {
    "aws.dynamodb.table": {
        "name": "table_name",
        "arn": "table_arn",
        "stream_arn": "table_stream_arn",
    },
    "aws.s3.bucket": {"name": "bucket_name", "arn": "bucket_arn"},
    "aws.sqs.queue": {"url": "queue_url", "arn": "queue_arn", "name": "queue_name"},
    "aws.sns.topic": {"arn": "topic_arn", "name": "topic_name"},
    "aws.secretsmanager.secret": {"arn": "secret_arn"},
    "aws.kinesis.stream": {"name": "stream_name", "arn": "stream_arn"},
    "aws.kms.key": {"arn": "key_arn"},
    "aws.rds.instance": {
        "endpoint": "db_instance_endpoint_address",
        "id": "instance_identifier",
        "secret_arn": "secret.secret_arn",
        "secret": "secret",
    },
    "aws.elasticache.redis": {"endpoint": "attr_primary_end_point_address", "id": "ref"},
    "aws.lambda.function": {"name": "function_name", "arn": "function_arn"},
    "aws.ecs.fargate_service": {"name": "service_name"},
    "aws.ec2.instance": {"id": "instance_id"},
    "aws.apigateway.rest_api": {"name": "rest_api_name"},
    "aws.apigatewayv2.http_api": {"id": "api_id"},
    "aws.stepfunctions.state_machine": {"arn": "state_machine_arn"},
}

# Model refs that name a construct a node owns besides its own (ElastiCache has no L2
# construct to carry its AUTH token secret): (type, attribute) -> (companion suffix,
# attribute of the companion, "" for the construct itself).
COMPANION_ATTRIBUTES = {
    ("aws.elasticache.redis", "secret"): ("auth", ""),
    ("aws.elasticache.redis", "secret_arn"): ("auth", "secret_arn"),
}


class StackWriter:
    def __init__(self, model: Model, plan: StackPlan, stack_of: dict[str, str]):
        self.model = model
        self.plan = plan
        self.stack_of = stack_of
        self._taken = {c.ident for c in model.components.values()}

    def owns(self, node_id: str) -> bool:
        return self.stack_of[node_id] == self.plan.ident

    def mod(self, alias: str) -> Expr:
        assert alias in MODULES
        return Name(alias)

    def core(self, dotted: str) -> Expr:
        """A name from `aws_cdk` itself: Duration, Fn..."""
        return name(dotted)

    def _owner(self, node_id: str) -> Expr:
        owner = self.stack_of[node_id]
        return Name("self") if owner == self.plan.ident else Name(owner)

    def node(self, node_id: str) -> Expr:
        return self._owner(node_id).attr(self.model.components[node_id].ident)

    def companion(self, node_id: str, suffix: str) -> Expr:
        ident = naming.companion_ident(self.model.components[node_id].ident, suffix, self._taken)
        return self._owner(node_id).attr(ident)

    def shared(self, name: str) -> Expr:
        """A construct the stack has once (its access-log bucket): `self.<name>`, made
        unique against node identifiers as companions are."""
        taken = name in self._taken
        return Name("self").attr(f"{name}_{naming.short_hash(name)}" if taken else name)

    def ref(self, ref: Ref) -> Expr:
        type_ = self.model.components[ref.node_id].type
        companion = COMPANION_ATTRIBUTES.get((type_, ref.attribute))
        if companion:
            expr = self.companion(ref.node_id, companion[0])
            return expr.attr(companion[1]) if companion[1] else expr
        expr = self.node(ref.node_id)
        if ref.attribute == "construct":
            return expr
        for part in ATTRIBUTES[type_][ref.attribute].split("."):
            expr = expr.attr(part)
        return expr

    def principal(self, node_id: str) -> Expr:
        """The IAM grantable of a compute node: the ECS task role, else the construct."""
        expr = self.node(node_id)
        if self.model.components[node_id].type == "aws.ecs.fargate_service":
            return expr.attr("task_definition").attr("task_role")
        return expr

    def duration(self, unit: str, amount: int) -> Expr:
        return self.core("Duration").method(unit, amount)

    def subnets(self, subnet_ids: tuple[str, ...]) -> Expr:
        return self.mod("ec2").method("SubnetSelection", subnets=[self.node(s) for s in subnet_ids])
