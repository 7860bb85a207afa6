from datetime import date

from bot.economics import Frequency, MemberTime, Quote, QuoteUnit, TaskFacts, assess
from bot.services.analysis import TaskQuote, TaskReport
from bot.services.digest import Digest
from bot.views.common import MAX_BLOCKS, MAX_SECTION
from bot.views.digest import digest_message

TODAY = date(2026, 11, 23)


def report(i: int, quote: bool) -> TaskReport:
    q = TaskQuote(1000, QuoteUnit.OCCURRENCE, "task", "Provider " * 5, None) if quote else None
    facts = TaskFacts(
        TODAY,
        [MemberTime(120, 8000)],
        2,
        2,
        TODAY,
        Frequency.WEEKLY,
        Quote(1000, QuoteUnit.OCCURRENCE) if quote else None,
    )
    return TaskReport(
        i,
        f"a rather long task name number {i} " + "x" * 40,
        None,
        Frequency.WEEKLY,
        False,
        q,
        assess(facts),
    )


def test_500_tasks_stay_within_block_kit_limits():
    tasks = [report(i, quote=i % 2 == 0) for i in range(500)]
    d = Digest(
        TODAY.replace(day=17),
        TODAY,
        "USD",
        6000,
        [("Sam", 6000)],
        hand_off=[t for t in tasks if t.quote],
        get_quote=[t for t in tasks if not t.quote],
    )
    msg = digest_message(d)
    assert len(msg["blocks"]) <= MAX_BLOCKS
    assert all(
        len(b["text"]["text"]) <= MAX_SECTION for b in msg["blocks"] if b["type"] == "section"
    )
    text = str(msg["blocks"])
    assert "…and 225 more" in text  # 250 hand-offs, 25 listed
    assert len(msg["text"]) < 40_000
