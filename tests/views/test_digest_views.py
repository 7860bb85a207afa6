from datetime import date

import pytest

from bot.economics import Frequency, MemberTime, Quote, QuoteUnit, TaskFacts, assess
from bot.services.analysis import TaskQuote, TaskReport
from bot.services.digest import Digest
from bot.views.common import MAX_BLOCKS, MAX_SECTION
from bot.views.digest import digest_message, problem_dm

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


HOSTILE = [
    "<!channel>",
    "<!here>",
    "<@U123>",
    "<https://evil.example|Jane>",
    "Tom & Jerry",
    "N" * 3000,
]
LIVE = ("<!", "<@", "<#", "<http")


def texts(node: object) -> list[str]:
    """Every string Slack renders in a message: the fallback and each block's text."""
    if isinstance(node, dict):
        return [v for k, v in node.items() if k == "text" and isinstance(v, str)] + [
            t for k, v in node.items() for t in texts(v)
        ]
    if isinstance(node, list):
        return [t for v in node for t in texts(v)]
    return []


def hostile(i: int, who: str, quote_amount: int | None, core: bool = False) -> TaskReport:
    facts = TaskFacts(
        TODAY,
        [MemberTime(120, 8000)],
        2,
        2,
        TODAY,
        Frequency.WEEKLY,
        Quote(quote_amount, QuoteUnit.OCCURRENCE) if quote_amount else None,
        is_core=core,
    )
    quote = TaskQuote(quote_amount, QuoteUnit.OCCURRENCE, who, who, None) if quote_amount else None
    return TaskReport(i, who, who, Frequency.WEEKLY, core, quote, assess(facts))


def test_hostile_names_render_inert_and_within_limits():
    d = Digest(
        TODAY.replace(day=17),
        TODAY,
        "USD",
        6000,
        [(who, 600) for who in HOSTILE],
        hand_off=[hostile(i, who, 1000) for i, who in enumerate(HOSTILE)],
        get_quote=[hostile(10 + i, who, None) for i, who in enumerate(HOSTILE)],
        keep=[hostile(20 + i, who, 1_000_000) for i, who in enumerate(HOSTILE)],
        core=[hostile(30 + i, who, None, core=True) for i, who in enumerate(HOSTILE)],
    )
    msg = digest_message(d)
    shown = texts(msg)
    assert len(msg["blocks"]) <= MAX_BLOCKS
    assert all(len(b["text"]["text"]) <= MAX_SECTION for b in msg["blocks"] if "text" in b)
    for text in shown:
        assert not any(live in text for live in LIVE), text[:200]
    everything = "\n".join(shown)
    assert "&lt;!channel&gt;" in everything  # shown, as text
    assert "Tom &amp; Jerry" in everything
    assert "&lt;https://evil.example|Jane&gt;" in everything
    assert "Tom &amp; Jerry" in msg["text"]  # the fallback names them too, escaped


@pytest.mark.parametrize(
    ("error", "unverified"),
    [("<!channel>", None), ("http_503", "<@U123>"), ("timeout", "missing_scope")],
)
def test_problem_dms_hold_no_live_markup_but_the_channel_link(error, unverified):
    msg = problem_dm("CDIGEST", error, unverified=unverified)
    for text in texts(msg):
        assert not any(live in text.replace("<#CDIGEST>", "") for live in LIVE), text
    assert "<#CDIGEST>" in texts(msg["blocks"])[0]
    assert "/logtask digest now" in texts(msg["blocks"])[0]


@pytest.mark.parametrize(
    ("error", "says"),
    [
        ("channel_not_found", "pick another with `/logtask digest #channel`"),
        ("is_archived", "is archived — pick another with `/logtask digest #channel`"),
        ("not_in_channel", "invite me with `/invite @Handoff`"),
        ("internal_error", "/logtask digest now"),
    ],
)
def test_problem_dms_name_the_command_that_fixes_it(error, says):
    from bot.views.digest import problem_dm
    from tests.support.slack_sim import flatten

    text = flatten(problem_dm("C1", error))
    assert says in text
    assert "{" not in text
