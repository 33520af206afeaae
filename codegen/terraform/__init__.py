"""Render the resolved model as a Terraform repository.

Each concern has an emitter returning HCL blocks (codegen/terraform/hcl.py); they
are rendered last, one file per concern, plus the repository's shared files.
"""

from __future__ import annotations

from collections.abc import Callable

from codegen.model import Model
from codegen.terraform import (
    api,
    compute,
    databases,
    edge,
    functions,
    iam,
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


def render(model: Model) -> dict[str, str]:
    """The repository's files, path -> text; the same model gives the same bytes."""
    ctx = Context(model)
    files: dict[str, str] = {}
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
    files["scripts/build_lambdas.py"] = repo.static("build_lambdas.py")
    files["Makefile"] = repo.static("Makefile")
    files[".gitignore"] = repo.static("gitignore")
    files["cloudwright.json"] = repo.document(ctx)
    files["README.md"] = repo.readme(ctx, sorted([*files, "README.md"]))
    return dict(sorted(files.items()))
