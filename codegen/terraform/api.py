"""api.tf: API Gateway REST and HTTP APIs, their routes, authorizers and stages."""

from __future__ import annotations

from codegen import naming
from codegen.model import ApiRoute, Component
from codegen.terraform.context import Context
from codegen.terraform.hcl import BLANK, Attr, Expr, Item, block, call, template
from codegen.terraform.iam import role_with_policy

PUSH_TO_LOGS = "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
ACCESS_LOG_FORMAT = {
    "requestId": "$context.requestId",
    "ip": "$context.identity.sourceIp",
    "requestTime": "$context.requestTime",
    "httpMethod": "$context.httpMethod",
    "routeKey": "$context.routeKey",
    "status": "$context.status",
    "protocol": "$context.protocol",
    "responseLength": "$context.responseLength",
    "integrationError": "$context.integrationErrorMessage",
}
API_ACCOUNT = "api_gateway_cloudwatch"
# HTTP API descriptions take 1,024 characters; REST APIs document no limit, so the same.
API_DESCRIPTION_MAX = 1024


def emit(ctx: Context) -> list[Item]:
    items: list[Item] = []
    rest_apis = ctx.model.of_type("aws.apigateway.rest_api")
    if any(api.props["access_logging"] for api in rest_apis):
        items += _account(ctx)
    for api in rest_apis:
        items += _rest_api(ctx, api)
    for api in ctx.model.of_type("aws.apigatewayv2.http_api"):
        items += _http_api(ctx, api)
    return items


def _account(ctx: Context) -> list[Item]:
    """REST API logging needs the region's API Gateway account to name a role."""
    name = ctx.singleton(API_ACCOUNT)
    return [
        *role_with_policy(
            name,
            "apigateway.amazonaws.com",
            [],
            {"Name": "API Gateway logging to CloudWatch"},
            (PUSH_TO_LOGS,),
        ),
        block(
            "resource",
            "aws_api_gateway_account",
            name,
            cloudwatch_role_arn=Expr(f"aws_iam_role.{name}.arn"),
        ),
    ]


def _routes(ctx: Context, api_id: str) -> list[ApiRoute]:
    return [r for r in ctx.model.api_routes if r.api_id == api_id]


def _rest_api(ctx: Context, api: Component) -> list[Item]:
    name = ctx.name(api.node_id)
    props = api.props
    api_ref = Expr(f"aws_api_gateway_rest_api.{name}.id")
    items: list[Item] = [
        block(
            "resource",
            "aws_api_gateway_rest_api",
            name,
            name=ctx.physical(api.node_id, 128),
            description=naming.free_text(api.label, API_DESCRIPTION_MAX),
        ).add(
            block("endpoint_configuration", types=[props["endpoint_type"]]),
            Attr("tags", ctx.tags(api.node_id)),
            BLANK,
            block("lifecycle", create_before_destroy=True),
        )
    ]
    authorizer = next((a for a in ctx.model.authorizers if a.api_id == api.node_id), None)
    if authorizer:
        items.append(
            block(
                "resource",
                "aws_api_gateway_authorizer",
                naming.tf_name(authorizer.edge_id),
                name="cognito",
                rest_api_id=api_ref,
                type="COGNITO_USER_POOLS",
                provider_arns=[ctx.attr(authorizer.user_pool_id, "arn")],
            )
        )
    routes = _routes(ctx, api.node_id)
    redeploy: list[Expr] = []
    for route in routes:
        edge = naming.tf_name(route.edge_id)
        if route.path == "/":
            resource_id = Expr(f"aws_api_gateway_rest_api.{name}.root_resource_id")
        else:
            items.append(
                block(
                    "resource",
                    "aws_api_gateway_resource",
                    edge,
                    rest_api_id=api_ref,
                    parent_id=Expr(f"aws_api_gateway_rest_api.{name}.root_resource_id"),
                    path_part=route.path.lstrip("/"),
                )
            )
            resource_id = Expr(f"aws_api_gateway_resource.{edge}.id")
            redeploy.append(Expr(f"aws_api_gateway_resource.{edge}.id"))
        items += [
            block(
                "resource",
                "aws_api_gateway_method",
                edge,
                rest_api_id=api_ref,
                resource_id=resource_id,
                http_method="ANY",
                authorization="COGNITO_USER_POOLS" if authorizer else "NONE",
                authorizer_id=Expr(
                    f"aws_api_gateway_authorizer.{naming.tf_name(authorizer.edge_id)}.id"
                )
                if authorizer
                else None,
            ),
            block(
                "resource",
                "aws_api_gateway_integration",
                edge,
                rest_api_id=api_ref,
                resource_id=resource_id,
                http_method=Expr(f"aws_api_gateway_method.{edge}.http_method"),
                integration_http_method="POST",
                type="AWS_PROXY",
                uri=ctx.attr(route.function_id, "invoke_arn"),
            ),
        ]
        redeploy += [
            Expr(f"aws_api_gateway_method.{edge}.id"),
            Expr(f"aws_api_gateway_integration.{edge}.id"),
        ]
    if not routes:
        # API Gateway refuses to deploy an API without methods; nothing to serve yet.
        return items
    items.append(
        block("resource", "aws_api_gateway_deployment", name, rest_api_id=api_ref).add(
            Attr("triggers", {"redeployment": call("sha1", call("jsonencode", redeploy))}),
            BLANK,
            block("lifecycle", create_before_destroy=True),
        )
    )
    stage = block(
        "resource",
        "aws_api_gateway_stage",
        name,
        rest_api_id=api_ref,
        deployment_id=Expr(f"aws_api_gateway_deployment.{name}.id"),
        stage_name=props["stage_name"],
        xray_tracing_enabled=props["tracing"],
    )
    if props["access_logging"]:
        stage.add(
            block(
                "access_log_settings",
                destination_arn=Expr(f"{ctx.log_group(api.node_id, 'api_access')}.arn"),
                format=call("jsonencode", ACCESS_LOG_FORMAT),
            ),
            Attr("tags", ctx.tags(api.node_id, "stage")),
            BLANK,
            Attr("depends_on", [Expr(f"aws_api_gateway_account.{ctx.singleton(API_ACCOUNT)}")]),
        )
    else:
        stage.add(Attr("tags", ctx.tags(api.node_id, "stage")))
    settings = block(
        "resource",
        "aws_api_gateway_method_settings",
        name,
        rest_api_id=api_ref,
        stage_name=Expr(f"aws_api_gateway_stage.{name}.stage_name"),
        method_path="*/*",
    ).add(
        block(
            "settings",
            metrics_enabled=True,
            logging_level="ERROR" if props["access_logging"] else "OFF",
            throttling_rate_limit=props["throttling_rate_limit"],
            throttling_burst_limit=props["throttling_rate_limit"] * 2,
        )
    )
    ctx.output(
        naming.tf_name(api.node_id, "url"),
        f"Invoke URL of the REST API {api.node_id}",
        Expr(f"aws_api_gateway_stage.{name}.invoke_url"),
    )
    return [*items, stage, settings]


def _http_api(ctx: Context, api: Component) -> list[Item]:
    name = ctx.name(api.node_id)
    props = api.props
    api_ref = Expr(f"aws_apigatewayv2_api.{name}.id")
    http = block(
        "resource",
        "aws_apigatewayv2_api",
        name,
        name=ctx.physical(api.node_id, 128),
        description=naming.free_text(api.label, API_DESCRIPTION_MAX),
        protocol_type="HTTP",
    )
    if props["cors_allow_origins"]:
        http.add(
            block(
                "cors_configuration",
                allow_origins=list(props["cors_allow_origins"]),
                allow_methods=["*"],
                allow_headers=["authorization", "content-type"],
                max_age=3600,
            )
        )
    http.add(Attr("tags", ctx.tags(api.node_id)))
    items: list[Item] = [http]
    authorizer = next((a for a in ctx.model.authorizers if a.api_id == api.node_id), None)
    if authorizer:
        pool = ctx.name(authorizer.user_pool_id)
        items.append(
            block(
                "resource",
                "aws_apigatewayv2_authorizer",
                naming.tf_name(authorizer.edge_id),
                api_id=api_ref,
                name="cognito",
                authorizer_type="JWT",
                identity_sources=["$request.header.Authorization"],
            ).add(
                block(
                    "jwt_configuration",
                    audience=[Expr(f"aws_cognito_user_pool_client.{pool}.id")],
                    issuer=template("https://", Expr(f"aws_cognito_user_pool.{pool}.endpoint")),
                )
            )
        )
    for route in _routes(ctx, api.node_id):
        edge = naming.tf_name(route.edge_id)
        items += [
            block(
                "resource",
                "aws_apigatewayv2_integration",
                edge,
                api_id=api_ref,
                integration_type="AWS_PROXY",
                integration_uri=ctx.attr(route.function_id, "invoke_arn"),
                payload_format_version="2.0",
            ),
            block(
                "resource",
                "aws_apigatewayv2_route",
                edge,
                api_id=api_ref,
                route_key="$default" if route.path == "/" else f"ANY {route.path}",
                target=template("integrations/", Expr(f"aws_apigatewayv2_integration.{edge}.id")),
                authorization_type="JWT" if authorizer else "NONE",
                authorizer_id=Expr(
                    f"aws_apigatewayv2_authorizer.{naming.tf_name(authorizer.edge_id)}.id"
                )
                if authorizer
                else None,
            ),
        ]
    stage = block(
        "resource",
        "aws_apigatewayv2_stage",
        name,
        api_id=api_ref,
        name="$default",
        auto_deploy=True,
    )
    if props["access_logging"]:
        stage.add(
            block(
                "access_log_settings",
                destination_arn=Expr(f"{ctx.log_group(api.node_id, 'api_access')}.arn"),
                format=call("jsonencode", ACCESS_LOG_FORMAT),
            )
        )
    stage.add(
        block(
            "default_route_settings",
            detailed_metrics_enabled=True,
            throttling_rate_limit=1000,
            throttling_burst_limit=2000,
        ),
        Attr("tags", ctx.tags(api.node_id, "stage")),
    )
    items.append(stage)
    ctx.output(
        naming.tf_name(api.node_id, "url"),
        f"Invoke URL of the HTTP API {api.node_id}",
        Expr(f"aws_apigatewayv2_stage.{name}.invoke_url"),
    )
    return items
