"""The install page, and what the redirect answers: small HTML pages, escaped, nothing external.

Pure functions of their inputs. Every value that came from outside (Slack's team name, the
authorize URL, an error reason) goes through html.escape; the server sends them with a
Content-Security-Policy that forbids anything but their own inline style.
"""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

from bot.parse.logtask import COMMAND
from bot.text import shorten

STYLE = (
    "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:34rem;"
    "margin:3rem auto;padding:0 1rem;color:#1d1c1d;line-height:1.5}"
    "h1{font-size:1.5rem}code{background:#f4f4f4;padding:.1rem .3rem;border-radius:3px}"
    ".button{display:inline-block;background:#4a154b;color:#fff;padding:.7rem 1.4rem;"
    "border-radius:6px;text-decoration:none;font-weight:600}"
    ".button:focus,.button:hover{background:#611f69}"
)

# What the failure page says for each reason Bolt's OAuthFlow reports, and Slack's own.
REASONS = {
    "access_denied": "The install was cancelled in Slack, so nothing was installed.",
    "invalid_browser": (
        "This browser did not start the install, or its cookie has expired. "
        "Start again from this browser."
    ),
    "invalid_state": "This install link has expired (after 10 minutes) or was already used.",
    "missing_code": "Slack did not send an install code.",
    "invalid_code": "Slack did not accept the install code; it may have been used already.",
    "unavailable": (
        "Handoff could not reach its database. Try again in a minute; if it keeps failing, "
        "whoever runs Handoff should look at its log."
    ),
    "storage_error": (
        "Handoff could not save the installation. Try again in a minute; if it keeps "
        "failing, whoever runs Handoff should look at its log."
    ),
}


def _page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f'<link rel="icon" href="data:,"><title>{escape(title)}</title>'
        f"<style>{STYLE}</style></head>\n<body>\n{body}\n</body></html>\n"
    )


def install_page(authorize_url: str) -> str:
    """The "Add to Slack" page; ``authorize_url`` is Slack's consent page with our state."""
    return _page(
        "Add Handoff to Slack",
        "<h1>Add Handoff to Slack</h1>\n"
        "<p>Handoff tells you which recurring tasks cost you money to do yourself: log the "
        f"time they take with <code>{COMMAND}</code>, add a quote, and it says what to hand "
        "off and what that saves.</p>\n"
        f'<p><a class="button" href="{escape(authorize_url)}">Add to Slack</a></p>\n'
        "<p>Slack asks you to pick a workspace and shows what Handoff may do there.</p>",
    )


def success_page(
    *,
    app_id: str | None,
    team_id: str | None,
    team_name: str | None,
    enterprise_name: str | None,
    enterprise_url: str | None,
    org_wide: bool,
) -> str:
    """Installed: where, and what to do next."""
    if org_wide:
        where = escape(enterprise_name or "your organization")
        add = "in the organization's app settings."
        if enterprise_url and app_id:
            # Slack's page for adding an org-wide app to workspaces (as Bolt's own success page).
            url = f"{enterprise_url}manage/organization/apps/profile/{app_id}/workspaces/add"
            add = f'there: <a href="{escape(url)}">add workspaces</a>.'
        next_steps = (
            f"<p>Handoff is installed for <strong>{where}</strong>. Next, an admin chooses "
            f"the workspaces that get it {add}</p>"
        )
    else:
        where = escape(team_name or "your workspace")
        next_steps = f"<p>Handoff is installed in <strong>{where}</strong>.</p>"
    open_link = ""
    if app_id and team_id:
        url = "https://slack.com/app_redirect?" + urlencode({"app": app_id, "team": team_id})
        open_link = f'<p><a class="button" href="{escape(url)}">Open Handoff in Slack</a></p>\n'
    return _page(
        "Handoff is installed",
        "<h1>Handoff is installed</h1>\n"
        f"{next_steps}\n"
        "<p>What next:</p>\n<ol>\n"
        f"<li>In any channel, type <code>{COMMAND} help</code> to see every command with an "
        f"example, then log a task: <code>{COMMAND} write newsletter 1h30m weekly</code>.</li>\n"
        "<li>Open Handoff's <strong>App Home</strong> (in Slack: Apps → Handoff → Home) for "
        "your dashboard.</li>\n"
        f"<li>Set your hourly worth with <code>{COMMAND} rate $80/h</code>, and a weekly digest "
        f"for the team with <code>{COMMAND} digest here</code>.</li>\n"
        "</ol>\n" + open_link,
    )


def failure_page(reason: str, install_path: str) -> str:
    """The install did not complete: why, in words, and a way to start again."""
    said = REASONS.get(reason, f"Slack answered: {shorten(reason, 80)}.")
    return _page(
        "Handoff was not installed",
        "<h1>Handoff was not installed</h1>\n"
        f"<p>{escape(said)}</p>\n"
        f'<p><a class="button" href="{escape(install_path)}">Start again</a></p>',
    )
