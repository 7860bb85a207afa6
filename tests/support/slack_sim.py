"""Plays Slack's side of the HTTP conversation: signed slash commands and events to the bot."""

from __future__ import annotations

import itertools
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from bot.console.local_slack import LocalSlack
from tests.support.executor import TrackingExecutor
from tests.support.signing import signed_headers


@dataclass
class HttpResult:
    status: int
    body: bytes
    seconds: float

    def json(self) -> Any:
        return json.loads(self.body)


def http(
    url: str,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    method: str | None = None,
) -> HttpResult:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)  # noqa: S310
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=10) as r:  # noqa: S310
            return HttpResult(r.status, r.read(), time.perf_counter() - start)
    except urllib.error.HTTPError as e:
        return HttpResult(e.code, e.read(), time.perf_counter() - start)


class SlackSim:
    def __init__(
        self, bot_url: str, secret: str, slack: LocalSlack, executor: TrackingExecutor
    ) -> None:
        self.bot_url = bot_url
        self.secret = secret
        self.slack = slack
        self.executor = executor
        self._ids = itertools.count(1)

    def post(
        self,
        body: bytes,
        content_type: str,
        headers: dict[str, str] | None = None,
        signed: bool = True,
    ) -> HttpResult:
        h = {
            "Content-Type": content_type,
            **(signed_headers(self.secret, body) if signed else {}),
            **(headers or {}),
        }
        return http(self.bot_url + "/slack/events", body, h)

    def send_command(
        self,
        text: str,
        user: str = "U1",
        team: str = "T1",
        enterprise: str | None = None,
        channel: str = "C1",
        response_url: str | None = None,
        org_install: bool = False,
    ) -> tuple[HttpResult, str]:
        url = response_url or self.slack.new_response_url()
        form = {
            "token": "legacy-unused",
            "team_id": team,
            "team_domain": "acme",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": user.lower(),
            "command": "/logtask",
            "text": text,
            "api_app_id": "A1",
            "is_enterprise_install": "true" if org_install else "false",
            "response_url": url,
            "trigger_id": f"{next(self._ids)}.1.abc",
        }
        if enterprise:
            form["enterprise_id"] = enterprise
        return self.post(urlencode(form).encode(), "application/x-www-form-urlencoded"), url

    def command(
        self,
        text: str,
        user: str = "U1",
        team: str = "T1",
        enterprise: str | None = None,
        org_install: bool = False,
    ) -> dict[str, Any]:
        """Send /logtask ``text`` and return the ephemeral reply it got through response_url.

        ``org_install``: the app is installed org-wide in ``enterprise`` (Enterprise Grid)."""
        result, url = self.send_command(
            text, user=user, team=team, enterprise=enterprise, org_install=org_install
        )
        assert result.status == 200, result
        return self.slack.wait_for_response(url)

    def reply_text(self, text: str, **kw: Any) -> str:
        """The whole reply as one string: its fallback text and every block's text."""
        return flatten(self.command(text, **kw))

    def event(
        self,
        event: dict[str, Any],
        team: str = "T1",
        event_id: str | None = None,
        retry_num: int | None = None,
        authorizations_user: str = "UHANDOFF",
    ) -> HttpResult:
        payload = {
            "token": "legacy-unused",
            "team_id": team,
            "api_app_id": "A1",
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(self._ids):08d}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": team, "user_id": authorizations_user, "is_bot": True}],
        }
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
        return self.post(json.dumps(payload).encode(), "application/json", headers)

    def interact(self, payload: dict[str, Any]) -> HttpResult:
        """POST an interactivity payload (block_actions, view_submission…) as Slack does."""
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self.post(body, "application/x-www-form-urlencoded")

    def click(
        self,
        button: dict[str, Any],
        user: str = "U1",
        team: str = "T1",
        enterprise: str | None = None,
        channel: str = "C1",
        response_url: str | None = None,
        ephemeral: bool = True,
    ) -> tuple[HttpResult, str]:
        """Click a Block Kit button (a dict from a reply's blocks) as ``user``.

        ``ephemeral``: the button sits on a reply only the clicker sees; False for one on a
        message in a channel, such as the digest.

        Returns the HTTP result and the response_url the bot may answer through.
        """
        url = response_url or self.slack.new_response_url()
        payload = {
            "type": "block_actions",
            "token": "legacy-unused",
            "api_app_id": "A1",
            "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": team},
            "team": {"id": team, "domain": "acme"},
            "enterprise": {"id": enterprise, "name": "Org"} if enterprise else None,
            "is_enterprise_install": False,
            "container": {
                "type": "message",
                "message_ts": "1700000000.000100",
                "channel_id": channel,
                "is_ephemeral": ephemeral,
            },
            "channel": {"id": channel, "name": "general"},
            "trigger_id": f"{next(self._ids)}.1.abc",
            "response_url": url,
            "actions": [
                {
                    "type": button.get("type", "button"),
                    "action_id": button["action_id"],
                    "block_id": button.get("block_id", "b"),
                    "value": button.get("value", ""),
                    "text": button.get("text", {"type": "plain_text", "text": ""}),
                    "action_ts": f"{time.time():.6f}",
                }
            ],
        }
        return self.interact(payload), url

    def home_opened(self, user: str = "U1", team: str = "T1", tab: str = "home") -> HttpResult:
        """The member opened the app's ``tab`` (home or messages): an app_home_opened event."""
        return self.event(
            {
                "type": "app_home_opened",
                "user": user,
                "channel": f"D{user}",
                "tab": tab,
                "event_ts": f"{time.time():.6f}",
            },
            team=team,
        )

    def view_submission(
        self,
        view: dict[str, Any],
        values: dict[str, str | None],
        user: str = "U1",
        team: str = "T1",
    ) -> HttpResult:
        """Submit the modal ``view`` (as opened) with ``values``: block id to what was typed,
        picked (an option's value) or chosen (a date). The response body is the ack."""
        state: dict[str, dict[str, Any]] = {}
        for block in view.get("blocks", []):
            element = block.get("element") or {}
            if block.get("type") != "input" or block.get("block_id") not in values:
                continue
            given = values[block["block_id"]]
            kind = element.get("type")
            if kind == "static_select":
                chosen = next((o for o in element.get("options", []) if o["value"] == given), None)
                value: dict[str, Any] = {"type": kind, "selected_option": chosen}
            elif kind == "datepicker":
                value = {"type": kind, "selected_date": given}
            else:
                value = {"type": kind, "value": given}
            state[block["block_id"]] = {element["action_id"]: value}
        payload = {
            "type": "view_submission",
            "token": "legacy-unused",
            "api_app_id": "A1",
            "team": {"id": team, "domain": "acme"},
            "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": team},
            "enterprise": None,
            "is_enterprise_install": False,
            "trigger_id": f"{next(self._ids)}.1.abc",
            "view": {
                **view,
                "id": f"V{next(self._ids)}",
                "team_id": team,
                "state": {"values": state},
                "hash": "1.abc",
            },
            "response_urls": [],
        }
        return self.interact(payload)

    def idle(self) -> None:
        """Wait until every listener the bot started has finished."""
        self.executor.wait_idle()


def buttons(reply: dict[str, Any]) -> list[dict[str, Any]]:
    """Every button in a reply's blocks, each with the block_id of the block it sits in."""
    found: list[dict[str, Any]] = []
    blocks = reply.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    for block in blocks:
        elements = list(block.get("elements") or [])
        if block.get("accessory"):
            elements.append(block["accessory"])
        for element in elements:
            if isinstance(element, dict) and element.get("type") == "button":
                found.append({**element, "block_id": block.get("block_id", "b")})
    return found


def flatten(reply: dict[str, Any]) -> str:
    parts = [str(reply.get("text", ""))]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                parts.append(node["text"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(reply.get("blocks", []))
    blocks = reply.get("blocks")
    if isinstance(blocks, str):
        walk(json.loads(blocks))
    return "\n".join(parts)
