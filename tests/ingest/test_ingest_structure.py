from __future__ import annotations

from pathlib import Path

import pytest

from ingest.clean import clean_text
from ingest.structure import NO_STRUCTURE, Mode, parse_units
from rag.errors import IngestError
from rag.types import Document, Unit

DOC = Document(
    id="pp-9-2099", label="PP 9/2099", type="PP", number="9", year=2099, title="Contoh", source_path="c.md"
)


def _parse(text: str, mode: Mode = "raw", default_kind: str = "wording") -> dict[str, Unit]:
    cleaned = clean_text(text, ocr=mode == "raw")
    units = parse_units(DOC, cleaned, mode, default_kind)  # type: ignore[arg-type]
    return {u.label.removeprefix("PP 9/2099 "): u for u in units}


RAW = """PERATURAN PEMERINTAH NOMOR 9 TAHUN 2099 TENTANG CONTOH
Mengingat: 1. Undang-Undang Dasar;
BAB I UMUM
Pasal 1
PNS dilarang:
a. ikut rapat partai;
b. mendukung calon dengan cara:
1. ikut kampanye;
2. memakai atribut PNS; dan
c. hal lain sebagaimana dimaksud dalam
Pasal 2
Undang-Undang ini.
Pasal 2
(1) PNS wajib netral.
(2) PNS yang melanggar dijatuhi hukuman disiplin.
"""


def test_raw_units_nesting_and_texts() -> None:
    units = _parse(RAW)
    assert list(units) == [
        "Pasal 1", "Pasal 1 huruf a", "Pasal 1 huruf b", "Pasal 1 huruf b angka 1", "Pasal 1 huruf b angka 2",
        "Pasal 1 huruf c", "Pasal 2", "Pasal 2 ayat (1)", "Pasal 2 ayat (2)",
    ]  # fmt: skip
    angka = units["Pasal 1 huruf b angka 2"]
    assert angka.text == "memakai atribut PNS; dan"
    assert angka.lead_in == "PNS dilarang: b. mendukung calon dengan cara:"
    assert angka.kind == "angka" and angka.norm == "prohibition" and angka.text_kind == "wording"
    assert angka.id == "pp-9-2099::body/pasal-1/huruf-b/angka-2"
    assert angka.parent_id == "pp-9-2099::body/pasal-1/huruf-b"
    assert angka.heading == "BAB I UMUM"
    # A reference wrapped onto its own line stays text of the item.
    assert units["Pasal 1 huruf c"].text == "hal lain sebagaimana dimaksud dalam Pasal 2 Undang-Undang ini."
    assert units["Pasal 2 ayat (1)"].norm == "obligation"
    assert units["Pasal 2 ayat (2)"].norm == "sanction"


def test_child_text_is_substring_of_parent_text() -> None:
    units = _parse(RAW)
    by_id = {u.id: u for u in units.values()}
    for unit in units.values():
        if unit.parent_id:
            assert unit.text in by_id[unit.parent_id].text
    assert "b. mendukung calon dengan cara:\n1. ikut kampanye;" in units["Pasal 1"].text


def test_order_and_hashes() -> None:
    units = list(_parse(RAW).values())
    assert [u.order for u in units] == list(range(len(units)))
    assert len({u.content_hash for u in units}) == len(units)
    again = list(_parse(RAW).values())
    assert [u.content_hash for u in units] == [u.content_hash for u in again]


def test_out_of_sequence_pasal_is_text() -> None:
    text = "Pasal 1\nIsi satu.\nPasal 3 ayat (1) huruf a berlaku.\nPasal 9\nbukan pasal.\nPasal 2\nIsi dua.\n"
    units = _parse(text)
    assert list(units) == ["Pasal 1", "Pasal 2"]
    assert units["Pasal 1"].text == "Isi satu. Pasal 3 ayat (1) huruf a berlaku. Pasal 9 bukan pasal."


def test_inserted_pasal_numbers_and_small_ocr_gaps() -> None:
    text = "Pasal 1\nIsi satu.\nPasal 1A\nIsi sisipan.\nPasal 2\nIsi dua.\nPasal 4\nIsi empat.\n"
    assert list(_parse(text)) == ["Pasal 1", "Pasal 1A", "Pasal 2", "Pasal 4"]


def test_amending_law_keeps_quoted_articles_inside_points() -> None:
    doc = Document(
        id="uu-9-2099", label="UU 9/2099", type="UU", number="9", year=2099,
        title="Perubahan atas Undang-Undang Nomor 1 Tahun 2098 tentang Contoh", source_path="a.txt",
    )  # fmt: skip
    text = (
        "Pasal I\nBeberapa ketentuan diubah sebagai berikut:\n"
        "1. Ketentuan Pasal 1 diubah sehingga berbunyi sebagai berikut:\nPasal 1\n"
        "Dalam Undang-Undang ini yang dimaksud dengan:\n1. Pemilihan adalah contoh.\n2. Calon adalah contoh.\n"
        "2. Ketentuan Pasal 4 dihapus.\nPasal II\nUndang-Undang ini mulai berlaku pada tanggal diundangkan.\n"
    )
    units = {u.label: u for u in parse_units(doc, clean_text(text), "raw")}
    assert list(units)[:4] == ["UU 9/2099 Pasal I", "UU 9/2099 Pasal I angka 1", "UU 9/2099 Pasal I angka 2",
                               "UU 9/2099 Pasal II"]  # fmt: skip
    assert "Pasal 1 Dalam Undang-Undang ini" in units["UU 9/2099 Pasal I angka 1"].text
    assert "2. Calon adalah contoh." in units["UU 9/2099 Pasal I angka 1"].text
    # The quoted articles are also units of their own, as cited (ingest/amendments.py).
    assert list(units)[4:] == ["UU 9/2099 Pasal 1", "UU 9/2099 Pasal 1 angka 1", "UU 9/2099 Pasal 1 angka 2",
                               "UU 9/2099 Pasal 4"]  # fmt: skip
    # Pasal I here names no base law (and the document no `amends`): provenance only.
    assert units["UU 9/2099 Pasal 1 angka 2"].amended_by == "UU 9/2099 Pasal I angka 1"
    assert units["UU 9/2099 Pasal 1 angka 2"].amends == ""
    assert units["UU 9/2099 Pasal 4"].change == "dihapus"


MARKDOWN = """Pasal 5
Ringkasan larangan.
@norm: prohibition
n. memberikan dukungan dengan cara:
@kind: wording
1. ikut kampanye;
@sanction: hukuman disiplin berat | PP 9/2099 Pasal 14 huruf i; PP 9/2099 Pasal 8 ayat (4) | hanya bila berdampak
@see: PP 9/2099 Penjelasan Pasal 5 huruf n angka 1
@terms: kampanye; rapat akbar
4. memakai fasilitas negara.
@norm: uncertain

PENJELASAN

Pasal 5
Huruf n
Angka 1
Hadir untuk mendengar visi dan misi.

LAMPIRAN Kode Etik
1. Memasang spanduk calon.
@norm: prohibition
Catatan 1
Catatan kurasi tentang praktik.
Angka 3
Butir surat edaran.
"""


def test_markdown_annotations_and_inheritance() -> None:
    units = _parse(MARKDOWN, mode="md", default_kind="summary")
    assert list(units) == [
        "Pasal 5", "Pasal 5 huruf n", "Pasal 5 huruf n angka 1", "Pasal 5 huruf n angka 4",
        "Penjelasan Pasal 5", "Penjelasan Pasal 5 huruf n", "Penjelasan Pasal 5 huruf n angka 1",
        "Lampiran Kode Etik angka 1", "Catatan 1", "angka 3",
    ]  # fmt: skip
    angka1 = units["Pasal 5 huruf n angka 1"]
    assert (angka1.text_kind, angka1.norm) == ("wording", "prohibition")  # both inherited
    assert angka1.sanctions[0].level == "hukuman disiplin berat"
    assert angka1.sanctions[0].basis == ("PP 9/2099 Pasal 14 huruf i", "PP 9/2099 Pasal 8 ayat (4)")
    assert angka1.sanctions[0].detail == "hanya bila berdampak"
    assert angka1.see == ("PP 9/2099 Penjelasan Pasal 5 huruf n angka 1",)
    assert angka1.terms == ("kampanye", "rapat akbar")
    assert units["Pasal 5 huruf n angka 4"].norm == "uncertain"
    assert units["Pasal 5"].text_kind == "summary"
    assert units["Catatan 1"].text_kind == "note" and units["Catatan 1"].kind == "catatan"
    assert units["Lampiran Kode Etik angka 1"].heading == "Lampiran Kode Etik"
    assert units["Penjelasan Pasal 5 huruf n angka 1"].text == "Hadir untuk mendengar visi dan misi."


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Pasal 1\nIsi.\n@warna: merah\n", "unknown annotation @warna"),
        ("@norm: prohibition\nPasal 1\nIsi.\n", "before any unit"),
        ("Pasal 1\nIsi.\n@norm: dilarang\n", "invalid @norm"),
        ("Pasal 1\nIsi.\n@sanction: teguran keras | PP 9/2099 Pasal 1\n", "unknown sanction level"),
        ("Pasal 1\nIsi.\nPasal 1\nLagi.\n", "duplicate unit PP 9/2099 Pasal 1"),
    ],
)
def test_markdown_errors(text: str, reason: str) -> None:
    with pytest.raises(IngestError, match=reason):
        _parse(text, mode="md")


def test_no_structure() -> None:
    with pytest.raises(IngestError) as info:
        _parse("Sebuah tulisan biasa tanpa pasal.\n1. butir di pembukaan\n")
    assert str(info.value) == f"c.md: {NO_STRUCTURE}"


def test_raw_penjelasan_cukup_jelas_units(tmp_path: Path) -> None:
    text = (
        "Pasal 1\nIsi.\nPasal 2\nIsi dua.\nAgar setiap orang mengetahuinya, memerintahkan.\n"
        "PENJELASAN ATAS PERATURAN PEMERINTAH NOMOR 9 TAHUN 2099\nI. UMUM Umum sekali.\n"
        "II. PASAL DEMI PASAL Pasal 1 Cukup jelas. Pasal 2 Huruf a Yang dimaksud dengan contoh adalah contoh.\n"
    )
    units = _parse(text)
    assert units["Penjelasan"].text == "Umum sekali."
    assert units["Penjelasan Pasal 1"].text == "Cukup jelas."
    assert units["Penjelasan Pasal 2 huruf a"].norm == "definition"
    assert units["Penjelasan Pasal 2"].kind == "penjelasan"
    assert "memerintahkan" not in units["Pasal 2"].text
