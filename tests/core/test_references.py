from rag.instruments import alias_table
from rag.lexical import fold
from rag.references import find_references
from rag.types import Document

KNOWN = {
    "PP 94/2021",
    "UU 7/2017",
    "UU 20/2023",
    "UU 5/2014",
    "SKB 2/2022",
    "UU 10/2016",
    "UU 1/2015",
    "UU 8/2015",
}

# The aliases as the shipped front matter gives them (knowledge/*.md ``aliases:``).
DOCS = [
    Document("uu-7-2017", "UU 7/2017", "UU", "7", 2017, "Pemilihan Umum", aliases=("UU Pemilu",)),
    Document("uu-20-2023", "UU 20/2023", "UU", "20", 2023, "ASN", aliases=("UU ASN",)),
    Document("uu-5-2014", "UU 5/2014", "UU", "5", 2014, "ASN", status="dicabut", aliases=("UU ASN lama",)),
    Document("uu-1-2015", "UU 1/2015", "UU", "1", 2015, "Pilkada", status="diubah", aliases=("UU Pilkada",)),
    Document("uu-10-2016", "UU 10/2016", "UU", "10", 2016, "Pilkada", aliases=("UU Pilkada",)),
    Document("uu-8-2015", "UU 8/2015", "UU", "8", 2015, "Pilkada", aliases=("UU Pilkada",)),
    Document("skb-2-2022", "SKB 2/2022", "SKB", "2", 2022, "Netralitas", aliases=("SKB Netralitas",)),
    Document("pp-94-2021", "PP 94/2021", "PP", "94", 2021, "Disiplin", aliases=("PP Disiplin",)),
]
ALIASES = alias_table(DOCS)


def refs(q: str) -> tuple[tuple[str, ...], list[list[str]]]:
    r = find_references(fold(q), KNOWN, ALIASES)
    return r.documents, [u.labels(r.documents[0]) for u in r.units] if r.documents else []


def test_numbered_references() -> None:
    docs, units = refs("Apa isi Pasal 5 huruf n PP 94 Tahun 2021?")
    assert docs == ("PP 94/2021",)
    assert units[0][0] == "PP 94/2021 Pasal 5 huruf n"
    docs, _ = refs("PP 94/2021 itu tentang apa")
    assert docs == ("PP 94/2021",)


def test_aliases() -> None:
    docs, units = refs("pasal 280 ayat 3 UU Pemilu")
    assert docs == ("UU 7/2017",)
    assert units[0] == ["UU 7/2017 Pasal 280 ayat (3)", "UU 7/2017 Pasal 280"]
    assert refs("UU ASN mengatur apa?")[0] == ("UU 20/2023",)
    assert refs("apa kata UU ASN lama")[0] == ("UU 5/2014",)
    assert refs("Pasal 71 UU Pilkada")[0][0] == "UU 10/2016"


def test_lampiran_reference() -> None:
    _, units = refs("SKB Netralitas Lampiran Disiplin angka 6")
    assert units == [["SKB 2/2022 Lampiran Disiplin angka 6"]]


def test_no_reference_in_plain_question() -> None:
    docs, units = refs("bolehkah pns ikut kampanye")
    assert docs == () and units == []


def test_alias_shared_by_amending_laws_lists_the_newest_first() -> None:
    assert ALIASES["uu pilkada"] == ("UU 10/2016", "UU 8/2015", "UU 1/2015")
    assert refs("Pasal 7 UU Pilkada")[0] == ("UU 10/2016", "UU 8/2015", "UU 1/2015")


def test_type_spellings_from_the_instrument_table() -> None:
    known = KNOWN | {"SE MenPANRB 18/2023", "Perpres 92/2024"}
    for question, docs in [
        ("peraturan pemerintah nomor 94 tahun 2021", ("PP 94/2021",)),
        ("undang-undang 7 tahun 2017", ("UU 7/2017",)),
        ("government regulation 94", ("PP 94/2021",)),
        ("surat edaran 18 tahun 2023", ("SE MenPANRB 18/2023",)),
        ("se menpanrb 18", ("SE MenPANRB 18/2023",)),
        ("perpres 92/2024", ("Perpres 92/2024",)),
        ("peraturan presiden 92", ("Perpres 92/2024",)),
        ("uu 7 tahun 2016", ()),
    ]:
        assert find_references(fold(question), known).documents == docs, question
