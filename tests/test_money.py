from decimal import Decimal
from fractions import Fraction

import pytest
from babel.numbers import format_currency, list_currencies

from bot.money import (
    Money,
    MoneyError,
    decimal_amount,
    format_money,
    format_money_decimal,
    parse_money,
    per_hour,
    rescale,
)


@pytest.mark.parametrize(
    ("text", "minor"),
    [
        ("85", 8500),
        ("$85", 8500),
        ("85.50", 8550),
        ("$1,200", 120000),
        ("1200 USD", 120000),
        ("1200usd", 120000),
    ],
)
def test_amounts_in_the_workspace_currency(text, minor):
    assert parse_money(text, "USD") == Money(minor, "USD")


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [("€40", "EUR", 4000), ("40 EUR", "EUR", 4000), ("¥1,200", "JPY", 1200), ("$50", "CAD", 5000)],
)
def test_symbols_and_codes_of_other_workspace_currencies(text, currency, minor):
    assert parse_money(text, currency) == Money(minor, currency)


@pytest.mark.parametrize(("text", "other"), [("€40", "EUR"), ("40 EUR", "EUR"), ("£5", "GBP")])
def test_another_currency_is_refused_naming_it(text, other):
    with pytest.raises(MoneyError, match=f"counts in USD, not {other}") as e:
        parse_money(text, "USD")
    assert e.value.other_currency == other


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("0", "more than zero"),
        ("-5", "more than zero"),
        ("1000001", "more than I accept"),
        ("12.345", "decimal places"),
        ("1,2,3", "couldn't read"),
        ("abc", "couldn't read"),
        ("5 XYZ", "not a currency"),
    ],
)
def test_bad_amounts_are_refused(text, problem):
    with pytest.raises(MoneyError, match=problem):
        parse_money(text, "USD")


@pytest.mark.parametrize(
    ("minor", "currency", "shown"),
    [
        (8400, "USD", "$84"),
        (8450, "USD", "$84.50"),
        (436800, "USD", "$4,368"),
        (1200, "JPY", "¥1,200"),
        (4000, "EUR", "€40"),
    ],
)
def test_formatting(minor, currency, shown):
    assert format_money(minor, currency) == shown


def test_rescale_keeps_the_typed_number_across_minor_units():
    assert rescale(8000, "USD", "JPY") == 80
    assert rescale(80, "JPY", "USD") == 8000
    assert rescale(8000, "USD", "EUR") == 8000


@pytest.mark.parametrize(
    ("minor", "currency", "hours", "hourly"),
    [
        (48000, "USD", Fraction(8), 6000),  # $480 ÷ 8 h = $60.00
        (240000, "USD", Fraction(75, 2), 6400),  # $2,400 ÷ 37.5 h = $64.00
        (50000, "USD", Fraction(15, 2), 6667),  # $500 ÷ 7.5 h = $66.666… → $66.67
        (10000, "USD", Fraction(3), 3333),  # $100 ÷ 3 h = $33.333… → $33.33
        (100, "USD", Fraction(8), 13),  # $1 ÷ 8 h = 12.5 cents: a half goes up, to 13
        (10000, "JPY", Fraction(3), 3333),  # ¥10,000 ÷ 3 h = ¥3,333.33… → ¥3,333 (no minor unit)
    ],
)
def test_per_hour_divides_exactly_and_rounds_once(minor, currency, hours, hourly):
    assert per_hour(Money(minor, currency), hours) == Money(hourly, currency)


def test_per_hour_rounds_the_exact_quotient_not_a_rounded_one():
    # $200 ÷ 7.75 h = 2580.645… cents: 2581. Rounding 7.75 to 8 first would give 2500.
    assert per_hour(Money(20000, "USD"), Fraction(31, 4)) == Money(2581, "USD")


def test_per_hour_refuses_no_hours():
    with pytest.raises(ValueError, match="more than zero"):
        per_hour(Money(48000, "USD"), Fraction(0))


@pytest.mark.parametrize(
    ("minor", "currency", "written"),
    [
        (8450, "USD", "84.50"),  # 8,450 cents
        (-325, "USD", "-3.25"),
        (1200, "JPY", "1200"),  # the yen has no minor unit
        (123456, "KWD", "123.456"),  # the dinar has three
        (Fraction(101, 2), "USD", "0.51"),  # 50.5 cents rounds half away from zero
    ],
)
def test_decimal_amounts_for_files_use_the_currencys_minor_units(minor, currency, written):
    assert decimal_amount(minor, currency) == written


def test_amounts_are_formatted_as_babels_format_currency_with_its_patterns_parsed_once():
    for currency in sorted(list_currencies())[:60]:
        for value in (Decimal("0"), Decimal("1200"), Decimal("84.5"), Decimal("-3.25")):
            if value == value.to_integral_value():
                expected = format_currency(
                    value, currency, format="¤#,##0", locale="en_US", currency_digits=False
                )
            else:
                expected = format_currency(value, currency, locale="en_US")
            assert format_money_decimal(value, currency) == expected, (currency, value)
