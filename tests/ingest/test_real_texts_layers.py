"""The shipped corpus layered with the official texts of ../shared/real-texts (skipped without them).

Parse-level (no embedding): the consistency report and the merged units. Nothing from those files is
copied into the project; only labels and kinds are asserted."""

from __future__ import annotations

import re
from functools import cache

import pytest
from conftest import REAL_TEXTS

from ingest.consistency import DocumentCheck, check, normalise
from ingest.indexer import Entry
from ingest.layers import Layers, merge
from ingest.parse import parse_source
from rag.types import Unit
from rag.versions import Versions
from tests.conftest import KNOWLEDGE

pytestmark = pytest.mark.real_texts

# Curated labels the official texts lack, each for a reason recorded in knowledge/README.md.
KNOWN_MISSING = {
    # The official copy of UU 7/2017 stops around Pasal 228.
    "UU 7/2017": {
        "Pasal 240", "Pasal 240 ayat (1)", "Pasal 240 ayat (1) huruf k", "Pasal 280", "Pasal 280 ayat (2)",
        "Pasal 280 ayat (2) huruf f", "Pasal 280 ayat (3)", "Pasal 282", "Pasal 283", "Pasal 283 ayat (1)",
        "Pasal 490", "Pasal 493", "Pasal 494", "Pasal 547",
    },
    # The OCR piles the ayat markers of these two Pasal at line starts; the ayat are not separable.
    "PP 11/2017": {"Pasal 254 ayat (4)", "Pasal 346 ayat (4)"},
}  # fmt: skip


@cache
def _layers() -> dict[str, Layers]:
    if not REAL_TEXTS.is_dir():
        pytest.skip(f"{REAL_TEXTS} not available")
    curated = {}
    for path in KNOWLEDGE.glob("*.md"):
        if path.name in ("README.md", "FORMAT.md"):
            continue
        parsed = parse_source(path)
        curated[parsed.document.id] = Entry(parsed.document, parsed.units)
    out: dict[str, Layers] = {}
    for path in sorted(REAL_TEXTS.glob("*_*.md")):
        parsed = parse_source(path)
        doc_id = parsed.document.id
        out[doc_id] = Layers(curated.get(doc_id), Entry(parsed.document, parsed.units))
    return out


def _reports() -> list[DocumentCheck]:
    return [r for r in (check(lay) for lay in _layers().values()) if r is not None]


def test_every_official_text_has_its_curated_document() -> None:
    assert {"uu-20-2023", "perpres-92-2024"} <= set(_layers())
    assert all(lay.curated is not None for lay in _layers().values())


def test_consistency_report_finds_no_wording_mismatch_and_only_known_missing_labels() -> None:
    for r in _reports():
        assert r.mismatched == (), r
        doc = r.label
        missing = {label.removeprefix(doc + " ") for label in r.missing}
        assert missing <= KNOWN_MISSING.get(doc, set()), (doc, missing)


def test_overlay_keeps_every_curated_unit_and_quotes_official_wording() -> None:
    merged = {}
    for lay in _layers().values():
        entry = merge(lay)
        assert lay.curated is not None
        labels = {u.label for u in entry.units}
        assert {u.label for u in lay.curated.units} <= labels
        merged.update({u.label: u for u in entry.units})
    for label in (
        "UU 20/2023 Pasal 24 ayat (1) huruf d",
        "PP 42/2004 Pasal 15",
        "PP 94/2021 Pasal 8 ayat (4)",
    ):
        unit = merged[label]
        assert unit.text_kind == "wording", label
        official = next(
            u for lay in _layers().values() if lay.official for u in lay.official.units if u.label == label
        )
        assert normalise(unit.text) == normalise(official.text)
        assert unit.summary  # our summary stays for search


def test_partly_revoked_pp_53_2010_keeps_its_surviving_provision() -> None:
    lay = _layers()["pp-53-2010"]
    assert lay.curated is not None
    doc = lay.curated.document
    assert doc.status == "dicabut_sebagian" and doc.surviving == ("PP 53/2010 Pasal 7 ayat (3)",)
    units = {u.label: u for u in merge(lay).units}
    assert units["PP 53/2010 Pasal 7 ayat (3)"].text_kind == "wording"


def _official(doc_id: str) -> list[Unit]:
    lay = _layers()[doc_id]
    assert lay.official is not None
    return list(lay.official.units)


def test_every_article_amended_by_uu_8_2015_is_addressable_under_its_cited_label() -> None:
    """Acceptance 3: "Ketentuan Pasal 7 diubah …" gives ``UU 8/2015 Pasal 7`` with its provenance."""
    if not REAL_TEXTS.is_dir():
        pytest.skip(f"{REAL_TEXTS} not available")
    text = (REAL_TEXTS / "uu_2015_8.md").read_text(encoding="utf-8")
    body = text[: text.index("PENJELASAN")]
    expected: set[str] = set()
    for line in body.splitlines():
        point = re.match(r"^(\d{1,3})\. (Ketentuan|Di antara)\b(.*)$", line.strip())
        if point is None or "penjelasan" in line.lower():
            continue
        if point.group(2) == "Di antara":
            expected |= set(re.findall(r"Pasal (\d+[A-Z])", point.group(3)))
        else:
            whole = re.search(r"sehingga Pasal (\d+[A-Z]?) berbunyi", line)
            expected.add(whole.group(1) if whole else re.findall(r"Pasal (\d+[A-Z]?)", line)[0])
    assert len(expected) > 100
    units = {u.label: u for u in _official("uu-8-2015")}
    for pasal in sorted(expected):
        unit = units.get(f"UU 8/2015 Pasal {pasal}")
        assert unit is not None, pasal
        assert unit.amends == f"UU 1/2015 Pasal {pasal}", pasal
        assert unit.amended_by.startswith("UU 8/2015 Pasal I angka "), pasal
        assert unit.change in ("diubah", "disisipkan", "dihapus"), pasal
    assert units["UU 8/2015 Pasal 7 huruf t"].amended_by == "UU 8/2015 Pasal I angka 6"
    assert units["UU 8/2015 Pasal 10A"].change == "disisipkan"
    assert units["UU 8/2015 Pasal 4"].change == "dihapus"
    # The labels in use stay valid.
    assert "UU 8/2015 Pasal I angka 107" in units and "UU 8/2015 Pasal 189" in units


def test_base_law_articles_resolve_to_the_version_uu_8_2015_states() -> None:
    units: dict[str, Unit] = {}
    documents = {}
    for doc_id in ("uu-1-2015", "uu-8-2015"):
        entry = merge(_layers()[doc_id])
        documents[entry.document.id] = entry.document
        units.update({u.id: u for u in entry.units})
    versions = Versions(units, documents)
    for label, current in [
        ("UU 1/2015 Pasal 7 huruf t", "UU 8/2015 Pasal 7 huruf t"),
        ("UU 1/2015 Lampiran Perppu 1/2014 Pasal 7 huruf t", "UU 8/2015 Pasal 7 huruf t"),
        ("UU 1/2015 Pasal 189", "UU 8/2015 Pasal 189"),
        ("UU 1/2015 Pasal 4", "UU 8/2015 Pasal 4"),
    ]:
        found = versions.current(label)
        assert found is not None and found.label == current, label
    assert versions.current("UU 1/2015 Pasal 188") is None  # not amended by UU 8/2015
    superseded = dict(versions.superseded())
    base = [
        u
        for u in units.values()
        if u.doc_id == "uu-1-2015" and u.label.endswith("Pasal 7 huruf t") and "Penjelasan" not in u.label
    ]
    assert base and all(superseded[u.id].label == "UU 8/2015 Pasal 7 huruf t" for u in base)
