from rag.labels import Path, label_matches, normalize_label, unit_id


def test_unit_labels_follow_the_contract() -> None:
    assert Path(pasal="5", huruf="n", angka="4").label("PP 94/2021") == "PP 94/2021 Pasal 5 huruf n angka 4"
    assert Path(pasal="280", ayat="3").label("UU 7/2017") == "UU 7/2017 Pasal 280 ayat (3)"
    assert (
        Path(part="penjelasan", pasal="5", huruf="n", angka="1").label("PP 94/2021")
        == "PP 94/2021 Penjelasan Pasal 5 huruf n angka 1"
    )
    assert (
        Path(part="lampiran", table="Disiplin", angka="6").label("SKB 2/2022")
        == "SKB 2/2022 Lampiran Disiplin angka 6"
    )


def test_ids_are_stable_and_distinct() -> None:
    a = unit_id("pp-94-2021", Path(pasal="5", huruf="n", angka="4"))
    b = unit_id("pp-94-2021", Path(part="penjelasan", pasal="5", huruf="n", angka="4"))
    assert a == "pp-94-2021::body/pasal-5/huruf-n/angka-4"
    assert a != b


def test_prefix_matching_respects_unit_boundaries() -> None:
    assert label_matches("PP 94/2021 Pasal 5", "PP 94/2021 Pasal 5 huruf n angka 4")
    assert not label_matches("PP 94/2021 Pasal 5", "PP 94/2021 Pasal 50")
    assert label_matches("pp 094/2021  pasal 05", "PP 94/2021 Pasal 5")
    assert normalize_label("  SKB 02/2022 ") == "skb 2/2022"
