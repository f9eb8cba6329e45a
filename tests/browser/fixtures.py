"""Real-browser fixtures, a plugin registered by tests/conftest.py so every folder's
browser tests share one Chromium: the test app served on 127.0.0.1, and Debian's Chromium.

The server runs in a daemon thread with its own database connections, so a browser
test must commit its data for real: use the `committed` fixture (it wipes user rows
afterwards). Playwright's own browser download does not work here; Chromium comes
from Debian (`make browser`, or CHROMIUM_PATH). Without it the tests are skipped,
unless REQUIRE_BROWSER=1 (set by CI), where they fail.
"""

import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[2]
#: Kept by CI; git-ignored.
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 800}


def chromium_path() -> str | None:
    """CHROMIUM_PATH if set (and only it), else /usr/bin/chromium, else `chromium` on PATH."""
    chosen = os.environ.get("CHROMIUM_PATH")
    candidates = [chosen] if chosen else ["/usr/bin/chromium", shutil.which("chromium")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def _no_browser(reason: str) -> None:
    message = f"{reason} Install it with `make browser` (Debian's chromium) or set CHROMIUM_PATH."
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1: {message}", pytrace=False)
    pytest.skip(message)


class LiveServer:
    def __init__(self, app) -> None:
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, name="live-server", daemon=True
        )

    def __call__(self, path: str = "/") -> str:
        """The absolute URL of a path on the server."""
        return self.url + path


@pytest.fixture(scope="module")
def live_server(app) -> Iterator[LiveServer]:
    """The session's test app served over HTTP; BASE_URL points at it while it runs."""
    server = LiveServer(app)
    previous_base_url = app.config["BASE_URL"]
    app.config["BASE_URL"] = server.url
    server.thread.start()
    try:
        yield server
    finally:
        server.server.shutdown()
        server.server.server_close()
        server.thread.join(timeout=10)
        app.config["BASE_URL"] = previous_base_url


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    executable = chromium_path()
    if executable is None:
        where = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium nor on PATH"
        _no_browser(f"No Chromium executable at {where}.")
    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS
            )
        except Error as error:
            _no_browser(f"Chromium at {executable} did not start: {error}")
        yield browser
        browser.close()


@pytest.fixture
def artifacts() -> Path:
    """The folder for screenshots a test takes on purpose (e.g. the home page)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def page(browser, request):
    """A fresh browser context and page (no cookies); a screenshot is saved at the end."""
    context = browser.new_context(viewport=VIEWPORT, locale="fr-FR")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")
    try:
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    finally:
        context.close()
