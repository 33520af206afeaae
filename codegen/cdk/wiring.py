"""What edges imply, written with CDK's own wiring methods.

Each function yields `(home, statement)`: the statement goes in the stack of node
`home`, the one whose CloudFormation resources it creates or changes (see stacks.py
for why that matters). Invoke permissions, queue and topic policies and the roles
EventBridge and Step Functions assume are not written out: the CDK methods used here
(`LambdaIntegration`, `SqsSubscription`, `LambdaDestination`, `targets.SqsQueue`,
`LambdaInvoke`, `LambdaTarget`...) create exactly those.
"""

from __future__ import annotations

from collections.abc import Iterator

from codegen import naming
from codegen.cdk.pytree import SELF, Do, Expr, Stmt
from codegen.cdk.writer import StackWriter

Wiring = Iterator[tuple[str, Stmt]]


def grants(w: StackWriter) -> Wiring:
    for grant in w.model.iam_grants:
        if not w.owns(grant.principal_id):
            continue
        for method in grant.cdk_grants:
            target = w.ref(grant.cdk_grant_on)
            yield grant.principal_id, Do(target.method(method, w.principal(grant.principal_id)))


def _port(w: StackWriter, protocol: str, port: int, to_port: int | None) -> Expr:
    port_cls = w.mod("ec2").attr("Port")
    if to_port is not None and to_port != port:
        return port_cls.method(f"{protocol}_range", port, to_port)
    return port_cls.method(protocol, port)


def _connectable(w: StackWriter, node_id: str) -> Expr:
    if w.model.components[node_id].type == "aws.elasticache.redis":
        return w.companion(node_id, "sg")
    return w.node(node_id)


def security_group_rules(w: StackWriter) -> Wiring:
    ecs_targets = {(t.alb_id, t.target_id) for t in w.model.lb_targets if t.target_type == "ip"}
    for rule in w.model.security_group_rules:
        port = _port(w, rule.protocol, rule.port, rule.to_port)
        home = rule.node_id if rule.cidr is not None else rule.source_node_id
        if not w.owns(home):
            continue
        if rule.cidr is not None:
            peer = w.mod("ec2").attr("Peer").method("ipv4", rule.cidr)
            connections = _connectable(w, rule.node_id).attr("connections")
            yield rule.node_id, Do(connections.method("allow_from", peer, port, rule.description))
        elif (rule.source_node_id, rule.node_id) not in ecs_targets:
            # `allow_to` puts the rule in the source's stack when they differ, which
            # keeps the reference one-way (the source already refers to the target).
            connections = _connectable(w, rule.source_node_id).attr("connections")
            target = _connectable(w, rule.node_id)
            yield (
                rule.source_node_id,
                Do(connections.method("allow_to", target, port, rule.description)),
            )


def event_sources(w: StackWriter) -> Wiring:
    sources = w.mod("event_sources")
    lambda_ = w.mod("lambda_")
    for mapping in w.model.event_sources:
        if not w.owns(mapping.function_id):
            continue
        source_type = w.model.components[mapping.source_id].type
        kwargs: dict[str, object] = {"batch_size": mapping.batch_size}
        if mapping.starting_position:
            kwargs["starting_position"] = lambda_.attr("StartingPosition").attr(
                mapping.starting_position
            )
        cls = {
            "aws.sqs.queue": "SqsEventSource",
            "aws.kinesis.stream": "KinesisEventSource",
            "aws.dynamodb.table": "DynamoEventSource",
        }[source_type]
        source = sources.method(cls, w.node(mapping.source_id), **kwargs)
        yield (
            mapping.function_id,
            Do(w.node(mapping.function_id).method("add_event_source", source)),
        )


def api_routes(w: StackWriter) -> Wiring:
    for route in w.model.api_routes:
        if not w.owns(route.api_id):
            continue
        api = w.model.components[route.api_id]
        fn = w.node(route.function_id)
        if api.type == "aws.apigateway.rest_api":
            apigateway = w.mod("apigateway")
            resource = w.node(route.api_id).attr("root")
            if route.path != "/":
                resource = resource.method("add_resource", route.path.strip("/"))
            kwargs: dict[str, object] = {}
            if any(a.api_id == route.api_id for a in w.model.authorizers):
                kwargs = {
                    "authorizer": w.companion(route.api_id, "authorizer"),
                    "authorization_type": apigateway.attr("AuthorizationType").attr("COGNITO"),
                }
            integration = apigateway.method("LambdaIntegration", fn)
            yield route.api_id, Do(resource.method("add_method", "ANY", integration, **kwargs))
        else:
            integration = w.mod("apigwv2_integrations").method(
                "HttpLambdaIntegration", route.edge_id, fn
            )
            yield (
                route.api_id,
                Do(
                    w.node(route.api_id).method(
                        "add_routes",
                        path=route.path,
                        methods=[w.mod("apigwv2").attr("HttpMethod").attr("ANY")],
                        integration=integration,
                    )
                ),
            )


def subscriptions(w: StackWriter) -> Wiring:
    subs = w.mod("subscriptions")
    for sub in w.model.subscriptions:
        if not w.owns(sub.endpoint_id):
            continue
        cls = "SqsSubscription" if sub.protocol == "sqs" else "LambdaSubscription"
        endpoint = subs.method(cls, w.node(sub.endpoint_id))
        yield sub.endpoint_id, Do(w.node(sub.topic_id).method("add_subscription", endpoint))


def bucket_notifications(w: StackWriter) -> Wiring:
    s3, s3n = w.mod("s3"), w.mod("s3n")
    for note in w.model.bucket_notifications:
        if not w.owns(note.bucket_id):
            continue
        cls = {
            "aws.lambda.function": "LambdaDestination",
            "aws.sqs.queue": "SqsDestination",
            "aws.sns.topic": "SnsDestination",
        }[note.target_type]
        args: list[object] = [
            s3.attr("EventType").attr("OBJECT_CREATED"),
            s3n.method(cls, w.node(note.target_id)),
        ]
        if note.prefix:
            args.append(s3.method("NotificationKeyFilter", prefix=note.prefix))
        yield note.bucket_id, Do(w.node(note.bucket_id).method("add_event_notification", *args))


def rule_targets(w: StackWriter) -> Wiring:
    targets = w.mod("targets")
    for rule_target in w.model.rule_targets:
        if not w.owns(rule_target.rule_id):
            continue
        cls = {
            "aws.lambda.function": "LambdaFunction",
            "aws.sqs.queue": "SqsQueue",
            "aws.sns.topic": "SnsTopic",
            "aws.stepfunctions.state_machine": "SfnStateMachine",
        }[rule_target.target_type]
        target = targets.method(cls, w.node(rule_target.target_id))
        yield rule_target.rule_id, Do(w.node(rule_target.rule_id).method("add_target", target))


def lb_targets(w: StackWriter) -> Wiring:
    elbv2 = w.mod("elbv2")
    for lb in w.model.lb_targets:
        if not w.owns(lb.alb_id):
            continue
        target = w.node(lb.target_id)
        kwargs: dict[str, object] = {}
        if lb.target_type == "lambda":
            target = w.mod("elbv2_targets").method("LambdaTarget", target)
        else:
            if lb.target_type == "instance":
                target = w.mod("elbv2_targets").method("InstanceTarget", target, lb.port)
            kwargs = {
                "port": lb.port,
                "protocol": elbv2.attr("ApplicationProtocol").attr("HTTP"),
                "health_check": elbv2.method("HealthCheck", path=lb.health_check_path),
            }
        if not lb.is_default:
            kwargs["priority"] = lb.priority
            kwargs["conditions"] = [
                elbv2.attr("ListenerCondition").method("path_patterns", [lb.path_pattern])
            ]
        listener = w.companion(lb.alb_id, "listener")
        yield lb.alb_id, Do(listener.method("add_targets", lb.edge_id, targets=[target], **kwargs))


def waf_associations(w: StackWriter) -> Wiring:
    for assoc in w.model.waf_associations:
        if not w.owns(assoc.acl_id) or assoc.target_type == "aws.cloudfront.distribution":
            continue  # set on the distribution itself (web_acl_id)
        target = w.node(assoc.target_id)
        arn = (
            target.attr("load_balancer_arn")
            if assoc.target_type == "aws.elbv2.application_load_balancer"
            else target.attr("deployment_stage").attr("stage_arn")
        )
        yield (
            assoc.acl_id,
            Do(
                w.mod("wafv2")
                .method(
                    "CfnWebACLAssociation",
                    SELF,
                    naming.construct_id(assoc.edge_id, "waf"),
                    resource_arn=arn,
                    web_acl_arn=w.node(assoc.acl_id).attr("attr_arn"),
                )
                .method(
                    "override_logical_id",
                    naming.cfn_logical_id(naming.construct_id(assoc.edge_id, "waf")),
                )
            ),
        )


def dns_aliases(w: StackWriter) -> Wiring:
    route53, route53_targets = w.mod("route53"), w.mod("route53_targets")
    for alias in w.model.dns_aliases:
        if not w.owns(alias.zone_id):
            continue
        cls = (
            "CloudFrontTarget"
            if alias.target_type == "aws.cloudfront.distribution"
            else "LoadBalancerTarget"
        )
        record_target = route53.attr("RecordTarget").method(
            "from_alias", route53_targets.method(cls, w.node(alias.target_id))
        )
        zone = w.node(alias.zone_id)
        yield (
            alias.zone_id,
            Do(
                route53.method(
                    "ARecord",
                    SELF,
                    naming.construct_id(alias.edge_id, "alias"),
                    zone=zone,
                    target=record_target,
                )
            ),
        )


WIRING = (
    grants,
    security_group_rules,
    event_sources,
    api_routes,
    subscriptions,
    bucket_notifications,
    rule_targets,
    lb_targets,
    waf_associations,
    dns_aliases,
)
