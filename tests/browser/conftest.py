"""A real server over a store built from the seed articles, and a headless Chromium to browse it.

The store is built once per session with `newsgraph ingest` (the seeds beside the repository, plus
the article with markup in tests/browser/fixtures), the server is `newsgraph serve` in a
subprocess on a free port, and the tests talk to it only through HTTP and the browser, so they hold
for any server that keeps the page routes. Skipped, with the reason, when Playwright, a Chromium
or the seeds are missing.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).parent
REPO = HERE.parents[1]
SEEDS = Path(os.environ.get("NEWSGRAPH_SEEDS", REPO.parent / "shared" / "corpus" / "seeds.jsonl"))
FIXTURES = HERE / "fixtures"
SCREENSHOTS = Path(os.environ.get("NEWSGRAPH_SCREENSHOTS", HERE / "screenshots"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
INGEST_TIMEOUT_S = 600  # the seeds take about a minute on a loaded machine
START_TIMEOUT_S = 60
TIMEOUT_MS = 20_000  # a browser action or wait

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")


def newsgraph_command() -> list[str]:
    """The `newsgraph` command of this interpreter's environment (the module when no script exists)."""
    script = Path(sys.executable).parent / "newsgraph"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from newsgraph.cli.main import app; app()"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode} before answering")
        try:
            with urllib.request.urlopen(url + "/", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    raise RuntimeError(f"the server did not answer {url} within {START_TIMEOUT_S} s")


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of the seed articles and the markup fixture, built once per session."""
    if not SEEDS.is_file():
        pytest.skip(f"the seed articles are not beside the repository ({SEEDS})")
    if shutil.which("chromium") is None:
        pytest.skip("no `chromium` on PATH (Debian package chromium; .ci/run installs it)")
    db = tmp_path_factory.mktemp("browser") / "seeds.db"
    subprocess.run(
        [*newsgraph_command(), "--db", str(db), "ingest", str(SEEDS), str(FIXTURES / "hostile.jsonl")],
        check=True,
        timeout=INGEST_TIMEOUT_S,
        capture_output=True,
    )
    return db


@pytest.fixture(scope="session")
def server(seeded_db: Path) -> Iterator[str]:
    """The base URL of `newsgraph serve` over the seeded store, on a free loopback port."""
    port = free_port()
    process = subprocess.Popen(
        [*newsgraph_command(), "--db", str(seeded_db), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def browser(server: str) -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page whose script errors and dialogs fail the test (none may happen)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    yield page
    context.close()
    assert problems == []


@pytest.fixture
def screenshot() -> Callable[[Any, str], Path]:
    """Saves a page as `screenshots/NAME.png` (git-ignored) for a person to look at."""

    def save(page: Any, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save
