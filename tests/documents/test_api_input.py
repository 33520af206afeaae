"""Request bodies no later step could store or send back are refused with a 400 naming
the value: found by the schemathesis run (test_api_fuzz.py), which only reports 5xx.

Bodies are written as raw JSON text: lone surrogates and out-of-range numbers cannot
be produced by encoding Python values.
"""

from __future__ import annotations

import pytest

from builder.documents.models import Architecture, Job
from tests.documents.conftest import sample_document


def send(client, method: str, path: str, raw: str):
    return client.generic(method, path, raw, content_type="application/json")


def document_with(name_json: str) -> str:
    """A valid document's JSON with its `name` replaced by the raw JSON `name_json`."""
    head = '{"document": {"format": "cloudwright/v1", "nodes": [], "edges": [], "name": '
    return head + name_json + "}}"


@pytest.mark.parametrize(
    ("name_json", "message"),
    [
        (r'"orders \ud800"', "surrogate"),
        (r'"\udc00"', "surrogate"),
        ("1e400", "range of a double"),
        ("9007199254740993", "integers must be between"),
    ],
)
def test_a_value_no_later_step_can_carry_is_a_400_naming_it(
    world, owner_client, name_json, message
):
    """A lone surrogate used to crash rendering the response (500 on SQLite too), 1e400
    became inf, which strict JSON output and PostgreSQL refuse."""
    response = send(owner_client, "PUT", f"/api/architectures/{world.architecture.pk}/",
                    document_with(name_json))  # fmt: skip
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["path"] == "/document/name"
    assert message in error["message"]
    assert Architecture.objects.get(pk=world.architecture.pk).revision == 1


@pytest.mark.parametrize("value", ["1", '{"deeper": 1}'])
def test_a_surrogate_in_a_key_is_named_by_an_escaped_path(world, owner_client, value):
    raw = r'{"document": {"format": "cloudwright/v1", "metadata": {"a/\ud800": ' + value + "}}}"
    response = send(owner_client, "POST", "/api/validate/", raw)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["path"] == "/document/metadata/a~1\\ud800"


def test_a_raw_surrogate_decoded_through_another_charset_is_refused(world, owner_client):
    """unicode_escape turns the text `\\ud800` into the character itself, unescaped."""
    raw = document_with(r'"\ud800"').encode()
    response = owner_client.generic(
        "POST", "/api/validate/", raw, content_type="application/json; charset=unicode_escape"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"] == "/document/name"


@pytest.mark.parametrize("path", ["/api/validate/", "/api/preview/", "/api/scan/"])
def test_a_body_nested_too_deeply_is_a_400_not_a_recursion_error(world, owner_client, path):
    raw = '{"document": {"metadata": ' + "[" * 5000 + "]" * 5000 + "}}"
    response = send(owner_client, "POST", path, raw)
    assert response.status_code == 400
    assert "nest" in response.json()["errors"][0]["message"]


def test_nesting_a_document_needs_is_accepted(world, owner_client):
    document = sample_document()
    document["metadata"]["deep"] = [[[[[[[[[[[]]]]]]]]]]]
    response = owner_client.post("/api/validate/", {"document": document})
    assert response.status_code == 200


@pytest.mark.parametrize("raw", ["{", "[1,]", '{"document": NaN}'])
def test_malformed_json_is_a_400_in_the_errors_shape(world, owner_client, raw):
    response = send(owner_client, "POST", "/api/validate/", raw)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["path"] == ""
    assert "JSON" in error["message"]


def test_an_invalid_document_sent_to_a_job_is_refused_before_the_job_exists(world, owner_client):
    """The job's params are stored; PostgreSQL cannot store a NUL character in JSON."""
    document = sample_document()
    document["name"] = "orders\x00"
    response = owner_client.post("/api/estimate/", {"document": document, "job": True})
    assert response.status_code == 400
    assert [e["path"] for e in response.json()["errors"]] == ["/document/name"]
    assert not Job.objects.exists()
