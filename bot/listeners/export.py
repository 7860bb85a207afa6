"""`/logtask export`: build the files, send them to the member's DM, say so.

Bolt has acknowledged the command before this runs (the lazy listener), so the upload
never holds up the ack; the ephemeral reply comes once Slack has the files.
"""

from __future__ import annotations

from slack_sdk.errors import SlackApiError

from bot.errors import UserError
from bot.parse import commands as c
from bot.services import export as service
from bot.slack.files import File, send_to_member
from bot.slack.members import Caller
from bot.views import export as views
from bot.views.common import Message


def answer(cmd: c.Export, caller: Caller) -> Message:
    # Whether the member is an admin comes from their profile, refreshed here when stale.
    caller.profile  # noqa: B018
    with caller.snapshot() as s:
        export = service.export(s, caller.scope, caller.user_id, cmd.span, caller.today)
    files = [
        File(views.filename(export, "entries"), views.ENTRIES_TITLE, views.entries_csv(export)),
        File(views.filename(export, "report"), views.REPORT_TITLE, views.report_csv(export)),
        File(views.filename(export, "handoffs"), views.HANDOFFS_TITLE, views.handoffs_csv(export)),
    ]
    try:
        send_to_member(caller.client, caller.user_id, files, views.dm_comment(export))
    except SlackApiError as e:
        error = str(e.response.get("error") or f"http_{e.response.status_code}")
        raise UserError(views.upload_refused(error), command="export") from None
    return views.sent(export)
