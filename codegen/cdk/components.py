"""One builder per component type: the L2 construct (L1 only where CDK has no L2).

Each builder returns the statements that create the node's construct as `self.<ident>`
with its construct id set to the node id (never the label), plus the companions it
owns (its log group, listener, cluster...). Wiring that edges imply is in wiring.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from codegen import naming
from codegen.cdk.pytree import SELF, Assign, Concat, Do, Expr, Index, Lit, Stmt, name
from codegen.cdk.writer import StackWriter
from codegen.model import Component

RETENTION = {
    1: "ONE_DAY",
    3: "THREE_DAYS",
    5: "FIVE_DAYS",
    7: "ONE_WEEK",
    14: "TWO_WEEKS",
    30: "ONE_MONTH",
    60: "TWO_MONTHS",
    90: "THREE_MONTHS",
    120: "FOUR_MONTHS",
    150: "FIVE_MONTHS",
    180: "SIX_MONTHS",
    365: "ONE_YEAR",
    400: "THIRTEEN_MONTHS",
    545: "EIGHTEEN_MONTHS",
    731: "TWO_YEARS",
    1096: "THREE_YEARS",
    1827: "FIVE_YEARS",
    2192: "SIX_YEARS",
    2557: "SEVEN_YEARS",
    2922: "EIGHT_YEARS",
    3288: "NINE_YEARS",
    3653: "TEN_YEARS",
}
RUNTIMES = {
    "python3.12": "PYTHON_3_12",
    "python3.13": "PYTHON_3_13",
    "nodejs20.x": "NODEJS_20_X",
    "nodejs22.x": "NODEJS_22_X",
}
ARCHITECTURES = {"x86_64": "X86_64", "arm64": "ARM_64"}
ECS_ARCHITECTURES = {"x86_64": "X86_64", "arm64": "ARM64"}
# Free-text fields that take a label, and how long AWS lets them be.
LABEL_LIMITS = {"description": 256, "comment": 128, "alarm_description": 1024}
EVENT_PATTERN_KEYS = {
    "source": "source",
    "detail-type": "detail_type",
    "detail": "detail",
    "account": "account",
    "region": "region",
    "resources": "resources",
    "id": "id",
    "time": "time",
    "version": "version",
}


# Access-log sources the CDK app wires (S3 server access logs are Terraform's only).
LOGGED_HERE = ("aws.elbv2.application_load_balancer", "aws.cloudfront.distribution")


def _label(comp: Component, field: str) -> Lit:
    return Lit(naming.free_text(comp.label, LABEL_LIMITS[field]))


def _pin(target: Expr, construct_id: str) -> Stmt:
    """Give a top-level L1 construct a logical id that is unique whatever its id holds."""
    return Do(target.method("override_logical_id", naming.cfn_logical_id(construct_id)))


def _self(w: StackWriter, comp: Component) -> Expr:
    return w.node(comp.node_id)


def _log_group(w: StackWriter, comp: Component, purpose: str) -> tuple[list[Stmt], Expr | None]:
    """The log group `comp` writes to: a drawn one, or its own companion."""
    spec = w.model.log_group_for(comp.node_id, purpose)
    if spec is None:
        return [], None
    if spec.drawn_id:
        return [], w.node(spec.drawn_id)
    target = w.companion(comp.node_id, "logs")
    create = w.mod("logs").method(
        "LogGroup",
        SELF,
        naming.construct_id(comp.node_id, "logs"),
        retention=w.mod("logs").attr("RetentionDays").attr(RETENTION[spec.retention_days]),
    )
    return [Assign(target, create)], target


def _access_log_bucket(
    w: StackWriter, comp: Component
) -> tuple[list[Stmt], Expr | None, str | None]:
    """Where `comp` (a load balancer or distribution) writes access logs, and its prefix.

    Each stack holding such a source gets its own log bucket (S3-managed keys, the only
    kind load balancer log delivery takes; ACLs kept when CloudFront, which grants
    itself access through one, logs there), created with the stack's first source, so
    no stack refers to another's bucket. The statements are those that create it.
    """
    source = w.model.access_log_source(comp.node_id)
    if source is None:
        return [], None, None
    bucket = w.shared("access_log_bucket")
    wired = {s.node_id for s in w.model.log_bucket.sources if s.type in LOGGED_HERE}
    if next(n for n in w.plan.node_ids if n in wired) != comp.node_id:
        return [], bucket, source.prefix
    s3, logs = w.mod("s3"), w.model.log_bucket
    ownership = "BUCKET_OWNER_PREFERRED" if logs.acl_delivery else "BUCKET_OWNER_ENFORCED"
    create = s3.method(
        "Bucket",
        SELF,
        naming.construct_id("cloudwright", "access_logs"),
        encryption=s3.attr("BucketEncryption").attr("S3_MANAGED"),
        object_ownership=s3.attr("ObjectOwnership").attr(ownership),
        block_public_access=s3.attr("BlockPublicAccess").attr("BLOCK_ALL"),
        enforce_ssl=True,
        versioned=True,
        lifecycle_rules=[
            s3.method(
                "LifecycleRule",
                expiration=w.duration("days", logs.expiration_days),
                noncurrent_version_expiration=w.duration("days", 90),
                abort_incomplete_multipart_upload_after=w.duration("days", 7),
            )
        ],
    )
    return [Assign(bucket, create)], bucket, source.prefix


def _env(w: StackWriter, comp: Component) -> dict[str, Expr] | None:
    return {key: w.ref(ref) for key, ref in sorted(comp.env.items())} or None


def _availability_zone(w: StackWriter, az_index: int) -> Expr:
    # An environment-agnostic stack knows two zones; further ones come from Fn::GetAZs.
    if az_index < 2:
        return Index(SELF.attr("availability_zones"), az_index)
    fn = w.core("Fn")
    return fn.method("select", az_index, fn.method("get_azs"))


# -- networking --------------------------------------------------------------------


def vpc(w: StackWriter, comp: Component) -> list[Stmt]:
    ec2 = w.mod("ec2")
    network = w.model.networks[comp.node_id]
    target = _self(w, comp)
    out: list[Stmt] = [
        Assign(
            target,
            ec2.method(
                "Vpc",
                SELF,
                comp.node_id,
                ip_addresses=ec2.attr("IpAddresses").method("cidr", comp.props["cidr_block"]),
                subnet_configuration=[],
                enable_dns_hostnames=comp.props["enable_dns_hostnames"],
                enable_dns_support=True,
                restrict_default_security_group=False,
            ),
        )
    ]
    if network.internet_gateway:
        igw = w.companion(comp.node_id, "igw")
        out += [
            Assign(
                igw,
                ec2.method("CfnInternetGateway", SELF, naming.construct_id(comp.node_id, "igw")),
            ),
            Assign(
                w.companion(comp.node_id, "igw_attachment"),
                ec2.method(
                    "CfnVPCGatewayAttachment",
                    SELF,
                    naming.construct_id(comp.node_id, "igw_attachment"),
                    vpc_id=target.attr("vpc_id"),
                    internet_gateway_id=igw.attr("ref"),
                ),
            ),
            _pin(igw, naming.construct_id(comp.node_id, "igw")),
            _pin(
                w.companion(comp.node_id, "igw_attachment"),
                naming.construct_id(comp.node_id, "igw_attachment"),
            ),
        ]
    logs_out, log_group = _log_group(w, comp, "flow_logs")
    out += logs_out
    if log_group is not None:
        out.append(
            Do(
                target.method(
                    "add_flow_log",
                    "flow-logs",
                    destination=ec2.attr("FlowLogDestination").method(
                        "to_cloud_watch_logs", log_group
                    ),
                )
            )
        )
    if any(c.vpc_id == comp.node_id for c in w.model.of_type("aws.ecs.fargate_service")):
        out.append(
            Assign(
                w.companion(comp.node_id, "cluster"),
                w.mod("ecs").method(
                    "Cluster",
                    SELF,
                    naming.construct_id(comp.node_id, "cluster"),
                    vpc=target,
                    container_insights_v2=w.mod("ecs").attr("ContainerInsights").attr("ENABLED"),
                ),
            )
        )
    return out


def subnet(w: StackWriter, comp: Component) -> list[Stmt]:
    ec2 = w.mod("ec2")
    public = comp.props["public"]
    target = _self(w, comp)
    out: list[Stmt] = [
        Assign(
            target,
            ec2.method(
                "PublicSubnet" if public else "PrivateSubnet",
                SELF,
                comp.node_id,
                vpc_id=w.node(comp.parent_id).attr("vpc_id"),
                cidr_block=comp.props["cidr_block"],
                availability_zone=_availability_zone(w, comp.props["az_index"]),
                # CDK only lets an instance ask for a public address in subnets the
                # Vpc construct made itself, so a drawn public subnet gives them out.
                map_public_ip_on_launch=public
                and any(
                    i.parent_id == comp.node_id and i.props["associate_public_ip"]
                    for i in w.model.of_type("aws.ec2.instance")
                ),
            ),
        )
    ]
    network = w.model.networks[comp.parent_id]
    if public:
        out.append(
            Do(
                target.method(
                    "add_default_internet_route",
                    w.companion(comp.parent_id, "igw").attr("ref"),
                    w.companion(comp.parent_id, "igw_attachment"),
                )
            )
        )
    else:
        table = next(t for t in network.route_tables if comp.node_id in t.subnet_ids)
        if table.nat_gateway_id:
            out.append(
                Do(target.method("add_default_nat_route", w.node(table.nat_gateway_id).attr("ref")))
            )
    return out


def nat_gateway(w: StackWriter, comp: Component) -> list[Stmt]:
    siblings = [n for n in w.model.of_type(comp.type) if n.parent_id == comp.parent_id]
    if siblings[0] is comp:
        return [Assign(_self(w, comp), w.node(comp.parent_id).method("add_nat_gateway"))]
    # CDK's helper makes one gateway per subnet; further ones are plain resources.
    ec2 = w.mod("ec2")
    eip = w.companion(comp.node_id, "eip")
    return [
        Assign(
            eip, ec2.method("CfnEIP", SELF, naming.construct_id(comp.node_id, "eip"), domain="vpc")
        ),
        Assign(
            _self(w, comp),
            ec2.method(
                "CfnNatGateway",
                SELF,
                comp.node_id,
                subnet_id=w.node(comp.parent_id).attr("subnet_id"),
                allocation_id=eip.attr("attr_allocation_id"),
            ),
        ),
        _pin(eip, naming.construct_id(comp.node_id, "eip")),
        _pin(_self(w, comp), comp.node_id),
    ]


def _vpc_placement(w: StackWriter, comp: Component) -> dict[str, Expr]:
    if not comp.vpc_id:
        return {}
    placement = {"vpc": w.node(comp.vpc_id)}
    if comp.subnet_ids:
        placement["vpc_subnets"] = w.subnets(comp.subnet_ids)
    return placement


def application_load_balancer(w: StackWriter, comp: Component) -> list[Stmt]:
    elbv2 = w.mod("elbv2")
    target = _self(w, comp)
    props = comp.props
    listener_kwargs: dict[str, object] = {
        "port": 443 if props["listener_protocol"] == "HTTPS" else 80,
        "protocol": elbv2.attr("ApplicationProtocol").attr(props["listener_protocol"]),
        "open": False,
    }
    if props["listener_protocol"] == "HTTPS":
        # Validation refuses HTTPS without a certificate. RECOMMENDED_TLS is
        # ELBSecurityPolicy-TLS13-1-2-2021-06, Terraform's TLS_POLICY.
        listener_kwargs["certificates"] = [
            elbv2.attr("ListenerCertificate").method("from_arn", props["certificate_arn"])
        ]
        listener_kwargs["ssl_policy"] = elbv2.attr("SslPolicy").attr("RECOMMENDED_TLS")
    if not any(t.alb_id == comp.node_id and t.is_default for t in w.model.lb_targets):
        listener_kwargs["default_action"] = elbv2.attr("ListenerAction").method(
            "fixed_response", 404
        )
    logs_out, bucket, prefix = _access_log_bucket(w, comp)
    return (
        logs_out
        + [
            Assign(
                target,
                elbv2.method(
                    "ApplicationLoadBalancer",
                    SELF,
                    comp.node_id,
                    **_vpc_placement(w, comp),
                    internet_facing=props["internet_facing"],
                    deletion_protection=props["deletion_protection"],
                    drop_invalid_header_fields=props["drop_invalid_header_fields"],
                ),
            ),
            Assign(
                w.companion(comp.node_id, "listener"),
                target.method("add_listener", "listener", **listener_kwargs),
            ),
        ]
        + ([Do(target.method("log_access_logs", bucket, prefix))] if bucket else [])
    )


def cloudfront_distribution(w: StackWriter, comp: Component) -> list[Stmt]:
    cloudfront = w.mod("cloudfront")
    origins = [o for o in w.model.cdn_origins if o.distribution_id == comp.node_id]

    def behavior(origin_expr: Expr) -> Expr:
        return cloudfront.method(
            "BehaviorOptions",
            origin=origin_expr,
            viewer_protocol_policy=cloudfront.attr("ViewerProtocolPolicy").attr(
                "REDIRECT_TO_HTTPS"
            ),
        )

    def origin(o) -> Expr:
        ors = w.mod("origins")
        target = w.node(o.target_id)
        if o.target_type == "aws.s3.bucket":
            return ors.attr("S3BucketOrigin").method("with_origin_access_control", target)
        if o.target_type == "aws.elbv2.application_load_balancer":
            return ors.method(
                "LoadBalancerV2Origin",
                target,
                protocol_policy=cloudfront.attr("OriginProtocolPolicy").attr("HTTP_ONLY"),
            )
        if o.target_type == "aws.apigateway.rest_api":
            return ors.method("RestApiOrigin", target)
        fn = w.core("Fn")
        host = fn.method("select", 2, fn.method("split", "/", target.attr("api_endpoint")))
        return ors.method("HttpOrigin", host)

    default = next((o for o in origins if o.is_default), None)
    # A distribution needs an origin; until one is drawn it points at a placeholder.
    default_origin = (
        origin(default) if default else w.mod("origins").method("HttpOrigin", "origin.example.com")
    )
    kwargs: dict[str, object] = {
        "default_behavior": behavior(default_origin),
        "price_class": cloudfront.attr("PriceClass").attr(
            comp.props["price_class"].upper().replace("PRICECLASS_", "PRICE_CLASS_")
        ),
        "default_root_object": comp.props["default_root_object"] or None,
        "comment": _label(comp, "comment"),
        "minimum_protocol_version": cloudfront.attr("SecurityPolicyProtocol").attr("TLS_V1_2_2021"),
    }
    extra = {o.path_pattern: behavior(origin(o)) for o in origins if not o.is_default}
    if extra:
        kwargs["additional_behaviors"] = extra
    acl = next((a for a in w.model.waf_associations if a.target_id == comp.node_id), None)
    if acl:
        kwargs["web_acl_id"] = w.node(acl.acl_id).attr("attr_arn")
    logs_out, bucket, prefix = _access_log_bucket(w, comp)
    if bucket:
        kwargs.update(enable_logging=True, log_bucket=bucket, log_file_prefix=prefix)
    kwargs = {k: v for k, v in kwargs.items() if v is not None}
    return logs_out + [
        Assign(_self(w, comp), cloudfront.method("Distribution", SELF, comp.node_id, **kwargs))
    ]


def hosted_zone(w: StackWriter, comp: Component) -> list[Stmt]:
    return [
        Assign(
            _self(w, comp),
            w.mod("route53").method(
                "PublicHostedZone", SELF, comp.node_id, zone_name=comp.props["domain_name"]
            ),
        )
    ]


# -- compute -----------------------------------------------------------------------


def lambda_function(w: StackWriter, comp: Component) -> list[Stmt]:
    lambda_ = w.mod("lambda_")
    props = comp.props
    code = w.model.lambda_code[comp.node_id]
    logs_out, log_group = _log_group(w, comp, "lambda")
    kwargs: dict[str, object] = {
        "runtime": lambda_.attr("Runtime").attr(RUNTIMES[props["runtime"]]),
        "handler": props["handler"],
        "code": name("function_code").call(code.directory, code.filename),
        "memory_size": props["memory_mb"],
        "timeout": w.duration("seconds", props["timeout_s"]),
        "architecture": lambda_.attr("Architecture").attr(ARCHITECTURES[props["architecture"]]),
        "tracing": lambda_.attr("Tracing").attr("ACTIVE" if props["tracing"] else "DISABLED"),
        "log_group": log_group,
        "environment": _env(w, comp),
        "description": _label(comp, "description"),
        **_vpc_placement(w, comp),
    }
    if props["reserved_concurrency"] >= 0:
        kwargs["reserved_concurrent_executions"] = props["reserved_concurrency"]
    if (
        comp.vpc_id
        and comp.subnet_ids
        and all(w.model.components[s].props["public"] for s in comp.subnet_ids)
    ):
        kwargs["allow_public_subnet"] = True
    kwargs = {k: v for k, v in kwargs.items() if v is not None}
    return logs_out + [
        Assign(_self(w, comp), lambda_.method("Function", SELF, comp.node_id, **kwargs))
    ]


def fargate_service(w: StackWriter, comp: Component) -> list[Stmt]:
    ecs = w.mod("ecs")
    props = comp.props
    task = w.companion(comp.node_id, "task")
    logs_out, log_group = _log_group(w, comp, "ecs")
    log_kwargs: dict[str, object] = {"stream_prefix": comp.node_id}
    if log_group is not None:
        log_kwargs["log_group"] = log_group
    container_kwargs: dict[str, object] = {
        "image": ecs.attr("ContainerImage").method("from_registry", props["image"]),
        "port_mappings": [ecs.method("PortMapping", container_port=props["container_port"])],
        "logging": ecs.attr("LogDrivers").method("aws_logs", **log_kwargs),
        "environment": _env(w, comp),
    }
    return logs_out + [
        Assign(
            task,
            ecs.method(
                "FargateTaskDefinition",
                SELF,
                naming.construct_id(comp.node_id, "task"),
                cpu=props["cpu"],
                memory_limit_mib=props["memory_mb"],
                runtime_platform=ecs.method(
                    "RuntimePlatform",
                    cpu_architecture=ecs.attr("CpuArchitecture").attr(
                        ECS_ARCHITECTURES[props["architecture"]]
                    ),
                    operating_system_family=ecs.attr("OperatingSystemFamily").attr("LINUX"),
                ),
            ),
        ),
        Do(
            task.method(
                "add_container",
                "app",
                **{k: v for k, v in container_kwargs.items() if v is not None},
            )
        ),
        Assign(
            _self(w, comp),
            ecs.method(
                "FargateService",
                SELF,
                comp.node_id,
                cluster=w.companion(comp.vpc_id, "cluster"),
                task_definition=task,
                desired_count=props["desired_count"],
                **({"vpc_subnets": w.subnets(comp.subnet_ids)} if comp.subnet_ids else {}),
                assign_public_ip=False,
                circuit_breaker=ecs.method("DeploymentCircuitBreaker", rollback=True),
            ),
        ),
    ]


def ec2_instance(w: StackWriter, comp: Component) -> list[Stmt]:
    ec2 = w.mod("ec2")
    props = comp.props
    target = _self(w, comp)
    out: list[Stmt] = [
        Assign(
            target,
            ec2.method(
                "Instance",
                SELF,
                comp.node_id,
                **_vpc_placement(w, comp),
                instance_type=ec2.method("InstanceType", props["instance_type"]),
                machine_image=ec2.attr("MachineImage").method("latest_amazon_linux2023"),
                detailed_monitoring=props["detailed_monitoring"],
                require_imdsv2=True,
                block_devices=[
                    ec2.method(
                        "BlockDevice",
                        device_name="/dev/xvda",
                        volume=ec2.attr("BlockDeviceVolume").method(
                            "ebs",
                            props["volume_gb"],
                            encrypted=props["volume_encrypted"],
                            volume_type=ec2.attr("EbsDeviceVolumeType").attr("GP3"),
                        ),
                    )
                ],
            ),
        )
    ]
    # An instance has no environment of its own: the values go to /etc/environment.
    for key, ref in sorted(comp.env.items()):
        out.append(
            Do(
                target.attr("user_data").method(
                    "add_commands",
                    Concat((Lit(f"echo '{key}="), w.ref(ref), Lit("' >> /etc/environment"))),
                )
            )
        )
    return out


# -- data --------------------------------------------------------------------------


def dynamodb_table(w: StackWriter, comp: Component) -> list[Stmt]:
    dynamodb = w.mod("dynamodb")
    props = comp.props

    def key(field: str) -> Expr:
        return dynamodb.method(
            "Attribute",
            name=props[field],
            type=dynamodb.attr("AttributeType").attr(
                {"S": "STRING", "N": "NUMBER", "B": "BINARY"}[props[f"{field}_type"]]
            ),
        )

    provisioned = props["billing_mode"] == "PROVISIONED"
    kwargs: dict[str, object] = {
        "partition_key": key("partition_key"),
        "sort_key": key("sort_key") if props["sort_key"] else None,
        "billing_mode": dynamodb.attr("BillingMode").attr(props["billing_mode"]),
        "read_capacity": props["read_capacity"] if provisioned else None,
        "write_capacity": props["write_capacity"] if provisioned else None,
        "point_in_time_recovery_specification": dynamodb.method(
            "PointInTimeRecoverySpecification",
            point_in_time_recovery_enabled=props["point_in_time_recovery"],
        ),
        "deletion_protection": props["deletion_protection"],
        "encryption": dynamodb.attr("TableEncryption").attr("AWS_MANAGED"),
        "stream": dynamodb.attr("StreamViewType").attr("NEW_AND_OLD_IMAGES")
        if w.model.has_stream(comp.node_id)
        else None,
    }
    kwargs = {k: v for k, v in kwargs.items() if v is not None}
    return [Assign(_self(w, comp), dynamodb.method("Table", SELF, comp.node_id, **kwargs))]


def s3_bucket(w: StackWriter, comp: Component) -> list[Stmt]:
    s3 = w.mod("s3")
    props = comp.props
    kwargs: dict[str, object] = {
        "versioned": props["versioned"],
        "encryption": s3.attr("BucketEncryption").attr(
            "KMS" if props["encryption"] == "KMS" else "S3_MANAGED"
        ),
        "enforce_ssl": props["enforce_ssl"],
        "object_ownership": s3.attr("ObjectOwnership").attr("BUCKET_OWNER_ENFORCED"),
    }
    if props["encryption"] == "KMS":
        kwargs["bucket_key_enabled"] = True
    kwargs["block_public_access"] = (
        s3.attr("BlockPublicAccess").attr("BLOCK_ALL")
        if props["block_public_access"]
        else s3.method(
            "BlockPublicAccess",
            block_public_acls=False,
            block_public_policy=False,
            ignore_public_acls=False,
            restrict_public_buckets=False,
        )
    )
    if props["versioned"] and props["noncurrent_version_expiration_days"]:
        kwargs["lifecycle_rules"] = [
            s3.method(
                "LifecycleRule",
                noncurrent_version_expiration=w.duration(
                    "days", props["noncurrent_version_expiration_days"]
                ),
            )
        ]
    return [Assign(_self(w, comp), s3.method("Bucket", SELF, comp.node_id, **kwargs))]


def sqs_queue(w: StackWriter, comp: Component) -> list[Stmt]:
    sqs = w.mod("sqs")
    props = comp.props
    kwargs: dict[str, object] = {
        "visibility_timeout": w.duration("seconds", props["visibility_timeout_s"]),
        "retention_period": w.duration("seconds", props["message_retention_s"]),
        "encryption": sqs.attr("QueueEncryption").attr(
            "SQS_MANAGED" if props["encrypted"] else "UNENCRYPTED"
        ),
        "enforce_ssl": True,
    }
    if props["fifo"]:
        kwargs["fifo"] = True
    dlq = next((d for d in w.model.dead_letter_queues if d.queue_id == comp.node_id), None)
    if dlq:
        kwargs["dead_letter_queue"] = sqs.method(
            "DeadLetterQueue",
            queue=w.node(dlq.dead_letter_id),
            max_receive_count=dlq.max_receive_count,
        )
    return [Assign(_self(w, comp), sqs.method("Queue", SELF, comp.node_id, **kwargs))]


def sns_topic(w: StackWriter, comp: Component) -> list[Stmt]:
    sns = w.mod("sns")
    kwargs: dict[str, object] = {"enforce_ssl": True}
    if comp.props["fifo"]:
        kwargs["fifo"] = True
    if comp.props["encrypted"]:
        kwargs["master_key"] = (
            w.mod("kms")
            .attr("Alias")
            .method(
                "from_alias_name", SELF, naming.construct_id(comp.node_id, "key"), "alias/aws/sns"
            )
        )
    return [Assign(_self(w, comp), sns.method("Topic", SELF, comp.node_id, **kwargs))]


def kinesis_stream(w: StackWriter, comp: Component) -> list[Stmt]:
    kinesis = w.mod("kinesis")
    props = comp.props
    return [
        Assign(
            _self(w, comp),
            kinesis.method(
                "Stream",
                SELF,
                comp.node_id,
                shard_count=props["shard_count"],
                retention_period=w.duration("hours", props["retention_hours"]),
                encryption=kinesis.attr("StreamEncryption").attr(
                    "MANAGED" if props["encrypted"] else "UNENCRYPTED"
                ),
            ),
        )
    ]


def rds_instance(w: StackWriter, comp: Component) -> list[Stmt]:
    rds, ec2 = w.mod("rds"), w.mod("ec2")
    props = comp.props
    engine = (
        rds.attr("DatabaseInstanceEngine").method(
            "postgres", version=rds.attr("PostgresEngineVersion").attr("VER_16_9")
        )
        if props["engine"] == "postgres"
        else rds.attr("DatabaseInstanceEngine").method(
            "mysql", version=rds.attr("MysqlEngineVersion").attr("VER_8_4_6")
        )
    )
    return [
        Assign(
            _self(w, comp),
            rds.method(
                "DatabaseInstance",
                SELF,
                comp.node_id,
                engine=engine,
                instance_type=ec2.method(
                    "InstanceType", props["instance_class"].removeprefix("db.")
                ),
                **_vpc_placement(w, comp),
                credentials=rds.attr("Credentials").method("from_generated_secret", "dbadmin"),
                database_name=props["database_name"],
                allocated_storage=props["allocated_storage_gb"],
                storage_type=rds.attr("StorageType").attr("GP3"),
                multi_az=props["multi_az"],
                publicly_accessible=props["publicly_accessible"],
                storage_encrypted=props["storage_encrypted"],
                backup_retention=w.duration("days", props["backup_retention_days"]),
                deletion_protection=props["deletion_protection"],
                iam_authentication=props["iam_authentication"],
                auto_minor_version_upgrade=True,
            ),
        )
    ]


def elasticache_redis(w: StackWriter, comp: Component) -> list[Stmt]:
    # ElastiCache has no L2 construct: a security group, a subnet group and the
    # replication group as L1 resources.
    elasticache, ec2 = w.mod("elasticache"), w.mod("ec2")
    props = comp.props
    sg = w.companion(comp.node_id, "sg")
    subnet_group = w.companion(comp.node_id, "subnets")
    replicas = props["num_cache_nodes"] > 1
    group: dict[str, object] = {
        "replication_group_description": f"Redis {comp.node_id}",
        "engine": "redis",
        "cache_node_type": props["node_type"],
        "num_cache_clusters": props["num_cache_nodes"],
        "automatic_failover_enabled": replicas,
        "multi_az_enabled": replicas,
        "transit_encryption_enabled": props["transit_encryption"],
        "at_rest_encryption_enabled": props["at_rest_encryption"],
        "cache_subnet_group_name": subnet_group.attr("ref"),
        "security_group_ids": [sg.attr("security_group_id")],
    }
    auth: list[Stmt] = []
    if comp.auth_secret:
        # Redis takes an AUTH token with TLS; clients read it from this secret.
        secretsmanager, secret = w.mod("secretsmanager"), w.companion(comp.node_id, "auth")
        generator = secretsmanager.method(
            "SecretStringGenerator", exclude_punctuation=True, password_length=32
        )
        auth.append(
            Assign(
                secret,
                secretsmanager.method(
                    "Secret",
                    SELF,
                    naming.construct_id(comp.node_id, "auth"),
                    description=f"AUTH token of the Redis replication group {comp.node_id}",
                    generate_secret_string=generator,
                ),
            )
        )
        # A dynamic reference: CloudFormation resolves it, the template never holds it.
        group["auth_token"] = secret.attr("secret_value").method("unsafe_unwrap")
    return auth + [
        Assign(
            sg,
            ec2.method(
                "SecurityGroup",
                SELF,
                naming.construct_id(comp.node_id, "sg"),
                vpc=w.node(comp.vpc_id),
                description=f"Redis {comp.node_id}",
            ),
        ),
        Assign(
            subnet_group,
            elasticache.method(
                "CfnSubnetGroup",
                SELF,
                naming.construct_id(comp.node_id, "subnets"),
                description=f"Subnets of Redis {comp.node_id}",
                subnet_ids=[w.node(s).attr("subnet_id") for s in comp.subnet_ids],
            ),
        ),
        Assign(
            _self(w, comp),
            elasticache.method("CfnReplicationGroup", SELF, comp.node_id, **group),
        ),
        _pin(subnet_group, naming.construct_id(comp.node_id, "subnets")),
        _pin(_self(w, comp), comp.node_id),
    ]


def ecr_repository(w: StackWriter, comp: Component) -> list[Stmt]:
    ecr = w.mod("ecr")
    return [
        Assign(
            _self(w, comp),
            ecr.method(
                "Repository",
                SELF,
                comp.node_id,
                image_scan_on_push=comp.props["scan_on_push"],
                image_tag_mutability=ecr.attr("TagMutability").attr(
                    "IMMUTABLE" if comp.props["immutable_tags"] else "MUTABLE"
                ),
            ),
        )
    ]


def log_group(w: StackWriter, comp: Component) -> list[Stmt]:
    logs = w.mod("logs")
    return [
        Assign(
            _self(w, comp),
            logs.method(
                "LogGroup",
                SELF,
                comp.node_id,
                retention=logs.attr("RetentionDays").attr(RETENTION[comp.props["retention_days"]]),
            ),
        )
    ]


# -- security ----------------------------------------------------------------------


def secret(w: StackWriter, comp: Component) -> list[Stmt]:
    target = _self(w, comp)
    out: list[Stmt] = [
        Assign(
            target,
            w.mod("secretsmanager").method(
                "Secret", SELF, comp.node_id, description=_label(comp, "description")
            ),
        )
    ]
    rotation = next((r for r in w.model.secret_rotations if r.secret_id == comp.node_id), None)
    if rotation is None:
        return out
    # A generated password has no hosted rotation: the model adds a function for it.
    # `add_rotation_schedule` lets Secrets Manager invoke it and grants it the secret.
    lambda_ = w.mod("lambda_")
    code = w.model.lambda_code[comp.node_id]
    function = w.companion(comp.node_id, "rotation")
    logs_out, log_group = _log_group(w, comp, "rotation")
    return (
        out
        + logs_out
        + [
            Assign(
                function,
                lambda_.method(
                    "Function",
                    SELF,
                    naming.construct_id(comp.node_id, "rotation"),
                    runtime=lambda_.attr("Runtime").attr(RUNTIMES[rotation.runtime]),
                    handler=rotation.handler,
                    code=name("function_code").call(code.directory, code.filename),
                    timeout=w.duration("seconds", rotation.timeout_s),
                    tracing=lambda_.attr("Tracing").attr("ACTIVE"),
                    log_group=log_group,
                    description=f"Rotates the secret {comp.node_id}",
                ),
            ),
            Do(
                target.method(
                    "add_rotation_schedule",
                    "rotation",
                    rotation_lambda=function,
                    automatically_after=w.duration("days", rotation.days),
                )
            ),
        ]
    )


def kms_key(w: StackWriter, comp: Component) -> list[Stmt]:
    return [
        Assign(
            _self(w, comp),
            w.mod("kms").method(
                "Key",
                SELF,
                comp.node_id,
                description=_label(comp, "description"),
                enable_key_rotation=comp.props["enable_key_rotation"],
                pending_window=w.duration("days", comp.props["deletion_window_days"]),
            ),
        )
    ]


def user_pool(w: StackWriter, comp: Component) -> list[Stmt]:
    cognito = w.mod("cognito")
    mfa = comp.props["mfa"]
    kwargs: dict[str, object] = {
        "mfa": cognito.attr("Mfa").attr(
            {"OFF": "OFF", "OPTIONAL": "OPTIONAL", "ON": "REQUIRED"}[mfa]
        ),
        "password_policy": cognito.method(
            "PasswordPolicy", min_length=comp.props["password_min_length"]
        ),
        "self_sign_up_enabled": comp.props["self_sign_up"],
        "sign_in_aliases": cognito.method("SignInAliases", email=True),
    }
    if mfa != "OFF":
        kwargs["mfa_second_factor"] = cognito.method("MfaSecondFactor", otp=True, sms=False)
    out: list[Stmt] = [
        Assign(_self(w, comp), cognito.method("UserPool", SELF, comp.node_id, **kwargs))
    ]
    if any(
        a.user_pool_id == comp.node_id and a.api_type == "aws.apigatewayv2.http_api"
        for a in w.model.authorizers
    ):
        out.append(
            Assign(
                w.companion(comp.node_id, "client"),
                _self(w, comp).method("add_client", "api-client"),
            )
        )
    return out


def web_acl(w: StackWriter, comp: Component) -> list[Stmt]:
    # WAFv2 has no L2 construct.
    wafv2 = w.mod("wafv2")
    acl = wafv2.attr("CfnWebACL")

    def visibility(metric: str) -> Expr:
        return acl.method(
            "VisibilityConfigProperty",
            cloud_watch_metrics_enabled=True,
            metric_name=metric,
            sampled_requests_enabled=True,
        )

    rules = [
        acl.method(
            "RuleProperty",
            name=group,
            priority=index,
            override_action=acl.method("OverrideActionProperty", none={}),
            statement=acl.method(
                "StatementProperty",
                managed_rule_group_statement=acl.method(
                    "ManagedRuleGroupStatementProperty", vendor_name="AWS", name=group
                ),
            ),
            visibility_config=visibility(group),
        )
        for index, group in enumerate(comp.props["managed_rule_groups"])
    ]
    if comp.props["rate_limit_per_5min"]:
        rules.append(
            acl.method(
                "RuleProperty",
                name="rate-limit",
                priority=len(rules),
                action=acl.method("RuleActionProperty", block={}),
                statement=acl.method(
                    "StatementProperty",
                    rate_based_statement=acl.method(
                        "RateBasedStatementProperty",
                        limit=max(100, comp.props["rate_limit_per_5min"]),
                        aggregate_key_type="IP",
                    ),
                ),
                visibility_config=visibility("rate-limit"),
            )
        )
    return [
        Assign(
            _self(w, comp),
            acl.call(
                SELF,
                comp.node_id,
                scope=w.model.waf_scopes[comp.node_id],
                default_action=acl.method("DefaultActionProperty", allow={}),
                visibility_config=visibility(comp.node_id),
                rules=rules,
            ),
        ),
        _pin(_self(w, comp), comp.node_id),
    ]


# -- integration and APIs ----------------------------------------------------------


def rest_api(w: StackWriter, comp: Component) -> list[Stmt]:
    apigateway = w.mod("apigateway")
    props = comp.props
    target = _self(w, comp)
    logs_out, log_group = _log_group(w, comp, "api_access")
    stage: dict[str, object] = {
        "stage_name": props["stage_name"],
        "tracing_enabled": props["tracing"],
        "throttling_rate_limit": props["throttling_rate_limit"],
        "throttling_burst_limit": props["throttling_rate_limit"],
    }
    if log_group is not None:
        stage["access_log_destination"] = apigateway.method("LogGroupLogDestination", log_group)
        stage["access_log_format"] = apigateway.attr("AccessLogFormat").method(
            "json_with_standard_fields", **dict.fromkeys(ACCESS_LOG_FIELDS, True)
        )
    first = w.model.of_type(comp.type)[0] is comp
    out = logs_out + [
        Assign(
            target,
            apigateway.method(
                "RestApi",
                SELF,
                comp.node_id,
                endpoint_types=[apigateway.attr("EndpointType").attr(props["endpoint_type"])],
                deploy_options=apigateway.method("StageOptions", **stage),
                # API Gateway writes logs through one role per account and region.
                cloud_watch_role=first and log_group is not None,
            ),
        )
    ]
    auth = next((a for a in w.model.authorizers if a.api_id == comp.node_id), None)
    method_kwargs: dict[str, object] = {}
    if auth:
        authorizer = w.companion(comp.node_id, "authorizer")
        out.append(
            Assign(
                authorizer,
                apigateway.method(
                    "CognitoUserPoolsAuthorizer",
                    SELF,
                    naming.construct_id(comp.node_id, "authorizer"),
                    cognito_user_pools=[w.node(auth.user_pool_id)],
                ),
            )
        )
        method_kwargs = {
            "authorizer": authorizer,
            "authorization_type": apigateway.attr("AuthorizationType").attr("COGNITO"),
        }
    if not any(r.api_id == comp.node_id for r in w.model.api_routes):
        # API Gateway refuses to deploy an API without methods: answer 200 until a
        # function is connected.
        out.append(
            Do(
                target.attr("root").method(
                    "add_method",
                    "GET",
                    apigateway.method(
                        "MockIntegration",
                        integration_responses=[{"statusCode": "200"}],
                        request_templates={"application/json": '{"statusCode": 200}'},
                    ),
                    method_responses=[{"statusCode": "200"}],
                    **method_kwargs,
                )
            )
        )
    return out


def http_api(w: StackWriter, comp: Component) -> list[Stmt]:
    apigwv2 = w.mod("apigwv2")
    target = _self(w, comp)
    kwargs: dict[str, object] = {}
    origins = comp.props["cors_allow_origins"]
    if origins:
        kwargs["cors_preflight"] = apigwv2.method(
            "CorsPreflightOptions",
            allow_origins=list(origins),
            allow_methods=[apigwv2.attr("CorsHttpMethod").attr("ANY")],
        )
    auth = next((a for a in w.model.authorizers if a.api_id == comp.node_id), None)
    if auth:
        kwargs["default_authorizer"] = w.mod("apigwv2_authorizers").method(
            "HttpUserPoolAuthorizer",
            naming.construct_id(comp.node_id, "authorizer"),
            w.node(auth.user_pool_id),
            user_pool_clients=[w.companion(auth.user_pool_id, "client")],
        )
    out: list[Stmt] = [Assign(target, apigwv2.method("HttpApi", SELF, comp.node_id, **kwargs))]
    logs_out, log_group = _log_group(w, comp, "api_access")
    if log_group is not None:
        stage = w.companion(comp.node_id, "stage")
        out += logs_out + [
            # The HTTP API stage construct takes no access log settings: set them on
            # the underlying CloudFormation resource.
            Assign(stage, target.attr("default_stage").attr("node").attr("default_child")),
            Assign(
                stage.attr("access_log_settings"),
                apigwv2.attr("CfnStage").method(
                    "AccessLogSettingsProperty",
                    destination_arn=log_group.attr("log_group_arn"),
                    format=json.dumps(HTTP_ACCESS_LOG_FORMAT, sort_keys=True),
                ),
            ),
        ]
    return out


ACCESS_LOG_FIELDS = (
    "caller",
    "http_method",
    "ip",
    "protocol",
    "request_time",
    "resource_path",
    "response_length",
    "status",
    "user",
)
HTTP_ACCESS_LOG_FORMAT = {
    "requestId": "$context.requestId",
    "ip": "$context.identity.sourceIp",
    "requestTime": "$context.requestTime",
    "httpMethod": "$context.httpMethod",
    "routeKey": "$context.routeKey",
    "status": "$context.status",
    "responseLength": "$context.responseLength",
}


def events_rule(w: StackWriter, comp: Component) -> list[Stmt]:
    events = w.mod("events")
    props = comp.props
    kwargs: dict[str, object] = {"enabled": props["enabled"]}
    pattern = _event_pattern(props["event_pattern"])
    if pattern:
        kwargs["event_pattern"] = events.method("EventPattern", **pattern)
    else:
        kwargs["schedule"] = events.attr("Schedule").method(
            "expression", props["schedule_expression"] or "rate(5 minutes)"
        )
    return [Assign(_self(w, comp), events.method("Rule", SELF, comp.node_id, **kwargs))]


def _event_pattern(text: str) -> dict[str, object] | None:
    if not text:
        return None
    try:
        pattern = json.loads(text)
    except ValueError:
        return None
    if not isinstance(pattern, dict):
        return None
    return {EVENT_PATTERN_KEYS[k]: v for k, v in pattern.items() if k in EVENT_PATTERN_KEYS} or None


def state_machine(w: StackWriter, comp: Component) -> list[Stmt]:
    sfn, tasks = w.mod("sfn"), w.mod("tasks")
    props = comp.props
    chain = w.model.state_machine_tasks.get(comp.node_id)
    definition: Expr
    if chain:
        steps = [
            tasks.method(
                "LambdaInvoke",
                SELF,
                naming.construct_id(edge_id, "task"),
                lambda_function=w.node(fn_id),
                output_path="$.Payload",
            )
            for fn_id, edge_id in zip(chain.function_ids, chain.edge_ids, strict=True)
        ]
        definition = steps[0]
        for step in steps[1:]:
            definition = definition.method("next", step)
    else:
        definition = sfn.method("Pass", SELF, naming.construct_id(comp.node_id, "start"))
    logs_out, log_group = _log_group(w, comp, "state_machine")
    kwargs: dict[str, object] = {
        "definition_body": sfn.attr("DefinitionBody").method("from_chainable", definition),
        "state_machine_type": sfn.attr("StateMachineType").attr(props["workflow_type"]),
        "tracing_enabled": props["tracing"],
    }
    if log_group is not None:
        kwargs["logs"] = sfn.method(
            "LogOptions", destination=log_group, level=sfn.attr("LogLevel").attr("ALL")
        )
    return logs_out + [
        Assign(_self(w, comp), sfn.method("StateMachine", SELF, comp.node_id, **kwargs))
    ]


def alarm(w: StackWriter, comp: Component) -> list[Stmt]:
    cloudwatch = w.mod("cloudwatch")
    spec = next(a for a in w.model.alarms if a.alarm_id == comp.node_id)
    props = comp.props
    if spec.subject_id is None:
        return []
    metric = cloudwatch.method(
        "Metric",
        namespace=spec.namespace,
        metric_name=spec.metric_name,
        dimensions_map={spec.dimension: w.ref(spec.dimension_ref)},
        statistic=props["statistic"],
        period=w.duration("seconds", props["period_s"]),
    )
    target = _self(w, comp)
    out: list[Stmt] = [
        Assign(
            target,
            cloudwatch.method(
                "Alarm",
                SELF,
                comp.node_id,
                metric=metric,
                threshold=props["threshold"],
                evaluation_periods=props["evaluation_periods"],
                comparison_operator=cloudwatch.attr("ComparisonOperator").attr(
                    _snake_upper(props["comparison"])
                ),
                treat_missing_data=cloudwatch.attr("TreatMissingData").attr("NOT_BREACHING"),
                alarm_description=_label(comp, "alarm_description"),
            ),
        )
    ]
    for topic_id in spec.topic_ids:
        action = w.mod("cw_actions").method("SnsAction", w.node(topic_id))
        out.append(Do(target.method("add_alarm_action", action)))
        out.append(Do(target.method("add_ok_action", action)))
    return out


def _snake_upper(camel: str) -> str:
    return "".join(f"_{c}" if c.isupper() and i else c for i, c in enumerate(camel)).upper()


BUILDERS: dict[str, Callable[[StackWriter, Component], list[Stmt]]] = {
    "aws.ec2.vpc": vpc,
    "aws.ec2.subnet": subnet,
    "aws.ec2.nat_gateway": nat_gateway,
    "aws.elbv2.application_load_balancer": application_load_balancer,
    "aws.cloudfront.distribution": cloudfront_distribution,
    "aws.route53.hosted_zone": hosted_zone,
    "aws.lambda.function": lambda_function,
    "aws.ecs.fargate_service": fargate_service,
    "aws.ec2.instance": ec2_instance,
    "aws.dynamodb.table": dynamodb_table,
    "aws.s3.bucket": s3_bucket,
    "aws.sqs.queue": sqs_queue,
    "aws.sns.topic": sns_topic,
    "aws.kinesis.stream": kinesis_stream,
    "aws.rds.instance": rds_instance,
    "aws.elasticache.redis": elasticache_redis,
    "aws.ecr.repository": ecr_repository,
    "aws.logs.log_group": log_group,
    "aws.secretsmanager.secret": secret,
    "aws.kms.key": kms_key,
    "aws.cognito.user_pool": user_pool,
    "aws.wafv2.web_acl": web_acl,
    "aws.apigateway.rest_api": rest_api,
    "aws.apigatewayv2.http_api": http_api,
    "aws.events.rule": events_rule,
    "aws.stepfunctions.state_machine": state_machine,
    "aws.cloudwatch.alarm": alarm,
}
