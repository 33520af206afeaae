"""Validate the document after each op as fast as a room needs, with the REST API's result.

Full validation of a 1000-node document costs several milliseconds, nearly all of it in
the per-node checks (props JSON Schema, usage ranges). Those checks read only the node
itself, and the reducer never mutates a node or edge in place: an op that changes one
replaces it with a new object. So a node object that passed the per-node checks once
passes them again, and only its place in the whole (duplicate ids, parents, subnets,
edges, which are cheap) needs checking. Likewise the search for NUL characters, which
serialised the whole document (~3 ms at 1,000 nodes), reads only the nodes, edges and
document fields it has not seen before. The result is the same list of errors as
`validate_document`; tests/collab/test_validation.py checks that with hypothesis.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from builder.catalog import DocumentError, get_catalog
from builder.catalog.validate import _Checker
from builder.collab.ops import Document, OpRejected, apply_with_inverse

NUL = "\\u0000"  # how json.dumps writes the NUL character


class _RememberingChecker(_Checker):
    def __init__(self, doc: Any, clean: dict[int, dict], nul_free: dict[int, Any]):
        super().__init__(doc, get_catalog())
        self.clean = clean
        self.now_clean: dict[int, dict] = {}
        self.nul_free = nul_free
        self.now_nul_free: dict[int, Any] = {}

    def check_nul(self, doc: dict[str, Any]) -> None:
        """The NUL check on the parts (each node, edge and other field's value) not seen
        in the document before, and on the document's keys."""
        parts = []
        for key, value in doc.items():
            if key in ("nodes", "edges") and isinstance(value, list):
                parts.extend(value)
            else:
                parts.append(value)
        fresh = [part for part in parts if self.nul_free.get(id(part)) is not part]
        self.now_nul_free = {id(part): part for part in parts}
        if NUL in json.dumps([list(doc), fresh]):
            self.check_no_nul(doc, "")  # the errors, with their paths, in document order
            for part in fresh:
                if NUL in json.dumps(part):
                    self.now_nul_free.pop(id(part), None)

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
    """Validates successive versions of one document, re-checking only new objects.

    Holds references to the objects it vouches for, so their ids stay unique.
    """

    def __init__(self) -> None:
        self._clean: dict[int, dict] = {}
        self._nul_free: dict[int, Any] = {}

    def validate(self, document: Any) -> list[DocumentError]:
        checker = _RememberingChecker(document, self._clean, self._nul_free)
        errors = checker.run()
        # Keep only the last document's parts: memory stays bounded by one document.
        self._clean, self._nul_free = checker.now_clean, checker.now_nul_free
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
    new_document, inverse = apply_with_inverse(document, op)
    if check_size is not None:
        check_size(new_document)
    errors = (validator or DocumentValidator()).validate(new_document)
    if errors:
        raise OpRejected(
            "the change would make the architecture invalid: " + errors[0].message, errors
        )
    return new_document, inverse
