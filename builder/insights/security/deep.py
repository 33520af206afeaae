"""The deep scan: checkov on the generated Terraform, cdk-nag on the generated CDK app.

Both tools run as subprocesses: checkov from its own virtualenv (its bc-python-hcl2
replaces python-hcl2's `hcl2` package and it pins old boto3), cdk-nag through a small
runner script (`cdk_nag_runner.py`) because jsii starts a node process we want gone when
the scan ends. Every finding is mapped back to the node that produced it: Terraform
names and CDK construct ids are derived from node and edge ids (codegen/naming.py), so
the id is recovered from the resource address or the construct path.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from builder.insights.security.rules import Rule, get_rules
from codegen.files import Files, write_files
from codegen.model import Model

RUNNER = Path(__file__).parent / "cdk_nag_runner.py"
_TRAILING_PART = re.compile(r"[-_][^-_]*$")
DEFAULT_SEVERITY = "medium"


class DeepScanError(Exception):
    """A scanner could not run or its output could not be read; the message says why."""


@dataclass(frozen=True)
class DeepFinding:
    tool: str  # checkov or cdk-nag
    check_id: str
    title: str
    severity: str
    node_ids: tuple[str, ...]  # empty when the resource maps to no node (shared plumbing)
    resource: str  # Terraform address or CDK construct path
    rule_id: str | None  # our live rule that matches the same control, if any
    guideline: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "node_ids": list(self.node_ids)}


class NodeResolver:
    """Map generated identifiers back to the nodes (and edges) they were derived from."""

    def __init__(self, model: Model):
        self.model = model
        self.by_name: dict[str, tuple[str, ...]] = {}
        edges = model.document.get("edges", [])
        for edge in edges:
            self.by_name[edge["id"]] = (edge["source"], edge["target"])
        for comp in model.components.values():
            self.by_name[comp.ident] = (comp.node_id,)
            self.by_name[comp.node_id] = (comp.node_id,)

    def _lookup(self, name: str) -> tuple[str, ...]:
        if name in self.by_name:
            return self.by_name[name]
        # tf_name puts an "n" before ids that start with a digit.
        if name.startswith("n") and name[1:2].isdigit() and name[1:] in self.by_name:
            return self.by_name[name[1:]]
        return ()

    def for_tf_address(self, address: str) -> tuple[str, ...]:
        """`aws_s3_bucket.orders` or `aws_iam_role.worker__execution` -> ("orders",)..."""
        parts = address.split(".")
        # Skip module prefixes and the resource type; the name is the last part but an index.
        name = parts[-1].split("[")[0]
        return self._lookup(name.split("__")[0]) or self._lookup(name)

    def for_construct_path(self, path: str) -> tuple[str, ...]:
        """`Stack/orders/Resource` -> ("orders",): the first segment naming a node or edge.

        Companion constructs are named `<ident>_<suffix>` or `<ident>-<suffix>`, so a
        segment that names nothing is tried again without its trailing parts.
        """
        for segment in path.split("/")[1:]:
            candidate = segment
            while candidate:
                found = self._lookup(candidate)
                if found:
                    return found
                candidate = (
                    _TRAILING_PART.sub("", candidate) if _TRAILING_PART.search(candidate) else ""
                )
        return ()


def _matching_rule(
    tool_key: str, check_id: str, node_ids: tuple[str, ...], model: Model
) -> Rule | None:
    """Our live rule for the same control on the same kind of node, if there is one."""
    if not node_ids:
        return None
    node_type = model.components[node_ids[0]].type
    return next(
        (
            rule
            for rule in get_rules()
            if rule.controls.get(tool_key) == check_id and node_type in rule.types
        ),
        None,
    )


def checkov_findings(report: Any, model: Model) -> list[DeepFinding]:
    """checkov's JSON report (one framework: an object; several: a list) as findings."""
    reports = report if isinstance(report, list) else [report]
    resolver = NodeResolver(model)
    out = []
    for item in reports:
        if not isinstance(item, dict):
            raise DeepScanError("checkov's report is not a JSON object")
        for check in item.get("results", {}).get("failed_checks", []):
            node_ids = resolver.for_tf_address(check.get("resource", ""))
            rule = _matching_rule("checkov", check["check_id"], node_ids, model)
            severity = (check.get("severity") or "").lower() or (
                rule.severity if rule else DEFAULT_SEVERITY
            )
            out.append(
                DeepFinding(
                    tool="checkov",
                    check_id=check["check_id"],
                    title=check.get("check_name") or check["check_id"],
                    severity=severity,
                    node_ids=node_ids,
                    resource=check.get("resource", ""),
                    rule_id=rule.id if rule else None,
                    guideline=check.get("guideline"),
                )
            )
    return out


def cdk_nag_findings(violations: list[dict[str, Any]], model: Model) -> list[DeepFinding]:
    """The runner's violations (rule_name, description, severity, construct paths)."""
    resolver = NodeResolver(model)
    out = []
    for violation in violations:
        severity = "high" if violation.get("severity") == "error" else "low"
        for path in violation["construct_paths"]:
            node_ids = resolver.for_construct_path(path)
            # Rule names may carry the finding's detail: AwsSolutions-IAM5[Resource::*].
            base = violation["rule_name"].split("[")[0]
            rule = _matching_rule("cdk_nag", base, node_ids, model)
            out.append(
                DeepFinding(
                    tool="cdk-nag",
                    check_id=violation["rule_name"],
                    title=violation["description"],
                    severity=rule.severity if rule else severity,
                    node_ids=node_ids,
                    resource=path,
                    rule_id=rule.id if rule else None,
                    guideline=violation.get("fix"),
                )
            )
    return out


def _run(command: list[str], cwd: Path, timeout: int, tool: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(
            command, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
        )
    except FileNotFoundError as exc:
        raise DeepScanError(f"{tool} is not installed: {exc.filename} not found") from exc
    except subprocess.TimeoutExpired as exc:
        raise DeepScanError(f"{tool} did not finish within {timeout} seconds") from exc


def run_checkov(files: Files, checkov: Path, timeout: int = 600) -> Any:
    """checkov's JSON report on the Terraform files (exit code 1 means checks failed)."""
    with tempfile.TemporaryDirectory(prefix="cw-checkov-") as tmp:
        write_files(files, Path(tmp))
        command = [str(checkov), "-d", tmp, "--framework", "terraform", "--skip-download",
                   "-o", "json", "--quiet", "--compact"]  # fmt: skip
        done = _run(command, Path(tmp), timeout, "checkov")
        if done.returncode not in (0, 1):
            raise DeepScanError(f"checkov failed: {done.stderr.strip()[-500:]}")
        try:
            return json.loads(done.stdout)
        except ValueError as exc:
            raise DeepScanError(f"checkov printed no JSON report: {done.stdout[:200]}") from exc


def run_cdk_nag(files: Files, python: str = sys.executable, timeout: int = 600):
    """The AwsSolutions violations of the CDK app, from the runner subprocess."""
    with tempfile.TemporaryDirectory(prefix="cw-cdk-nag-") as tmp:
        write_files(files, Path(tmp))
        report = Path(tmp) / "cdk-nag-report.json"
        done = _run([python, str(RUNNER), tmp, str(report)], Path(tmp), timeout, "cdk-nag")
        if done.returncode != 0 or not report.exists():
            raise DeepScanError(f"the CDK app did not build: {done.stderr.strip()[-800:]}")
        return json.loads(report.read_text())


Progress = Callable[[int, str], None]


def deep_scan(
    document: dict[str, Any],
    *,
    checkov: Path | None,
    python: str = sys.executable,
    progress: Progress = lambda percent, message: None,
) -> dict[str, Any]:
    """Run both scanners on the document's generated code; findings per tool, and errors.

    A scanner that cannot run (checkov not installed, the CDK app failing to build) is
    reported in `errors` while the other's findings still come back.
    """
    import codegen

    model = codegen.resolve(document)
    result: dict[str, Any] = {"findings": [], "errors": [], "tools": {}}
    steps: list[tuple[str, Callable[[], list[DeepFinding]]]] = [
        (
            "checkov",
            lambda: checkov_findings(
                run_checkov(codegen.generate(document, "terraform"), checkov), model
            ),
        ),
        (
            "cdk-nag",
            lambda: cdk_nag_findings(run_cdk_nag(codegen.generate(document, "cdk"), python), model),
        ),
    ]
    for index, (tool, step) in enumerate(steps):
        progress(10 + 45 * index, f"Running {tool}")
        if tool == "checkov" and checkov is None:
            result["errors"].append({"tool": tool, "message": "checkov is not installed"})
            continue
        try:
            findings = step()
        except Exception as exc:  # noqa: BLE001 - one tool failing must not lose the other's report
            result["errors"].append({"tool": tool, "message": str(exc) or type(exc).__name__})
            continue
        result["tools"][tool] = len(findings)
        result["findings"].extend(f.as_dict() for f in findings)
    return result
