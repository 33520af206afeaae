"""The pure cores import no Django: they must stay usable without a web app."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORES = [
    "builder.catalog",
    "builder.catalog.safejson",
    "codegen",
    "builder.insights.cost",
    "builder.insights.security",
]


@pytest.mark.parametrize("module", CORES)
def test_core_imports_no_django(module):
    code = (
        f"import sys, {module}; "
        "leaked = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')); "
        "print(leaked[:5]); sys.exit(1 if leaked else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, f"{module} pulls in Django: {result.stdout}{result.stderr}"
