"""Add to Slack in a real browser (Chromium through Playwright): the pages as a person sees them.

Optional: skipped when Playwright or a Chromium is not installed (`HANDOFF_REQUIRE_BROWSER=1`,
which CI sets after installing Debian's chromium, turns the skip into a failure). Slack's
consent page is the one part not served here: the browser's request for it is answered by the
Slack stand-in's approval, a redirect back to the bot as Slack would send.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from bot.console.local_slack import Workspace
from bot.db.installations import SlackInstallation

ACME = Workspace("T1", "Acme & <Sons>")
CHROMIUMS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

pytestmark = pytest.mark.browser


def _unavailable(why: str) -> None:
    if os.environ.get("HANDOFF_REQUIRE_BROWSER"):
        pytest.fail(f"HANDOFF_REQUIRE_BROWSER is set but {why}")
    pytest.skip(why)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install playwright)")
    executable = next(filter(None, map(shutil.which, CHROMIUMS)), None)
    with sync_playwright() as p:
        try:
            # A system Chromium when there is one (Debian's package), else Playwright's own.
            browser = p.chromium.launch(executable_path=executable)
        except Error as e:
            _unavailable(f"no Chromium to launch ({str(e).splitlines()[0]})")
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any, oauth_bot: Any) -> Iterator[Any]:
    # Depends on the bot so that it closes first: its keep-alive connections would hold the
    # server's shutdown.
    context = chromium.new_context()
    page = context.new_page()
    page.problems = []  # everything the browser complained about: CSP, scripts, console
    page.on("console", lambda m: m.type in ("error", "warning") and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    yield page
    context.close()


def test_add_to_slack_in_a_browser_installs_and_says_what_to_do_next(page, oauth_bot, slack, db):
    def consent(route: Any) -> None:
        query = slack.approve(route.request.url, ACME)  # the member clicked "Allow"
        target = f"{oauth_bot.bot_url}/slack/oauth_redirect?{urlencode(query)}"
        route.fulfill(status=302, headers={"Location": target})

    page.route("https://slack.com/oauth/v2/authorize**", consent)

    page.goto(oauth_bot.bot_url + "/slack/install")
    button = page.get_by_role("link", name="Add to Slack")
    assert button.is_visible()
    box = button.bounding_box()
    assert box["width"] > 100  # a button to click, not a bare link
    button.click()
    page.wait_for_url("**/slack/oauth_redirect**")

    assert page.get_by_role("heading").first.inner_text().startswith("Handoff is installed")
    body = page.inner_text("body")
    assert "Acme & <Sons>" in body  # the workspace's name, shown as text, not as markup
    assert "/logtask help" in body
    assert "App Home" in body
    assert page.problems == []
    with db.transaction() as s:
        assert s.scalars(select(SlackInstallation.team_id)).all() == ["T1"]


def test_the_success_page_in_a_second_tab_without_the_cookie_installs_nothing(
    page, oauth_bot, slack, db
):
    """A redirect the browser did not start (no state cookie) is refused, in words."""
    install = page.context.new_page()
    install.goto(oauth_bot.bot_url + "/slack/install")
    href = install.get_by_role("link", name="Add to Slack").get_attribute("href")
    page.context.clear_cookies()

    query = slack.approve(href, ACME)
    page.goto(f"{oauth_bot.bot_url}/slack/oauth_redirect?{urlencode(query)}")

    assert "This browser did not start the install" in page.inner_text("body")
    with db.transaction() as s:
        assert s.scalars(select(SlackInstallation)).all() == []
