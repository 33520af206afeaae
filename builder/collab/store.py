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
from builder.documents.limits import DocumentTooLarge, SizeMeter, check_size
from builder.documents.models import ROLE_RANK, Architecture, Change, ChangeKind, Membership, Role

# Past this many missed changes a snapshot is cheaper than replaying them.
CATCH_UP_LIMIT = 200
# How far back undo/redo looks in a user's own ops.
UNDO_DEPTH = 200


class RoomClosed(Exception):
    """The user may no longer edit here (membership removed or architecture deleted)."""


@dataclass(frozen=True)
class UndoState:
    """Whether the user has anything to undo and to redo (sent as can_undo, can_redo)."""

    can_undo: bool
    can_redo: bool

    def fields(self) -> dict[str, bool]:
        return {"can_undo": self.can_undo, "can_redo": self.can_redo}


# After a new op of their own a user can undo it, and their redo stack is cleared.
AFTER_NEW_OP = UndoState(can_undo=True, can_redo=False)


@dataclass(frozen=True)
class Committed:
    revision: int
    message: dict[str, Any] | None  # the broadcast; None for a re-sent op already applied
    undo: UndoState  # the sender's stacks once it is committed


@dataclass(frozen=True)
class _Known:
    """A document with what remembers its unchanged nodes: its validator and size meter."""

    document: dict[str, Any]
    validator: DocumentValidator
    meter: SizeMeter


class _DocumentCache:
    """The last document this process committed per architecture, with its validator.

    Used only when the locked row's revision matches, so it is never stale; it saves
    loading the JSON and lets the validator and the size meter skip unchanged nodes.
    """

    def __init__(self, size: int = 64):
        self.size = size
        self.entries: OrderedDict[int, tuple[int, _Known]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, architecture: Architecture) -> _Known:
        with self.lock:
            entry = self.entries.get(architecture.pk)
        if entry and entry[0] == architecture.revision:
            return entry[1]
        return _Known(architecture.document, DocumentValidator(), SizeMeter())

    def put(self, architecture_id: int, revision: int, known: _Known) -> None:
        with self.lock:
            self.entries[architecture_id] = (revision, known)
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


class _Batch:
    """Ops applied in one transaction under the architecture's row lock, stored at once.

    The document is written once and the Change rows inserted in one statement however
    many ops the batch holds; membership is read once per user.
    """

    def __init__(self, architecture_id: int):
        self.architecture = (
            Architecture.objects.select_for_update()
            .defer("document")
            .filter(pk=architecture_id)
            .first()
        )
        if self.architecture is None:
            raise RoomClosed("the architecture was deleted")
        known = _documents.get(self.architecture)
        self.document, self.validator, self.meter = known.document, known.validator, known.meter
        self.changes: list[Change] = []
        self.roles: dict[int, Role | None] = {}  # by user id; None for non-members
        self.applied: dict[tuple[int, str], int] = {}

    def load_roles(self, users) -> None:
        """Read the roles of these users in one query."""
        rows = Membership.objects.filter(
            project_id=self.architecture.project_id, user__in={user.pk for user in users}
        ).values_list("user_id", "role")
        self.roles.update({user.pk: None for user in users})
        self.roles.update({user_id: Role(role) for user_id, role in rows})

    def check_editor(self, user) -> None:
        if user.pk not in self.roles:
            self.load_roles([user])
        role = self.roles[user.pk]
        if role is None:
            raise RoomClosed("you are no longer a member of this project")
        if ROLE_RANK[role] < ROLE_RANK[Role.EDITOR]:
            raise OpRejected(f"viewers cannot edit; you are {role.value} of this project")

    def load_applied(self, requests: list[tuple[Any, str | None]]) -> None:
        """Remember which of these (user, client_op_id) are already in the log."""
        op_ids = {op_id for _, op_id in requests if op_id}
        if op_ids:
            rows = Change.objects.filter(
                architecture_id=self.architecture.pk,
                user__in={user.pk for user, _ in requests},
                client_op_id__in=op_ids,
            ).values_list("user_id", "client_op_id", "revision")
            self.applied.update({(user_id, op_id): rev for user_id, op_id, rev in rows})

    def already_applied(self, user, client_op_id: str | None) -> int | None:
        """The revision at which this op of the user's is already stored, if it is."""
        return self.applied.get((user.pk, client_op_id)) if client_op_id else None

    def check_size(self, document: dict) -> None:
        """The REST API's size limits, with its 413 message as the reason."""
        try:
            check_size(document, self.meter.size)
        except DocumentTooLarge as too_large:
            raise OpRejected(str(too_large), [{"path": "", "message": str(too_large)}]) from None

    def apply(self, user, op: Any, payload: dict, client_op_id: str | None) -> Committed:
        """Apply and validate `op` on the batch's document; raises OpRejected.

        The result's undo state is the one after a new op; an undo or redo sets its own.
        """
        new_document, inverse = apply_validated(self.document, op, self.validator, self.check_size)
        change = Change(
            architecture=self.architecture,
            revision=self.architecture.revision + len(self.changes) + 1,
            user=user,
            kind=ChangeKind.OP,
            client_op_id=client_op_id,
            payload={"op": op, "inverse": inverse, **payload},
        )
        self.changes.append(change)
        self.document = new_document
        if client_op_id:
            self.applied[(user.pk, client_op_id)] = change.revision  # a re-send in this batch
        message = {**op_message(change), **AFTER_NEW_OP.fields()}
        return Committed(change.revision, message, AFTER_NEW_OP)

    def store(self) -> None:
        if not self.changes:
            return
        architecture = self.architecture
        architecture.revision += len(self.changes)
        architecture.document = self.document
        architecture.save(update_fields=["revision", "document", "updated_at"])
        Change.objects.bulk_create(self.changes)
        revision, known = architecture.revision, _Known(self.document, self.validator, self.meter)
        transaction.on_commit(lambda: _documents.put(architecture.pk, revision, known))


@transaction.atomic
def commit_ops(architecture_id: int, requests: list[tuple[Any, str | None, Any]]) -> list:
    """Apply, validate and store ops from (user, client_op_id, op) requests, in order.

    One transaction for the lot (group commit: one document write and one disk flush
    however many ops were waiting). Each result is a Committed, or the OpRejected /
    RoomClosed for that op alone; a re-sent op answers with its stored revision and a
    None message.
    """
    try:
        batch = _Batch(architecture_id)
    except RoomClosed as closed:
        return [closed] * len(requests)
    batch.load_roles([user for user, _, _ in requests])
    batch.load_applied([(user, op_id) for user, op_id, _ in requests])
    results: list = []
    resent: dict[int, Any] = {}  # index in results -> user, of ops already stored
    for user, client_op_id, op in requests:
        try:
            batch.check_editor(user)
            revision = batch.already_applied(user, client_op_id)
            if revision is None:
                results.append(batch.apply(user, op, {}, client_op_id))
            else:
                resent[len(results)] = user
                results.append(revision)
        except (OpRejected, RoomClosed) as refused:
            results.append(refused)
    batch.store()
    # Re-sends come after a reconnect; their ack says how the stacks stand now.
    states = {user.pk: undo_state(architecture_id, user) for user in resent.values()}
    for index, user in resent.items():
        results[index] = Committed(results[index], None, states[user.pk])
    return results


def _undo_stacks(architecture_id: int, user) -> tuple[list[int], list[int]]:
    """The revisions on the user's undo and redo stacks, replayed from their recent ops
    in the log.

    Reads only each change's revision and its undo_of / redo_of, not the ops: the stacks
    are worked out on every connect and every undo, and an import's op is megabytes.
    """
    recent = (
        Change.objects.filter(architecture_id=architecture_id, user=user, kind=ChangeKind.OP)
        .order_by("-revision")
        .values_list("revision", "payload__undo_of", "payload__redo_of")[:UNDO_DEPTH]
    )
    undo: list[int] = []
    redo: list[int] = []
    for revision, undo_of, redo_of in reversed(recent):
        if undo_of is not None:
            if undo and undo[-1] == undo_of:
                redo.append(revision)
                undo.pop()
        elif redo_of is not None:
            if redo and redo[-1] == redo_of:
                undo.append(revision)
                redo.pop()
        else:
            undo.append(revision)
            redo.clear()
    return undo, redo


def undo_state(architecture_id: int, user) -> UndoState:
    """Whether the user has anything to undo and to redo here now."""
    undo, redo = _undo_stacks(architecture_id, user)
    return UndoState(can_undo=bool(undo), can_redo=bool(redo))


@transaction.atomic
def commit_undo(architecture_id: int, user, client_op_id: str | None, redo: bool) -> Committed:
    """Undo (or redo) the user's own last op, as a new op; others' ops are untouched."""
    batch = _Batch(architecture_id)
    batch.check_editor(user)
    batch.load_applied([(user, client_op_id)])
    done = batch.already_applied(user, client_op_id)
    if done is not None:
        return Committed(done, None, undo_state(architecture_id, user))
    undo_stack, redo_stack = _undo_stacks(architecture_id, user)
    stack = redo_stack if redo else undo_stack
    if not stack:
        raise OpRejected(f"nothing to {'redo' if redo else 'undo'}")
    target = stack[-1]
    inverse = Change.objects.values_list("payload__inverse", flat=True).get(
        architecture_id=architecture_id, revision=target
    )
    try:
        committed = batch.apply(
            user, inverse, {("redo_of" if redo else "undo_of"): target}, client_op_id
        )
    except OpRejected as rejected:
        raise OpRejected(
            f"cannot {'redo' if redo else 'undo'} your change at revision {target}: "
            + rejected.reason,
            rejected.errors,
        ) from None
    batch.store()
    state = undo_state(architecture_id, user)  # the log now holds this undo
    return Committed(committed.revision, {**committed.message, **state.fields()}, state)
