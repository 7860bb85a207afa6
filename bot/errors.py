"""The one kind of error users see: what was wrong, and an example that works."""

from __future__ import annotations


class UserError(ValueError):
    def __init__(self, problem: str, example: str | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.example = example
