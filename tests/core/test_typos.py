"""One-slip typo detection (rag/typos.py) and the clause-negation reading (rag/answer_extractive.py)."""

from __future__ import annotations

import difflib
import random
import string

import pytest

from rag.answer_extractive import negated
from rag.typos import CloseMatch, correct, likeliest_slip, one_slip, slip_keeping_letters


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


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("suamii", "suami", True),  # doubled
        ("perangkt", "perangkat", True),  # dropped
        ("sumai", "suami", True),  # swapped
        ("kakek", "kakak", False),  # changed: another word
        ("suami", "suami", False),
    ],
)
def test_slip_keeping_letters(a: str, b: str, expected: bool) -> None:
    assert slip_keeping_letters(a, b) is expected
    assert slip_keeping_letters(b, a) is expected


def test_correct_only_for_long_words() -> None:
    vocab = ["sanksi", "netralitas", "tanggungan"]
    assert correct("saksi", vocab) == "sanksi"
    assert correct("tanggunagn", vocab) == "tanggungan"
    assert correct("nrtal", ["netral"]) is None  # two slips
    assert correct("like", ["lime"]) is None  # too short to correct


@pytest.mark.parametrize(
    ("word", "candidates", "expected"),
    [
        ("pemlu", [("perlu", 6.0), ("pemilu", 1.5)], "pemilu"),  # the common word wins
        ("pemlu", [("perlu", 6.0)], "perlu"),
        ("banos", [("bansos", 4.0), ("bangsa", 2.0)], "bansos"),  # "bangsa" is two slips away
        ("xyzab", [("pemilu", 1.0)], None),
        ("kampnaye", [("kampanye", 2.0), ("kampanya", 2.0)], "kampanye"),  # a tie: sorted order
    ],
)
def test_likeliest_slip(word: str, candidates: list[tuple[str, float]], expected: str | None) -> None:
    assert likeliest_slip(word, candidates) == expected


VOCAB = [
    "kampanye",
    "kampung",
    "calon",
    "netralitas",
    "whatsapp",
    "pemilihan",
    "pemilu",
    "sanksi",
    "partai",
    "politik",
    "pengurus",
    "anggota",
    "instagram",
    "facebook",
    "hukuman",
    "disiplin",
    "ab",
]


@pytest.mark.parametrize(
    ("word", "cutoff", "expected"),
    [
        ("whatsap", 0.84, "whatsapp"),
        ("kampanyee", 0.84, "kampanye"),
        ("clon", 0.75, "calon"),
        ("netralits", 0.84, "netralitas"),
        ("xyzzyq", 0.84, None),
        ("", 0.84, None),
    ],
)
def test_close_match_table(word: str, cutoff: float, expected: str | None) -> None:
    assert CloseMatch(VOCAB).best(word, cutoff) == expected


def test_close_match_is_difflib_on_fewer_words() -> None:
    """The length bound only skips words that cannot reach the cutoff: same answers as difflib over
    the whole vocabulary, on random words of every length."""
    rng = random.Random(7)
    vocab = ["".join(rng.choices("aeiknprst", k=rng.randint(2, 14))) for _ in range(400)]
    index = CloseMatch(vocab)
    for _ in range(600):
        word = "".join(rng.choices("aeiknprst" + string.ascii_lowercase[:3], k=rng.randint(1, 16)))
        for cutoff in (0.6, 0.75, 0.8, 0.84, 0.9):
            close = difflib.get_close_matches(word, sorted(set(vocab)), n=1, cutoff=cutoff)
            assert index.best(word, cutoff) == (close[0] if close else None), (word, cutoff)


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
        # Reduplication keeps both halves, as the hyphenated spelling folds: "bagi2" is "bagi-bagi".
        ("guru2 nge-like", "guru guru like"),
        ("bagi2 sembako", "bagi bagi sembako"),
        ("ikut bagi-bagi stiker", "ikut bagi bagi stiker"),
        ("blh2 aja", "boleh boleh saja"),  # abbreviations expand in a doubled word too
        ("yg2 gitu", "yg2 gitu"),  # a doubled short word is left alone
        ("rumahku mau dipinjem buat ketemuan", "rumahku mau dipinjam buat pertemuan"),
        ("datang ga pake kaos partai", "datang tanpa kaos partai"),  # a circumstance: without
        # … but after "may I" the "ga" is the question tag: "may I use the official car?"
        ("boleh gak pake mobil dinas", "boleh tidak pake mobil dinas"),
        ("bisa ga bawa bendera partai", "bisa tidak bawa bendera partai"),
    ],
)
def test_chat_spellings_are_rewritten(typed: str, prepared: str) -> None:
    from rag.slang import prepare

    assert prepare(typed) == prepared
