"""Every state change of projects, members, tokens, architectures and versions.

One function per change: atomic, taking the acting user, writing a `Change` row where
an architecture moves, and broadcasting to the architecture's room after commit.
Permission checks are the caller's (API views, consumers); these functions check the
rules that hold whoever calls them.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.db.models import Max

from builder.catalog import FORMAT, check_document
from builder.collab.groups import broadcast
from builder.documents.limits import check_size
from builder.documents.models import (
    ApiToken,
    Architecture,
    Change,
    ChangeKind,
    Membership,
    Project,
    Role,
    Version,
)
from codegen import naming

TOKEN_PREFIX = "cw_"


class ActionRefused(Exception):
    """A rule forbids the change; `field` names the request field at fault."""

    def __init__(self, message: str, field: str = "non_field_errors"):
        super().__init__(message)
        self.message = message
        self.field = field


class StaleRevision(Exception):
    """The writer based its change on an older revision than the stored one."""

    def __init__(self, current: int, expected: int):
        super().__init__(f"the architecture is at revision {current}, not {expected}")
        self.current = current
        self.expected = expected


def empty_document(name: str) -> dict[str, Any]:
    return {"format": FORMAT, "name": name, "region": "us-east-1", "nodes": [], "edges": []}


def _check(document: Any) -> None:
    """Size first (413), then the catalog's rules (400); raises, never stores bad data."""
    check_size(document)
    check_document(document)


def user_summary(user) -> dict[str, Any] | None:
    return {"id": user.pk, "username": user.get_username()} if user else None


def snapshot_event(architecture: Architecture, change: Change) -> dict[str, Any]:
    return {
        "type": "snapshot",
        "kind": change.kind,
        "architecture_id": architecture.pk,
        "name": architecture.name,
        "revision": architecture.revision,
        "document": architecture.document,
        "by": user_summary(change.user),
    }


def _broadcast_snapshot(architecture: Architecture, change: Change) -> None:
    event = snapshot_event(architecture, change)
    transaction.on_commit(lambda: broadcast(architecture.pk, event))


# Projects and members ------------------------------------------------------------------


@transaction.atomic
def create_project(user, name: str, description: str = "") -> Project:
    project = Project.objects.create(name=name, description=description, created_by=user)
    Membership.objects.create(project=project, user=user, role=Role.OWNER)
    return project


@transaction.atomic
def update_project(user, project: Project, **fields: str) -> Project:
    for key, value in fields.items():
        setattr(project, key, value)
    project.save()
    return project


@transaction.atomic
def delete_project(user, project: Project) -> None:
    project.delete()


@transaction.atomic
def add_member(actor, project: Project, user, role: Role) -> Membership:
    if Membership.objects.filter(project=project, user=user).exists():
        raise ActionRefused(f"{user.get_username()} is already a member", "user")
    return Membership.objects.create(project=project, user=user, role=role)


def _other_owners(membership: Membership) -> bool:
    return (
        Membership.objects.select_for_update()
        .filter(project_id=membership.project_id, role=Role.OWNER)
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def change_role(actor, membership: Membership, role: Role) -> Membership:
    if membership.role == Role.OWNER and role != Role.OWNER and not _other_owners(membership):
        raise ActionRefused("a project keeps at least one owner", "role")
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def remove_member(actor, membership: Membership) -> None:
    if membership.role == Role.OWNER and not _other_owners(membership):
        raise ActionRefused("a project keeps at least one owner; add another owner first")
    membership.delete()


# API tokens ----------------------------------------------------------------------------


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def create_token(user, name: str) -> tuple[ApiToken, str]:
    """A new token and its key; the key is not stored and cannot be shown again."""
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[: len(TOKEN_PREFIX) + 6], key_hash=hash_key(key)
    )
    return token, key


@transaction.atomic
def revoke_token(user, token: ApiToken) -> None:
    token.delete()


# Architectures ------------------------------------------------------------------------


def _keep_name_prefix(document: dict[str, Any], prefix: str) -> dict[str, Any]:
    """The document with `metadata.name_prefix` set, unless it names one itself.

    AWS resource names start with this prefix; fixing it when the architecture is
    created means renaming the architecture (or replacing the document without the
    field) never renames, and so never replaces, deployed resources.
    """
    metadata = document.get("metadata", {})
    if metadata.get("name_prefix"):
        return document
    return {**document, "metadata": {**metadata, "name_prefix": prefix}}


def _prefix_from_name(document: dict[str, Any], name: str) -> str:
    return naming.aws_name_prefix(naming.slug(document.get("name") or name, 20))


@transaction.atomic
def create_architecture(user, project: Project, name: str, document: Any = None) -> Architecture:
    document = empty_document(name) if document is None else document
    _check(document)
    document = _keep_name_prefix(document, _prefix_from_name(document, name))
    architecture = Architecture.objects.create(
        project=project, name=name, document=document, revision=1, created_by=user
    )
    Change.objects.create(
        architecture=architecture,
        revision=1,
        user=user,
        kind=ChangeKind.CREATE,
        payload={"name": name, "nodes": len(document["nodes"]), "edges": len(document["edges"])},
    )
    return architecture


def record_change(
    architecture_locked: Architecture,
    user,
    kind: str,
    new_document: dict[str, Any],
    payload: dict[str, Any],
    client_op_id: str | None = None,
) -> Change:
    """Store `new_document` as the next revision and log it.

    The caller holds the row lock (select_for_update inside its transaction) and has
    validated `new_document`; this is the primitive ops, replaces and restores share.
    """
    architecture_locked.revision += 1
    architecture_locked.document = new_document
    architecture_locked.save(update_fields=["revision", "document", "name", "updated_at"])
    return Change.objects.create(
        architecture=architecture_locked,
        revision=architecture_locked.revision,
        user=user,
        kind=kind,
        client_op_id=client_op_id,
        payload=payload,
    )


def _lock(architecture: Architecture) -> Architecture:
    return Architecture.objects.select_for_update().get(pk=architecture.pk)


def _summary(document: dict[str, Any]) -> dict[str, int]:
    return {"nodes": len(document.get("nodes", [])), "edges": len(document.get("edges", []))}


@transaction.atomic
def replace_document(
    user, architecture: Architecture, document: Any, expected_revision: int | None = None
) -> Architecture:
    """Replace the whole document; raises StaleRevision, DocumentTooLarge, DocumentInvalid."""
    _check(document)
    locked = _lock(architecture)
    if expected_revision is not None and expected_revision != locked.revision:
        raise StaleRevision(locked.revision, expected_revision)
    stored_prefix = locked.document.get("metadata", {}).get("name_prefix")
    if stored_prefix:
        document = _keep_name_prefix(document, stored_prefix)
    change = record_change(locked, user, ChangeKind.REPLACE, document, _summary(document))
    _broadcast_snapshot(locked, change)
    return locked


@transaction.atomic
def rename_architecture(user, architecture: Architecture, name: str) -> Architecture:
    locked = _lock(architecture)
    old = locked.name
    locked.name = name
    # The document carries the name into generated code (the READMEs' title) and the
    # exported cloudwright.json; its resource name prefix stays as it was.
    document = _keep_name_prefix(locked.document, _prefix_from_name(locked.document, old))
    change = record_change(
        locked, user, ChangeKind.RENAME, {**document, "name": name}, {"from": old, "to": name}
    )
    _broadcast_snapshot(locked, change)
    return locked


@transaction.atomic
def delete_architecture(user, architecture: Architecture) -> None:
    architecture_id = architecture.pk
    architecture.delete()
    event = {"type": "deleted", "architecture_id": architecture_id, "by": user_summary(user)}
    transaction.on_commit(lambda: broadcast(architecture_id, event))


# Versions -----------------------------------------------------------------------------


@transaction.atomic
def save_version(user, architecture: Architecture, name: str, message: str = "") -> Version:
    locked = _lock(architecture)
    last = locked.versions.aggregate(n=Max("number"))["n"] or 0
    return Version.objects.create(
        architecture=locked,
        number=last + 1,
        name=name,
        message=message,
        author=user,
        document=locked.document,
        revision=locked.revision,
    )


@transaction.atomic
def restore_version(user, version: Version) -> Architecture:
    """Make the version's document the working copy again, as a new revision."""
    locked = _lock(version.architecture)
    change = record_change(
        locked,
        user,
        ChangeKind.RESTORE,
        # The document takes the architecture's current name: a version can predate a rename.
        {**version.document, "name": locked.name},
        {"version_id": version.pk, "number": version.number, "name": version.name},
    )
    _broadcast_snapshot(locked, change)
    return locked
