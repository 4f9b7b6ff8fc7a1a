"""Fixtures for the browser suite: one headless Chromium, a fresh context per page.

Each test opens its page in a new browser context (its own cookies and preflight cache).
Without Chromium or Playwright the suite is skipped locally, and fails when ``CI`` is set,
so that a CI machine without the browser never passes silently.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Pages of the suite may be served under names of their own (xexample.evil.test).
    "--host-resolver-rules=MAP *.test 127.0.0.1",
]
INSTALL_HINT = (
    "the browser tests need Debian's Chromium and Playwright for Python: run "
    "`apt-get update && apt-get install -y chromium` and `.venv/bin/pip install playwright`"
)


def on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def unavailable(reason: str) -> NoReturn:
    """Skip the test for a missing browser, or fail it on CI."""
    if on_ci():
        pytest.fail(f"CI is set but {reason}: {INSTALL_HINT}", pytrace=False)
    pytest.skip(f"{reason}: {INSTALL_HINT}")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


def chromium_executable() -> str | None:
    configured = os.environ.get("FLASK_CORS_TEST_CHROMIUM", CHROMIUM)
    if os.path.exists(configured):
        return configured
    return None if "FLASK_CORS_TEST_CHROMIUM" in os.environ else shutil.which("chromium")


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """A headless Chromium browser, shared by the whole session."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright is not installed")
    executable = chromium_executable()
    if executable is None:
        unavailable(f"no Chromium at {os.environ.get('FLASK_CORS_TEST_CHROMIUM', CHROMIUM)}")
    manager = sync_playwright().start()
    try:
        browser = manager.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    except Exception as exc:
        manager.stop()
        unavailable(f"Chromium did not start ({exc})")
    yield browser
    browser.close()
    manager.stop()


@pytest.fixture
def new_page(chromium: Any) -> Iterator[Callable[[str], Any]]:
    """Open a URL in a page of a fresh browser context; the contexts close after the test."""
    contexts: list[Any] = []

    def open_page(url: str) -> Any:
        context = chromium.new_context()
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(url)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(servers: dict[str, Any], new_page: Callable[[str], Any]) -> Any:
    """A fresh page on the blank page origin of the module's ``servers``, request logs reset."""
    for server in servers.values():
        server.requests.clear()
    return new_page(servers["page"].origin + "/")
