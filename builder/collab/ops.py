"""The collaboration op protocol as a pure reducer: one op applied to one document.

No Django here. The consumer runs `apply_op` under the architecture's row lock, so ops
apply in one total order; conflicts then resolve last-writer-wins per property, because
an update only touches the properties it names. `inverse_op` gives the op that undoes
an op, computed against the document the op was applied to.

Documents are never mutated: an op returns a new document sharing every node and edge
it did not touch, which lets `DocumentValidator` skip the untouched nodes.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from typing import Any

from builder.catalog import DocumentError

Document = dict[str, Any]
Op = dict[str, Any]

NODE_FIELDS = ("name", "position", "size", "parent")
NODE_MAPS = ("props", "usage")
EDGE_FIELDS = ("access", "name")
DOCUMENT_FIELDS = ("name", "region", "description", "metadata")
MAX_BATCH = 5000


class OpRejected(Exception):
    """The op cannot apply; `reason` is one sentence, `errors` say where."""

    def __init__(self, reason: str, errors: Iterable[DocumentError | dict] = ()):
        super().__init__(reason)
        self.reason = reason
        self.errors = [e.as_dict() if isinstance(e, DocumentError) else e for e in errors]


def _op_error(path: str, message: str, **where: str) -> OpRejected:
    return OpRejected(message, [DocumentError(path, message, **where)])


def _find(items: list[dict], item_id: str) -> int:
    for index, item in enumerate(items):
        if isinstance(item, dict) and item.get("id") == item_id:
            return index
    return -1


def _require(doc: Document, collection: str, item_id: Any, path: str) -> int:
    what = "node" if collection == "nodes" else "edge"
    if not isinstance(item_id, str):
        raise _op_error(f"{path}/id", f"{what} id must be a string")
    index = _find(doc[collection], item_id)
    if index < 0:
        where = {"node_id": item_id} if what == "node" else {"edge_id": item_id}
        raise _op_error(
            f"{path}/id", f"{what} {item_id!r} does not exist (it may have been deleted)", **where
        )
    return index


def _settable(key: Any, fields: tuple[str, ...], maps: tuple[str, ...]) -> bool:
    if not isinstance(key, str):
        return False
    head, dot, rest = key.partition(".")
    return (not dot and head in fields + maps) or (bool(dot) and head in maps and bool(rest))


def _check_patch(op: Op, path: str, fields: tuple[str, ...], maps: tuple[str, ...]) -> None:
    set_, unset = op.get("set", {}), op.get("unset", [])
    if not isinstance(set_, dict) or not isinstance(unset, list):
        raise _op_error(path, "set must be an object and unset a list")
    if not set_ and not unset:
        raise _op_error(path, "the op changes nothing: give set or unset")
    allowed = ", ".join(fields + maps + tuple(f"{m}.<key>" for m in maps))
    keys = [*set_, *unset]
    for key in keys:
        if not _settable(key, fields, maps):
            raise _op_error(f"{path}/set", f"cannot set {key!r}; settable: {allowed}")
    heads = {key.partition(".")[0] for key in keys if "." in key}
    if len(set(keys)) < len(keys) or heads & set(keys):
        raise _op_error(path, "each property may appear once, in set or in unset")


def _patched(item: dict, set_: dict, unset: list) -> dict:
    """`item` with the named properties changed, each one on its own (per-property LWW)."""
    out = dict(item)
    for key, value in set_.items():
        head, dot, rest = key.partition(".")
        if dot:
            inner = out.get(head)
            out[head] = {**(inner if isinstance(inner, dict) else {}), rest: copy.deepcopy(value)}
        else:
            out[head] = copy.deepcopy(value)
    for key in unset:
        head, dot, rest = key.partition(".")
        if not dot:
            out.pop(head, None)
        elif isinstance(out.get(head), dict) and rest in out[head]:
            out[head] = {k: v for k, v in out[head].items() if k != rest}
    return out


def _replace(items: list, index: int, item: dict) -> list:
    return [*items[:index], item, *items[index + 1 :]]


def _insert(items: list, index: Any, item: dict) -> list:
    at = index if isinstance(index, int) and 0 <= index <= len(items) else len(items)
    return [*items[:at], item, *items[at:]]


def _descendants(doc: Document, node_id: str) -> set[str]:
    """The node and every node nested in it, however deep."""
    children: dict[str, list[str]] = {}
    for node in doc["nodes"]:
        parent = node.get("parent")
        if isinstance(parent, str):
            children.setdefault(parent, []).append(node["id"])
    gone, todo = set(), [node_id]
    while todo:
        current = todo.pop()
        if current not in gone:
            gone.add(current)
            todo.extend(children.get(current, ()))
    return gone


def _add_node(doc: Document, op: Op, path: str) -> Document:
    node = op.get("node")
    if not isinstance(node, dict):
        raise _op_error(f"{path}/node", "node must be an object")
    node_id = node.get("id")
    if isinstance(node_id, str) and (
        _find(doc["nodes"], node_id) >= 0 or _find(doc["edges"], node_id) >= 0
    ):
        raise _op_error(f"{path}/node/id", f"id {node_id!r} is taken", node_id=node_id)
    return {**doc, "nodes": _insert(doc["nodes"], op.get("index"), copy.deepcopy(node))}


def _update_node(doc: Document, op: Op, path: str) -> Document:
    index = _require(doc, "nodes", op.get("id"), path)
    _check_patch(op, path, NODE_FIELDS, NODE_MAPS)
    node = _patched(doc["nodes"][index], op.get("set", {}), op.get("unset", []))
    return {**doc, "nodes": _replace(doc["nodes"], index, node)}


def _move_node(doc: Document, op: Op, path: str) -> Document:
    set_ = {"position": op.get("position")}
    if "parent" in op:
        set_["parent"] = op["parent"]
    return _update_node(doc, {"id": op.get("id"), "set": set_}, path)


def _delete_node(doc: Document, op: Op, path: str) -> Document:
    _require(doc, "nodes", op.get("id"), path)
    gone = _descendants(doc, op["id"])
    return {
        **doc,
        "nodes": [n for n in doc["nodes"] if n.get("id") not in gone],
        "edges": [
            e for e in doc["edges"] if e.get("source") not in gone and e.get("target") not in gone
        ],
    }


def _add_edge(doc: Document, op: Op, path: str) -> Document:
    edge = op.get("edge")
    if not isinstance(edge, dict):
        raise _op_error(f"{path}/edge", "edge must be an object")
    edge_id = edge.get("id")
    if isinstance(edge_id, str) and (
        _find(doc["edges"], edge_id) >= 0 or _find(doc["nodes"], edge_id) >= 0
    ):
        raise _op_error(f"{path}/edge/id", f"id {edge_id!r} is taken", edge_id=edge_id)
    for end in ("source", "target"):
        ref = edge.get(end)
        if isinstance(ref, str) and _find(doc["nodes"], ref) < 0:
            raise _op_error(
                f"{path}/edge/{end}",
                f"{end} node {ref!r} does not exist (it may have been deleted)",
                edge_id=str(edge_id),
            )
    return {**doc, "edges": _insert(doc["edges"], op.get("index"), copy.deepcopy(edge))}


def _update_edge(doc: Document, op: Op, path: str) -> Document:
    index = _require(doc, "edges", op.get("id"), path)
    _check_patch(op, path, EDGE_FIELDS, ())
    edge = _patched(doc["edges"][index], op.get("set", {}), op.get("unset", []))
    return {**doc, "edges": _replace(doc["edges"], index, edge)}


def _delete_edge(doc: Document, op: Op, path: str) -> Document:
    index = _require(doc, "edges", op.get("id"), path)
    return {**doc, "edges": [*doc["edges"][:index], *doc["edges"][index + 1 :]]}


def _set_document(doc: Document, op: Op, path: str) -> Document:
    if "document" in op:
        if not isinstance(op["document"], dict):
            raise _op_error(f"{path}/document", "document must be an object")
        return copy.deepcopy(op["document"])
    _check_patch(op, path, DOCUMENT_FIELDS, ())
    return _patched(doc, op.get("set", {}), op.get("unset", []))


def _batch(doc: Document, op: Op, path: str) -> Document:
    ops = op.get("ops")
    if not isinstance(ops, list) or not ops or len(ops) > MAX_BATCH:
        raise _op_error(f"{path}/ops", f"ops must be a list of 1 to {MAX_BATCH} ops")
    for index, inner in enumerate(ops):
        doc = _apply(doc, inner, f"{path}/ops/{index}")
    return doc


_REDUCERS: dict[str, Callable[[Document, Op, str], Document]] = {
    "add_node": _add_node,
    "update_node": _update_node,
    "move_node": _move_node,
    "delete_node": _delete_node,
    "add_edge": _add_edge,
    "update_edge": _update_edge,
    "delete_edge": _delete_edge,
    "set_document": _set_document,
    "batch": _batch,
}
OP_TYPES = tuple(_REDUCERS)


def _apply(doc: Document, op: Any, path: str) -> Document:
    if not isinstance(op, dict):
        raise _op_error(path, "an op must be an object")
    reducer = _REDUCERS.get(op.get("type"))
    if reducer is None:
        raise _op_error(f"{path}/type", f"unknown op type {op.get('type')!r}; one of: "
                        + ", ".join(OP_TYPES))  # fmt: skip
    return reducer(doc, op, path)


def _with_lists(doc: Document) -> Document:
    nodes, edges = doc.get("nodes", []), doc.get("edges", [])
    return {**doc, "nodes": nodes if isinstance(nodes, list) else [],
            "edges": edges if isinstance(edges, list) else []}  # fmt: skip


def apply_op(document: Document, op: Op) -> Document:
    """The document after `op`; raises OpRejected when the op cannot apply.

    This checks the op's own shape and targets only; the caller validates the result
    against the catalog (see `DocumentValidator`).
    """
    return _apply(_with_lists(document), op, "/op")


def _previous(item: dict, keys: Iterable[str]) -> tuple[dict, list[str]]:
    """A set/unset pair that puts `keys` of `item` back as they are now."""
    set_: dict[str, Any] = {}
    unset: list[str] = []
    for key in keys:
        head, dot, rest = key.partition(".")
        holder = item.get(head) if dot else item
        name = rest if dot else head
        if isinstance(holder, dict) and name in holder:
            set_[key] = copy.deepcopy(holder[name])
        elif dot and head not in item:
            # The op creates the whole map: undoing it removes the map again.
            unset.append(head)
        else:
            unset.append(key)
    return set_, list(dict.fromkeys(unset))


def _patch_inverse(op_type: str, item: dict, keys: Iterable[str]) -> Op:
    set_, unset = _previous(item, keys)
    out: Op = {"type": op_type, "id": item["id"]}
    if set_:
        out["set"] = set_
    if unset:
        out["unset"] = unset
    return out


def _patch_keys(op: Op) -> list[str]:
    if op["type"] == "move_node":
        return ["position", "parent"] if "parent" in op else ["position"]
    return [*op.get("set", {}), *op.get("unset", [])]


def inverse_op(document_before: Document, op: Op) -> Op:
    """The op that undoes `op`, given the document `op` was applied to.

    `apply_op(apply_op(doc, op), inverse_op(doc, op)) == doc` for every op that
    applies to `doc`. Raises OpRejected when `op` does not apply to `document_before`.
    """
    doc = _with_lists(document_before)
    apply_op(doc, op)
    kind = op["type"]
    if kind == "add_node":
        return {"type": "delete_node", "id": op["node"]["id"]}
    if kind == "add_edge":
        return {"type": "delete_edge", "id": op["edge"]["id"]}
    if kind in ("update_node", "move_node"):
        return _patch_inverse("update_node", doc["nodes"][_find(doc["nodes"], op["id"])],
                              _patch_keys(op))  # fmt: skip
    if kind == "update_edge":
        return _patch_inverse("update_edge", doc["edges"][_find(doc["edges"], op["id"])],
                              _patch_keys(op))  # fmt: skip
    if kind == "set_document":
        if "document" in op:
            return {"type": "set_document", "document": copy.deepcopy(document_before)}
        set_, unset = _previous(doc, _patch_keys(op))
        return {"type": "set_document", **({"set": set_} if set_ else {}),
                **({"unset": unset} if unset else {})}  # fmt: skip
    if kind == "delete_edge":
        index = _find(doc["edges"], op["id"])
        return {"type": "add_edge", "edge": copy.deepcopy(doc["edges"][index]), "index": index}
    if kind == "delete_node":
        gone = _descendants(doc, op["id"])
        restore = [
            {"type": "add_node", "node": copy.deepcopy(node), "index": index}
            for index, node in enumerate(doc["nodes"])
            if node.get("id") in gone
        ] + [
            {"type": "add_edge", "edge": copy.deepcopy(edge), "index": index}
            for index, edge in enumerate(doc["edges"])
            if edge.get("source") in gone or edge.get("target") in gone
        ]
        return restore[0] if len(restore) == 1 else {"type": "batch", "ops": restore}
    # A batch: undo each inner op in reverse, each against the state it was applied to.
    inverses = []
    for inner in op["ops"]:
        inverses.append(inverse_op(doc, inner))
        doc = apply_op(doc, inner)
    return {"type": "batch", "ops": inverses[::-1]}
