"""Pure tests of bot.render: limits, escaping and tag balance over many generated inputs."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from bot.render import (
    VERDICT_LINES,
    Piece,
    html_to_plain,
    pack,
    render_answer,
    shorten,
    status_text,
    unit_pieces,
)
from rag.types import VERDICTS, Answer, Citation, SanctionRef
from tests.bot.conftest import CITATION, PP53, PP94, SUMMARY_CITATION, UNIT, default_answer
from tests.fakes.telegram_api import check_html

ALPHABET = [
    "kata",
    "PNS",
    "<b>",
    "</i>",
    "&",
    "&amp;",
    "*",
    "_",
    "`",
    "[x](y)",
    "<",
    ">",
    '"',
    "'",
    "é",
    "😀",
    "\n",
]


def random_text(rng: random.Random, n_words: int) -> str:
    parts = []
    for _ in range(n_words):
        r = rng.random()
        if r < 0.05:
            parts.append("\n\n")
        elif r < 0.07:
            parts.append("y" * rng.randint(50, 5000))  # one "word" longer than some limits
        else:
            parts.append(rng.choice(ALPHABET) + str(rng.randint(0, 99)))
    return " ".join(parts)


@pytest.mark.parametrize("seed", range(60))
def test_random_answers_respect_limit_tags_and_content(seed: int) -> None:
    rng = random.Random(seed)
    limit = rng.choice([120, 300, 1000, 4096])
    body = random_text(rng, rng.randint(0, 3000))
    answer = Answer(
        question="q",
        verdict=rng.choice(VERDICTS),
        answer=body,
        explanation=body,
        citations=(replace(CITATION, quote=random_text(rng, 80)), SUMMARY_CITATION),
        key=(CITATION.label, SUMMARY_CITATION.label),
        sanctions=tuple(SanctionRef(random_text(rng, rng.randint(1, 40))) for _ in range(rng.randint(0, 3))),
        caveats=(random_text(rng, 10),),
        language=rng.choice(["id", "en"]),
    )
    messages = render_answer(answer, limit=limit)
    assert messages
    for m in messages:
        assert 0 < len(m) <= limit
        error, _ = check_html(m)
        assert error is None, (error, m)
    plain = " ".join(html_to_plain(m) for m in messages)
    # Every character of the answer survives, in order (whitespace may differ at split points,
    # and an over-long word may be cut between messages).
    assert "".join(body.split()) in "".join(plain.split())


@pytest.mark.parametrize("length", [1, 10, 4000, 4096, 4097, 8192, 20000])
def test_single_piece_lengths(length: int) -> None:
    text = ("a&b " * (length // 4 + 1))[:length].strip() or "a"
    messages = pack([Piece(text, prefix="<i>", suffix="</i>")])
    assert all(len(m) <= 4096 and check_html(m)[0] is None for m in messages)
    assert "".join(html_to_plain(m) for m in messages).replace(" ", "") == text.replace(" ", "")


def test_verdict_line_first_for_every_verdict_and_language() -> None:
    for lang in ("id", "en"):
        for verdict in VERDICTS:
            answer = replace(default_answer("q"), verdict=verdict, language=lang)
            first = render_answer(answer)[0].split("\n", 1)[0]
            assert first == f"<b>{VERDICT_LINES[lang][verdict]}</b>"
    assert render_answer(replace(default_answer("q"), verdict="bersyarat"))[0].startswith(
        "<b>⚠️ BOLEH DENGAN SYARAT"
    )


def test_citations_quote_wording_only_and_flag_revoked() -> None:
    [text] = render_answer(default_answer("q"))
    assert "<i>“mengadakan kegiatan yang mengarah kepada keberpihakan" in text
    assert "&lt;yang&gt; &amp;" in text
    assert "RINGKASAN-RAHASIA" not in text and "— ringkasan" in text
    assert "⚠️ <b>PP 53/2010 Pasal 4 angka 15</b> (dicabut, diganti PP 94/2021)" in text
    note = replace(SUMMARY_CITATION, kind="note", status="berlaku", replaced_by=None)
    [text] = render_answer(replace(default_answer("q"), citations=(note,)))
    assert "— catatan" in text and "RINGKASAN-RAHASIA" not in text


def test_english_labels() -> None:
    [text] = render_answer(replace(default_answer("q"), language="en"))
    assert text.startswith("<b>⛔ NOT ALLOWED</b>")
    assert "Legal basis" in text and "revoked, replaced by PP 94/2021" in text and "summary" in text


def test_duplicate_citations_listed_once() -> None:
    cits: tuple[Citation, ...] = (CITATION, CITATION)
    [text] = render_answer(replace(default_answer("q"), citations=cits))
    assert text.count(f"<b>{CITATION.label}</b>") == 1


def test_unit_view_and_status_texts() -> None:
    messages = pack(unit_pieces(UNIT, PP94))
    assert "&lt;yang&gt;" in messages[0] and "tautan resmi" in messages[0]
    assert status_text(PP53.status, PP53.replaced_by, "id") == "dicabut, diganti PP 94/2021"
    assert status_text("diubah", None, "en") == "amended"


def test_shorten_cuts_on_words() -> None:
    assert shorten("satu dua tiga empat", 9) == "satu dua…"
    assert shorten("pendek", 10) == "pendek"


def test_plain_fallback_keeps_link_targets() -> None:
    html_text = '<b>A &amp; B</b> — <a href="https://x.example/a?b=1&amp;c=2">tautan resmi</a>'
    assert html_to_plain(html_text) == "A & B — tautan resmi (https://x.example/a?b=1&c=2)"


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("satu dua tiga empat", 9, "satu dua…"),
        # A cut inside parentheses goes back to before them.
        ("sanksi moral (PP 42/2004 Pasal 15, jalur kode etik (ikut kegiatan kampanye))", 50, "sanksi moral…"),
        (
            "sanksi moral (PP 42/2004) jalur kode etik ikut kegiatan kampanye",
            40,
            "sanksi moral (PP 42/2004) jalur kode…",
        ),
        ("(seluruhnya dalam kurung tanpa penutup sampai akhir", 20, "(seluruhnya dalam…"),
    ],
)
def test_shorten_never_leaves_a_parenthesis_open(text: str, limit: int, expected: str) -> None:
    assert shorten(text, limit) == expected


def test_details_show_the_lead_in_and_a_long_first_caution_whole() -> None:
    from bot.render import CAVEAT_CHARS, detail_pieces

    long_caution = "Pendapat resmi berbeda: " + "kata " * 80
    answer = replace(
        default_answer("q"),
        citations=(replace(CITATION, lead_in="PNS dilarang: n. memberikan dukungan dengan cara:"),),
        caveats=(long_caution.strip(), "Kedua."),
    )
    html = "\n".join(p.prefix + p.text + p.suffix for p in detail_pieces(answer))
    assert "[PNS dilarang: n. memberikan dukungan dengan cara: …]" in html
    assert long_caution.strip() in html and "Kedua." in html
    short = replace(answer, caveats=("Singkat.", "Kedua."))
    html = "\n".join(p.prefix + p.text + p.suffix for p in detail_pieces(short))
    assert "Singkat." not in html and "Kedua." in html  # the main message already shows it whole
    assert len("Singkat.") <= CAVEAT_CHARS
