"""The console rendering: the main message, then what it left out."""

from __future__ import annotations

from dataclasses import replace

from netral.render_text import render_answer
from rag.render_plain import CAVEAT_CHARS, main_text
from tests.bot.conftest import default_answer


def _answer(caveats: tuple[str, ...]):  # type: ignore[no-untyped-def]
    a = replace(default_answer("q"), caveats=caveats)
    return replace(a, answer=main_text(a))


def test_a_caution_the_main_message_cut_is_listed_whole() -> None:
    long_caution = ("Pendapat resmi berbeda: " + "bacaan " * 25).strip()
    assert CAVEAT_CHARS < len(long_caution) < 220  # the range the console once dropped
    out = render_answer(_answer((long_caution,)))
    assert f"• {long_caution}" in out


def test_a_short_caution_is_printed_once() -> None:
    out = render_answer(_answer(("Sumber berbeda pendapat.", "Kedua.")))
    assert out.count("Sumber berbeda pendapat.") == 1 and "• Kedua." in out
