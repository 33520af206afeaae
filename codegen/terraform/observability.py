"""observability.tf: log groups (drawn ones and those resources need) and alarms."""

from __future__ import annotations

from codegen import naming
from codegen.model import AlarmSpec, LogGroupSpec
from codegen.terraform.context import Context
from codegen.terraform.hcl import Comment, Expr, Item, block, template
from codegen.terraform.security import LOGS_KEY, key_policy, logs_key, service_use

# Where AWS services expect their log groups, by what the group is for.
LOG_GROUP_PATHS = {
    "lambda": "/aws/lambda/",
    "api_access": "/aws/apigateway/",
    "state_machine": "/aws/vendedlogs/states/",
    "ecs": "/ecs/",
    "flow_logs": "/aws/vpc-flow-logs/",
    "rotation": "/aws/lambda/rotation/",
}
# Metrics whose dimension alone does not identify the resource.
EXTRA_DIMENSIONS = {"AWS/ECS": {"ClusterName": Expr("aws_ecs_cluster.this.name")}}


def _logs_key(ctx: Context) -> list[Item]:
    """One key for the architecture's log groups, usable by CloudWatch Logs for them only."""
    log_groups = template(
        "arn:aws:logs:",
        Expr("var.region"),
        ":",
        Expr("data.aws_caller_identity.current.account_id"),
        ":log-group:*",
    )
    return key_policy(
        ctx,
        ctx.singleton(LOGS_KEY),
        None,
        [
            service_use(
                [template("logs.", Expr("var.region"), ".amazonaws.com")],
                [("ArnLike", "kms:EncryptionContext:aws:logs:arn", [log_groups])],
            )
        ],
    )


def emit(ctx: Context) -> list[Item]:
    items: list[Item] = []
    if ctx.model.log_groups or ctx.model.of_type("aws.logs.log_group", "aws.wafv2.web_acl"):
        items += _logs_key(ctx)
    for group in ctx.model.of_type("aws.logs.log_group"):
        items.append(
            block(
                "resource",
                "aws_cloudwatch_log_group",
                ctx.name(group.node_id),
                name=template("/", Expr("var.name_prefix"), f"/{group.node_id}"),
                retention_in_days=group.props["retention_days"],
                kms_key_id=logs_key(ctx),
                tags=ctx.tags(group.node_id),
            )
        )
    for spec in ctx.model.log_groups:
        if spec.drawn_id is None:
            items.append(_own_log_group(ctx, spec))
    for alarm in ctx.model.alarms:
        items.append(_alarm(ctx, alarm))
    return items


def _own_log_group(ctx: Context, spec: LogGroupSpec) -> Item:
    owner = ctx.comp(spec.owner_id)
    # A function's group must be named after the function; the same rule names both.
    return block(
        "resource",
        "aws_cloudwatch_log_group",
        naming.tf_name(spec.owner_id, spec.purpose),
        name=ctx.physical(spec.owner_id, 64, lead=LOG_GROUP_PATHS[spec.purpose]),
        retention_in_days=spec.retention_days,
        kms_key_id=logs_key(ctx),
        tags=ctx.tags(owner.node_id, f"{spec.purpose.replace('_', ' ')} logs"),
    )


def _alarm(ctx: Context, alarm: AlarmSpec) -> Item:
    comp = ctx.comp(alarm.alarm_id)
    if alarm.subject_id is None:
        return Comment(
            f"Alarm {alarm.alarm_id} is not generated: it watches nothing.\n"
            "Connect the resource it should watch to it."
        )
    props = comp.props
    dimensions = {alarm.dimension: ctx.ref(alarm.dimension_ref)}
    dimensions.update(EXTRA_DIMENSIONS.get(alarm.namespace, {}))
    topics = [ctx.attr(topic, "arn") for topic in alarm.topic_ids]
    return block(
        "resource",
        "aws_cloudwatch_metric_alarm",
        ctx.name(alarm.alarm_id),
        alarm_name=ctx.physical(alarm.alarm_id, 255),
        alarm_description=naming.free_text(comp.label, 1024),
        namespace=alarm.namespace,
        metric_name=alarm.metric_name,
        dimensions=dimensions,
        statistic=props["statistic"],
        period=props["period_s"],
        evaluation_periods=props["evaluation_periods"],
        threshold=props["threshold"],
        comparison_operator=props["comparison"],
        treat_missing_data="notBreaching",
        alarm_actions=topics or None,
        ok_actions=topics or None,
        tags=ctx.tags(alarm.alarm_id),
    )
