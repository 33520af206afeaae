"""Every list endpoint pages its results and filters as docs/api.md ("Lists") promises."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from builder.documents import actions
from builder.documents.models import ApiToken, Job, Role

LISTS = (
    "/api/projects/",
    "/api/projects/{pid}/members/",
    "/api/projects/{pid}/architectures/",
    "/api/tokens/",
    "/api/architectures/{aid}/changes/",
    "/api/architectures/{aid}/versions/",
    "/api/jobs/",
)


@pytest.fixture
def filled(world):
    """At least two rows in every list the owner can read."""
    owner, architecture = world.owner, world.architecture
    actions.create_project(owner, "Warehouse", "stock and shelves")
    actions.create_architecture(owner, world.project, "payments")
    for name in ("ci", "deploy bot"):
        actions.create_token(owner, name)
    actions.rename_architecture(world.editor, architecture, "orders-v2")
    actions.save_version(owner, architecture, "launch", "first release")
    actions.save_version(owner, architecture, "hotfix", "retry on timeout")
    Job.objects.create(kind="export", architecture=architecture, started_by=owner)
    Job.objects.create(kind="git_push", architecture=architecture, started_by=owner, state="failed")
    return world


def get(world, path: str, query: str = "") -> dict:
    response = world.client("owner").get(
        path.format(pid=world.project.pk, aid=world.architecture.pk) + query
    )
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize("path", LISTS)
def test_every_list_is_paged(filled, path):
    first = get(filled, path, "?page_size=1")
    assert set(first) == {"count", "next", "previous", "results"}
    assert first["count"] >= 2 and len(first["results"]) == 1
    assert first["previous"] is None and "page=2" in first["next"]
    second = get(filled, path, "?page_size=1&page=2")
    assert second["results"] != first["results"]


def test_page_size_is_capped_at_500(world):
    ApiToken.objects.bulk_create(
        ApiToken(user=world.owner, name=f"t{i}", prefix="cw_", key_hash=f"{i:064d}")
        for i in range(501)
    )
    page = get(world, "/api/tokens/", "?page_size=1000")
    assert (page["count"], len(page["results"])) == (501, 500)
    assert len(get(world, "/api/tokens/")["results"]) == 50


@pytest.mark.parametrize(
    ("path", "query", "expected"),
    [
        ("/api/projects/", "?search=shelves", ["Warehouse"]),
        ("/api/projects/", "?ordering=-name", ["Warehouse", "Shop"]),
        ("/api/projects/{pid}/architectures/", "?search=pay", ["payments"]),
        ("/api/projects/{pid}/architectures/", "?ordering=name", ["orders-v2", "payments"]),
        ("/api/tokens/", "?search=bot", ["deploy bot"]),
        ("/api/tokens/", "?ordering=-name", ["deploy bot", "ci"]),
        ("/api/architectures/{aid}/versions/", "", ["hotfix", "launch"]),
        ("/api/architectures/{aid}/versions/", "?search=release", ["launch"]),
        ("/api/architectures/{aid}/versions/", "?ordering=number", ["launch", "hotfix"]),
    ],
)
def test_lists_search_and_order_by_name(filled, path, query, expected):
    assert [r["name"] for r in get(filled, path, query)["results"]] == expected


def test_members_filter_by_role_and_search_by_username(filled):
    path = "/api/projects/{pid}/members/"
    viewers = get(filled, path, "?role=viewer&ordering=created_at")["results"]
    assert [m["username"] for m in viewers] == ["vera", "colin"]
    assert [m["username"] for m in get(filled, path, "?search=edd")["results"]] == ["eddie"]


def test_changes_filter_by_kind_user_and_revision(filled):
    path = "/api/architectures/{aid}/changes/"
    assert [c["kind"] for c in get(filled, path, "?kind=rename")["results"]] == ["rename"]
    by_editor = get(filled, path, f"?user={filled.editor.pk}")["results"]
    assert [(c["revision"], c["user"]["username"]) for c in by_editor] == [(2, "eddie")]
    assert [c["revision"] for c in get(filled, path, "?since=1")["results"]] == [2]
    assert [c["revision"] for c in get(filled, path, "?ordering=-revision")["results"]] == [2, 1]


def test_jobs_filter_by_state_kind_and_architecture(filled):
    assert [j["kind"] for j in get(filled, "/api/jobs/", "?state=failed")["results"]] == [
        "git_push"
    ]
    assert [j["kind"] for j in get(filled, "/api/jobs/", "?kind=export")["results"]] == ["export"]
    other = actions.create_architecture(filled.owner, filled.project, "other")
    assert get(filled, "/api/jobs/", f"?architecture={other.pk}")["count"] == 0
    assert get(filled, "/api/jobs/", f"?architecture={filled.architecture.pk}")["count"] == 2


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("/api/jobs/", "?state=sleeping", "/state"),
        ("/api/architectures/{aid}/changes/", "?kind=teleport", "/kind"),
        ("/api/architectures/{aid}/changes/", "?since=yesterday", "/since"),
        ("/api/projects/{pid}/members/", f"?role={Role.OWNER}x", "/role"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_parameter(filled, path, query, field):
    response = filled.client("owner").get(
        path.format(pid=filled.project.pk, aid=filled.architecture.pk) + query
    )
    assert response.status_code == 400
    assert [e["path"] for e in response.json()["errors"]] == [field]


@pytest.mark.parametrize(
    ("path", "column"),
    [
        ("/api/projects/{pid}/architectures/", "document"),
        ("/api/architectures/{aid}/versions/", "document"),
        ("/api/architectures/{aid}/changes/", "document"),
        ("/api/jobs/", "params"),
    ],
)
def test_lists_do_not_read_what_they_do_not_show(filled, path, column):
    """A page of 1,000-node versions took 270 ms parsing documents nobody sees."""
    with CaptureQueriesContext(connection) as queries:
        get(filled, path)
    assert not [q["sql"] for q in queries.captured_queries if f'."{column}"' in q["sql"]]
