"""Cost forecasts from the resolved model: line items, forecasts, scenarios and diffs.

Imports no Django. `estimate(model)` prices every component and what the model implies
for it; `forecast`, `scenarios` and `diff` work on estimates; `render` shapes them.
"""

from builder.insights.cost.diff import CostDiff, diff
from builder.insights.cost.engine import (
    SUPPORTED_REGIONS,
    check_price_book,
    estimate,
    known_regions,
    price_book,
)
from builder.insights.cost.forecast import (
    MONTHS,
    SCENARIOS,
    GrowthInvalid,
    forecast,
    parse_growth,
    scenarios,
)
from builder.insights.cost.items import Estimate, LineItem

__all__ = [
    "MONTHS",
    "SCENARIOS",
    "SUPPORTED_REGIONS",
    "CostDiff",
    "Estimate",
    "GrowthInvalid",
    "LineItem",
    "check_price_book",
    "diff",
    "estimate",
    "forecast",
    "known_regions",
    "parse_growth",
    "price_book",
    "scenarios",
]
