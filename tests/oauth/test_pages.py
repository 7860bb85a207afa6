"""The install pages as pure functions: every outside value escaped, nothing loaded from elsewhere."""

from __future__ import annotations

import re

import pytest

from bot.oauth import pages

HOSTILE = '"><script>alert(1)</script>'


def test_the_authorize_url_is_escaped_into_the_button():
    page = pages.install_page("https://slack.com/oauth/v2/authorize?client_id=1&state=" + HOSTILE)

    assert "<script" not in page
    assert 'href="https://slack.com/oauth/v2/authorize?client_id=1&amp;state=&quot;&gt;' in page


def test_names_from_slack_are_escaped_on_the_success_page():
    page = pages.success_page(
        app_id="A1",
        team_id="T1",
        team_name=HOSTILE,
        enterprise_name=None,
        enterprise_url=None,
        org_wide=False,
    )

    assert "<script" not in page
    assert "&quot;&gt;&lt;script&gt;" in page


def test_an_org_wide_install_is_sent_on_to_choose_its_workspaces():
    page = pages.success_page(
        app_id="A1",
        team_id=None,
        team_name=None,
        enterprise_name="Initech",
        enterprise_url="https://initech.enterprise.slack.com/",
        org_wide=True,
    )

    assert "installed for <strong>Initech</strong>" in page
    assert (
        'href="https://initech.enterprise.slack.com/manage/organization/apps/profile/A1/workspaces/add"'
        in page
    )
    assert "app_redirect" not in page  # no single workspace to open


@pytest.mark.parametrize("reason", sorted(pages.REASONS))
def test_each_failure_reason_is_said_in_words_with_a_way_to_start_again(reason):
    page = pages.failure_page(reason, "/slack/install")

    assert pages.REASONS[reason].split(".")[0] in page.replace("&#x27;", "'")
    assert 'href="/slack/install"' in page


def test_an_unknown_reason_is_quoted_short_and_escaped():
    page = pages.failure_page("x" * 500 + HOSTILE, "/slack/install")

    assert "<script" not in page
    assert "x" * 79 + "…" in page


@pytest.mark.parametrize(
    "page",
    [
        pages.install_page("https://slack.com/oauth/v2/authorize"),
        pages.success_page(
            app_id="A1",
            team_id="T1",
            team_name="Acme",
            enterprise_name=None,
            enterprise_url=None,
            org_wide=False,
        ),
        pages.failure_page("access_denied", "/slack/install"),
    ],
)
def test_a_page_is_small_and_loads_nothing(page):
    assert len(page.encode()) < 4_000
    assert "<script" not in page
    assert re.findall(r"\bsrc=", page) == []
    assert re.findall(r"<link[^>]*>", page) == ['<link rel="icon" href="data:,">']
    assert "url(" not in page  # no stylesheet fetches either
