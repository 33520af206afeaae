"""Security hints: rules as data over the resolved model, with fixes and suppressions.

Imports no Django. `scan(model, suppressions)` is the whole live analysis; the deep
scan (checkov, cdk-nag on generated code) lives in `deep.py`.
"""

from builder.insights.security.engine import Finding, Suppression, scan, summarize
from builder.insights.security.fixes import apply_fix
from builder.insights.security.rules import Rule, RuleError, get_rules, load_rules

__all__ = [
    "Finding",
    "Rule",
    "RuleError",
    "Suppression",
    "apply_fix",
    "get_rules",
    "load_rules",
    "scan",
    "summarize",
]
