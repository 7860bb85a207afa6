"""What a /logtask command means once parsed: typed values, ready for a service.

Amounts are Money in the workspace's currency, days are dates in the member's calendar,
durations are minutes. A task name in quotes is `literal`: it means that task and no other,
even when a task with a close name exists. Nothing here needs the database or Slack.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from fractions import Fraction

from bot.economics import Frequency, QuoteUnit
from bot.money import Money


@dataclass(frozen=True)
class Context:
    """What parsing needs to know beyond the text: the member's today, the workspace currency."""

    today: date
    currency: str


@dataclass(frozen=True)
class LogTime:
    task: str
    minutes: int
    day: date
    frequency: Frequency | None = None
    category: str | None = None
    bare_hours: bool = False  # "2" was read as hours; the reply says so
    literal: bool = False  # the name was quoted: that task exactly, never a near match


@dataclass(frozen=True)
class RateConversion:
    """`rate $480/day 8h`: the pay as typed, what it is for ("day", "week") and its hours."""

    amount: Money
    per: str
    hours: Fraction


@dataclass(frozen=True)
class Rate:
    amount: Money | None  # None: show the current rate
    converted: RateConversion | None = None  # how ``amount`` was worked out from a day or week


@dataclass(frozen=True)
class SetQuote:
    task: str
    amount: Money
    unit: QuoteUnit = QuoteUnit.OCCURRENCE
    per: str = "task"
    provider: str | None = None
    literal: bool = False  # the name was quoted: that task exactly, never a near match
    bare: bool = False  # no unit typed: per time, or the whole job on a one-off task
    provider_literal: bool = False  # the provider's name was quoted: exactly that one


@dataclass(frozen=True)
class SetEstimate:
    task: str
    minutes: int | None  # None: clear the estimate
    literal: bool = False


@dataclass(frozen=True)
class RemoveQuote:
    """A provider's quote off the task's shortlist; with no provider, every quote."""

    task: str
    literal: bool = False  # the name was quoted: that task exactly, never a near match
    provider: str | None = None
    provider_literal: bool = False


@dataclass(frozen=True)
class StartTrial:
    """A provider starts a trial on a task today (#11)."""

    task: str
    provider: str
    literal: bool = False  # the task's name was quoted
    provider_literal: bool = False  # the provider's name was quoted


@dataclass(frozen=True)
class AddReview:
    """A score (1–5) for a provider's work: on their one current trial or hand-off, or on
    ``task``'s."""

    provider: str
    score: int
    on_time: bool | None = None  # None: not said
    note: str | None = None
    task: str | None = None
    provider_literal: bool = False
    literal: bool = False  # the task's name was quoted


@dataclass(frozen=True)
class Providers:
    """Every provider of the workspace, with what they quoted, tried and saved."""


@dataclass(frozen=True)
class ProviderShow:
    provider: str
    provider_literal: bool = False


@dataclass(frozen=True)
class SetFrequency:
    task: str
    frequency: Frequency
    literal: bool = False  # the name was quoted: that task exactly, never a near match


@dataclass(frozen=True)
class SetCategory:
    task: str
    category: str | None  # None: no category
    literal: bool = False  # the name was quoted: that task exactly, never a near match


@dataclass(frozen=True)
class SetCore:
    task: str
    core: bool
    literal: bool = False  # the name was quoted: that task exactly, never a near match


@dataclass(frozen=True)
class Report:
    by_category: bool = False  # `report by category`: hours, cost and savings per category


@dataclass(frozen=True)
class Should:
    task: str
    literal: bool = False  # the name was quoted: that task exactly, never a near match


@dataclass(frozen=True)
class History:
    pass


@dataclass(frozen=True)
class Undo:
    confirm: bool = False  # "undo confirm": also a change older than a day, without asking


@dataclass(frozen=True)
class EditEntry:
    number: int  # the entry's #number
    minutes: int | None  # None: keep its time
    day: date | None  # None: keep its day


@dataclass(frozen=True)
class DeleteEntry:
    number: int


@dataclass(frozen=True)
class RenameTask:
    task: str
    new_name: str
    # Other ways to split the words at "to" (names may hold it): the task list decides.
    other_readings: tuple[tuple[str, str], ...] = ()

    @property
    def readings(self) -> tuple[tuple[str, str], ...]:
        return ((self.task, self.new_name), *self.other_readings)


@dataclass(frozen=True)
class MergeTasks:
    task: str
    into: str
    other_readings: tuple[tuple[str, str], ...] = ()

    @property
    def readings(self) -> tuple[tuple[str, str], ...]:
        return ((self.task, self.into), *self.other_readings)


@dataclass(frozen=True)
class DeleteTask:
    task: str


@dataclass(frozen=True)
class Overhead:
    share: Fraction | None  # None: show the current overhead
    as_fraction: str | None = None  # "0.15" was read as 15%: the reply says so


@dataclass(frozen=True)
class Currency:
    code: str | None  # None: show the current currency; else a known ISO code


@dataclass(frozen=True)
class HandOff:
    """`handoff <task> to <provider>`: from today the provider does the task."""

    task: str
    provider: str
    literal: bool = False  # the task's name was quoted
    provider_literal: bool = False  # the provider's name was quoted


@dataclass(frozen=True)
class Paid:
    """`paid <task> <amount> [day] [to <provider>]`: what was actually paid for it."""

    task: str
    amount: Money
    day: date
    provider: str | None = None  # None: the provider it is handed off to (or on trial with)
    literal: bool = False
    provider_literal: bool = False


@dataclass(frozen=True)
class TakeBack:
    """`takeback <task>`: the hand-off ends today; the task is in-house again."""

    task: str
    literal: bool = False


@dataclass(frozen=True)
class Help:
    topic: str | None = None  # a command's name: help on that one


# ---- the weekly digest ----------------------------------------------------------------------


@dataclass(frozen=True)
class DigestShow:
    pass


@dataclass(frozen=True)
class DigestOff:
    pass


@dataclass(frozen=True)
class DigestPreview:
    pass


@dataclass(frozen=True)
class DigestNow:
    pass


@dataclass(frozen=True)
class DigestConfigure:
    channel_id: str | None  # None: the channel the command was typed in
    weekday: int
    at: time


@dataclass(frozen=True)
class Export:
    """`export [month|quarter|all]`: the member's entries and the report, as CSV files."""

    span: str = "month"  # one of EXPORT_SPANS


EXPORT_SPANS = ("month", "quarter", "all")


@dataclass(frozen=True)
class RemindShow:
    pass


@dataclass(frozen=True)
class RemindOff:
    pass


@dataclass(frozen=True)
class RemindSet:
    weekdays: tuple[int, ...]  # 0 = Monday, sorted, no repeats
    at: time  # in the member's timezone


RemindCommand = RemindShow | RemindOff | RemindSet

DigestCommand = DigestShow | DigestOff | DigestPreview | DigestNow | DigestConfigure

Command = (
    LogTime
    | Rate
    | SetQuote
    | RemoveQuote
    | StartTrial
    | AddReview
    | Providers
    | ProviderShow
    | SetFrequency
    | SetEstimate
    | SetCategory
    | SetCore
    | Report
    | Should
    | History
    | Undo
    | EditEntry
    | DeleteEntry
    | RenameTask
    | MergeTasks
    | DeleteTask
    | Overhead
    | Currency
    | Help
    | HandOff
    | Paid
    | TakeBack
    | DigestCommand
    | Export
    | RemindCommand
)
