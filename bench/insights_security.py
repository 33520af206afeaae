"""Security rule scan on big documents, beside checkov on the same documents' Terraform.

    python bench/insights_security.py [--sizes 200 1000] [--repeat 20] [--no-checkov]

For each size, a document from bench/docgen.py is resolved once (codegen.resolve, which
the canvas pays anyway for cost and validation) and then scanned `--repeat` times; it
prints the median and worst scan time, the time of resolve + scan, the number of
findings, and checkov's wall time on the generated Terraform with the ratio to the
scan. The goal is a scan under 200 ms at 1,000 nodes, so the canvas can re-scan on
every edit.
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
from builder.insights.security import get_rules, scan  # noqa: E402
from builder.insights.security.deep import run_checkov  # noqa: E402

CHECKOV = ROOT / ".checkov-venv" / "bin" / "checkov"
GOAL_MS = 200


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def bench_size(n_nodes: int, repeat: int, with_checkov: bool) -> None:
    document = make_document(n_nodes)
    start = time.perf_counter()
    model = codegen.resolve(document)
    resolve_ms = _ms(start)
    times, findings = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        findings = scan(model)
        times.append(_ms(start))
    median = statistics.median(times)
    verdict = "ok" if median < GOAL_MS else "OVER GOAL"
    print(
        f"{n_nodes:>5} nodes {len(document['edges']):>5} edges: scan median {median:7.1f} ms, "
        f"max {max(times):7.1f} ms ({verdict}, goal {GOAL_MS} ms); "
        f"resolve {resolve_ms:6.1f} ms; {len(findings)} findings"
    )
    if not with_checkov:
        return
    if not CHECKOV.exists():
        print("        checkov: not installed (scripts/install-checkov.sh)")
        return
    files = codegen.generate(document, "terraform")
    start = time.perf_counter()
    report = run_checkov(files, CHECKOV, timeout=3600)
    checkov_ms = _ms(start)
    reports = report if isinstance(report, list) else [report]
    failed = sum(len(r.get("results", {}).get("failed_checks", [])) for r in reports)
    print(
        f"        checkov on the Terraform: {checkov_ms / 1000:7.1f} s, {failed} failed checks; "
        f"{checkov_ms / median:,.0f}x the rule scan"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 1000])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--no-checkov", action="store_true", help="skip checkov")
    args = parser.parse_args(argv)
    print(f"{len(get_rules())} rules")
    for size in args.sizes:
        bench_size(size, args.repeat, not args.no_checkov)


if __name__ == "__main__":
    main()
