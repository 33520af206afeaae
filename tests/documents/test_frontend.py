"""Every non-API path serves the single-page app (or says how to build it)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("path", ["/", "/projects/3/architectures/7", "/login"])
def test_client_side_routes_get_the_app_page(client, settings, tmp_path, path):
    settings.FRONTEND_DIST = tmp_path
    (tmp_path / "index.html").write_text("<div id=root></div>")
    response = client.get(path)
    assert response.status_code == 200
    assert response.content == b"<div id=root></div>"


def test_without_a_build_the_page_says_how_to_make_one(client, settings, tmp_path):
    settings.FRONTEND_DIST = tmp_path / "missing"
    assert b"make start" in client.get("/").content


def test_unknown_api_path_is_a_json_404_not_the_app(client):
    response = client.get("/api/nothing-here/")
    assert response.status_code == 404
    assert b"root" not in response.content
