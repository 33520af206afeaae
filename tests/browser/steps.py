"""What a person does in the browser, as small steps the tests read like sentences."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import PASSWORD

LAMBDA = "aws.lambda.function"
API = "aws.apigateway.rest_api"
TABLE = "aws.dynamodb.table"


def sign_up(page: Page, username: str) -> None:
    page.goto("/signup")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Projects", exact=True)).to_be_visible()


def sign_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Projects", exact=True)).to_be_visible()


def create_project(page: Page, name: str) -> None:
    page.get_by_label("Project name").fill(name)
    page.get_by_role("button", name="Create project").click()
    expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible()


def create_blank_architecture(page: Page, name: str) -> None:
    page.get_by_label("Architecture name").fill(name)
    page.get_by_role("button", name="New blank architecture").click()
    expect(page.get_by_test_id("architecture-name")).to_have_text(name)
    expect(page.get_by_test_id("connection-status")).to_contain_text("Live")


def drag_onto_canvas(page: Page, type_name: str, x: float, y: float) -> None:
    """Drag a palette entry to (x, y) in pixels from the canvas's top-left corner."""
    page.drag_and_drop(
        f".palette-item[data-type='{type_name}']",
        ".react-flow__pane",
        target_position={"x": x, "y": y},
    )


def node(page: Page, type_name: str, nth: int = 0):
    return page.locator(f".react-flow__node [data-type='{type_name}']").nth(nth)


def connect(page: Page, source_type: str, target_type: str) -> None:
    """Draw a connection from the source's right handle onto the target's body."""
    handle = page.locator(
        f".react-flow__node:has([data-type='{source_type}']) .react-flow__handle.source"
    ).first
    box = handle.bounding_box()
    target = node(page, target_type).bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(target["x"] + 20, target["y"] + target["height"] / 2, steps=12)
    page.mouse.move(target["x"] + target["width"] / 2, target["y"] + target["height"] / 2, steps=6)
    page.mouse.up()


def open_panel(page: Page, name: str) -> None:
    page.locator(".side-tabs").get_by_role("tab", name=name).click()


def edges(page: Page):
    return page.locator(".react-flow__edge")
