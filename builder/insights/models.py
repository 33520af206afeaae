"""What the insights app stores: suppressions of security findings.

ORM only; the rules and the scan live in builder/insights/security (no Django).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from builder.documents.models import Architecture
from builder.insights import security


class Suppression(models.Model):
    """A team's decision to accept a finding: on one node, or (node_id null) on all."""

    architecture = models.ForeignKey(
        Architecture, on_delete=models.CASCADE, related_name="suppressions"
    )
    rule_id = models.CharField(max_length=64)
    node_id = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    reason = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.rule_id} on {self.node_id or 'every node'}"

    def is_active(self) -> bool:
        return self.as_engine().active(timezone.now())

    def as_engine(self) -> security.Suppression:
        """The pure engine's form, which the scan applies."""
        return security.Suppression(
            rule_id=self.rule_id,
            node_id=self.node_id,
            reason=self.reason,
            author=self.author.get_username() if self.author else "(deleted user)",
            expires_at=self.expires_at,
            id=self.pk,
            created_at=self.created_at,
        )
