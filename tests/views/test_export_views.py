"""The CSV cells of /logtask export: what a spreadsheet would run as a formula stays text."""

from __future__ import annotations

import pytest

from bot.views.export import cell


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
    ],
)
def test_a_cell_starting_a_formula_gets_a_leading_apostrophe(typed, written):
    assert cell(typed) == written


def test_plain_text_and_a_formula_sign_inside_it_are_left_alone():
    assert cell("a=b+c") == "a=b+c"
    assert cell("newsletter") == "newsletter"


def test_no_value_is_an_empty_cell():
    assert cell(None) == ""
    assert cell("") == ""
