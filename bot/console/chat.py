"""`handoff console`: chat with the bot in a terminal, no Slack needed.

The console drives the same Bolt app and listeners with the payloads Slack sends, and
the bot talks to a local Slack stand-in; whatever the bot sends back is printed as text.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import sys
import time
import uuid
from dataclasses import replace
from typing import Any, TextIO
from urllib.parse import urlencode

from slack_bolt import App

from bot.app import create_app
from bot.console.local_slack import BOT_USER_ID, LocalSlack
from bot.db.engine import Database
from bot.parse.logtask import example
from bot.server import SlackRequest, parse_body
from bot.settings import Settings
from bot.views.plaintext import render

TEAM_ID = "T0CONSOLE"
DM_CHANNEL = "D0CONSOLE"
GENERAL = "C0GENERAL"
PROMPT = "you> "


def user_id_for(name: str) -> str:
    return "U" + (re.sub(r"[^A-Za-z0-9]", "", name).upper() or "YOU")[:20]


def local_timezone() -> str:
    try:
        from tzlocal import get_localzone_name

        return get_localzone_name() or "UTC"
    except Exception:  # no zone configured on this machine
        return "UTC"


class Console:
    def __init__(
        self, settings: Settings, db: Database, user: str = "you", color: bool = False
    ) -> None:
        self.user_name = user
        self.user_id = user_id_for(user)
        self.color = color
        self.slack = LocalSlack(team_id=TEAM_ID).start()
        self.slack.add_user(self.user_id, name=user, tz=local_timezone(), is_admin=True)
        self.slack.add_channel(GENERAL, "general", is_member=True)
        self.slack.add_channel("C0RANDOM", "random")
        local = replace(
            settings,
            slack_bot_token="xoxb-local-console",  # noqa: S106  (the local stand-in takes any)
            slack_signing_secret=None,  # nothing crosses a network here
            slack_app_token=None,
            slack_client_id=None,  # one local workspace, whatever mode the settings are for
            slack_client_secret=None,
            slack_api_url=self.slack.api_url,
        )
        # Listeners run before dispatch returns, so each reply is printed before the next prompt.
        self.app: App = create_app(local, db=db, process_before_response=True)
        self._ts = itertools.count(1)

    def close(self) -> None:
        self.slack.stop()

    # ---- one line in, the bot's replies out ---------------------------------------------

    def handle(self, line: str) -> list[str]:
        line = line.strip()
        if not line:
            return []
        mark = len(self.slack.calls)
        if line.startswith("/"):
            command, _, text = line.partition(" ")
            body = urlencode(self._command(command, text)).encode()
            content_type = "application/x-www-form-urlencoded"
        else:
            body = json.dumps(self._dm(line)).encode()
            content_type = "application/json"
        # Parsed as the HTTP server parses Slack's bodies, so the console reads commands alike.
        fields = parse_body(body, content_type)
        response = self.app.dispatch(
            SlackRequest(body=body.decode(), fields=fields, headers={"content-type": content_type})
        )
        replies = self._replies(self.slack.calls[mark:])
        if response.status == 404 and not replies:
            return [f"Unknown command {line.split()[0]} — try {example('help')}"]
        if response.body and response.status == 200 and not replies and line.startswith("/"):
            return [response.body]
        return replies

    def _command(self, command: str, text: str) -> dict[str, str]:
        return {
            "team_id": TEAM_ID,
            "team_domain": "local",
            "channel_id": GENERAL,  # the console user types commands "in #general"
            "channel_name": "general",
            "user_id": self.user_id,
            "user_name": self.user_name,
            "command": command,
            "text": escape_like_slack(text, self._channel_ids()),
            "api_app_id": "A0CONSOLE",
            "response_url": self.slack.new_response_url(),
            "trigger_id": f"{uuid.uuid4().int % 10**12}.console",
        }

    def _dm(self, text: str) -> dict[str, Any]:
        ts = f"{int(time.time())}.{next(self._ts):06d}"
        return {
            "team_id": TEAM_ID,
            "api_app_id": "A0CONSOLE",
            "type": "event_callback",
            "event_id": f"Ev{uuid.uuid4().hex[:12].upper()}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
            "event": {
                "type": "message",
                "channel_type": "im",
                "channel": DM_CHANNEL,
                "user": self.user_id,
                "text": escape_like_slack(text, self._channel_ids()),
                "ts": ts,
                "event_ts": ts,
            },
        }

    def _replies(self, calls: list[Any]) -> list[str]:
        out = []
        for call in calls:
            if call.kind == "respond" or (
                call.kind == "api" and call.method in ("chat.postMessage", "chat.postEphemeral")
            ):
                where = call.params.get("channel")
                prefix = (
                    f"[posted in #{self._channel_names().get(where, where)}]\n"
                    if where and where != DM_CHANNEL
                    else ""
                )
                out.append(prefix + render(call.params, self.color, self._channel_names()))
            elif call.kind == "api" and call.method == "files.completeUploadExternal":
                out.append("[chart uploaded]")
        return out

    def _channel_names(self) -> dict[str, str]:
        return {c["id"]: c["name"] for c in self.slack.channels.values()}

    def _channel_ids(self) -> dict[str, str]:
        return {c["name"]: c["id"] for c in self.slack.channels.values()}

    # ---- the terminal loop --------------------------------------------------------------

    def loop(
        self, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout, banner: str | None = None
    ) -> None:
        interactive = stdin.isatty()
        if interactive:
            with contextlib.suppress(ImportError):
                import readline  # noqa: F401  (line editing and history for input())
        if banner:
            print(banner, file=stdout)
        print(
            f"Handoff console — you are {self.user_name}, talking to the bot on this machine.\n"
            f"Type {example('help')} to start, ask “should I outsource the newsletter?”, "
            "Ctrl-D to quit.",
            file=stdout,
        )
        while True:
            try:
                line = input(PROMPT) if interactive else stdin.readline()
            except (EOFError, KeyboardInterrupt):
                print(file=stdout)
                return
            if not interactive:
                if not line:
                    return
                print(PROMPT + line.rstrip("\n"), file=stdout)
            if line.strip() in ("exit", "quit", "/quit"):
                return
            for reply in self.handle(line):
                print(_indent(reply), file=stdout)
            stdout.flush()


def escape_like_slack(text: str, channels: dict[str, str] | None = None) -> str:
    """What Slack sends for typed text: &, < and > escaped, @channel a special mention,
    and #name a channel link when the channel exists (``channels`` maps names to ids)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"(?<![\w@])@(channel|here|everyone)\b", r"<!\1>", text)
    known = channels or {}

    def link(m: re.Match[str]) -> str:
        channel_id = known.get(m.group(1).lower())
        return f"<#{channel_id}|{m.group(1)}>" if channel_id else m.group(0)

    return re.sub(r"(?<![\w#])#([\w-]+)", link, text)


def _indent(text: str) -> str:
    return "\n".join(
        "bot> " + line if i == 0 else "     " + line for i, line in enumerate(text.split("\n"))
    )
