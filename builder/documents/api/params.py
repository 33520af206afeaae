"""Query and header parameters several endpoints read the same way."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from builder.documents.models import Architecture

WORKING = "working"


def whole_number(value: str, max_digits: int = 12) -> int | None:
    """`value` as a non-negative int, or None when it is not plain ASCII digits.

    str.isdigit() alone accepts characters such as '²' that int() refuses.
    """
    if value.isascii() and value.isdigit() and len(value) <= max_digits:
        return int(value)
    return None


def document_at(architecture: Architecture, name: str, value: str | None) -> dict[str, Any]:
    """The document a diff side names: a version id, or `working` (the default)."""
    if value is None or value == WORKING:
        return architecture.document
    version_id = whole_number(value)
    if version_id is None:
        raise serializers.ValidationError({name: ["give a version id or 'working'"]})
    version = architecture.versions.filter(pk=version_id).first()
    if version is None:
        raise serializers.ValidationError({name: [f"no version {value} in this architecture"]})
    return version.document


DIFF_PARAMETERS = [
    OpenApiParameter("from", str, description="version id or 'working'"),
    OpenApiParameter("to", str, description="version id or 'working' (default)"),
]


def diff_sides(architecture: Architecture, query: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The two documents `?from=&to=` name; `from` is required, `to` defaults to working."""
    if "from" not in query:
        raise serializers.ValidationError({"from": ["give a version id or 'working'"]})
    return (
        document_at(architecture, "from", query.get("from")),
        document_at(architecture, "to", query.get("to")),
    )
