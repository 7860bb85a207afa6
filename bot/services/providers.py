"""Providers: who a task can be handed off to, found by a forgivingly typed name (#11).

A provider is named like a task: case, spacing and end punctuation aside (``task_key``); an
unquoted name close to a provider's raises ``ProviderNearMiss`` before anything is saved; a
quoted (``literal``) name is that provider exactly, or a new one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from fractions import Fraction

from sqlalchemy import ColumnElement, distinct, func, select
from sqlalchemy.orm import Session

from bot import matching
from bot.db.models import Engagement, Member, Provider, Review, Task, TaskQuote, Workspace
from bot.errors import UserError
from bot.names import task_key
from bot.services import analysis, changes, tasks, workspaces
from bot.services.analysis import TaskQuote as QuoteShown
from bot.services.scope import Scope

TRIAL_KIND, HANDOFF_KIND = "trial", "handoff"  # engagement.kind


class ProviderNearMiss(UserError):
    """An unquoted name that is no provider but close to some: nothing was done.

    ``can_create``: the command would add the provider as typed, so that is an option too.
    """

    def __init__(self, typed: str, candidates: list[str], can_create: bool) -> None:
        meant = ", ".join(f"“{c}”" for c in candidates[:-1])
        meant = f"{meant} or “{candidates[-1]}”" if meant else f"“{candidates[-1]}”"
        super().__init__(f"there is no provider called “{typed}”. Did you mean {meant}?")
        self.typed = typed
        self.candidates = candidates
        self.can_create = can_create


def find_provider(session: Session, ws: Workspace, name: str) -> Provider | None:
    return session.scalars(
        select(Provider).where(Provider.workspace_id == ws.id, Provider.key == task_key(name))
    ).first()


@dataclass(frozen=True)
class _Match:
    provider: Provider | None
    candidates: list[str]


def _match(session: Session, ws: Workspace, name: str) -> _Match:
    exact = find_provider(session, ws, name)
    if exact is not None:
        return _Match(exact, [])
    rows = session.execute(
        select(Provider.id, Provider.name).where(Provider.workspace_id == ws.id)
    ).all()
    found = matching.best_match(name, ((pid, pname) for pid, pname in rows))
    return _Match(session.get(Provider, found.id) if found.id else None, found.candidates)


def _created_since_or_near_miss(
    session: Session, ws: Workspace, name: str, can_create: bool
) -> Provider | None:
    """For a name no provider has: ProviderNearMiss if it is close to some provider's, else
    None; the provider itself if another command added it since the caller's lookup (as
    bot.services.tasks._created_since_or_near_miss)."""
    m = _match(session, ws, name)
    near = [m.provider.name] if m.provider is not None else m.candidates
    if not near:
        return None
    if (found := find_provider(session, ws, name)) is not None:
        return found
    raise ProviderNearMiss(name, near, can_create=can_create)


def existing_provider(session: Session, ws: Workspace, name: str, literal: bool) -> Provider:
    """The provider called ``name``: ProviderNearMiss if close to some, UserError if none."""
    found = find_provider(session, ws, name)
    if found is None and not literal:
        found = _created_since_or_near_miss(session, ws, name, can_create=False)
    if found is not None:
        return found
    raise UserError(
        f"there is no provider called “{name}” — add one with a quote from them",
        command="quote",
    )


def named_provider(
    session: Session, ws: Workspace, name: str, literal: bool, creator: Member | None = None
) -> tuple[Provider, bool]:
    """The provider called ``name``, added (by ``creator``) if new, and whether it was;
    ProviderNearMiss when an unquoted name is close to another provider's."""
    found = find_provider(session, ws, name)
    if found is None and not literal:
        found = _created_since_or_near_miss(session, ws, name, can_create=True)
    if found is not None:
        return found, False
    return workspaces.get_or_create(
        session,
        Provider,
        {"name": name, "created_by": creator.id if creator else None},
        workspace_id=ws.id,
        key=task_key(name),
    )


# ---- trials and reviews -------------------------------------------------------------------


@dataclass(frozen=True)
class TrialStarted:
    task: str
    provider: str
    started_on: date
    new_provider: bool
    quote: QuoteShown | None  # the provider's quote on the task, if any
    currency: str


def start_trial(
    session: Session,
    scope: Scope,
    user_id: str,
    task_name: str,
    provider_name: str,
    today: date,
    *,
    literal: bool = False,
    provider_literal: bool = False,
) -> TrialStarted:
    """``provider`` starts a trial on the task today (status *trial* on its shortlist)."""
    ws = workspaces.workspace(session, scope)
    member = workspaces.member(session, scope, user_id)
    task = tasks.existing_task(session, ws, task_name, literal)
    if task is None:
        raise UserError(f"there is no task called “{task_name}”", command="trial")
    tasks.lock(session, task)
    provider, new = named_provider(session, ws, provider_name, provider_literal, member)
    for e in _active(session, ws, task=task, provider=provider):
        what = "is trying" if e.kind == TRIAL_KIND else "has been handed"
        raise UserError(
            f"{provider.name} {what} “{task.name}” since {e.started_on:%-d %b %Y} already"
        )
    trial = Engagement(
        workspace_id=ws.id,
        task_id=task.id,
        provider_id=provider.id,
        kind=TRIAL_KIND,
        started_on=today,
        member_id=member.id,
    )
    session.add(trial)
    session.flush()
    changes.record(
        session,
        ws,
        member,
        "trial",
        ["started a trial of ", changes.provider(provider.name), " on ", changes.name(task.name)],
        {
            "engagement": changes.row(trial),
            "task_name": task.name,
            "providers_made": [changes.row(provider)] if new else [],
        },
    )
    quote = next(
        (q for q in analysis.task_report(session, ws, task, today).shortlist_quotes
         if q.provider_id == provider.id),
        None,
    )  # fmt: skip
    return TrialStarted(task.name, provider.name, today, new, quote, ws.currency)


@dataclass(frozen=True)
class ReviewAdded:
    provider: str
    task: str
    kind: str  # the engagement's: "trial" or "handoff"
    score: int
    on_time: bool | None
    note: str | None
    provider_average: Fraction  # every review of the provider, this one included
    provider_reviews: int
    task_average: Fraction  # every review on the task, of any provider
    task_reviews: int


def add_review(
    session: Session,
    scope: Scope,
    user_id: str,
    provider_name: str,
    score: int,
    today: date,
    *,
    on_time: bool | None = None,
    note: str | None = None,
    task_name: str | None = None,
    provider_literal: bool = False,
    literal: bool = False,
) -> ReviewAdded:
    """A score for the provider's current trial or hand-off; with ``task_name``, for theirs on
    that task (the latest, even if it has ended)."""
    if not 1 <= score <= 5:
        raise UserError("a score is a whole number from 1 to 5", command="review")
    ws = workspaces.workspace(session, scope)
    member = workspaces.member(session, scope, user_id)
    provider = existing_provider(session, ws, provider_name, provider_literal)
    engagement = _reviewed(session, ws, provider, task_name, literal)
    review = Review(
        workspace_id=ws.id,
        provider_id=provider.id,
        task_id=engagement.task_id,
        engagement_id=engagement.id,
        member_id=member.id,
        score=score,
        on_time=on_time,
        note=note,
        day=today,
    )
    session.add(review)
    session.flush()
    task = session.get(Task, engagement.task_id)
    assert task is not None
    changes.record(
        session,
        ws,
        member,
        "review",
        ["reviewed ", changes.provider(provider.name), " on ", changes.name(task.name), ": ",
         changes.value(f"{score}/5")],
        {"review": changes.row(review)},
    )  # fmt: skip
    by_provider = _average(session, Review.provider_id == provider.id)
    by_task = _average(session, Review.task_id == task.id)
    return ReviewAdded(
        provider.name, task.name, engagement.kind, score, on_time, note, *by_provider, *by_task
    )


def _reviewed(
    session: Session, ws: Workspace, provider: Provider, task_name: str | None, literal: bool
) -> Engagement:
    if task_name is not None:
        task = tasks.existing_task(session, ws, task_name, literal)
        if task is None:
            raise UserError(f"there is no task called “{task_name}”", command="review")
        latest = session.scalars(
            select(Engagement)
            .where(Engagement.task_id == task.id, Engagement.provider_id == provider.id)
            .order_by(Engagement.ended_on.is_not(None), Engagement.started_on.desc(),
                      Engagement.id.desc())
            .limit(1)
        ).first()  # fmt: skip
        if latest is None:
            raise tasks.FixWith(
                f"{provider.name} has had no trial or hand-off on “{task.name}” to review",
                "trial", task.name, "with", provider.name,
            )  # fmt: skip
        return latest
    active = _active(session, ws, provider=provider)
    if len(active) == 1:
        return active[0]
    if not active:
        raise UserError(
            f"{provider.name} has no trial or hand-off going on: to review past work, name "
            f"the task — `review {provider.name} for <task> <1-5>`",
            command="review",
        )
    names = sorted({t.name for t in session.scalars(
        select(Task).where(Task.id.in_([e.task_id for e in active])))})  # fmt: skip
    raise UserError(
        f"{provider.name} is working on {len(names)} tasks ({', '.join(names)}): say which — "
        f"`review {provider.name} for {names[0]} <1-5>`",
        command="review",
    )


def _average(session: Session, where: ColumnElement[bool]) -> tuple[Fraction, int]:
    total, n = session.execute(
        select(func.sum(Review.score), func.count(Review.id)).where(where)
    ).one()
    return (Fraction(int(total), int(n)) if n else Fraction(0)), int(n)


def _active(
    session: Session, ws: Workspace, *, task: Task | None = None, provider: Provider | None = None
) -> list[Engagement]:
    where = [Engagement.workspace_id == ws.id, Engagement.ended_on.is_(None)]
    if task is not None:
        where.append(Engagement.task_id == task.id)
    if provider is not None:
        where.append(Engagement.provider_id == provider.id)
    return list(
        session.scalars(
            select(Engagement).where(*where).order_by(Engagement.started_on, Engagement.id)
        )
    )


# ---- the read models of `providers` and `provider <name>` ---------------------------------


@dataclass(frozen=True)
class ProviderSummary:
    """One provider as `providers` lists them (and `provider <name>` leads with)."""

    provider_id: int
    name: str
    tasks_quoted: int  # tasks with a quote from them on the shortlist
    trials: int  # trials ever started
    trials_active: int
    handoffs: int  # hand-offs ever
    handoffs_active: int
    average_score: Fraction | None  # None: no review yet
    reviews: int
    on_time: Fraction | None  # the share of reviews saying on time, of those that said
    # Realized savings of their hand-offs so far (bot.economics); filled by the hand-off
    # read model (bot/services/handoffs.py), None where nothing is known yet.
    saved_so_far: Fraction | None = None


@dataclass(frozen=True)
class ProviderQuote:
    task: str
    line: analysis.ShortlistLine  # the quote, weighed like the verdict's


@dataclass(frozen=True)
class ProviderEngagement:
    task: str
    kind: str  # "trial" or "handoff"
    started_on: date
    ended_on: date | None


@dataclass(frozen=True)
class ProviderReview:
    day: date
    task: str | None
    score: int
    on_time: bool | None
    note: str | None
    author: str | None  # the member's Slack user id


@dataclass(frozen=True)
class ProviderDetail:
    summary: ProviderSummary
    quotes: list[ProviderQuote]
    engagements: list[ProviderEngagement]  # newest first
    reviews: list[ProviderReview]  # newest first
    currency: str
    one_off: dict[str, bool]  # task name: weighed as a one-off job
    today: date


@dataclass(frozen=True)
class ProviderList:
    providers: list[ProviderSummary]
    currency: str


def summaries(session: Session, ws: Workspace, only: int | None = None) -> list[ProviderSummary]:
    """Every provider of the workspace (or just ``only``), by name, counted in SQL."""
    where = [Provider.workspace_id == ws.id]
    if only is not None:
        where.append(Provider.id == only)
    quoted = {
        provider_id: int(n)
        for provider_id, n in session.execute(
            select(TaskQuote.provider_id, func.count(distinct(TaskQuote.task_id)))
            .where(TaskQuote.workspace_id == ws.id, TaskQuote.provider_id.is_not(None))
            .group_by(TaskQuote.provider_id)
        )
        if provider_id is not None
    }
    engaged: dict[tuple[int, str], tuple[int, int]] = {}
    for provider_id, kind, n, active in session.execute(
        select(
            Engagement.provider_id,
            Engagement.kind,
            func.count(Engagement.id),
            func.count(Engagement.id).filter(Engagement.ended_on.is_(None)),
        )
        .where(Engagement.workspace_id == ws.id)
        .group_by(Engagement.provider_id, Engagement.kind)
    ):
        engaged[(provider_id, kind)] = (int(n), int(active))
    scored: dict[int, tuple[int, int, int, int]] = {}
    for provider_id, total, n, said, in_time in session.execute(
        select(
            Review.provider_id,
            func.sum(Review.score),
            func.count(Review.id),
            func.count(Review.on_time),
            func.count(Review.id).filter(Review.on_time.is_(True)),
        )
        .where(Review.workspace_id == ws.id)
        .group_by(Review.provider_id)
    ):
        scored[provider_id] = (int(total or 0), int(n), int(said), int(in_time))
    out = []
    for p in session.scalars(select(Provider).where(*where)):
        trials, trials_active = engaged.get((p.id, TRIAL_KIND), (0, 0))
        handoffs, handoffs_active = engaged.get((p.id, HANDOFF_KIND), (0, 0))
        total, n, said, in_time = scored.get(p.id, (0, 0, 0, 0))
        out.append(
            ProviderSummary(
                provider_id=p.id,
                name=p.name,
                tasks_quoted=quoted.get(p.id, 0),
                trials=trials,
                trials_active=trials_active,
                handoffs=handoffs,
                handoffs_active=handoffs_active,
                average_score=Fraction(total, n) if n else None,
                reviews=n,
                on_time=Fraction(in_time, said) if said else None,
            )
        )
    out.sort(key=lambda s: s.name.casefold())
    return out


def with_savings(
    session: Session, ws: Workspace, listed: list[ProviderSummary], today: date
) -> list[ProviderSummary]:
    """``listed`` with what each provider's hand-offs have saved so far (None: none yet)."""
    # Imported here: the hand-off services use this module's name matching.
    from bot.services.handoffs import saved_by_provider

    saved = saved_by_provider(session, ws.id, today)
    return [replace(p, saved_so_far=saved.get(p.provider_id)) for p in listed]


def provider_list(session: Session, scope: Scope, today: date | None = None) -> ProviderList:
    """Every provider; with ``today``, what their hand-offs have saved so far by then."""
    ws = workspaces.workspace(session, scope)
    listed = summaries(session, ws)
    if today is not None:
        listed = with_savings(session, ws, listed, today)
    return ProviderList(listed, ws.currency)


def provider_detail(
    session: Session, scope: Scope, name: str, today: date, *, literal: bool = False
) -> ProviderDetail:
    ws = workspaces.workspace(session, scope)
    provider = existing_provider(session, ws, name, literal)
    (summary,) = with_savings(session, ws, summaries(session, ws, only=provider.id), today)
    task_ids = list(
        session.scalars(
            select(TaskQuote.task_id).where(
                TaskQuote.workspace_id == ws.id, TaskQuote.provider_id == provider.id
            )
        )
    )
    quoted = (
        session.scalars(select(Task).where(Task.workspace_id == ws.id, Task.id.in_(task_ids))).all()
        if task_ids
        else []
    )
    quotes = []
    one_off = {}
    for report in analysis.assess_tasks(session, ws, today, quoted):
        one_off[report.name] = report.assessment.one_off
        quotes += [
            ProviderQuote(report.name, line)
            for line in report.shortlist
            if line.quote.provider_id == provider.id
        ]
    quotes.sort(key=lambda q: q.task.casefold())
    engagements = [
        ProviderEngagement(task_name, e.kind, e.started_on, e.ended_on)
        for e, task_name in session.execute(
            select(Engagement, Task.name)
            .join(Task, Task.id == Engagement.task_id)
            .where(Engagement.workspace_id == ws.id, Engagement.provider_id == provider.id)
            .order_by(Engagement.started_on.desc(), Engagement.id.desc())
        )
    ]
    reviews = [
        ProviderReview(r.day, task_name, r.score, r.on_time, r.note, user_id)
        for r, task_name, user_id in session.execute(
            select(Review, Task.name, Member.user_id)
            .outerjoin(Task, Task.id == Review.task_id)
            .outerjoin(Member, Member.id == Review.member_id)
            .where(Review.workspace_id == ws.id, Review.provider_id == provider.id)
            .order_by(Review.day.desc(), Review.id.desc())
            .limit(MAX_REVIEWS_SHOWN)
        )
    ]
    return ProviderDetail(summary, quotes, engagements, reviews, ws.currency, one_off, today)


MAX_REVIEWS_SHOWN = 10
