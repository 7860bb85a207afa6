"""The one kind of error users see: what was wrong, and what to type instead."""

from __future__ import annotations


class UserError(ValueError):
    """Something the user must fix.

    ``command`` names an entry of the command table (bot.parse.logtask.TABLE) whose examples
    the reply offers; ``example`` is a specific command to suggest instead, built from what
    the user typed (``/logtask "report writing" 1h``).
    """

    def __init__(
        self, problem: str, example: str | None = None, *, command: str | None = None
    ) -> None:
        super().__init__(problem)
        self.problem = problem
        self.example = example
        self.command = command


class CommandError(UserError):
    """A /logtask command that does not parse."""
