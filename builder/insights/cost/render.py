"""Estimates as the CLI, the REST API, the canvas panel and CSV export show them."""

from __future__ import annotations

import csv
import io
import math
from typing import Any

from builder.insights.cost.diff import CostDiff
from builder.insights.cost.forecast import scenarios
from builder.insights.cost.items import Estimate, LineItem

CLI_ITEM_KEYS = (
    "node_id",
    "service",
    "description",
    "quantity",
    "unit",
    "unit_price",
    "monthly_cost",
)


def money(value: float | None) -> float | None:
    """Money to a hundredth of a cent: small request charges stay visible.

    A usage so large the arithmetic overflows has no meaningful cost: None, as JSON
    cannot carry infinity.
    """
    return round(value, 4) if value is not None and math.isfinite(value) else None


def _quantity(value: float) -> float | None:
    return round(value, 6) if math.isfinite(value) else None


def _series(totals: list[float]) -> list[dict[str, Any]]:
    return [{"month": m, "total": money(t)} for m, t in enumerate(totals, start=1)]


def _cli_item(item: LineItem) -> dict[str, Any]:
    return {
        "node_id": item.node_id,
        "service": item.service,
        "description": item.description,
        "quantity": _quantity(item.quantity),
        "unit": item.unit,
        "unit_price": item.unit_price,
        "monthly_cost": money(item.monthly_cost),
    }


def cli_json(est: Estimate, forecast: list[float]) -> dict[str, Any]:
    """Exactly what `manage.py estimate --format json` prints."""
    return {
        "currency": est.currency,
        "monthly_total": money(est.monthly_total),
        "items": [_cli_item(i) for i in est.items],
        "forecast": _series(forecast),
    }


def panel_json(est: Estimate, growth: dict[str, float] | None = None) -> dict[str, Any]:
    """The full estimate the REST API serves and the canvas cost panel draws (docs/cost.md)."""
    series = scenarios(est, growth)
    by_node = est.by_node()
    missing_by_node: dict[str, int] = {}
    for item in est.missing:
        missing_by_node[item.node_id] = missing_by_node.get(item.node_id, 0) + 1
    return {
        "currency": est.currency,
        "region": est.region,
        "free_tier": est.free_tier,
        "prices_collected": est.prices_collected,
        "monthly_total": money(est.monthly_total),
        "complete": not est.missing,
        "items": [
            {
                **_cli_item(i),
                "code": i.code,
                "price_ref": i.price_ref,
                "free_quantity": _quantity(i.free_quantity),
                "implied": i.implied,
                "missing": i.missing,
                "source": i.source,
                "as_of": i.as_of,
            }
            for i in est.items
        ],
        "by_service": [
            {"service": service, "monthly_cost": money(cost)}
            for service, cost in est.by_service().items()
        ],
        "by_node": {
            node_id: {
                "label": est.nodes[node_id].label,
                "type": est.nodes[node_id].type,
                "monthly_cost": money(cost),
                "missing": missing_by_node.get(node_id, 0),
            }
            for node_id, cost in by_node.items()
        },
        "forecast": _series(series["expected"]),
        "scenarios": {
            name: {"monthly_total": money(totals[0]), "forecast": _series(totals)}
            for name, totals in series.items()
        },
        "growth": growth or {},
        "missing": [
            {"node_id": i.node_id, "price_ref": i.price_ref, "message": i.missing}
            for i in est.missing
        ],
        "assumptions": est.assumptions,
    }


def diff_json(d: CostDiff) -> dict[str, Any]:
    return {
        "currency": d.currency,
        "before_total": money(d.before_total),
        "after_total": money(d.after_total),
        "delta": money(d.delta),
        "nodes": [
            {
                "node_id": n.node_id,
                "label": n.label,
                "type": n.type,
                "status": n.status,
                "before": money(n.before),
                "after": money(n.after),
                "delta": money(n.delta),
                "items": [
                    {
                        "code": c.code,
                        "description": c.description,
                        "before": money(c.before),
                        "after": money(c.after),
                        "delta": money(c.delta),
                    }
                    for c in n.items
                ],
            }
            for n in d.nodes
            if n.status != "unchanged"
        ],
    }


def _fmt(value: float | None) -> str:
    return "no price" if value is None else f"{value:,.2f}"


def table(est: Estimate, forecast: list[float]) -> str:
    """A plain-text report for the terminal, grouped by node."""
    rows = [("node", "service", "description", "quantity", "unit", "monthly")]
    for item in est.items:
        rows.append(
            (
                item.node_id,
                item.service,
                item.description,
                f"{item.quantity:,.4g}",
                item.unit,
                _fmt(item.monthly_cost),
            )
        )
    widths = [min(max(len(r[i]) for r in rows), 60) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell[:60].ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append("")
    lines.append(f"Monthly total ({est.region}): {est.currency} {_fmt(est.monthly_total)}")
    if est.missing:
        lines.append(f"{len(est.missing)} item(s) have no price and are not in the total.")
    lines.append(
        "Forecast: " + ", ".join(f"m{m} {_fmt(t)}" for m, t in enumerate(forecast, start=1))
    )
    return "\n".join(lines) + "\n"


def to_csv(est: Estimate) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*CLI_ITEM_KEYS, "price_ref", "implied", "missing"])
    for item in est.items:
        row = _cli_item(item)
        writer.writerow(
            [
                *("" if row[k] is None else row[k] for k in CLI_ITEM_KEYS),
                item.price_ref,
                item.implied,
                item.missing or "",
            ]
        )
    writer.writerow(["", "", "Monthly total", "", "", "", money(est.monthly_total), "", "", ""])
    return out.getvalue()
