"""A browser's side of "Add to Slack": the install page, its cookie, Slack's consent, the redirect."""

from __future__ import annotations

import html
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urlencode

from bot.console.local_slack import LocalSlack, Workspace


@dataclass
class Page:
    status: int
    headers: Message
    text: str

    def cookies(self) -> list[str]:
        """The name=value of each Set-Cookie."""
        return [c.split(";", 1)[0] for c in self.headers.get_all("Set-Cookie") or []]

    def links(self) -> list[str]:
        return [html.unescape(h) for h in re.findall(r'href="([^"]*)"', self.text)]


def get(url: str, cookie: str | None = None) -> Page:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as r:  # noqa: S310
            return Page(r.status, r.headers, r.read().decode())
    except urllib.error.HTTPError as e:
        return Page(e.code, e.headers, e.read().decode())


def authorize_url(page: Page) -> str:
    """The "Add to Slack" button's target."""
    return next(link for link in page.links() if "oauth/v2/authorize" in link)


def install(bot_url: str, slack: LocalSlack, where: Workspace) -> Page:
    """Open the install page, approve in Slack, follow the redirect back with the cookie."""
    page = get(bot_url + "/slack/install")
    assert page.status == 200, page
    query = slack.approve(authorize_url(page), where)
    return get(bot_url + "/slack/oauth_redirect?" + urlencode(query), cookie=page.cookies()[0])
