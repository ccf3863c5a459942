from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.cli import DEFAULT_GOLD
from evals.gold import GoldCase, load_gold
from rag.errors import GoldFormatError
from rag.labels import label_matches
from rag.types import VERDICTS

GOOD = {
    "id": "like-capres",
    "question": "Bolehkah ASN memberi like pada postingan capres?",
    "verdict": "dilarang",
    "must_cite": [["SKB 2/2022 Lampiran Kode Etik angka 4", "SKB 2/2022 Lampiran Disiplin angka 6"]],
    "answer_must_mention": [["sanksi moral", "hukuman disiplin"]],
    "tags": ["medsos"],
}


def _write(path: Path, *lines: object) -> Path:
    path.write_text(
        "\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines) + "\n",
        encoding="utf-8",
    )
    return path


def _error(path: Path) -> GoldFormatError:
    with pytest.raises(GoldFormatError) as info:
        load_gold(path)
    return info.value


def test_loads_a_valid_file(tmp_path: Path) -> None:
    other = {**GOOD, "id": "b", "verdict": ["tidak_jelas", "bersyarat"], "must_cite": []}
    del other["answer_must_mention"]
    cases = load_gold(_write(tmp_path / "g.jsonl", GOOD, "", other))
    assert [c.id for c in cases] == ["like-capres", "b"]
    first = cases[0]
    assert isinstance(first, GoldCase)
    assert first.verdicts == ("dilarang",)
    assert first.must_cite == (
        ("SKB 2/2022 Lampiran Kode Etik angka 4", "SKB 2/2022 Lampiran Disiplin angka 6"),
    )
    assert first.answer_must_mention == (("sanksi moral", "hukuman disiplin"),)
    assert cases[1].verdicts == ("tidak_jelas", "bersyarat")
    assert cases[1].must_cite == () and cases[1].answer_must_mention == ()
    assert first.source.endswith("g.jsonl:1") and cases[1].source.endswith("g.jsonl:3")
    with pytest.raises(AttributeError):
        first.id = "x"  # type: ignore[misc]


def test_malformed_json_reports_its_line(tmp_path: Path) -> None:
    err = _error(_write(tmp_path / "g.jsonl", GOOD, {**GOOD, "id": "b"}, '{"id": "c", "question": '))
    assert err.line == 3
    assert "malformed JSON" in err.reason
    assert str(err).startswith(f"{tmp_path / 'g.jsonl'}:3:")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"verdict": "terlarang"}, "unknown verdict label 'terlarang'"),
        ({"verdict": ["boleh", "nope"]}, "unknown verdict label 'nope'"),
        ({"verdict": []}, "verdict must be"),
        ({"verdict": ["boleh", "boleh"]}, "listed twice"),
        ({"id": ""}, "invalid id"),
        ({"id": "has space"}, "invalid id"),
        ({"question": "  "}, "question must be a non-empty string"),
        ({"must_cite": "PP 94/2021"}, "must_cite must be a list"),
        ({"must_cite": [[]]}, "must_cite group 1 must be a non-empty list"),
        ({"must_cite": [["PP 94/2021", 5]]}, "must_cite group 1 must contain only non-empty strings"),
        ({"answer_must_mention": [["ok"], "x"]}, "answer_must_mention group 2"),
        ({"tags": "medsos"}, "tags must be a list"),
        ({"verdicts": "boleh"}, "unknown field(s): verdicts"),
    ],
)
def test_invalid_fields_report_line_and_reason(
    tmp_path: Path, change: dict[str, object], reason: str
) -> None:
    err = _error(_write(tmp_path / "g.jsonl", {**GOOD, "id": "first"}, {**GOOD, **change}))
    assert err.line == 2
    assert reason in err.reason


def test_missing_field(tmp_path: Path) -> None:
    bad = {k: v for k, v in GOOD.items() if k != "must_cite"}
    err = _error(_write(tmp_path / "g.jsonl", bad))
    assert (err.line, err.reason) == (1, "missing field(s): must_cite")


def test_not_an_object(tmp_path: Path) -> None:
    err = _error(_write(tmp_path / "g.jsonl", "[1, 2]"))
    assert err.line == 1 and "JSON object" in err.reason


def test_duplicate_id_across_files_of_a_directory(tmp_path: Path) -> None:
    _write(tmp_path / "a.jsonl", GOOD)
    _write(tmp_path / "b.jsonl", {**GOOD, "id": "other"}, GOOD)
    (tmp_path / "ignored.txt").write_text("not gold", encoding="utf-8")
    err = _error(tmp_path)
    assert err.path.endswith("b.jsonl") and err.line == 2
    assert "duplicate id 'like-capres'" in err.reason and "a.jsonl:1" in err.reason


def test_empty_directory_and_missing_path(tmp_path: Path) -> None:
    assert "no .jsonl" in _error(tmp_path).reason
    assert "no such file" in _error(tmp_path / "nope.jsonl").reason


# ------------------------------------------------------------------ the shipped gold set

CANONICAL_DOCS = (
    "UU 20/2023", "UU 5/2014", "UU 7/2017", "UU 1/2015", "UU 8/2015", "UU 10/2016", "PP 94/2021",
    "PP 42/2004", "PP 37/2004", "PP 11/2017", "PP 49/2018", "PP 53/2010", "SKB 2/2022",
    "SE MenPANRB 1/2023", "SE MenPANRB 18/2023", "Putusan MK 121/PUU-XXII/2024", "Perpres 92/2024",
)  # fmt: skip


def test_shipped_gold_set_is_valid_and_well_formed() -> None:
    cases = load_gold(DEFAULT_GOLD)
    assert len(cases) >= 85
    for case in cases:
        assert set(case.verdicts) <= set(VERDICTS)
        assert case.tags, case.id
        if case.out_of_scope:
            assert case.verdicts == ("di_luar_cakupan",) and case.must_cite == (), case.id
        for group in case.must_cite:
            for label in group:
                assert any(label_matches(doc, label) for doc in CANONICAL_DOCS), (case.id, label)


def test_shipped_gold_set_covers_every_lampiran_item_and_pasal_5n_angka() -> None:
    labels = {label for c in load_gold(DEFAULT_GOLD) for g in c.must_cite for label in g}
    for k in range(1, 8):
        assert f"SKB 2/2022 Lampiran Kode Etik angka {k}" in labels
        assert f"PP 94/2021 Pasal 5 huruf n angka {k}" in labels
    for k in range(1, 14):
        assert f"SKB 2/2022 Lampiran Disiplin angka {k}" in labels
