"""Sign-up, sign-in with CSRF, API tokens, projects and members."""

from __future__ import annotations

from rest_framework.test import APIClient

from builder.documents import actions
from builder.documents.models import ApiToken, Membership


def test_signup_then_me_then_logout(db):
    client = APIClient()
    created = client.post(
        "/api/auth/signup/", {"username": "ada", "password": "correct-horse-battery"}
    )
    assert created.status_code == 201
    assert client.get("/api/auth/me/").json()["username"] == "ada"
    client.post("/api/auth/logout/")
    assert client.get("/api/auth/me/").status_code == 401


def test_signup_refuses_weak_password_and_taken_name(world):
    client = APIClient()
    weak = client.post("/api/auth/signup/", {"username": "bob", "password": "123"})
    assert weak.status_code == 400
    assert weak.json()["errors"][0]["path"] == "/password"
    taken = client.post("/api/auth/signup/", {"username": "OLIVIA", "password": "x-long-pass-9"})
    assert taken.json()["errors"][0]["path"] == "/username"


def test_session_writes_need_the_csrf_token(world):
    client = APIClient(enforce_csrf_checks=True)
    login = client.post(
        "/api/auth/login/", {"username": "olivia", "password": "a-long-passphrase-9"}
    )
    assert login.status_code == 403  # no CSRF cookie yet
    token = client.get("/api/auth/csrf/").json()["csrf_token"]
    login = client.post(
        "/api/auth/login/",
        {"username": "olivia", "password": "a-long-passphrase-9"},
        HTTP_X_CSRFTOKEN=token,
    )
    assert login.status_code == 200
    token = client.cookies["csrftoken"].value
    assert client.post("/api/projects/", {"name": "P"}).status_code == 403
    assert client.post("/api/projects/", {"name": "P"}, HTTP_X_CSRFTOKEN=token).status_code == 201


def test_wrong_password_is_400(db):
    response = APIClient().post("/api/auth/login/", {"username": "x", "password": "y"})
    assert response.status_code == 400


def test_token_key_is_shown_once_and_authenticates_until_revoked(world, owner_client):
    created = owner_client.post("/api/tokens/", {"name": "ci"}).json()
    key = created["key"]
    assert key.startswith(created["prefix"])
    assert "key" not in owner_client.get("/api/tokens/").json()["results"][0]
    assert key not in str(ApiToken.objects.values_list())
    integration = APIClient(HTTP_AUTHORIZATION=f"Token {key}")
    projects = integration.get("/api/projects/").json()["results"]
    assert [p["name"] for p in projects] == ["Shop"]
    # Token-authenticated writes need no CSRF token.
    created_project = integration.post("/api/projects/", {"name": "CI"})
    assert created_project.status_code == 201
    assert created_project.json()["role"] == "owner"
    assert owner_client.delete(f"/api/tokens/{created['id']}/").status_code == 204
    assert integration.get("/api/projects/").status_code == 401


def test_another_users_token_cannot_be_revoked(world):
    token, _ = actions.create_token(world.editor, "mine")
    assert world.client("owner").delete(f"/api/tokens/{token.pk}/").status_code == 404


def test_malformed_token_header_is_401(world):
    assert APIClient(HTTP_AUTHORIZATION="Token").get("/api/projects/").status_code == 401
    assert APIClient(HTTP_AUTHORIZATION="Token nope").get("/api/projects/").status_code == 401


def test_projects_list_only_membership_and_role(world):
    actions.create_project(world.stranger, "Secret")
    listed = world.client("viewer").get("/api/projects/").json()["results"]
    assert [(p["name"], p["role"]) for p in listed] == [("Shop", "viewer")]


def test_owner_manages_members_but_keeps_one_owner(world, owner_client):
    base = f"/api/projects/{world.project.pk}/members/"
    added = owner_client.post(base, {"user_id": world.newcomer.pk, "role": "editor"})
    assert added.json()["username"] == "nina"
    again = owner_client.post(base, {"username": "nina", "role": "viewer"})
    assert again.status_code == 400
    assert owner_client.post(base, {"username": "ghost", "role": "viewer"}).status_code == 400
    demote = owner_client.patch(f"{base}{world.owner.pk}/", {"role": "viewer"})
    assert demote.status_code == 400
    assert "owner" in demote.json()["errors"][0]["message"]
    assert owner_client.delete(f"{base}{world.owner.pk}/").status_code == 400
    owner_client.patch(f"{base}{world.editor.pk}/", {"role": "owner"})
    assert owner_client.delete(f"{base}{world.owner.pk}/").status_code == 204
    assert not Membership.objects.filter(project=world.project, user=world.owner).exists()


def test_a_member_may_leave(world):
    response = world.client("viewer").delete(
        f"/api/projects/{world.project.pk}/members/{world.viewer.pk}/"
    )
    assert response.status_code == 204


def test_validate_reports_every_error_without_storing(world, owner_client):
    response = owner_client.post("/api/validate/", {"document": {"format": "v0", "nodes": 3}})
    body = response.json()
    assert response.status_code == 200
    assert body["valid"] is False
    assert {e["path"] for e in body["errors"]} >= {"/format", "/nodes"}


def test_catalog_serves_component_schemas():
    body = APIClient().get("/api/catalog/").json()
    assert "aws.lambda.function" in str(body)
