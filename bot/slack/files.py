"""Files to a member, in their DM with Handoff: Slack's upload flow through slack_sdk.

files_upload_v2 is that flow: files.getUploadURLExternal for each file, the bytes POSTed to
the URL it returns, then one files.completeUploadExternal sharing them in the channel. A
file goes to a channel, never to a user id, so the DM is opened first (conversations.open,
which needs ``im:write``). SlackApiError from any step reaches the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from slack_sdk import WebClient


@dataclass(frozen=True)
class File:
    filename: str
    title: str
    content: bytes


def send_to_member(client: WebClient, user_id: str, files: Sequence[File], comment: str) -> str:
    """Share ``files`` with ``user_id`` in their DM with the bot; returns the DM's channel id."""
    channel = str(client.conversations_open(users=user_id)["channel"]["id"])
    client.files_upload_v2(
        file_uploads=[
            {"content": f.content, "filename": f.filename, "title": f.title} for f in files
        ],
        channel=channel,
        initial_comment=comment,
    )
    return channel
