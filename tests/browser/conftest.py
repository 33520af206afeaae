"""A live Cloudwright (daphne: HTTP + websockets) on a temporary database, the built
frontend, and headless Debian Chromium driven by Playwright.

Screenshots of every page open when a test fails go to test-artifacts/.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = ROOT / "frontend"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "correct-horse-battery-9"


def _newest_mtime(path: Path) -> float:
    return max((p.stat().st_mtime for p in path.rglob("*") if p.is_file()), default=0.0)


def build_frontend() -> None:
    """Build frontend/dist unless it is newer than every source file."""
    index = FRONTEND / "dist" / "index.html"
    sources = max(_newest_mtime(FRONTEND / "src"), (FRONTEND / "package-lock.json").stat().st_mtime)
    if index.exists() and index.stat().st_mtime >= sources:
        return
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed; cannot build the frontend")
    if not (FRONTEND / "node_modules").exists():
        subprocess.run([npm, "ci"], cwd=FRONTEND, check=True)
    subprocess.run([npm, "run", "build"], cwd=FRONTEND, check=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("the server did not start listening")


@pytest.fixture(scope="session")
def app_server(tmp_path_factory) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    build_frontend()
    var_dir = tmp_path_factory.mktemp("var")
    env = {
        **os.environ,
        "CLOUDWRIGHT_VAR_DIR": str(var_dir),
        "DJANGO_SECRET_KEY": "browser-tests-" + uuid.uuid4().hex,
        "DJANGO_DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "builder.settings",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env,
                   check=True, capture_output=True)  # fmt: skip
    port = _free_port()
    log = open(var_dir / "server.log", "w")  # noqa: SIM115 - open for the server's lifetime
    server = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "builder.asgi:application"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        _wait_for_port(port, server)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
        if os.environ.get("CI"):
            print((var_dir / "server.log").read_text()[-4000:])


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
