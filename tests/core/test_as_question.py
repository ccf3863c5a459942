"""What the embedder reads of a question (rag.retrieval.as_question)."""

from __future__ import annotations

import pytest

from rag.retrieval import as_question


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("pns blh gk like postingan capres", "pns blh gk like postingan capres?"),
        ("which rules does that break  ", "which rules does that break?"),
        ("Bolehkah PNS ikut kampanye?", "Bolehkah PNS ikut kampanye?"),
        ("Saya mau tanya soal netralitas.", "Saya mau tanya soal netralitas."),
        ("wah dilarang ya!", "wah dilarang ya!"),
        ("", ""),
    ],
)
def test_a_question_without_its_final_mark_is_read_with_one(typed: str, read: str) -> None:
    assert as_question(typed) == read
