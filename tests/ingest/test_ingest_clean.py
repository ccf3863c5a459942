from __future__ import annotations

from ingest.clean import clean_text


def test_drops_running_header_and_page_numbers() -> None:
    text = "a. ikut rapat;\nPRESIDEN REPUBLIK INDONESIA\n-2-\nb. ikut apel;\n- 12 -\nc. lain."
    assert clean_text(text) == "a. ikut rapat;\nb. ikut apel;\nc. lain."


def test_keeps_perpres_heading() -> None:
    text = "PERATURAN PRESIDEN REPUBLIK INDONESIA NOMOR 3 TAHUN 2099 TENTANG CONTOH"
    assert clean_text(text) == text


def test_fixes_numerals_in_markers_only() -> None:
    text = "Undang-Undang Nomor 5 Tahun 2Ol4 tentang Contoh\nPasal l2\n(l) Isi ayat.\n(21 Isi ayat dua."
    assert clean_text(text).split("\n") == [
        "Undang-Undang Nomor 5 Tahun 2014 tentang Contoh",
        "Pasal 12",
        "(1) Isi ayat.",
        "(2) Isi ayat dua.",
    ]


def test_fixes_garbled_first_angka_after_colon() -> None:
    assert (
        clean_text("dengan cara: f . ikut kampanye;\n2. lain.") == "dengan cara:\n1. ikut kampanye;\n2. lain."
    )


def test_words_inside_sentences_are_untouched() -> None:
    text = "Pasal 1\nPegawai l0l yang Tahunan dan Nomor urut tidak diubah."
    assert clean_text(text) == text


def test_splits_glued_headings_and_pasal() -> None:
    text = "BAB II KEWAJIBAN DAN LARANGAN Bagian Kesatu Umum Pasal 5 PNS dilarang ikut kampanye."
    assert clean_text(text).split("\n") == [
        "BAB II KEWAJIBAN DAN LARANGAN",
        "Bagian Kesatu Umum",
        "Pasal 5",
        "PNS dilarang ikut kampanye.",
    ]


def test_does_not_split_references() -> None:
    text = "Pasal 4\nPegawai sebagaimana dimaksud dalam Pasal 3 Peraturan ini dan Pasal 2 ayat (1) tetap."
    assert clean_text(text) == text


def test_splits_pasal_after_sentence_end() -> None:
    text = "Pasal 4\nIsi ketentuan. Pasal 5 PNS dilarang berpolitik."
    assert clean_text(text).split("\n") == [
        "Pasal 4",
        "Isi ketentuan.",
        "Pasal 5",
        "PNS dilarang berpolitik.",
    ]


def test_removes_page_turn_catchword_and_noise() -> None:
    text = "a. hadir;\nb. membuat : il( i\\lo l0(,15,) b. membuat keputusan;"
    assert clean_text(text) == "a. hadir;\nb. membuat keputusan;"


def test_splits_penjelasan_markers() -> None:
    text = "Pasal 5 Huruf a Cukup jelas. Huruf b Yang dimaksud dengan contoh adalah contoh."
    assert clean_text(text).split("\n") == [
        "Pasal 5",
        "Huruf a Cukup jelas.",
        "Huruf b Yang dimaksud dengan contoh adalah contoh.",
    ]


def test_markdown_mode_only_tidies_whitespace() -> None:
    text = "Pasal l2\n\n  (l) tetap   apa adanya  \n"
    assert clean_text(text, ocr=False) == "Pasal l2\n(l) tetap apa adanya"


def test_page_serials_are_page_furniture() -> None:
    from ingest.clean import remove_page_headers

    text = "b. menaati ketentuan\nSK No 123456 A\nc. tidak menjadi anggota; SK No 654321A d. lain"
    cleaned = remove_page_headers(text)
    assert "SK No" not in cleaned and "menaati ketentuan" in cleaned and "d. lain" in cleaned
