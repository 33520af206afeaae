"""network.tf: VPCs, subnets, gateways, route tables, security groups, flow logs."""

from __future__ import annotations

from codegen import naming
from codegen.model import Network
from codegen.terraform.context import Context
from codegen.terraform.hcl import BLANK, Attr, Block, Comment, Expr, Item, block
from codegen.terraform.iam import role_with_policy, statement

ALL_TRAFFIC = "-1"


def emit(ctx: Context) -> list[Item]:
    model = ctx.model
    items: list[Item] = []
    if model.networks:
        items.append(block("data", "aws_availability_zones", "available", state="available"))
    for network in model.networks.values():
        items.extend(_vpc(ctx, network))
    for nat in model.of_type("aws.ec2.nat_gateway"):
        items.extend(_nat(ctx, nat.node_id))
    for comp in model.components.values():
        if comp.has_security_group:
            items.extend(_security_group(ctx, comp.node_id))
    items.extend(_ingress_rules(ctx))
    return items


def _vpc(ctx: Context, network: Network) -> list[Item]:
    vpc = ctx.comp(network.vpc_id)
    name = ctx.name(vpc.node_id)
    vpc_ref = Expr(f"aws_vpc.{name}.id")
    items: list[Item] = [
        block(
            "resource",
            "aws_vpc",
            name,
            cidr_block=vpc.props["cidr_block"],
            enable_dns_support=True,
            enable_dns_hostnames=vpc.props["enable_dns_hostnames"],
            tags=ctx.tags(vpc.node_id),
        ),
        # The default security group allows all traffic between its members; nothing
        # here uses it, so it is emptied rather than left open.
        block(
            "resource",
            "aws_default_security_group",
            name,
            vpc_id=vpc_ref,
            tags=ctx.tags(vpc.node_id, "default security group, no rules"),
        ),
    ]
    for subnet_id in network.public_subnet_ids + network.private_subnet_ids:
        subnet = ctx.comp(subnet_id)
        items.append(
            block(
                "resource",
                "aws_subnet",
                ctx.name(subnet_id),
                vpc_id=vpc_ref,
                cidr_block=subnet.props["cidr_block"],
                availability_zone=Expr(
                    f"data.aws_availability_zones.available.names[{subnet.props['az_index']}]"
                ),
                # Instances ask for a public address explicitly (associate_public_ip).
                map_public_ip_on_launch=False,
                tags=ctx.tags(subnet_id),
            )
        )
    if network.internet_gateway:
        items.append(
            block(
                "resource",
                "aws_internet_gateway",
                name,
                vpc_id=vpc_ref,
                tags=ctx.tags(vpc.node_id, "internet gateway"),
            )
        )
    for table in network.route_tables:
        table_name = (
            naming.tf_name(vpc.node_id, "public")
            if table.internet_gateway
            else (ctx.name(table.name))
        )
        items.append(
            block(
                "resource",
                "aws_route_table",
                table_name,
                vpc_id=vpc_ref,
                tags=ctx.tags(
                    vpc.node_id if table.internet_gateway else table.name,
                    "public route table" if table.internet_gateway else "route table",
                ),
            )
        )
        if table.internet_gateway:
            items.append(
                block(
                    "resource",
                    "aws_route",
                    table_name,
                    route_table_id=Expr(f"aws_route_table.{table_name}.id"),
                    destination_cidr_block="0.0.0.0/0",
                    gateway_id=Expr(f"aws_internet_gateway.{name}.id"),
                )
            )
        elif table.nat_gateway_id:
            items.append(
                block(
                    "resource",
                    "aws_route",
                    table_name,
                    route_table_id=Expr(f"aws_route_table.{table_name}.id"),
                    destination_cidr_block="0.0.0.0/0",
                    nat_gateway_id=Expr(f"aws_nat_gateway.{ctx.name(table.nat_gateway_id)}.id"),
                )
            )
        for subnet_id in table.subnet_ids:
            items.append(
                block(
                    "resource",
                    "aws_route_table_association",
                    ctx.name(subnet_id),
                    subnet_id=Expr(f"aws_subnet.{ctx.name(subnet_id)}.id"),
                    route_table_id=Expr(f"aws_route_table.{table_name}.id"),
                )
            )
    if vpc.props["flow_logs"]:
        items.extend(_flow_logs(ctx, vpc.node_id))
    return items


def _flow_logs(ctx: Context, vpc_id: str) -> list[Item]:
    name = ctx.name(vpc_id)
    role = naming.tf_name(vpc_id, "flow_logs")
    log_group = ctx.log_group(vpc_id, "flow_logs")
    return [
        *role_with_policy(
            role,
            "vpc-flow-logs.amazonaws.com",
            [
                statement(
                    ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                    [Expr(f'"${{{log_group}.arn}}:*"')],
                )
            ],
            ctx.tags(vpc_id, "flow logs role"),
        ),
        block(
            "resource",
            "aws_flow_log",
            name,
            vpc_id=Expr(f"aws_vpc.{name}.id"),
            traffic_type="ALL",
            log_destination_type="cloud-watch-logs",
            log_destination=Expr(f"{log_group}.arn"),
            iam_role_arn=Expr(f"aws_iam_role.{role}.arn"),
            tags=ctx.tags(vpc_id, "flow logs"),
        ),
    ]


def _nat(ctx: Context, nat_id: str) -> list[Item]:
    name = ctx.name(nat_id)
    nat = ctx.comp(nat_id)
    return [
        block("resource", "aws_eip", name, domain="vpc", tags=ctx.tags(nat_id, "address")),
        block(
            "resource",
            "aws_nat_gateway",
            name,
            allocation_id=Expr(f"aws_eip.{name}.id"),
            subnet_id=Expr(f"aws_subnet.{ctx.name(nat.parent_id)}.id"),
            tags=ctx.tags(nat_id),
        ).add(
            BLANK,
            Attr("depends_on", [Expr(f"aws_internet_gateway.{ctx.name(nat.vpc_id)}")]),
        ),
    ]


def _security_group(ctx: Context, node_id: str) -> list[Item]:
    comp = ctx.comp(node_id)
    name = ctx.name(node_id)
    return [
        block(
            "resource",
            "aws_security_group",
            name,
            name_prefix=ctx.physical(node_id, 200, "-"),
            description=f"Cloudwright node {node_id}",
            vpc_id=Expr(f"aws_vpc.{ctx.name(comp.vpc_id)}.id"),
            tags=ctx.tags(node_id, "security group"),
        ).add(BLANK, Block("lifecycle", (), [Attr("create_before_destroy", True)])),
        Comment(
            "Outbound traffic stays open: the service calls AWS APIs and, through the NAT\n"
            "gateway, the internet. Narrow it with VPC endpoints where that matters."
        ),
        block(
            "resource",
            "aws_vpc_security_group_egress_rule",
            name,
            security_group_id=Expr(f"aws_security_group.{name}.id"),
            description="All outbound traffic",
            ip_protocol=ALL_TRAFFIC,
            cidr_ipv4="0.0.0.0/0",
        ),
    ]


def _ingress_rules(ctx: Context) -> list[Item]:
    items: list[Item] = []
    counts: dict[str, int] = {}
    for rule in ctx.model.security_group_rules:
        if not ctx.comp(rule.node_id).has_security_group:
            continue
        if rule.edge_id:
            name = naming.tf_name(rule.edge_id)
        else:
            counts[rule.node_id] = counts.get(rule.node_id, 0) + 1
            name = naming.tf_name(rule.node_id, f"ingress_{counts[rule.node_id]}")
        source = (
            {
                "referenced_security_group_id": Expr(
                    f"aws_security_group.{ctx.name(rule.source_node_id)}.id"
                )
            }
            if rule.source_node_id
            else {"cidr_ipv4": rule.cidr}
        )
        items.append(
            block(
                "resource",
                "aws_vpc_security_group_ingress_rule",
                name,
                security_group_id=Expr(f"aws_security_group.{ctx.name(rule.node_id)}.id"),
                description=rule.description,
                ip_protocol=rule.protocol,
                from_port=rule.port,
                to_port=rule.to_port or rule.port,
                **source,
            )
        )
    return items
