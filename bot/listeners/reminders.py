"""`/logtask remind …`: set, show or stop the member's weekly reminder to log their time."""

from __future__ import annotations

from bot.db.base import utcnow
from bot.parse import commands as c
from bot.services import reminders as service
from bot.slack.members import Caller, zone
from bot.views import reminders as views
from bot.views.common import Message


def answer(cmd: c.RemindCommand, caller: Caller) -> Message:
    db, scope, user_id = caller.db, caller.scope, caller.user_id
    match cmd:
        case c.RemindShow():
            with db.transaction() as s:
                return views.shown(service.current(s, scope, user_id))
        case c.RemindOff():
            with db.transaction() as s:
                return views.turned_off(service.turn_off(s, scope, user_id))
        case c.RemindSet(weekdays=weekdays, at=at):
            tz = zone(caller.profile.tz).key
            with db.transaction() as s:
                setting = service.configure(s, scope, user_id, weekdays, at, tz, utcnow())
            return views.configured(setting)
    raise AssertionError(cmd)  # pragma: no cover
