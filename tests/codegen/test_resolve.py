import copy
import importlib.util
import json
import keyword

import pytest
from hypothesis import HealthCheck, given, settings

from builder.catalog import get_catalog
from codegen import generate, resolve
from codegen.docs_tables import pair_document
from codegen.model import Ref
from codegen.resolve import EDGE_KINDS
from codegen.templates import TEMPLATE_IDS, get_template
from tests.fixtures import every_pair_document
from tests.strategies import documents, relabelled

LAMBDA = "aws.lambda.function"


def data_access_cases():
    catalog = get_catalog()
    return [
        (target, access)
        for (source, target), rule in sorted(catalog.pairs.items())
        if rule.kind == "data_access" and source == LAMBDA
        for access in catalog.types[target].access_levels()
    ]


@pytest.fixture(scope="module")
def crud():
    return resolve(get_template("serverless-crud"))


@pytest.fixture(scope="module")
def platform():
    return resolve(get_template("container-platform"))


@pytest.fixture(scope="module")
def pipeline():
    return resolve(get_template("event-pipeline"))


@pytest.mark.parametrize(("target_type", "access"), data_access_cases())
def test_a_data_edge_grants_the_catalog_actions_for_its_access_on_the_one_target(
    target_type, access
):
    model = resolve(pair_document(LAMBDA, target_type, access))
    [grant] = [g for g in model.iam_grants if g.purpose == "data_access"]
    assert grant.principal_id == "source"
    assert grant.actions == get_catalog().types[target_type].actions_for(access)
    assert "*" not in grant.actions
    assert {ref.node_id for ref in grant.resources} == {"target"}


def test_read_write_grants_the_read_then_the_write_actions_once_each():
    table = get_catalog().types["aws.dynamodb.table"]
    both = table.actions_for("read_write")
    assert set(both) == set(table.actions_for("read")) | set(table.actions_for("write"))
    assert len(both) == len(set(both))


def test_a_data_edge_without_access_gets_the_targets_default_level():
    doc = pair_document(LAMBDA, "aws.sns.topic", None)
    [grant] = resolve(doc).iam_grants
    assert (grant.access, grant.actions) == ("write", ("sns:Publish",))


def test_a_kms_encrypted_bucket_adds_the_key_actions_on_its_key():
    doc = pair_document(LAMBDA, "aws.s3.bucket", "read")
    doc["nodes"][-1]["props"] = {"encryption": "KMS"}
    grants = {g.purpose: g for g in resolve(doc).iam_grants}
    assert grants["data_access_key"].actions == ("kms:Decrypt", "kms:DescribeKey")
    assert grants["data_access_key"].resources == (Ref("target", "kms_key_arn"),)


def test_data_edges_give_the_function_env_vars_naming_each_target(crud):
    assert crud.components["create_item"].env == {
        "ITEMS_TABLE_NAME": Ref("items", "name"),
        "ATTACHMENTS_BUCKET_NAME": Ref("attachments", "name"),
        "ITEM_EVENTS_TOPIC_ARN": Ref("item_events", "arn"),
    }


def test_each_operation_gets_the_access_its_edge_asks_for(crud):
    access = {g.principal_id: g.access for g in crud.iam_grants if g.target_id == "items"}
    assert access == {
        "create_item": "write",
        "get_item": "read",
        "list_items": "read",
        "update_item": "read_write",
        "delete_item": "write",
    }


def test_network_edges_open_the_engine_port_from_the_source_security_group(platform):
    rules = {
        (r.node_id, r.source_node_id, r.port)
        for r in platform.security_group_rules
        if r.edge_id and r.node_id in ("database", "cache")
    }
    assert rules == {
        ("database", "api_service", 5432),
        ("database", "worker", 5432),
        ("cache", "api_service", 6379),
    }


def test_a_mysql_database_is_reached_on_3306():
    doc = pair_document("aws.ecs.fargate_service", "aws.rds.instance", None)
    doc["nodes"][-1]["props"] = {"engine": "mysql"}
    [rule] = [r for r in resolve(doc).security_group_rules if r.node_id == "target"]
    assert (rule.port, rule.source_node_id) == (3306, "source")


def test_a_network_edge_to_rds_grants_reading_its_credentials_secret(platform):
    [grant] = [
        g
        for g in platform.iam_grants
        if g.principal_id == "worker" and g.purpose == "network_access"
    ]
    assert grant.actions == ("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret")
    assert grant.resources == (Ref("database", "secret_arn"),)
    assert platform.components["worker"].env["DATABASE_SECRET_ARN"] == Ref("database", "secret_arn")


@pytest.mark.parametrize(
    ("node_id", "subnets"),
    [
        ("alb", ("public_a", "public_b")),
        ("api_service", ("private_a", "private_b")),
        ("worker", ("private_a", "private_b")),
        ("database", ("private_a", "private_b")),
        ("cache", ("private_a", "private_b")),
        ("nat_a", ("public_a",)),
    ],
)
def test_spread_resources_use_one_subnet_of_their_kind_per_zone(platform, node_id, subnets):
    assert platform.components[node_id].subnet_ids == subnets


def test_each_private_subnet_routes_through_the_nat_gateway_of_its_zone(platform):
    tables = {t.name: t for t in platform.networks["vpc"].route_tables}
    assert tables["public"].internet_gateway
    assert tables["public"].subnet_ids == ("public_a", "public_b")
    assert (tables["private_a"].nat_gateway_id, tables["private_b"].nat_gateway_id) == (
        "nat_a",
        "nat_b",
    )


def test_a_load_balancer_in_one_zone_is_warned_about():
    doc = get_template("container-platform")
    doc["nodes"] = [n for n in doc["nodes"] if n["id"] not in ("public_b", "nat_b")]
    warnings = resolve(doc).warnings
    assert any(w.node_id == "alb" and "two availability zones" in w.message for w in warnings)


def test_queues_and_streams_feed_functions_through_event_source_mappings(crud, pipeline):
    [queue] = crud.event_sources
    assert (queue.source_id, queue.function_id, queue.batch_size) == (
        "item_events_queue",
        "process_events",
        10,
    )
    assert queue.starting_position is None
    [stream] = pipeline.event_sources
    assert (stream.source_id, stream.starting_position) == ("events", "LATEST")
    [grant] = [g for g in pipeline.iam_grants if g.purpose == "event_source"]
    assert grant.principal_id == "transform"
    assert grant.resources == (Ref("events", "arn"),)
    assert grant.actions == tuple(get_catalog().types["aws.kinesis.stream"].event_source["actions"])


def test_a_topic_subscribes_a_queue_with_a_queue_policy_for_that_topic(crud):
    [subscription] = crud.subscriptions
    assert (subscription.topic_id, subscription.endpoint_id, subscription.protocol) == (
        "item_events",
        "item_events_queue",
        "sqs",
    )
    [policy] = crud.queue_policies
    assert (policy.queue_id, policy.principal, policy.source_id) == (
        "item_events_queue",
        "sns.amazonaws.com",
        "item_events",
    )


def test_a_dead_letter_queue_edge_sets_the_redrive(crud):
    [dlq] = crud.dead_letter_queues
    assert (dlq.queue_id, dlq.dead_letter_id, dlq.max_receive_count) == (
        "item_events_queue",
        "item_events_dlq",
        5,
    )


def test_each_api_integration_gets_its_own_route_and_invoke_permission(crud):
    paths = {r.function_id: r.path for r in crud.api_routes}
    assert paths["create_item"] == "/create-item"
    assert len(set(paths.values())) == 5
    invokers = {p.function_id for p in crud.invoke_permissions if p.source_id == "api"}
    assert invokers == set(paths)


def test_a_user_pool_edge_puts_a_cognito_authorizer_on_the_api(crud):
    [authorizer] = crud.authorizers
    assert (authorizer.user_pool_id, authorizer.api_id) == ("users", "api")


def test_an_upload_notifies_the_function_with_an_s3_invoke_permission(pipeline):
    [notification] = pipeline.bucket_notifications
    assert (notification.bucket_id, notification.target_id, notification.prefix) == (
        "uploads",
        "ingest",
        None,
    )
    assert any(
        p.function_id == "ingest" and p.principal == "s3.amazonaws.com"
        for p in pipeline.invoke_permissions
    )


def test_a_schedule_starts_the_workflow_through_a_role_and_tasks_run_in_edge_order(pipeline):
    [target] = pipeline.rule_targets
    assert target.needs_role
    [start] = [g for g in pipeline.iam_grants if g.purpose == "rule_target"]
    assert (start.principal_id, start.actions) == ("nightly", ("states:StartExecution",))
    tasks = pipeline.state_machine_tasks["report_workflow"]
    assert tasks.function_ids == ("aggregate", "publish_report")


def test_alarms_watch_their_subjects_metric_and_notify_the_topic(crud):
    alarms = {a.alarm_id: a for a in crud.alarms}
    consumer = alarms["consumer_errors"]
    assert (consumer.namespace, consumer.metric_name, consumer.dimension) == (
        "AWS/Lambda",
        "Errors",
        "FunctionName",
    )
    assert consumer.dimension_ref == Ref("process_events", "name")
    assert all(a.topic_ids == ("ops_alerts",) for a in alarms.values())


def test_web_acls_take_the_scope_of_what_they_protect(platform):
    assert platform.waf_scopes == {"edge_firewall": "CLOUDFRONT", "api_firewall": "REGIONAL"}


def test_a_drawn_log_group_replaces_the_resources_own(crud):
    spec = crud.log_group_for("process_events", "lambda")
    assert (spec.drawn_id, spec.retention_days) == ("consumer_logs", 90)
    assert crud.log_group_for("create_item", "lambda").drawn_id is None


def test_every_edge_of_every_pair_leaves_a_trace_in_the_model():
    doc = every_pair_document()
    model = resolve(doc)
    traced = {
        getattr(fact, "edge_id", None)
        for facts in (
            model.iam_grants,
            model.event_sources,
            model.invoke_permissions,
            model.api_routes,
            model.subscriptions,
            model.bucket_notifications,
            model.rule_targets,
            model.dead_letter_queues,
            model.cdn_origins,
            model.lb_targets,
            model.security_group_rules,
            model.waf_associations,
            model.authorizers,
            model.dns_aliases,
        )
        for fact in facts
    }
    traced |= {e for tasks in model.state_machine_tasks.values() for e in tasks.edge_ids}
    traced |= {a.subject_edge_id for a in model.alarms}
    traced |= {e for a in model.alarms for e in a.action_edge_ids}
    drawn_logs = {s.owner_id for s in model.log_groups if s.drawn_id}
    traced |= {e["id"] for e in doc["edges"] if e["source"] in drawn_logs}
    assert {e["id"] for e in doc["edges"]} <= traced


def test_the_resolver_has_exactly_one_handler_per_edge_kind():
    assert len(EDGE_KINDS) == len(set(EDGE_KINDS))
    assert set(EDGE_KINDS) == {rule.kind for rule in get_catalog().edge_rules}


def idents(doc):
    return {node_id: comp.ident for node_id, comp in resolve(doc).components.items()}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_renaming_every_label_leaves_every_identifier_unchanged(doc):
    before = idents(doc)
    assert idents(relabelled(doc, 'Renamed 🚀 "${x}" %{ y }\n')) == before
    assert len(set(before.values())) == len(before)
    for ident in before.values():
        assert ident.isidentifier() and not keyword.iskeyword(ident)


def renderer_ready(target: str) -> bool:
    return importlib.util.find_spec(f"codegen.{target}") is not None


# Two labels of equal length that occur nowhere else, so the generated files of one
# document become those of the other by swapping them, if labels only reach strings.
FIRST, SECOND = "Qzxlabelalpha", "Qzxlabelbravo"


@pytest.mark.parametrize("target", ["terraform", "cdk"])
@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_renaming_every_label_changes_generated_files_only_in_label_strings(target, template_id):
    if not renderer_ready(target):
        pytest.skip(f"codegen/{target} is not written yet")
    doc = get_template(template_id)
    first = generate(relabelled(doc, FIRST), target)
    second = generate(relabelled(doc, SECOND), target)
    assert second.keys() == first.keys()
    # Binary files (function zips) hold code, never a label.
    binary = {path for path, content in first.items() if isinstance(content, bytes)}
    assert all(second[path] == first[path] for path in binary)
    first = {path: text for path, text in first.items() if path not in binary}
    second = {path: text for path, text in second.items() if path not in binary}
    assert {path: text.replace(SECOND, FIRST) for path, text in second.items()} == first
    for path, text in first.items():
        if path.endswith(".md"):
            continue  # prose may name a box outside quotes
        for line in text.splitlines():
            # Every occurrence opens after an odd number of quotes: inside a string.
            parts = line.split(FIRST)
            prefixes = (FIRST.join(parts[: i + 1]) for i in range(len(parts) - 1))
            assert all(p.count('"') % 2 == 1 for p in prefixes), f"{path}: {line}"


def _with_props(doc: dict, **props_by_node: dict) -> dict:
    for node in doc["nodes"]:
        node.setdefault("props", {}).update(props_by_node.get(node["id"], {}))
    return doc


def test_a_queue_feeding_a_function_waits_at_least_the_function_timeout():
    doc = _with_props(
        pair_document("aws.sqs.queue", LAMBDA, None),
        source={"visibility_timeout_s": 30},
        target={"timeout_s": 120},
    )
    model = resolve(doc)
    assert model.components["source"].props["visibility_timeout_s"] == 120
    [warning] = [w for w in model.warnings if w.edge_id == "edge"]
    assert warning.node_id == "source"
    assert "from 30 s to 120 s" in warning.message
    # The document keeps what the user drew; only the model carries the raised value.
    assert next(n for n in doc["nodes"] if n["id"] == "source")["props"] == {
        "visibility_timeout_s": 30
    }


def test_a_queue_that_already_outwaits_its_function_is_left_alone():
    doc = _with_props(
        pair_document("aws.sqs.queue", LAMBDA, None),
        source={"visibility_timeout_s": 900},
        target={"timeout_s": 120},
    )
    model = resolve(doc)
    assert model.components["source"].props["visibility_timeout_s"] == 900
    assert not model.warnings


def test_access_logs_of_buckets_load_balancers_and_distributions_go_to_one_log_bucket(platform):
    logs = platform.log_bucket
    assert {(s.node_id, s.prefix) for s in logs.sources} == {
        ("ui_bucket", "ui_bucket/"),
        ("alb", "alb"),
        ("cdn", "cdn/"),
    }
    assert logs.acl_delivery  # CloudFront delivers through an ACL grant
    assert logs.expiration_days == 365


def test_a_document_turns_access_logs_off_per_component():
    doc = get_template("container-platform")
    for node in doc["nodes"]:
        if node["id"] in ("alb", "cdn"):
            node.setdefault("props", {})["access_logs"] = False
    logs = resolve(doc).log_bucket
    assert [s.node_id for s in logs.sources] == ["ui_bucket"]
    assert not logs.acl_delivery


def test_nothing_that_logs_means_no_log_bucket(crud):
    doc = {"format": "cloudwright/v1", "name": "x", "nodes": [], "edges": []}
    assert resolve(doc).log_bucket is None
    assert crud.log_bucket is not None  # its attachments bucket logs


def test_cloudfront_writes_no_logs_where_it_cannot_deliver_them():
    doc = get_template("container-platform")
    doc["region"] = "eu-central-2"
    model = resolve(doc)
    assert "cdn" not in {s.node_id for s in model.log_bucket.sources}
    assert any(w.node_id == "cdn" and "eu-central-2" in w.message for w in model.warnings)


@pytest.mark.parametrize(("transit", "secret"), [(True, True), (False, False)])
def test_redis_keeps_an_auth_token_secret_its_clients_may_read_only_with_tls(transit, secret):
    doc = _with_props(
        pair_document(LAMBDA, "aws.elasticache.redis", None),
        target={"transit_encryption": transit},
    )
    model = resolve(doc)
    assert model.components["target"].auth_secret is secret
    grants = [g for g in model.iam_grants if g.edge_id == "edge"]
    env = model.components["source"].env
    if secret:
        [grant] = grants
        assert grant.actions == ("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret")
        assert grant.resources == (Ref("target", "secret_arn"),)
        assert env["TARGET_REDIS_AUTH_SECRET_ARN"] == Ref("target", "secret_arn")
    else:
        assert grants == []
        assert not any(key.endswith("SECRET_ARN") for key in env)


def _render(doc: dict, target: str) -> dict:
    """Rendered without generate()'s cache of recent documents."""
    from codegen.cdk import render as cdk
    from codegen.terraform import render as terraform

    return (terraform if target == "terraform" else cdk)(resolve(doc))


def _moved(doc: dict) -> dict:
    moved = copy.deepcopy(doc)
    for index, node in enumerate(moved["nodes"]):
        node["position"] = {"x": node["position"]["x"] + 7 * index, "y": -3 * index}
        if "size" in node:
            node["size"] = {"width": node["size"]["width"] + 40, "height": node["size"]["height"]}
    return moved


@pytest.mark.parametrize("target", ["terraform", "cdk"])
@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_layout_reaches_only_the_document_file(target, template_id):
    """What generate()'s cache relies on: moving or resizing boxes changes no code."""
    doc = get_template(template_id)
    before, after = _render(doc, target), _render(_moved(doc), target)
    assert {p for p in before if before[p] != after[p]} == {"cloudwright.json"}


@pytest.mark.parametrize("target", ["terraform", "cdk"])
def test_generating_a_moved_document_answers_its_own_document_file(target):
    doc = get_template("container-platform")
    generate(doc, target)
    moved = _moved(doc)
    files = generate(moved, target)
    assert files == _render(moved, target)
    assert json.loads(files["cloudwright.json"]) == moved
    changed = copy.deepcopy(moved)
    changed["nodes"][-1].setdefault("props", {})
    changed["nodes"][-1]["name"] = "Renamed after the move"
    assert generate(changed, target) == _render(changed, target)


@pytest.mark.parametrize("target", ["terraform", "cdk"])
def test_a_document_without_nodes_or_edges_generates_a_repository(target):
    files = generate({"format": "cloudwright/v1"}, target)
    assert json.loads(files["cloudwright.json"]) == {"format": "cloudwright/v1"}
