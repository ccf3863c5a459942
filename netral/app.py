"""Builds the running system from Settings: index reader, embedder, retriever, answerer."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

from rag.embeddings import make_embedder
from rag.errors import IndexMissingError
from rag.index import IndexReader, current_generation
from rag.lexical import Analyzer, Stemmer
from rag.normalize import normalize_text
from rag.protocols import Answerer, Embedder
from rag.retrieval import HybridRetriever
from rag.settings import Settings
from rag.types import Answer, Document, Unit

log = logging.getLogger(__name__)


def ensure_index(settings: Settings, progress: bool = True) -> None:
    """First run: build the index from the shipped knowledge dir, so the main job just works."""
    if current_generation(settings.index_dir) is not None:
        return
    if not settings.knowledge_dir.is_dir():
        raise IndexMissingError(f"no index in {settings.index_dir} and no knowledge dir to build it from")
    from ingest.pipeline import run_ingest

    print(f"Membangun indeks dari {settings.knowledge_dir} (sekali saja)…", file=sys.stderr)
    report = run_ingest(settings, [settings.knowledge_dir], progress=progress and sys.stderr.isatty())
    print(
        f"Indeks siap: {report.documents} dokumen, {report.units} unit ({report.seconds:.1f} s).",
        file=sys.stderr,
    )


class NetralService:
    """rag.protocols.Service over the live index generation."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        # The index first: a missing index or a model mismatch fails before a model is loaded.
        index = IndexReader.open(settings)
        self._embedder = embedder or make_embedder(settings)
        self._lock = threading.Lock()
        self._open(index)

    def _open(self, index: IndexReader | None = None) -> None:
        index = index or IndexReader.open(self.settings)
        # The lexicon comes with the generation, so /reload picks up a changed lexicon too.
        analyzer = Analyzer(Stemmer(index.stems), index.lexicon)
        retriever = HybridRetriever(index, self._embedder, analyzer)
        answerer = _make_answerer(self.settings, retriever, index, analyzer)
        with self._lock:
            self.index, self.retriever, self.answerer = index, retriever, answerer

    def answer(self, question: str, previous_question: str | None = None) -> Answer:
        # The single funnel every entry point (bot, ask, batch, chat, eval) answers through:
        # invisible characters must never change a verdict (rag/normalize.py).
        previous = normalize_text(previous_question) if previous_question else None
        return self.answerer.answer(normalize_text(question), previous or None)

    def documents(self) -> list[Document]:
        return sorted(self.index.documents.values(), key=lambda d: (d.status != "berlaku", d.type, d.label))

    def unit(self, label: str) -> tuple[Unit, Document] | None:
        unit = self.index.unit_by_label(label)
        return (unit, self.index.document_of(unit)) if unit else None

    def behaviour_ids(self) -> list[str]:
        """The catalogue's entry ids (the evals' behaviour-coverage table)."""
        return [b.id for b in self.index.catalogue.behaviours]

    def reload(self) -> None:
        self._open()


def _make_answerer(
    settings: Settings, retriever: HybridRetriever, index: IndexReader, analyzer: Analyzer
) -> Answerer:
    from rag.answer_extractive import ExtractiveAnswerer

    extractive = ExtractiveAnswerer(retriever, index, analyzer, k=settings.top_k)
    if settings.answer_mode != "llm":
        return extractive
    from rag.answer_llm import LLMAnswerer
    from rag.chat_model import make_chat_model

    return LLMAnswerer(
        retriever=retriever, fallback=extractive, chat=make_chat_model(settings), k=settings.top_k
    )


def build_service(settings: Settings, *, build_if_missing: bool = True) -> NetralService:
    if build_if_missing:
        ensure_index(settings)
    return NetralService(settings)


def project_path(*parts: str) -> Path:
    return Path(__file__).resolve().parent.parent.joinpath(*parts)
