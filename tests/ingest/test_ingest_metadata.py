from __future__ import annotations

from pathlib import Path

import pytest

from ingest.metadata import NO_IDENTITY, Overrides, build_document, infer_identity, title_case
from rag.errors import IngestError


@pytest.mark.parametrize(
    ("heading", "label", "doc_id", "title"),
    [
        (
            "PERATURAN PEMERINTAH REPUBLIK INDONESIA NOMOR 94 TAHUN 2021 TENTANG DISIPLIN PEGAWAI NEGERI SIPIL",
            "PP 94/2021",
            "pp-94-2021",
            "Disiplin Pegawai Negeri Sipil",
        ),
        (
            "UNDANG-UNDANG REPUBLIK INDONESIA\nNOMOR 5 TAHUN 2O14\nTENTANG\nAPARATUR SIPIL NEGARA\nDENGAN RAHMAT",
            "UU 5/2014",
            "uu-5-2014",
            "Aparatur Sipil Negara",
        ),
        (
            "PERATURAN PRESIDEN REPUBLIK INDONESIA NOMOR 12 TAHUN 2Ol9 TENTANG TATA KERJA KPU DAN BAWASLU Menimbang",
            "Perpres 12/2019",
            "perpres-12-2019",
            "Tata Kerja KPU dan Bawaslu",
        ),
        (
            "PERATURAN PEMERINTAH PENGGANTI UNDANG-UNDANG REPUBLIK INDONESIA NOMOR 1 TAHUN 2014 "
            "TENTANG PEMILIHAN GUBERNUR, BUPATI, DAN WALIKOTA",
            "Perppu 1/2014",
            "perppu-1-2014",
            "Pemilihan Gubernur, Bupati, dan Walikota",
        ),
        (
            "Peraturan Pemerintah Nomor 3 Tahun 2099 tentang Contoh Netralitas PNS\nPasal 1",
            "PP 3/2099",
            "pp-3-2099",
            "Contoh Netralitas PNS",
        ),
    ],
)
def test_infer_identity(heading: str, label: str, doc_id: str, title: str) -> None:
    identity = infer_identity(heading)
    assert identity is not None
    assert (identity.label, identity.id, identity.title) == (label, doc_id, title)


def test_heading_repeated_by_ocr_is_cut() -> None:
    text = (
        "PERATURAN PEMERINTAH REPUBLIK INDONESIA NOMOR 4 TAHUN 2099 TENTANG KODE ETIK PNS "
        "PERATURAN PEMERINTAH REPUBLIK INDONESIA NOMOR 4 TAHUN 2099 TENTANG KODE ETIK PNS"
    )
    identity = infer_identity(text)
    assert identity is not None and identity.title == "Kode Etik PNS"


def test_title_case_keeps_acronyms_and_small_words() -> None:
    assert title_case("PEMBINAAN JIWA KORPS DAN KODE ETIK PNS") == "Pembinaan Jiwa Korps dan Kode Etik PNS"
    assert title_case("Sudah Rapi") == "Sudah Rapi"


def test_no_heading_returns_none() -> None:
    assert infer_identity("Pasal 1\nPegawai dilarang berpolitik.") is None


def test_front_matter_wins_over_heading_and_flags() -> None:
    front = {"label": "PP 94/2021", "title": "Disiplin PNS", "status": "berlaku", "default_kind": "summary"}
    text = "PERATURAN PEMERINTAH REPUBLIK INDONESIA NOMOR 1 TAHUN 2000 TENTANG LAIN"
    doc, kind = build_document(Path("k.md"), front, text, Overrides(title="Judul CLI"))
    assert (doc.label, doc.id, doc.type, doc.number, doc.year, doc.title) == (
        "PP 94/2021", "pp-94-2021", "PP", "94", 2021, "Disiplin PNS"
    )  # fmt: skip
    assert kind == "summary"


def test_flags_override_inferred_and_fill_missing() -> None:
    text = "PERATURAN PEMERINTAH REPUBLIK INDONESIA NOMOR 1 TAHUN 2000 TENTANG LAIN"
    doc, _ = build_document(
        Path("x.txt"), None, text, Overrides(title="Judul Baru", status="dicabut", url="https://x")
    )
    assert (doc.label, doc.title, doc.status, doc.source_url) == (
        "PP 1/2000",
        "Judul Baru",
        "dicabut",
        "https://x",
    )
    doc, _ = build_document(
        Path("y.txt"), None, "Pasal 1\nIsi.", Overrides(label="SKB 2/2022", title="Pedoman")
    )
    assert (doc.id, doc.label, doc.type, doc.title) == ("skb-2-2022", "SKB 2/2022", "SKB", "Pedoman")


def test_unknown_identity_names_file() -> None:
    with pytest.raises(IngestError) as info:
        build_document(Path("misteri.txt"), None, "Pasal 1\nIsi.", None)
    assert str(info.value) == f"misteri.txt: {NO_IDENTITY}"


def test_invalid_status() -> None:
    with pytest.raises(IngestError, match="invalid status"):
        build_document(Path("x.md"), {"label": "PP 1/2000", "title": "T", "status": "aktif"}, "", None)


def test_aliases_from_front_matter() -> None:
    front = {
        "label": "UU 20/2023",
        "title": "ASN",
        "aliases": ["UU ASN", "UU  ASN", "UU Aparatur Sipil Negara"],
    }
    doc, _ = build_document(Path("uu.md"), front, "", None)
    assert doc.aliases == ("UU ASN", "UU Aparatur Sipil Negara")
    bare, _ = build_document(Path("uu.md"), {"label": "UU 20/2023", "title": "ASN"}, "", None)
    assert bare.aliases == ()


@pytest.mark.parametrize(
    ("aliases", "reason"),
    [("UU ASN", "must be a list"), (["UU"], "only a type name"), (["UU ASN", 7], "not a string"),
     (["--"], "has no words")],
)  # fmt: skip
def test_invalid_aliases_name_file_and_alias(aliases: object, reason: str) -> None:
    with pytest.raises(IngestError, match=reason) as info:
        build_document(Path("uu.md"), {"label": "UU 20/2023", "title": "ASN", "aliases": aliases}, "", None)
    assert str(info.value).startswith("uu.md: ")


def test_every_shipped_alias_is_valid_and_reaches_the_document() -> None:
    from ingest.loaders import split_front_matter

    root = Path(__file__).resolve().parents[2] / "knowledge"
    seen: dict[str, str] = {}
    for path in sorted(root.glob("*.md")):
        front, body = split_front_matter(path.read_text(encoding="utf-8"), path)
        if front is None:
            continue
        doc, _ = build_document(path, front, body, None)
        for alias in doc.aliases:
            seen[alias] = doc.label
    for alias, label in [("UU ASN", "UU 20/2023"), ("UU Pemilu", "UU 7/2017"), ("PP Disiplin", "PP 94/2021"),
                         ("SKB Netralitas", "SKB 2/2022"), ("UU ASN lama", "UU 5/2014")]:  # fmt: skip
        assert seen[alias] == label
