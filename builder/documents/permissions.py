"""Who may see and do what: viewers read, editors edit, owners manage members and delete.

A user who is not a member gets 404 for everything in the project, so strangers never
learn that it exists.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import Http404
from rest_framework.exceptions import PermissionDenied

from builder.documents.models import ROLE_RANK, Architecture, Job, Membership, Project, Role


def role_of(user: AbstractBaseUser | AnonymousUser, project: Project) -> Role | None:
    if not user.is_authenticated:
        return None
    membership = Membership.objects.filter(project=project, user=user).first()
    return Role(membership.role) if membership else None


def require_role(user, project: Project, needed: Role) -> Role:
    """The user's role in `project`; 404 for a stranger, 403 if the role is too low."""
    role = role_of(user, project)
    if role is None:
        raise Http404("No such project.")
    if ROLE_RANK[role] < ROLE_RANK[needed]:
        raise PermissionDenied(f"This needs the {needed.value} role; you are {role.value}.")
    return role


def get_project(user, project_id: int, needed: Role = Role.VIEWER) -> Project:
    project = Project.objects.filter(pk=project_id).first()
    if project is None:
        raise Http404("No such project.")
    require_role(user, project, needed)
    return project


def get_architecture(
    user, architecture_id: int, needed: Role = Role.VIEWER, with_document: bool = True
) -> Architecture:
    """The architecture if the user's role suffices (404 / 403 otherwise).

    `with_document=False` leaves the document unread until first used: for views that
    need only the row, parsing a large document would be most of their time.
    """
    architectures = Architecture.objects.select_related("project")
    if not with_document:
        architectures = architectures.defer("document")
    architecture = architectures.filter(pk=architecture_id).first()
    if architecture is None:
        raise Http404("No such architecture.")
    require_role(user, architecture.project, needed)
    return architecture


def get_job(user, job_id: int) -> Job:
    """A job is visible to whoever started it and to members of its architecture's project."""
    job = Job.objects.select_related("architecture__project").filter(pk=job_id).first()
    if job is None or not user.is_authenticated:
        raise Http404("No such job.")
    if job.started_by_id == user.pk:
        return job
    if job.architecture is None or role_of(user, job.architecture.project) is None:
        raise Http404("No such job.")
    return job
