"""Twenty everyday questions (evals/everyday.txt): short main answers, no curated note cited as law."""

from __future__ import annotations

from typing import Any

from tests.conftest import ROOT

QUESTIONS = [
    line.strip()
    for line in (ROOT / "evals" / "everyday.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]
MAX_MAIN_CHARS = 800


def test_everyday_answers_are_short_and_cite_regulations_only(service: Any) -> None:
    assert len(QUESTIONS) == 20
    lengths = []
    for q in QUESTIONS:
        answer = service.answer(q)
        lengths.append(len(answer.answer))
        assert len(answer.answer) <= MAX_MAIN_CHARS, (q, len(answer.answer), answer.answer)
        for c in answer.citations:
            unit, _ = service.unit(c.label)
            assert unit.kind != "catatan", (q, c.label)
    assert sorted(lengths)[len(lengths) // 2] <= 600
