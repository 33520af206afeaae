"""data.tf: DynamoDB tables, S3 buckets, the access-log bucket, ECR repositories."""

from __future__ import annotations

from codegen import naming
from codegen.model import Component, LogBucket
from codegen.terraform.context import Context
from codegen.terraform.hcl import BLANK, Attr, Block, Expr, Item, block, template
from codegen.terraform.iam import policy_document, principal_statement
from codegen.terraform.security import key_policy, service_use

ACCESS_LOGS = "access_logs"
ALB = "aws.elbv2.application_load_balancer"
# Regions opened before August 2022 deliver load balancer logs from a regional ELB
# account (`aws_elb_service_account`, which fails in later regions); later regions use
# the log delivery service principal. Both are granted, the account where it exists.
ELB_ACCOUNT_REGIONS = (
    "af-south-1",
    "ap-east-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ca-central-1",
    "eu-central-1",
    "eu-north-1",
    "eu-south-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "me-south-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
)


def emit(ctx: Context) -> list[Item]:
    items: list[Item] = []
    for table in ctx.model.of_type("aws.dynamodb.table"):
        items.append(_table(ctx, table))
    for bucket in ctx.model.of_type("aws.s3.bucket"):
        items.extend(_bucket(ctx, bucket))
    if ctx.model.log_bucket:
        items.extend(_access_log_bucket(ctx, ctx.model.log_bucket))
    for repo in ctx.model.of_type("aws.ecr.repository"):
        items.append(_repository(ctx, repo))
    return items


def _table(ctx: Context, comp: Component) -> Block:
    props = comp.props
    name = ctx.name(comp.node_id)
    provisioned = props["billing_mode"] == "PROVISIONED"
    stream = ctx.model.has_stream(comp.node_id)
    table = block(
        "resource",
        "aws_dynamodb_table",
        name,
        name=ctx.physical(comp.node_id, 255),
        billing_mode=props["billing_mode"],
        read_capacity=props["read_capacity"] if provisioned else None,
        write_capacity=props["write_capacity"] if provisioned else None,
        hash_key=props["partition_key"],
        range_key=props["sort_key"] or None,
        deletion_protection_enabled=props["deletion_protection"],
        stream_enabled=True if stream else None,
        stream_view_type="NEW_AND_OLD_IMAGES" if stream else None,
    )
    table.add(block("attribute", name=props["partition_key"], type=props["partition_key_type"]))
    if props["sort_key"]:
        table.add(block("attribute", name=props["sort_key"], type=props["sort_key_type"]))
    table.add(
        block("point_in_time_recovery", enabled=props["point_in_time_recovery"]),
        block("server_side_encryption", enabled=True),
        Attr("tags", ctx.tags(comp.node_id)),
    )
    ctx.output(
        naming.tf_name(comp.node_id, "table_name"),
        f"Name of the DynamoDB table {comp.node_id}",
        Expr(f"aws_dynamodb_table.{name}.name"),
    )
    return table


def _bucket(ctx: Context, comp: Component) -> list[Item]:
    props = comp.props
    name = ctx.name(comp.node_id)
    ref = Expr(f"aws_s3_bucket.{name}.id")
    kms = props["encryption"] == "KMS"
    items: list[Item] = [
        block(
            "resource",
            "aws_s3_bucket",
            name,
            bucket_prefix=ctx.physical(comp.node_id, 37, "-"),
            tags=ctx.tags(comp.node_id),
        ),
        block(
            "resource",
            "aws_s3_bucket_ownership_controls",
            name,
            bucket=ref,
        ).add(block("rule", object_ownership="BucketOwnerEnforced")),
    ]
    if props["block_public_access"]:
        items.append(_public_access_block(name, ref))
    if kms:
        services = _key_services(ctx, comp.node_id)
        items += key_policy(
            ctx, name, comp.node_id, [service_use(services)] if services else [], via_service="s3"
        )
    rule = block(
        "rule",
        bucket_key_enabled=True if kms else None,
    ).add(
        block(
            "apply_server_side_encryption_by_default",
            sse_algorithm="aws:kms" if kms else "AES256",
            kms_master_key_id=Expr(f"aws_kms_key.{name}.arn") if kms else None,
        )
    )
    items.append(
        block(
            "resource",
            "aws_s3_bucket_server_side_encryption_configuration",
            name,
            bucket=ref,
        ).add(rule)
    )
    if props["versioned"]:
        items.append(
            block("resource", "aws_s3_bucket_versioning", name, bucket=ref).add(
                block("versioning_configuration", status="Enabled")
            )
        )
    items.append(_lifecycle(name, ref, props))
    items.append(
        block(
            "resource",
            "aws_s3_bucket_logging",
            name,
            bucket=ref,
            target_bucket=Expr(f"{log_bucket(ctx)}.id"),
            target_prefix=ctx.model.access_log_source(comp.node_id).prefix,
        )
    )
    statements = _policy_statements(ctx, comp)
    if statements:
        policy = block(
            "resource",
            "aws_s3_bucket_policy",
            name,
            bucket=ref,
            policy=Expr(f"data.aws_iam_policy_document.{name}.json"),
        )
        if props["block_public_access"]:
            # S3 checks the public access block before accepting a bucket policy.
            policy.add(
                BLANK, Attr("depends_on", [Expr(f"aws_s3_bucket_public_access_block.{name}")])
            )
        items += [policy_document(name, statements), policy]
    notifications = [n for n in ctx.model.bucket_notifications if n.bucket_id == comp.node_id]
    if notifications:
        items.append(_notifications(ctx, name, ref, notifications))
    ctx.output(
        naming.tf_name(comp.node_id, "bucket_name"),
        f"Name of the S3 bucket {comp.node_id}",
        ref,
    )
    return items


def _public_access_block(name: str, ref: Expr) -> Block:
    return block(
        "resource",
        "aws_s3_bucket_public_access_block",
        name,
        bucket=ref,
        block_public_acls=True,
        block_public_policy=True,
        ignore_public_acls=True,
        restrict_public_buckets=True,
    )


def _lifecycle(name: str, ref: Expr, props: dict, expiration_days: int = 0) -> Block:
    lifecycle = block("resource", "aws_s3_bucket_lifecycle_configuration", name, bucket=ref)
    lifecycle.add(
        block("rule", id="abort-incomplete-uploads", status="Enabled").add(
            Block("filter", ()),
            block("abort_incomplete_multipart_upload", days_after_initiation=7),
        )
    )
    if expiration_days:
        lifecycle.add(
            block("rule", id="expire-objects", status="Enabled").add(
                Block("filter", ()),
                block("expiration", days=expiration_days),
            )
        )
    days = props.get("noncurrent_version_expiration_days", 0)
    if props.get("versioned") and days:
        lifecycle.add(
            block("rule", id="expire-old-versions", status="Enabled").add(
                Block("filter", ()),
                block("noncurrent_version_expiration", noncurrent_days=days),
            )
        )
    return lifecycle


def _key_services(ctx: Context, bucket_id: str) -> list[str]:
    """Services that read the bucket's objects and so must use its key."""
    return (
        ["cloudfront.amazonaws.com"]
        if any(o.target_id == bucket_id for o in ctx.model.cdn_origins)
        else []
    )


def _policy_statements(ctx: Context, comp: Component) -> list[Block]:
    name = ctx.name(comp.node_id)
    arn = Expr(f"aws_s3_bucket.{name}.arn")
    objects = template(arn, "/*")
    statements: list[Block] = []
    if comp.props["enforce_ssl"]:
        statements.append(
            principal_statement(
                ["s3:*"],
                [arn, objects],
                "*",
                ["*"],
                effect="Deny",
                conditions=[("Bool", "aws:SecureTransport", ["false"])],
                comment="refuse requests without TLS",
            )
        )
    for origin in ctx.model.cdn_origins:
        if origin.target_id == comp.node_id:
            statements.append(
                principal_statement(
                    ["s3:GetObject"],
                    [objects],
                    "Service",
                    ["cloudfront.amazonaws.com"],
                    conditions=[
                        (
                            "StringEquals",
                            "AWS:SourceArn",
                            [ctx.attr(origin.distribution_id, "arn")],
                        )
                    ],
                    comment=f"edge {origin.edge_id}: {origin.distribution_id} reads objects",
                )
            )
    return statements


def _notifications(ctx: Context, name: str, ref: Expr, notifications: list) -> Block:
    resource = block("resource", "aws_s3_bucket_notification", name, bucket=ref)
    depends = []
    kinds = {
        "aws.lambda.function": ("lambda_function", "lambda_function_arn", "aws_lambda_permission"),
        "aws.sqs.queue": ("queue", "queue_arn", "aws_sqs_queue_policy"),
        "aws.sns.topic": ("topic", "topic_arn", "aws_sns_topic_policy"),
    }
    for note in notifications:
        block_type, arn_attr, permission = kinds[note.target_type]
        resource.add(
            block(
                block_type,
                id=note.edge_id,
                **{arn_attr: ctx.attr(note.target_id, "arn")},
                events=list(note.events),
                filter_prefix=note.prefix,
            )
        )
        target = note.edge_id if permission == "aws_lambda_permission" else note.target_id
        depends.append(Expr(f"{permission}.{naming.tf_name(target)}"))
    resource.add(BLANK, Attr("depends_on", sorted(set(depends), key=lambda e: e.text)))
    return resource


def log_bucket(ctx: Context, resource: str = "aws_s3_bucket") -> str:
    """Address of the access-log bucket (model.log_bucket), or of its `resource` part."""
    return f"{resource}.{ctx.singleton(ACCESS_LOGS)}"


def _access_log_bucket(ctx: Context, logs: LogBucket) -> list[Item]:
    """The bucket receiving every access log: S3 server access, load balancer, CloudFront."""
    name = ctx.singleton(ACCESS_LOGS)
    ref = Expr(f"aws_s3_bucket.{name}.id")
    arn = Expr(f"aws_s3_bucket.{name}.arn")
    account = Expr("data.aws_caller_identity.current.account_id")
    statements: list[Block] = []
    if any(s.type == "aws.s3.bucket" for s in logs.sources):
        statements.append(
            principal_statement(
                ["s3:PutObject"],
                [template(arn, "/*")],
                "Service",
                ["logging.s3.amazonaws.com"],
                conditions=[("StringEquals", "aws:SourceAccount", [account])],
                comment="S3 server access log delivery",
            )
        )
    alb_logs = [
        template(arn, f"/{s.prefix}/AWSLogs/", account, "/*") for s in logs.sources if s.type == ALB
    ]
    elb_account: list[Item] = []
    if alb_logs:
        statements.append(
            principal_statement(
                ["s3:PutObject"],
                alb_logs,
                "Service",
                ["logdelivery.elasticloadbalancing.amazonaws.com"],
                comment="load balancer access log delivery (regions opened since August 2022)",
            )
        )
        elb_account = _elb_account_policy(name, alb_logs)
    statements.append(
        principal_statement(
            ["s3:*"],
            [arn, template(arn, "/*")],
            "*",
            ["*"],
            effect="Deny",
            conditions=[("Bool", "aws:SecureTransport", ["false"])],
            comment="refuse requests without TLS",
        )
    )
    policy = policy_document(name, statements)
    if elb_account:
        policy.body.insert(
            0,
            Attr(
                "source_policy_documents",
                Expr(f"data.aws_iam_policy_document.{naming.tf_name(name, 'elb')}[*].json"),
            ),
        )
    # CloudFront writes standard logs through an ACL grant, which needs ACLs enabled.
    ownership = "BucketOwnerPreferred" if logs.acl_delivery else "BucketOwnerEnforced"
    return [
        block(
            "resource",
            "aws_s3_bucket",
            name,
            bucket_prefix=template(Expr("var.name_prefix"), "-access-logs-"),
            tags={"Name": "Access logs"},
        ),
        block("resource", "aws_s3_bucket_ownership_controls", name, bucket=ref).add(
            block("rule", object_ownership=ownership)
        ),
        _public_access_block(name, ref),
        # Load balancer and S3 log delivery write only to buckets with S3-managed keys.
        block(
            "resource",
            "aws_s3_bucket_server_side_encryption_configuration",
            name,
            bucket=ref,
        ).add(
            block("rule").add(
                block("apply_server_side_encryption_by_default", sse_algorithm="AES256")
            )
        ),
        block("resource", "aws_s3_bucket_versioning", name, bucket=ref).add(
            block("versioning_configuration", status="Enabled")
        ),
        _lifecycle(
            name,
            ref,
            {"versioned": True, "noncurrent_version_expiration_days": 90},
            logs.expiration_days,
        ),
        *elb_account,
        policy,
        block(
            "resource",
            "aws_s3_bucket_policy",
            name,
            bucket=ref,
            policy=Expr(f"data.aws_iam_policy_document.{name}.json"),
        ).add(BLANK, Attr("depends_on", [Expr(f"aws_s3_bucket_public_access_block.{name}")])),
    ]


def _elb_account_policy(name: str, resources: list[Expr]) -> list[Item]:
    """The statement for the region's ELB account, in regions that have one."""
    elb = naming.tf_name(name, "elb")
    regions = ", ".join(f'"{r}"' for r in ELB_ACCOUNT_REGIONS)
    account = Block(
        "data",
        ("aws_elb_service_account", name),
        [Attr("count", Expr(f"contains([{regions}], var.region) ? 1 : 0"))],
    )
    return [
        account,
        Block(
            "data",
            ("aws_iam_policy_document", elb),
            [
                Attr("count", Expr(f"length(data.aws_elb_service_account.{name})")),
                BLANK,
                principal_statement(
                    ["s3:PutObject"],
                    resources,
                    "AWS",
                    [Expr(f"data.aws_elb_service_account.{name}[0].arn")],
                    comment="load balancer access log delivery (regions opened before August 2022)",
                ),
            ],
        ),
    ]


def _repository(ctx: Context, comp: Component) -> Block:
    name = ctx.name(comp.node_id)
    ctx.output(
        naming.tf_name(comp.node_id, "repository_url"),
        f"URL of the ECR repository {comp.node_id}",
        Expr(f"aws_ecr_repository.{name}.repository_url"),
    )
    return block(
        "resource",
        "aws_ecr_repository",
        name,
        name=ctx.physical(comp.node_id, 256),
        image_tag_mutability="IMMUTABLE" if comp.props["immutable_tags"] else "MUTABLE",
    ).add(
        block("image_scanning_configuration", scan_on_push=comp.props["scan_on_push"]),
        block("encryption_configuration", encryption_type="KMS"),
        Attr("tags", ctx.tags(comp.node_id)),
    )
