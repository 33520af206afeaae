"""The shared document generators produce what they promise: valid documents."""

import pytest
from hypothesis import HealthCheck, given, settings

from bench.docgen import make_document
from builder.catalog import get_catalog, validate_document
from codegen import resolve
from tests.fixtures import every_pair_document, hostile_document, load_fixture
from tests.strategies import HOSTILE_LABEL, documents, valid_documents_without_warnings

# Drawing a document takes many draws; the default health check flags that as slow.
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(documents())
def test_every_drawn_document_is_valid_and_resolves(doc):
    assert [str(e) for e in validate_document(doc)] == []
    resolve(doc)


@PROPERTY
@given(valid_documents_without_warnings())
def test_documents_drawn_without_warnings_resolve_without_warnings(doc):
    assert [str(e) for e in validate_document(doc)] == []
    assert resolve(doc).warnings == []


def test_the_hostile_label_holds_every_delimiter_at_the_longest_allowed_length():
    assert len(HOSTILE_LABEL) == 128
    for fragment in ('"', "${x}", "%{", "\n", "🚀", "\\"):
        assert fragment in HOSTILE_LABEL


def test_every_pair_document_has_every_pair_and_access_level_and_no_warnings():
    catalog = get_catalog()
    doc = every_pair_document()
    types = {n["id"]: n["type"] for n in doc["nodes"]}
    covered = {(types[e["source"]], types[e["target"]], e.get("access")) for e in doc["edges"]}
    expected = {
        (source, target, access)
        for (source, target), rule in catalog.pairs.items()
        for access in (catalog.types[target].access_levels() if rule.access else (None,))
    }
    assert expected <= covered
    assert validate_document(doc) == []
    assert resolve(doc).warnings == []


@pytest.mark.parametrize("doc", [hostile_document(), load_fixture("minimal")])
def test_the_fixture_documents_are_valid(doc):
    assert validate_document(doc) == []


@pytest.mark.parametrize("n_nodes", [1, 7, 100, 1000])
def test_docgen_makes_a_valid_document_of_exactly_n_nodes_without_warnings(n_nodes):
    doc = make_document(n_nodes, seed=n_nodes)
    assert len(doc["nodes"]) == n_nodes
    assert [str(e) for e in validate_document(doc)] == []
    assert resolve(doc).warnings == []


def test_docgen_is_deterministic_per_seed_and_varies_between_seeds():
    assert make_document(200, seed=1) == make_document(200, seed=1)
    assert make_document(200, seed=1) != make_document(200, seed=2)


def test_docgen_documents_have_about_one_edge_per_node_over_many_kinds():
    catalog = get_catalog()
    doc = make_document(1000)
    types = {n["id"]: n["type"] for n in doc["nodes"]}
    kinds = {catalog.rule_for(types[e["source"]], types[e["target"]]).kind for e in doc["edges"]}
    assert 0.8 <= len(doc["edges"]) / len(doc["nodes"]) <= 1.3
    assert len(kinds) >= 15
