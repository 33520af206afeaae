"""Synthesize generated CDK apps with the real aws-cdk-lib, several in one process.

Starting aws-cdk-lib boots node (jsii) and costs seconds per process; running each
generated app's `build(app)` in this process with its own `App(outdir=...)` pays that
once. Used by the tests and the benchmark, never by the web app (it imports aws_cdk).
"""

from __future__ import annotations

import json
import os
import runpy
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")


@contextmanager
def _importable(app_dir: Path) -> Iterator[None]:
    """Let the app in `app_dir` import its own modules, as it does when run there."""
    # Each generated app has its own `stacks` package: forget the previous one.
    for module in [m for m in sys.modules if m == "stacks" or m.startswith("stacks.")]:
        del sys.modules[module]
    sys.path.insert(0, str(app_dir))
    try:
        yield
    finally:
        sys.path.remove(str(app_dir))


def synth_app(app_dir: Path, outdir: Path | None = None) -> dict[str, dict[str, Any]]:
    """Run the generated app in `app_dir`; stack name -> synthesized template."""
    import aws_cdk as cdk

    with _importable(app_dir):
        namespace = runpy.run_path(str(app_dir / "app.py"), run_name="cloudwright_app")
        app = cdk.App(outdir=str(outdir or app_dir / "cdk.out"), context=namespace["CONTEXT"])
        stacks = namespace["build"](app)
        assembly = app.synth()
    return {s.stack_name: assembly.get_stack_by_name(s.stack_name).template for s in stacks}


def run_app(app_dir: Path) -> None:
    """Run the generated `app.py` as `python app.py` and the CDK CLI do (as __main__)."""
    with _importable(app_dir):
        runpy.run_path(str(app_dir / "app.py"), run_name="__main__")


def template_paths(outdir: Path) -> list[Path]:
    manifest = json.loads((outdir / "manifest.json").read_text())
    return sorted(
        outdir / artifact["properties"]["templateFile"]
        for artifact in manifest["artifacts"].values()
        if artifact["type"] == "aws:cloudformation:stack"
    )
