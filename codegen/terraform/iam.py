"""iam.tf: one role per principal, granting exactly the model's grants.

Each `IamGrant` becomes one policy statement: its actions on its resources, never `*`.
Permissions a service needs to run at all (writing its own logs, attaching to a VPC,
X-Ray) come from AWS managed policies or statements scoped to the principal's own log
group, and are separate from the grants the edges imply.
"""

from __future__ import annotations

from typing import Any

from codegen import naming
from codegen.model import IamGrant
from codegen.terraform.context import Context
from codegen.terraform.hcl import Attr, Block, Comment, Expr, Item, block

MANAGED = "arn:aws:iam::aws:policy/"
LAMBDA_VPC = MANAGED + "service-role/AWSLambdaVPCAccessExecutionRole"
XRAY = MANAGED + "AWSXRayDaemonWriteAccess"
ECS_EXECUTION = MANAGED + "service-role/AmazonECSTaskExecutionRolePolicy"
SSM_CORE = MANAGED + "AmazonSSMManagedInstanceCore"
# Step Functions' log delivery API takes no resource ARN (AWS documents `*`).
SFN_LOG_DELIVERY = [
    "logs:CreateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:DescribeLogGroups",
    "logs:DescribeResourcePolicies",
    "logs:GetLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:UpdateLogDelivery",
]


def statement(
    actions: list[str],
    resources: list[Any],
    *,
    effect: str | None = None,
    principals: tuple[str, Any] | None = None,
    conditions: list[tuple[str, str, list[Any]]] = (),
    comment: str | None = None,
) -> Block:
    body: list[Item] = [Comment(comment)] if comment else []
    stmt = Block("statement", (), body)
    if effect:
        stmt.add(Attr("effect", effect))
    stmt.add(Attr("actions", actions))
    if resources is not None:
        stmt.add(Attr("resources", resources))
    if principals:
        stmt.add(
            Block(
                "principals",
                (),
                [Attr("type", principals[0]), Attr("identifiers", principals[1])],
            )
        )
    for test, variable, values in conditions:
        stmt.add(block("condition", test=test, variable=variable, values=values))
    return stmt


def principal_statement(
    actions: list[str], resources: list[Any], kind: str, identifiers: Any, **kwargs: Any
) -> Block:
    """A statement of a resource policy: who (`principals`) may do what on it."""
    return statement(actions, resources, principals=(kind, identifiers), **kwargs)


def policy_document(name: str, statements: list[Block]) -> Block:
    return Block("data", ("aws_iam_policy_document", name), list(statements))


def role_with_policy(
    name: str,
    service: str,
    statements: list[Block],
    tags: dict[str, str],
    managed: tuple[str, ...] = (),
    role_name: Expr | None = None,
) -> list[Item]:
    """A role `service` assumes, its inline policy and its managed policy attachments."""
    assume = naming.tf_name(name, "assume")
    items: list[Item] = [
        policy_document(
            assume,
            [principal_statement(["sts:AssumeRole"], None, "Service", [service])],
        ),
        block(
            "resource",
            "aws_iam_role",
            name,
            name=role_name,
            assume_role_policy=Expr(f"data.aws_iam_policy_document.{assume}.json"),
            tags=tags,
        ),
    ]
    if statements:
        items += [
            policy_document(name, statements),
            block(
                "resource",
                "aws_iam_role_policy",
                name,
                role=Expr(f"aws_iam_role.{name}.id"),
                policy=Expr(f"data.aws_iam_policy_document.{name}.json"),
            ),
        ]
    for arn in managed:
        attachment = naming.tf_name(name, arn.rsplit("/", 1)[1])
        items.append(
            block(
                "resource",
                "aws_iam_role_policy_attachment",
                attachment,
                role=Expr(f"aws_iam_role.{name}.name"),
                policy_arn=arn,
            )
        )
    return items


# Types with a role of their own whether or not an edge grants them anything.
ROLE_TYPES = {
    "aws.lambda.function",
    "aws.ecs.fargate_service",
    "aws.ec2.instance",
    "aws.stepfunctions.state_machine",
}


def grant_statements(ctx: Context, grants: list[IamGrant]) -> list[Block]:
    return [
        statement(
            list(grant.actions),
            [ctx.ref(ref) for ref in grant.resources],
            comment=f"edge {grant.edge_id}: {grant.principal_id} -> {grant.target_id}"
            + (f" ({grant.access})" if grant.access else ""),
        )
        for grant in grants
    ]


def emit(ctx: Context) -> list[Item]:
    items: list[Item] = []
    model = ctx.model
    by_principal: dict[str, list[IamGrant]] = {}
    for grant in model.iam_grants:
        by_principal.setdefault(grant.principal_id, []).append(grant)
    for comp in model.components.values():
        if comp.type not in ROLE_TYPES and comp.node_id not in by_principal:
            continue
        grants = grant_statements(ctx, by_principal.get(comp.node_id, []))
        name = ctx.name(comp.node_id)
        tags = ctx.tags(comp.node_id, "role")
        if comp.type == "aws.lambda.function":
            log_group = ctx.log_group(comp.node_id, "lambda")
            own_logs = statement(
                ["logs:CreateLogStream", "logs:PutLogEvents"],
                [Expr(f'"${{{log_group}.arn}}:*"')],
                comment="its own log group",
            )
            managed = ((LAMBDA_VPC,) if comp.subnet_ids else ()) + (
                (XRAY,) if comp.props["tracing"] else ()
            )
            items += role_with_policy(
                name,
                "lambda.amazonaws.com",
                [own_logs, *grants],
                tags,
                managed,
                ctx.physical(comp.node_id, 64),
            )
        elif comp.type == "aws.ecs.fargate_service":
            items += role_with_policy(
                name,
                "ecs-tasks.amazonaws.com",
                grants,
                ctx.tags(comp.node_id, "task role"),
                role_name=ctx.physical(comp.node_id, 64, "-task"),
            )
            items += role_with_policy(
                naming.tf_name(comp.node_id, "execution"),
                "ecs-tasks.amazonaws.com",
                [],
                ctx.tags(comp.node_id, "task execution role"),
                (ECS_EXECUTION,),
                ctx.physical(comp.node_id, 64, "-exec"),
            )
        elif comp.type == "aws.ec2.instance":
            items += role_with_policy(
                name,
                "ec2.amazonaws.com",
                grants,
                tags,
                (SSM_CORE,),
                ctx.physical(comp.node_id, 64),
            )
            items.append(
                block(
                    "resource",
                    "aws_iam_instance_profile",
                    name,
                    name=ctx.physical(comp.node_id, 64),
                    role=Expr(f"aws_iam_role.{name}.name"),
                    tags=tags,
                )
            )
        elif comp.type == "aws.stepfunctions.state_machine":
            logging = (
                [statement(SFN_LOG_DELIVERY, ["*"], comment="log delivery")]
                if (comp.props["logging"])
                else []
            )
            items += role_with_policy(
                name,
                "states.amazonaws.com",
                [*grants, *logging],
                tags,
                (XRAY,) if comp.props["tracing"] else (),
                ctx.physical(comp.node_id, 64),
            )
        elif grants:
            # EventBridge rules starting a state machine.
            items += role_with_policy(
                name,
                "events.amazonaws.com",
                grants,
                tags,
                role_name=ctx.physical(comp.node_id, 64),
            )
    return items
