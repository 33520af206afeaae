import shutil
from pathlib import Path

import pytest
import yaml

from builder.catalog import CatalogError, get_catalog, load_catalog
from builder.catalog.loader import DATA_DIR
from codegen.resolve import EDGE_KINDS


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A copy of the shipped data files, for a test to corrupt."""
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    return copy


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data))


def test_the_shipped_catalog_loads_with_every_v1_type():
    types = get_catalog().types
    v1 = {
        "aws.ec2.vpc", "aws.ec2.subnet", "aws.lambda.function", "aws.apigateway.rest_api",
        "aws.apigatewayv2.http_api", "aws.dynamodb.table", "aws.s3.bucket", "aws.sqs.queue",
        "aws.sns.topic", "aws.events.rule", "aws.stepfunctions.state_machine",
        "aws.cognito.user_pool", "aws.secretsmanager.secret", "aws.kms.key",
        "aws.ec2.instance", "aws.ec2.nat_gateway", "aws.elbv2.application_load_balancer",
        "aws.ecs.fargate_service", "aws.rds.instance", "aws.elasticache.redis",
        "aws.cloudfront.distribution", "aws.wafv2.web_acl", "aws.logs.log_group",
        "aws.cloudwatch.alarm", "aws.route53.hosted_zone", "aws.kinesis.stream",
        "aws.ecr.repository",
    }  # fmt: skip
    assert v1 <= set(types)


def test_every_default_passes_its_own_schema():
    for type_ in get_catalog().types.values():
        assert list(type_.props_validator.iter_errors(type_.default_props())) == [], type_.name


def test_every_edge_kind_in_the_catalog_has_a_resolver_handler_and_vice_versa():
    kinds = {rule.kind for rule in get_catalog().edge_rules}
    assert kinds == set(EDGE_KINDS)


def test_the_catalog_json_lists_every_type_and_edge_rule():
    catalog = get_catalog()
    served = catalog.to_json()
    assert {t["type"] for t in served["types"]} == set(catalog.types)
    assert len(served["edges"]) == len(catalog.edge_rules)


def test_a_prop_without_a_default_fails_loading_naming_type_and_prop(data_dir):
    edit_yaml(
        data_dir / "components" / "data.yaml",
        lambda d: d["aws.sqs.queue"]["props"]["fifo"].pop("default"),
    )
    with pytest.raises(CatalogError, match=r"'aws.sqs.queue'.*prop 'fifo' has no default"):
        load_catalog(data_dir)


def test_a_default_its_schema_refuses_fails_loading_naming_type_and_prop(data_dir):
    def change(data):
        data["aws.sqs.queue"]["props"]["visibility_timeout_s"]["default"] = 99999

    edit_yaml(data_dir / "components" / "data.yaml", change)
    with pytest.raises(
        CatalogError, match=r"'aws.sqs.queue'.*default of prop 'visibility_timeout_s' is invalid"
    ):
        load_catalog(data_dir)


def test_an_unknown_type_in_an_edge_rule_fails_loading_naming_rule_and_type(data_dir):
    edit_yaml(data_dir / "edges.yaml", lambda d: d[0]["targets"].append("aws.lambda.functoin"))
    with pytest.raises(
        CatalogError, match=r"edge rule #0 \('api_integration'\).*'aws.lambda.functoin'"
    ):
        load_catalog(data_dir)


def test_a_pair_declared_twice_fails_loading_naming_the_pair(data_dir):
    def change(rules):
        rules.append({**rules[0], "kind": "api_integration"})

    edit_yaml(data_dir / "edges.yaml", change)
    with pytest.raises(CatalogError, match="declared twice"):
        load_catalog(data_dir)


def test_a_wildcard_action_fails_loading(data_dir):
    def change(data):
        data["aws.dynamodb.table"]["data_access"]["actions"]["read"] = ["*"]

    edit_yaml(data_dir / "components" / "data.yaml", change)
    with pytest.raises(CatalogError, match=r"'aws.dynamodb.table': data_access actions"):
        load_catalog(data_dir)


def test_an_unknown_key_in_a_type_fails_loading(data_dir):
    edit_yaml(
        data_dir / "components" / "data.yaml",
        lambda d: d["aws.s3.bucket"].update(defualt_props={}),
    )
    with pytest.raises(CatalogError, match=r"'aws.s3.bucket': unknown keys \['defualt_props'\]"):
        load_catalog(data_dir)
