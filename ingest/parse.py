"""Parse one source file into a Document and its Units: loaders → clean → metadata → structure."""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from pathlib import Path

from ingest.clean import clean_text
from ingest.limits import DEFAULT_LIMITS, IngestLimits, check_units
from ingest.loaders import SUPPORTED_EXTENSIONS, load_source
from ingest.metadata import Overrides, build_document
from ingest.structure import Mode, parse_units
from rag.types import Document, Unit

__all__ = ["SKIPPED_NAMES", "Overrides", "ParsedDocument", "discover", "parse_source"]

# Files in knowledge/ that describe the corpus rather than being part of it.
SKIPPED_NAMES = frozenset({"readme.md", "format.md", "lexicon.yaml", "lexicon.yml"})


@dataclass(frozen=True)
class ParsedDocument:
    document: Document  # content_hash: sha256 of the normalised source text; source_path set
    units: tuple[Unit, ...]
    curated: bool = False  # a knowledge file (front matter) rather than an official/raw text


def parse_source(
    path: Path, overrides: Overrides | None = None, limits: IngestLimits = DEFAULT_LIMITS
) -> ParsedDocument:
    """Read, clean, identify and structure one source file. Raises IngestError naming the file."""
    raw = load_source(path, limits)
    # Curated knowledge files carry front matter and are written by hand: no OCR repairs there.
    mode: Mode = "md" if raw.front_matter is not None else "raw"
    text = clean_text(raw.text, ocr=mode == "raw")
    document, default_kind = build_document(path, raw.front_matter, text, overrides)
    document = dataclasses.replace(document, content_hash=_hash(text), source_path=str(path))
    units = parse_units(document, text, mode, default_kind)
    check_units(path, units, limits)
    return ParsedDocument(document=document, units=tuple(units), curated=mode == "md")


def _hash(text: str) -> str:
    normalised = "\n".join(" ".join(line.split()) for line in text.split("\n"))
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def discover(paths: list[Path]) -> list[Path]:
    """Source files under ``paths`` (folders recurse), sorted, without docs, hidden files or other types."""
    found: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found.update(p for p in path.rglob("*") if p.is_file() and _is_source(p, root=path))
        elif path.is_file() and _is_source(path, root=path.parent):
            found.add(path)
    return sorted(found)


def _is_source(path: Path, root: Path) -> bool:
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        parts = (path.name,)
    if any(part.startswith(".") for part in parts):
        return False
    if path.name.lower() in SKIPPED_NAMES:
        return False
    return path.suffix.lower() in SUPPORTED_EXTENSIONS
