"""Writes index generations (see rag/index.py for the layout).

A generation is written completely in its own directory, then CURRENT is replaced atomically.
Unchanged documents are detected by content hash; unchanged units reuse their vectors."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from tqdm import tqdm

from ingest.vectors import EmbedStats, fill_vectors, without_vector
from rag.errors import StoreError
from rag.index import (
    CURRENT_FILE,
    FORMAT_VERSION,
    LEXICON_FILE,
    TEXT_VERSION,
    Manifest,
    current_generation,
    dense_text,
    lean_dense_text,
    lexical_text,
)
from rag.lexical import Analyzer, Lexicon, Stemmer
from rag.protocols import Embedder
from rag.serialize import document_to_dict, unit_to_dict
from rag.store import ChromaStore, drop_collection
from rag.types import Document, Unit

# In vectors.npz, marks a vector of the lean dense text ("2": an official-only parent whose list items
# have no vector is embedded by its own text instead of derived from theirs).
LEAN_SUFFIX = ":lean2"
KEEP_GENERATIONS = 2  # the live one and its predecessor (a running bot may still read it)


@dataclass(frozen=True)
class Entry:
    document: Document
    units: tuple[Unit, ...]


@contextlib.contextmanager
def index_lock(index_dir: Path) -> Iterator[None]:
    """One writer at a time. flock is released by the kernel if the process dies."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with (index_dir / ".lock").open("w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise StoreError(f"another ingest is running on {index_dir}") from exc
        yield


def load_entries(gen: Path) -> dict[str, Entry]:
    """Documents and units of an existing generation, by document id."""
    from rag.serialize import document_from_dict, unit_from_dict

    docs: dict[str, Document] = {}
    units: dict[str, list[Unit]] = {}
    with (gen / "units.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec["type"] == "document":
                doc = document_from_dict(rec["data"])
                docs[doc.id] = doc
            else:
                unit = unit_from_dict(rec["data"])
                units.setdefault(unit.doc_id, []).append(unit)
    return {i: Entry(d, tuple(sorted(units.get(i, []), key=lambda u: u.order))) for i, d in docs.items()}


def _load_vectors(gen: Path | None) -> dict[tuple[str, str], np.ndarray]:
    if gen is None or not (gen / "vectors.npz").exists():
        return {}
    data = np.load(gen / "vectors.npz", allow_pickle=False)
    if "version" not in data or int(data["version"]) != TEXT_VERSION:
        return {}
    return {(str(i), str(h)): v for i, h, v in zip(data["ids"], data["hashes"], data["vectors"], strict=True)}


def _load_lexical(gen: Path | None) -> tuple[dict[str, str], dict[tuple[str, str], list[str]]]:
    if gen is None or not (gen / "lexical.json").exists():
        return {}, {}
    data = json.loads((gen / "lexical.json").read_text(encoding="utf-8"))
    if data.get("version") != TEXT_VERSION:
        return data.get("stems", {}), {}
    by_hash = {(uid, h): toks for uid, (h, toks) in data.get("by_hash", {}).items()}
    return data.get("stems", {}), by_hash


def _unique_terms(analyzer: Analyzer, unit: Unit) -> list[str]:
    # Search terms are synonyms: each counts once, so a long list does not drown the text.
    text_tokens = analyzer.tokens(lexical_text(replace(unit, terms=())))
    extra = [t for t in dict.fromkeys(analyzer.tokens(" ".join(unit.terms))) if t not in text_tokens]
    return text_tokens + extra


def new_generation_name() -> str:
    return f"gen-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(3)}"


def write_generation(
    index_dir: Path,
    entries: Sequence[Entry],
    embedder: Embedder,
    *,
    chroma_url: str | None,
    collection_prefix: str,
    previous: Path | None,
    progress: bool,
    extra: Callable[[Path, dict[str, str]], None] | None = None,
    lexicon: Lexicon | None = None,
    before_switch: Callable[[Path], None] | None = None,
    curated: frozenset[str] | None = None,
    stats: dict[str, EmbedStats] | None = None,
) -> tuple[str, int]:
    """Write a complete generation and switch CURRENT to it. Returns (name, units embedded).

    ``curated``: ids of the units that come from a curated layer (None: every unit); the others are
    official-only and embedded lean (ingest/vectors.py). ``stats`` receives per-document embedding
    counts and seconds.

    ``extra(gen, stems)`` writes further files (the behaviour catalogue) before the manifest, so a
    failure there leaves a partial generation that is pruned, never a live one."""
    name = new_generation_name()
    gen = index_dir / name
    gen.mkdir(parents=True)
    units = [u for e in entries for u in e.units]
    docs = {e.document.id: e.document for e in entries}

    # Vectors: reuse by (unit id, content hash, lean or not); embed the rest.
    def lean(u: Unit) -> bool:
        return curated is not None and u.id not in curated

    def key(u: Unit) -> str:
        return u.content_hash + (LEAN_SUFFIX if lean(u) else "")

    # Official-only history, list items and Penjelasan get no vector (ingest/vectors.py
    # ``without_vector``); they stay in units.jsonl and lexical.json. A parent none of whose children is
    # left has nothing to derive from, so ``fill_vectors`` embeds it by its own lean text.
    present = {u.id for u in units}

    def official_only(uid: str) -> bool:
        return curated is not None and uid in present and uid not in curated

    dense = [u for u in units if not without_vector(u, docs[u.doc_id], official_only)]
    cached = _load_vectors(previous)
    vectors: list[np.ndarray | None] = [cached.get((u.id, key(u))) for u in dense]
    todo = sum(1 for v in vectors if v is None)
    bar = tqdm(total=todo, desc="embedding", unit="unit", disable=not progress or not todo)
    embedded = fill_vectors(
        dense,
        vectors,
        text_of=lambda u: lean_dense_text(u) if lean(u) else dense_text(u, docs[u.doc_id]),
        embed=lambda batch: [np.asarray(v, dtype=np.float32) for v in embedder.embed_documents(batch)],
        on_progress=bar.update,
        lean=lean,
        stats=stats,
    )
    bar.close()
    matrix = np.stack([v for v in vectors if v is not None]) if dense else np.zeros((0, 1), np.float32)

    # Lexical tokens, reusing the previous generation's by content hash.
    stems, by_hash = _load_lexical(previous)
    analyzer = Analyzer(Stemmer(stems))
    tokens: dict[str, list[str]] = {}
    for u in units:
        toks = by_hash.get((u.id, u.content_hash))
        tokens[u.id] = toks if toks is not None else _unique_terms(analyzer, u)

    with (gen / "units.jsonl").open("w", encoding="utf-8") as fh:
        for e in entries:
            fh.write(json.dumps({"type": "document", "data": document_to_dict(e.document)}) + "\n")
            for u in e.units:
                fh.write(json.dumps({"type": "unit", "data": unit_to_dict(u)}, ensure_ascii=False) + "\n")
    lexical = {
        "version": TEXT_VERSION,
        "tokens": tokens,
        "stems": analyzer.stemmer.cache,
        "by_hash": {u.id: [u.content_hash, tokens[u.id]] for u in units},
    }
    (gen / "lexical.json").write_text(json.dumps(lexical, ensure_ascii=False), encoding="utf-8")
    (gen / LEXICON_FILE).write_text(
        json.dumps((lexicon or Lexicon()).to_dict(), ensure_ascii=False), encoding="utf-8"
    )
    np.savez(
        gen / "vectors.npz",
        ids=np.array([u.id for u in dense]),
        hashes=np.array([key(u) for u in dense]),
        vectors=matrix,
        version=np.array(TEXT_VERSION),
    )

    collection = f"{collection_prefix}_{name}"
    store = ChromaStore(collection, path=None if chroma_url else gen / "chroma", url=chroma_url)
    store.add(
        ids=[u.id for u in dense],
        embeddings=[list(map(float, row)) for row in matrix],
        metadatas=[
            {"doc_id": u.doc_id, "label": u.label, "kind": u.kind, "text_kind": u.text_kind} for u in dense
        ],
        documents=[u.text for u in dense],
    )
    counts: dict[str, int] = {}
    for u in units:
        counts[u.doc_id] = counts.get(u.doc_id, 0) + 1
    manifest = Manifest(
        format=FORMAT_VERSION,
        generation=name,
        embedding_model=embedder.name,
        dim=int(matrix.shape[1]) if dense else 0,
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        chroma_url=chroma_url,
        chroma_collection=collection,
        documents=tuple(
            {
                "id": d.id,
                "label": d.label,
                "title": d.title,
                "status": d.status,
                "units": counts.get(d.id, 0),
                "content_hash": d.content_hash,
                "source_path": d.source_path,
                "official": d.official_source,
            }
            for d in docs.values()
        ),
    )
    if extra is not None:
        extra(gen, analyzer.stemmer.cache)
    (gen / "manifest.json").write_text(
        json.dumps(manifest.__dict__, indent=1, default=list), encoding="utf-8"
    )
    if before_switch is not None:
        before_switch(gen)  # more files of this generation (ingest/layers.py), written before it goes live
    _fsync_dir(gen)
    _switch(index_dir, name)
    return name, embedded


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _switch(index_dir: Path, name: str) -> None:
    tmp = index_dir / f".{CURRENT_FILE}.{os.getpid()}.tmp"
    tmp.write_text(name + "\n", encoding="utf-8")
    with tmp.open("rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, index_dir / CURRENT_FILE)
    _fsync_dir(index_dir)


def prune_generations(index_dir: Path, chroma_url: str | None, collection_prefix: str) -> None:
    """Remove partial generations of killed ingests and all but the newest KEEP_GENERATIONS."""
    live = current_generation(index_dir)
    gens = sorted((p for p in index_dir.glob("gen-*") if p.is_dir()), key=lambda p: p.name)
    complete = [g for g in gens if (g / "manifest.json").exists()]
    keep = {live} | set(complete[-KEEP_GENERATIONS:]) if live else set(complete[-KEEP_GENERATIONS:])
    for g in gens:
        if g in keep:
            continue
        if chroma_url:
            drop_collection(f"{collection_prefix}_{g.name}", url=chroma_url)
        shutil.rmtree(g, ignore_errors=True)
    for tmp in index_dir.glob(f".{CURRENT_FILE}.*.tmp"):
        tmp.unlink(missing_ok=True)


def elapsed(start: float) -> float:
    return time.perf_counter() - start
