"""compute.tf: ECS Fargate services (one cluster for all) and EC2 instances."""

from __future__ import annotations

import re

from codegen import naming
from codegen.model import Component
from codegen.terraform.context import Context
from codegen.terraform.hcl import BLANK, Attr, Block, Expr, Item, block, call, template

CLUSTER = "aws_ecs_cluster.this"
CONTAINER = "app"
# Graviton instance families (t4g, m7g, c6gn...) need an arm64 image.
_ARM_FAMILY = re.compile(r"^[a-z]+\d+[a-z]*g[a-z]*\.")
AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-{}"


def emit(ctx: Context) -> list[Item]:
    items: list[Item] = []
    services = ctx.model.of_type("aws.ecs.fargate_service")
    if services:
        items.append(
            block(
                "resource",
                "aws_ecs_cluster",
                "this",
                name=Expr("var.name_prefix"),
            ).add(
                block("setting", name="containerInsights", value="enabled"),
            )
        )
    for comp in services:
        items.extend(_service(ctx, comp))
    instances = ctx.model.of_type("aws.ec2.instance")
    for arch in sorted({_arch(c) for c in instances}):
        items.append(
            block(
                "data",
                "aws_ssm_parameter",
                f"al2023_{arch}",
                name=AMI_PARAMETER.format(arch),
            )
        )
    for comp in instances:
        items.append(_instance(ctx, comp))
    return items


def _service(ctx: Context, comp: Component) -> list[Item]:
    name = ctx.name(comp.node_id)
    props = comp.props
    log_group = ctx.log_group(comp.node_id, "ecs")
    container = {
        "name": CONTAINER,
        "image": props["image"],
        "essential": True,
        "portMappings": [{"containerPort": props["container_port"], "protocol": "tcp"}],
        "environment": [
            {"name": key, "value": ctx.ref(ref)} for key, ref in sorted(comp.env.items())
        ],
        "logConfiguration": {
            "logDriver": "awslogs",
            "options": {
                "awslogs-group": Expr(f"{log_group}.name"),
                "awslogs-region": Expr("var.region"),
                "awslogs-stream-prefix": CONTAINER,
            },
        },
    }
    task = block(
        "resource",
        "aws_ecs_task_definition",
        name,
        family=ctx.physical(comp.node_id, 255),
        requires_compatibilities=["FARGATE"],
        network_mode="awsvpc",
        cpu=str(props["cpu"]),
        memory=str(props["memory_mb"]),
        execution_role_arn=Expr(f"aws_iam_role.{naming.tf_name(comp.node_id, 'execution')}.arn"),
        task_role_arn=Expr(f"aws_iam_role.{name}.arn"),
        container_definitions=call("jsonencode", [container]),
    ).add(
        block(
            "runtime_platform",
            operating_system_family="LINUX",
            cpu_architecture="ARM64" if props["architecture"] == "arm64" else "X86_64",
        ),
        Attr("tags", ctx.tags(comp.node_id, "task definition")),
    )
    service = block(
        "resource",
        "aws_ecs_service",
        name,
        name=ctx.physical(comp.node_id, 255),
        cluster=Expr(f"{CLUSTER}.id"),
        task_definition=Expr(f"aws_ecs_task_definition.{name}.arn"),
        desired_count=props["desired_count"],
        launch_type="FARGATE",
        propagate_tags="SERVICE",
        enable_execute_command=False,
    ).add(
        block(
            "network_configuration",
            subnets=ctx.subnets(comp),
            security_groups=ctx.security_groups(comp),
            assign_public_ip=False,
        ),
        block("deployment_circuit_breaker", enable=True, rollback=True),
    )
    listeners = []
    for target in ctx.model.lb_targets:
        if target.target_id == comp.node_id:
            service.add(
                block(
                    "load_balancer",
                    target_group_arn=Expr(
                        f"aws_lb_target_group.{naming.tf_name(target.edge_id)}.arn"
                    ),
                    container_name=CONTAINER,
                    container_port=props["container_port"],
                )
            )
            listeners.append(Expr(f"aws_lb_listener.{ctx.name(target.alb_id)}"))
    service.add(Attr("tags", ctx.tags(comp.node_id)))
    if listeners:
        service.add(BLANK, Attr("depends_on", listeners))
    return [task, service]


def _arch(comp: Component) -> str:
    return "arm64" if _ARM_FAMILY.match(comp.props["instance_type"]) else "x86_64"


def _instance(ctx: Context, comp: Component) -> Block:
    name = ctx.name(comp.node_id)
    props = comp.props
    instance = block(
        "resource",
        "aws_instance",
        name,
        ami=Expr(f"data.aws_ssm_parameter.al2023_{_arch(comp)}.value"),
        instance_type=props["instance_type"],
        subnet_id=Expr(f"aws_subnet.{ctx.name(comp.subnet_ids[0])}.id")
        if comp.subnet_ids
        else None,
        vpc_security_group_ids=(
            [Expr(f"aws_security_group.{name}.id")] if comp.has_security_group else None
        ),
        iam_instance_profile=Expr(f"aws_iam_instance_profile.{name}.name"),
        associate_public_ip_address=props["associate_public_ip"],
        monitoring=props["detailed_monitoring"],
        ebs_optimized=True,
    )
    if comp.env:
        lines = ["#!/bin/bash", "cat >> /etc/environment <<'EOF'"]
        lines += [template(f"{key}=", ctx.ref(ref)) for key, ref in sorted(comp.env.items())]
        instance.add(Attr("user_data", call("join", "\n", [*lines, "EOF"])))
    instance.add(
        block("metadata_options", http_endpoint="enabled", http_tokens="required"),
        block(
            "root_block_device",
            volume_size=props["volume_gb"],
            volume_type="gp3",
            encrypted=props["volume_encrypted"],
        ),
        Attr("tags", ctx.tags(comp.node_id)),
    )
    return instance
