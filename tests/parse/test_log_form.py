"""The Log time modal's fields, read with /logtask's rules, each error under its own field."""

from __future__ import annotations

from datetime import date

import pytest

from bot.economics import Frequency
from bot.parse.log_form import FormErrors, LogForm, parse_log_form

TODAY = date(2026, 11, 23)  # a Monday


def form(**kw: str | None) -> LogForm:
    fields: dict[str, str | None] = {
        "task_id": None,
        "new_name": None,
        "duration": "1h",
        "day": None,
        "frequency": None,
        "category": None,
    }
    return LogForm(**{**fields, **kw})


def test_a_picked_task_and_a_duration_make_a_request_for_today():
    r = parse_log_form(form(task_id="7", duration="1h30m"), TODAY)
    assert (r.task_id, r.name, r.minutes, r.day) == (7, None, 90, TODAY)


def test_a_typed_name_is_cleaned_and_quoted_names_are_literal():
    assert parse_log_form(form(new_name="  payroll. "), TODAY).name == "payroll"
    quoted = parse_log_form(form(new_name="“client invoice”"), TODAY)
    assert (quoted.name, quoted.literal) == ("client invoice", True)


def test_frequency_and_category_use_the_logtask_words():
    r = parse_log_form(form(new_name="payroll", frequency="3x/week", category="#Finance"), TODAY)
    assert r.frequency == Frequency(3, 1, Frequency.WEEKLY.period)
    assert r.category == "finance"


def test_every_bad_field_is_reported_under_its_own_block():
    with pytest.raises(FormErrors) as e:
        parse_log_form(
            form(duration="25h", day="2026-11-24", frequency="now and then", category="a b"),
            TODAY,
        )
    assert set(e.value.errors) == {"task", "duration", "day", "frequency", "category"}
    assert "more than a day" in e.value.errors["duration"]
    assert "in the future" in e.value.errors["day"]


def test_a_picked_task_and_a_typed_name_together_are_refused():
    with pytest.raises(FormErrors) as e:
        parse_log_form(form(task_id="7", new_name="payroll"), TODAY)
    assert set(e.value.errors) == {"new_task"}
