"""A live Cloudwright (daphne: HTTP + websockets) on a temporary database, the built
frontend, and headless Debian Chromium driven by Playwright.

Screenshots of every page open when a test fails go to test-artifacts/.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from tests.browser.live import CHROMIUM, CHROMIUM_ARGS, ROOT, CannotRun, running_server

ARTIFACTS = ROOT / "test-artifacts"
PASSWORD = "correct-horse-battery-9"


@pytest.fixture(scope="session")
def app_server() -> Iterator[str]:
    try:
        with running_server() as url:
            yield url
    except CannotRun as missing:
        pytest.skip(str(missing))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, app_server, request):
    """Open pages in fresh browser contexts (one per person); screenshot them on failure."""
    contexts = []

    def open_page():
        context = browser.new_context(base_url=app_server, viewport={"width": 1440, "height": 900},
                                      accept_downloads=True)  # fmt: skip
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        for index, context in enumerate(contexts):
            for number, page in enumerate(context.pages):
                page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{index}-{number}.png"))
    for context in contexts:
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.rep_call = report
    return report


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"
