"""Browser fixtures: Debian's Chromium driven by Playwright against a live server.

One browser for the whole run, a fresh context (cookies, storage) per test, and a live server
per test on that test's own database, with CSRF protection on as in production.
"""

from __future__ import annotations

import shutil
import threading

import pytest
from werkzeug.serving import make_server

from tests.conftest import make_test_app

# Never `playwright install`: there is no network; Debian's chromium is launched directly.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


@pytest.fixture(scope="session")
def chromium():
    """The browser, launched once per test run (skipped when chromium is not installed)."""
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium); browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(database_url):
    """The app served over HTTP on a free local port; yields its base URL."""
    application = make_test_app(database_url, WTF_CSRF_ENABLED=True)
    server = make_server("127.0.0.1", 0, application, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()
    application.extensions["portfolio_db"].engine.dispose()


@pytest.fixture
def new_page(chromium, live_server):
    """Opens a page in a new browser context: its own cookies, so one test can be several users
    (e.g. finance adds a cost in one page while the innovation leader works in another)."""
    contexts = []

    def _open():
        context = chromium.new_context(base_url=live_server, locale="sv-SE")
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A page in a fresh context, Swedish, with URLs relative to the live server."""
    return new_page()
