"""Layered documents: an official text attaches to its curated document instead of replacing it."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pytest

from ingest import check_cli
from ingest.consistency import check, gaps, normalise
from ingest.indexer import Entry, load_entries
from ingest.layers import Layers, merge, read_layers
from ingest.pipeline import run_ingest
from ingest.vectors import derivable, fill_vectors
from rag.index import LEAN_BODY, LEAN_LEAD, IndexReader, current_generation, lean_dense_text
from rag.types import Document, Unit
from tests.conftest import make_settings
from tests.ingest.conftest import SAMPLE_REGULATION

# Our curated layer of the made-up PP 7/2099 (tests/ingest/conftest.py): a summary, a wording unit with
# annotations, a Catatan and a label the official text does not have.
CURATED = """---
id: pp-7-2099
label: PP 7/2099
title: Netralitas Pegawai Contoh
status: berlaku
default_kind: summary
---

Pasal 2
Ringkasan kami: pegawai dilarang berpolitik praktis.
@norm: prohibition
(1) Pasal ini melarang pegawai menjadi anggota partai dan mendukung calon.
@norm: prohibition
@sanction: hukuman disiplin berat | PP 7/2099 Pasal 3 ayat (2)
@terms: parpol; nyaleg
b. memberikan dukungan kepada calon dengan cara:
@kind: wording
@norm: prohibition
@when: dukungan

Pasal 3
Ringkasan kami tentang kewajiban netralitas.
@norm: obligation
(2) Ringkasan kami tentang hukuman berat.
@norm: sanction

Pasal 9
Pasal yang hanya ada di korpus kurasi.
@norm: info

Catatan 1
Catatan kurasi tentang praktik.
@norm: info
"""


def _write(tmp: Path) -> tuple[Path, Path]:
    curated = tmp / "knowledge" / "pp-7-2099.md"
    curated.parent.mkdir()
    curated.write_text(CURATED, encoding="utf-8")
    official = tmp / "official" / "pp_2099_7.txt"
    official.parent.mkdir()
    official.write_text(SAMPLE_REGULATION, encoding="utf-8")
    return curated, official


def test_official_text_attaches_to_the_curated_document_and_can_be_removed(tmp_path: Path) -> None:
    curated, official = _write(tmp_path)
    settings = make_settings(tmp_path / "data")
    run_ingest(settings, [curated], progress=False)
    before = {u.label: u for u in IndexReader.open(settings).units.values()}
    report = run_ingest(settings, [official], progress=False)
    assert report.changed and report.documents == 1
    (counts,) = report.layers  # the per-layer counts of the ingest summary
    assert counts.label == "PP 7/2099" and counts.curated_only == 1 and counts.mismatched == 0
    assert counts.official_wording >= 2 and counts.official_only >= 1
    units = {u.label: u for u in IndexReader.open(settings).units.values()}

    # Every curated unit is still there, with its annotations; the official wording is its text.
    assert set(before) <= set(units)
    ayat = units["PP 7/2099 Pasal 2 ayat (1)"]
    assert ayat.text_kind == "wording" and "menjadi anggota partai politik" in ayat.text
    assert ayat.summary.startswith("Pasal ini melarang")
    assert ayat.terms == ("parpol", "nyaleg") and ayat.sanctions[0].level == "hukuman disiplin berat"
    assert units["PP 7/2099 Pasal 2 ayat (1) huruf b"].when == ("dukungan",)
    # Units only in the official text are added; units only in the curated layer stay summaries.
    assert units["PP 7/2099 Pasal 3A"].text_kind == "wording"
    assert units["PP 7/2099 Pasal 9"].text_kind == "summary"
    assert units["PP 7/2099 Catatan 1"].text_kind == "note"

    # Idempotent: the same official text again changes nothing.
    assert not run_ingest(settings, [official], progress=False).changed
    # Re-ingesting the curated file keeps the official layer.
    assert not run_ingest(settings, [curated], progress=False).changed
    gen = current_generation(settings.index_dir)
    assert gen is not None
    layers = read_layers(gen, load_entries(gen))["pp-7-2099"]
    assert layers.curated is not None and layers.official is not None

    # netral check --strict fails on the curated label the official text lacks (Pasal 9).
    assert check_cli.run(argparse.Namespace(strict=True, gaps=False), settings) == 1
    assert check_cli.run(argparse.Namespace(strict=False, gaps=True), settings) == 0
    run_ingest(settings, [], remove_official=["PP 7/2099"], progress=False)
    after = {u.label: u for u in IndexReader.open(settings).units.values()}
    assert set(after) == set(before)
    assert after["PP 7/2099 Pasal 2 ayat (1)"].text == before["PP 7/2099 Pasal 2 ayat (1)"].text


def test_consistency_report_names_missing_labels_and_drifted_wording(tmp_path: Path) -> None:
    from ingest.parse import parse_source

    curated, official = _write(tmp_path)
    c, o = parse_source(curated), parse_source(official)
    report = check(Layers(Entry(c.document, c.units), Entry(o.document, o.units)))
    assert report is not None
    assert report.missing == ("PP 7/2099 Pasal 9",)
    assert report.mismatched == ()  # huruf b is quoted verbatim
    drift = CURATED.replace("memberikan dukungan kepada calon", "memberi dukungan pada calon")
    curated.write_text(drift, encoding="utf-8")
    c = parse_source(curated)
    report = check(Layers(Entry(c.document, c.units), Entry(o.document, o.units)))
    assert report is not None and report.mismatched == ("PP 7/2099 Pasal 2 ayat (1) huruf b",)
    assert check(Layers(curated=Entry(c.document, c.units))) is None


def _u(label: str, kind: str = "pasal", text: str = "x") -> Unit:
    return Unit(id=label, doc_id="d", label=label, kind=kind, text=text)


def test_parse_gaps_and_normalising() -> None:
    units = (
        _u("UU 1/2000 Pasal 1"),
        _u("UU 1/2000 Pasal 2"),
        _u("UU 1/2000 Pasal 5"),
        _u("UU 1/2000 Pasal 4"),
    )
    assert gaps(units) == ("missing Pasal 3–4", "Pasal 4 after Pasal 5")
    assert gaps((_u("UU 1/2000 Pasal 1", text=" "),)) == ("empty unit UU 1/2000 Pasal 1",)
    assert normalise("Tahun  2OI4,\nPasal") == normalise("tahun 2014 pasal")


def test_each_distinct_text_is_embedded_once_and_pure_parents_are_derived() -> None:
    kids = [
        Unit(id=f"p/{n}", doc_id="d", label=f"P ayat ({n})", kind="ayat", text=t, parent_id="p")
        for n, t in ((1, "satu dua tiga"), (2, "empat lima"))
    ]
    parent = Unit(id="p", doc_id="d", label="P", kind="pasal", text="(1) satu dua tiga\n(2) empat lima")
    boiler = [
        Unit(id=f"j{n}", doc_id="d", label=f"J{n}", kind="penjelasan", text="Cukup jelas.") for n in (1, 2)
    ]
    units = [parent, *kids, *boiler]
    assert derivable(units) == {0: [1, 2]}
    seen: list[str] = []

    def embed(texts: list[str]) -> list[np.ndarray]:
        seen.extend(texts)
        return [np.full(2, float(len(t)), dtype=np.float32) for t in texts]

    vectors: list[np.ndarray | None] = [None] * len(units)
    n = fill_vectors(units, vectors, text_of=lambda u: u.label + " " + u.text, embed=embed)
    assert n == 3 and seen.count("Cukup jelas.") == 1
    assert vectors[3] is vectors[4]
    assert vectors[0] is not None and abs(float(np.linalg.norm(vectors[0])) - 1.0) < 1e-5


def test_merge_without_official_layer_is_the_curated_document() -> None:
    doc = Document(id="d", label="PP 1/2000", type="PP", number="1", year=2000, title="t")
    entry = Entry(doc, (_u("PP 1/2000 Pasal 1"),))
    assert merge(Layers(curated=entry)) is entry
    assert merge(Layers(official=entry)) is entry


def test_official_only_units_are_embedded_lean_and_their_parents_derived() -> None:
    lead = "Petugas contoh di setiap kantor wajib:"
    kids = [
        Unit(id=f"p/{c}", doc_id="d", label=f"P huruf {c}", kind="huruf", text=t, parent_id="p", lead_in=lead)
        for c, t in (("a", "hadir tepat waktu;"), ("b", "mengisi daftar hadir."))
    ]
    parent = Unit(id="p", doc_id="d", label="P", kind="pasal", text=f"{lead}\na. hadir tepat waktu;\nb. …")
    units = [parent, *kids]
    assert derivable(units) == {}  # its own words are more than a marker: a curated parent is embedded
    assert derivable(units, lean=lambda u: True) == {0: [1, 2]}
    seen: list[str] = []

    def embed(texts: list[str]) -> list[np.ndarray]:
        seen.extend(texts)
        return [np.full(2, float(len(t)), dtype=np.float32) for t in texts]

    vectors: list[np.ndarray | None] = [None] * len(units)
    n = fill_vectors(units, vectors, text_of=lean_dense_text, embed=embed, lean=lambda u: True)
    assert n == 2 and seen == [lean_dense_text(k) for k in kids]
    assert seen[0] == f"P huruf a\n{lead}\nhadir tepat waktu;"
    long = Unit(id="x", doc_id="d", label="L", kind="ayat", text="kata " * 200, lead_in="awal " * 60)
    text = lean_dense_text(long)
    assert len(text) <= len("L") + 2 + LEAN_LEAD + LEAN_BODY and text.startswith("L\n")


def test_embedding_time_is_shared_by_the_documents_of_a_batch() -> None:
    from dataclasses import replace

    from ingest.vectors import EmbedStats

    units = [_u("A Pasal 1", text="x" * 30), replace(_u("B Pasal 2", text="y" * 10), doc_id="b")]
    ticks = iter([0.0, 4.0])
    stats: dict[str, EmbedStats] = {}
    n = fill_vectors(
        units,
        [None, None],
        text_of=lambda u: u.text,
        embed=lambda batch: [np.ones(3, np.float32) for _ in batch],
        stats=stats,
        clock=lambda: next(ticks),
    )
    assert n == 2 and stats[units[0].doc_id].texts == 1 and stats["b"].texts == 1
    assert stats[units[0].doc_id].seconds == 3.0 and stats["b"].seconds == 1.0


def test_a_revoked_instruments_official_only_units_are_history_without_vectors(tmp_path: Path) -> None:
    curated, official = _write(tmp_path)
    curated.write_text(
        CURATED.replace("status: berlaku", "status: dicabut\nreplaced_by: PP 8/2099"), encoding="utf-8"
    )
    settings = make_settings(tmp_path / "data")
    run_ingest(settings, [curated, official], progress=False)
    reader = IndexReader.open(settings)
    mine = {"PP 7/2099 Pasal 2", "PP 7/2099 Pasal 2 ayat (1)", "PP 7/2099 Pasal 3"}
    vectors = np.load(current_generation(settings.index_dir) / "vectors.npz")
    with_vector = {reader.units[str(i)].label for i in vectors["ids"]}
    history = {u.label for u in reader.units.values()} - with_vector
    assert mine <= with_vector  # curated units keep their vectors (as curated-only)
    assert "PP 7/2099 Pasal 4" in history and "PP 7/2099 Pasal 2 ayat (1) huruf a" in history
    assert reader.store.count() == len(with_vector)
    # Still addressable and lexically searchable.
    unit = next(u for u in reader.units.values() if u.label == "PP 7/2099 Pasal 4")
    assert "diundangkan" in unit.text and reader.tokens[unit.id]


@pytest.mark.parametrize(
    ("uid", "kind", "parent", "status", "official_only", "expected"),
    [
        ("d::body/pasal-1", "pasal", None, "berlaku", {"d::body/pasal-1"}, False),  # an article: embedded
        ("d::body/pasal-1/huruf-a", "huruf", "d::body/pasal-1", "berlaku", {"*"}, True),  # item of one
        ("d::body/pasal-1/huruf-a/angka-1", "angka", "d::body/pasal-1/huruf-a", "berlaku", {"*"}, True),
        ("d::body/pasal-1/ayat-1", "ayat", "d::body/pasal-1", "berlaku", {"*"}, False),  # ayat: embedded
        ("d::penjelasan/pasal-1", "penjelasan", None, "berlaku", {"*"}, True),
        ("d::body/pasal-2", "pasal", None, "dicabut", {"*"}, True),  # history
        # Curated units keep their vectors, whatever they are.
        ("d::body/pasal-1/huruf-a", "huruf", "d::body/pasal-1", "berlaku", set(), False),
        ("d::penjelasan/pasal-1", "penjelasan", None, "dicabut", set(), False),
        # A list item under a curated parent keeps its vector (the curated parent's stays as today).
        (
            "d::body/pasal-1/huruf-a",
            "huruf",
            "d::body/pasal-1",
            "berlaku",
            {"d::body/pasal-1/huruf-a"},
            False,
        ),
    ],
)
def test_which_official_only_units_get_no_vector(
    uid: str, kind: str, parent: str | None, status: str, official_only: set[str], expected: bool
) -> None:
    from ingest.vectors import without_vector

    doc = Document(id="d", label="PP 1/2000", type="PP", number="1", year=2000, title="t", status=status)
    unit = Unit(id=uid, doc_id="d", label=uid, kind=kind, text="x", parent_id=parent)
    assert without_vector(unit, doc, lambda i: "*" in official_only or i in official_only) is expected


def test_official_only_list_items_and_penjelasan_have_no_vector_but_are_found(tmp_path: Path) -> None:
    curated, official = _write(tmp_path)
    settings = make_settings(tmp_path / "data")
    run_ingest(settings, [curated, official], progress=False)
    reader = IndexReader.open(settings)
    vectors = np.load(current_generation(settings.index_dir) / "vectors.npz")
    with_vector = {reader.units[str(i)].label for i in vectors["ids"]}
    assert {
        "PP 7/2099 Pasal 1",
        "PP 7/2099 Pasal 2 ayat (1)",
        "PP 7/2099 Pasal 2 ayat (1) huruf b",
    } <= with_vector
    without = {"PP 7/2099 Pasal 1 angka 1", "PP 7/2099 Penjelasan Pasal 2 ayat (1) huruf b angka 1"}
    assert not without & with_vector and reader.store.count() == len(with_vector)
    by_label = {u.label: u for u in reader.units.values()}
    assert without <= set(by_label)  # explicit lookup
    assert all(reader.tokens[by_label[label].id] for label in without)  # lexical search
