"""The App Home's "Add a quote" and "Set my rate" modals, read as the /logtask text they mean.

Each modal is a form for one command: its fields are put together into the text the member
could have typed, and that text is parsed by the /logtask grammar itself, so a price or a rate
means exactly what it means typed. A problem comes back against the field that has it
(``FormErrors``), the way Slack shows errors in a modal.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import CommandError
from bot.names import MAX_NAME, clean_name
from bot.parse import commands as c
from bot.parse.log_form import NEW_TASK, TASK, FormErrors, sentence
from bot.parse.logtask import parse
from bot.parse.retype import literal_name
from bot.text import escape

# Block ids of the two modals' own fields (the task fields are the Log time modal's).
PRICE = "price"
PROVIDER = "provider"
RATE = "rate"


@dataclass(frozen=True)
class QuoteForm:
    """What the member filled in: ``picked`` is the name of the task picked from the list
    (looked up by the listener), ``new_name`` a name typed instead; None when left empty."""

    picked: str | None
    new_name: str | None
    price: str | None
    provider: str | None


def quote_text(form: QuoteForm, ctx: c.Context) -> str:
    """The ``quote`` command the form makes (the text after /logtask), or FormErrors."""
    errors: dict[str, str] = {}
    typed = " ".join((form.new_name or "").split())
    name: str | None = None
    if form.picked and typed:
        errors[NEW_TASK] = "Pick a task from the list or type a new one, not both."
    elif form.picked:
        name = literal_name(form.picked)  # picked from the list: exactly that task
        if name is None:
            errors[TASK] = "That task's name has both kinds of quotes: rename it to quote it."
    elif typed:
        if len(clean_name(typed)) > MAX_NAME:
            errors[NEW_TASK] = f"Task names are at most {MAX_NAME} characters."
        elif clean_name(typed):
            name = typed
        else:
            errors[NEW_TASK] = "Type the task's name."
    else:
        errors[TASK] = "Pick a task, or type a new task's name below."
    price = " ".join((form.price or "").split())
    if not price:
        errors[PRICE] = "Type the price, like $60 each, $25/hour, $300/month or $3,000 total."
    provider = " ".join((form.provider or "").split())
    if errors:
        raise FormErrors(errors)
    assert name is not None
    text = f"quote {name} {price}" + (f" from {provider}" if provider else "")
    try:
        cmd = parse(escape(text), ctx)  # as Slack sends typed text: escaped
    except CommandError as e:
        field = PROVIDER if provider and "provider" in e.problem else PRICE
        raise FormErrors({field: sentence(e.problem)}) from None
    if not isinstance(cmd, c.SetQuote):
        raise FormErrors({PRICE: "Type a price, like $60 each or $25/hour."})
    return text


def rate_text(rate: str | None, ctx: c.Context) -> str:
    """The ``rate`` command the form makes, or FormErrors."""
    typed = " ".join((rate or "").split())
    text = f"rate {typed}"
    try:
        cmd = parse(escape(text), ctx)
    except CommandError as e:
        raise FormErrors({RATE: sentence(e.problem)}) from None
    if not isinstance(cmd, c.Rate) or cmd.amount is None:
        raise FormErrors({RATE: "Type what an hour of your time earns, like $120/hour."})
    return text
