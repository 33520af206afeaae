"""Helpers the Terraform renderer's tests share: writing repositories, running tools.

Tests that need the terraform binary, the local hashicorp/aws provider or checkov skip
with the reason on a developer machine and FAIL under CI=true, so CI cannot pass by
skipping them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import hcl2
import pytest

ROOT = Path(__file__).resolve().parents[2]
PLUGIN_DIR = Path(os.environ.get("CLOUDWRIGHT_TF_PLUGIN_DIR", "/opt/tf-plugins"))
AWS_PROVIDER = PLUGIN_DIR / "registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64"
CHECKOV = ROOT / ".checkov-venv/bin/checkov"


def require(problem: str | None) -> None:
    """Skip (locally) or fail (under CI=true) when a tool a test needs is missing."""
    if problem is None:
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"[CI] {problem}", pytrace=False)
    pytest.skip(problem)


def terraform_problem() -> str | None:
    if shutil.which("terraform") is None:
        return "the terraform binary is not on PATH"
    if not AWS_PROVIDER.is_dir():
        return f"the hashicorp/aws 5.100.0 provider is not at {AWS_PROVIDER}"
    return None


def checkov_problem() -> str | None:
    if not CHECKOV.exists():
        return f"checkov is not installed in {CHECKOV.parent.parent} (scripts/install-checkov.sh)"
    return None


def terraform_env(tmp: Path) -> dict[str, str]:
    config = tmp / "terraformrc"
    config.write_text("")  # no user config: silences the missing-file warning
    return {**os.environ, "TF_CLI_CONFIG_FILE": str(config), "TF_IN_AUTOMATION": "1"}


def run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def unquote(value: Any) -> Any:
    """python-hcl2 keeps the quotes of string literals and labels; drop them."""
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    if isinstance(value, list):
        return [unquote(v) for v in value]
    if isinstance(value, dict):
        return {unquote(k): unquote(v) for k, v in value.items() if not k.startswith("__")}
    return value


def blocks(text: str, kind: str, type_: str) -> dict[str, dict[str, Any]]:
    """Bodies of `kind` ("resource"/"data") blocks of `type_` in one file, by name."""
    parsed = unquote(hcl2.loads(text))
    found: dict[str, dict[str, Any]] = {}
    for entry in parsed.get(kind, []):
        found.update(entry.get(type_, {}))
    return found
