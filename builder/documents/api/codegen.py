"""The API's doorway to codegen: generated files and built-in templates.

codegen is imported on first use so the web process starts even while a target's
renderer is missing; the request then gets a 503 naming what is unavailable.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.exceptions import APIException

from builder.catalog import DocumentInvalid, check_document


class CodegenUnavailable(APIException):
    status_code = 503
    default_detail = "Code generation is not available on this server."


def generated_code(document: dict[str, Any], target: str) -> dict[str, Any]:
    """What the code endpoints answer: `{target, files, binary_files}`.

    JSON carries text only, so binary files (the Terraform functions' zips) are listed
    in `binary_files` with their size in bytes; the export and git push carry them.
    """
    files = generate_files(document, target)
    return {
        "target": target,
        "files": {p: c for p, c in files.items() if isinstance(c, str)},
        "binary_files": {p: len(c) for p, c in files.items() if isinstance(c, bytes)},
    }


def generate_files(document: dict[str, Any], target: str) -> dict[str, str | bytes]:
    """Generate; a bad document is a 400 (DocumentInvalid) before any code is rendered.

    `codegen.generate` validates the document before it resolves it, so it is checked
    here only when codegen cannot be imported (a bad document is a 400, never a 503).
    """
    try:
        import codegen
    except ImportError as exc:
        check_document(document)
        raise CodegenUnavailable(f"Code generation is not available: {exc}") from exc
    try:
        return codegen.generate(document, target)
    except DocumentInvalid:
        raise
    except ImportError as exc:
        raise CodegenUnavailable(f"The {target} generator is not available: {exc}") from exc
    except ValueError as exc:
        raise serializers.ValidationError({"target": str(exc)}) from exc


def _templates():
    try:
        from codegen import templates
    except ImportError as exc:
        raise CodegenUnavailable(f"Templates are not available: {exc}") from exc
    return templates


def list_templates() -> list[dict[str, Any]]:
    return _templates().list_templates()


def template_document(template_id: str) -> dict[str, Any]:
    try:
        return _templates().get_template(template_id)
    except KeyError:
        known = ", ".join(t["id"] for t in list_templates())
        raise serializers.ValidationError(
            {"template": f"unknown template {template_id!r}; choose one of: {known}"}
        ) from None
