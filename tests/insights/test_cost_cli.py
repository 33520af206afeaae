"""`manage.py estimate`: the JSON it prints, the table, and errors a user can act on."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from builder.insights.cost import estimate
from codegen import resolve
from codegen.templates import get_template


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("estimate", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def template_file(tmp_path):
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(get_template("serverless-crud")))
    return str(path)


def test_json_output_has_exactly_the_documented_keys(template_file):
    printed = json.loads(run(template_file, "--format", "json"))
    assert list(printed) == ["currency", "monthly_total", "items", "forecast"]
    assert printed["currency"] == "USD"
    for item in printed["items"]:
        assert list(item) == [
            "node_id", "service", "description", "quantity", "unit", "unit_price", "monthly_cost",
        ]  # fmt: skip
    assert [list(p) for p in printed["forecast"]] == [["month", "total"]] * 12
    # the template's hand-computed total (tests/insights/test_cost_templates.py)
    assert printed["monthly_total"] == pytest.approx(49.2818, abs=0.0001)


def test_free_tier_region_and_growth_switches(template_file):
    listed = json.loads(run(template_file, "--format", "json"))
    free = json.loads(run(template_file, "--format", "json", "--free-tier"))
    assert free["monthly_total"] < listed["monthly_total"]
    west = json.loads(run(template_file, "--format", "json", "--region", "eu-west-1"))
    assert any(i["monthly_cost"] is None for i in west["items"])
    grown = json.loads(run(template_file, "--format", "json", "--growth", "0.1"))
    assert grown["forecast"][11]["total"] > grown["forecast"][0]["total"]


def test_table_output_names_the_total_and_the_gaps(template_file):
    text = run(template_file)
    assert "Monthly total (us-east-1): USD 49.28" in text
    assert "have no price" not in text
    gaps = estimate(resolve(get_template("serverless-crud")), region="eu-west-1").missing
    west = run(template_file, "--region", "eu-west-1")
    assert f"{len(gaps)} item(s) have no price and are not in the total." in west


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--region", "mars-1"), "--region: unknown AWS region"),
        (("--growth", '{"hours_per_month": 0.1}'), "growth.hours_per_month"),
        (("--growth", "fast"), "--growth: give a number"),
    ],
)
def test_bad_options_are_refused_with_the_option_named(template_file, args, message):
    with pytest.raises(CommandError, match=message):
        run(template_file, *args)


def test_an_invalid_document_lists_its_errors(tmp_path):
    path = tmp_path / "bad.json"
    document = get_template("serverless-crud")
    document["nodes"][0]["type"] = "aws.nothing"
    path.write_text(json.dumps(document))
    with pytest.raises(CommandError, match="the document is not valid:\n  /nodes/0/type"):
        run(str(path))


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        run(str(tmp_path / "absent.json"))
