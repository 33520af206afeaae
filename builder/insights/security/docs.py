"""The generated parts of docs/security.md: the rule table and each template's hints.

    python -m builder.insights.security.docs docs/security.md

rewrites the text between the `<!-- rules -->` / `<!-- templates -->` markers and their
`<!-- end -->`; a test checks the committed file is current.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from builder.insights.security.engine import scan
from builder.insights.security.rules import get_rules

CONTROL_LABELS = {"security_hub": "Security Hub", "cis": "CIS", "checkov": "checkov",
                  "cdk_nag": "cdk-nag"}  # fmt: skip


def rules_table() -> str:
    lines = [
        "| id | severity | category | title | fix | matching controls |",
        "|---|---|---|---|---|---|",
    ]
    for rule in get_rules():
        controls = ", ".join(
            f"{CONTROL_LABELS[key]} {value}" for key, value in sorted(rule.controls.items())
        )
        fix = "yes" if rule.fix_spec else "no"
        lines.append(
            f"| {rule.id} | {rule.severity} | {rule.category} | {rule.title} | {fix} | "
            f"{controls or '-'} |"
        )
    return "\n".join(lines)


def template_hints() -> str:
    from codegen import resolve
    from codegen.templates import TEMPLATE_IDS, get_template

    sections = []
    for template_id in TEMPLATE_IDS:
        document = get_template(template_id)
        findings = scan(resolve(document))
        lines = [f"### {document['name']} (`{template_id}`)", ""]
        lines += [
            f"- **{f.severity}** {f.rule_id} on `{', '.join(f.node_ids)}`: {f.title}"
            + (" (fix offered)" if f.fix else "")
            for f in findings
        ] or ["- no findings"]
        sections.append("\n".join(lines))
    return "\n\n".join(sections)


SECTIONS = {"rules": rules_table, "templates": template_hints}


def render(text: str) -> str:
    """`text` with every generated section replaced by its current content."""
    for name, build in SECTIONS.items():
        pattern = re.compile(rf"(<!-- {name} -->\n).*?(<!-- end -->)", re.DOTALL)
        if not pattern.search(text):
            raise ValueError(f"no <!-- {name} --> ... <!-- end --> section")
        text = pattern.sub(lambda m, build=build: m.group(1) + build() + "\n" + m.group(2), text)
    return text


if __name__ == "__main__":
    path = Path(sys.argv[1])
    path.write_text(render(path.read_text(encoding="utf-8")), encoding="utf-8")
