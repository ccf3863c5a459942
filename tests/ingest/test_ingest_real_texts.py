"""Parse the real OCR'd regulations in ../shared/real-texts (skipped when that folder is absent).

Only short key phrases are asserted; nothing from those files is copied into the project.
"""

from __future__ import annotations

import re
from functools import cache

import pytest
from conftest import REAL_TEXTS

from ingest.clean import REFERENCE_WORDS
from ingest.parse import ParsedDocument, parse_source
from ingest.structure import _pasal_key
from rag.types import Unit

pytestmark = pytest.mark.real_texts

# file stem → (label, title, last body Pasal reached). UU 7/2017's copy stops around Pasal 228.
EXPECTED: dict[str, tuple[str, str, str]] = {
    "pp_2021_94": ("PP 94/2021", "Disiplin Pegawai Negeri Sipil", "46"),
    "pp_2004_42": ("PP 42/2004", "Pembinaan Jiwa Korps dan Kode Etik Pegawai Negri Sipil", "22"),  # sic, OCR
    "pp_2004_37": ("PP 37/2004", "Larangan Pegawai Negeri Sipil Menjadi Anggota Partai Politik", "17"),
    "pp_2010_53": ("PP 53/2010", "Disiplin Pegawai Negeri Sipil", "51"),
    "pp_2017_11": ("PP 11/2017", "Manajemen Pegawai Negeri Sipil", "364"),
    "uu_2014_5": ("UU 5/2014", "Aparatur Sipil Negara", "141"),
    "uu_2015_1": (
        "UU 1/2015",
        "Penetapan Peraturan Pemerintah Pengganti Undang-Undang Nomor 1 Tahun 2014 tentang Pemilihan "
        "Gubernur, Bupati, dan Walikota Menjadi Undang-Undang",
        "2",
    ),
    "uu_2015_8": (
        "UU 8/2015",
        "Perubahan atas Undang-Undang Nomor 1 Tahun 2015 tentang Penetapan Peraturan Pemerintah Pengganti "
        "Undang-Undang Nomor 1 Tahun 2014 tentang Pemilihan Gubernur, Bupati, dan Walikota Menjadi Undang-Undang",
        "II",
    ),
    "uu_2017_7": ("UU 7/2017", "Pemilihan Umum", "227"),
}


@cache
def _parsed(stem: str) -> ParsedDocument:
    path = REAL_TEXTS / f"{stem}.md"
    if not path.is_file():
        pytest.skip(f"{path} not available")
    return parse_source(path)


def _pasal_numbers(units: tuple[Unit, ...], part: str) -> list[str]:
    return [
        u.id.rsplit("pasal-", 1)[1].upper()
        for u in units
        if u.kind == "pasal" and u.id.split("::")[1].startswith(part)
    ]


def _heading_in_source(raw: str, number: int) -> bool:
    """Whether the source shows an article heading for ``number`` (not a reference to it)."""
    for m in re.finditer(rf"Pas\S{{0,3}}\s*{number}(?![\d])\s*(\S*)", raw):
        before = raw[max(0, m.start() - 30) : m.start()].split()
        after = m.group(1)
        if before and before[-1].lower().rstrip(",") in REFERENCE_WORDS:
            continue
        if re.match(r"^(?:ayat|huruf|angka|dan|atau|sampai|,)", after) or after.startswith(","):
            continue
        return True
    return False


def _assert_sequence(numbers: list[str], raw_body: str) -> None:
    keys = [_pasal_key(n) for n in numbers]
    assert keys == sorted(keys) and len(set(keys)) == len(keys), "Pasal out of order or repeated"
    missing = sorted({n for n in range(1, keys[-1][0] + 1)} - {k[0] for k in keys})
    # A gap is only acceptable where OCR lost the heading itself.
    found_but_missed = [n for n in missing if _heading_in_source(raw_body, n)]
    assert not found_but_missed, f"headings present in the source but not parsed: {found_but_missed}"


def _raw_body(stem: str) -> str:
    raw = (REAL_TEXTS / f"{stem}.md").read_text(encoding="utf-8")
    cut = raw.find("PENJELASAN ATAS")
    return raw if cut < 0 else raw[:cut]


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_identity(stem: str) -> None:
    label, title, _ = EXPECTED[stem]
    doc = _parsed(stem).document
    assert (doc.label, doc.title) == (label, title)
    assert doc.id == label.lower().replace(" ", "-").replace("/", "-")


@pytest.mark.parametrize("stem", sorted(set(EXPECTED) - {"uu_2015_8", "uu_2015_1", "uu_2017_7"}))
def test_body_pasal_sequence(stem: str) -> None:
    numbers = _pasal_numbers(_parsed(stem).units, "body/")
    assert numbers[0] == "1"
    assert numbers[-1] == EXPECTED[stem][2]
    _assert_sequence(numbers, _raw_body(stem))


def test_uu_7_2017_sequence_until_truncation() -> None:
    # This OCR copy is the worst: dozens of headings are missing, some pages are out of order
    # ("Pasal 51" before "Pasal 50") and others have the heading glued to garbled words. The
    # parser must stay in order (never jump back), reach the truncation point and keep most.
    numbers = _pasal_numbers(_parsed("uu_2017_7").units, "body/")
    keys = [_pasal_key(n) for n in numbers]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert numbers[0] == "1" and numbers[-1] == EXPECTED["uu_2017_7"][2]
    assert len(numbers) >= 0.85 * int(numbers[-1])


def test_known_ocr_losses_are_the_only_gaps() -> None:
    # Pasal 39 of PP 94/2021 and Pasal 207 of PP 11/2017 are missing from these OCR copies.
    assert "39" not in _pasal_numbers(_parsed("pp_2021_94").units, "body/")
    assert len(_pasal_numbers(_parsed("pp_2021_94").units, "body/")) == 45
    assert len(_pasal_numbers(_parsed("pp_2017_11").units, "body/")) == 363


def test_amending_law_uu_8_2015() -> None:
    # The body of an amending law is Pasal I (numbered amendment points) and Pasal II; the amended
    # articles quoted in each point are that point's text ("Pasal I angka 5"), and also units of their
    # own as they are cited ("UU 8/2015 Pasal 7", ingest/amendments.py; tests/ingest/test_amendments.py).
    units = _parsed("uu_2015_8").units
    assert _pasal_numbers(tuple(u for u in units if not u.amended_by), "body/") == ["I", "II"]
    assert len([u for u in units if u.amended_by and u.kind == "pasal"]) >= 100
    points = [u for u in units if u.id.startswith("uu-8-2015::body/pasal-i/angka-")]
    assert [int(u.id.rsplit("-", 1)[1]) for u in points] == sorted(
        int(u.id.rsplit("-", 1)[1]) for u in points
    )
    assert len(points) >= 100
    by_label = {u.label: u for u in units}
    assert "Ketentuan Pasal 1" in by_label["UU 8/2015 Pasal I angka 1"].text
    assert "Pasal 1 " in by_label["UU 8/2015 Pasal I angka 1"].text
    assert by_label["UU 8/2015 Pasal II"].text.startswith("Undang-Undang ini mulai berlaku")
    explained = [u for u in units if u.id.startswith("uu-8-2015::penjelasan/pasal-i/angka-")]
    assert len(explained) >= 100


def test_enacting_law_uu_1_2015_with_annexed_perppu() -> None:
    units = _parsed("uu_2015_1").units
    assert _pasal_numbers(units, "body/") == ["1", "2"]
    annex = _pasal_numbers(units, "lampiran/")
    assert annex[0] == "1" and _pasal_key(annex[-1])[0] >= 200
    _assert_sequence(annex, (REAL_TEXTS / "uu_2015_1.md").read_text(encoding="utf-8"))
    labels = {u.label for u in units}
    assert "UU 1/2015 Lampiran Perppu 1/2014 Pasal 70" in labels
    assert "UU 1/2015 Penjelasan Pasal 1" in labels


PP94_ANGKA = {
    1: "ikut kampanye",
    2: "atribut partai atau atribut PNS",
    3: "mengerahkan PNS lain",
    4: "fasilitas negara",
    5: "menguntungkan atau merugikan",
    6: "pertemuan, ajakan, himbauan, seruan",
    7: "fotokopi",
}


def test_pp_94_2021_pasal_5_huruf_n() -> None:
    units = {u.label: u for u in _parsed("pp_2021_94").units}
    huruf_n = units["PP 94/2021 Pasal 5 huruf n"]
    for k, phrase in PP94_ANGKA.items():
        unit = units[f"PP 94/2021 Pasal 5 huruf n angka {k}"]
        assert phrase in unit.text
        assert unit.text in huruf_n.text
        assert unit.norm == "prohibition" and unit.text_kind == "wording"
        assert unit.lead_in.startswith("PNS dilarang:")
    assert "PP 94/2021 Pasal 5 huruf n angka 8" not in units
    assert "kampanye" not in units["PP 94/2021 Pasal 5 huruf m"].text
    penjelasan = units["PP 94/2021 Penjelasan Pasal 5 huruf n angka 1"]
    assert "hadir untuk mendengar" in penjelasan.text
    assert units["PP 94/2021 Penjelasan Pasal 1"].text == "Cukup jelas."


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_units_are_well_formed(stem: str) -> None:
    units = _parsed(stem).units
    ids = [u.id for u in units]
    assert len(ids) == len(set(ids))
    by_id = {u.id: u for u in units}
    for unit in units:
        assert unit.text.strip()
        if unit.parent_id:
            assert unit.text in by_id[unit.parent_id].text


def test_real_texts_units_carry_no_page_furniture_or_page_break_repeat() -> None:
    """Issue 9 item 5: page serials, letterheads and page numbers stay out of unit text, and the
    catchword of UU 20/2023 Pasal 24 ayat (1) ("b. menaati" at a page foot) is not quoted twice."""
    import re

    if not REAL_TEXTS.is_dir():
        pytest.skip(f"{REAL_TEXTS} not available")
    serial = re.compile(r"\bSK\s*No\b")
    page_number = re.compile(r"(?:^|\s)-\d{1,3}-(?:\s|$)")
    letterhead = re.compile(r"PRESIDEN\s+REPU[A-Z]{1,3}K\s+INDONESIA(?!,)")
    for path in sorted(REAL_TEXTS.glob("*_*.md")):
        for unit in parse_source(path).units:
            if unit.kind == "catatan":
                continue
            assert not serial.search(unit.text), (unit.label, unit.text[:200])
            assert not page_number.search(unit.text), unit.label
            assert not letterhead.search(unit.text) or "PERATURAN PRESIDEN" in unit.text, unit.label
    units = {u.label: u for u in parse_source(REAL_TEXTS / "uu_2023_20.md").units}
    huruf_b = units["UU 20/2023 Pasal 24 ayat (1) huruf b"].text
    first = huruf_b.split()[0]
    assert huruf_b.split().count(first) == 1, huruf_b  # the catchword's word once, not twice
    assert units["UU 20/2023 Pasal 24 ayat (1)"].text.count(first) == 1
