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


# --- page breaks and glued words (issue 9 item 5) ---------------------------------------------


def test_page_break_drops_serial_letterhead_number_and_the_repeated_catchword() -> None:
    text = (
        "(1) Petugas contoh wajib:\na. hadir tepat waktu;\nSK No 202813 A\nb. membaca\n\n"
        "PRESIDEN\nREPUEUK INDONESIA\n-14-\nb. membaca pedoman contoh;\nc. mengisi daftar hadir."
    )
    assert clean_text(text).split("\n") == [
        "(1) Petugas contoh wajib:",
        "a. hadir tepat waktu;",
        "b. membaca pedoman contoh;",
        "c. mengisi daftar hadir.",
    ]


def test_page_break_with_misread_letterhead_and_dotted_catchword() -> None:
    text = "terdiri atas Kelompok Jabatan\nFungsional.\nBagian . . .\nSK No 21196l A\n\nPR.ES!DEN\nREPUBUK INIX)NESIA\n-4-\nBagian Kedua\nTugas"
    assert clean_text(text).split("\n") == [
        "terdiri atas Kelompok Jabatan",
        "Fungsional.",
        "Bagian Kedua",
        "Tugas",
    ]


def test_page_break_keeps_a_last_line_the_next_page_does_not_repeat() -> None:
    text = "a. satu;\nb. dua\nPRESIDEN\nREPUBLIK INDONESIA\n-3-\nsampai tiga;\nc. empat."
    assert clean_text(text).split("\n") == ["a. satu;", "b. dua", "sampai tiga;", "c. empat."]


def test_running_header_misread_inside_a_line_is_dropped() -> None:
    assert clean_text("b. membaca PRES IO E N REPUEUK INOONESIA pedoman.") == "b. membaca pedoman."


def test_lone_presiden_line_and_signature_stay() -> None:
    text = "Ditetapkan di Jakarta\nPRESIDEN REPUBLIK INDONESIA,\nttd.\nPRESIDEN\nmenetapkan pedoman."
    assert clean_text(text) == text


def test_glued_words_are_split_where_both_pieces_are_words_of_the_document() -> None:
    text = (
        "PPPK wajib hadir. Penilaian dilakukan. Penilaian PPPKdilakukan oleh MahkamahAgung, Mahkamah Agung."
    )
    assert "Penilaian PPPK dilakukan oleh Mahkamah Agung," in clean_text(text)


def test_glued_word_splitting_never_splits_misread_or_unknown_words() -> None:
    # "penJrusunan" is "penyusunan" misread; "KpU" is "KPU" misread; "yangmenduduki" is not a word.
    text = "penJrusunan rencana; KpU provinsi; PNSyangmenduduki jabatan; PNS yang menduduki; JPTmadya"
    assert clean_text(text) == text  # "madya" never occurs alone here, so "JPTmadya" stays too


def test_glued_words_in_curated_markdown_are_left_alone() -> None:
    text = "PPPK hadir. PPPKdilakukan dilakukan."
    assert clean_text(text, ocr=False) == text


def test_a_quoted_defined_term_is_not_noise() -> None:
    for text in (
        "Huruf b Yang dimaksud dengan “pegawai contoh” adalah pegawai pada instansi contoh.",
        "Yang dimaksud dengan ‘jabatan contoh’ adalah jabatan pada instansi contoh.",
        'Yang dimaksud dengan "hari contoh" adalah hari kerja.',
    ):
        assert clean_text(text) == text
