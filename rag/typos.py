"""One-slip typos: a swapped, dropped, doubled or wrong letter ("srevant", "pencoblsan", "saksi").

Used where a typo must not change what a question is about (scope anchors); the behaviour matcher's
own typo correction (rag/behaviour_match.py) ranks candidates by similarity instead.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable

MIN_LEN = 5  # shorter words are too easily one slip from another real word ("like" / "lime")


def one_slip(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by exactly one substitution, insertion, deletion or swap of
    two adjacent letters (Damerau-Levenshtein distance 1)."""
    if a == b:
        return False
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = (a, b) if la < lb else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


def slip_keeping_letters(a: str, b: str) -> bool:
    """One slip that keeps every letter: a doubled, dropped or swapped one ("suamii", "sumai"), not a
    changed one, which as often makes another word ("kakek" / "kakak")."""
    return one_slip(a, b) and (len(a) != len(b) or sorted(a) == sorted(b))


def correct(word: str, vocabulary: Iterable[str]) -> str | None:
    """The vocabulary word ``word`` is one slip away from (the first in sorted order), or None."""
    if len(word) < MIN_LEN:
        return None
    for v in sorted(vocabulary):
        if len(v) >= MIN_LEN and one_slip(word, v):
            return v
    return None


def likeliest_slip(word: str, candidates: Iterable[tuple[str, float]]) -> str | None:
    """Of the ``(word, idf)`` candidates one slip from ``word``, the most common (lowest IDF; then the
    first in sorted order): "pemlu" is one slip from both "perlu" and "pemilu", and an election
    corpus means "pemilu"."""
    found = [(idf, c) for c, idf in candidates if one_slip(word, c)]
    return min(found)[1] if found else None


class CloseMatch:
    """``difflib.get_close_matches(word, vocabulary, n=1, cutoff=cutoff)``, with the same answer, over
    only the words whose length lets them reach the cutoff.

    difflib's ratio is at most 2·min(a, b)/(a + b) for lengths a and b, so a word of length a can only
    reach ``cutoff`` c against lengths between a·c/(2 − c) and a·(2 − c)/c. Over a few thousand corpus
    words that skips most of the work (it cost several milliseconds per unknown question word)."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self._by_len: dict[int, list[str]] = {}
        for word in sorted(set(vocabulary)):
            self._by_len.setdefault(len(word), []).append(word)

    def best(self, word: str, cutoff: float) -> str | None:
        n = len(word)
        if not n or not 0 < cutoff <= 1:
            return None
        # Rounded outwards: a length too many costs a little, a length too few would change answers.
        low = math.floor(n * cutoff / (2 - cutoff))
        high = math.ceil(n * (2 - cutoff) / cutoff)
        candidates = [w for size in range(low, high + 1) for w in self._by_len.get(size, ())]
        close = difflib.get_close_matches(word, candidates, n=1, cutoff=cutoff)
        return close[0] if close else None
