"""The Home tab and the Log time modal as Block Kit: within Slack's limits, nothing live."""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction

import pytest

from bot.services.home import Home, TaskOption
from bot.services.questions import TopCandidates
from bot.services.tasks import NearMiss
from bot.views import home as views
from bot.views.common import MAX_SECTION
from tests.views.test_hostile_names import HOSTILE, LIVE, TODAY, report_of, texts


def dashboard(task_name: str, listed: int) -> Home:
    reports = [report_of(task_name) for _ in range(listed)]
    needs_quote = [report_of(task_name, quote=False) for _ in range(listed)]
    return Home(
        today=TODAY,
        week_start=date(2026, 11, 23),
        week_minutes=135,
        top=TopCandidates(reports[:5], Fraction(84), Fraction(84 * 52), Fraction(2), "USD", more=3),
        needs_quote=needs_quote,
        needs_quote_more=7,
        one_off=reports,
        one_off_more=2,
        digest=None,
        currency="USD",
    )


@pytest.mark.parametrize("task_name", HOSTILE)
def test_the_home_keeps_hostile_names_inert_and_within_slacks_limits(task_name):
    view = views.home(dashboard(task_name, listed=10))

    assert view["type"] == "home"
    assert len(view["blocks"]) <= views.MAX_HOME_BLOCKS
    for text in texts(view):
        assert not LIVE.search(text), text[:200]
        assert len(text) <= MAX_SECTION


def test_the_home_shows_hours_this_week_in_hours_and_minutes():
    # 135 minutes = 2h 15m
    text = json.dumps(views.home(dashboard("newsletter", listed=1)))
    assert "*2h 15m*" in text


def test_the_home_has_the_three_buttons():
    view = views.home(dashboard("newsletter", listed=0))
    labels = [
        e["text"]["text"] for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    assert labels == ["Log time", "Add a quote", "Set my rate"]


@pytest.mark.parametrize("task_name", HOSTILE)
def test_the_modal_offers_tasks_escaped_and_cut_to_an_options_length(task_name):
    options = [TaskOption(i, task_name) for i in range(100)]

    modal = views.log_modal(options, TODAY, "Europe/Berlin")

    select = next(b for b in modal["blocks"] if b["block_id"] == "task")["element"]
    assert len(select["options"]) == 100
    for option in select["options"]:
        assert len(option["text"]["text"]) <= views.MAX_OPTION_TEXT
        assert not LIVE.search(option["text"]["text"])
    assert json.loads(modal["private_metadata"]) == {"tz": "Europe/Berlin"}
    day = next(b for b in modal["blocks"] if b["block_id"] == "day")["element"]
    assert day["initial_date"] == "2026-11-23"


def test_a_modal_with_no_tasks_yet_asks_for_a_name():
    modal = views.log_modal([], TODAY, "UTC")

    block_ids = [b["block_id"] for b in modal["blocks"]]
    assert "task" not in block_ids
    new_task = next(b for b in modal["blocks"] if b["block_id"] == "new_task")
    assert new_task["label"]["text"] == "Task"
    assert new_task.get("optional", False) is False


def test_a_near_miss_in_the_modal_names_the_close_tasks():
    error = views.near_miss_error(NearMiss("client invoice", ["client invoices"], True))
    assert error == (
        "There is no task called “client invoice”. Did you mean “client invoices”? Pick it "
        "from the list, or put the name in quotes to make a new task."
    )


def test_the_rate_modal_starts_from_your_rate_when_you_have_one():
    def initial(view: dict) -> str | None:
        (block,) = view["blocks"]
        return block["element"].get("initial_value")

    # 12000 minor units = $120.00
    assert initial(views.rate_modal(12000, "USD", "UTC")) == "$120/hour"
    assert initial(views.rate_modal(None, "USD", "UTC")) is None


def test_the_quote_modal_without_tasks_asks_for_a_name_price_and_provider():
    view = views.quote_modal([], "Europe/Berlin")

    fields = {b["block_id"]: b.get("optional", False) for b in view["blocks"]}
    assert fields == {"new_task": False, "price": False, "provider": True}
    assert json.loads(view["private_metadata"]) == {"tz": "Europe/Berlin"}
