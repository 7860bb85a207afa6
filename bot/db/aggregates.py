"""SQL aggregates that SQLite and PostgreSQL spell differently, as SQLAlchemy constructs."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, ColumnExpressionArgument
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import GenericFunction

# A BIGINT holds 63 usable bits: the most days one mask can tell apart.
MAX_MASK_DAYS = 63


class days_mask(GenericFunction[int]):  # lower case, as sqlalchemy.func names are
    """Which days a group's rows fall on, as bits: bit n is set when a row's ``day`` is
    ``start`` + n days. The OR of the masks of several groups has one bit per distinct day of
    all of them, so one GROUP BY by (task, member) also yields each task's distinct days.

    Only for rows with ``start <= day < start + MAX_MASK_DAYS``: the caller's WHERE bounds them.
    """

    type = BigInteger()
    name = "days_mask"
    inherit_cache = True

    def __init__(
        self, day: ColumnExpressionArgument[Any], start: ColumnExpressionArgument[Any]
    ) -> None:
        super().__init__(day, start)


def _arguments(element: days_mask, compiler: SQLCompiler, **kw: Any) -> tuple[str, str]:
    day, start = element.clauses
    return compiler.process(day, **kw), compiler.process(start, **kw)


@compiles(days_mask, "postgresql")
def _days_mask_postgresql(element: days_mask, compiler: SQLCompiler, **kw: Any) -> str:
    day, start = _arguments(element, compiler, **kw)
    return f"bit_or(CAST(1 AS BIGINT) << ({day} - {start}))"


@compiles(days_mask, "sqlite")
def _days_mask_sqlite(element: days_mask, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite has no bit_or aggregate; the sum of distinct powers of two is their OR.
    day, start = _arguments(element, compiler, **kw)
    return f"sum(DISTINCT 1 << CAST(julianday({day}) - julianday({start}) AS INTEGER))"
