"""Build a generated CDK app and write cdk-nag's AwsSolutions violations as JSON.

Run as `python cdk_nag_runner.py APP_DIR REPORT.json`. The app's own `app.synth()` is
replaced by the check: cdk-nag 3 is a policy-validation plugin, and
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
    def check_instead_of_synth(app, *args, **kwargs):
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

    aws_cdk.App.synth = check_instead_of_synth
    sys.path.insert(0, app_dir)
    entry = Path(app_dir) / "app.py"
    cdk_json = Path(app_dir) / "cdk.json"
    if cdk_json.exists():
        command = json.loads(cdk_json.read_text()).get("app", "")
        script = next((part for part in command.split() if part.endswith(".py")), None)
        entry = Path(app_dir) / script if script else entry
    runpy.run_path(str(entry), run_name="__main__")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
