"""Cost estimate on big documents: the line items, and the panel with its forecasts.

    python bench/insights_cost.py [--sizes 200 1000] [--repeat 30]

For each size, a document from bench/docgen.py is resolved once (codegen.resolve, which
the canvas pays anyway for validation and the security scan) and then estimated
`--repeat` times. It prints the median and worst time of `estimate(model)` and of the
whole panel answer (estimate + 12-month forecast in three scenarios, as JSON), and the
resolve time beside them. The goal is the estimate under 50 ms at 1,000 nodes, so the
canvas can re-price on every edit.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import codegen  # noqa: E402
from bench.docgen import make_document  # noqa: E402
from builder.insights.cost import estimate, price_book  # noqa: E402
from builder.insights.cost.render import panel_json  # noqa: E402

GOAL_MS = 50
GROWTH = {"*": 0.05}


def _timed(func, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def bench_size(n_nodes: int, repeat: int) -> None:
    document = make_document(n_nodes)
    start = time.perf_counter()
    model = codegen.resolve(document)
    resolve_ms = (time.perf_counter() - start) * 1000
    result = estimate(model)
    est_median, est_max = _timed(lambda: estimate(model), repeat)
    panel_median, panel_max = _timed(lambda: panel_json(estimate(model), GROWTH), repeat)
    verdict = "ok" if est_median < GOAL_MS else "OVER GOAL"
    print(
        f"{n_nodes:>5} nodes: estimate median {est_median:6.1f} ms, max {est_max:6.1f} ms "
        f"({verdict}, goal {GOAL_MS} ms); with forecast+scenarios median {panel_median:6.1f} ms, "
        f"max {panel_max:6.1f} ms; resolve {resolve_ms:6.1f} ms; {len(result.items)} line "
        f"items, ${result.monthly_total:,.2f}/month, {len(result.missing)} without a price"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 1000])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    price_book()  # loaded and checked once per process, as at start-up
    for size in args.sizes:
        bench_size(size, args.repeat)


if __name__ == "__main__":
    main()
