"""The designer's path through the product, in a real headless Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import unique
from tests.browser.steps import (
    API,
    LAMBDA,
    TABLE,
    connect,
    create_blank_architecture,
    create_project,
    drag_onto_canvas,
    edges,
    node,
    open_panel,
    sign_up,
)

pytestmark = pytest.mark.browser


def draw_serverless_api(page) -> None:
    drag_onto_canvas(page, API, 160, 260)
    drag_onto_canvas(page, LAMBDA, 460, 260)
    drag_onto_canvas(page, TABLE, 760, 260)
    for type_name in (API, LAMBDA, TABLE):
        expect(node(page, type_name)).to_be_visible()
    connect(page, API, LAMBDA)
    connect(page, LAMBDA, TABLE)
    expect(edges(page)).to_have_count(2)


def expect_function_zips_listed_with_their_size(page) -> None:
    """The Terraform repository's function zips (binary, so not in the preview's text
    files) are listed with their size, and selecting one says why it is not shown."""
    architecture_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    response = page.request.get(f"/api/architectures/{architecture_id}/code/?target=terraform")
    assert response.ok, response.text()
    zips = response.json()["binary_files"]
    assert zips and all(p.startswith("functions/") and p.endswith(".zip") for p in zips), zips
    for path, size in zips.items():
        entry = page.locator(".file-list .file", has_text=path)
        assert size < 1024  # a handler's zip; files.test.ts covers the KB and MB forms
        expect(entry.locator(".file-size")).to_have_text(f"{size} bytes")
        entry.click()
        note = page.get_by_test_id("binary-note")
        expect(note).to_contain_text(f"{path} is a binary file ({size} bytes)")
        expect(note).to_contain_text("The downloaded .zip and the git push include it.")
        expect(page.get_by_test_id("code")).to_have_count(0)


def test_design_configure_generate_save_and_reload(new_page):
    page = new_page()
    sign_up(page, unique("dana"))
    create_project(page, "Orders")
    create_blank_architecture(page, "Orders service")
    draw_serverless_api(page)

    node(page, LAMBDA).click()
    memory = page.get_by_label("Memory MB")
    memory.fill("1024")
    memory.press("Enter")
    expect(page.get_by_test_id("connection-status")).to_contain_text("saved")

    open_panel(page, "Code")
    code = page.get_by_test_id("code")
    expect(code).to_be_visible()
    found = False
    for file_button in page.locator(".file-list .file:not(.binary)").all():
        file_button.click()
        if "dynamodb:PutItem" in code.inner_text():
            found = True
            break
    assert found, "no generated Terraform file grants the Lambda dynamodb:PutItem"
    expect(code).to_contain_text("aws_iam")
    expect_function_zips_listed_with_their_size(page)

    open_panel(page, "Versions")
    page.get_by_label("Version message").fill("API, function and table")
    page.get_by_role("button", name="Save version").click()
    expect(page.get_by_test_id("version")).to_have_count(1)

    page.reload()
    for type_name in (API, LAMBDA, TABLE):
        expect(node(page, type_name)).to_be_visible()
    expect(edges(page)).to_have_count(2)
    node(page, LAMBDA).click()
    open_panel(page, "Properties")
    expect(page.get_by_label("Memory MB")).to_have_value("1024")
    open_panel(page, "Versions")
    expect(page.get_by_test_id("version")).to_contain_text("API, function and table")


def test_a_second_person_sees_edits_live(new_page):
    owner, guest = new_page(), new_page()
    guest_name = unique("gil")
    sign_up(guest, guest_name)
    sign_up(owner, unique("olga"))
    create_project(owner, "Shared")
    owner.get_by_role("button", name="Members").click()
    owner.get_by_label("Username").fill(guest_name)
    owner.get_by_role("button", name="Add member").click()
    expect(owner.get_by_role("cell", name=guest_name)).to_be_visible()
    owner.get_by_role("button", name="Architectures").click()
    create_blank_architecture(owner, "Live board")

    guest.goto(owner.url)
    expect(guest.get_by_test_id("connection-status")).to_contain_text("Live")
    expect(owner.get_by_test_id("avatars").locator(".avatar")).to_have_count(1)

    drag_onto_canvas(owner, LAMBDA, 300, 200)
    expect(node(guest, LAMBDA)).to_be_visible()
    drag_onto_canvas(owner, TABLE, 600, 200)
    connect(owner, LAMBDA, TABLE)
    expect(edges(guest)).to_have_count(1)

    node(owner, LAMBDA).click()
    name = owner.get_by_label("Name")
    name.fill("Checkout handler")
    name.press("Enter")
    expect(node(guest, LAMBDA)).to_contain_text("Checkout handler")


def test_a_refused_connection_says_what_the_source_accepts(new_page):
    page = new_page()
    sign_up(page, unique("rae"))
    create_project(page, "Rules")
    create_blank_architecture(page, "Refusals")
    drag_onto_canvas(page, TABLE, 200, 240)
    drag_onto_canvas(page, API, 560, 240)
    connect(page, TABLE, API)
    notice = page.get_by_test_id("notice-error")
    expect(notice).to_contain_text("DynamoDB table cannot connect to API Gateway REST API")
    expect(notice).to_contain_text(re.compile(r"It accepts: .*Lambda function"))
    expect(edges(page)).to_have_count(0)
