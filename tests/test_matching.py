"""Loose name matching: the one name meant, or a short list to ask about."""

from __future__ import annotations

from bot.matching import Match, best_match, fold

NAMES = [(1, "write newsletter"), (2, "social media posts"), (3, "bookkeeping"), (4, "invoices")]


def test_a_typo_of_one_word_matches():
    assert best_match("newsleter", NAMES) == Match(1, [])


def test_plural_filler_and_word_order_match():
    assert best_match("the media posts social", NAMES) == Match(2, [])
    assert best_match("invoice", NAMES) == Match(4, [])


def test_two_close_names_are_offered_not_guessed():
    names = [(1, "write blog post"), (2, "write blog posts weekly")]
    found = best_match("write blog", names)
    assert found.id is None
    assert set(found.candidates) == {"write blog post", "write blog posts weekly"}


def test_nothing_close_is_no_match_and_no_candidates():
    assert best_match("podcast editing", NAMES) == Match(None, [])


def test_words_that_fold_to_nothing_match_nothing():
    assert fold("the my a") == ""
    assert best_match("the", NAMES) == Match(None, [])
