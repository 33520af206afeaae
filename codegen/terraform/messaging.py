"""messaging.tf: SQS queues, SNS topics, Kinesis streams, EventBridge rules, Step Functions."""

from __future__ import annotations

from typing import Any

from codegen import naming
from codegen.model import Component
from codegen.terraform.context import Context
from codegen.terraform.hcl import Attr, Block, Expr, Item, block, call, template
from codegen.terraform.iam import policy_document, principal_statement
from codegen.terraform.security import key_policy, service_use

LAMBDA_RETRY = {
    "ErrorEquals": [
        "Lambda.ServiceException",
        "Lambda.AWSLambdaException",
        "Lambda.SdkClientException",
        "Lambda.TooManyRequestsException",
    ],
    "IntervalSeconds": 2,
    "MaxAttempts": 3,
    "BackoffRate": 2,
}


def emit(ctx: Context) -> list[Item]:
    items: list[Item] = []
    model = ctx.model
    for queue in model.of_type("aws.sqs.queue"):
        items += _queue(ctx, queue)
    for topic in model.of_type("aws.sns.topic"):
        items += _topic(ctx, topic)
    for sub in model.subscriptions:
        items.append(
            block(
                "resource",
                "aws_sns_topic_subscription",
                naming.tf_name(sub.edge_id),
                topic_arn=ctx.attr(sub.topic_id, "arn"),
                protocol=sub.protocol,
                endpoint=ctx.attr(sub.endpoint_id, "arn"),
            )
        )
    for stream in model.of_type("aws.kinesis.stream"):
        items.append(_stream(ctx, stream))
    for rule in model.of_type("aws.events.rule"):
        items.append(_rule(ctx, rule))
    for target in model.rule_targets:
        items.append(
            block(
                "resource",
                "aws_cloudwatch_event_target",
                naming.tf_name(target.edge_id),
                rule=ctx.attr(target.rule_id, "name"),
                target_id=target.edge_id,
                arn=ctx.attr(target.target_id, "arn"),
                role_arn=Expr(f"aws_iam_role.{ctx.name(target.rule_id)}.arn")
                if target.needs_role
                else None,
            )
        )
    for machine in model.of_type("aws.stepfunctions.state_machine"):
        items.append(_state_machine(ctx, machine))
    return items


def _queue(ctx: Context, comp: Component) -> list[Item]:
    name = ctx.name(comp.node_id)
    props = comp.props
    fifo = props["fifo"]
    redrive = next((d for d in ctx.model.dead_letter_queues if d.queue_id == comp.node_id), None)
    queue = block(
        "resource",
        "aws_sqs_queue",
        name,
        name=ctx.physical(comp.node_id, 80, ".fifo" if fifo else ""),
        fifo_queue=True if fifo else None,
        visibility_timeout_seconds=props["visibility_timeout_s"],
        message_retention_seconds=props["message_retention_s"],
        sqs_managed_sse_enabled=props["encrypted"],
        redrive_policy=call(
            "jsonencode",
            {
                "deadLetterTargetArn": ctx.attr(redrive.dead_letter_id, "arn"),
                "maxReceiveCount": redrive.max_receive_count,
            },
        )
        if redrive
        else None,
        tags=ctx.tags(comp.node_id),
    )
    arn = Expr(f"aws_sqs_queue.{name}.arn")
    statements = [
        principal_statement(
            ["sqs:*"],
            [arn],
            "*",
            ["*"],
            effect="Deny",
            conditions=[("Bool", "aws:SecureTransport", ["false"])],
            comment="refuse requests without TLS",
        )
    ]
    for policy in ctx.model.queue_policies:
        if policy.queue_id == comp.node_id:
            statements.append(
                principal_statement(
                    ["sqs:SendMessage"],
                    [arn],
                    "Service",
                    [policy.principal],
                    conditions=[
                        ("ArnEquals", "aws:SourceArn", [ctx.attr(policy.source_id, "arn")])
                    ],
                    comment=f"edge {policy.edge_id}: {policy.source_id} sends to the queue",
                )
            )
    ctx.output(
        naming.tf_name(comp.node_id, "queue_url"),
        f"URL of the SQS queue {comp.node_id}",
        Expr(f"aws_sqs_queue.{name}.url"),
    )
    return [
        queue,
        policy_document(name, statements),
        block(
            "resource",
            "aws_sqs_queue_policy",
            name,
            queue_url=Expr(f"aws_sqs_queue.{name}.id"),
            policy=Expr(f"data.aws_iam_policy_document.{name}.json"),
        ),
    ]


def source_arn(arn: Expr) -> tuple[str, str, list[Expr]]:
    """Condition limiting a service principal to requests on behalf of one resource."""
    return ("ArnEquals", "aws:SourceArn", [arn])


def _topic_publishers(ctx: Context, topic_id: str) -> list[tuple[str, str | None, str | None]]:
    """(service principal, source node, edge) of every AWS service publishing to the topic."""
    publishers: list[tuple[str, str | None, str | None]] = [
        (p.principal, p.source_id, p.edge_id)
        for p in ctx.model.topic_policies
        if p.topic_id == topic_id
    ]
    for alarm in ctx.model.alarms:
        if alarm.subject_id is None:
            continue  # not rendered: an alarm needs a metric to watch
        for topic, edge in zip(alarm.topic_ids, alarm.action_edge_ids, strict=True):
            if topic == topic_id:
                publishers.append(("cloudwatch.amazonaws.com", alarm.alarm_id, edge))
    return publishers


def _topic(ctx: Context, comp: Component) -> list[Item]:
    name = ctx.name(comp.node_id)
    props = comp.props
    publishers = _topic_publishers(ctx, comp.node_id)
    items: list[Item] = []
    key: Any = None
    if props["encrypted"]:
        if publishers:
            # AWS services cannot use the AWS managed SNS key; a key of our own lets
            # them, and principals of the account keep using it through SNS.
            items += key_policy(
                ctx,
                name,
                comp.node_id,
                [service_use(sorted({p[0] for p in publishers}))],
                via_service="sns",
            )
            key = Expr(f"aws_kms_key.{name}.arn")
        else:
            key = "alias/aws/sns"
    items.append(
        block(
            "resource",
            "aws_sns_topic",
            name,
            name=ctx.physical(comp.node_id, 256, ".fifo" if props["fifo"] else ""),
            display_name=naming.free_text(comp.label, 100),
            fifo_topic=True if props["fifo"] else None,
            kms_master_key_id=key,
            tags=ctx.tags(comp.node_id),
        )
    )
    if publishers:
        arn = Expr(f"aws_sns_topic.{name}.arn")
        statements = [
            principal_statement(
                ["sns:Publish"],
                [arn],
                "Service",
                [principal],
                conditions=[source_arn(ctx.attr(source, "arn"))],
                comment=f"edge {edge}: {source} publishes",
            )
            for principal, source, edge in publishers
        ]
        items += [
            policy_document(name, statements),
            block(
                "resource",
                "aws_sns_topic_policy",
                name,
                arn=arn,
                policy=Expr(f"data.aws_iam_policy_document.{name}.json"),
            ),
        ]
    ctx.output(
        naming.tf_name(comp.node_id, "topic_arn"),
        f"ARN of the SNS topic {comp.node_id}",
        Expr(f"aws_sns_topic.{name}.arn"),
    )
    return items


def _stream(ctx: Context, comp: Component) -> Block:
    props = comp.props
    stream = block(
        "resource",
        "aws_kinesis_stream",
        ctx.name(comp.node_id),
        name=ctx.physical(comp.node_id, 128),
        shard_count=props["shard_count"],
        retention_period=props["retention_hours"],
        encryption_type="KMS" if props["encrypted"] else "NONE",
        kms_key_id="alias/aws/kinesis" if props["encrypted"] else None,
    )
    return stream.add(
        block("stream_mode_details", stream_mode="PROVISIONED"),
        Attr("tags", ctx.tags(comp.node_id)),
    )


def _rule(ctx: Context, comp: Component) -> Block:
    props = comp.props
    pattern = props["event_pattern"]
    return block(
        "resource",
        "aws_cloudwatch_event_rule",
        ctx.name(comp.node_id),
        name=ctx.physical(comp.node_id, 64),
        description=naming.free_text(comp.label, 512),
        schedule_expression=None if pattern else props["schedule_expression"],
        event_pattern=pattern or None,
        state="ENABLED" if props["enabled"] else "DISABLED",
        tags=ctx.tags(comp.node_id),
    )


def _definition(ctx: Context, machine_id: str) -> dict[str, Any]:
    tasks = ctx.model.state_machine_tasks.get(machine_id)
    if tasks is None:
        return {
            "Comment": f"Cloudwright node {machine_id}: connect Lambda functions to add tasks",
            "StartAt": "Done",
            "States": {"Done": {"Type": "Pass", "End": True}},
        }
    names: list[str] = []
    for function_id in tasks.function_ids:
        state = function_id
        while state in names:
            state += "-again"
        names.append(state)
    states: dict[str, Any] = {}
    for index, (state, function_id) in enumerate(zip(names, tasks.function_ids, strict=True)):
        step: dict[str, Any] = {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": ctx.attr(function_id, "arn"), "Payload.$": "$"},
            "OutputPath": "$.Payload",
            "Retry": [LAMBDA_RETRY],
        }
        if index + 1 < len(names):
            step["Next"] = names[index + 1]
        else:
            step["End"] = True
        states[state] = step
    return {"Comment": f"Cloudwright node {machine_id}", "StartAt": names[0], "States": states}


def _state_machine(ctx: Context, comp: Component) -> Block:
    name = ctx.name(comp.node_id)
    props = comp.props
    machine = block(
        "resource",
        "aws_sfn_state_machine",
        name,
        name=ctx.physical(comp.node_id, 80),
        type=props["workflow_type"],
        role_arn=Expr(f"aws_iam_role.{name}.arn"),
        definition=call("jsonencode", _definition(ctx, comp.node_id)),
    )
    if props["logging"]:
        log_group = ctx.log_group(comp.node_id, "state_machine")
        machine.add(
            block(
                "logging_configuration",
                log_destination=template(Expr(f"{log_group}.arn"), ":*"),
                include_execution_data=True,
                level="ALL",
            )
        )
    machine.add(
        block("tracing_configuration", enabled=props["tracing"]),
        Attr("tags", ctx.tags(comp.node_id)),
    )
    ctx.output(
        naming.tf_name(comp.node_id, "state_machine_arn"),
        f"ARN of the state machine {comp.node_id}",
        Expr(f"aws_sfn_state_machine.{name}.arn"),
    )
    return machine
