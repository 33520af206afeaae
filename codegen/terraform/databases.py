"""databases.tf: RDS instances and ElastiCache Redis replication groups."""

from __future__ import annotations

from codegen import naming
from codegen.model import Component
from codegen.terraform.context import Context
from codegen.terraform.hcl import Attr, Expr, Item, block
from codegen.terraform.security import generated_secret

# Major versions; RDS picks the current minor and upgrades it in maintenance windows.
ENGINE_VERSIONS = {"postgres": "16", "mysql": "8.0"}
LOG_EXPORTS = {"postgres": ["postgresql", "upgrade"], "mysql": ["error", "general", "slowquery"]}
MASTER_USERNAME = "dbadmin"


def emit(ctx: Context) -> list[Item]:
    items: list[Item] = []
    for db in ctx.model.of_type("aws.rds.instance"):
        items += _rds(ctx, db)
    for cache in ctx.model.of_type("aws.elasticache.redis"):
        items += _redis(ctx, cache)
    return items


def _rds(ctx: Context, comp: Component) -> list[Item]:
    name = ctx.name(comp.node_id)
    props = comp.props
    engine = props["engine"]
    ctx.output(
        naming.tf_name(comp.node_id, "endpoint"),
        f"Address of the database {comp.node_id}",
        Expr(f"aws_db_instance.{name}.address"),
    )
    ctx.output(
        naming.tf_name(comp.node_id, "secret_arn"),
        f"Secrets Manager secret holding the master credentials of {comp.node_id}",
        Expr(f"aws_db_instance.{name}.master_user_secret[0].secret_arn"),
    )
    return [
        block(
            "resource",
            "aws_db_subnet_group",
            name,
            name_prefix=ctx.physical(comp.node_id, 200, "-"),
            description=f"Subnets of the database {comp.node_id}",
            subnet_ids=ctx.subnets(comp),
            tags=ctx.tags(comp.node_id, "subnet group"),
        ),
        block(
            "resource",
            "aws_db_instance",
            name,
            identifier_prefix=ctx.physical(comp.node_id, 37, "-"),
            engine=engine,
            engine_version=ENGINE_VERSIONS[engine],
            instance_class=props["instance_class"],
            allocated_storage=props["allocated_storage_gb"],
            storage_type="gp3",
            storage_encrypted=props["storage_encrypted"],
            db_name=props["database_name"],
            username=MASTER_USERNAME,
            # RDS generates the password and keeps it in Secrets Manager.
            manage_master_user_password=True,
            iam_database_authentication_enabled=props["iam_authentication"],
            multi_az=props["multi_az"],
            publicly_accessible=props["publicly_accessible"],
            db_subnet_group_name=Expr(f"aws_db_subnet_group.{name}.name"),
            vpc_security_group_ids=ctx.security_groups(comp),
            backup_retention_period=props["backup_retention_days"],
            copy_tags_to_snapshot=True,
            auto_minor_version_upgrade=True,
            deletion_protection=props["deletion_protection"],
            enabled_cloudwatch_logs_exports=LOG_EXPORTS[engine],
            skip_final_snapshot=False,
            final_snapshot_identifier=ctx.physical(comp.node_id, 255, "-final"),
            tags=ctx.tags(comp.node_id),
        ),
    ]


def _redis(ctx: Context, comp: Component) -> list[Item]:
    name = ctx.name(comp.node_id)
    props = comp.props
    nodes = props["num_cache_nodes"]
    ctx.output(
        naming.tf_name(comp.node_id, "endpoint"),
        f"Primary endpoint of the Redis replication group {comp.node_id}",
        Expr(f"aws_elasticache_replication_group.{name}.primary_endpoint_address"),
    )
    items: list[Item] = []
    if comp.auth_secret:
        items += generated_secret(
            ctx,
            comp.node_id,
            name,
            f"AUTH token of the Redis replication group {comp.node_id}",
            "auth",
        )
        ctx.output(
            naming.tf_name(comp.node_id, "secret_arn"),
            f"Secrets Manager secret holding the AUTH token of {comp.node_id}",
            Expr(f"aws_secretsmanager_secret.{name}.arn"),
        )
    return items + [
        block(
            "resource",
            "aws_elasticache_subnet_group",
            name,
            name=ctx.physical(comp.node_id, 255),
            description=f"Subnets of the cache {comp.node_id}",
            subnet_ids=ctx.subnets(comp),
            tags=ctx.tags(comp.node_id, "subnet group"),
        ),
        block(
            "resource",
            "aws_elasticache_replication_group",
            name,
            replication_group_id=ctx.physical(comp.node_id, 40),
            description=naming.free_text(comp.label, 255),
            engine="redis",
            node_type=props["node_type"],
            num_cache_clusters=nodes,
            port=6379,
            automatic_failover_enabled=nodes > 1,
            multi_az_enabled=nodes > 1,
            subnet_group_name=Expr(f"aws_elasticache_subnet_group.{name}.name"),
            security_group_ids=ctx.security_groups(comp),
            at_rest_encryption_enabled=props["at_rest_encryption"],
            transit_encryption_enabled=props["transit_encryption"],
            # Clients send the token with AUTH; Terraform state holds it too, as it holds
            # every managed password: keep state in the encrypted backend.
            auth_token=Expr(f"aws_secretsmanager_secret_version.{name}.secret_string")
            if comp.auth_secret
            else None,
            snapshot_retention_limit=7,
            auto_minor_version_upgrade=True,
        ).add(Attr("tags", ctx.tags(comp.node_id))),
    ]
