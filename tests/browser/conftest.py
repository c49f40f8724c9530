"""Browser tests: Playwright drives the system Chromium against a live test server.

They skip, saying why, where /usr/bin/chromium is absent (`.ci/run` installs it). Each test
saves screenshots of the pages it visits under tests/browser/screenshots/ (git-ignored).
`make test` runs them in a pytest process of their own (`-m browser`): once Playwright's
event loop runs in the test thread, Django's database connections are no longer the ones
the earlier tests set the test database up on, and the seed data of the migrations (the
Marketing group, the personas) is not restored between transactional tests.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from accounts.roles import MARKETING_GROUP
from tests.factories import UserFactory

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
PASSWORD = "correct horse battery staple"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API keeps an event loop running in this thread; the tests' own ORM
    # calls are still synchronous, so tell Django not to refuse them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with playwright_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def screenshot(page, request):
    """Save a full-page screenshot named after the test and ``name``."""

    def save(name: str) -> None:
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{request.node.name}-{name}.png", full_page=True)

    return save


@pytest.fixture
def analyst(transactional_db):
    user = UserFactory(username="ana", password=PASSWORD)
    user.groups.add(Group.objects.get(name=MARKETING_GROUP))
    return user


@pytest.fixture
def logged_in(page, live_server, analyst):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(analyst.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def painted_pixels(page, selector: str) -> int:
    """How many pixels of the canvas at ``selector`` are not blank."""
    return page.eval_on_selector(
        selector,
        """canvas => {
            const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
            let painted = 0;
            for (let i = 3; i < data.length; i += 4) { if (data[i] !== 0) { painted++; } }
            return painted;
        }""",
    )
