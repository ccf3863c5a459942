"""rag.slang.prepare: chat spellings rewritten before matching (a table; no index needed)."""

from __future__ import annotations

import pytest

from rag.slang import prepare


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        # Reduplication keeps both halves, as the hyphenated spelling folds: "bagi2" is "bagi-bagi".
        ("bagi2 sembako", "bagi bagi sembako"),
        ("ikut bagi-bagi stiker", "ikut bagi bagi stiker"),
        ("guru2 disuruh", "guru guru disuruh"),
        # Abbreviations expand, in a doubled word too; a doubled short word is left alone.
        ("blh2 aja", "boleh boleh saja"),
        ("yg2 gitu", "yg2 gitu"),
        ("nge-like postingan", "like postingan"),
        ("ppppk blh gk", "pppk boleh tidak"),
        ("bolehhh", "boleh"),
        ("dtg ke kampanye ga pake kaos partai", "dtg ke kampanye tanpa kaos partai"),
    ],
)
def test_chat_spellings(typed: str, read: str) -> None:
    assert prepare(typed) == read
