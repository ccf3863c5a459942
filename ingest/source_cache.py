"""Skip parsing source files that have not changed since the last ingest.

Parsing and cleaning the official OCR texts (1.1 MB for the eleven in ``../shared/real-texts``) takes
seconds; comparing their parsed content with the live index is what a no-change re-ingest used to do.
This cache remembers, per source file, a key over everything the parse depends on (the raw bytes, the
file name, the CLI overrides, the limits and the source of the parsing modules) and the layer that parse
produced. A file whose key is known is taken from the live index without parsing, but only when the
live layer still has exactly the content hashes recorded with the key: the cache can only save work,
never change a result. It lives beside the generations (``sources.json``, replaced atomically under the
index lock); deleting it costs one slow re-ingest.

The cache also names the generation it was last checked against, and the key and hash of the behaviour
catalogue files: when that generation is still live, every given file's key is known and the catalogue
files are unchanged, nothing can have changed and the ingest stops before reading the index at all
(``pipeline.run_ingest``: a no-change re-ingest in well under a second)."""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

from ingest.limits import IngestLimits
from ingest.metadata import Overrides
from rag.types import Document, Unit

CACHE_FILE = "sources.json"
CACHE_VERSION = 2
# Every module the parse of one file runs (tests/ingest/test_source_cache.py checks the list is whole):
# a change to any of them invalidates every key, so a parser fix re-parses.
PARSER_MODULES = (
    "ingest.amendments",
    "ingest.clean",
    "ingest.limits",
    "ingest.loaders",
    "ingest.metadata",
    "ingest.parse",
    "ingest.structure",
    "rag.errors",
    "rag.instruments",
    "rag.labels",
    "rag.lexical",
    "rag.settings",
    "rag.types",
)
CATALOGUE_MODULES = ("ingest.behaviours", "ingest.catalogue_index", "rag.behaviours")

LayerName = Literal["curated", "official"]


@dataclass(frozen=True)
class Seen:
    """What the last parse of one source produced: the layer and its content hashes."""

    doc_id: str
    label: str
    layer: LayerName
    content_hash: str  # the layer document's content hash
    units_hash: str  # ``units_digest`` of its units


@dataclass(frozen=True)
class SourceCache:
    sources: dict[str, Seen] = field(default_factory=dict)
    generation: str = ""  # the generation every entry was checked against ("" unknown)
    catalogue_key: str = ""  # ``catalogue_key`` of the catalogue files that generation was built from
    catalogue_hash: str = ""  # and the catalogue hash they loaded to
    behaviours: int = 0


@functools.cache
def parser_fingerprint() -> str:
    return _fingerprint(PARSER_MODULES)


@functools.cache
def catalogue_fingerprint() -> str:
    return _fingerprint(CATALOGUE_MODULES)


def _fingerprint(modules: tuple[str, ...]) -> str:
    h = hashlib.sha256()
    for name in modules:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        h.update(name.encode())
        # Without a readable source file (an odd install) nothing can be known: never match.
        h.update(Path(origin).read_bytes() if origin and os.path.isfile(origin) else os.urandom(16))
    return h.hexdigest()


def source_key(path: Path, overrides: Overrides | None, limits: IngestLimits) -> str:
    """Everything a parse of ``path`` depends on, hashed (identity defaults come from the file name)."""
    h = hashlib.sha256()
    for part in (parser_fingerprint(), path.name, repr(overrides or Overrides()), repr(limits)):
        h.update(part.encode("utf-8") + b"\0")
    h.update(path.read_bytes())
    return h.hexdigest()


def catalogue_key(files: list[Path]) -> str:
    """The behaviour catalogue files (names and bytes) and the source of the modules that load them."""
    h = hashlib.sha256(catalogue_fingerprint().encode())
    for path in files:
        h.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def units_digest(units: tuple[Unit, ...]) -> str:
    return hashlib.sha256("\n".join(u.content_hash for u in units).encode("ascii")).hexdigest()


def seen_for(doc: Document, units: tuple[Unit, ...], layer: LayerName) -> Seen:
    return Seen(doc.id, doc.label, layer, doc.content_hash, units_digest(units))


def read_cache(index_dir: Path) -> SourceCache:
    path = index_dir / CACHE_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != CACHE_VERSION:
            return SourceCache()
        sources = {key: Seen(**rec) for key, rec in data.pop("sources").items()}
        data.pop("version")
        return SourceCache(sources=sources, **data)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return SourceCache()  # missing or damaged: parse everything, as without a cache


def write_cache(index_dir: Path, cache: SourceCache) -> None:
    """Replace the cache atomically (the caller holds the index lock)."""
    data = {
        **asdict(cache),
        "version": CACHE_VERSION,
        "sources": {k: asdict(v) for k, v in sorted(cache.sources.items())},
    }
    tmp = index_dir / f".{CACHE_FILE}.tmp"
    tmp.write_text(json.dumps(data, indent=0), encoding="utf-8")
    os.replace(tmp, index_dir / CACHE_FILE)
