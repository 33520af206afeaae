"""The security endpoints: who may do what, suppressions, fixes through the op path."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib.auth.models import User
from django.utils import timezone
from rest_framework.test import APIClient

from builder.collab.groups import architecture_group
from builder.documents import actions
from builder.documents.models import Change, ChangeKind, Job, Role
from builder.insights.models import Suppression

FIXTURES = Path(__file__).parent.parent / "fixtures" / "security"
ROLES = ("owner", "editor", "viewer", "stranger", "anonymous")
RANK = {"viewer": 0, "editor": 1, "owner": 2}


def fixture(rule_id: str, variant: str = "fail") -> dict:
    return json.loads((FIXTURES / rule_id / f"{variant}.json").read_text())


class Team:
    def __init__(self):
        self.users = {
            role: User.objects.create_user(role, f"{role}@example.com", "a-long-passphrase-9")
            for role in ROLES[:-1]
        }
        owner = self.users["owner"]
        self.project = actions.create_project(owner, "Shop")
        actions.add_member(owner, self.project, self.users["editor"], Role.EDITOR)
        actions.add_member(owner, self.project, self.users["viewer"], Role.VIEWER)
        # The database is reachable through a public bastion: CW-NET-001 with a fix.
        self.architecture = actions.create_architecture(
            owner, self.project, "shop", fixture("CW-NET-001")
        )

    def client(self, role: str) -> APIClient:
        client = APIClient()
        if role != "anonymous":
            client.force_login(self.users[role])
        return client

    def url(self, suffix: str) -> str:
        return f"/api/architectures/{self.architecture.pk}/{suffix}"

    def suppress(self, rule_id: str = "CW-RDS-005", node_id: str | None = "db", **extra):
        return Suppression.objects.create(
            architecture=self.architecture, rule_id=rule_id, node_id=node_id,
            reason="accepted for the pilot", author=self.users["editor"], **extra,
        )  # fmt: skip


@pytest.fixture
def team(db) -> Team:
    return Team()


def expected(role: str, needs: str, ok: int) -> int:
    if role == "anonymous":
        return 401
    if role == "stranger":
        return 404
    return ok if RANK[role] >= RANK[needs] else 403


def finding(payload: dict, rule_id: str, node_id: str) -> dict | None:
    return next(
        (f for f in payload["findings"] if f["rule_id"] == rule_id and f["node_ids"][0] == node_id),
        None,
    )


# Who may do what ----------------------------------------------------------------------

CALLS = [
    ("get", "findings/", None, "viewer", 200),
    ("get", "suppressions/", None, "viewer", 200),
    (
        "post",
        "suppressions/",
        {"rule_id": "CW-RDS-006", "reason": "single AZ for now"},
        "editor",
        201,
    ),
    ("get", "suppressions/{sid}/", None, "viewer", 200),
    ("patch", "suppressions/{sid}/", {"reason": "still accepted"}, "editor", 200),
    ("delete", "suppressions/{sid}/", None, "editor", 204),
    ("post", "findings/apply-fix/", {"rule_id": "CW-RDS-005", "node_ids": ["db"]}, "editor", 200),
    ("post", "deep-scans/", None, "viewer", 202),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "suffix", "body", "needs", "ok"), CALLS)
def test_endpoint_permissions(team, role, method, suffix, body, needs, ok):
    sid = team.suppress().pk
    response = getattr(team.client(role), method)(team.url(suffix.format(sid=sid)), body)
    assert response.status_code == expected(role, needs, ok), response.content


@pytest.mark.parametrize(("role", "status"), [("viewer", 200), ("anonymous", 401)])
def test_stateless_scan_needs_a_signed_in_user(team, role, status):
    response = team.client(role).post("/api/scan/", {"document": fixture("CW-RDS-001")})
    assert response.status_code == status


# Stateless scan -----------------------------------------------------------------------


def test_scan_returns_findings_with_their_fix(team):
    response = team.client("viewer").post("/api/scan/", {"document": fixture("CW-RDS-001")})
    rds = finding(response.json(), "CW-RDS-001", "subject")
    assert rds["severity"] == "high"
    assert rds["fix"] == [
        {"type": "update_node", "id": "subject", "set": {"props.storage_encrypted": True}}
    ]
    assert set(rds) >= {"rule_id", "severity", "node_ids", "title", "remediation", "fix"}


def test_scan_of_an_invalid_document_names_the_node_at_fault(team):
    document = fixture("CW-RDS-001")
    document["nodes"][-1]["props"]["storage_encrypted"] = "yes"
    response = team.client("viewer").post("/api/scan/", {"document": document})
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["node_id"] == "subject"
    assert error["path"].endswith("/props/storage_encrypted")


def test_the_rule_list_names_each_rule_and_its_control(team):
    rules = team.client("viewer").get("/api/security/rules/").json()["rules"]
    rds = next(r for r in rules if r["id"] == "CW-RDS-001")
    assert rds["controls"]["checkov"] == "CKV_AWS_16"
    assert len(rules) >= 40


# Suppressions -------------------------------------------------------------------------


def test_a_suppressed_finding_is_shown_flagged_with_reason_and_author(team):
    response = team.client("editor").post(
        team.url("suppressions/"),
        {
            "rule_id": "CW-RDS-005",
            "node_id": "db",
            "reason": "recreated nightly",
            "expires_at": (timezone.now() + timedelta(days=30)).isoformat(),
        },  # fmt: skip
    )
    assert response.status_code == 201, response.content
    payload = team.client("viewer").get(team.url("findings/")).json()
    flagged = finding(payload, "CW-RDS-005", "db")
    assert flagged["suppressed"] is True
    assert flagged["suppression"]["reason"] == "recreated nightly"
    assert flagged["suppression"]["author"] == "editor"
    assert payload["summary"]["suppressed"] == 1


def test_an_expired_suppression_stops_applying(team):
    team.suppress(expires_at=timezone.now() + timedelta(days=1))
    Suppression.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    payload = team.client("viewer").get(team.url("findings/")).json()
    assert finding(payload, "CW-RDS-005", "db")["suppressed"] is False
    listed = team.client("viewer").get(team.url("suppressions/")).json()
    assert [s["active"] for s in listed] == [False]


def test_a_suppression_without_a_node_covers_every_node(team):
    team.suppress(rule_id="CW-RDS-006", node_id=None)
    payload = team.client("viewer").get(team.url("findings/")).json()
    assert finding(payload, "CW-RDS-006", "db")["suppressed"] is True
    assert finding(payload, "CW-NET-001", "db")["suppressed"] is False


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"rule_id": "CW-NOPE-1", "reason": "x"}, "/rule_id"),
        ({"rule_id": "CW-RDS-005", "node_id": "ghost", "reason": "x"}, "/node_id"),
        ({"rule_id": "CW-RDS-005", "reason": ""}, "/reason"),
        (
            {"rule_id": "CW-RDS-005", "reason": "x", "expires_at": "2001-01-01T00:00:00Z"},
            "/expires_at",
        ),
    ],
)
def test_a_bad_suppression_is_refused_naming_the_field(team, body, field):
    response = team.client("editor").post(team.url("suppressions/"), body)
    assert response.status_code == 400
    assert [e["path"] for e in response.json()["errors"]] == [field]
    assert not Suppression.objects.exists()


def test_suppressing_the_same_finding_twice_is_refused(team):
    team.suppress()
    body = {"rule_id": "CW-RDS-005", "node_id": "db", "reason": "again"}
    response = team.client("editor").post(team.url("suppressions/"), body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"] == "/rule_id"


def test_deleting_a_suppression_brings_the_finding_back(team):
    sid = team.suppress().pk
    assert team.client("editor").delete(team.url(f"suppressions/{sid}/")).status_code == 204
    payload = team.client("viewer").get(team.url("findings/")).json()
    assert finding(payload, "CW-RDS-005", "db")["suppressed"] is False


# Fixes --------------------------------------------------------------------------------


def test_applying_a_fix_records_a_fix_change_and_removes_the_finding(team):
    before = team.architecture.revision
    response = team.client("editor").post(
        team.url("findings/apply-fix/"), {"rule_id": "CW-NET-001", "node_ids": ["db", "bastion"]}
    )
    assert response.status_code == 200, response.content
    payload = response.json()
    assert payload["revision"] == before + 1
    assert finding(payload, "CW-NET-001", "db") is None
    change = Change.objects.get(architecture=team.architecture, revision=before + 1)
    assert change.kind == ChangeKind.FIX
    assert change.user == team.users["editor"]
    assert change.payload["rule_id"] == "CW-NET-001"
    team.architecture.refresh_from_db()
    bastion = next(n for n in team.architecture.document["nodes"] if n["id"] == "bastion")
    assert bastion["props"]["associate_public_ip"] is False


def test_applying_a_fix_is_broadcast_to_the_room(team, django_capture_on_commit_callbacks):
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(architecture_group(team.architecture.pk), channel)
    with django_capture_on_commit_callbacks(execute=True):
        team.client("editor").post(
            team.url("findings/apply-fix/"), {"rule_id": "CW-RDS-005", "node_ids": ["db"]}
        )
    event = async_to_sync(layer.receive)(channel)["event"]
    assert (event["type"], event["kind"], event["by"]["username"]) == ("snapshot", "fix", "editor")
    db = next(n for n in event["document"]["nodes"] if n["id"] == "db")
    assert db["props"]["deletion_protection"] is True


def test_a_fix_for_a_finding_that_is_gone_is_a_conflict(team):
    body = {"rule_id": "CW-RDS-005", "node_ids": ["db"]}
    assert team.client("editor").post(team.url("findings/apply-fix/"), body).status_code == 200
    response = team.client("editor").post(team.url("findings/apply-fix/"), body)
    assert response.status_code == 409
    assert response.json()["errors"][0]["node_id"] == "db"


def test_a_fix_based_on_an_old_revision_is_refused(team):
    body = {"rule_id": "CW-RDS-005", "node_ids": ["db"], "revision": team.architecture.revision - 1}
    response = team.client("editor").post(team.url("findings/apply-fix/"), body)
    assert response.status_code == 409
    assert response.json()["revision"] == team.architecture.revision


def test_a_rule_without_a_fix_is_refused(team):
    actions.replace_document(team.users["owner"], team.architecture, fixture("CW-ALB-001"))
    body = {"rule_id": "CW-ALB-001", "node_ids": ["subject"]}
    response = team.client("editor").post(team.url("findings/apply-fix/"), body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"] == "/rule_id"


# Deep scan ----------------------------------------------------------------------------


def test_a_deep_scan_starts_a_job_on_the_architecture(team):
    response = team.client("viewer").post(team.url("deep-scans/"))
    job = Job.objects.get(pk=response.json()["id"])
    assert (job.kind, job.architecture, job.state) == ("deep_scan", team.architecture, "queued")
