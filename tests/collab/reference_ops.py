"""The op reducer as it was before drafts indexed items by id: plain, a pass over the
document for every op and the batch applied again for its inverse. test_ops.py checks
that builder/collab/ops.py gives the same documents, inverses and rejections.

Shape checks and property patches (unchanged) come from the real module.
"""

from typing import Any

from builder.collab.ops import (
    DOCUMENT_FIELDS,
    EDGE_FIELDS,
    NODE_FIELDS,
    NODE_MAPS,
    OP_TYPES,
    _check_patch,
    _copy,
    _op_error,
    _patch_inverse,
    _patched,
    _previous,
    _with_lists,
)


def _find(items: list, item_id: str) -> int:
    for index, item in enumerate(items):
        if isinstance(item, dict) and item.get("id") == item_id:
            return index
    return -1


def _require(doc: dict, collection: str, item_id: Any, path: str) -> int:
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


def _insert(items: list, index: Any, item: dict) -> list:
    at = index if isinstance(index, int) and 0 <= index <= len(items) else len(items)
    return [*items[:at], item, *items[at:]]


def _descendants(doc: dict, node_id: str) -> set:
    children: dict[str, list[str]] = {}
    for node in doc["nodes"]:
        if isinstance(node.get("parent"), str):
            children.setdefault(node["parent"], []).append(node["id"])
    gone, todo = set(), [node_id]
    while todo:
        current = todo.pop()
        if current not in gone:
            gone.add(current)
            todo.extend(children.get(current, ()))
    return gone


def _apply(doc: dict, op: Any, path: str) -> dict:
    if not isinstance(op, dict):
        raise _op_error(path, "an op must be an object")
    kind = op.get("type")
    if kind in ("add_node", "add_edge"):
        what = kind[4:]
        item = op.get(what)
        if not isinstance(item, dict):
            raise _op_error(f"{path}/{what}", f"{what} must be an object")
        item_id = item.get("id")
        if isinstance(item_id, str) and (
            _find(doc["nodes"], item_id) >= 0 or _find(doc["edges"], item_id) >= 0
        ):
            raise _op_error(f"{path}/{what}/id", f"id {item_id!r} is taken",
                            **{f"{what}_id": item_id})  # fmt: skip
        for end in ("source", "target") if what == "edge" else ():
            ref = item.get(end)
            if isinstance(ref, str) and _find(doc["nodes"], ref) < 0:
                raise _op_error(f"{path}/edge/{end}",
                                f"{end} node {ref!r} does not exist (it may have been deleted)",
                                edge_id=str(item_id))  # fmt: skip
        collection = what + "s"
        return {**doc, collection: _insert(doc[collection], op.get("index"), _copy(item))}
    if kind == "move_node":
        set_ = {"position": op.get("position")}
        if "parent" in op:
            set_["parent"] = op["parent"]
        return _apply(doc, {"type": "update_node", "id": op.get("id"), "set": set_}, path)
    if kind in ("update_node", "update_edge"):
        collection = "nodes" if kind == "update_node" else "edges"
        index = _require(doc, collection, op.get("id"), path)
        fields, maps = (NODE_FIELDS, NODE_MAPS) if kind == "update_node" else (EDGE_FIELDS, ())
        _check_patch(op, path, fields, maps)
        item = _patched(doc[collection][index], op.get("set", {}), op.get("unset", []))
        items = doc[collection]
        return {**doc, collection: [*items[:index], item, *items[index + 1 :]]}
    if kind == "delete_node":
        _require(doc, "nodes", op.get("id"), path)
        gone = _descendants(doc, op["id"])
        nodes = [n for n in doc["nodes"] if n.get("id") not in gone]
        edges = [e for e in doc["edges"] if not {e.get("source"), e.get("target")} & gone]
        return {**doc, "nodes": nodes, "edges": edges}
    if kind == "delete_edge":
        index = _require(doc, "edges", op.get("id"), path)
        return {**doc, "edges": [*doc["edges"][:index], *doc["edges"][index + 1 :]]}
    if kind == "set_document":
        if "document" in op:
            if not isinstance(op["document"], dict):
                raise _op_error(f"{path}/document", "document must be an object")
            return _copy(op["document"])
        _check_patch(op, path, DOCUMENT_FIELDS, ())
        return _patched(doc, op.get("set", {}), op.get("unset", []))
    if kind == "batch":
        ops = op.get("ops")
        if not isinstance(ops, list) or not ops:
            raise _op_error(f"{path}/ops", "ops must be a non-empty list of ops")
        for index, inner in enumerate(ops):
            doc = _apply(doc, inner, f"{path}/ops/{index}")
        return doc
    raise _op_error(f"{path}/type", f"unknown op type {kind!r}; one of: " + ", ".join(OP_TYPES))


def apply_op(document: dict, op: Any) -> dict:
    return _apply(_with_lists(document), op, "/op")


def inverse_op(document_before: dict, op: dict) -> dict:
    doc = _with_lists(document_before)
    apply_op(doc, op)
    kind = op["type"]
    if kind in ("add_node", "add_edge"):
        return {"type": "delete_" + kind[4:], "id": op[kind[4:]]["id"]}
    if kind in ("update_node", "move_node", "update_edge"):
        collection = "edges" if kind == "update_edge" else "nodes"
        patch = op
        if kind == "move_node":
            patch = {"set": dict.fromkeys(["position", "parent"] if "parent" in op
                                          else ["position"])}  # fmt: skip
        item = doc[collection][_find(doc[collection], op["id"])]
        return _patch_inverse("update_edge" if kind == "update_edge" else "update_node", item,
                              patch)  # fmt: skip
    if kind == "set_document":
        if "document" in op:
            return {"type": "set_document", "document": _copy(doc)}
        set_, unset = _previous(doc, op)
        return {"type": "set_document", **({"set": set_} if set_ else {}),
                **({"unset": unset} if unset else {})}  # fmt: skip
    if kind == "delete_edge":
        index = _find(doc["edges"], op["id"])
        return {"type": "add_edge", "edge": _copy(doc["edges"][index]), "index": index}
    if kind == "delete_node":
        gone = _descendants(doc, op["id"])
        restore = [
            {"type": "add_node", "node": _copy(node), "index": index}
            for index, node in enumerate(doc["nodes"]) if node.get("id") in gone
        ] + [
            {"type": "add_edge", "edge": _copy(edge), "index": index}
            for index, edge in enumerate(doc["edges"])
            if edge.get("source") in gone or edge.get("target") in gone
        ]  # fmt: skip
        return restore[0] if len(restore) == 1 else {"type": "batch", "ops": restore}
    inverses = []
    for inner in op["ops"]:
        inverses.append(inverse_op(doc, inner))
        doc = apply_op(doc, inner)
    return {"type": "batch", "ops": inverses[::-1]}
