"""Code generation benchmark: ms per document for each target, and resolve alone.

    python bench/codegen.py            # both sizes, every target that has a bench
    python bench/codegen.py --runs 9
    python bench/codegen.py --cdk-synth    # also: wall time of a CDK synth, 1,000 nodes

Targets: under 500 ms per 1,000-node document per target.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.docgen import make_document  # noqa: E402
from codegen import resolve  # noqa: E402
from codegen.cdk import render as render_cdk  # noqa: E402
from codegen.terraform import render as render_terraform  # noqa: E402

SIZES = (100, 1000)
TARGET_MS = 500


def median_ms(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def bench_resolve(doc: dict, runs: int) -> float:
    return median_ms(lambda: resolve(doc), runs)


def bench_terraform(doc: dict, runs: int) -> float:
    """Resolve + render, as `codegen.generate(doc, "terraform")` does."""
    return median_ms(lambda: render_terraform(resolve(doc)), runs)


def bench_cdk(doc: dict, runs: int) -> float:
    """Resolve + render, as `codegen.generate(doc, "cdk")` does."""
    return median_ms(lambda: render_cdk(resolve(doc)), runs)


def cdk_synth_seconds(doc: dict) -> tuple[float, int]:
    """Wall time of synthesizing the generated app (aws-cdk-lib, node), and its stacks."""
    import tempfile

    from codegen.cdk.synth import synth_app
    from codegen.files import write_files

    with tempfile.TemporaryDirectory() as directory:
        app_dir = write_files(render_cdk(resolve(doc)), Path(directory))
        start = time.perf_counter()
        stacks = synth_app(app_dir)
        return time.perf_counter() - start, len(stacks)


BENCHES: dict[str, Callable[[dict, int], float]] = {
    "resolve": bench_resolve,
    "terraform": bench_terraform,
    "cdk": bench_cdk,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cdk-synth", action="store_true", help="also time a CDK synth")
    args = parser.parse_args()
    print(f"{'bench':<12}{'nodes':>7}{'ms/doc (median)':>18}   target")
    for size in SIZES:
        doc = make_document(size)
        for name, bench in BENCHES.items():
            ms = bench(doc, args.runs)
            verdict = (
                ""
                if name == "resolve"
                else (f"< {TARGET_MS} ms: {'ok' if ms < TARGET_MS else 'MISSED'}")
            )
            print(f"{name:<12}{size:>7}{ms:>18.1f}   {verdict}")
    if args.cdk_synth:
        doc = make_document(max(SIZES))
        cdk_ms = bench_cdk(doc, 1)
        seconds, stacks = cdk_synth_seconds(doc)
        print(
            f"cdk synth {max(SIZES)} nodes: {seconds:.1f} s wall for {stacks} stacks "
            f"(includes booting node), {seconds * 1000 / cdk_ms:.0f}x the render"
        )


if __name__ == "__main__":
    main()
