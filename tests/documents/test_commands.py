"""`manage.py validate` and `manage.py generate` as scripts use them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import codegen
from codegen.files import as_bytes
from tests.codegen.stacks_support import grown, large_document, moved, stacks_of
from tests.documents.conftest import sample_document

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "DJANGO_DEBUG": "1"},
    )


@pytest.fixture
def document_file(tmp_path):
    def write(document) -> str:
        path = tmp_path / "doc.json"
        path.write_text(json.dumps(document))
        return str(path)

    return write


def test_validate_accepts_a_valid_document(document_file):
    result = manage("validate", document_file(sample_document()))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_validate_prints_one_error_per_line_naming_node_and_edge(document_file):
    document = sample_document()
    document["nodes"][1]["props"]["colour"] = "blue"
    document["edges"].append({"id": "e3", "source": "orders", "target": "api"})
    result = manage("validate", document_file(document))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2
    assert "node fn" in lines[0] and "colour" in lines[0]
    assert "edge e3" in lines[1] and "/edges/2/target" in lines[1]


def test_validate_reports_unreadable_json(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{nope")
    result = manage("validate", str(path))
    assert result.returncode == 1
    assert "not valid JSON" in result.stderr


def test_generate_writes_the_files_codegen_returns(document_file, tmp_path):
    out = tmp_path / "out"
    result = manage("generate", document_file(sample_document()), "--out", str(out))
    assert result.returncode == 0, result.stderr
    for name, content in codegen.generate(sample_document(), "terraform").items():
        assert (out / name).read_bytes() == as_bytes(content)


def test_generate_into_a_cdk_app_keeps_components_in_its_stacks(document_file, tmp_path):
    out = tmp_path / "app"
    document = large_document()
    first = manage("generate", document_file(document), "--target", "cdk", "--out", str(out))
    assert first.returncode == 0, first.stderr
    recorded = stacks_of((out / "stacks.json").read_bytes())
    assert len(set(recorded.values())) > 1

    result = manage(
        "generate", document_file(grown(document)), "--target", "cdk", "--out", str(out)
    )

    assert result.returncode == 0, result.stderr
    assert moved(recorded, stacks_of((out / "stacks.json").read_bytes())) == []
    # What the record prevents: the grown document's own split moves components.
    assert moved(recorded, stacks_of(codegen.generate(grown(document), "cdk")["stacks.json"]))


@pytest.mark.parametrize("content", [b"{", b'{"stacks": [{"name": "main"}]}', b"\xff"])
def test_generate_refuses_a_malformed_stacks_file_naming_it(document_file, tmp_path, content):
    out = tmp_path / "app"
    out.mkdir()
    (out / "stacks.json").write_bytes(content)
    result = manage(
        "generate", document_file(sample_document()), "--target", "cdk", "--out", str(out)
    )
    assert result.returncode != 0
    assert f"{out / 'stacks.json'}: " in result.stderr
    assert "Traceback" not in result.stderr
    assert (out / "stacks.json").read_bytes() == content  # nothing written
