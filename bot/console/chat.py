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
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any, TextIO
from urllib.parse import urlencode

from slack_bolt import App

from bot.app import create_app
from bot.console.local_slack import BOT_USER_ID, Call, LocalSlack
from bot.db.engine import Database
from bot.jobs import reminders
from bot.jobs.digest import run_due
from bot.parse.logtask import example
from bot.server import SlackRequest, parse_body
from bot.settings import Settings
from bot.views.plaintext import buttons, render

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
        self,
        settings: Settings,
        db: Database,
        user: str = "you",
        color: bool = False,
        scheduler: bool = True,
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
        self.db = db
        # A typed line and a scheduler round take turns, so each sees only its own calls.
        self._turn = threading.Lock()
        self._out = threading.Lock()
        self.channel_posts: list[str] = []  # what the scheduler posted, as console text
        self._show: Callable[[str], None] | None = None
        self._stopping = threading.Event()
        self._scheduler: threading.Thread | None = None
        self._buttons: list[dict[str, Any]] = []  # the latest reply's, as numbered on screen
        if scheduler:
            self._start_scheduler(settings.digest_poll_seconds, settings.digest_lease)

    def close(self) -> None:
        self._stopping.set()
        if self._scheduler is not None:
            self._scheduler.join(timeout=30)
        self.slack.stop()

    # ---- the scheduler (digests and reminders), as `handoff run` has it ------------------

    def _start_scheduler(self, poll_seconds: int, lease: timedelta) -> None:
        # What fell due while the console was closed goes out before the first prompt.
        self._post_due(lease)
        self._scheduler = threading.Thread(
            target=self._poll,
            args=(poll_seconds, lease),
            name="console-scheduler",
            daemon=True,
        )
        self._scheduler.start()

    def _poll(self, poll_seconds: int, lease: timedelta) -> None:
        while not self._stopping.wait(poll_seconds):
            self._post_due(lease)

    def _post_due(self, lease: timedelta) -> None:
        with self._turn:
            mark = len(self.slack.calls)
            run_due(self.db, self.app.client, lease=lease)
            reminders.run_due(self.db, self.app.client)
            posts = [p for call in self.slack.calls[mark:] if (p := self._channel_post(call))]
        with self._out:
            for post in posts:
                self.channel_posts.append(post)
                if self._show is not None:
                    self._show(post)

    def _channel_post(self, call: Call) -> str | None:
        """A message the scheduler posted, as "#general · Handoff: …"; None for other calls."""
        if call.kind != "api":
            return None
        names = self._channel_names()
        if call.method == "chat.postMessage" and not call.params.get("thread_ts"):
            where = str(call.params.get("channel"))
            head = f"#{names[where]} · Handoff: " if where in names else "Handoff, to you: "
            first, *rest = render(call.params, self.color, names).split("\n")
            return "\n".join([head + first, *("     " + line for line in rest)])
        if call.method == "files.completeUploadExternal":
            where = str(call.params.get("channel_id"))
            return f"#{names.get(where, where)} · Handoff, in the thread: [chart uploaded]"
        return None

    def _show_post(self, post: str, stdout: TextIO, interactive: bool) -> None:
        # At a waiting prompt: the post on lines of its own, then the prompt again.
        print(("\n" if interactive else "") + post, file=stdout)
        if interactive:
            print(PROMPT, end="", file=stdout)
        stdout.flush()

    # ---- one line in, the bot's replies out ---------------------------------------------

    def handle(self, line: str) -> list[str]:
        with self._turn:
            return self._handle(line)

    def _handle(self, line: str) -> list[str]:
        line = line.strip()
        if not line:
            return []
        if self._buttons and (number := re.fullmatch(r"\[?(\d{1,2})\]?", line)):
            return self.click(int(number.group(1)))
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

    def click(self, number: int) -> list[str]:
        """Click button [number] of the latest reply, as Slack posts a click to the bot."""
        if not 1 <= number <= len(self._buttons):
            shown = ", ".join(f"[{i}]" for i in range(1, len(self._buttons) + 1))
            return [f"There is no button [{number}]; the last reply has {shown}."]
        button = self._buttons[number - 1]
        mark = len(self.slack.calls)
        body = urlencode({"payload": json.dumps(self._click(button))}).encode()
        content_type = "application/x-www-form-urlencoded"
        fields = parse_body(body, content_type)
        self.app.dispatch(
            SlackRequest(body=body.decode(), fields=fields, headers={"content-type": content_type})
        )
        return self._replies(self.slack.calls[mark:])

    def _click(self, button: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "block_actions",
            "api_app_id": "A0CONSOLE",
            "user": {"id": self.user_id, "username": self.user_name, "team_id": TEAM_ID},
            "team": {"id": TEAM_ID, "domain": "local"},
            "container": {"type": "message", "channel_id": GENERAL, "is_ephemeral": True},
            "channel": {"id": GENERAL, "name": "general"},
            "trigger_id": f"{uuid.uuid4().int % 10**12}.console",
            "response_url": self.slack.new_response_url(),
            "actions": [
                {
                    "type": "button",
                    "action_id": button["action_id"],
                    "block_id": button.get("block_id", "console"),
                    "value": button.get("value", ""),
                    "text": button["text"],
                    "action_ts": f"{time.time():.6f}",
                }
            ],
        }

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
                self._buttons = buttons(call.params)
                where = call.params.get("channel")
                prefix = (
                    f"[posted in #{self._channel_names().get(where, where)}]\n"
                    if where and where != DM_CHANNEL
                    else ""
                )
                out.append(prefix + render(call.params, self.color, self._channel_names()))
            elif call.kind == "api" and call.method == "files.completeUploadExternal":
                out.append(_uploaded(call))
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
            "type a button's number ([1]) to click it, Ctrl-D to quit.",
            file=stdout,
        )
        with self._out:
            for post in self.channel_posts:
                print(post, file=stdout)
            self._show = lambda post: self._show_post(post, stdout, interactive)
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


def _uploaded(call: Call) -> str:
    """A file upload in the conversation: the digest's chart in its thread, or files by title."""
    if call.params.get("thread_ts"):
        return "[chart uploaded]"
    files = call.params.get("files")
    if isinstance(files, str):
        files = json.loads(files)
    titles = [str(f.get("title") or f.get("id")) for f in files or []]
    return f"[files sent to you: {', '.join(titles)}]"
