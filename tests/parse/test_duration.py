import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.parse.duration import DurationError, format_minutes, parse_duration


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("90m", 90),
        ("90 min", 90),
        ("1h", 60),
        ("1.5h", 90),
        ("1,5h", 90),
        ("1h30m", 90),
        ("1h 30m", 90),
        ("1 hr 30 mins", 90),
        ("2 hours", 120),
        ("1:30", 90),
        ("2", 120),
        ("0.25", 15),
        ("45m", 45),
        ("24h", 1440),
    ],
)
def test_reads_every_documented_form(text, minutes):
    d = parse_duration(text)
    assert d is not None
    assert d.minutes == minutes


def test_a_bare_number_is_read_as_hours_and_says_so():
    d = parse_duration("2")
    assert d is not None
    assert d.bare_hours
    assert not parse_duration("2h").bare_hours  # type: ignore[union-attr]


@pytest.mark.parametrize("text", ["newsletter", "list", "top", "10 45m", "weekly", ""])
def test_words_that_are_not_durations_are_none(text):
    assert parse_duration(text) is None


def test_more_than_a_day_suggests_a_tenth():
    with pytest.raises(DurationError, match=r"25h is more than a day — did you mean 2.5h\?"):
        parse_duration("25h")


def test_a_bare_number_over_24_suggests_minutes():
    with pytest.raises(DurationError, match="did you mean 90m"):
        parse_duration("90")


@pytest.mark.parametrize("text", ["0", "0m", "0:00"])
def test_zero_is_refused(text):
    with pytest.raises(DurationError, match="no time at all"):
        parse_duration(text)


@given(st.integers(min_value=1, max_value=1440))
def test_formatted_minutes_read_back_the_same(minutes):
    d = parse_duration(format_minutes(minutes))
    assert d is not None
    assert d.minutes == minutes


@given(st.integers(min_value=0, max_value=24), st.integers(min_value=0, max_value=59))
def test_clock_form_is_hours_and_minutes(h, m):
    total = h * 60 + m
    text = f"{h}:{m:02d}"
    if total == 0 or total > 1440:
        with pytest.raises(DurationError):
            parse_duration(text)
    else:
        assert parse_duration(text).minutes == total  # type: ignore[union-attr]


@given(st.text(max_size=30))
def test_any_text_is_a_duration_none_or_a_clear_error(text):
    try:
        d = parse_duration(text)
    except DurationError as e:
        assert str(e)
    else:
        assert d is None or 0 < d.minutes <= 1440
