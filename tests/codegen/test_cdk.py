"""The CDK renderer without aws-cdk-lib: files, determinism, escaping, stack plans."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings

from bench.docgen import make_document
from builder.catalog import DocumentInvalid, get_catalog
from codegen import PreviousInvalid, generate, naming, resolve
from codegen.cdk import project
from codegen.cdk.components import BUILDERS
from codegen.cdk.stacks import MAX_EXPORTS, MAX_RESOURCES, Cost, dependencies, plan
from codegen.templates import TEMPLATE_IDS, get_template
from tests.codegen.stacks_support import grown, large_document, moved, stacks_of
from tests.strategies import HOSTILE_LABEL, documents, relabelled

ROOT = Path(__file__).resolve().parents[2]
RENDER_SETTINGS = settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.generate],
)
CONTAINERS = {"aws.ec2.vpc", "aws.ec2.subnet"}


def python_files(files: dict[str, str]) -> dict[str, str]:
    """The app's Python modules (Lambda handlers are the user's code, not ours)."""
    return {
        path: text
        for path, text in files.items()
        if path.endswith(".py") and not path.startswith("functions/")
    }


def generate_valid(doc: dict) -> dict[str, str]:
    """The CDK files of a drawn document; a draw the validator refuses is skipped."""
    try:
        return generate(doc, "cdk")
    except DocumentInvalid:
        assume(False)
        raise


def code_without_strings(source: str) -> str:
    """The module as Python sees it, with every string literal emptied."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            node.value = ""
    return ast.unparse(tree)


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_app_has_every_file_a_cdk_repository_needs(template_id):
    files = generate(get_template(template_id), "cdk")

    for path in ("app.py", "cdk.json", "requirements.txt", "README.md", ".gitignore"):
        assert files[path]
    assert "stacks/main_stack.py" in files
    assert "tests/test_stack.py" in files
    assert '"format": "cloudwright/v1"' in files["cloudwright.json"]
    for path, text in python_files(files).items():
        ast.parse(text, filename=path)


def test_requirements_pin_the_versions_the_project_tests_with():
    dev = (ROOT / "requirements-dev.txt").read_text()

    for line in project.requirements().splitlines():
        assert line in dev.splitlines()


def test_every_component_type_has_a_builder():
    assert set(get_catalog().types) - CONTAINERS <= set(BUILDERS)
    assert set(BUILDERS) <= set(get_catalog().types)


def test_grants_use_the_cdk_grant_method_of_the_target():
    files = generate(get_template("serverless-crud"), "cdk")
    stack = files["stacks/main_stack.py"]

    assert "self.items.grant_write_data(self.create_item)" in stack
    assert re.search(r"self\.items\.grant_read_data\(self\.\w+\)", stack)


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_output_is_byte_identical_for_the_same_document(template_id):
    assert generate(get_template(template_id), "cdk") == generate(get_template(template_id), "cdk")


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.generate],
)
@given(documents(max_nodes=12))
def test_any_valid_document_renders_python_that_parses_the_same_way_twice(doc):
    files = generate_valid(doc)

    assert generate(doc, "cdk") == files
    for path, text in python_files(files).items():
        ast.parse(text, filename=path)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.generate],
)
@given(documents(max_nodes=12))
def test_hostile_labels_stay_inside_string_literals(doc):
    files = generate_valid(relabelled(doc, HOSTILE_LABEL))

    for path, text in python_files(files).items():
        code = code_without_strings(text)
        for fragment in ("${x}", "%{", "🚀", "名前", "<<EOF"):
            assert fragment not in code, path


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_renaming_every_box_changes_only_string_literals(template_id):
    doc = get_template(template_id)
    before = generate(relabelled(doc, "A"), "cdk")
    after = generate(relabelled(doc, HOSTILE_LABEL), "cdk")

    assert before.keys() == after.keys()
    for path in python_files(before):
        assert code_without_strings(before[path]) == code_without_strings(after[path])
        # Construct ids are the node ids: the same in both.
        ids = re.findall(r"\(\s*self,\s*(\"[^\"]*\")", before[path])
        assert ids == re.findall(r"\(\s*self,\s*(\"[^\"]*\")", after[path])


def test_a_hostile_label_is_one_escaped_literal():
    doc = get_template("serverless-crud")
    doc["nodes"][next(i for i, n in enumerate(doc["nodes"]) if n["type"].endswith("function"))][
        "name"
    ] = HOSTILE_LABEL
    stack = generate(doc, "cdk")["stacks/main_stack.py"]

    literal = naming.python_string(naming.free_text(HOSTILE_LABEL, 256))
    assert f"description={literal}" in stack
    assert all(fragment in literal for fragment in ('\\"', "${x}", "%{", "🚀"))


def test_small_documents_stay_one_stack():
    assert [p.ident for p in plan(resolve(get_template("container-platform")))] == ["main"]


@pytest.fixture(scope="module")
def large_model():
    return resolve(make_document(1000))


def test_a_large_document_splits_into_stacks_that_only_refer_backwards(large_model):
    plans = plan(large_model)
    deps = dependencies(large_model)
    order = {p.ident: i for i, p in enumerate(plans)}
    stack_of = {n: p.ident for p in plans for n in p.node_ids}

    assert len(plans) > 1
    assert sorted(stack_of) == sorted(large_model.components)
    for node, needs in deps.after.items():
        for need in needs:
            assert order[stack_of[need]] <= order[stack_of[node]], (node, need)


def test_pairs_cdk_wires_both_ways_share_a_stack(large_model):
    stack_of = {n: p.ident for p in plan(large_model) for n in p.node_ids}

    for note in large_model.bucket_notifications:
        assert stack_of[note.bucket_id] == stack_of[note.target_id]
    for origin in large_model.cdn_origins:
        if origin.target_type == "aws.s3.bucket":
            assert stack_of[origin.distribution_id] == stack_of[origin.target_id]


def test_stacks_stay_within_the_resource_budget(large_model):
    plans = plan(large_model, max_resources=MAX_RESOURCES)

    assert all(p.node_ids for p in plans)
    files = generate(large_model.document, "cdk")
    assert {f"stacks/{p.ident}_stack.py" for p in plans} <= files.keys()
    app = files["app.py"]
    for p in plans[1:]:
        for dep in p.depends_on:
            assert f"{dep}={dep}" in app


def test_regenerating_with_the_recorded_stacks_moves_no_existing_component():
    before_doc = large_document()
    after_doc = grown(before_doc)
    before = generate(before_doc, "cdk")

    kept = stacks_of(generate(after_doc, "cdk", previous=before)["stacks.json"])
    fresh = stacks_of(generate(after_doc, "cdk")["stacks.json"])

    old = stacks_of(before["stacks.json"])
    assert len(set(old.values())) > 1
    assert moved(old, kept) == []
    assert moved(old, fresh)  # what it prevents
    model = resolve(after_doc)
    plans = plan(model, previous=project.read_stacks_json(before["stacks.json"]))
    assert {n: p.ident for p in plans for n in p.node_ids} == kept
    order = {p.ident: i for i, p in enumerate(plans)}
    for node, needs in dependencies(model).after.items():
        for need in needs:
            assert order[kept[need]] <= order[kept[node]], (node, need)
    cost = Cost(model, dependencies(model))
    for p in plans:
        resources, exports = cost(p.node_ids)
        assert resources <= MAX_RESOURCES and exports <= MAX_EXPORTS, p.ident


def test_a_component_split_from_its_stack_gets_a_stack_of_its_own_name():
    doc = get_template("container-platform")
    before = generate(doc, "cdk")
    recorded = json.loads(before["stacks.json"])
    # Pretend the queue and its dead-letter queue were recorded in a second stack.
    recorded["stacks"][0]["nodes"].remove("jobs")
    recorded["stacks"].append({"name": "part_02", "nodes": ["jobs"]})

    files = generate(doc, "cdk", previous={"stacks.json": json.dumps(recorded)})

    assert stacks_of(files["stacks.json"])["jobs"] == "part_02"
    assert "from stacks.part_02_stack import Part02Stack" in files["app.py"]
    assert "main=main" in files["app.py"].split("part_02 = Part02Stack(")[1]


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        '{"stacks": {"main": []}}',
        '{"stacks": [{"name": "os.system(1)", "nodes": []}]}',
        '{"stacks": [{"name": "main", "nodes": [1]}]}',
        '{"stacks": [{"name": "main", "nodes": []}, {"name": "main", "nodes": []}]}',
        "",
        "[" * 100_000,
        b"\xff\xfe\x00",
    ],
)
def test_a_malformed_stacks_file_is_refused_with_a_reason(text):
    with pytest.raises(PreviousInvalid, match="^stacks.json: ") as refused:
        generate(get_template("container-platform"), "cdk", previous={"stacks.json": text})
    assert refused.value.path == "stacks.json"


def _platform_stack(**props_by_node: dict) -> str:
    doc = get_template("container-platform")
    for node in doc["nodes"]:
        node.setdefault("props", {}).update(props_by_node.get(node["id"], {}))
    files = generate(doc, "cdk")
    return "".join(text for path, text in files.items() if path.startswith("stacks/"))


def test_load_balancer_and_distribution_log_to_the_stacks_log_bucket():
    stack = _platform_stack()
    assert stack.count('s3.Bucket(\n            self,\n            "cloudwright.access_logs"') == 1
    assert "object_ownership=s3.ObjectOwnership.BUCKET_OWNER_PREFERRED" in stack
    assert 'self.alb.log_access_logs(self.access_log_bucket, "alb")' in stack
    assert "enable_logging=True,\n            log_bucket=self.access_log_bucket," in stack
    assert 'log_file_prefix="cdn/"' in stack


def test_access_logs_turned_off_leave_no_log_bucket_in_the_app():
    stack = _platform_stack(alb={"access_logs": False}, cdn={"access_logs": False})
    assert "access_log_bucket" not in stack and "enable_logging" not in stack


def test_redis_auth_token_comes_from_a_generated_secret_with_tls_only():
    stack = _platform_stack()
    assert "self.cache_auth = secretsmanager.Secret(" in stack
    assert "auth_token=self.cache_auth.secret_value.unsafe_unwrap()" in stack
    plain = _platform_stack(cache={"transit_encryption": False})
    assert "cache_auth" not in plain and "auth_token" not in plain


def test_queue_visibility_covers_its_consumers_timeout():
    doc = get_template("serverless-crud")
    for node in doc["nodes"]:
        if node["type"] == "aws.lambda.function":
            node.setdefault("props", {})["timeout_s"] = 300
    stack = generate(doc, "cdk")["stacks/main_stack.py"]
    assert '"item_events_queue",\n            visibility_timeout=Duration.seconds(300),' in stack
