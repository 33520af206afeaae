"""Where the canvas puts things, what it calls them, and what it says when it refuses."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from codegen.templates import TEMPLATE_IDS
from tests.browser.conftest import unique
from tests.browser.steps import (
    LAMBDA,
    create_blank_architecture,
    create_project,
    drag_onto_canvas,
    node,
    open_panel,
    sign_up,
)

pytestmark = pytest.mark.browser

VPC = "aws.ec2.vpc"
SUBNET = "aws.ec2.subnet"

# Resolves once the viewport has not moved for 600 ms (fitView animates for 300 ms).
VIEWPORT_SETTLED = """() => {
  const t = document.querySelector('.react-flow__viewport').style.transform;
  const now = performance.now();
  if (window.__viewport !== t) { window.__viewport = t; window.__since = now; return false; }
  return now - window.__since > 600;
}"""


def overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def inside(inner: dict, outer: dict) -> bool:
    return (
        inner["x"] >= outer["x"]
        and inner["y"] >= outer["y"]
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"]
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"]
    )


def on_canvas(page, type_name: str):
    """The canvas nodes of a type (React Flow's wrappers, which hold the position)."""
    return page.locator(f".react-flow__node:has([data-type='{type_name}'])")


def boxes(page, type_name: str) -> list[dict]:
    return [n.bounding_box() for n in on_canvas(page, type_name).all()]


def test_clicked_components_get_room_and_undo_follows_the_edits(new_page):
    page = new_page()
    sign_up(page, unique("cleo"))
    create_project(page, "Canvas")
    templates = page.get_by_test_id("template")
    expect(templates).to_have_count(len(TEMPLATE_IDS))  # loads after the page: wait
    titles = [h.bounding_box()["y"] for h in templates.locator("h4").all()]
    assert len(titles) > 1 and max(titles) - min(titles) < 1, titles

    create_blank_architecture(page, "Clicks")
    undo = page.get_by_role("button", name="Undo", exact=True)
    redo = page.get_by_role("button", name="Redo", exact=True)
    expect(undo).to_be_disabled()
    expect(redo).to_be_disabled()

    for count in (1, 2, 3):
        page.locator(f".palette-item[data-type='{LAMBDA}']").click()
        expect(on_canvas(page, LAMBDA)).to_have_count(count)
    placed = boxes(page, LAMBDA)
    for i, a in enumerate(placed):
        for b in placed[i + 1 :]:
            assert not overlap(a, b), placed
    expect(undo).to_be_enabled()
    expect(redo).to_be_disabled()
    undo.click()
    expect(on_canvas(page, LAMBDA)).to_have_count(2)
    expect(redo).to_be_enabled()

    before = page.locator(".react-flow__node").first.get_attribute("style")
    page.get_by_role("button", name="Auto-layout").click()
    page.wait_for_function(
        "before => document.querySelector('.react-flow__node').getAttribute('style') !== before",
        arg=before,
    )
    page.wait_for_function(VIEWPORT_SETTLED, polling=100)
    transform = page.locator(".react-flow__viewport").get_attribute("style")
    assert float(re.search(r"scale\(([\d.]+)\)", transform).group(1)) <= 1, transform
    minimap = page.locator(".react-flow__minimap").bounding_box()
    assert not any(overlap(b, minimap) for b in boxes(page, LAMBDA)), (boxes(page, LAMBDA), minimap)


def test_containers_grow_copies_are_numbered_and_refusals_name_components(new_page):
    page = new_page()
    sign_up(page, unique("nico"))
    create_project(page, "Network")
    create_blank_architecture(page, "Network")
    drag_onto_canvas(page, VPC, 120, 100)
    expect(node(page, VPC)).to_be_visible()
    # The 640 x 420 VPC ends at about (740, 500): the subnet hangs out past both edges.
    drag_onto_canvas(page, SUBNET, 700, 460)
    expect(node(page, SUBNET)).to_be_visible()
    vpc, subnet = on_canvas(page, VPC), on_canvas(page, SUBNET)
    vpc_box, subnet_box = vpc.bounding_box(), subnet.bounding_box()
    assert inside(subnet_box, vpc_box), (subnet_box, vpc_box)

    page.keyboard.press("Control+d")
    expect(subnet).to_have_count(2)
    page.keyboard.press("Control+d")
    expect(subnet).to_have_count(3)
    expect(page.locator(".container-name")).to_have_text(["VPC", "Subnet", "Subnet 2", "Subnet 3"])
    vpc_box = vpc.bounding_box()
    for box in boxes(page, SUBNET):
        assert inside(box, vpc_box), (box, vpc_box)

    first_range = node(page, SUBNET).locator(".container-cidr").inner_text()
    open_panel(page, "Properties")
    cidr = page.get_by_label("CIDR block")
    cidr.fill(first_range)
    cidr.press("Enter")
    notice = page.get_by_test_id("notice-error")
    expect(notice.locator(".notice-body")).to_have_text(
        f"Changing “Subnet 3” was refused: {first_range} overlaps subnet “Subnet” ({first_range})"
    )
    expect(notice.locator("li")).to_have_count(0)
