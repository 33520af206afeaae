"""Render the resolved model as a Terraform repository.

Each concern has an emitter returning HCL blocks (codegen/terraform/hcl.py); they
are rendered last, one file per concern, plus the repository's shared files.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from codegen.files import DOCUMENT_FILE, Files, document_file
from codegen.model import Model
from codegen.terraform import (
    api,
    compute,
    databases,
    edge,
    functions,
    iam,
    lambda_zip,
    loadbalancing,
    messaging,
    network,
    observability,
    repo,
    security,
    storage,
)
from codegen.terraform.context import Context
from codegen.terraform.hcl import Item
from codegen.terraform.hcl import render as render_hcl

# File per concern, in the order emitters run (some record outputs or provider needs).
EMITTERS: tuple[tuple[str, Callable[[Context], list[Item]]], ...] = (
    ("network.tf", network.emit),
    ("iam.tf", iam.emit),
    ("lambda.tf", functions.emit),
    ("compute.tf", compute.emit),
    ("loadbalancing.tf", loadbalancing.emit),
    ("data.tf", storage.emit),
    ("databases.tf", databases.emit),
    ("messaging.tf", messaging.emit),
    ("api.tf", api.emit),
    ("edge.tf", edge.emit),
    ("security.tf", security.emit),
    ("observability.tf", observability.emit),
)


@functools.lru_cache(maxsize=512)
def _package(filename: str, source: str) -> bytes:
    """A function's zip. Cached by content: a live preview renders the same functions'
    code on every edit of the drawing, and the bytes depend on nothing else."""
    return lambda_zip.package([(filename, source.encode())])


def render(model: Model) -> Files:
    """The repository's files, path -> text (bytes for the function zips); the same model
    gives the same bytes."""
    ctx = Context(model)
    files: Files = {}
    for path, emit in EMITTERS:
        items = emit(ctx)
        if items:
            files[path] = render_hcl([repo.HEADER, *items])
    files["main.tf"] = repo.main_tf()
    files["versions.tf"] = repo.versions()
    files["providers.tf"] = repo.providers(ctx)
    files["variables.tf"] = repo.variables(ctx)
    if ctx.outputs:
        files["outputs.tf"] = repo.outputs(ctx)
    files["backend.tf"] = repo.backend(ctx)
    for code in model.lambda_code.values():
        files[f"{code.directory}/{code.filename}"] = code.source
        files[functions.zip_file(code)] = _package(code.filename, code.source)
    files["scripts/build_lambdas.py"] = Path(lambda_zip.__file__).read_text()
    files["Makefile"] = repo.static("Makefile")
    files[".gitignore"] = repo.static("gitignore")
    files[DOCUMENT_FILE] = document_file(model.document)
    files["README.md"] = repo.readme(ctx, sorted([*files, "README.md"]))
    return dict(sorted(files.items()))
