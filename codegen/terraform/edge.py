"""edge.tf: CloudFront distributions with their origins, Route 53 zones and aliases."""

from __future__ import annotations

from codegen import naming
from codegen.model import CdnOrigin, Component
from codegen.terraform.context import Context
from codegen.terraform.hcl import BLANK, Attr, Block, Comment, Expr, Item, block, call, template
from codegen.terraform.storage import log_bucket

S3 = "aws.s3.bucket"
ALB = "aws.elbv2.application_load_balancer"
REST_API = "aws.apigateway.rest_api"
ALL_METHODS = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]
# AWS managed CloudFront policies, looked up by name.
POLICIES = {
    ("aws_cloudfront_cache_policy", "caching_optimized"): "Managed-CachingOptimized",
    ("aws_cloudfront_cache_policy", "caching_disabled"): "Managed-CachingDisabled",
    ("aws_cloudfront_origin_request_policy", "all_viewer_except_host"): (
        "Managed-AllViewerExceptHostHeader"
    ),
    ("aws_cloudfront_response_headers_policy", "security_headers"): (
        "Managed-SecurityHeadersPolicy"
    ),
}


def emit(ctx: Context) -> list[Item]:
    items: list[Item] = []
    distributions = ctx.model.of_type("aws.cloudfront.distribution")
    if any(o.distribution_id for o in ctx.model.cdn_origins):
        items += [
            block("data", kind, name, name=policy) for (kind, name), policy in POLICIES.items()
        ]
    for cdn in distributions:
        items += _distribution(ctx, cdn)
    for zone in ctx.model.of_type("aws.route53.hosted_zone"):
        items.append(
            block(
                "resource",
                "aws_route53_zone",
                ctx.name(zone.node_id),
                name=zone.props["domain_name"],
                comment=naming.free_text(zone.label, 256),
                tags=ctx.tags(zone.node_id),
            )
        )
        ctx.output(
            naming.tf_name(zone.node_id, "name_servers"),
            f"Name servers of the hosted zone {zone.node_id}: delegate the domain to them",
            Expr(f"aws_route53_zone.{ctx.name(zone.node_id)}.name_servers"),
        )
    for alias in ctx.model.dns_aliases:
        if ctx.absent(alias.target_id):
            continue
        target = ctx.address(alias.target_id)
        cloudfront = alias.target_type != ALB
        zone = ctx.comp(alias.zone_id)
        items.append(
            block(
                "resource",
                "aws_route53_record",
                naming.tf_name(alias.edge_id),
                zone_id=Expr(f"aws_route53_zone.{ctx.name(zone.node_id)}.zone_id"),
                name=zone.props["domain_name"],
                type="A",
            ).add(
                block(
                    "alias",
                    name=Expr(f"{target}.{'domain_name' if cloudfront else 'dns_name'}"),
                    zone_id=Expr(f"{target}.{'hosted_zone_id' if cloudfront else 'zone_id'}"),
                    evaluate_target_health=not cloudfront,
                )
            )
        )
    return items


def _policy(kind: str, name: str) -> Expr:
    return Expr(f"data.{kind}.{name}.id")


def _behavior(ctx: Context, origin: CdnOrigin, type_: str) -> Block:
    s3 = origin.target_type == S3
    behavior = Block("default_cache_behavior" if origin.is_default else "ordered_cache_behavior")
    if not origin.is_default:
        behavior.add(Attr("path_pattern", origin.path_pattern))
    methods = (
        ["GET", "HEAD"] if s3 else ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]
    )
    behavior.add(
        Attr("target_origin_id", origin.target_id),
        Attr("viewer_protocol_policy", "redirect-to-https"),
        Attr("allowed_methods", methods),
        Attr("cached_methods", ["GET", "HEAD"]),
        Attr("compress", True),
        Attr(
            "cache_policy_id",
            _policy(
                "aws_cloudfront_cache_policy", "caching_optimized" if s3 else "caching_disabled"
            ),
        ),
    )
    if not s3:
        behavior.add(
            Attr(
                "origin_request_policy_id",
                _policy("aws_cloudfront_origin_request_policy", "all_viewer_except_host"),
            )
        )
    behavior.add(
        Attr(
            "response_headers_policy_id",
            _policy("aws_cloudfront_response_headers_policy", "security_headers"),
        )
    )
    return behavior


def _origin(ctx: Context, origin: CdnOrigin) -> Block:
    target = ctx.comp(origin.target_id)
    address = ctx.address(target.node_id)
    block_ = Block("origin", (), [Attr("origin_id", origin.target_id)])
    if target.type == S3:
        return block_.add(
            Attr("domain_name", Expr(f"{address}.bucket_regional_domain_name")),
            Attr(
                "origin_access_control_id",
                Expr(f"aws_cloudfront_origin_access_control.{naming.tf_name(origin.edge_id)}.id"),
            ),
        )
    https_only = True
    if target.type == ALB:
        domain = Expr(f"{address}.dns_name")
        https_only = target.props["listener_protocol"] == "HTTPS"
    elif target.type == REST_API:
        domain = template(
            Expr(f"{address}.id"), ".execute-api.", Expr("var.region"), ".amazonaws.com"
        )
        block_.add(Attr("origin_path", f"/{target.props['stage_name']}"))
    else:
        domain = call("replace", Expr(f"{address}.api_endpoint"), "https://", "")
    block_.body.insert(1, Attr("domain_name", domain))
    return block_.add(
        block(
            "custom_origin_config",
            http_port=80,
            https_port=443,
            origin_protocol_policy="https-only" if https_only else "http-only",
            origin_ssl_protocols=["TLSv1.2"],
        )
    )


def _distribution(ctx: Context, cdn: Component) -> list[Item]:
    name = ctx.name(cdn.node_id)
    origins = [o for o in ctx.model.cdn_origins if o.distribution_id == cdn.node_id]
    if not origins:
        return [
            Comment(
                f"CloudFront distribution {cdn.node_id} is not generated: it has no origin.\n"
                "Connect it to an S3 bucket, a load balancer or an API."
            )
        ]
    items: list[Item] = []
    for origin in origins:
        if origin.target_type == S3:
            items.append(
                block(
                    "resource",
                    "aws_cloudfront_origin_access_control",
                    naming.tf_name(origin.edge_id),
                    name=template(Expr("var.name_prefix"), f"-{origin.edge_id}"[:43]),
                    description=f"Cloudwright edge {origin.edge_id}",
                    origin_access_control_origin_type="s3",
                    signing_behavior="always",
                    signing_protocol="sigv4",
                )
            )
    default = next(o for o in origins if o.is_default)
    acl = next((a.acl_id for a in ctx.model.waf_associations if a.target_id == cdn.node_id), None)
    distribution = block(
        "resource",
        "aws_cloudfront_distribution",
        name,
        enabled=True,
        comment=naming.free_text(cdn.label, 128),
        price_class=cdn.props["price_class"],
        http_version="http2and3",
        is_ipv6_enabled=True,
        default_root_object=cdn.props["default_root_object"] or None
        if default.target_type == S3
        else None,
        web_acl_id=ctx.attr(acl, "arn") if acl else None,
    )
    distribution.add(*(_origin(ctx, o) for o in origins))
    distribution.add(_behavior(ctx, default, default.target_type))
    distribution.add(*(_behavior(ctx, o, o.target_type) for o in origins if not o.is_default))
    logs = ctx.model.access_log_source(cdn.node_id)
    if logs:
        distribution.add(
            block(
                "logging_config",
                bucket=Expr(f"{log_bucket(ctx)}.bucket_domain_name"),
                prefix=logs.prefix,
                include_cookies=False,
            )
        )
    distribution.add(
        Block(
            "restrictions",
            (),
            [block("geo_restriction", restriction_type="none")],
        ),
        # A custom domain needs an ACM certificate in us-east-1; the default one
        # serves the distribution's own *.cloudfront.net name.
        block("viewer_certificate", cloudfront_default_certificate=True),
        Attr("tags", ctx.tags(cdn.node_id)),
    )
    if logs:
        # CloudFront adds its log delivery grant to the bucket's ACL, which the
        # ownership controls must allow first.
        distribution.add(
            BLANK,
            Attr("depends_on", [Expr(log_bucket(ctx, "aws_s3_bucket_ownership_controls"))]),
        )
    items.append(distribution)
    ctx.output(
        naming.tf_name(cdn.node_id, "domain_name"),
        f"Domain name of the CloudFront distribution {cdn.node_id}",
        Expr(f"aws_cloudfront_distribution.{name}.domain_name"),
    )
    return items
