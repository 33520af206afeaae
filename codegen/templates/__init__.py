"""Built-in starting points: each template is a valid cloudwright/v1 document.

The documents are the JSON files next to this module; the file's stem is the
template id. Children of containers hold positions relative to their container, as
the canvas (React Flow) expects.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

TEMPLATES_DIR = Path(__file__).parent
# The order the product lists them in: simplest first.
TEMPLATE_IDS = ("serverless-crud", "container-platform", "event-pipeline")


@cache
def _load(template_id: str) -> dict[str, Any]:
    return json.loads((TEMPLATES_DIR / f"{template_id}.json").read_text(encoding="utf-8"))


def list_templates() -> list[dict[str, Any]]:
    """Summaries for `GET /api/templates/`: id, name, description, node_count."""
    return [
        {
            "id": template_id,
            "name": _load(template_id)["name"],
            "description": _load(template_id)["description"],
            "node_count": len(_load(template_id)["nodes"]),
        }
        for template_id in TEMPLATE_IDS
    ]


def get_template(template_id: str) -> dict[str, Any]:
    """A fresh copy of the template's document; KeyError for an unknown id."""
    if template_id not in TEMPLATE_IDS:
        raise KeyError(template_id)
    return copy.deepcopy(_load(template_id))


__all__ = ["TEMPLATE_IDS", "get_template", "list_templates"]
