"""Architecture documents over REST: validation, the revision guard, limits, history."""

from __future__ import annotations

import json

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from builder.collab.groups import architecture_group
from builder.documents.models import Architecture, Change
from tests.documents.conftest import sample_document


def url(architecture, suffix: str = "") -> str:
    return f"/api/architectures/{architecture.pk}/{suffix}"


def with_node(document: dict, **node) -> dict:
    document["nodes"].append({"position": {"x": 0, "y": 0}, **node})
    return document


def bad_edge(doc):
    doc["edges"].append({"id": "e3", "source": "orders", "target": "api"})
    return doc, {"edge_id": "e3", "path": "/document/edges/2/target"}


def unknown_prop(doc):
    doc["nodes"][1]["props"]["colour"] = "blue"
    return doc, {"node_id": "fn", "path": "/document/nodes/1/props/colour"}


def duplicate_id(doc):
    return with_node(doc, id="fn", type="aws.sqs.queue"), {
        "node_id": "fn",
        "path": "/document/nodes/5/id",
    }


def parent_cycle(doc):
    with_node(doc, id="a", type="aws.ec2.subnet", parent="b", props={"cidr_block": "10.0.2.0/24"})
    with_node(doc, id="b", type="aws.ec2.subnet", parent="a", props={"cidr_block": "10.0.3.0/24"})
    return doc, {"node_id": "a", "path": "/document/nodes/5/parent"}


@pytest.mark.parametrize("breakage", [bad_edge, unknown_prop, duplicate_id, parent_cycle])
def test_invalid_document_is_refused_naming_the_fault_and_nothing_is_stored(
    world, owner_client, breakage
):
    document, expected = breakage(sample_document())
    response = owner_client.put(url(world.architecture), {"document": document})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert any(expected.items() <= error.items() for error in errors), errors
    stored = Architecture.objects.get(pk=world.architecture.pk)
    assert stored.document == sample_document()
    assert stored.revision == 1


def test_get_returns_the_document_with_its_revision_as_etag(world, owner_client):
    response = owner_client.get(url(world.architecture))
    assert response.status_code == 200
    assert response["ETag"] == '"1"'
    body = response.json()
    assert body["revision"] == 1
    assert body["document"] == sample_document()
    assert body["name"] == "orders"


def _renamed(name: str) -> dict:
    document = sample_document()
    document["nodes"][0]["name"] = name
    return document


def test_put_with_current_etag_replaces_and_bumps_the_revision(world, owner_client):
    response = owner_client.put(
        url(world.architecture), {"document": _renamed("New API")}, HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 200
    assert response["ETag"] == '"2"'
    stored = Architecture.objects.get(pk=world.architecture.pk)
    assert stored.document["nodes"][0]["name"] == "New API"
    change = Change.objects.get(architecture=stored, revision=2)
    assert (change.kind, change.user) == ("replace", world.owner)


@pytest.mark.parametrize(
    ("guard", "status"),
    [({"HTTP_IF_MATCH": '"0"'}, 412), ({"HTTP_IF_MATCH": 'W/"7"'}, 412), ({}, 409)],
)
def test_stale_write_is_refused_and_keeps_the_other_writer_s_change(
    world, owner_client, guard, status
):
    assert (
        owner_client.put(url(world.architecture), {"document": _renamed("First")}).status_code
        == 200
    )
    body = {"document": _renamed("Second")}
    if not guard:
        body["revision"] = 1
    response = owner_client.put(url(world.architecture), body, **guard)
    assert response.status_code == status
    assert response.json()["revision"] == 2
    stored = Architecture.objects.get(pk=world.architecture.pk)
    assert stored.document["nodes"][0]["name"] == "First"


def test_if_match_that_is_not_an_etag_is_a_failed_precondition(world, owner_client):
    response = owner_client.put(
        url(world.architecture), {"document": sample_document()}, HTTP_IF_MATCH="yesterday"
    )
    assert response.status_code == 412


def test_create_from_template_and_unknown_template(world, owner_client):
    from codegen.templates import list_templates

    template = list_templates()[0]["id"]
    base = f"/api/projects/{world.project.pk}/architectures/"
    created = owner_client.post(base, {"name": "starter", "template": template})
    assert created.status_code == 201
    assert created.json()["document"]["nodes"]
    refused = owner_client.post(base, {"name": "x", "template": "no-such-thing"})
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["path"] == "/template"


def test_create_without_document_starts_empty(world, owner_client):
    response = owner_client.post(
        f"/api/projects/{world.project.pk}/architectures/", {"name": "blank"}
    )
    assert response.status_code == 201
    assert response.json()["document"]["nodes"] == []


def test_changes_since_a_revision(world, owner_client):
    owner_client.put(url(world.architecture), {"document": _renamed("A")})
    owner_client.patch(url(world.architecture), {"name": "orders-v2"})
    response = owner_client.get(url(world.architecture, "changes/?since=1"))
    assert [(c["revision"], c["kind"]) for c in response.json()["results"]] == [
        (2, "replace"),
        (3, "rename"),
    ]
    assert response.json()["results"][0]["user"]["username"] == "olivia"


def test_list_is_paginated_and_searchable(world, owner_client):
    base = f"/api/projects/{world.project.pk}/architectures/"
    for name in ("billing", "payments"):
        owner_client.post(base, {"name": name})
    page = owner_client.get(base + "?page_size=2&ordering=name").json()
    assert page["count"] == 3
    assert [a["name"] for a in page["results"]] == ["billing", "orders"]
    found = owner_client.get(base + "?search=pay").json()
    assert [a["name"] for a in found["results"]] == ["payments"]


def test_replace_broadcasts_a_snapshot_after_commit(
    world, owner_client, django_capture_on_commit_callbacks
):
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(architecture_group(world.architecture.pk), channel)
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.put(url(world.architecture), {"document": _renamed("Live")})
    message = async_to_sync(layer.receive)(channel)
    assert message["type"] == "room.event"
    event = message["event"]
    assert (event["type"], event["revision"], event["by"]["username"]) == ("snapshot", 2, "olivia")
    assert event["document"]["nodes"][0]["name"] == "Live"


def test_the_resource_name_prefix_is_fixed_when_the_architecture_is_created(world, owner_client):
    base = f"/api/projects/{world.project.pk}/architectures/"
    created = owner_client.post(base, {"name": "Payments Service!"}).json()
    assert created["document"]["metadata"] == {"name_prefix": "payments-service"}
    architecture = Architecture.objects.get(pk=created["id"])
    owner_client.patch(url(architecture), {"name": "Billing"})
    without_metadata = {**created["document"], "name": "Billing"}
    del without_metadata["metadata"]
    replaced = owner_client.put(url(architecture), {"document": without_metadata})
    assert replaced.status_code == 200
    assert replaced.json()["document"]["metadata"] == {"name_prefix": "payments-service"}
    files = owner_client.get(url(architecture, "code/?target=terraform")).json()
    assert "payments-service" in json.dumps(files)


def test_preview_answers_text_files_and_lists_the_binary_ones(owner_client):
    response = owner_client.post(
        "/api/preview/", {"document": sample_document(), "target": "terraform"}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["target"] == "terraform"
    assert "fn.zip" not in " ".join(body["files"])
    assert body["files"]["functions/fn/index.py"].startswith("import json")
    # JSON cannot carry the function's zip: its size says it is in the repository.
    assert set(body["binary_files"]) == {"functions/fn.zip"}
    assert body["binary_files"]["functions/fn.zip"] > 0


def test_preview_of_an_invalid_document_is_a_400_naming_the_node(owner_client):
    document = sample_document()
    document["nodes"][1]["props"] = {"timeout_s": 0}
    response = owner_client.post(
        "/api/preview/", {"document": document, "target": "terraform"}, format="json"
    )
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["node_id"] == "fn"
    assert error["path"].startswith("/document/nodes/1/props/timeout_s")


def test_a_post_without_the_trailing_slash_is_redirected_keeping_method_and_body(owner_client):
    """A 301 made clients that follow redirects re-send the POST as a GET of the list,
    which answered 200: the caller took the project for created."""
    response = owner_client.post("/api/projects", {"name": "infra"}, format="json")
    assert response.status_code == 308
    assert response["Location"] == "/api/projects/"


@pytest.mark.parametrize("path", ["/api/nothing-here/", "/api/architectures/abc/"])
def test_an_api_path_that_names_nothing_is_a_json_404(owner_client, path):
    response = owner_client.get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": f"No API endpoint at {path}."}
