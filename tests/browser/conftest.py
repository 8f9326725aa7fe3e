"""Headless Debian Chromium through Playwright, for the browser tests (no browser download)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.browser_support import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture
def browser_page(monkeypatch) -> Iterator[Callable]:
    """``browser_page(width, height)``: a page of a fresh browser context (Chinese locale),
    closed with the test."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are sync.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )

        def open_page(width: int, height: int):
            context = browser.new_context(
                viewport={"width": width, "height": height}, locale="zh-CN"
            )
            page = context.new_page()
            page.set_default_timeout(15_000)
            return page

        try:
            yield open_page
        finally:
            browser.close()
