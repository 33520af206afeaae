import re

import pytest

from builder.catalog import get_catalog, validate_document
from codegen import resolve
from codegen.templates import TEMPLATE_IDS, get_template, list_templates

SERVICE_SIZE = {"width": 190, "height": 64}  # how the canvas draws a non-container node


def test_the_list_names_every_template_with_its_node_count():
    listed = list_templates()
    assert [t["id"] for t in listed] == ["serverless-crud", "container-platform", "event-pipeline"]
    for summary in listed:
        doc = get_template(summary["id"])
        assert summary == {
            "id": summary["id"],
            "name": doc["name"],
            "description": doc["description"],
            "node_count": len(doc["nodes"]),
        }


def test_get_template_returns_a_copy_the_caller_may_change():
    doc = get_template("serverless-crud")
    doc["nodes"][0]["props"]["mfa"] = "ON"
    doc["nodes"].clear()
    assert get_template("serverless-crud")["nodes"][0]["props"] == {}


def test_an_unknown_template_is_a_key_error():
    with pytest.raises(KeyError):
        get_template("kubernetes")


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_a_template_is_valid_and_resolves_without_warnings(template_id):
    doc = get_template(template_id)
    assert validate_document(doc) == []
    assert resolve(doc).warnings == []


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_a_template_has_readable_labels_and_snake_case_ids(template_id):
    doc = get_template(template_id)
    for node in doc["nodes"]:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", node["id"]), node["id"]
        assert node["name"].strip(), node["id"]


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_a_template_lays_children_out_inside_their_container(template_id):
    doc = get_template(template_id)
    catalog = get_catalog()
    by_id = {n["id"]: n for n in doc["nodes"]}
    for node in doc["nodes"]:
        container = catalog.types[node["type"]].container
        assert ("size" in node) == container, node["id"]
        if node.get("parent") is None:
            continue
        parent = by_id[node["parent"]]
        size = node.get("size", SERVICE_SIZE)
        # Positions of children are relative to the container's corner.
        x, y = node["position"]["x"], node["position"]["y"]
        assert x >= 0 and x + size["width"] <= parent["size"]["width"], node["id"]
        assert y >= 0 and y + size["height"] <= parent["size"]["height"], node["id"]


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_top_level_nodes_of_a_template_do_not_overlap(template_id):
    doc = get_template(template_id)
    boxes = [
        (n["position"]["x"], n["position"]["y"], n.get("size", SERVICE_SIZE))
        for n in doc["nodes"]
        if n.get("parent") is None
    ]
    for index, (x, y, size) in enumerate(boxes):
        for ox, oy, other in boxes[index + 1 :]:
            apart = (
                x + size["width"] <= ox
                or ox + other["width"] <= x
                or y + size["height"] <= oy
                or oy + other["height"] <= y
            )
            assert apart, (x, y, ox, oy)
