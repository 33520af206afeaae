"""Cost difference between two estimates, per node and in total (like `infracost diff`).

Nodes pair by id (ids are stable across versions; labels are not), items by their code
within the node. A price missing on either side makes that item's delta unknown rather
than counting it as zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from builder.insights.cost.items import Estimate, LineItem


@dataclass
class ItemChange:
    code: str
    description: str
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass
class NodeChange:
    node_id: str
    label: str
    type: str
    status: str  # added, removed, changed, unchanged
    before: float
    after: float
    items: list[ItemChange] = field(default_factory=list)

    @property
    def delta(self) -> float:
        return self.after - self.before


@dataclass
class CostDiff:
    currency: str
    before_total: float
    after_total: float
    nodes: list[NodeChange]

    @property
    def delta(self) -> float:
        return self.after_total - self.before_total


def _by_node(est: Estimate) -> dict[str, dict[str, LineItem]]:
    grouped: dict[str, dict[str, LineItem]] = {node_id: {} for node_id in est.nodes}
    for item in est.items:
        grouped[item.node_id][item.code] = item
    return grouped


def _cost(items: dict[str, LineItem]) -> float:
    return sum(i.monthly_cost for i in items.values() if i.monthly_cost is not None)


def diff(before: Estimate, after: Estimate) -> CostDiff:
    """Every node of either estimate, with what changed; unchanged nodes have no items."""
    old, new = _by_node(before), _by_node(after)
    nodes = []
    for node_id in [*before.nodes, *(n for n in after.nodes if n not in before.nodes)]:
        old_items, new_items = old.get(node_id, {}), new.get(node_id, {})
        info = after.nodes.get(node_id) or before.nodes[node_id]
        changes = []
        for code in [*old_items, *(c for c in new_items if c not in old_items)]:
            was, now = old_items.get(code), new_items.get(code)
            change = ItemChange(
                code=code,
                description=(now or was).description,
                before=was.monthly_cost if was else 0.0,
                after=now.monthly_cost if now else 0.0,
            )
            same_quantity = was and now and was.quantity == now.quantity
            if change.before != change.after or not same_quantity:
                changes.append(change)
        if node_id not in before.nodes:
            status = "added"
        elif node_id not in after.nodes:
            status = "removed"
        else:
            status = "changed" if changes else "unchanged"
        nodes.append(
            NodeChange(
                node_id, info.label, info.type, status, _cost(old_items), _cost(new_items), changes
            )
        )
    return CostDiff(after.currency, before.monthly_total, after.monthly_total, nodes)
