"""Block Kit as terminal text, for the console: what a Slack user would read, minus the chrome."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from bot.text import unescape

_EMOJI = {
    ":warning:": "⚠",
    ":face_with_head_bandage:": "🤕",
    ":white_check_mark:": "✓",
    ":chart_with_upwards_trend:": "📈",
    ":moneybag:": "💰",
    ":calendar:": "📅",
    ":mag:": "🔍",
}
_LINK = re.compile(r"<([^<>|]+)\|([^<>]+)>|<([^<>]+)>")
_BOLD = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)\*(?![\w*])")


def mrkdwn(text: str, color: bool = False, channels: Mapping[str, str] | None = None) -> str:
    """Terminal text for mrkdwn; ``channels`` names channel ids the way Slack shows them."""
    names = channels or {}

    def link(m: re.Match[str]) -> str:
        target, label, bare = m.group(1), m.group(2), m.group(3)
        if bare is not None:
            if bare.startswith("#"):
                channel_id = bare[1:]
                return "#" + names.get(channel_id, channel_id)
            return bare
        if target.startswith(("#", "@")):
            return target[0] + label.lstrip("#@")
        return label if target.startswith("!") else f"{label} ({target})"

    out = _LINK.sub(link, text)
    out = _BOLD.sub(
        (lambda m: f"\033[1m{m.group(1)}\033[0m") if color else (lambda m: m.group(1)), out
    )
    for code, char in _EMOJI.items():
        out = out.replace(code, char)
    return unescape(out)


def _blocks(msg: Mapping[str, Any]) -> list[dict[str, Any]]:
    blocks = msg.get("blocks") or []
    return list(json.loads(blocks) if isinstance(blocks, str) else blocks)


def buttons(msg: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The message's buttons in the order ``render`` numbers them, from [1]."""
    found = []
    for block in _blocks(msg):
        elements = [block["accessory"]] if block.get("accessory") else block.get("elements", [])
        found += [e for e in elements if isinstance(e, dict) and e.get("type") == "button"]
    return found


def render(
    msg: dict[str, Any], color: bool = False, channels: Mapping[str, str] | None = None
) -> str:
    """``msg`` as terminal text; its buttons numbered [1], [2]… as ``buttons`` lists them."""
    blocks = _blocks(msg)
    if not blocks:
        return mrkdwn(str(msg.get("text", "")), color, channels)
    dim = (lambda s: f"\033[2m{s}\033[0m") if color else (lambda s: s)
    lines: list[str] = []
    number = 0

    def button(element: dict[str, Any]) -> str:
        nonlocal number
        number += 1
        return f"[{number}] {unescape(element['text']['text'])}"

    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            title = block["text"]["text"]
            lines += [f"\033[1m{title}\033[0m" if color else title, "─" * min(len(title), 60)]
        elif kind == "section":
            if "text" in block:
                lines.append(mrkdwn(block["text"]["text"], color, channels))
            for field in block.get("fields", []):
                lines.append("  " + mrkdwn(field["text"], color, channels))
            if (block.get("accessory") or {}).get("type") == "button":
                lines.append("  " + button(block["accessory"]))
        elif kind == "context":
            parts = [
                mrkdwn(e["text"], color, channels) for e in block.get("elements", []) if "text" in e
            ]
            lines.append(dim("  ".join(parts)))
        elif kind == "divider":
            lines.append(dim("─" * 40))
        elif kind == "actions":
            shown = [
                button(e) if e.get("type") == "button" else f"[{unescape(e['text']['text'])}]"
                for e in block.get("elements", [])
                if "text" in e
            ]
            lines.append("  ".join(shown))
        elif kind == "image":
            lines.append(dim(f"[image: {block.get('alt_text', '')}]"))
    return "\n".join(lines)
