"""Add to Slack through HTTP: install page, state cookie, Slack's consent, redirect, stored install."""

from __future__ import annotations

import json
from dataclasses import replace
from urllib.parse import parse_qs, urlencode, urlparse

from sqlalchemy import func, select

from bot.app import create_app
from bot.console.local_slack import Workspace
from bot.db.installations import SlackInstallation, SlackOAuthState
from bot.db.models import Task
from bot.db.models import Workspace as WorkspaceRow
from bot.settings import DEFAULT_BOT_SCOPES
from tests.conftest import CLIENT_ID, SIGNING_SECRET
from tests.support.browser import authorize_url, get, install
from tests.support.serving import serving
from tests.support.slack_sim import flatten

ACME = Workspace("T1", "Acme")
GLOBEX = Workspace("T2", "Globex")


def tokens_used(slack, method: str) -> list[str | None]:
    return [c.token for c in slack.api_calls(method)]


def test_the_install_page_sets_a_state_cookie_and_links_to_slack_with_the_manifests_scopes(
    oauth_bot, db
):
    page = get(oauth_bot.bot_url + "/slack/install")

    assert page.status == 200
    assert page.headers["Content-Type"].startswith("text/html")
    assert "Add to Slack" in page.text
    (cookie,) = page.headers.get_all("Set-Cookie")
    assert "HttpOnly" in cookie
    assert "Secure" in cookie
    url = urlparse(authorize_url(page))
    assert (url.scheme, url.netloc, url.path) == ("https", "slack.com", "/oauth/v2/authorize")
    query = parse_qs(url.query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["scope"] == [",".join(DEFAULT_BOT_SCOPES)]
    assert page.cookies() == [f"slack-app-oauth-state={query['state'][0]}"]
    with db.transaction() as s:  # the state is kept server-side too, to be used up once
        assert s.scalar(select(func.count()).select_from(SlackOAuthState)) == 1


def test_the_install_pages_load_nothing_from_elsewhere(oauth_bot, slack):
    for page in (
        get(oauth_bot.bot_url + "/slack/install"),
        install(oauth_bot.bot_url, slack, ACME),
    ):
        policy = page.headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy
        assert page.headers["Referrer-Policy"] == "no-referrer"
        assert page.headers["Cache-Control"] == "no-store"
        assert "<script" not in page.text
        assert " src=" not in page.text
        assert "<link" not in page.text.replace('<link rel="icon" href="data:,">', "")


def test_add_to_slack_stores_the_installation_and_says_what_to_do_next(oauth_bot, slack, db):
    page = install(oauth_bot.bot_url, slack, ACME)

    assert page.status == 200
    assert "Handoff is installed in <strong>Acme</strong>" in page.text
    assert "/logtask help" in page.text
    assert "App Home" in page.text
    assert "https://slack.com/app_redirect?app=A0HANDOFF&team=T1" in page.links()
    # the state cookie is cleared, and the exchange went to SLACK_API_URL with our credentials
    assert "slack-app-oauth-state=deleted" in page.cookies()
    (exchange,) = slack.api_calls("oauth.v2.access")
    assert exchange.headers["authorization"].startswith("Basic ")
    (bot_token,) = slack.bot_tokens(ACME)
    assert tokens_used(slack, "auth.test") == [bot_token]  # the bot id, asked at install
    with db.transaction() as s:
        row = s.scalars(select(SlackInstallation)).one()
        assert (row.team_id, row.team_name, row.enterprise_id) == ("T1", "Acme", None)
        assert (row.bot_user_id, row.bot_id) == ("UBT1", "BBT1")
        assert row.bot_token is not None
        assert bot_token not in row.bot_token  # stored encrypted


def test_a_command_from_an_installed_workspace_is_answered_with_its_own_token(oauth_bot, slack):
    install(oauth_bot.bot_url, slack, ACME)
    (bot_token,) = slack.bot_tokens(ACME)

    reply = oauth_bot.reply_text("write newsletter 1h30m weekly", team="T1")

    assert "write newsletter" in reply
    # users.info (the member's timezone) is the command's Web API call: made with Acme's token
    assert tokens_used(slack, "users.info") == [bot_token]


def test_two_workspaces_each_get_their_own_token_and_their_own_data(oauth_bot, slack, db):
    install(oauth_bot.bot_url, slack, ACME)
    install(oauth_bot.bot_url, slack, GLOBEX)
    (acme,), (globex,) = slack.bot_tokens(ACME), slack.bot_tokens(GLOBEX)
    assert acme != globex

    oauth_bot.command("write newsletter 1h weekly", team="T1")
    oauth_bot.command("invoices 30m monthly", user="U9", team="T2")

    calls = {c.params["user"]: c.token for c in slack.api_calls("users.info")}
    assert calls == {"U1": acme, "U9": globex}
    assert "invoices" not in oauth_bot.reply_text("report", team="T1")
    assert "newsletter" not in oauth_bot.reply_text("report", user="U9", team="T2")
    with db.transaction() as s:
        tasks = s.execute(
            select(WorkspaceRow.team_id, Task.name).join(Task, Task.workspace_id == WorkspaceRow.id)
        ).all()
    assert sorted(tasks) == [("T1", "write newsletter"), ("T2", "invoices")]


def test_a_workspace_without_an_installation_is_asked_to_reinstall(oauth_bot, slack):
    install(oauth_bot.bot_url, slack, ACME)

    reply = oauth_bot.reply_text("report", team="T9")

    assert "Handoff is not installed in this workspace any more" in reply
    assert slack.api_calls("users.info") == []  # no token was lent to it


def test_a_redirect_without_the_browsers_state_cookie_installs_nothing(oauth_bot, slack, db):
    page = get(oauth_bot.bot_url + "/slack/install")
    query = slack.approve(authorize_url(page), ACME)

    answer = get(oauth_bot.bot_url + "/slack/oauth_redirect?" + urlencode(query))

    assert answer.status == 400
    assert "This browser did not start the install" in answer.text
    assert slack.api_calls("oauth.v2.access") == []
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(SlackInstallation)) == 0


def test_a_state_is_used_up_by_one_install(oauth_bot, slack):
    page = get(oauth_bot.bot_url + "/slack/install")
    cookie = page.cookies()[0]
    first = slack.approve(authorize_url(page), ACME)
    second = slack.approve(authorize_url(page), GLOBEX)

    assert (
        get(oauth_bot.bot_url + "/slack/oauth_redirect?" + urlencode(first), cookie).status == 200
    )
    again = get(oauth_bot.bot_url + "/slack/oauth_redirect?" + urlencode(second), cookie)

    assert again.status == 401
    assert "expired" in again.text
    assert slack.bot_tokens(GLOBEX) == []


def test_a_cancelled_install_says_so_and_offers_to_start_again(oauth_bot):
    page = get(oauth_bot.bot_url + "/slack/oauth_redirect?error=access_denied&state=x")

    assert page.status == 200
    assert "cancelled in Slack" in page.text
    assert "/slack/install" in page.links()


def test_an_unknown_error_from_slack_is_quoted_escaped(oauth_bot):
    page = get(
        oauth_bot.bot_url + "/slack/oauth_redirect?" + urlencode({"error": "<script>x</script>"})
    )

    assert "<script>" not in page.text
    assert "Slack answered: &lt;script&gt;x&lt;/script&gt;." in page.text


def test_the_team_name_is_escaped_on_the_success_page(oauth_bot, slack):
    page = install(oauth_bot.bot_url, slack, Workspace("T3", '<img src=x onerror="alert(1)">'))

    assert page.status == 200
    assert "<img" not in page.text
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page.text


def test_with_a_public_url_slack_sends_the_installer_back_to_it(
    oauth_settings, db, slack, executor
):
    settings = replace(oauth_settings, public_url="https://handoff.example.com")
    app = create_app(settings, db=db, executor=executor)
    with serving(app, db, slack, executor, SIGNING_SECRET) as sim:
        page = get(sim.bot_url + "/slack/install")
        url = authorize_url(page)
        assert parse_qs(urlparse(url).query)["redirect_uri"] == [
            "https://handoff.example.com/slack/oauth_redirect"
        ]
        query = slack.approve(url, ACME)
        # Slack checks the exchange names the same redirect_uri as the consent page had
        done = get(sim.bot_url + "/slack/oauth_redirect?" + urlencode(query), page.cookies()[0])
        elsewhere = sim.reply_text("report", team="T9")
    assert done.status == 200
    assert slack.bot_tokens(ACME)
    # a workspace without an install is pointed at the install page
    assert "<https://handoff.example.com/slack/install|the install page>" in elsewhere


def test_an_org_wide_install_serves_each_workspace_of_the_org_with_its_own_data(
    oauth_bot, slack, db
):
    org = Workspace(None, None, "E1", "Initech", org_wide=True)
    page = install(oauth_bot.bot_url, slack, org)
    assert "installed for <strong>Initech</strong>" in page.text
    assert (
        "https://E1.enterprise.slack.com/manage/organization/apps/profile/A0HANDOFF/workspaces/add"
        in page.links()
    )
    (org_token,) = slack.bot_tokens(org)

    oauth_bot.command("write newsletter 1h weekly", team="TA", enterprise="E1", org_install=True)
    oauth_bot.command(
        "invoices 30m monthly", user="U2", team="TB", enterprise="E1", org_install=True
    )

    assert set(tokens_used(slack, "users.info")) == {org_token}
    report = oauth_bot.reply_text("report", team="TA", enterprise="E1", org_install=True)
    assert "newsletter" in report
    assert "invoices" not in report
    with db.transaction() as s:
        rows = s.execute(
            select(WorkspaceRow.enterprise_id, WorkspaceRow.team_id, Task.name).join(
                Task, Task.workspace_id == WorkspaceRow.id
            )
        ).all()
    assert sorted(rows) == [("E1", "TA", "write newsletter"), ("E1", "TB", "invoices")]


def test_an_event_in_an_org_wide_install_is_scoped_to_its_workspace(oauth_bot, slack):
    org = Workspace(None, None, "E1", "Initech", org_wide=True)
    install(oauth_bot.bot_url, slack, org)
    oauth_bot.command("write newsletter 2h weekly", team="TA", enterprise="E1", org_install=True)
    oauth_bot.command("rate $80/h", team="TA", enterprise="E1", org_install=True)
    (org_token,) = slack.bot_tokens(org)

    # An org-wide app's events name the org, not the workspace, in their authorization.
    payload = {
        "token": "legacy-unused",
        "team_id": "TA",
        "enterprise_id": "E1",
        "api_app_id": "A0HANDOFF",
        "type": "event_callback",
        "event_id": "Ev0ORG1",
        "event_time": 1,
        "is_ext_shared_channel": False,
        "authorizations": [
            {
                "enterprise_id": "E1",
                "team_id": None,
                "user_id": "UBE1",
                "is_bot": True,
                "is_enterprise_install": True,
            }
        ],
        "event": {
            "type": "message",
            "channel_type": "im",
            "channel": "D1",
            "user": "U1",
            "text": "should I outsource the newsletter?",
            "ts": "1700000000.000100",
            "team": "TA",
        },
    }
    result = oauth_bot.post(json.dumps(payload).encode(), "application/json")
    assert result.status == 200
    answer = slack.wait_for(lambda: slack.api_calls("chat.postMessage"))[0]
    assert answer.token == org_token
    # TA's own task and rate answer it: 2h × $80/h, less the 10% overhead: 160 × 0.9 = $144
    assert "under $144 each time" in flatten(answer.params)


def test_a_failure_behind_the_install_page_is_said_in_words(oauth_settings, db, slack, executor):
    # a database that cannot be opened: the state for the install cannot be kept
    broken = replace(oauth_settings, database_url="sqlite:////nonexistent/dir/handoff.db")
    app = create_app(broken, executor=executor)
    with serving(app, db, slack, executor, SIGNING_SECRET) as sim:
        page = get(sim.bot_url + "/slack/install")

    assert page.status == 500
    assert "could not reach its database" in page.text
    assert "Start again" in page.text
