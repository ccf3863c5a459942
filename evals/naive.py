"""The naive RAG baseline ``netral bench`` compares against: the same knowledge/*.md files
(front matter stripped) cut by langchain's RecursiveCharacterTextSplitter(1000, 200), embedded
with the same embedder into a separate cosine Chroma collection, top-k similarity search.

Chunks know only their source file, so the baseline is scored at document level."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from evals.gold import GoldCase
from rag.labels import label_matches, normalize_label
from rag.protocols import Embedder
from rag.store import ChromaStore

CHUNK_SIZE = 1000
CHUNK_OVERLAP = 200


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """(front matter, body) of a knowledge file; ({}, text) when it has no front matter."""
    if not text.startswith("---"):
        return {}, text
    lines = text.splitlines(keepends=True)
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            meta = yaml.safe_load("".join(lines[1:i])) or {}
            return (meta if isinstance(meta, dict) else {}), "".join(lines[i + 1 :])
    return {}, text


@dataclass(frozen=True)
class Chunk:
    doc: str  # document label from the source file's front matter
    text: str


def knowledge_chunks(knowledge_dir: Path) -> list[Chunk]:
    """Every *.md file with a front-matter ``label`` (FORMAT.md and other docs have none)."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
    chunks: list[Chunk] = []
    for path in sorted(knowledge_dir.glob("*.md")):
        meta, body = split_front_matter(path.read_text(encoding="utf-8"))
        label = meta.get("label")
        if not isinstance(label, str) or not body.strip():
            continue
        chunks += [Chunk(label, t) for t in splitter.split_text(body)]
    return chunks


class NaiveIndex:
    """A separate Chroma collection of naive chunks, in a temporary directory, through the same
    store adapter as the real index."""

    def __init__(self, chunks: Sequence[Chunk], embedder: Embedder, batch: int = 64) -> None:
        self._embedder = embedder
        self.chunks = list(chunks)
        self._dir = tempfile.TemporaryDirectory(prefix="netral-naive-")
        self._store = ChromaStore(f"naive-{uuid.uuid4().hex}", path=Path(self._dir.name))
        for start in range(0, len(self.chunks), batch):
            part = self.chunks[start : start + batch]
            self._store.add(
                ids=[str(start + i) for i in range(len(part))],
                embeddings=embedder.embed_documents([c.text for c in part]),
                metadatas=[{"doc": c.doc} for c in part],
                documents=[c.text for c in part],
            )

    @property
    def doc_labels(self) -> list[str]:
        return sorted({c.doc for c in self.chunks})

    def search_docs(self, question: str, k: int) -> list[str]:
        """Document labels of the top-k chunks, in rank order (repeats kept)."""
        if not self.chunks:
            return []
        hits = self._store.query(self._embedder.embed_query(question), min(k, len(self.chunks)))
        return [self.chunks[int(chunk_id)].doc for chunk_id, _ in hits]


def document_of(label: str, doc_labels: Iterable[str]) -> str | None:
    """The document a citation label belongs to: the longest known document label it starts with."""
    best: str | None = None
    for doc in doc_labels:
        if label_matches(doc, label) and (best is None or len(doc) > len(best)):
            best = doc
    return best


def case_documents(case: GoldCase, doc_labels: Iterable[str]) -> set[str]:
    """Normalized documents of every must_cite label of a case (labels of unknown documents drop out)."""
    docs = list(doc_labels)
    out: set[str] = set()
    for group in case.must_cite:
        for label in group:
            doc = document_of(label, docs)
            if doc is not None:
                out.add(normalize_label(doc))
    return out


def doc_hit(case: GoldCase, retrieved_docs: Sequence[str], doc_labels: Iterable[str], k: int) -> bool:
    """Whether any of the first k retrieved documents is a document the case must cite."""
    wanted = case_documents(case, doc_labels)
    return any(normalize_label(d) in wanted for d in retrieved_docs[:k])
