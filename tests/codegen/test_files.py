"""The document file every generated repository carries (codegen/files.py)."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codegen import files
from codegen.files import document_file
from codegen.templates import TEMPLATE_IDS, get_template
from tests.strategies import documents

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=20,
)


def indented(document) -> str:
    """What document_file promises: json's own indented, sorted output."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.text(max_size=8), JSON_VALUES, max_size=6))
def test_any_json_object_is_written_as_json_indents_it(document):
    assert document_file(document) == indented(document)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_a_document_is_written_as_json_indents_it(document):
    assert document_file(document) == indented(document)


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_a_template_is_written_the_same_after_an_edit_when_its_items_are_known(template_id):
    document = get_template(template_id)
    document_file(document)
    edited = {**document, "nodes": [{**document["nodes"][0], "name": "Edited"}, *document["nodes"]]}
    assert document_file(edited) == indented(edited)


def test_items_are_right_when_the_cache_of_item_texts_starts_again(monkeypatch):
    monkeypatch.setattr(files, "_ITEM_TEXTS", {})
    monkeypatch.setattr(files, "_ITEM_TEXTS_MAX", 3)
    document = get_template("container-platform")
    assert document_file(document) == indented(document)
    assert len(files._ITEM_TEXTS) <= 3
    assert document_file(document) == indented(document)
