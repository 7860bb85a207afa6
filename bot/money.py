"""Reading and writing amounts of money in a workspace's currency.

Babel supplies the currency facts (symbols, how many minor units) and the formatting,
so "¥1,200", "€40" and "$1,200.50" come out the way their readers expect.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from babel import Locale
from babel.numbers import (
    NumberPattern,
    get_currency_precision,
    get_currency_symbol,
    list_currencies,
    parse_pattern,
)

from bot.economics import to_minor
from bot.text import ECHO, shorten

LOCALE = "en_US"
MAX_AMOUNT = 1_000_000

# Symbols people type; "$" and "¥" are settled against the workspace currency.
_SYMBOLS = {"€": "EUR", "£": "GBP", "₹": "INR", "₩": "KRW", "₽": "RUB", "₺": "TRY", "₪": "ILS"}
_AMBIGUOUS = {"$": "USD", "¥": "JPY"}

MONEY_PATTERN = r"(?:[$€£¥₹₩₽₺₪]\s?)?[-−]?\d[\d,]*(?:\.\d+)?(?:\s?[A-Za-z]{3}\b)?"
_MONEY = re.compile(
    r"^(?P<sym>[$€£¥₹₩₽₺₪])?\s?(?P<num>[-−]?\d[\d,]*(?:\.\d+)?)\s?(?P<code>[A-Za-z]{3})?$"
)


class MoneyError(ValueError):
    """A user-facing explanation of why an amount was not accepted.

    ``other_currency``: the amount was in another currency than the workspace's.
    """

    def __init__(self, problem: str, other_currency: str | None = None) -> None:
        super().__init__(problem)
        self.other_currency = other_currency


@dataclass(frozen=True)
class Money:
    minor: int
    currency: str


def is_currency(code: str) -> bool:
    return code.upper() in list_currencies()


@functools.cache
def precision(currency: str) -> int:
    return int(get_currency_precision(currency))


def parse_money(text: str, currency: str) -> Money:
    """Parse "85", "$1,200", "85.50", "40 EUR" or "€40" as an amount in ``currency``.

    A different currency than the workspace's is refused rather than converted:
    exchange rates change and the math must not silently mix currencies.
    """
    m = _MONEY.match(text.strip())
    if not m:
        raise MoneyError(f"I couldn't read “{text}” as an amount of money")
    sym, num, code = m.group("sym"), m.group("num"), m.group("code")
    stated = code.upper() if code else None
    if stated and not is_currency(stated):
        raise MoneyError(f"“{code}” is not a currency code I know")
    if sym and not stated:
        if sym in _AMBIGUOUS:
            # "$" is any dollar, "¥" yen or yuan: fine if the workspace uses that sign.
            stated = currency if sym in symbol(currency) else _AMBIGUOUS[sym]
        else:
            stated = _SYMBOLS[sym]
    if stated and stated != currency:
        raise MoneyError(
            f"this workspace counts in {currency}, not {stated}. Switch the workspace's "
            "currency first if you meant it (amounts are not converted)",
            other_currency=stated,
        )
    value = _decimal(num, currency)
    if value <= 0:
        raise MoneyError("the amount must be more than zero")
    if value > MAX_AMOUNT:
        raise MoneyError(
            f"{format_money_decimal(value, currency)} is more than I accept: amounts are at "
            f"most {format_money_decimal(Decimal(MAX_AMOUNT), currency)}"
        )
    digits = precision(currency)
    minor = value.scaleb(digits)
    if minor != minor.to_integral_value():
        raise MoneyError(f"{currency} has {digits} decimal places; “{num}” has more")
    return Money(int(minor), currency)


MAX_DIGITS = len(str(MAX_AMOUNT))  # more integer digits than this is over MAX_AMOUNT
MAX_DECIMALS = 4  # beyond any currency's minor units, and bounded before Decimal sees it


def _decimal(num: str, currency: str) -> Decimal:
    num = num.replace("−", "-")
    whole, _, fraction = num.replace(",", "").lstrip("-").partition(".")
    shown = shorten(num, ECHO)
    if len(whole.lstrip("0")) > MAX_DIGITS:
        raise MoneyError(
            f"“{shown}” is more than I accept: amounts are at most "
            f"{format_money_decimal(Decimal(MAX_AMOUNT), currency)}"
        )
    if len(fraction) > MAX_DECIMALS:
        raise MoneyError(f"“{shown}” has too many decimals: at most {MAX_DECIMALS}")
    if "," in num:
        if not re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", num):
            raise MoneyError(
                f"I couldn't read “{num}”: write thousands as 1,200 and decimals as 85.50"
            )
        num = num.replace(",", "")
    return Decimal(num)


def symbol(currency: str) -> str:
    return str(get_currency_symbol(currency, locale=LOCALE))


def format_money(minor: int | Fraction, currency: str) -> str:
    """Format minor units for people: "$84", "$84.50", "¥1,200"; whole amounts drop ".00"."""
    if isinstance(minor, Fraction):
        minor = to_minor(minor)
    return _format_minor(minor, currency)


# A digest or report formats thousands of amounts, many of them the same (rates, quotes).
@functools.lru_cache(maxsize=8192)
def _format_minor(minor: int, currency: str) -> str:
    return format_money_decimal(Decimal(minor).scaleb(-precision(currency)), currency)


def decimal_amount(minor: int | Fraction, currency: str) -> str:
    """Minor units as a plain decimal for files: "84.50" (USD), "1200" (JPY), "-3.25".

    Rounded to whole minor units first, the way format_money rounds, so a file and a reply
    show the same amount.
    """
    digits = precision(currency)
    if isinstance(minor, Fraction):
        minor = to_minor(minor)
    return f"{Decimal(minor).scaleb(-digits):.{digits}f}"


def format_money_decimal(value: Decimal, currency: str) -> str:
    """As Babel's format_currency (the locale's currency format; "¤#,##0" for a whole
    amount), with the locale and both patterns parsed once instead of on every call."""
    locale, whole, standard = _formats()
    if value == value.to_integral_value():
        return str(whole.apply(value, locale, currency=currency, currency_digits=False))
    return str(standard.apply(value, locale, currency=currency))


@functools.cache
def _formats() -> tuple[Locale, NumberPattern, NumberPattern]:
    locale = Locale.parse(LOCALE)
    standard = locale.currency_formats["standard"]
    assert standard is not None
    return locale, parse_pattern("¤#,##0"), standard


def rescale(minor: int, old: str, new: str) -> int:
    """Keep the number a user typed when the workspace switches currency ("80" stays "80")."""
    return round(rescale_exact(Fraction(minor), old, new))


def rescale_exact(minor: Fraction, old: str, new: str) -> Fraction:
    """``rescale`` of an exact amount (a hand-off's frozen baseline), left unrounded."""
    return minor * Fraction(10) ** (precision(new) - precision(old))


def per_hour(amount: Money, hours: Fraction) -> Money:
    """What ``amount`` earned over ``hours`` comes to an hour: "$480 a day" over 8 h is $60.

    Exact until the one rounding, to whole minor units, half away from zero.
    """
    if hours <= 0:
        raise ValueError(f"hours must be more than zero, not {hours}")
    return Money(to_minor(Fraction(amount.minor) / hours), amount.currency)
