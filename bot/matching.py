"""Finding a task (or any name) from loosely typed words: typos, plurals, filler, word order.

Pure: names in, the best match or a short list of candidates out. The services give it
the workspace's names; questions and commands share it, so they agree on what matches.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

FILLER = {"the", "my", "our", "a", "an", "all", "of", "for", "to", "this", "that", "your", "some"}
MATCH_SCORE = 88  # one name at least this close, and clearly ahead of the next: it's that one
CANDIDATE_SCORE = 70  # close enough to offer in "Did you mean…?"
CLEAR_LEAD = 6
PREFILTER = 20
MAX_CANDIDATES = 3


def fold(text: str) -> str:
    """Lower case, no punctuation, no filler words, plurals folded to the singular."""
    words = utils.default_process(text).split()
    return " ".join(_singular(w) for w in words if w not in FILLER)


def _singular(word: str) -> str:
    # Crude on purpose: good enough to compare names, never shown to anyone.
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def score(query: str, name: str) -> float:
    """How well ``query`` names ``name`` (both folded): each typed word against its best word.

    "newsleter" → "write newsletter" scores high (a typo of one of its words), and so does
    "media posts social" → "social media posts"; extra words in the name cost a little.
    """
    q_words, n_words = query.split(), name.split()
    coverage = sum(max(fuzz.ratio(q, n) for n in n_words) for q in q_words) / len(q_words)
    return 0.85 * coverage + 0.15 * fuzz.token_sort_ratio(query, name)


@dataclass(frozen=True)
class Match:
    """The id of the one name meant, or None with up to three candidate names to offer."""

    id: int | None
    candidates: list[str]


@dataclass(frozen=True)
class _Index:
    """Names grouped by their folded form, and the folded forms to search."""

    by_fold: dict[str, list[tuple[int, str]]]
    folds: list[str]


INDEXES = 32  # workspaces whose folded names are kept: a few MB at 10,000 names each
_indexes: OrderedDict[tuple[tuple[int, str], ...], _Index] = OrderedDict()
_lock = threading.Lock()


def _index(names: Iterable[tuple[int, str]]) -> _Index:
    """The folded index of ``names``, built once per distinct list of names.

    Folding 10,000 names costs tens of milliseconds; reading them back is a few. The key is
    the names themselves (ids and spelling), not a marker of change: after any rename, merge,
    creation or deletion the list differs, so a stale index can never answer.
    """
    key = tuple(names)
    with _lock:
        found = _indexes.get(key)
        if found is not None:
            _indexes.move_to_end(key)
            return found
    by_fold: dict[str, list[tuple[int, str]]] = {}
    for name_id, name in key:
        by_fold.setdefault(fold(name) or name.casefold(), []).append((name_id, name))
    built = _Index(by_fold, list(by_fold))
    with _lock:
        _indexes[key] = built
        while len(_indexes) > INDEXES:
            _indexes.popitem(last=False)
    return built


def best_match(text: str, names: Iterable[tuple[int, str]]) -> Match:
    """The name ``text`` means among ``names`` (id, name), forgiving how it was typed.

    RapidFuzz's WRatio (C speed) picks a short list from every name; the word-coverage
    score above then ranks that list. One clear winner is a match; close runners-up are
    offered as "Did you mean…?".
    """
    query = fold(text)
    if not query:
        return Match(None, [])
    index = _index(names)
    by_fold = index.by_fold
    if query in by_fold and len(by_fold[query]) == 1:
        return Match(by_fold[query][0][0], [])
    shortlist = process.extract(query, index.folds, scorer=fuzz.WRatio, limit=PREFILTER)
    ranked = sorted(((score(query, folded), folded) for folded, _, _ in shortlist), reverse=True)
    close = [(s, folded) for s, folded in ranked if s >= CANDIDATE_SCORE]
    if close and close[0][0] >= MATCH_SCORE and len(by_fold[close[0][1]]) == 1:
        runner_up = close[1][0] if len(close) > 1 else 0.0
        if close[0][0] - runner_up >= CLEAR_LEAD:
            return Match(by_fold[close[0][1]][0][0], [])
    names_ = [name for _, folded in close[:MAX_CANDIDATES] for _, name in by_fold[folded]]
    return Match(None, names_[:MAX_CANDIDATES])
