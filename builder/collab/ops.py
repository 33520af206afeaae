"""The collaboration op protocol as a pure reducer: one op applied to one document.

No Django here. The consumer runs `apply_with_inverse` under the architecture's row
lock, so ops apply in one total order; conflicts then resolve last-writer-wins per
property, because an update only touches the properties it names. The inverse is the
op that undoes an op, computed against the document the op was applied to.

Documents are never mutated: an op returns a new document sharing every node and edge
it did not touch, which lets `DocumentValidator` skip the untouched nodes.

A batch (paste, auto-layout, undoing a multi-delete) may hold tens of thousands of ops,
so one op must not cost a pass over the document: ops change a `_Draft`, whose node
and edge lists are copied once and indexed by id, and the document is built once at
the end. The inverse comes out of the same pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from builder.catalog import DocumentError
from builder.catalog.validate import MAX_EDGES, MAX_NODES

Document = dict[str, Any]
Op = dict[str, Any]

NODE_FIELDS = ("name", "position", "size", "parent")
NODE_MAPS = ("props", "usage")
EDGE_FIELDS = ("access", "name")
DOCUMENT_FIELDS = ("name", "region", "description", "metadata")
# The most ops one message may hold, each batch and each op inside one counting once.
# The canvas's largest edit is pasting all a document can hold, in one batch.
MAX_OPS = MAX_NODES + MAX_EDGES + 1
# Tokens per block of a draft's order (see _Items); a block splits at twice as many.
BLOCK = 256


class OpRejected(Exception):
    """The op cannot apply; `reason` is one sentence, `errors` say where."""

    def __init__(self, reason: str, errors: Iterable[DocumentError | dict] = ()):
        super().__init__(reason)
        self.reason = reason
        self.errors = [e.as_dict() if isinstance(e, DocumentError) else e for e in errors]


def _op_error(path: str, message: str, **where: str) -> OpRejected:
    return OpRejected(message, [DocumentError(path, message, **where)])


def _key(item: Any) -> str | None:
    """The id ops name `item` by; None for an item without a string id, which no op can
    name (only an invalid document holds one)."""
    item_id = item.get("id") if isinstance(item, dict) else None
    return item_id if isinstance(item_id, str) else None


class _Items:
    """A draft's nodes or edges, in order, found by id.

    Each item gets a token (its place in `items`, never reused) and the order is kept
    as blocks of tokens: inserting or removing an item (undo puts deleted ones back at
    their index) moves the entries of one block, and an item's index is where its block
    starts plus its place in the block. No op costs a pass over the whole list.
    """

    def __init__(self, items: list, path: str, kind: str):
        self.items = list(items)  # by token; a removed item's entry is None
        keys = [_key(item) for item in self.items]
        self.tokens = {key: token for token, key in enumerate(keys) if key is not None}
        if len(self.tokens) < len(keys) - keys.count(None):
            # Which item an op names would be ambiguous; validation refuses such documents.
            token = _first_repeat(keys)
            message = f"duplicate id {keys[token]!r}"
            raise _op_error(f"{path}/{token}/id", message, **{kind: keys[token]})
        self.blocks = [list(range(start, min(start + BLOCK, len(keys))))
                       for start in range(0, len(keys), BLOCK)]  # fmt: skip
        self.block_of: list[list[int]] = []  # by token
        for block in self.blocks:
            self.block_of.extend([block] * len(block))
        self.count = len(keys)

    def __contains__(self, item_id: str) -> bool:
        return item_id in self.tokens

    def __len__(self) -> int:
        return self.count

    def get(self, item_id: str) -> dict:
        return self.items[self.tokens[item_id]]

    def replace(self, item_id: str, item: dict) -> None:
        self.items[self.tokens[item_id]] = item

    def index(self, item_id: str) -> int:
        token = self.tokens[item_id]
        block = self.block_of[token]
        start = 0
        for other in self.blocks:
            if other is block:
                return start + block.index(token)
            start += len(other)
        raise AssertionError("every token is in a block")

    def insert(self, index: Any, item: Any) -> None:
        """Insert `item` before `index`, or append it when `index` is not in the list."""
        if not self.blocks:
            self.blocks.append([])
        number = len(self.blocks) - 1  # of the block to insert into: the last for an append
        if isinstance(index, int) and 0 <= index < self.count:
            number = 0
            while index > len(self.blocks[number]):
                index -= len(self.blocks[number])
                number += 1
        else:
            index = len(self.blocks[number])
        block = self.blocks[number]
        token = len(self.items)
        self.items.append(item)
        block.insert(index, token)
        self.block_of.append(block)
        if len(block) > 2 * BLOCK:
            tail = block[BLOCK:]
            del block[BLOCK:]
            self.blocks.insert(number + 1, tail)
            for moved in tail:
                self.block_of[moved] = tail
        key = _key(item)
        if key is not None:
            self.tokens[key] = token
        self.count += 1

    def remove(self, item_id: str) -> None:
        token = self.tokens.pop(item_id)
        block = self.block_of[token]
        block.remove(token)  # an emptied block stays, as cheap to walk past as to drop
        self.items[token] = None
        self.count -= 1

    def as_list(self) -> list:
        return [self.items[token] for block in self.blocks for token in block]


class _Draft:
    """A document being changed op by op; `document()` builds the result.

    Also knows, once asked, which nodes sit in each node and which edges touch each
    node, so deleting a node costs what it removes rather than a pass over the document.
    """

    def __init__(self, document: Document):
        self.reset(document)

    def reset(self, document: Document) -> None:
        self.fields = document  # replaced, never mutated; its lists are read once
        self._nodes: _Items | None = None
        self._edges: _Items | None = None
        self._children: dict[str, set[str]] | None = None  # parent id -> ids of nodes in it
        self._touching: dict[str, set[str]] | None = None  # node id -> ids of its edges

    @property
    def nodes(self) -> _Items:
        if self._nodes is None:
            self._nodes = _Items(_list(self.fields.get("nodes")), "/nodes", "node_id")
        return self._nodes

    @property
    def edges(self) -> _Items:
        if self._edges is None:
            self._edges = _Items(_list(self.fields.get("edges")), "/edges", "edge_id")
        return self._edges

    def document(self) -> Document:
        out = dict(self.fields)
        if self._nodes is not None:
            out["nodes"] = self._nodes.as_list()
        if self._edges is not None:
            out["edges"] = self._edges.as_list()
        return out

    def _nest(self, node: Any, add: bool) -> None:
        """Record (add) or forget `node` as a child of its parent, once children are known."""
        node_id = _key(node)
        parent = node.get("parent") if node_id is not None else None
        if self._children is None or not isinstance(parent, str):
            return
        if add:
            self._children.setdefault(parent, set()).add(node_id)
        else:
            self._children.get(parent, set()).discard(node_id)

    def _attach(self, edge: Any, add: bool) -> None:
        """Record (add) or forget `edge` at the nodes it joins, once those are known."""
        edge_id = _key(edge)
        if self._touching is None or edge_id is None:
            return
        for end in (edge.get("source"), edge.get("target")):
            if isinstance(end, str):
                if add:
                    self._touching.setdefault(end, set()).add(edge_id)
                else:
                    self._touching.get(end, set()).discard(edge_id)

    def add_node(self, index: Any, node: Any) -> None:
        self.nodes.insert(index, node)
        self._nest(node, add=True)

    def replace_node(self, before: dict, after: dict) -> None:
        self.nodes.replace(before["id"], after)
        if before.get("parent") != after.get("parent"):
            self._nest(before, add=False)
            self._nest(after, add=True)

    def add_edge(self, index: Any, edge: Any) -> None:
        self.edges.insert(index, edge)
        self._attach(edge, add=True)

    def remove_edge(self, edge_id: str) -> None:
        self._attach(self.edges.get(edge_id), add=False)
        self.edges.remove(edge_id)

    def delete_node(self, node_id: str) -> Op:
        """Remove the node, every node nested in it and every edge touching any of them;
        returns the op that puts them back where they were."""
        if self._children is None:
            self._children = {}
            for node in self.nodes.items:
                self._nest(node, add=True)
        if self._touching is None:
            self._touching = {}
            for edge in self.edges.items:
                self._attach(edge, add=True)
        gone, todo = set(), [node_id]
        while todo:
            current = todo.pop()
            if current not in gone:
                gone.add(current)
                todo.extend(self._children.get(current, ()))
        edge_ids = set().union(*(self._touching.get(g, ()) for g in gone))
        restore = [
            {"type": f"add_{kind}", kind: _copy(items.get(item_id)), "index": index}
            for kind, items, ids in (("node", self.nodes, gone), ("edge", self.edges, edge_ids))
            for index, item_id in sorted((items.index(item_id), item_id) for item_id in ids)
        ]
        for edge_id in edge_ids:
            self.remove_edge(edge_id)
        for gone_id in gone:
            self._nest(self.nodes.get(gone_id), add=False)
            self.nodes.remove(gone_id)
        return restore[0] if len(restore) == 1 else {"type": "batch", "ops": restore}


def _first_repeat(keys: list[str | None]) -> int:
    seen: set[str] = set()
    for index, key in enumerate(keys):
        if key in seen:
            return index
        if key is not None:
            seen.add(key)
    raise ValueError("no id repeats")


def _copy(value: Any) -> Any:
    """A deep copy of a JSON value; copy.deepcopy, made for any object, is several times
    slower, and a paste copies every node it adds. (JSON nests at most 64 levels.)"""
    if type(value) is dict:
        return {key: _copy(item) for key, item in value.items()}
    if type(value) is list:
        return [_copy(item) for item in value]
    return value


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _require(items: _Items, what: str, item_id: Any, path: str) -> str:
    if not isinstance(item_id, str):
        raise _op_error(f"{path}/id", f"{what} id must be a string")
    if item_id not in items:
        where = {"node_id": item_id} if what == "node" else {"edge_id": item_id}
        raise _op_error(
            f"{path}/id", f"{what} {item_id!r} does not exist (it may have been deleted)", **where
        )
    return item_id


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
            out[head] = {**(inner if isinstance(inner, dict) else {}), rest: _copy(value)}
        else:
            out[head] = _copy(value)
    for key in unset:
        head, dot, rest = key.partition(".")
        if not dot:
            out.pop(head, None)
        elif isinstance(out.get(head), dict) and rest in out[head]:
            out[head] = {k: v for k, v in out[head].items() if k != rest}
    return out


def _previous(item: dict, op: Op) -> tuple[dict, list[str]]:
    """A set/unset pair that puts the keys `op` changes in `item` back as they are now."""
    set_: dict[str, Any] = {}
    unset: list[str] = []
    for key in [*op.get("set", {}), *op.get("unset", [])]:
        head, dot, rest = key.partition(".")
        holder = item.get(head) if dot else item
        name = rest if dot else head
        if isinstance(holder, dict) and name in holder:
            set_[key] = _copy(holder[name])
        elif dot and head not in item:
            # The op creates the whole map: undoing it removes the map again.
            unset.append(head)
        else:
            unset.append(key)
    return set_, list(dict.fromkeys(unset))


def _patch_inverse(op_type: str, item: dict, op: Op) -> Op:
    set_, unset = _previous(item, op)
    out: Op = {"type": op_type, "id": item["id"]}
    if set_:
        out["set"] = set_
    if unset:
        out["unset"] = unset
    return out


# Each reducer changes the draft and returns the op that undoes what it did.


def _add_node(draft: _Draft, op: Op, path: str) -> Op:
    node = op.get("node")
    if not isinstance(node, dict):
        raise _op_error(f"{path}/node", "node must be an object")
    node_id = node.get("id")
    if isinstance(node_id, str) and (node_id in draft.nodes or node_id in draft.edges):
        raise _op_error(f"{path}/node/id", f"id {node_id!r} is taken", node_id=node_id)
    draft.add_node(op.get("index"), _copy(node))
    return {"type": "delete_node", "id": node_id}


def _update_node(draft: _Draft, op: Op, path: str) -> Op:
    node = draft.nodes.get(_require(draft.nodes, "node", op.get("id"), path))
    _check_patch(op, path, NODE_FIELDS, NODE_MAPS)
    draft.replace_node(node, _patched(node, op.get("set", {}), op.get("unset", [])))
    return _patch_inverse("update_node", node, op)


def _move_node(draft: _Draft, op: Op, path: str) -> Op:
    set_ = {"position": op.get("position")}
    if "parent" in op:
        set_["parent"] = op["parent"]
    return _update_node(draft, {"id": op.get("id"), "set": set_}, path)


def _delete_node(draft: _Draft, op: Op, path: str) -> Op:
    return draft.delete_node(_require(draft.nodes, "node", op.get("id"), path))


def _add_edge(draft: _Draft, op: Op, path: str) -> Op:
    edge = op.get("edge")
    if not isinstance(edge, dict):
        raise _op_error(f"{path}/edge", "edge must be an object")
    edge_id = edge.get("id")
    if isinstance(edge_id, str) and (edge_id in draft.edges or edge_id in draft.nodes):
        raise _op_error(f"{path}/edge/id", f"id {edge_id!r} is taken", edge_id=edge_id)
    for end in ("source", "target"):
        ref = edge.get(end)
        if isinstance(ref, str) and ref not in draft.nodes:
            raise _op_error(
                f"{path}/edge/{end}",
                f"{end} node {ref!r} does not exist (it may have been deleted)",
                edge_id=str(edge_id),
            )
    draft.add_edge(op.get("index"), _copy(edge))
    return {"type": "delete_edge", "id": edge_id}


def _update_edge(draft: _Draft, op: Op, path: str) -> Op:
    edge_id = _require(draft.edges, "edge", op.get("id"), path)
    _check_patch(op, path, EDGE_FIELDS, ())
    edge = draft.edges.get(edge_id)
    # Its ends cannot change, so the edges known at each node stay right.
    draft.edges.replace(edge_id, _patched(edge, op.get("set", {}), op.get("unset", [])))
    return _patch_inverse("update_edge", edge, op)


def _delete_edge(draft: _Draft, op: Op, path: str) -> Op:
    edge_id = _require(draft.edges, "edge", op.get("id"), path)
    edge, index = draft.edges.get(edge_id), draft.edges.index(edge_id)
    inverse = {"type": "add_edge", "edge": _copy(edge), "index": index}
    draft.remove_edge(edge_id)
    return inverse


def _set_document(draft: _Draft, op: Op, path: str) -> Op:
    if "document" in op:
        if not isinstance(op["document"], dict):
            raise _op_error(f"{path}/document", "document must be an object")
        inverse = {"type": "set_document", "document": _copy(draft.document())}
        draft.reset(_copy(op["document"]))
        return inverse
    _check_patch(op, path, DOCUMENT_FIELDS, ())
    set_, unset = _previous(draft.fields, op)
    draft.fields = _patched(draft.fields, op.get("set", {}), op.get("unset", []))
    return {"type": "set_document", **({"set": set_} if set_ else {}),
            **({"unset": unset} if unset else {})}  # fmt: skip


def _batch(draft: _Draft, op: Op, path: str) -> Op:
    ops = op.get("ops")
    if not isinstance(ops, list) or not ops:
        raise _op_error(f"{path}/ops", "ops must be a non-empty list of ops")
    # Undo each inner op in reverse, each against the state it was applied to.
    inverses = [_apply(draft, inner, f"{path}/ops/{index}") for index, inner in enumerate(ops)]
    return {"type": "batch", "ops": inverses[::-1]}


_REDUCERS: dict[str, Callable[[_Draft, Op, str], Op]] = {
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


def _apply(draft: _Draft, op: Any, path: str) -> Op:
    if not isinstance(op, dict):
        raise _op_error(path, "an op must be an object")
    reducer = _REDUCERS.get(op.get("type"))
    if reducer is None:
        raise _op_error(f"{path}/type", f"unknown op type {op.get('type')!r}; one of: "
                        + ", ".join(OP_TYPES))  # fmt: skip
    return reducer(draft, op, path)


def _with_lists(doc: Document) -> Document:
    nodes, edges = doc.get("nodes", []), doc.get("edges", [])
    return {**doc, "nodes": nodes if isinstance(nodes, list) else [],
            "edges": edges if isinstance(edges, list) else []}  # fmt: skip


def apply_with_inverse(document: Document, op: Op) -> tuple[Document, Op]:
    """The document after `op`, and the op that undoes it; raises OpRejected when the
    op cannot apply.

    This checks the op's own shape and targets only; the caller validates the result
    against the catalog (see `DocumentValidator`). Applying the inverse to the result
    gives `document` back.
    """
    draft = _Draft(_with_lists(document))
    inverse = _apply(draft, op, "/op")
    return draft.document(), inverse


def apply_op(document: Document, op: Op) -> Document:
    """The document after `op` (see `apply_with_inverse`)."""
    return apply_with_inverse(document, op)[0]


def inverse_op(document_before: Document, op: Op) -> Op:
    """The op that undoes `op`, given the document `op` is applied to."""
    return apply_with_inverse(document_before, op)[1]


def count_ops(op: Any, limit: int = MAX_OPS) -> int:
    """How many ops `op` holds, itself and those in its batches however nested; counting
    stops past `limit`, so an oversized op costs no more than one at the limit."""
    count, todo = 0, [op]
    while todo and count <= limit:
        current = todo.pop()
        count += 1
        if isinstance(current, dict) and current.get("type") == "batch":
            todo.extend(_list(current.get("ops")))
    return count
