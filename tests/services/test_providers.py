"""Shortlists, providers, trials and reviews through the services (SQLite, or PostgreSQL)."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

from sqlalchemy import func, select

from bot.db.models import Engagement, Provider, Review, Task
from bot.economics import Frequency, QuoteUnit
from bot.money import Money
from bot.services import analysis, changes, providers, tasks, workspaces
from bot.services.scope import Scope

TEAM = Scope("T1")
MONDAY = date(2026, 11, 23)


def setup(session) -> None:
    """The worked example: $80/h, 2h a week (three weekly posts of 2h, 1.5h, 2.5h), Jane's
    $60/post and Ada's $25/h."""
    workspaces.set_rate(session, TEAM, "U1", Money(8000, "USD"))
    for minutes, weeks in ((120, 2), (90, 1), (150, 0)):
        tasks.log_time(
            session, TEAM, "U1", "blog", minutes, MONDAY - timedelta(weeks=weeks), MONDAY,
            frequency=Frequency.WEEKLY,
        )  # fmt: skip
    for amount, unit, per, who in ((6000, QuoteUnit.OCCURRENCE, "post", "Jane"),
                                   (2500, QuoteUnit.HOUR, "hour", "Ada")):  # fmt: skip
        tasks.set_quote(
            session, TEAM, "blog", Money(amount, "USD"), unit, per, who, MONDAY, user_id="U1"
        )


def report(session) -> analysis.TaskReport:
    ws = workspaces.workspace(session, TEAM)
    task = session.scalars(select(Task).where(Task.name == "blog")).one()
    return analysis.task_report(session, ws, task, MONDAY)


def test_the_report_weighs_every_quote_and_picks_the_cheapest(session):
    setup(session)
    r = report(session)
    # Jane: $60 a week, saves $160 − $16 − $60 = $84; Ada: 2h × $25 = $50, saves $94.
    assert [(x.quote.provider, x.cost, x.savings, x.chosen) for x in r.shortlist] == [
        ("Jane", 6000, 8400, False),
        ("Ada", 5000, 9400, True),
    ]
    assert r.quote is not None
    assert r.quote.provider == "Ada"
    assert r.assessment.savings_week == 9400


def test_a_handed_off_task_weighs_its_providers_quote_even_if_dearer(session):
    setup(session)
    ws = workspaces.workspace(session, TEAM)
    jane = providers.find_provider(session, ws, "jane")
    task = session.scalars(select(Task).where(Task.name == "blog")).one()
    assert jane is not None
    session.add(
        Engagement(
            workspace_id=ws.id, task_id=task.id, provider_id=jane.id, kind="handoff",
            started_on=MONDAY,
        )
    )  # fmt: skip
    session.flush()
    r = report(session)
    assert r.quote is not None
    assert r.quote.provider == "Jane"
    assert r.assessment.savings_week == 8400  # $160 − $16 − $60
    assert [(x.quote.provider, x.status) for x in r.shortlist] == [
        ("Jane", analysis.HANDED_OFF),
        ("Ada", analysis.QUOTED),
    ]
    assert r.handed_off_to == jane.id


def test_provider_summaries_count_in_sql(session):
    setup(session)
    providers.start_trial(session, TEAM, "U1", "blog", "Ada", MONDAY)
    for score, on_time in ((5, True), (2, False), (3, None)):
        providers.add_review(session, TEAM, "U1", "Ada", score, MONDAY, on_time=on_time)
    ada, jane = providers.provider_list(session, TEAM).providers
    # Ada: 1 task quoted, 1 trial going on; (5 + 2 + 3) / 3; on time 1 of the 2 that said.
    assert (ada.name, ada.tasks_quoted, ada.trials, ada.trials_active) == ("Ada", 1, 1, 1)
    assert (ada.average_score, ada.reviews, ada.on_time) == (Fraction(10, 3), 3, Fraction(1, 2))
    assert (jane.tasks_quoted, jane.trials, jane.average_score, jane.on_time) == (1, 0, None, None)
    assert ada.saved_so_far is None


def test_provider_detail_has_quotes_history_and_reviews(session):
    setup(session)
    providers.start_trial(session, TEAM, "U1", "blog", "Ada", MONDAY)
    providers.add_review(session, TEAM, "U1", "Ada", 4, MONDAY, note="tidy")
    d = providers.provider_detail(session, TEAM, "ada", MONDAY)
    assert [(q.task, q.line.cost) for q in d.quotes] == [("blog", 5000)]
    assert [(e.task, e.kind, e.ended_on) for e in d.engagements] == [("blog", "trial", None)]
    assert [(r.task, r.score, r.note, r.author) for r in d.reviews] == [("blog", 4, "tidy", "U1")]


def test_undoing_a_review_then_a_trial_leaves_neither(session):
    setup(session)
    providers.start_trial(session, TEAM, "U1", "blog", "Bo", MONDAY, provider_literal=True)
    providers.add_review(session, TEAM, "U1", "Bo", 3, MONDAY)
    ws, me = workspaces.workspace(session, TEAM), workspaces.member(session, TEAM, "U1")
    assert isinstance(changes.undo(session, ws, me), changes.Undone)
    assert session.scalar(select(func.count(Review.id))) == 0
    assert isinstance(changes.undo(session, ws, me), changes.Undone)
    assert session.scalar(select(func.count(Engagement.id))) == 0
    # Bo came with the trial, so he goes with it; Jane and Ada have quotes.
    assert sorted(session.scalars(select(Provider.name))) == ["Ada", "Jane"]
