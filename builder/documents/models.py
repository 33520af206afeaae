"""Projects, members, tokens, architectures, their changes and versions, and jobs.

ORM only: every state change lives in actions.py (and jobs.py for Job rows).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    VIEWER = "viewer"
    EDITOR = "editor"
    OWNER = "owner"


# Each role may do everything the roles before it may.
ROLE_RANK = {Role.VIEWER: 0, Role.EDITOR: 1, Role.OWNER: 2}


class Project(models.Model):
    name = models.CharField(max_length=128)
    description = models.TextField(blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="projects"
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="one_membership_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} is {self.role} of {self.project}"


class ApiToken(models.Model):
    """A key for integrations; only its SHA-256 is stored, the key is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=128)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}...)"


class Architecture(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="architectures")
    name = models.CharField(max_length=128)
    document = models.JSONField()
    # The one sequence per architecture: every op, replace, restore and rename bumps it.
    revision = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ChangeKind(models.TextChoices):
    CREATE = "create"
    REPLACE = "replace"
    OP = "op"
    RESTORE = "restore"
    RENAME = "rename"
    FIX = "fix"


class Change(models.Model):
    """One step of an architecture's history: the audit trail and the op log."""

    architecture = models.ForeignKey(Architecture, on_delete=models.CASCADE, related_name="changes")
    revision = models.PositiveIntegerField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=ChangeKind.choices)
    # NULL (not "") for REST changes, so only real op ids can ever collide.
    client_op_id = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["architecture", "revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["architecture", "revision"], name="one_change_per_revision"
            )
        ]
        # A re-sent op is found by its sender's client_op_id (builder/collab/store.py).
        indexes = [
            models.Index(fields=["architecture", "user", "client_op_id"], name="change_op_id")
        ]

    def __str__(self) -> str:
        return f"{self.architecture_id}@{self.revision} {self.kind}"


class Version(models.Model):
    """A named, immutable snapshot of an architecture's document."""

    architecture = models.ForeignKey(
        Architecture, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    name = models.CharField(max_length=128)
    message = models.TextField(blank=True, default="")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    document = models.JSONField()
    revision = models.PositiveIntegerField()

    class Meta:
        ordering = ["architecture", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["architecture", "number"], name="one_version_per_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.architecture_id} v{self.number} {self.name}"


class JobState(models.TextChoices):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class Job(models.Model):
    """One long-running piece of work, run by a Celery worker; see jobs.py."""

    kind = models.CharField(max_length=32)
    state = models.CharField(max_length=16, choices=JobState.choices, default=JobState.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=256, blank=True, default="")
    params = models.JSONField(default=dict)
    result = models.JSONField(null=True, blank=True)
    result_file = models.CharField(max_length=512, blank=True, default="")
    error = models.TextField(blank=True, default="")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    architecture = models.ForeignKey(
        Architecture, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # Lets the web process find rows a worker changed (the embedded websocket relay).
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"job {self.id} {self.kind} {self.state}"

    @property
    def finished(self) -> bool:
        return self.state in (JobState.SUCCEEDED, JobState.FAILED)
