"""Generated CDK apps synthesize with the real aws-cdk-lib and lint clean with cfn-lint.

aws-cdk-lib boots node (jsii) once per process, seconds each time, so every app here
is synthesized in this one process (codegen.cdk.synth) with its own App and outdir.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cfnlint.api import ManualArgs, lint
from hypothesis import HealthCheck, Phase, given, settings

from bench.docgen import make_document
from builder.catalog.validate import UNREADABLE
from codegen import generate, resolve
from codegen.cdk.stacks import plan
from codegen.cdk.synth import run_app, synth_app
from codegen.files import write_files
from codegen.templates import TEMPLATE_IDS, get_template
from codegen.terraform.loadbalancing import TLS_POLICY
from tests.strategies import CERTIFICATE_ARN, documents, relabelled

pytestmark = pytest.mark.synth

CFN_LIMITS = {"Resources": 500, "Outputs": 200}


# Rules that check a value the document chose against AWS's current offer (RDS
# instance classes, EC2 instance types): hypothesis draws any value the catalog's
# pattern accepts.
DRAWN_VALUE_RULES = {"E3025", "E3628"}


def lint_errors(template: dict, region: str, ignore: set[str] = frozenset()) -> list[str]:
    matches = lint(json.dumps(template, ensure_ascii=False), config=ManualArgs(regions=[region]))
    return [str(m) for m in matches if m.rule.id.startswith("E") and m.rule.id not in ignore]


def synth_document(doc: dict, directory: Path) -> dict[str, dict]:
    return synth_app(write_files(generate(doc, "cdk"), directory))


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_templates_synthesize_and_lint_clean(template_id, tmp_path):
    doc = get_template(template_id)
    templates = synth_document(doc, tmp_path)

    assert templates
    for name, template in templates.items():
        assert lint_errors(template, doc.get("region", "us-east-1")) == [], name
        assert "BootstrapVersion" not in template.get("Parameters", {})


@settings(
    max_examples=4,
    derandomize=True,
    # Each example costs a synth: report a failure as found rather than shrink it.
    phases=[Phase.explicit, Phase.generate],
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(doc=documents(max_nodes=12))
def test_generated_documents_synthesize_and_lint_clean(doc, tmp_path_factory):
    templates = synth_document(doc, tmp_path_factory.mktemp("doc"))

    for template in templates.values():
        assert lint_errors(template, doc.get("region", "us-east-1"), DRAWN_VALUE_RULES) == []


# Text that broke generated templates before: C1 controls (U+0092 is a Windows-1252
# apostrophe read as Latin-1), NEL, DEL, emoji, quotes, template syntax, line breaks.
HOSTILE_TEXT = 'Bob\x92s "api" \x85\x9f\x7f 🚀 ${x} %{y} {z}\nline two\r\n\t'


def test_hostile_text_in_labels_and_props_synthesizes_and_lints_clean(tmp_path):
    doc = relabelled(get_template("container-platform"), HOSTILE_TEXT)
    doc["name"] = doc["description"] = HOSTILE_TEXT
    nodes = {n["id"]: n for n in doc["nodes"]}
    # Props take the same text less what CloudFormation tools cannot read (validation
    # refuses that, tests/catalog/test_validate.py).
    readable = UNREADABLE.sub("", HOSTILE_TEXT)
    nodes["cdn"]["props"]["default_root_object"] = 'index "🚀" ${x}.html'
    nodes["jobs_age"]["props"]["metric_name"] = 'Age "🚀" ${x}'
    pattern = {"source": [readable]}
    doc["nodes"].append(
        {
            "id": "nightly",
            "type": "aws.events.rule",
            "name": HOSTILE_TEXT,
            "position": {"x": 0, "y": 0},
            "props": {"schedule_expression": "", "event_pattern": json.dumps(pattern)},
        }
    )

    templates = synth_document(doc, tmp_path)

    resources = [r for t in templates.values() for r in t["Resources"].values()]
    rule = next(r for r in resources if r["Type"] == "AWS::Events::Rule")
    assert rule["Properties"]["EventPattern"] == pattern
    assert not UNREADABLE.search(json.dumps(templates, ensure_ascii=False))
    for name, template in templates.items():
        assert lint_errors(template, "us-east-1") == [], name


def stack_regions(outdir: Path) -> dict[str, str]:
    manifest = json.loads((outdir / "manifest.json").read_text())
    return {
        name: artifact["environment"].rsplit("/", 1)[1]
        for name, artifact in manifest["artifacts"].items()
        if artifact["type"] == "aws:cloudformation:stack"
    }


def resources_of(template: dict, type_: str) -> list[dict]:
    return [r for r in template["Resources"].values() if r["Type"] == type_]


def test_web_acl_in_us_east_1_rotation_and_https_synthesize_and_lint_clean(tmp_path):
    """Items Terraform also renders, in a region other than us-east-1."""
    doc = get_template("container-platform")
    doc["region"] = "eu-west-1"
    nodes = {n["id"]: n for n in doc["nodes"]}
    nodes["app_credentials"]["props"]["rotation_days"] = 30
    nodes["alb"]["props"].update(listener_protocol="HTTPS", certificate_arn=CERTIFICATE_ARN)

    templates = synth_document(doc, tmp_path)

    regions = stack_regions(tmp_path / "cdk.out")
    assert regions == {
        "container-platform-us-east-1": "us-east-1",
        "container-platform": "eu-west-1",
    }
    east, main = templates["container-platform-us-east-1"], templates["container-platform"]
    (acl,) = resources_of(east, "AWS::WAFv2::WebACL")
    assert acl["Properties"]["Scope"] == "CLOUDFRONT"
    assert [a["Properties"]["Scope"] for a in resources_of(main, "AWS::WAFv2::WebACL")] == [
        "REGIONAL"
    ]
    (cdn,) = resources_of(main, "AWS::CloudFront::Distribution")
    assert "ExportsReader" in json.dumps(cdn["Properties"]["DistributionConfig"]["WebACLId"])
    (listener,) = resources_of(main, "AWS::ElasticLoadBalancingV2::Listener")
    assert listener["Properties"]["SslPolicy"] == TLS_POLICY
    assert listener["Properties"]["Certificates"] == [{"CertificateArn": CERTIFICATE_ARN}]
    (rotation,) = resources_of(main, "AWS::SecretsManager::RotationSchedule")
    assert rotation["Properties"]["RotationRules"] == {"ScheduleExpression": "rate(30 days)"}
    for name, template in templates.items():
        assert lint_errors(template, regions[name]) == [], name


def test_a_large_document_synthesizes_as_several_stacks_within_limits(tmp_path):
    doc = make_document(300)
    templates = synth_document(doc, tmp_path)

    assert len(templates) == len(plan(resolve(doc))) > 1
    for template in templates.values():
        for section, limit in CFN_LIMITS.items():
            assert len(template.get(section, {})) <= limit


@pytest.mark.parametrize("by_cli", [False, True])
def test_app_py_writes_where_the_cli_would_and_says_so_when_run_directly(
    by_cli, tmp_path, monkeypatch, capsys
):
    app_dir = write_files(generate(get_template("event-pipeline"), "cdk"), tmp_path / "app")
    monkeypatch.chdir(app_dir)
    if by_cli:  # the CDK CLI names the output folder
        monkeypatch.setenv("CDK_OUTDIR", str(tmp_path / "cli.out"))
    else:
        monkeypatch.delenv("CDK_OUTDIR", raising=False)

    run_app(app_dir)  # as `python app.py`, in this process (jsii is already running)

    outdir = tmp_path / "cli.out" if by_cli else app_dir / "cdk.out"
    template = json.loads((outdir / "event-pipeline.template.json").read_text())
    assert template["Resources"]
    assert (app_dir / "cdk.out").exists() is not by_cli
    printed = "" if by_cli else "event-pipeline: cdk.out/event-pipeline.template.json\n"
    assert capsys.readouterr().out == printed


def test_the_generated_stack_test_passes(tmp_path):
    write_files(generate(get_template("serverless-crud"), "cdk"), tmp_path)
    # The generated repository is not this project: none of its settings apply.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"] = "20"

    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:django"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout
