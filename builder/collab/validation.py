"""Validate the document after each op as fast as a room needs, with the REST API's result.

Full validation of a 1000-node document costs several milliseconds, nearly all of it in
the per-node checks (props JSON Schema, usage ranges). Those checks read only the node
itself, and the reducer never mutates a node in place: an op that changes a node
replaces it with a new object. So a node object that passed the per-node checks once
passes them again, and only its place in the whole (duplicate ids, parents, subnets,
edges, which are cheap) needs checking. The result is the same list of errors as
`validate_document`; tests/collab/test_validation.py checks that with hypothesis.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from builder.catalog import DocumentError, get_catalog
from builder.catalog.validate import _Checker
from builder.collab.ops import Document, OpRejected, apply_op, inverse_op


class _RememberingChecker(_Checker):
    def __init__(self, doc: Any, clean: dict[int, dict]):
        super().__init__(doc, get_catalog())
        self.clean = clean
        self.now_clean: dict[int, dict] = {}

    def check_node(self, index: int, node: Any) -> None:
        if self.clean.get(id(node)) is node and node["id"] not in self.nodes:
            self.nodes[node["id"]] = node
            self.node_index[node["id"]] = index
            self.now_clean[id(node)] = node
            return
        errors_before = len(self.errors)
        super().check_node(index, node)
        if (
            len(self.errors) == errors_before
            and isinstance(node, dict)
            and node.get("id") in self.nodes
        ):
            self.now_clean[id(node)] = node


class DocumentValidator:
    """Validates successive versions of one document, re-checking only new node objects.

    Holds references to the node objects it vouches for, so their ids stay unique.
    """

    def __init__(self) -> None:
        self._clean: dict[int, dict] = {}

    def validate(self, document: Any) -> list[DocumentError]:
        checker = _RememberingChecker(document, self._clean)
        errors = checker.run()
        # Keep only the last document's nodes: memory stays bounded by one document.
        self._clean = checker.now_clean
        return errors


def apply_validated(
    document: dict,
    op: dict,
    validator: DocumentValidator | None = None,
    check_size: Callable[[Document], None] | None = None,
) -> tuple[dict, dict]:
    """The document after `op` and the op that undoes it, or OpRejected naming the errors.

    `document` must be valid; the result is valid or the op is rejected. `check_size`
    raises OpRejected for a result over the size limits; it runs before validation, as
    in the REST API, whose answer for such a document it gives.
    """
    new_document = apply_op(document, op)
    inverse = inverse_op(document, op)
    if check_size is not None:
        check_size(new_document)
    errors = (validator or DocumentValidator()).validate(new_document)
    if errors:
        raise OpRejected(
            "the change would make the architecture invalid: " + errors[0].message, errors
        )
    return new_document, inverse
