"""What changed between two architecture documents: nodes, edges and their fields.

Pure: no Django. Props and usage are compared key by key so a diff says which
setting moved, not just that a node differs.
"""

from __future__ import annotations

from typing import Any

_MAPS = ("props", "usage")


def _by_id(items: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(items, list):
        return {}
    return {i["id"]: i for i in items if isinstance(i, dict) and isinstance(i.get("id"), str)}


def _field_changes(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for key in sorted(set(old) | set(new)):
        if key == "id" or old.get(key) == new.get(key):
            continue
        if (
            key in _MAPS
            and isinstance(old.get(key, {}), dict)
            and isinstance(new.get(key, {}), dict)
        ):
            before, after = old.get(key, {}), new.get(key, {})
            changes[key] = {
                k: {"from": before.get(k), "to": after.get(k)}
                for k in sorted(set(before) | set(after))
                if before.get(k) != after.get(k)
            }
        else:
            changes[key] = {"from": old.get(key), "to": new.get(key)}
    return changes


def _diff_items(old: Any, new: Any) -> dict[str, list[Any]]:
    before, after = _by_id(old), _by_id(new)
    return {
        "added": [after[i] for i in after if i not in before],
        "removed": [before[i] for i in before if i not in after],
        "changed": [
            {"id": i, "changes": _field_changes(before[i], after[i])}
            for i in after
            if i in before and before[i] != after[i]
        ],
    }


def diff_documents(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """`{document, nodes, edges}`; nodes/edges hold added, removed and changed lists."""
    top_old = {k: v for k, v in old.items() if k not in ("nodes", "edges")}
    top_new = {k: v for k, v in new.items() if k not in ("nodes", "edges")}
    return {
        "document": _field_changes(top_old, top_new),
        "nodes": _diff_items(old.get("nodes"), new.get("nodes")),
        "edges": _diff_items(old.get("edges"), new.get("edges")),
    }
