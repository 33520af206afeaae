"""Every write path that takes a document answers 413 over the limits (docs/api.md):
more than 5,000 nodes, a document over 5 MB, or a body over 5 MB + 64 KB."""

from __future__ import annotations

import json

import pytest
from django.conf import settings

from builder.documents.limits import json_size
from builder.documents.models import Architecture, Job
from tests.documents.conftest import sample_document

# (method, path, the rest of the body): every endpoint whose body holds a document.
WRITE_PATHS = [
    ("post", "/api/projects/{pid}/architectures/", {"name": "big"}),
    ("put", "/api/architectures/{aid}/", {}),
    ("patch", "/api/architectures/{aid}/", {"name": "renamed"}),
    ("post", "/api/validate/", {}),
    ("post", "/api/preview/", {"target": "terraform"}),
    ("post", "/api/estimate/", {}),
    ("post", "/api/estimate/", {"job": True}),
    ("post", "/api/scan/", {}),
]
IDS = [f"{method} {path} {','.join(extra)}".strip() for method, path, extra in WRITE_PATHS]


def too_many_nodes() -> dict:
    document = sample_document()
    document["nodes"] += [
        {"id": f"q{i}", "type": "aws.sqs.queue", "name": f"q{i}", "position": {"x": 0, "y": 0}}
        for i in range(settings.DOCUMENT_MAX_NODES)
    ]
    return document


def too_many_bytes() -> dict:
    """Over the document limit, yet under the body limit: the document check must see it."""
    document = sample_document()
    document["description"] = "x" * settings.DOCUMENT_MAX_BYTES
    return document


def send(world, method: str, path: str, body: dict):
    url = path.format(pid=world.project.pk, aid=world.architecture.pk)
    return getattr(world.client("owner"), method)(
        url, json.dumps(body), content_type="application/json"
    )


def assert_nothing_stored(world) -> None:
    assert Architecture.objects.get(pk=world.architecture.pk).revision == 1
    assert Architecture.objects.filter(project=world.project).count() == 1
    assert not Job.objects.exists()


@pytest.mark.parametrize(("method", "path", "extra"), WRITE_PATHS, ids=IDS)
@pytest.mark.parametrize(
    ("make", "message"), [(too_many_nodes, "5000"), (too_many_bytes, "bytes")], ids=["nodes", "mb"]
)
def test_a_document_over_the_limits_is_413(world, method, path, extra, make, message):
    body = {**extra, "document": make()}
    assert len(json.dumps(body)) < settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = send(world, method, path, body)
    assert response.status_code == 413
    [error] = response.json()["errors"]
    assert error["path"] == "/document"
    assert message in error["message"]
    assert_nothing_stored(world)


@pytest.mark.parametrize(("method", "path", "extra"), WRITE_PATHS, ids=IDS)
def test_a_body_over_the_limit_is_413_before_it_is_read(world, method, path, extra):
    document = sample_document()
    document["description"] = "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = send(world, method, path, {**extra, "document": document})
    assert response.status_code == 413
    message = response.json()["errors"][0]["message"]
    assert message.endswith(f"the limit is {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes")
    assert_nothing_stored(world)


def test_a_document_at_the_limits_is_accepted(world):
    document = sample_document()
    document["nodes"] += [
        {"id": f"q{i}", "type": "aws.sqs.queue", "name": f"q{i}", "position": {"x": 0, "y": 0}}
        for i in range(settings.DOCUMENT_MAX_NODES - len(document["nodes"]))
    ]
    response = send(world, "put", "/api/architectures/{aid}/", {"document": document})
    assert response.status_code == 200, response.content[:300]
    assert len(response.json()["document"]["nodes"]) == settings.DOCUMENT_MAX_NODES


@pytest.mark.parametrize("path", ["/api/validate/", "/api/preview/"])
def test_a_body_under_the_limit_may_hold_a_document_over_it(world, settings, path):
    """The stateless endpoints skip measuring documents from small bodies; text outside
    ASCII is measured escaped (an emoji: 4 bytes of UTF-8, 12 of JSON), so a body under
    the limit is no proof the document is under it."""
    settings.DOCUMENT_MAX_BYTES = 20_000
    document = sample_document()
    document["description"] = "\N{GRINNING FACE}" * 2_000
    body = json.dumps({"document": document}, ensure_ascii=False).encode()
    assert len(body) < settings.DOCUMENT_MAX_BYTES < json_size(document)
    response = world.client("owner").post(path, body, content_type="application/json")
    assert response.status_code == 413
    [error] = response.json()["errors"]
    assert error["path"] == "/document"
    assert f"the limit is {settings.DOCUMENT_MAX_BYTES} bytes" in error["message"]
