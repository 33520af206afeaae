"""Build a generated CDK app and write cdk-nag's AwsSolutions violations as JSON.

Run as `python cdk_nag_runner.py APP_DIR REPORT.json`. The generated `app.py` exposes
`build(app)` and its `CONTEXT`; the runner builds the stacks into an app of its own and
checks it instead of synthesizing: cdk-nag 3 is a policy-validation plugin, and
`AwsSolutionsChecks(app).validate_scope(app)` reports on the construct tree without
writing a cloud assembly.
"""

import json
import runpy
import sys
from pathlib import Path

import aws_cdk
from cdk_nag import AwsSolutionsChecks


def main(app_dir: str, report_path: str) -> None:
    sys.path.insert(0, app_dir)
    module = runpy.run_path(str(Path(app_dir) / "app.py"), run_name="cloudwright_app")
    app = aws_cdk.App(context=module["CONTEXT"])
    module["build"](app)
    report = AwsSolutionsChecks(app).validate_scope(app)
    violations = [
        {
            "rule_name": v.rule_name,
            "description": v.description,
            "severity": v.severity,
            "fix": v.fix,
            "construct_paths": [r.construct_path for r in v.violating_resources],
        }
        for v in report.violations
    ]
    Path(report_path).write_text(json.dumps(violations, indent=1))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
