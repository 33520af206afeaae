"""The cost endpoints: who may read them, their answers, CSV, the diff and the job."""

from __future__ import annotations

import csv
import io

import pytest

from builder.celery import app as celery_app
from builder.documents import actions
from tests.documents import conftest as documents
from tests.documents.conftest import ROLES, sample_document

# The named users and their shared architecture (tests/documents/conftest.py).
world = documents.world

SHAPE_KEYS = {
    "currency", "region", "free_tier", "prices_collected", "monthly_total", "complete",
    "items", "by_service", "by_node", "forecast", "scenarios", "growth", "missing",
    "assumptions",
}  # fmt: skip


@pytest.fixture
def run_jobs_now(django_capture_on_commit_callbacks):
    """Run each request's queued tasks when it commits, as an eager Celery would."""
    celery_app.conf.task_always_eager = True
    yield lambda: django_capture_on_commit_callbacks(execute=True)
    celery_app.conf.task_always_eager = False


def expected_status(role: str, ok: int) -> int:
    return {"anonymous": 401, "stranger": 404}.get(role, ok)


READ_ENDPOINTS = (
    ("get", "/api/architectures/{aid}/estimate/", 200),
    ("get", "/api/architectures/{aid}/estimate.csv", 200),
    ("get", "/api/architectures/{aid}/cost-diff/?from=working", 200),
    ("post", "/api/architectures/{aid}/estimate/", 202),
)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url", "ok"), READ_ENDPOINTS)
def test_members_of_any_role_read_costs_and_strangers_learn_nothing(
    world, role, method, url, ok, run_jobs_now
):
    with run_jobs_now():
        response = getattr(world.client(role), method)(url.format(aid=world.architecture.pk))
    assert response.status_code == expected_status(role, ok)
    if role == "stranger":
        assert "estimate" not in response.content.decode().lower()


@pytest.mark.parametrize("role", ROLES)
def test_stateless_estimate_needs_a_signed_in_user(world, role):
    response = world.client(role).post("/api/estimate/", {"document": sample_document()})
    assert response.status_code == (401 if role == "anonymous" else 200)


def test_estimate_of_the_stored_document_has_the_panel_shape(world):
    response = world.client("viewer").get(f"/api/architectures/{world.architecture.pk}/estimate/")
    body = response.json()
    assert set(body) >= SHAPE_KEYS
    assert body["architecture_id"] == world.architecture.pk
    assert body["revision"] == world.architecture.revision
    # REST API 1M requests x $3.50 = $3.50, the sample's only API
    api = next(i for i in body["items"] if i["node_id"] == "api" and i["code"] == "requests")
    assert api["monthly_cost"] == pytest.approx(3.50)
    assert body["by_node"]["api"]["monthly_cost"] == pytest.approx(3.50 + 5.00 + 0.50 + 0.36)
    assert set(body["scenarios"]) == {"low", "expected", "high"}
    assert [p["month"] for p in body["forecast"]] == list(range(1, 13))
    # point-in-time recovery (on by default): 1 GB x $0.20 per GB-month
    pitr = next(i for i in body["items"] if i["node_id"] == "orders" and i["code"] == "pitr")
    assert pitr["monthly_cost"] == pytest.approx(0.20)
    assert body["missing"] == []
    assert body["complete"] is True


def test_a_price_the_region_lacks_is_listed_as_missing_and_the_estimate_incomplete(world):
    response = world.client("viewer").get(
        f"/api/architectures/{world.architecture.pk}/estimate/?region=eu-west-1"
    )
    body = response.json()
    assert {
        "node_id": "orders",
        "price_ref": "dynamodb.pitr_per_gb_month",
        "message": "no price for dynamodb.pitr_per_gb_month in eu-west-1",
    } in body["missing"]
    assert body["complete"] is False
    assert body["by_node"]["orders"]["missing"] > 0


def test_growth_region_and_free_tier_come_from_the_query_string(world):
    client, aid = world.client("viewer"), world.architecture.pk
    base = client.get(f"/api/architectures/{aid}/estimate/").json()
    grown = client.get(f"/api/architectures/{aid}/estimate/?growth=0.1").json()
    assert grown["forecast"][1]["total"] > base["forecast"][1]["total"]
    assert grown["forecast"][0]["total"] == base["forecast"][0]["total"]
    free = client.get(f"/api/architectures/{aid}/estimate/?free_tier=true").json()
    assert free["free_tier"] is True and free["monthly_total"] < base["monthly_total"]
    west = client.get(f"/api/architectures/{aid}/estimate/?region=eu-west-1").json()
    assert west["region"] == "eu-west-1" and len(west["missing"]) > len(base["missing"])


@pytest.mark.parametrize(
    ("query", "path"),
    [
        ("region=mars-1", "/region"),
        ("growth=fast", "/growth"),
        ('growth={"hours_per_month":0.1}', "/growth/hours_per_month"),
        ("free_tier=perhaps", "/free_tier"),
        # Found by the schemathesis run: each of these was a 500.
        pytest.param("growth=" + "9" * 5000, "/growth", id="more-digits-than-int-reads"),
        pytest.param("growth=1" + "0" * 400, "/growth", id="beyond-any-float"),
        pytest.param(r'growth={"\ud800":0.1}', "/growth", id="lone-surrogate"),
    ],
)
def test_bad_options_are_400_naming_the_field(world, query, path):
    response = world.client("viewer").get(
        f"/api/architectures/{world.architecture.pk}/estimate/?{query}"
    )
    assert response.status_code == 400
    assert [e["path"] for e in response.json()["errors"]] == [path]


def test_stateless_estimate_reports_document_errors_by_node(world):
    document = sample_document()
    document["nodes"][1]["props"]["memory_mb"] = 1
    response = world.client("viewer").post("/api/estimate/", {"document": document})
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["node_id"] == "fn"
    assert error["path"].startswith("/document/nodes/1/props/memory_mb")


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({}, "/document"),
        ({"document": sample_document(), "growth": {"*": 99}}, "/growth/*"),
        ({"document": sample_document(), "region": "nowhere"}, "/region"),
    ],
)
def test_stateless_estimate_bad_input_names_the_field(world, body, path):
    response = world.client("viewer").post("/api/estimate/", body)
    assert response.status_code == 400
    assert path in [e["path"] for e in response.json()["errors"]]


def test_stateless_estimate_as_a_job_reports_progress_and_the_result(world, run_jobs_now):
    client = world.client("viewer")
    with run_jobs_now():
        response = client.post(
            "/api/estimate/", {"document": sample_document(), "job": True, "growth": 0.05}
        )
    assert response.status_code == 202
    job = client.get(f"/api/jobs/{response.json()['id']}/").json()
    assert (job["kind"], job["state"], job["progress"]) == ("cost_estimate", "succeeded", 100)
    direct = client.post("/api/estimate/", {"document": sample_document(), "growth": 0.05})
    assert job["result"]["scenarios"] == direct.json()["scenarios"]


def test_a_job_on_an_invalid_stored_document_fails_with_a_readable_message(world, run_jobs_now):
    from builder.documents.models import Architecture

    Architecture.objects.filter(pk=world.architecture.pk).update(document={"format": "x"})
    client = world.client("owner")
    with run_jobs_now():
        response = client.post(f"/api/architectures/{world.architecture.pk}/estimate/", {})
    job = client.get(f"/api/jobs/{response.json()['id']}/").json()
    assert job["state"] == "failed"
    assert job["error"].startswith("The document is not valid")


def test_csv_export_lists_every_item_and_the_total(world):
    response = world.client("viewer").get(
        f"/api/architectures/{world.architecture.pk}/estimate.csv"
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "estimate.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:7] == [
        "node_id", "service", "description", "quantity", "unit", "unit_price", "monthly_cost",
    ]  # fmt: skip
    api = next(r for r in rows if r[0] == "api" and r[2] == "REST API requests")
    assert api[3:7] == ["1.0", "1M requests", "3.5", "3.5"]
    # 1 GB x $0.20 per GB-month
    pitr = next(r for r in rows if r[0] == "orders" and r[7] == "dynamodb.pitr_per_gb_month")
    assert pitr[3:7] == ["1", "GB-month", "0.2", "0.2"] and pitr[9] == ""
    assert rows[-1][2] == "Monthly total"
    west = world.client("viewer").get(
        f"/api/architectures/{world.architecture.pk}/estimate.csv?region=eu-west-1"
    )
    rows = list(csv.reader(io.StringIO(west.content.decode())))
    pitr = next(r for r in rows if r[0] == "orders" and r[7] == "dynamodb.pitr_per_gb_month")
    assert pitr[5:7] == ["", ""]
    assert pitr[9] == "no price for dynamodb.pitr_per_gb_month in eu-west-1"


def test_cost_diff_between_a_version_and_the_working_copy(world):
    version = actions.save_version(world.owner, world.architecture, "before")
    document = sample_document()
    document["nodes"][1]["props"]["memory_mb"] = 1024
    actions.replace_document(world.owner, world.architecture, document)
    response = world.client("viewer").get(
        f"/api/architectures/{world.architecture.pk}/cost-diff/?from={version.pk}&to=working"
    )
    body = response.json()
    # 512 -> 1024 MB: 100,000 -> 200,000 GB-s x $0.0000133334 = +$1.33334
    assert [n["node_id"] for n in body["nodes"]] == ["fn"]
    assert body["nodes"][0]["status"] == "changed"
    assert body["delta"] == pytest.approx(1.3333, abs=1e-4)


@pytest.mark.parametrize(
    ("query", "path"), [("", "/from"), ("from=abc", "/from"), ("from=999999&to=working", "/from")]
)
def test_cost_diff_names_a_bad_side(world, query, path):
    response = world.client("viewer").get(
        f"/api/architectures/{world.architecture.pk}/cost-diff/?{query}"
    )
    assert response.status_code == 400
    assert [e["path"] for e in response.json()["errors"]] == [path]


def test_a_version_id_with_non_ascii_digits_is_a_400_not_a_crash(world):
    response = world.client("viewer").get(
        f"/api/architectures/{world.architecture.pk}/cost-diff/?from=²"
    )
    assert response.status_code == 400


def test_usage_too_large_to_price_gives_nulls_not_a_server_error(world):
    document = sample_document()
    document["nodes"][0]["usage"] = {"requests_per_month": 1e308}
    response = world.client("viewer").post(
        "/api/estimate/", {"document": document, "growth": 10}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["forecast"][11]["total"] is None


def test_a_big_document_is_estimated_by_a_job(world, monkeypatch, run_jobs_now):
    from builder.insights import api_cost

    monkeypatch.setattr(api_cost, "JOB_MIN_NODES", len(sample_document()["nodes"]))
    with run_jobs_now():
        response = world.client("viewer").post("/api/estimate/", {"document": sample_document()})
    assert response.status_code == 202
    assert response.json()["kind"] == "cost_estimate"
