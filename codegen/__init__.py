"""Code generation: resolve a document into one model, render it as Terraform or CDK.

Imports no Django.
"""

from __future__ import annotations

from typing import Any

from codegen.model import Model
from codegen.resolve import resolve

TARGETS = ("terraform", "cdk")


def generate(document: dict[str, Any], target: str) -> dict[str, str]:
    """The files of the generated repository for `target`, path -> text, deterministic."""
    if target not in TARGETS:
        raise ValueError(f"unknown target {target!r}; choose one of {', '.join(TARGETS)}")
    model = resolve(document)
    if target == "terraform":
        from codegen.terraform import render
    else:
        from codegen.cdk import render
    return render(model)


__all__ = ["TARGETS", "Model", "generate", "resolve"]
