"""Every curated knowledge file parses, and every @sanction/@see label points at a real unit."""

from __future__ import annotations

import pytest
from conftest import KNOWLEDGE

from ingest.parse import ParsedDocument, discover, parse_source
from rag.labels import normalize_label


def _corpus() -> list[ParsedDocument]:
    files = discover([KNOWLEDGE]) if KNOWLEDGE.is_dir() else []
    if not files:
        pytest.skip("knowledge/ has no instrument files yet")
    return [parse_source(path) for path in files]  # raises IngestError on a bad file


def test_knowledge_parses_and_references_resolve() -> None:
    corpus = _corpus()
    ids = [p.document.id for p in corpus]
    assert len(ids) == len(set(ids)), "two knowledge files share a document id"
    labels = {normalize_label(u.label) for p in corpus for u in p.units}
    unresolved: list[str] = []
    for parsed in corpus:
        for unit in parsed.units:
            targets = [b for s in unit.sanctions for b in s.basis] + list(unit.see)
            unresolved += [f"{unit.label} -> {t}" for t in targets if normalize_label(t) not in labels]
    assert not unresolved, "unresolved labels:\n" + "\n".join(unresolved)


def test_knowledge_units_have_text_and_unique_ids() -> None:
    for parsed in _corpus():
        ids = [u.id for u in parsed.units]
        assert len(ids) == len(set(ids)), parsed.document.source_path
        assert all(u.text.strip() for u in parsed.units)
        assert all(u.id.startswith(parsed.document.id + "::") for u in parsed.units)
