import pytest
import pytest_asyncio
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from builder.collab.routing import websocket_urlpatterns
from builder.documents import actions
from builder.documents.models import Role
from tests.collab.sample import sample_document

ROUTER = URLRouter(websocket_urlpatterns)


@pytest.fixture
def users(transactional_db):
    """Named users with different rights: owner, editor, viewer, stranger."""
    model = get_user_model()
    return {name: model.objects.create_user(name, password="pw-" + name)
            for name in ("owner", "editor", "viewer", "stranger")}  # fmt: skip


@pytest.fixture
def architecture(users):
    project = actions.create_project(users["owner"], "Shop")
    actions.add_member(users["owner"], project, users["editor"], Role.EDITOR)
    actions.add_member(users["owner"], project, users["viewer"], Role.VIEWER)
    return actions.create_architecture(users["owner"], project, "orders", sample_document())


@pytest_asyncio.fixture
async def connect(architecture, users):
    """Open a room socket as a named user ("anonymous" for none); all close afterwards."""
    opened = []

    async def open_socket(name: str, since: int | None = None, architecture_id=None):
        user = AnonymousUser() if name == "anonymous" else users[name]

        async def app(scope, receive, send):
            return await ROUTER({**scope, "user": user}, receive, send)

        path = f"/ws/architectures/{architecture_id or architecture.pk}/"
        if since is not None:
            path += f"?since={since}"
        communicator = WebsocketCommunicator(app, path)
        connected, _ = await communicator.connect()
        assert connected
        opened.append(communicator)
        return communicator

    yield open_socket
    for communicator in opened:
        await communicator.disconnect()
