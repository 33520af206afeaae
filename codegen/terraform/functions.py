"""lambda.tf: functions, their event source mappings and invoke permissions.

Function code lives in `functions/<name>/`, and its zip, `functions/<name>.zip`, is
written next to it (codegen/terraform/lambda_zip.py; the repository's
`scripts/build_lambdas.py` refreshes it after edits). The functions point at those zips.
"""

from __future__ import annotations

from codegen import naming
from codegen.model import Component, InvokePermission, LambdaCode
from codegen.terraform.context import Context
from codegen.terraform.hcl import BLANK, Attr, Block, Expr, Item, block, call, template

STREAM_ATTRIBUTE = {"aws.dynamodb.table": "stream_arn"}


def zip_file(code: LambdaCode) -> str:
    """Where a function's zip sits in the repository: next to its code directory."""
    return f"{code.directory}.zip"


def zip_path(ctx: Context, function_id: str) -> Expr:
    return template(Expr("path.module"), f"/{zip_file(ctx.model.lambda_code[function_id])}")


def emit(ctx: Context) -> list[Item]:
    items: list[Item] = []
    for comp in ctx.model.of_type("aws.lambda.function"):
        items.append(_function(ctx, comp))
    for mapping in ctx.model.event_sources:
        source = ctx.comp(mapping.source_id)
        arn = STREAM_ATTRIBUTE.get(source.type, "arn")
        items.append(
            block(
                "resource",
                "aws_lambda_event_source_mapping",
                naming.tf_name(mapping.edge_id),
                event_source_arn=Expr(f"{ctx.address(source.node_id)}.{arn}"),
                function_name=ctx.attr(mapping.function_id, "arn"),
                batch_size=mapping.batch_size,
                starting_position=mapping.starting_position,
            ).add(
                BLANK,
                # The role must be allowed to read the source before the mapping starts.
                Attr("depends_on", [Expr(f"aws_iam_role_policy.{ctx.name(mapping.function_id)}")]),
            )
        )
    for permission in ctx.model.invoke_permissions:
        items.append(_permission(ctx, permission))
    return items


def _function(ctx: Context, comp: Component) -> Block:
    name = ctx.name(comp.node_id)
    props = comp.props
    log_group = ctx.log_group(comp.node_id, "lambda")
    path = zip_path(ctx, comp.node_id)
    fn = block(
        "resource",
        "aws_lambda_function",
        name,
        function_name=ctx.physical(comp.node_id, 64),
        description=naming.free_text(comp.label, 256),
        role=Expr(f"aws_iam_role.{name}.arn"),
        runtime=props["runtime"],
        handler=props["handler"],
        architectures=[props["architecture"]],
        memory_size=props["memory_mb"],
        timeout=props["timeout_s"],
        filename=path,
        source_code_hash=call("filebase64sha256", path),
        reserved_concurrent_executions=(
            props["reserved_concurrency"] if props["reserved_concurrency"] >= 0 else None
        ),
    )
    if props["tracing"]:
        fn.add(Block("tracing_config", (), [Attr("mode", "Active")]))
    if comp.env:
        fn.add(
            Block(
                "environment",
                (),
                [Attr("variables", {k: ctx.ref(v) for k, v in sorted(comp.env.items())})],
            )
        )
    if comp.subnet_ids:
        fn.add(
            Block(
                "vpc_config",
                (),
                [
                    Attr(
                        "subnet_ids",
                        [Expr(f"aws_subnet.{ctx.name(s)}.id") for s in comp.subnet_ids],
                    ),
                    Attr("security_group_ids", [Expr(f"aws_security_group.{name}.id")]),
                ],
            )
        )
    fn.add(
        block("logging_config", log_format="Text", log_group=Expr(f"{log_group}.name")),
        Attr("tags", ctx.tags(comp.node_id)),
        BLANK,
        # The log group exists first, so Lambda never creates one without retention.
        Attr("depends_on", [Expr(log_group), Expr(f"aws_iam_role_policy.{name}")]),
    )
    return fn


def _source_arn(ctx: Context, permission: InvokePermission) -> Expr:
    source = ctx.comp(permission.source_id)
    if source.type in ("aws.apigateway.rest_api", "aws.apigatewayv2.http_api"):
        return template(Expr(f"{ctx.address(source.node_id)}.execution_arn"), "/*")
    if source.type == "aws.elbv2.application_load_balancer":
        return Expr(f"aws_lb_target_group.{naming.tf_name(permission.edge_id)}.arn")
    return ctx.attr(source.node_id, "arn")


def _permission(ctx: Context, permission: InvokePermission) -> Block:
    source_account = (
        Expr("data.aws_caller_identity.current.account_id")
        if permission.principal == "s3.amazonaws.com"
        else None
    )
    return block(
        "resource",
        "aws_lambda_permission",
        naming.tf_name(permission.edge_id),
        statement_id=f"cloudwright-{permission.edge_id}",
        action="lambda:InvokeFunction",
        function_name=ctx.attr(permission.function_id, "name"),
        principal=permission.principal,
        source_arn=_source_arn(ctx, permission),
        source_account=source_account,
    )
