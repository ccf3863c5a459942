"""Amending laws consolidated (ingest/amendments.py, rag/versions.py) on an invented amending law."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.amendments import read_instruction
from ingest.parse import parse_source
from ingest.pipeline import run_ingest
from rag.index import IndexReader
from rag.types import Document, Unit
from rag.versions import Versions, article_key
from tests.conftest import make_settings
from tests.ingest.conftest import SAMPLE_REGULATION

# Invented text (not copied from any real law) amending the made-up PP 7/2099 of tests/ingest/conftest.py.
AMENDING = """PERATURAN PEMERINTAH REPUBLIK INDONESIA
NOMOR 8 TAHUN 2099
TENTANG
PERUBAHAN ATAS PERATURAN PEMERINTAH NOMOR 7 TAHUN 2099 TENTANG NETRALITAS PEGAWAI CONTOH
DENGAN RAHMAT TUHAN YANG MAHA ESA
Menimbang: a. bahwa aturan contoh perlu diubah;
MEMUTUSKAN:
Pasal I
Beberapa ketentuan dalam Peraturan Pemerintah Nomor 7 Tahun 2099 tentang Netralitas Pegawai Contoh diubah
sebagai berikut:
1. Ketentuan ayat (1) huruf c Pasal 2 diubah, sehingga Pasal 2 berbunyi sebagai berikut:
Pasal 2
(1) Pegawai dilarang:
a. menjadi anggota partai politik;
b. memberikan dukungan kepada calon dengan cara:
1. ikut kampanye;
2. memakai fasilitas negara; dan
c. memasang atau membagikan alat peraga kampanye di mana pun.
(2) Larangan sebagaimana dimaksud pada ayat (1) berlaku juga di luar jam kerja.
2. Di antara Pasal 3 dan Pasal 3A disisipkan 1 (satu) pasal, yakni Pasal 3B yang berbunyi sebagai berikut:
Pasal 3B
Pegawai yang menjadi calon wajib mengundurkan diri sejak ditetapkan sebagai calon.
3. Ketentuan Pasal 3A dihapus.
4. Ketentuan Pasal 4 tetap, dengan perubahan penjelasan Pasal 4, sehingga penjelasan Pasal 4 menjadi
sebagaimana ditetapkan dalam penjelasan pasal demi pasal.
Pasal II
Peraturan Pemerintah ini mulai berlaku pada tanggal diundangkan.
Agar setiap orang mengetahuinya, memerintahkan pengundangan Peraturan Pemerintah ini.
"""


@pytest.mark.parametrize(
    ("lines", "change", "target", "quoted"),
    [
        (["Ketentuan Pasal 7 diubah sehingga berbunyi sebagai berikut:", "Pasal 7", "Isi."], "diubah", "7", 2),
        (["Ketentuan ayat (2) Pasal 57 diubah, sehingga Pasal 57 berbunyi sebagai berikut:", "Pasal 57"],
         "diubah", "57", 1),
        (["Ketentuan Pasal 27 ditambahkan 2 (dua) ayat, yakni ayat (3) dan ayat (4) sehingga Pasal 27 berbunyi",
          "sebagai berikut:", "Pasal 27", "(1) A."], "diubah", "27", 2),
        (["Di antara Pasal 10 dan Pasal 11 disisipkan 1 (satu) pasal, yakni Pasal 10A yang berbunyi sebagai "
          "berikut:", "Pasal 10A", "Isi."], "disisipkan", "10A", 2),
        (["Ketentuan Pasal 4 dihapus."], "dihapus", "4", 0),
        (["Ketentuan Pasal 1 angka 2 diubah sehingga berbunyi sebagai berikut: Pasal 1 Dalam ..."], "diubah", "1", 1),
    ],
)  # fmt: skip
def test_instructions(lines: list[str], change: str, target: str, quoted: int) -> None:
    instruction = read_instruction(lines)
    assert instruction is not None
    assert (instruction.change, instruction.target, len(instruction.quoted)) == (change, target, quoted)


@pytest.mark.parametrize(
    "lines",
    [
        ["BAB V dihapus."],
        [
            "Ketentuan Pasal 71 tetap, dengan perubahan penjelasan Pasal 71 ayat (2), sehingga penjelasan Pasal 71"
        ],
        [],
    ],
)
def test_instructions_that_change_no_article(lines: list[str]) -> None:
    assert read_instruction(lines) is None


def _write(tmp: Path) -> tuple[Path, Path]:
    base, amending = tmp / "pp_2099_7.txt", tmp / "pp_2099_8.txt"
    base.write_text(SAMPLE_REGULATION, encoding="utf-8")
    amending.write_text(AMENDING, encoding="utf-8")
    return base, amending


def test_amended_articles_are_units_under_the_amending_law(tmp_path: Path) -> None:
    _, amending = _write(tmp_path)
    parsed = parse_source(amending)
    units = {u.label: u for u in parsed.units}
    # The labels in use stay: the points of Pasal I.
    assert "PP 8/2099 Pasal I angka 1" in units and "PP 8/2099 Pasal II" in units
    huruf = units["PP 8/2099 Pasal 2 ayat (1) huruf c"]
    assert huruf.text == "memasang atau membagikan alat peraga kampanye di mana pun."
    assert (huruf.amends, huruf.amended_by, huruf.change) == (
        "PP 7/2099 Pasal 2 ayat (1) huruf c",
        "PP 8/2099 Pasal I angka 1",
        "diubah",
    )
    assert units["PP 8/2099 Pasal 2 ayat (1) huruf b angka 2"].text.startswith("memakai fasilitas negara")
    inserted = units["PP 8/2099 Pasal 3B"]
    assert (inserted.change, inserted.amends) == ("disisipkan", "PP 7/2099 Pasal 3B")
    deleted = units["PP 8/2099 Pasal 3A"]
    assert (deleted.change, deleted.text) == ("dihapus", "Ketentuan Pasal 3A dihapus.")
    # An instruction on the elucidation only makes no article unit.
    assert "PP 8/2099 Pasal 4" not in units


def test_base_article_resolves_to_its_current_version(tmp_path: Path) -> None:
    from netral.app import NetralService

    base, amending = _write(tmp_path)
    curated = tmp_path / "pp-7-2099.md"  # the curated layer gives the alias
    curated.write_text(
        "---\nid: pp-7-2099\nlabel: PP 7/2099\ntitle: Netralitas Pegawai Contoh\n"
        "aliases: [PP Netralitas Contoh]\ndefault_kind: summary\n---\n\nPasal 2\nRingkasan larangan.\n",
        encoding="utf-8",
    )
    settings = make_settings(tmp_path / "data")
    run_ingest(settings, [curated, base, amending], progress=False)
    index = IndexReader.open(settings)
    old = index.unit_by_label("PP 7/2099 Pasal 2 ayat (1) huruf c")
    assert old is not None and old.superseded_by == "PP 8/2099 Pasal 2 ayat (1) huruf c"
    assert old.superseded_via == "diubah dengan PP 8/2099 Pasal I angka 1"
    untouched = index.unit_by_label("PP 7/2099 Pasal 3 ayat (2)")
    assert untouched is not None and untouched.superseded_by == ""

    retriever = NetralService(settings).retriever
    for question in [
        "Apa bunyi Pasal 2 ayat (1) huruf c PP 7/2099?",  # the base law
        "pasal 2 ayat 1 huruf c pp 8 tahun 2099",  # the amending law
        "pasal 2 ayat 1 huruf c PP Netralitas Contoh",  # an alias of the base law
    ]:
        passages = retriever.search(question).passages
        assert passages[0].unit.label == "PP 8/2099 Pasal 2 ayat (1) huruf c", question
        assert passages[0].explicit
    passages = retriever.search("Pasal 2 ayat (1) huruf c PP 7/2099").passages
    assert passages[1].unit.label == "PP 7/2099 Pasal 2 ayat (1) huruf c"  # the history after it
    # A deleted article resolves to the deleting instruction.
    assert retriever.search("Pasal 3A PP 7/2099").passages[0].unit.label == "PP 8/2099 Pasal 3A"

    from rag.citations import citation_for

    current = index.unit_by_label("PP 8/2099 Pasal 2 ayat (1) huruf c")
    assert current is not None
    note = citation_for(current, index.document_of(current)).status_note
    assert (
        note == "bunyi PP 7/2099 Pasal 2 ayat (1) huruf c sebagaimana diubah dengan PP 8/2099 Pasal I angka 1"
    )
    cited = citation_for(old, index.document_of(old))
    assert (
        cited.status == "diubah"
        and "bunyi yang berlaku: PP 8/2099 Pasal 2 ayat (1) huruf c" in cited.status_note
    )


def _unit(doc: str, label: str, amends: str = "") -> Unit:
    return Unit(id=label, doc_id=doc, label=label, kind="pasal", text="x", amends=amends)


def test_versions_newest_law_wins_and_sub_units_fall_back_to_its_article() -> None:
    docs = {
        "uu-1": Document("uu-1", "UU 1/2015", "UU", "1", 2015, "Pilkada", status="diubah"),
        "uu-8": Document("uu-8", "UU 8/2015", "UU", "8", 2015, "Perubahan"),
        "uu-10": Document("uu-10", "UU 10/2016", "UU", "10", 2016, "Perubahan Kedua", amends=("UU 1/2015",)),
    }
    units = {
        u.id: u
        for u in [
            _unit("uu-1", "UU 1/2015 Lampiran Perppu 1/2014 Pasal 7 huruf t"),
            _unit("uu-1", "UU 1/2015 Pasal 188"),
            _unit("uu-8", "UU 8/2015 Pasal 7", "UU 1/2015 Pasal 7"),
            _unit("uu-8", "UU 8/2015 Pasal 7 huruf t", "UU 1/2015 Pasal 7 huruf t"),
            _unit("uu-8", "UU 8/2015 Pasal 189", "UU 1/2015 Pasal 189"),
            _unit("uu-10", "UU 10/2016 Pasal 7"),  # curated: the document's amends names the base
            _unit("uu-10", "UU 10/2016 Pasal 7 ayat (2) huruf t"),
        ]
    }
    versions = Versions(units, docs)
    table = [
        ("UU 1/2015 Pasal 189", "UU 8/2015 Pasal 189"),
        ("UU 8/2015 Pasal 189", "UU 8/2015 Pasal 189"),
        ("UU 10/2016 Pasal 189", "UU 8/2015 Pasal 189"),
        ("UU 1/2015 Pasal 7 huruf t", "UU 10/2016 Pasal 7"),  # 10/2016 restructured Pasal 7
        ("UU 8/2015 Pasal 7 huruf t", "UU 10/2016 Pasal 7"),
        ("UU 1/2015 Pasal 7 ayat (2) huruf t", "UU 10/2016 Pasal 7 ayat (2) huruf t"),
        ("UU 1/2015 Pasal 188", None),
        ("UU 1/2015 Penjelasan Pasal 7", None),
        ("SKB 2/2022 Lampiran Disiplin angka 6", None),
    ]
    for label, expected in table:
        current = versions.current(label)
        assert (current.label if current else None) == expected, label
    superseded = {uid: cur.label for uid, cur in versions.superseded()}
    assert superseded["UU 1/2015 Lampiran Perppu 1/2014 Pasal 7 huruf t"] == "UU 10/2016 Pasal 7"
    assert superseded["UU 8/2015 Pasal 7"] == "UU 10/2016 Pasal 7"
    assert "UU 8/2015 Pasal 189" not in superseded and "UU 1/2015 Pasal 188" not in superseded


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("UU 1/2015 Pasal 7 huruf t", ("uu 1/2015", "pasal 7 huruf t")),
        ("UU 1/2015 Lampiran Perppu 1/2014 Pasal 188", ("uu 1/2015", "pasal 188")),
        ("UU 8/2015 Pasal 10A", ("uu 8/2015", "pasal 10a")),
        ("UU 8/2015 Pasal I angka 6", None),
        ("UU 8/2015 Penjelasan Pasal 7", None),
        ("Panduan Netral Catatan 3", None),
    ],
)
def test_article_key(label: str, key: tuple[str, str] | None) -> None:
    assert article_key(label) == key
