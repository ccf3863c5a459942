"""The instrument table (rag/instruments.py): one source for headings, questions and LLM prose."""

import pytest

from rag.instruments import TYPES, alias_problem, alias_table, code_for_heading, code_for_words
from rag.labels import doc_label
from rag.types import Document


@pytest.mark.parametrize(
    ("heading", "code"),
    [
        ("UNDANG-UNDANG", "UU"),
        ("UNDANG.UNDANG", "UU"),
        ("UNDANG - UNDANG", "UU"),
        ("PERATURAN PEMERINTAH", "PP"),
        ("PERATURAN  PEMERINTAH PENGGANTI UNDANG-UNDANG", "Perppu"),
        ("PERATURAN PRESIDEN", "Perpres"),
        ("PERATURAN MENTERI", "Permen"),
        ("SURAT EDARAN", "SE"),
        ("SURAT KEPUTUSAN BERSAMA", "SKB"),
        ("KEPUTUSAN BERSAMA", "SKB"),
        ("PERATURAN BADAN PENGAWAS PEMILIHAN UMUM", "Perbawaslu"),
        ("PERATURAN KOMISI PEMILIHAN UMUM", "PKPU"),
        ("PERATURAN BADAN KEPEGAWAIAN NEGARA", "Peraturan BKN"),
        ("PERATURAN DAERAH", "PERATURAN DAERAH"),  # unknown: the words themselves
    ],
)
def test_heading_codes(heading: str, code: str) -> None:
    assert code_for_heading(heading) == code


@pytest.mark.parametrize(
    ("words", "prefix"),
    [
        ("UU", "UU"),
        ("Undang-Undang", "UU"),
        ("undang undang", "UU"),
        ("law", "UU"),
        ("PP", "PP"),
        ("Peraturan Pemerintah", "PP"),
        ("perpu", "Perppu"),
        ("Perppu", "Perppu"),
        ("Peraturan Pemerintah Pengganti Undang-Undang", "Perppu"),
        ("Perpres", "Perpres"),
        ("presidential regulation", "Perpres"),
        ("Permen", "Permen"),
        ("SE", "SE"),
        ("SE MenPANRB", "SE MenPANRB"),
        ("se menpan rb", "SE MenPANRB"),
        ("SKB", "SKB"),
        ("Perbawaslu", "Perbawaslu"),
        ("PKPU", "PKPU"),
        ("peraturan desa", None),
        ("UU ASN", None),
    ],
)
def test_typed_words(words: str, prefix: str | None) -> None:
    assert code_for_words(words) == prefix


def test_every_code_is_a_label_prefix() -> None:
    for t in TYPES:
        assert doc_label(t.code, "01", 2020) == f"{t.code} 1/2020"
        assert code_for_words(t.code) == t.code
        for name in t.names:
            assert code_for_heading(name) == t.code


@pytest.mark.parametrize(
    ("alias", "ok"),
    [("UU ASN", True), ("SKB 5 Menteri", True), ("UU", False), ("Peraturan Pemerintah", False),
     ("", False), ("123", False), (12, False), ("x" * 81, False)],
)  # fmt: skip
def test_alias_problem(alias: object, ok: bool) -> None:
    assert (alias_problem(alias) is None) is ok


def test_alias_table_folds_and_ranks() -> None:
    docs = [
        Document("a", "UU 5/2014", "UU", "5", 2014, "ASN", status="dicabut", aliases=("UU ASN",)),
        Document("b", "UU 20/2023", "UU", "20", 2023, "ASN", aliases=("UU-ASN", "Undang-Undang ASN")),
    ]
    table = alias_table(docs)
    assert table["uu asn"] == ("UU 20/2023", "UU 5/2014")  # in force first
    assert table["undang undang asn"] == ("UU 20/2023",)


def test_informal_labels_drop_a_unique_ayat() -> None:
    from rag.index import informal_labels
    from rag.types import Unit

    def unit(label: str) -> Unit:
        return Unit(id=label, doc_id="d", label=label, kind="huruf", text="x")

    units = [unit("PP 11/2017 Pasal 23 ayat (1) huruf e"), unit("UU 7/2017 Pasal 280 ayat (1) huruf f"),
             unit("UU 7/2017 Pasal 280 ayat (2) huruf f"), unit("UU 7/2017 Pasal 280 ayat (2) huruf g")]  # fmt: skip
    assert informal_labels(units) == {
        "pp 11/2017 pasal 23 huruf e": "PP 11/2017 Pasal 23 ayat (1) huruf e",
        "uu 7/2017 pasal 280 huruf g": "UU 7/2017 Pasal 280 ayat (2) huruf g",
    }  # "Pasal 280 huruf f" is ambiguous: not registered
