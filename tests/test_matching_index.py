"""The matcher's folded names are kept per distinct list of names (issue #13): an answer from
the kept index must be the answer of a fresh one, and a changed list must never get a stale one."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot import matching
from bot.matching import Match, best_match

NAMES = [(1, "write newsletter"), (2, "social media posts"), (3, "bookkeeping"), (4, "invoices")]
WORDS = ["write", "newsletter", "posts", "social", "media", "invoice", "books", "edit", "the"]


def fresh(text: str, names: list[tuple[int, str]]) -> Match:
    matching._indexes.clear()
    return best_match(text, names)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3), min_size=1, max_size=12),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=3),
)
def test_a_kept_index_answers_as_a_fresh_one(name_words: list[list[str]], typed: list[str]) -> None:
    names = [(i, " ".join(w)) for i, w in enumerate(name_words)]
    text = " ".join(typed)
    expected = fresh(text, names)
    best_match("something else", names)  # the index is kept now
    assert best_match(text, names) == expected


def test_a_rename_a_deletion_and_a_new_name_are_seen_at_once() -> None:
    assert best_match("newsleter", NAMES) == Match(1, [])
    renamed = [(1, "weekly digest"), *NAMES[1:]]
    assert best_match("newsleter", renamed) == Match(None, [])
    assert best_match("newsleter", NAMES[1:]) == Match(None, [])
    added = [*NAMES[1:], (9, "newsletter")]
    assert best_match("newsleter", added) == Match(9, [])


def test_the_same_names_under_other_ids_are_another_index() -> None:
    assert best_match("invoices", NAMES) == Match(4, [])
    assert best_match("invoices", [(7, n) for _, n in NAMES[3:]]) == Match(7, [])


def test_only_the_latest_lists_are_kept() -> None:
    for i in range(matching.INDEXES + 5):
        best_match("x", [(i, f"task {i}")])
    assert len(matching._indexes) == matching.INDEXES
