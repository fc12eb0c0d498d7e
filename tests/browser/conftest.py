import os
import shutil
from pathlib import Path

import pytest
from django.db import connections

from tests.browser.devices import DESKTOP

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
# `make screenshots` points this at docs/screenshots, which the README shows.
SCREENSHOTS = ROOT / os.environ.get("SCREENSHOTS_DIR", "test-artifacts/screenshots")


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        message = f"{CHROMIUM} is missing: install Debian's chromium package (make browser)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's synchronous API runs an event loop in this thread; the
    # tests still talk to the database synchronously, which is safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # Inside that loop Django hands out fresh connection objects, which lack
    # the data loaded by migrations that serialized_rollback restores after
    # each browser test empties the database: carry it over.
    serialized = {
        alias: getattr(connections[alias], "_test_serialized_contents", None)
        for alias in connections
    }
    with sync_playwright() as playwright:
        for alias, contents in serialized.items():
            if contents is not None:
                connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    take.directory = SCREENSHOTS
    return take


@pytest.fixture
def new_page(browser, live_server):
    """Open a page in a fresh browser context (its own cookies), closed after the test."""
    contexts = []

    def open_page(
        *,
        viewport=DESKTOP,
        javascript: bool = True,
        language: str = "en",
        axe=False,
        network_address: str = "",
        color_scheme: str = "light",
    ):
        # Every browser here connects from 127.0.0.1; a test that needs readers
        # on different networks trusts one proxy and has each say its address.
        headers = {"Accept-Language": language}
        if network_address:
            headers["X-Forwarded-For"] = network_address
        context = browser.new_context(
            viewport=viewport,
            java_script_enabled=javascript,
            locale=language,
            extra_http_headers=headers,
            bypass_csp=axe,
            # What the system prefers (prefers-color-scheme): the site follows it.
            color_scheme=color_scheme,
        )
        if axe:
            # Every document the page opens has axe-core from its first script on: injected
            # after each load instead, its 560 KB were parsed again for every check.
            context.add_init_script(path=AXE)
        contexts.append(context)
        return context.new_page()

    yield open_page
    # Close before the live server stops, so no request is left half-served.
    for context in contexts:
        context.close()


AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        message = f"{AXE} is missing: run 'npm ci' (make test does)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text()


@pytest.fixture
def axe_violations(axe_source):
    """Run axe-core's WCAG 2.1 A and AA rules on the page; returns a readable list of violations.

    The page must come from a context opened with bypass_csp=True: axe is
    injected as an inline script, which the site's policy rightly forbids.
    """

    def check(page) -> list[str]:
        if not page.evaluate("typeof axe !== 'undefined'"):
            page.add_script_tag(content=axe_source)
        # Violations only: axe then skips gathering the details of every rule that passed.
        result = page.evaluate(
            "(tags) => axe.run(document,"
            " {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            WCAG_21_AA,
        )
        return [
            f"{violation['id']} ({violation['impact']}): {violation['help']} — "
            + "; ".join(where(node) for node in violation["nodes"][:5])
            for violation in result["violations"]
        ]

    def where(node) -> str:
        # The element, and what axe measured there ("contrast of 3.28 (foreground color: ...").
        checks = node.get("any") or node.get("all") or node.get("none") or []
        measured = checks[0].get("message", "") if checks else ""
        return f"{node['target'][0]}" + (f" ({measured})" if measured else "")

    return check


@pytest.fixture(autouse=True)
def browsers_post_at_machine_speed(settings):
    # A scripted browser fills a form faster than a person; the timing check has tests of its own.
    settings.COMMENTS_FORM_MIN_SECONDS = 0
