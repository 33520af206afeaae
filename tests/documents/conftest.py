"""Named users with different rights, a project they share and a sample architecture.

Data is set up through the same action functions the API calls.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from builder.documents import actions
from builder.documents.models import Architecture, Project, Role

ROLES = ("owner", "editor", "viewer", "stranger", "anonymous")

_DOCUMENT = {
    "format": "cloudwright/v1",
    "name": "orders",
    "region": "us-east-1",
    "metadata": {"name_prefix": "orders"},
    "nodes": [
        {"id": "api", "type": "aws.apigateway.rest_api", "name": "Orders API",
         "position": {"x": 0, "y": 0}, "props": {"stage_name": "prod"}},
        {"id": "fn", "type": "aws.lambda.function", "name": "Create order",
         "position": {"x": 200, "y": 0}, "props": {"memory_mb": 512}},
        {"id": "orders", "type": "aws.dynamodb.table", "name": "Orders",
         "position": {"x": 400, "y": 0}},
        {"id": "vpc", "type": "aws.ec2.vpc", "name": "VPC", "position": {"x": 0, "y": 300},
         "props": {"cidr_block": "10.0.0.0/16"}},
        {"id": "private", "type": "aws.ec2.subnet", "name": "Private", "parent": "vpc",
         "position": {"x": 10, "y": 10}, "props": {"cidr_block": "10.0.1.0/24"}},
    ],
    "edges": [
        {"id": "e1", "source": "api", "target": "fn"},
        {"id": "e2", "source": "fn", "target": "orders", "access": "read_write"},
    ],
}  # fmt: skip


def sample_document() -> dict:
    return copy.deepcopy(_DOCUMENT)


@dataclass
class World:
    owner: User
    editor: User
    viewer: User
    stranger: User
    colleague: User
    newcomer: User
    project: Project
    architecture: Architecture

    def user(self, role: str) -> User | None:
        return None if role == "anonymous" else getattr(self, role)

    def client(self, role: str) -> APIClient:
        client = APIClient()
        user = self.user(role)
        if user is not None:
            client.force_login(user)
        return client


def make_user(username: str) -> User:
    return User.objects.create_user(username, f"{username}@example.com", "a-long-passphrase-9")


@pytest.fixture
def world(db) -> World:
    owner, editor, viewer, stranger, colleague, newcomer = (
        make_user(name) for name in ("olivia", "eddie", "vera", "stan", "colin", "nina")
    )
    project = actions.create_project(owner, "Shop", "the online shop")
    actions.add_member(owner, project, editor, Role.EDITOR)
    actions.add_member(owner, project, viewer, Role.VIEWER)
    actions.add_member(owner, project, colleague, Role.VIEWER)
    architecture = actions.create_architecture(owner, project, "orders", sample_document())
    return World(owner, editor, viewer, stranger, colleague, newcomer, project, architecture)


@pytest.fixture
def owner_client(world) -> APIClient:
    return world.client("owner")
