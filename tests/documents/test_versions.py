"""Named versions: save, list, get, diff against each other or the working copy, restore."""

from __future__ import annotations

from builder.documents import actions
from builder.documents.models import Architecture, Change
from tests.documents.conftest import sample_document


def edited() -> dict:
    document = sample_document()
    document["nodes"][1]["props"]["memory_mb"] = 1024
    document["nodes"] = [n for n in document["nodes"] if n["id"] != "orders"]
    document["edges"] = [e for e in document["edges"] if e["id"] != "e2"]
    document["nodes"].append(
        {"id": "queue", "type": "aws.sqs.queue", "name": "Jobs", "position": {"x": 1, "y": 1}}
    )
    return document


def test_save_list_and_get_a_version(world, owner_client):
    base = f"/api/architectures/{world.architecture.pk}/versions/"
    saved = owner_client.post(base, {"name": "launch", "message": "first cut"})
    assert saved.status_code == 201
    body = saved.json()
    assert (body["number"], body["revision"], body["author"]["username"]) == (1, 1, "olivia")
    listed = owner_client.get(base).json()["results"]
    assert [v["name"] for v in listed] == ["launch"]
    assert "document" not in listed[0]
    fetched = owner_client.get(f"{base}{body['id']}/").json()
    assert fetched["document"] == sample_document()


def test_a_version_does_not_change_when_the_document_does(world):
    version = actions.save_version(world.owner, world.architecture, "launch")
    actions.replace_document(world.owner, world.architecture, edited())
    version.refresh_from_db()
    assert version.document == sample_document()


def test_diff_version_against_working_copy(world, owner_client):
    version = actions.save_version(world.owner, world.architecture, "launch")
    actions.replace_document(world.owner, world.architecture, edited())
    diff = owner_client.get(
        f"/api/architectures/{world.architecture.pk}/diff/?from={version.pk}&to=working"
    ).json()
    assert [n["id"] for n in diff["nodes"]["added"]] == ["queue"]
    assert [n["id"] for n in diff["nodes"]["removed"]] == ["orders"]
    assert diff["nodes"]["changed"] == [
        {"id": "fn", "changes": {"props": {"memory_mb": {"from": 512, "to": 1024}}}}
    ]
    assert [e["id"] for e in diff["edges"]["removed"]] == ["e2"]


def test_diff_between_two_versions_and_bad_ids(world, owner_client):
    first = actions.save_version(world.owner, world.architecture, "one")
    actions.rename_architecture(world.owner, world.architecture, "renamed")
    second = actions.save_version(world.owner, world.architecture, "two")
    base = f"/api/architectures/{world.architecture.pk}/diff/"
    same = owner_client.get(f"{base}?from={first.pk}&to={second.pk}").json()
    assert same["nodes"] == {"added": [], "removed": [], "changed": []}
    assert owner_client.get(f"{base}?from=999").status_code == 400
    assert owner_client.get(f"{base}?from=abc").json()["errors"][0]["path"] == "/from"


def test_restore_makes_the_version_current_as_a_new_change(world, owner_client):
    version = actions.save_version(world.owner, world.architecture, "launch")
    actions.replace_document(world.owner, world.architecture, edited())
    response = owner_client.post(
        f"/api/architectures/{world.architecture.pk}/versions/{version.pk}/restore/"
    )
    assert response.status_code == 200
    assert response.json()["revision"] == 3
    assert Architecture.objects.get(pk=world.architecture.pk).document == sample_document()
    change = Change.objects.get(architecture=world.architecture, revision=3)
    assert change.kind == "restore"
    assert change.payload["number"] == 1


def test_versions_of_another_architecture_are_not_found(world, owner_client):
    other = actions.create_architecture(world.owner, world.project, "other")
    version = actions.save_version(world.owner, other, "v")
    response = owner_client.get(
        f"/api/architectures/{world.architecture.pk}/versions/{version.pk}/"
    )
    assert response.status_code == 404
