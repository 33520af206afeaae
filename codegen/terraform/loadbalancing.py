"""loadbalancing.tf: application load balancers, listeners, target groups and rules."""

from __future__ import annotations

from codegen import naming
from codegen.model import Component, LbTarget
from codegen.terraform.context import Context
from codegen.terraform.hcl import BLANK, Attr, Block, Expr, Item, block
from codegen.terraform.storage import log_bucket

TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"


def emit(ctx: Context) -> list[Item]:
    items: list[Item] = []
    for alb in ctx.model.of_type("aws.elbv2.application_load_balancer"):
        targets = [t for t in ctx.model.lb_targets if t.alb_id == alb.node_id]
        items.extend(_load_balancer(ctx, alb, targets))
        for target in targets:
            items.extend(_target(ctx, alb, target))
        ctx.output(
            naming.tf_name(alb.node_id, "dns_name"),
            f"DNS name of the load balancer {alb.node_id}",
            Expr(f"aws_lb.{ctx.name(alb.node_id)}.dns_name"),
        )
    return items


def _load_balancer(ctx: Context, alb: Component, targets: list[LbTarget]) -> list[Item]:
    name = ctx.name(alb.node_id)
    props = alb.props
    https = props["listener_protocol"] == "HTTPS"
    default = next((t for t in targets if t.is_default), None)
    if default:
        action = block(
            "default_action",
            type="forward",
            target_group_arn=Expr(f"aws_lb_target_group.{naming.tf_name(default.edge_id)}.arn"),
        )
    else:
        action = block("default_action", type="fixed-response").add(
            block(
                "fixed_response",
                content_type="text/plain",
                message_body="Not found",
                status_code="404",
            )
        )
    balancer = block(
        "resource",
        "aws_lb",
        name,
        name=ctx.physical(alb.node_id, 32),
        internal=not props["internet_facing"],
        load_balancer_type="application",
        security_groups=[Expr(f"aws_security_group.{name}.id")] if alb.has_security_group else None,
        subnets=[Expr(f"aws_subnet.{ctx.name(s)}.id") for s in alb.subnet_ids],
        drop_invalid_header_fields=props["drop_invalid_header_fields"],
        enable_deletion_protection=props["deletion_protection"],
    )
    logs = ctx.model.access_log_source(alb.node_id)
    if logs:
        balancer.add(
            block(
                "access_logs",
                bucket=Expr(f"{log_bucket(ctx)}.id"),
                prefix=logs.prefix,
                enabled=True,
            )
        )
    balancer.add(Attr("tags", ctx.tags(alb.node_id)))
    if logs:
        # Turning logs on checks that the bucket policy lets the load balancer write.
        balancer.add(BLANK, Attr("depends_on", [Expr(log_bucket(ctx, "aws_s3_bucket_policy"))]))
    return [
        balancer,
        block(
            "resource",
            "aws_lb_listener",
            name,
            load_balancer_arn=Expr(f"aws_lb.{name}.arn"),
            port=443 if https else 80,
            protocol=props["listener_protocol"],
            ssl_policy=TLS_POLICY if https else None,
            certificate_arn=(props["certificate_arn"] or None) if https else None,
        ).add(action, Attr("tags", ctx.tags(alb.node_id, "listener"))),
    ]


def _target(ctx: Context, alb: Component, target: LbTarget) -> list[Item]:
    name = naming.tf_name(target.edge_id)
    lambda_target = target.target_type == "lambda"
    group = block(
        "resource",
        "aws_lb_target_group",
        name,
        target_type=target.target_type,
        port=None if lambda_target else target.port,
        protocol=None if lambda_target else "HTTP",
        vpc_id=None if lambda_target else Expr(f"aws_vpc.{ctx.name(alb.vpc_id)}.id"),
    )
    group.add(
        block("health_check", enabled=True, path=target.health_check_path, matcher="200-399"),
        Attr("tags", ctx.tags(target.target_id, f"target of {alb.node_id}")),
    )
    items: list[Item] = [group]
    if target.target_type != "ip":
        attachment = block(
            "resource",
            "aws_lb_target_group_attachment",
            name,
            target_group_arn=Expr(f"aws_lb_target_group.{name}.arn"),
            target_id=ctx.attr(target.target_id, "arn" if lambda_target else "id"),
            port=None if lambda_target else target.port,
        )
        if lambda_target:
            attachment.add(BLANK, Attr("depends_on", [Expr(f"aws_lambda_permission.{name}")]))
        items.append(attachment)
    if not target.is_default:
        items.append(
            block(
                "resource",
                "aws_lb_listener_rule",
                name,
                listener_arn=Expr(f"aws_lb_listener.{ctx.name(alb.node_id)}.arn"),
                priority=target.priority,
            ).add(
                block(
                    "action",
                    type="forward",
                    target_group_arn=Expr(f"aws_lb_target_group.{name}.arn"),
                ),
                Block(
                    "condition",
                    (),
                    [block("path_pattern", values=[target.path_pattern])],
                ),
            )
        )
    return items
