"""The Terraform renderer: parseable, deterministic, escaped, least-privilege output.

These run without the terraform binary; test_terraform_cli.py runs `terraform fmt`,
`terraform validate` and checkov on the same output.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile

import hcl2
import pytest
from hypothesis import HealthCheck, given, settings

from codegen import generate, naming, resolve
from codegen.files import write_files
from codegen.templates import TEMPLATE_IDS, get_template
from codegen.terraform.hcl import Attr, Block, Comment, Expr, render, template
from tests.codegen.terraform_support import blocks
from tests.strategies import HOSTILE_LABEL, documents, relabelled

HYPOTHESIS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Strings and comments of HCL; what is left is code.
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_COMMENT = re.compile(r"#[^\n]*")


def _tf_files(files: dict[str, str]) -> dict[str, str]:
    return {path: text for path, text in files.items() if path.endswith(".tf")}


def _code_only(text: str) -> str:
    return _COMMENT.sub("", _STRING.sub('""', text))


def orders_doc(label: str = "Create order") -> dict:
    return {
        "format": "cloudwright/v1",
        "name": "orders",
        "region": "eu-west-1",
        "nodes": [
            {"id": "create_order", "type": "aws.lambda.function", "name": label},
            {"id": "orders", "type": "aws.dynamodb.table", "name": label},
            {"id": "audit", "type": "aws.dynamodb.table", "name": label},
        ],
        "edges": [
            {"id": "e1", "source": "create_order", "target": "orders", "access": "read_write"}
        ],
    }


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_template_repository_is_complete_and_parses(template_id):
    files = generate(get_template(template_id), "terraform")
    for required in (
        "versions.tf",
        "providers.tf",
        "variables.tf",
        "outputs.tf",
        "backend.tf",
        "README.md",
        ".gitignore",
        "cloudwright.json",
    ):
        assert required in files
    for path, text in _tf_files(files).items():
        assert isinstance(hcl2.loads(text), dict), path


@given(doc=documents(max_nodes=14))
@HYPOTHESIS
def test_generated_documents_parse_and_are_deterministic(doc):
    first = generate(doc, "terraform")
    assert generate(doc, "terraform") == first
    for text in _tf_files(first).values():
        hcl2.loads(text)


@given(doc=documents(max_nodes=10))
@HYPOTHESIS
def test_hostile_labels_never_become_code(doc):
    files = _tf_files(generate(relabelled(doc, HOSTILE_LABEL), "terraform"))
    for path, text in files.items():
        hcl2.loads(text)
        code = _code_only(text)
        for fragment in ("${x}", "%{", "🚀", "名前", "<<EOF", "\u2028"):
            assert fragment not in code, (path, fragment)


def test_hostile_label_round_trips_as_a_literal():
    files = generate(orders_doc(HOSTILE_LABEL), "terraform")
    literal = re.search(r'^\s*description\s*= (".*")$', files["lambda.tf"], re.M).group(1)
    # The renderer writes HCL string escapes that JSON shares; line breaks and tabs,
    # which AWS refuses in a description, are spaces.
    decoded = json.loads(literal)
    assert decoded == naming.free_text(HOSTILE_LABEL, 256)
    assert "${x}" in decoded and '"' in decoded and "🚀" in decoded


def test_renaming_a_box_changes_no_address():
    before = generate(orders_doc("Create order"), "terraform")
    after = generate(orders_doc("Place an order, now"), "terraform")
    addresses = re.compile(r'^(?:resource|data) "[^"]+" "[^"]+"', re.M)
    for path in _tf_files(before):
        assert addresses.findall(before[path]) == addresses.findall(after[path])


def test_lambda_to_table_grants_exactly_the_models_actions_on_that_table():
    doc = orders_doc()
    (grant,) = [g for g in resolve(doc).iam_grants if g.edge_id == "e1"]
    files = generate(doc, "terraform")
    policy = blocks(files["iam.tf"], "data", "aws_iam_policy_document")["create_order"]
    on_tables = [
        s for s in policy["statement"] if any("aws_dynamodb_table" in r for r in s["resources"])
    ]
    assert len(on_tables) == 1
    assert on_tables[0]["actions"] == list(grant.actions)
    assert on_tables[0]["resources"] == ["${aws_dynamodb_table.orders.arn}"]
    assert "*" not in on_tables[0]["resources"]


def test_function_zip_is_in_the_repository_and_the_script_rebuilds_it_byte_for_byte(tmp_path):
    doc = orders_doc()
    doc["nodes"][0]["props"] = {"code": "def handler(event, context):\n    return 1\n"}
    files = generate(doc, "terraform")
    package = files["functions/create_order.zip"]
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        assert archive.namelist() == ["index.py"]
        assert archive.read("index.py") == files["functions/create_order/index.py"].encode()
    function = blocks(files["lambda.tf"], "resource", "aws_lambda_function")["create_order"]
    assert function["filename"] == "${path.module}/functions/create_order.zip"
    assert function["source_code_hash"] == (
        '${filebase64sha256("${path.module}/functions/create_order.zip")}'
    )
    repo = write_files(files, tmp_path)
    script = [sys.executable, "scripts/build_lambdas.py"]
    subprocess.run(script, cwd=repo, check=True, capture_output=True)
    assert (repo / "functions/create_order.zip").read_bytes() == package
    (repo / "functions/create_order/index.py").write_text("def handler(event, context):\n")
    subprocess.run(script, cwd=repo, check=True, capture_output=True)
    assert (repo / "functions/create_order.zip").read_bytes() != package
    assert "build/" not in files[".gitignore"]


def _platform(**props_by_node: dict) -> dict:
    doc = get_template("container-platform")
    for node in doc["nodes"]:
        node.setdefault("props", {}).update(props_by_node.get(node["id"], {}))
    return doc


def test_load_balancer_and_distribution_write_access_logs_to_the_log_bucket():
    files = generate(_platform(), "terraform")
    (alb,) = blocks(files["loadbalancing.tf"], "resource", "aws_lb").values()
    assert alb["access_logs"] == [
        {"bucket": "${aws_s3_bucket.access_logs.id}", "prefix": "alb", "enabled": True}
    ]
    assert alb["depends_on"] == ["${aws_s3_bucket_policy.access_logs}"]
    (cdn,) = blocks(files["edge.tf"], "resource", "aws_cloudfront_distribution").values()
    assert cdn["logging_config"] == [
        {
            "bucket": "${aws_s3_bucket.access_logs.bucket_domain_name}",
            "prefix": "cdn/",
            "include_cookies": False,
        }
    ]
    data = files["data.tf"]
    ownership = blocks(data, "resource", "aws_s3_bucket_ownership_controls")["access_logs"]
    assert ownership["rule"] == [{"object_ownership": "BucketOwnerPreferred"}]
    sse = blocks(data, "resource", "aws_s3_bucket_server_side_encryption_configuration")
    by_default = sse["access_logs"]["rule"][0]["apply_server_side_encryption_by_default"]
    assert by_default == [{"sse_algorithm": "AES256"}]
    lifecycle = blocks(data, "resource", "aws_s3_bucket_lifecycle_configuration")["access_logs"]
    assert {"days": 365} in [e for r in lifecycle["rule"] for e in r.get("expiration", [])]
    policies = blocks(data, "data", "aws_iam_policy_document")
    account = "${data.aws_caller_identity.current.account_id}"
    delivered = f"${{aws_s3_bucket.access_logs.arn}}/alb/AWSLogs/{account}/*"
    principals = {
        p["identifiers"][0]
        for doc in (policies["access_logs"], policies["access_logs__elb"])
        for stmt in doc["statement"]
        if stmt["resources"] == [delivered]
        for p in stmt["principals"]
    }
    assert principals == {
        "logdelivery.elasticloadbalancing.amazonaws.com",
        "${data.aws_elb_service_account.access_logs[0].arn}",
    }


def test_access_logs_turned_off_leave_no_logging_and_no_acls():
    files = generate(_platform(alb={"access_logs": False}, cdn={"access_logs": False}), "terraform")
    (alb,) = blocks(files["loadbalancing.tf"], "resource", "aws_lb").values()
    (cdn,) = blocks(files["edge.tf"], "resource", "aws_cloudfront_distribution").values()
    assert "access_logs" not in alb and "logging_config" not in cdn
    ownership = blocks(files["data.tf"], "resource", "aws_s3_bucket_ownership_controls")
    assert ownership["access_logs"]["rule"] == [{"object_ownership": "BucketOwnerEnforced"}]
    assert "aws_elb_service_account" not in files["data.tf"]


def test_redis_takes_its_auth_token_from_a_secret_only_with_tls():
    files = generate(_platform(), "terraform")
    (cache,) = blocks(
        files["databases.tf"], "resource", "aws_elasticache_replication_group"
    ).values()
    assert cache["transit_encryption_enabled"] is True
    assert cache["auth_token"] == "${aws_secretsmanager_secret_version.cache.secret_string}"
    assert "cache" in blocks(files["databases.tf"], "resource", "aws_secretsmanager_secret")
    assert "cache__secret_arn" in files["outputs.tf"]
    plain = generate(_platform(cache={"transit_encryption": False}), "terraform")
    (cache,) = blocks(
        plain["databases.tf"], "resource", "aws_elasticache_replication_group"
    ).values()
    assert "auth_token" not in cache
    assert "aws_secretsmanager_secret" not in plain["databases.tf"]


def test_queue_visibility_covers_its_consumers_timeout():
    doc = get_template("serverless-crud")
    for node in doc["nodes"]:
        if node["type"] == "aws.lambda.function":
            node.setdefault("props", {})["timeout_s"] = 300
    files = generate(doc, "terraform")
    queue = blocks(files["messaging.tf"], "resource", "aws_sqs_queue")["item_events_queue"]
    assert queue["visibility_timeout_seconds"] == 300
    assert "visibility timeout is raised from 180 s to 300 s" in files["README.md"]


def test_function_environment_names_its_table():
    files = generate(orders_doc(), "terraform")
    function = blocks(files["lambda.tf"], "resource", "aws_lambda_function")["create_order"]
    assert function["environment"][0]["variables"] == {
        "ORDERS_TABLE_NAME": "${aws_dynamodb_table.orders.name}"
    }


def test_secure_defaults_are_on():
    files = generate(get_template("container-platform"), "terraform")
    (db,) = blocks(files["databases.tf"], "resource", "aws_db_instance").values()
    assert db["storage_encrypted"] is True and db["manage_master_user_password"] is True
    assert db["backup_retention_period"] > 0
    for instance in blocks(files.get("compute.tf", ""), "resource", "aws_instance").values():
        assert instance["metadata_options"][0]["http_tokens"] == "required"
    for cache in blocks(
        files["databases.tf"], "resource", "aws_elasticache_replication_group"
    ).values():
        assert cache["transit_encryption_enabled"] and cache["at_rest_encryption_enabled"]


def test_document_turns_a_default_off():
    doc = orders_doc()
    doc["nodes"][1]["props"] = {"point_in_time_recovery": False}
    tables = blocks(generate(doc, "terraform")["data.tf"], "resource", "aws_dynamodb_table")
    assert tables["orders"]["point_in_time_recovery"][0]["enabled"] is False
    assert tables["audit"]["point_in_time_recovery"][0]["enabled"] is True


def test_repository_carries_the_document_and_the_provider_pin():
    doc = orders_doc()
    files = generate(doc, "terraform")
    assert json.loads(files["cloudwright.json"]) == doc
    assert 'version = "~> 5.100"' in files["versions.tf"]
    variables = hcl2.loads(files["variables.tf"])["variable"]
    region = next(v['"region"'] for v in variables if '"region"' in v)
    assert region["default"] == '"eu-west-1"'


def test_hcl_aligns_equals_like_terraform_fmt():
    text = render(
        [
            Block(
                "resource",
                ("aws_x", "y"),
                [
                    Attr("a", 1),
                    Attr("long_name", template(Expr("var.p"), "-${literal}")),
                    Comment("breaks the run"),
                    Attr("b", {"k": True, "longer": Expr("null")}),
                    Attr("list", [{"x": 1}]),
                ],
            )
        ]
    )
    assert text == (
        'resource "aws_x" "y" {\n'
        "  a         = 1\n"
        '  long_name = "${var.p}-\\u0024{literal}"\n'
        "  # breaks the run\n"
        "  b = {\n"
        "    k      = true\n"
        "    longer = null\n"
        "  }\n"
        "  list = [\n"
        "    {\n"
        "      x = 1\n"
        "    },\n"
        "  ]\n"
        "}\n"
    )
