"""Every endpoint against every kind of user: owner, editor, viewer, stranger, anonymous.

Strangers get 404 for anything inside a project (its existence never leaks), members
whose role is too low get 403, anonymous callers get 401.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from builder.documents import actions, jobs
from builder.documents.models import ROLE_RANK, Job, JobState, Role
from tests.documents.conftest import ROLES, World, sample_document

PUBLIC, USER = "public", "user"


@dataclass(frozen=True)
class Endpoint:
    method: str
    url: str
    needs: str  # PUBLIC, USER (any signed-in user) or a Role value
    ok: int
    body: Any = None

    def __str__(self) -> str:
        return f"{self.method} {self.url}"


def _body_for(endpoint: Endpoint, world: World, role: str) -> Any:
    if callable(endpoint.body):
        return endpoint.body(world, role)
    return endpoint.body


ENDPOINTS = [
    Endpoint("get", "/api/catalog/", PUBLIC, 200),
    Endpoint("get", "/api/templates/", PUBLIC, 200),
    Endpoint("get", "/api/auth/csrf/", PUBLIC, 200),
    Endpoint(
        "post",
        "/api/auth/signup/",
        PUBLIC,
        201,
        lambda w, role: {"username": f"new-{role}", "password": "a-long-passphrase-9"},
    ),
    Endpoint(
        "post",
        "/api/auth/login/",
        PUBLIC,
        200,
        {"username": "olivia", "password": "a-long-passphrase-9"},
    ),
    Endpoint("post", "/api/auth/logout/", PUBLIC, 204),
    Endpoint("get", "/api/auth/me/", USER, 200),
    Endpoint("get", "/api/tokens/", USER, 200),
    Endpoint("post", "/api/tokens/", USER, 201, {"name": "ci"}),
    Endpoint("delete", "/api/tokens/{token}/", USER, 204),
    Endpoint("get", "/api/projects/", USER, 200),
    Endpoint("post", "/api/projects/", USER, 201, {"name": "Another"}),
    Endpoint("get", "/api/jobs/", USER, 200),
    Endpoint("post", "/api/validate/", USER, 200, {"document": sample_document()}),
    Endpoint("post", "/api/preview/", USER, 200, {"document": sample_document()}),
    Endpoint("get", "/api/projects/{project}/", Role.VIEWER, 200),
    Endpoint("patch", "/api/projects/{project}/", Role.OWNER, 200, {"name": "Renamed"}),
    Endpoint("put", "/api/projects/{project}/", Role.OWNER, 200, {"name": "R", "description": ""}),
    Endpoint("delete", "/api/projects/{project}/", Role.OWNER, 204),
    Endpoint("get", "/api/projects/{project}/members/", Role.VIEWER, 200),
    Endpoint(
        "post",
        "/api/projects/{project}/members/",
        Role.OWNER,
        201,
        {"username": "nina", "role": "viewer"},
    ),
    Endpoint(
        "patch", "/api/projects/{project}/members/{colleague}/", Role.OWNER, 200, {"role": "editor"}
    ),
    Endpoint("delete", "/api/projects/{project}/members/{colleague}/", Role.OWNER, 204),
    Endpoint("get", "/api/projects/{project}/architectures/", Role.VIEWER, 200),
    Endpoint(
        "post", "/api/projects/{project}/architectures/", Role.EDITOR, 201, {"name": "billing"}
    ),
    Endpoint("get", "/api/architectures/{architecture}/", Role.VIEWER, 200),
    Endpoint(
        "put",
        "/api/architectures/{architecture}/",
        Role.EDITOR,
        200,
        {"document": sample_document()},
    ),
    Endpoint("patch", "/api/architectures/{architecture}/", Role.EDITOR, 200, {"name": "orders2"}),
    Endpoint("delete", "/api/architectures/{architecture}/", Role.OWNER, 204),
    Endpoint("get", "/api/architectures/{architecture}/changes/", Role.VIEWER, 200),
    Endpoint("get", "/api/architectures/{architecture}/versions/", Role.VIEWER, 200),
    Endpoint(
        "post", "/api/architectures/{architecture}/versions/", Role.EDITOR, 201, {"name": "v2"}
    ),
    Endpoint("get", "/api/architectures/{architecture}/versions/{version}/", Role.VIEWER, 200),
    Endpoint(
        "post", "/api/architectures/{architecture}/versions/{version}/restore/", Role.EDITOR, 200
    ),
    Endpoint("get", "/api/architectures/{architecture}/diff/?from={version}", Role.VIEWER, 200),
    Endpoint("get", "/api/architectures/{architecture}/code/?target=terraform", Role.VIEWER, 200),
    Endpoint("post", "/api/architectures/{architecture}/exports/", Role.VIEWER, 202, {}),
    Endpoint(
        "post",
        "/api/architectures/{architecture}/git-push/",
        Role.EDITOR,
        202,
        {"remote_url": "https://git.example.com/shop/infra.git"},
    ),
    Endpoint("get", "/api/jobs/{job}/", Role.VIEWER, 200),
    Endpoint("get", "/api/jobs/{job}/download/", Role.VIEWER, 200),
]


def expected_status(endpoint: Endpoint, world: World, role: str) -> int:
    if endpoint.needs == PUBLIC:
        return endpoint.ok
    if role == "anonymous":
        return 401
    if endpoint.needs == USER:
        return endpoint.ok
    if role == "stranger":
        return 404
    return endpoint.ok if ROLE_RANK[Role(role)] >= ROLE_RANK[endpoint.needs] else 403


@pytest.fixture
def ids(world: World, role: str) -> dict[str, int]:
    """The objects the URLs name: a token of the caller, a version, a finished export."""
    user = world.user(role)
    token, _key = actions.create_token(user or world.owner, "laptop")
    version = actions.save_version(world.owner, world.architecture, "v1")
    job = jobs.start_job(world.owner, "export", world.architecture, {"target": "terraform"})
    path = Path(settings.JOB_FILES_DIR) / f"test-{job.pk}" / "orders.zip"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"PK\x05\x06" + bytes(18))
    Job.objects.filter(pk=job.pk).update(
        state=JobState.SUCCEEDED, result_file=str(path.relative_to(settings.JOB_FILES_DIR))
    )
    return {
        "project": world.project.pk,
        "architecture": world.architecture.pk,
        "colleague": world.colleague.pk,
        "version": version.pk,
        "token": token.pk,
        "job": job.pk,
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_permission_matrix(world: World, ids, role: str, endpoint: Endpoint):
    client = world.client(role)
    url = endpoint.url.format(**ids)
    response = getattr(client, endpoint.method)(
        url, _body_for(endpoint, world, role), format="json"
    )
    assert response.status_code == expected_status(endpoint, world, role), response.content


def test_every_api_route_is_in_the_matrix():
    from django.urls import get_resolver

    resolver = get_resolver()
    covered = {e.url.split("?")[0] for e in ENDPOINTS}
    normalised = {
        "/api/" + "/".join("X" if "{" in p else p for p in url.strip("/").split("/")[1:]) + "/"
        for url in covered
    }
    api = next(p for p in resolver.url_patterns if str(p.pattern) == "api/")
    for pattern in api.url_patterns:
        route = "/api/" + str(pattern.pattern).replace("<int:", "X<").strip("/")
        route = "/".join("X" if part.startswith("X<") else part for part in route.split("/"))
        assert route.rstrip("/") + "/" in normalised, f"{route} has no row in the matrix"
