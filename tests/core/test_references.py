from rag.lexical import fold
from rag.references import find_references

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


def refs(q: str) -> tuple[tuple[str, ...], list[list[str]]]:
    r = find_references(fold(q), KNOWN)
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
