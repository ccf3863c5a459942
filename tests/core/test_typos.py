"""One-slip typo detection (rag/typos.py) and the clause-negation reading (rag/answer_extractive.py)."""

from __future__ import annotations

import pytest

from rag.answer_extractive import negated
from rag.typos import correct, one_slip


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("srevant", "servant", True),  # swap
        ("pencoblsan", "pencoblosan", True),  # drop
        ("meemilih", "memilih", True),  # double
        ("kampanye", "kampanyo", True),  # substitution
        ("saksi", "sanksi", True),
        ("servant", "servant", False),  # identical is not a typo
        ("kampanye", "kampnaey", False),  # two slips
        ("abcd", "acbe", False),
        ("pemilu", "pemilihan", False),
    ],
)
def test_one_slip(a: str, b: str, expected: bool) -> None:
    assert one_slip(a, b) is expected
    assert one_slip(b, a) is expected


def test_correct_only_for_long_words() -> None:
    vocab = ["sanksi", "netralitas", "tanggungan"]
    assert correct("saksi", vocab) == "sanksi"
    assert correct("tanggunagn", vocab) == "tanggungan"
    assert correct("nrtal", ["netral"]) is None  # two slips
    assert correct("like", ["lime"]) is None  # too short to correct


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        (" dan fotonya tidak saya unggah. Apakah itu melanggar", True),
        ("I did not post it", True),
        ("blh gk share postingan", False),  # "boleh tidak" asks
        ("lalu share postingannya boleh tidak", False),
        ("apakah kena sanksi atau tidak", False),
        ("terus tidak sengaja ikut foto", False),  # did it, unintentionally
        ("ikut kampanye tanpa atribut", False),  # a circumstance, not a denial
    ],
)
def test_negated_clause(clause: str, expected: bool) -> None:
    assert negated(clause) is expected


def test_pleasantries_are_stripped_around_the_question_only() -> None:
    from rag.slang import strip_pleasantries

    assert (
        strip_pleasantries("pagi kak, bolehkah asn ikut kampanye? terima kasih min")
        == "bolehkah asn ikut kampanye?"
    )
    assert strip_pleasantries("mau tanya, apa isi Putusan MK 121/PUU-XXII/2024? makasih") == (
        "apa isi Putusan MK 121/PUU-XXII/2024?"
    )
    assert strip_pleasantries("halo") == "halo"  # never empty
    assert strip_pleasantries("Apakah KASN masih ada?") == "Apakah KASN masih ada?"


@pytest.mark.parametrize(
    ("typed", "prepared"),
    [
        ("kampanyeee capreees", "kampanye capres"),  # stretched letters collapse
        ("sy PPPK blh gk", "saya pppk boleh tidak"),  # PPPK is spelt with three p's: not a stretch
        ("ppppk", "pppk"),
        ("PPK saya", "ppk saya"),  # the appointing official stays PPK
        ("guru2 nge-like", "guru like"),
        ("rumahku mau dipinjem buat ketemuan", "rumahku mau dipinjam buat pertemuan"),
    ],
)
def test_chat_spellings_are_rewritten(typed: str, prepared: str) -> None:
    from rag.slang import prepare

    assert prepare(typed) == prepared
