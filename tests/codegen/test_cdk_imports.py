"""The CDK stack modules import exactly the names their code reads (pytree.names_used)."""

from __future__ import annotations

import ast
import builtins

import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings

from bench.docgen import make_document
from builder.catalog import DocumentInvalid
from codegen import generate
from codegen.templates import TEMPLATE_IDS, get_template
from tests.strategies import documents

BUILTINS = set(dir(builtins))


def undefined_and_unused(source: str) -> tuple[set[str], set[str]]:
    """Names the module reads but neither imports nor binds, and imports it never reads."""
    tree = ast.parse(source)
    imported = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    bound = {
        arg.arg
        for node in ast.walk(tree)
        if isinstance(node, ast.arguments)
        for arg in (*node.args, *node.kwonlyargs, *filter(None, [node.kwarg]))
    } | {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    read = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    return read - imported - bound - BUILTINS, imported - read


def assert_stack_imports_match_use(files: dict[str, str]) -> None:
    stacks = {p: t for p, t in files.items() if p.startswith("stacks/") and p.endswith("_stack.py")}
    assert stacks
    for path, text in stacks.items():
        undefined, unused = undefined_and_unused(text)
        assert not undefined, f"{path} reads names it never imports: {sorted(undefined)}"
        assert not unused, f"{path} imports names it never reads: {sorted(unused)}"


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_template_stacks_import_what_they_use(template_id):
    assert_stack_imports_match_use(generate(get_template(template_id), "cdk"))


def test_split_stacks_import_what_they_use():
    files = generate(make_document(600), "cdk")

    assert len([p for p in files if p.endswith("_stack.py")]) > 1  # cross-stack imports too
    assert_stack_imports_match_use(files)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.generate],
)
@given(documents(max_nodes=12))
def test_any_document_stacks_import_what_they_use(doc):
    try:
        files = generate(doc, "cdk")
    except DocumentInvalid:
        assume(False)
        raise
    assert_stack_imports_match_use(files)
