"""The room's database side: ops committed under the architecture's row lock, catch-up
after a reconnect, and per-user undo/redo read back from the Change log.

Synchronous Django code; the consumer calls it through `database_sync_to_async`.
`select_for_update` on the architecture row gives one total order of revisions per
architecture across processes on PostgreSQL (SQLite serialises writers anyway). An op
is acknowledged only after the transaction that stores it has committed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from builder.collab.ops import OpRejected
from builder.collab.presence import member_info
from builder.collab.validation import DocumentValidator, apply_validated
from builder.documents.actions import record_change
from builder.documents.models import ROLE_RANK, Architecture, Change, ChangeKind, Membership, Role

# Past this many missed changes a snapshot is cheaper than replaying them.
CATCH_UP_LIMIT = 200
# How far back undo/redo looks in a user's own ops.
UNDO_DEPTH = 200


class RoomClosed(Exception):
    """The user may no longer edit here (membership removed or architecture deleted)."""


@dataclass(frozen=True)
class Committed:
    revision: int
    message: dict[str, Any] | None  # the broadcast; None for a re-sent op already applied


class _DocumentCache:
    """The last document this process committed per architecture, with its validator.

    Used only when the locked row's revision matches, so it is never stale; it saves
    loading the JSON and lets the validator skip unchanged nodes.
    """

    def __init__(self, size: int = 64):
        self.size = size
        self.entries: OrderedDict[int, tuple[int, dict, DocumentValidator]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, architecture: Architecture) -> tuple[dict, DocumentValidator]:
        with self.lock:
            entry = self.entries.get(architecture.pk)
        if entry and entry[0] == architecture.revision:
            return entry[1], entry[2]
        return architecture.document, DocumentValidator()

    def put(self, architecture_id: int, revision: int, doc: dict, validator) -> None:
        with self.lock:
            self.entries[architecture_id] = (revision, doc, validator)
            self.entries.move_to_end(architecture_id)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


_documents = _DocumentCache()


def room_role(user, architecture_id: int) -> Role | None:
    """The user's role in the architecture's project; None for strangers and unknown ids."""
    role = (
        Membership.objects.filter(user=user, project__architectures__pk=architecture_id)
        .values_list("role", flat=True)
        .first()
    )
    return Role(role) if role else None


def op_message(change: Change) -> dict[str, Any]:
    return {
        "type": "op",
        "revision": change.revision,
        "op": change.payload["op"],
        "user": member_info(change.user) if change.user else None,
        "client_op_id": change.client_op_id,
    }


def snapshot_message(architecture: Architecture, kind: str = "connect") -> dict[str, Any]:
    return {
        "type": "snapshot",
        "kind": kind,
        "architecture_id": architecture.pk,
        "name": architecture.name,
        "revision": architecture.revision,
        "document": architecture.document,
    }


def catch_up(architecture_id: int, after: int | None, upto: int | None = None) -> list[dict]:
    """What a socket that has seen revision `after` needs to reach `upto` (default: now).

    The missed ops in order, or one snapshot when there are too many, when one of them
    was not an op (a REST replace, a restore), or when `after` is unknown.
    """
    architecture = Architecture.objects.filter(pk=architecture_id).first()
    if architecture is None:
        raise RoomClosed("the architecture was deleted")
    upto = architecture.revision if upto is None else upto
    if after is not None and 0 <= after <= upto:
        changes = list(
            Change.objects.filter(
                architecture_id=architecture_id, revision__gt=after, revision__lte=upto
            )
            .select_related("user")
            .order_by("revision")[: CATCH_UP_LIMIT + 1]
        )
        complete = len(changes) == upto - after and len(changes) <= CATCH_UP_LIMIT
        if complete and all(c.kind == ChangeKind.OP for c in changes):
            return [op_message(c) for c in changes]
    return [snapshot_message(architecture)]


def _lock_for_edit(architecture_id: int, user) -> Architecture:
    architecture = (
        Architecture.objects.select_for_update()
        .defer("document")
        .filter(pk=architecture_id)
        .first()
    )
    if architecture is None:
        raise RoomClosed("the architecture was deleted")
    _check_editor(architecture_id, user)
    return architecture


def _check_editor(architecture_id: int, user) -> None:
    role = room_role(user, architecture_id)
    if role is None:
        raise RoomClosed("you are no longer a member of this project")
    if ROLE_RANK[role] < ROLE_RANK[Role.EDITOR]:
        raise OpRejected(f"viewers cannot edit; you are {role.value} of this project")


class _Working:
    """The document as the ops of one transaction leave it, and its validator."""

    def __init__(self, architecture: Architecture):
        self.document, self.validator = _documents.get(architecture)


def _commit(architecture: Architecture, working: _Working, user, op: Any, payload: dict,
            client_op_id: str | None) -> Committed:  # fmt: skip
    new_document, inverse = apply_validated(working.document, op, working.validator)
    change = record_change(
        architecture, user, ChangeKind.OP, new_document,
        {"op": op, "inverse": inverse, **payload}, client_op_id=client_op_id,
    )  # fmt: skip
    change.user = user
    working.document = new_document
    revision, validator = change.revision, working.validator
    transaction.on_commit(
        lambda: _documents.put(architecture.pk, revision, new_document, validator)
    )
    return Committed(revision, op_message(change))


@transaction.atomic
def commit_ops(architecture_id: int, requests: list[tuple[Any, str | None, Any]]) -> list:
    """Apply, validate and store ops from (user, client_op_id, op) requests, in order.

    One transaction for the lot (group commit: one disk flush however many ops were
    waiting). Each result is a Committed, or the OpRejected / RoomClosed for that op
    alone; a re-sent op answers with its stored revision and a None message.
    """
    results: list = []
    architecture = (
        Architecture.objects.select_for_update()
        .defer("document")
        .filter(pk=architecture_id)
        .first()
    )
    if architecture is None:
        return [RoomClosed("the architecture was deleted")] * len(requests)
    working = _Working(architecture)
    for user, client_op_id, op in requests:
        try:
            _check_editor(architecture_id, user)
            done = _already_applied(architecture_id, user, client_op_id)
            results.append(done or _commit(architecture, working, user, op, {}, client_op_id))
        except (OpRejected, RoomClosed) as refused:
            results.append(refused)
    return results


def _already_applied(architecture_id: int, user, client_op_id: str | None) -> Committed | None:
    if not client_op_id:
        return None
    revision = (
        Change.objects.filter(architecture_id=architecture_id, user=user, client_op_id=client_op_id)
        .values_list("revision", flat=True)
        .first()
    )
    return None if revision is None else Committed(revision, None)


def _undo_stacks(architecture_id: int, user) -> tuple[list[Change], list[Change]]:
    """The user's undo and redo stacks, replayed from their recent ops in the log."""
    recent = Change.objects.filter(
        architecture_id=architecture_id, user=user, kind=ChangeKind.OP
    ).order_by("-revision")[:UNDO_DEPTH]
    undo: list[Change] = []
    redo: list[Change] = []
    for change in reversed(recent):
        undo_of, redo_of = change.payload.get("undo_of"), change.payload.get("redo_of")
        if undo_of is not None:
            if undo and undo[-1].revision == undo_of:
                redo.append(change)
                undo.pop()
        elif redo_of is not None:
            if redo and redo[-1].revision == redo_of:
                undo.append(change)
                redo.pop()
        else:
            undo.append(change)
            redo.clear()
    return undo, redo


@transaction.atomic
def commit_undo(architecture_id: int, user, client_op_id: str | None, redo: bool) -> Committed:
    """Undo (or redo) the user's own last op, as a new op; others' ops are untouched."""
    architecture = _lock_for_edit(architecture_id, user)
    done = _already_applied(architecture_id, user, client_op_id)
    if done is not None:
        return done
    undo_stack, redo_stack = _undo_stacks(architecture_id, user)
    stack = redo_stack if redo else undo_stack
    if not stack:
        raise OpRejected(f"nothing to {'redo' if redo else 'undo'}")
    target = stack[-1]
    try:
        return _commit(
            architecture, _Working(architecture), user, target.payload["inverse"],
            {("redo_of" if redo else "undo_of"): target.revision}, client_op_id,
        )  # fmt: skip
    except OpRejected as rejected:
        raise OpRejected(
            f"cannot {'redo' if redo else 'undo'} your change at revision {target.revision}: "
            + rejected.reason,
            rejected.errors,
        ) from None
