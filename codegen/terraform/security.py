"""security.tf: KMS keys, secrets, Cognito user pools and WAF web ACLs."""

from __future__ import annotations

from codegen import naming
from codegen.model import Component, SecretRotation
from codegen.terraform.context import Context
from codegen.terraform.functions import zip_path
from codegen.terraform.hcl import BLANK, Attr, Block, Expr, Item, block, call, template
from codegen.terraform.iam import (
    XRAY,
    policy_document,
    principal_statement,
    role_with_policy,
    statement,
)

ACCOUNT_ROOT = template(
    "arn:aws:iam::", Expr("data.aws_caller_identity.current.account_id"), ":root"
)
WAF_LOG_RETENTION_DAYS = 365
# What aws-cdk-lib's RotationSchedule grants a rotation function on its secret.
ROTATION_ACTIONS = [
    "secretsmanager:DescribeSecret",
    "secretsmanager:GetSecretValue",
    "secretsmanager:PutSecretValue",
    "secretsmanager:UpdateSecretVersionStage",
]
LOGS_KEY = "logs"


def logs_key(ctx: Context) -> Expr:
    """The key encrypting the architecture's log groups (observability.tf defines it)."""
    return Expr(f"aws_kms_key.{ctx.singleton(LOGS_KEY)}.arn")


def service_use(services: list[str], conditions: list = ()) -> Block:
    """Key policy statement letting AWS services encrypt and decrypt with the key."""
    return principal_statement(
        ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        ["*"],
        "Service",
        list(services),
        conditions=list(conditions),
        comment="services that read or write the encrypted data",
    )


def key_policy(
    ctx: Context,
    name: str,
    node_id: str | None,
    statements: list[Block],
    *,
    via_service: str | None = None,
    rotation: bool = True,
    deletion_window: int = 30,
) -> list[Item]:
    """A customer-managed key, administered by the account, plus `statements`.

    `via_service` lets principals of the account use the key through that service
    only (what an AWS managed key allows), so IAM grants on the resource suffice.
    """
    document = naming.tf_name(name, "key_policy")
    statements = [
        principal_statement(
            ["kms:*"], ["*"], "AWS", [ACCOUNT_ROOT], comment="the account administers the key"
        ),
        *statements,
    ]
    if via_service:
        statements.append(
            principal_statement(
                ["kms:Decrypt", "kms:GenerateDataKey*"],
                ["*"],
                "AWS",
                ["*"],
                conditions=[
                    (
                        "StringEquals",
                        "kms:CallerAccount",
                        [Expr("data.aws_caller_identity.current.account_id")],
                    ),
                    (
                        "StringEquals",
                        "kms:ViaService",
                        [template(f"{via_service}.", Expr("var.region"), ".amazonaws.com")],
                    ),
                ],
                comment=f"principals of the account, through {via_service} only",
            )
        )
    return [
        policy_document(document, statements),
        block(
            "resource",
            "aws_kms_key",
            name,
            description=f"Cloudwright node {node_id}" if node_id else "Cloudwright: log groups",
            enable_key_rotation=rotation,
            deletion_window_in_days=deletion_window,
            policy=Expr(f"data.aws_iam_policy_document.{document}.json"),
            tags=ctx.tags(node_id, "key") if node_id else {"Name": "log groups key"},
        ),
        block(
            "resource",
            "aws_kms_alias",
            name,
            name=template("alias/", Expr("var.name_prefix"), f"/{node_id or name}"),
            target_key_id=Expr(f"aws_kms_key.{name}.key_id"),
        ),
    ]


def emit(ctx: Context) -> list[Item]:
    items: list[Item] = []
    model = ctx.model
    for key in model.of_type("aws.kms.key"):
        items += key_policy(
            ctx,
            ctx.name(key.node_id),
            key.node_id,
            [],
            rotation=key.props["enable_key_rotation"],
            deletion_window=key.props["deletion_window_days"],
        )
    for secret in model.of_type("aws.secretsmanager.secret"):
        items += _secret(ctx, secret)
    for rotation in model.secret_rotations:
        items += _rotation(ctx, rotation)
    for pool in model.of_type("aws.cognito.user_pool"):
        items += _user_pool(ctx, pool)
    for acl in model.of_type("aws.wafv2.web_acl"):
        items += _web_acl(ctx, acl)
    for association in model.waf_associations:
        if association.target_type == "aws.cloudfront.distribution":
            continue  # CloudFront takes the ACL in its own web_acl_id
        target = (
            Expr(f"aws_api_gateway_stage.{ctx.name(association.target_id)}.arn")
            if association.target_type == "aws.apigateway.rest_api"
            else ctx.attr(association.target_id, "arn")
        )
        items.append(
            block(
                "resource",
                "aws_wafv2_web_acl_association",
                naming.tf_name(association.edge_id),
                resource_arn=target,
                web_acl_arn=ctx.attr(association.acl_id, "arn"),
            )
        )
    return items


def _secret(ctx: Context, comp: Component) -> list[Item]:
    description = naming.free_text(comp.label, 2048)
    return generated_secret(ctx, comp.node_id, ctx.name(comp.node_id), description)


def generated_secret(
    ctx: Context, node_id: str, name: str, description: str, role: str = ""
) -> list[Item]:
    """A secret holding a random password, generated once (a drawn secret; a Redis AUTH
    token, `role` "auth"). Its name ends in a random suffix: a deleted secret's name stays
    taken for days."""
    suffix = f"-{role}-" if role else "-"
    return [
        block(
            "resource",
            "aws_secretsmanager_secret",
            name,
            name_prefix=ctx.physical(node_id, 200, suffix),
            description=description,
            recovery_window_in_days=7,
            tags=ctx.tags(node_id, role),
        ),
        block(
            "data",
            "aws_secretsmanager_random_password",
            name,
            password_length=32,
            exclude_punctuation=True,
        ),
        block(
            "resource",
            "aws_secretsmanager_secret_version",
            name,
            secret_id=Expr(f"aws_secretsmanager_secret.{name}.id"),
            secret_string=Expr(f"data.aws_secretsmanager_random_password.{name}.random_password"),
        ).add(
            # The generated value is only the initial one: later plans must not reset it.
            block("lifecycle", ignore_changes=[Expr("secret_string")]),
        ),
    ]


def _rotation(ctx: Context, rotation: SecretRotation) -> list[Item]:
    """The rotation function of a secret, its role and permission, and the schedule."""
    secret_id = rotation.secret_id
    name = naming.tf_name(secret_id, "rotation")
    secret = f"aws_secretsmanager_secret.{ctx.name(secret_id)}"
    log_group = ctx.log_group(secret_id, "rotation")
    path = zip_path(ctx, secret_id)
    statements = [
        statement(
            ["logs:CreateLogStream", "logs:PutLogEvents"],
            [Expr(f'"${{{log_group}.arn}}:*"')],
            comment="its own log group",
        ),
        statement(ROTATION_ACTIONS, [Expr(f"{secret}.arn")], comment="the secret it rotates"),
        statement(
            ["secretsmanager:GetRandomPassword"],
            ["*"],
            comment="GetRandomPassword acts on no resource",
        ),
    ]
    function = block(
        "resource",
        "aws_lambda_function",
        name,
        function_name=ctx.physical(secret_id, 64, "-rotation"),
        description=f"Rotates the secret {secret_id}",
        role=Expr(f"aws_iam_role.{name}.arn"),
        runtime=rotation.runtime,
        handler=rotation.handler,
        timeout=rotation.timeout_s,
        filename=path,
        source_code_hash=call("filebase64sha256", path),
    ).add(
        Block("tracing_config", (), [Attr("mode", "Active")]),
        block("logging_config", log_format="Text", log_group=Expr(f"{log_group}.name")),
        Attr("tags", ctx.tags(secret_id, "rotation")),
        BLANK,
        Attr("depends_on", [Expr(log_group), Expr(f"aws_iam_role_policy.{name}")]),
    )
    return [
        *role_with_policy(
            name,
            "lambda.amazonaws.com",
            statements,
            ctx.tags(secret_id, "rotation role"),
            (XRAY,),
            ctx.physical(secret_id, 64, "-rotation"),
        ),
        function,
        block(
            "resource",
            "aws_lambda_permission",
            name,
            statement_id="cloudwright-rotation",
            action="lambda:InvokeFunction",
            function_name=Expr(f"aws_lambda_function.{name}.function_name"),
            principal="secretsmanager.amazonaws.com",
            source_arn=Expr(f"{secret}.arn"),
        ),
        block(
            "resource",
            "aws_secretsmanager_secret_rotation",
            name,
            secret_id=Expr(f"{secret}.id"),
            rotation_lambda_arn=Expr(f"aws_lambda_function.{name}.arn"),
        ).add(
            block("rotation_rules", automatically_after_days=rotation.days),
            BLANK,
            # Secrets Manager invokes the function as soon as rotation is turned on.
            Attr("depends_on", [Expr(f"aws_lambda_permission.{name}")]),
        ),
    ]


def _user_pool(ctx: Context, comp: Component) -> list[Item]:
    name = ctx.name(comp.node_id)
    props = comp.props
    pool = block(
        "resource",
        "aws_cognito_user_pool",
        name,
        name=ctx.physical(comp.node_id, 128),
        mfa_configuration=props["mfa"],
        username_attributes=["email"],
        auto_verified_attributes=["email"],
        deletion_protection="ACTIVE",
    ).add(
        block(
            "password_policy",
            minimum_length=props["password_min_length"],
            require_lowercase=True,
            require_uppercase=True,
            require_numbers=True,
            require_symbols=True,
            temporary_password_validity_days=7,
        ),
        block("admin_create_user_config", allow_admin_create_user_only=not props["self_sign_up"]),
        Block(
            "account_recovery_setting",
            (),
            [block("recovery_mechanism", name="verified_email", priority=1)],
        ),
    )
    if props["mfa"] != "OFF":
        pool.add(block("software_token_mfa_configuration", enabled=True))
    pool.add(Attr("tags", ctx.tags(comp.node_id)))
    client = block(
        "resource",
        "aws_cognito_user_pool_client",
        name,
        name=ctx.physical(comp.node_id, 128, "-client"),
        user_pool_id=Expr(f"aws_cognito_user_pool.{name}.id"),
        generate_secret=False,
        prevent_user_existence_errors="ENABLED",
        explicit_auth_flows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )
    ctx.output(
        naming.tf_name(comp.node_id, "user_pool_id"),
        f"Id of the Cognito user pool {comp.node_id}",
        Expr(f"aws_cognito_user_pool.{name}.id"),
    )
    ctx.output(
        naming.tf_name(comp.node_id, "client_id"),
        f"App client id of the Cognito user pool {comp.node_id}",
        Expr(f"aws_cognito_user_pool_client.{name}.id"),
    )
    return [pool, client]


def _visibility(metric: str) -> Block:
    return block(
        "visibility_config",
        cloudwatch_metrics_enabled=True,
        metric_name=metric,
        sampled_requests_enabled=True,
    )


def _web_acl(ctx: Context, comp: Component) -> list[Item]:
    name = ctx.name(comp.node_id)
    scope = ctx.model.waf_scopes.get(comp.node_id, "REGIONAL")
    provider = None
    if scope == "CLOUDFRONT":
        ctx.needs_us_east_1 = True
        provider = Expr("aws.us_east_1")
    acl = block(
        "resource",
        "aws_wafv2_web_acl",
        name,
        provider=provider,
        name=ctx.physical(comp.node_id, 128),
        description=f"Cloudwright node {comp.node_id}",
        scope=scope,
    ).add(Block("default_action", (), [Block("allow")]))
    priority = 0
    for group in comp.props["managed_rule_groups"]:
        priority += 1
        acl.add(
            block("rule", name=group, priority=priority).add(
                Block("override_action", (), [Block("none")]),
                Block(
                    "statement",
                    (),
                    [block("managed_rule_group_statement", name=group, vendor_name="AWS")],
                ),
                _visibility(group),
            )
        )
    if comp.props["rate_limit_per_5min"]:
        priority += 1
        acl.add(
            block("rule", name="rate-limit", priority=priority).add(
                Block("action", (), [Block("block")]),
                Block(
                    "statement",
                    (),
                    [
                        block(
                            "rate_based_statement",
                            limit=comp.props["rate_limit_per_5min"],
                            aggregate_key_type="IP",
                        )
                    ],
                ),
                _visibility("rate-limit"),
            )
        )
    acl.add(_visibility(f"{comp.node_id}-acl"), Attr("tags", ctx.tags(comp.node_id)))
    log_group = naming.tf_name(comp.node_id, "waf_logs")
    return [
        acl,
        block(
            "resource",
            "aws_cloudwatch_log_group",
            log_group,
            provider=provider,
            # WAF only logs to groups whose names start with aws-waf-logs-.
            name=template("aws-waf-logs-", Expr("var.name_prefix"), f"-{comp.node_id}"),
            retention_in_days=WAF_LOG_RETENTION_DAYS,
            # The key is regional; CloudFront's ACL logs live in us-east-1 without it.
            kms_key_id=None if provider else logs_key(ctx),
            tags=ctx.tags(comp.node_id, "WAF logs"),
        ),
        block(
            "resource",
            "aws_wafv2_web_acl_logging_configuration",
            name,
            provider=provider,
            log_destination_configs=[Expr(f"aws_cloudwatch_log_group.{log_group}.arn")],
            resource_arn=Expr(f"aws_wafv2_web_acl.{name}.arn"),
        ),
    ]
