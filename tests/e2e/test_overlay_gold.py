"""Issue 9 acceptance 1: knowledge/ with official texts layered on top scores at least as well as
curated-only, and every quote is text of the official file or of knowledge/ (skipped without
../shared/real-texts).

For the suite's time budget the overlay here is three official texts (the discipline PP, the ethics PP
and the ASN law), layered on a copy of the session's curated index, and only the gold cases that cite
those instruments are asked. The full overlay (all eleven texts, the whole gold set) is measured by
hand: see the issue 9 closing note for the command and figures."""

from __future__ import annotations

import re
import shutil
from typing import Any

import pytest

from evals.gold import GoldCase, load_gold
from evals.runner import run_eval
from ingest.consistency import normalise
from rag.settings import Settings
from tests.conftest import KNOWLEDGE, ROOT, SHARED, make_settings

REAL_TEXTS = SHARED / "real-texts"
OFFICIAL = ("pp_2021_94.md", "pp_2004_42.md", "uu_2023_20.md")
INSTRUMENTS = ("PP 94/2021", "PP 42/2004", "UU 20/2023")

pytestmark = pytest.mark.real_texts


@pytest.fixture(scope="module")
def overlay(full_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Any:
    if not all((REAL_TEXTS / name).is_file() for name in OFFICIAL):
        pytest.skip(f"{REAL_TEXTS} not available")
    from ingest.pipeline import run_ingest
    from netral.app import NetralService

    data = tmp_path_factory.mktemp("overlay-index")
    shutil.copytree(full_settings.data_dir, data, dirs_exist_ok=True)
    settings = make_settings(data)
    report = run_ingest(settings, [REAL_TEXTS / name for name in OFFICIAL], progress=False)
    assert report.changed and {c.label for c in report.layers} == set(INSTRUMENTS)
    return NetralService(settings)


def _cases() -> list[GoldCase]:
    return [
        c
        for c in load_gold(ROOT / "evals" / "gold")
        if any(label.startswith(INSTRUMENTS) for group in c.must_cite for label in group)
    ]


def test_overlay_scores_at_least_as_well_as_curated_only(service: Any, overlay: Any) -> None:
    cases = _cases()
    assert len(cases) >= 20
    curated = run_eval(service, cases).overall
    layered = run_eval(overlay, cases).overall
    assert layered.fabricated == 0 and layered.errors == 0
    assert layered.verdict_accuracy >= curated.verdict_accuracy
    assert layered.citation_recall >= curated.citation_recall


def test_every_quote_is_text_of_the_official_file_or_of_knowledge(overlay: Any) -> None:
    sources = [_letters(p.read_text(encoding="utf-8")) for p in sorted(KNOWLEDGE.glob("*.md"))]
    sources += [_letters((REAL_TEXTS / name).read_text(encoding="utf-8")) for name in OFFICIAL]
    quotes = 0
    for case in _cases():
        for c in overlay.answer(case.question).citations:
            if c.kind != "wording":
                continue
            quotes += 1
            assert any(_is_text_of(_letters(c.quote), s) for s in sources), (c.label, c.quote[:200])
    assert quotes >= 20


def test_is_text_of_allows_page_furniture_between_pieces_only() -> None:
    raw = _letters(
        "a. setia pada negara;\nSK No 202813 A\nb. membaca\nPRESIDEN\nREPUBLIK INDONESIA\n-14-\nb. membaca pedoman;"
    )
    assert _is_text_of(_letters("a. setia pada negara; b. membaca pedoman;"), raw)
    assert not _is_text_of(_letters("a. setia pada bangsa; b. membaca pedoman;"), raw)
    assert not _is_text_of(_letters("b. membaca pedoman; a. setia pada negara;"), raw)


def _letters(text: str) -> str:
    """Case, whitespace, punctuation and the OCR digit look-alikes do not count (ingest/consistency.py)."""
    return re.sub(r"[^0-9a-z]+", "", normalise(text))


MAX_GAP = 120  # letters of page furniture and catchword the cleaner drops between two pieces of a quote
MIN_PIECE = 12


def _find(source: str, piece: str, pos: int, first: bool) -> int:
    """The first piece anywhere; each next one starting within MAX_GAP letters of the last."""
    return source.find(piece) if first else source.find(piece, pos, pos + MAX_GAP + len(piece))


def _is_text_of(quote: str, source: str) -> bool:
    """``quote`` is ``source`` read in order, with only short skipped stretches (page furniture, a
    repeated catchword, a digit the OCR misread) between pieces of at least MIN_PIECE letters."""
    pos, rest, pieces = 0, quote, 0
    while rest:
        lo, hi = 0, len(rest)  # the longest prefix of ``rest`` that is found
        while lo < hi:
            mid = (lo + hi + 1) // 2
            lo, hi = (mid, hi) if _find(source, rest[:mid], pos, not pieces) >= 0 else (lo, mid - 1)
        if lo < min(MIN_PIECE, len(rest)):
            return False
        pos = _find(source, rest[:lo], pos, not pieces) + lo
        rest = rest[lo:]
        pieces += 1
    return pieces <= 2 + len(quote) // 150


def test_overlay_keeps_labels_the_gold_set_cites(overlay: Any) -> None:
    missing = {
        label
        for c in _cases()
        for group in c.must_cite
        for label in group
        if label.startswith(INSTRUMENTS) and overlay.unit(label) is None
    }
    assert not missing
