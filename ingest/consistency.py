"""Consistency report of a layered document (``netral check``): the curated layer against the official text.

- curated labels missing from the official text (a typo'd label, or a Pasal the parser lost);
- curated *wording* units whose text is not the official text (after normalising whitespace, case and the
  OCR digit look-alikes), i.e. a quotation that drifted from the official wording;
- parse gaps in the official text: missing or out-of-order Pasal numbers, empty units."""

from __future__ import annotations

import difflib
import itertools
import re
from dataclasses import dataclass

from ingest.layers import Layers, official_by_label
from rag.labels import normalize_label
from rag.types import Unit

_OCR = str.maketrans({"o": "0", "l": "1", "i": "1"})
OCR_WORD_SHARE = 0.95
_PASAL = re.compile(r"\bPasal (\d+)([A-Z]?)$")


@dataclass(frozen=True)
class DocumentCheck:
    label: str
    missing: tuple[str, ...]  # curated labels the official text does not have
    mismatched: tuple[str, ...]  # curated wording units whose text is not in the official unit
    gaps: tuple[str, ...]  # parse gaps in the official text

    @property
    def clean(self) -> bool:
        return not (self.missing or self.mismatched or self.gaps)


def normalise(text: str) -> str:
    """Whitespace, case and OCR digits (O/o→0, l/I/i→1) do not count as a difference."""
    folded = " ".join(text.lower().split()).translate(_OCR)
    return re.sub(r"[^\w]+", " ", folded).strip()


def check(layers: Layers) -> DocumentCheck | None:
    """The report for one document, or None when it has no official layer (or no curated one)."""
    curated, official = layers.curated, layers.official
    if curated is None or official is None:
        return None
    by_label = official_by_label(official.units)
    missing: list[str] = []
    mismatched: list[str] = []
    for u in curated.units:
        if u.kind == "catatan" or u.text_kind == "note":
            continue
        o = by_label.get(normalize_label(u.label))
        if o is None:
            missing.append(u.label)
        elif u.text_kind == "wording" and not _quotes(u, o):
            mismatched.append(u.label)
    return DocumentCheck(curated.document.label, tuple(missing), tuple(mismatched), gaps(official.units))


def _quotes(curated: Unit, official: Unit) -> bool:
    # A curated quotation may be partial ("…"): each quoted stretch must be official text.
    target = normalise(official.lead_in + " " + official.text)
    pieces = [normalise(p) for p in re.split(r"\.\.\.|…", curated.text)]
    return all(p in target or _ocr_close(p, target) for p in pieces if p)


def _ocr_close(piece: str, target: str) -> bool:
    """A quotation with at most one word in twenty (one word when shorter) misread by the OCR ("Ralryat",
    "praltis") still matches, when each misread word is close to a word of the official text."""
    words = piece.split()
    have = set(target.split())
    misread = [w for w in words if w not in have]
    if len(misread) > max(1, int((1 - OCR_WORD_SHARE) * len(words))):
        return False
    return all(_near(w, have) for w in misread)


def _near(word: str, have: set[str]) -> bool:
    return any(
        abs(len(w) - len(word)) <= 2 and difflib.SequenceMatcher(None, word, w).ratio() >= 0.75 for w in have
    )


def gaps(units: tuple[Unit, ...]) -> tuple[str, ...]:
    """Missing or out-of-order body Pasal numbers and empty units of an official text."""
    out: list[str] = []
    numbers: list[int] = []
    for u in units:
        if not u.text.strip():
            out.append(f"empty unit {u.label}")
        if u.kind != "pasal" or "Penjelasan" in u.label or "Lampiran" in u.label or u.amended_by:
            continue  # an amending law restates only the articles it changes: no gaps there
        m = _PASAL.search(u.label)
        if m and not m.group(2):
            numbers.append(int(m.group(1)))
    for prev, cur in itertools.pairwise(numbers):
        if cur <= prev:
            out.append(f"Pasal {cur} after Pasal {prev}")
        elif cur > prev + 1:
            missing = f"Pasal {prev + 1}" if cur == prev + 2 else f"Pasal {prev + 1}–{cur - 1}"
            out.append(f"missing {missing}")
    return tuple(out)
