"""Chroma behind a small adapter: the only module importing chromadb (besides the naive
baseline in evals). Embedded ``PersistentClient`` by default, ``HttpClient`` when a server URL
is configured. Distances are cosine (Chroma's default is L2)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from rag.errors import StoreError

log = logging.getLogger(__name__)


def _client(path: Path | None, url: str | None) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    try:
        if url:
            parsed = urlparse(url)
            return chromadb.HttpClient(
                host=parsed.hostname or "127.0.0.1",
                port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                ssl=parsed.scheme == "https",
                settings=chroma_settings,
            )
        if path is None:
            raise StoreError("an embedded Chroma store needs a path")
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    except StoreError:
        raise
    except Exception as exc:  # chromadb raises many types (ValueError, HTTP errors, Rust errors)
        where = url or str(path)
        raise StoreError(f"cannot open the Chroma store at {where}: {exc}") from exc


class ChromaStore:
    """One collection of unit vectors, addressed by unit id."""

    def __init__(self, collection: str, *, path: Path | None = None, url: str | None = None) -> None:
        self.collection_name = collection
        self.url = url
        self._client = _client(path, url)
        try:
            self._col = self._client.get_or_create_collection(
                collection, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
            )
        except Exception as exc:
            raise StoreError(f"cannot open Chroma collection {collection!r}: {exc}") from exc
        # A published generation's collection does not change, and counting it costs about a
        # millisecond a question; the writer (ingest) resets this in add().
        self._count: int | None = None

    def add(
        self,
        ids: Sequence[str],
        embeddings: Sequence[Sequence[float]],
        metadatas: Sequence[dict[str, str | int | float | bool]],
        documents: Sequence[str],
        batch: int = 256,
    ) -> None:
        self._count = None
        try:
            for start in range(0, len(ids), batch):
                end = start + batch
                self._col.add(
                    ids=list(ids[start:end]),
                    embeddings=[list(e) for e in embeddings[start:end]],
                    metadatas=list(metadatas[start:end]),
                    documents=list(documents[start:end]),
                )
        except Exception as exc:
            raise StoreError(f"writing to Chroma collection {self.collection_name!r} failed: {exc}") from exc

    def query(self, embedding: Sequence[float], k: int) -> list[tuple[str, float]]:
        """(unit id, cosine similarity), best first."""
        try:
            count = self._count or self._col.count()
            if count == 0:
                return []
            self._count = count
            res = self._col.query(
                query_embeddings=[list(embedding)], n_results=min(k, count), include=["distances"]
            )
        except Exception as exc:
            raise StoreError(f"querying Chroma collection {self.collection_name!r} failed: {exc}") from exc
        ids = res["ids"][0]
        dists = (res.get("distances") or [[1.0] * len(ids)])[0]
        return [(i, 1.0 - float(d)) for i, d in zip(ids, dists, strict=False)]

    def count(self) -> int:
        try:
            return int(self._col.count())
        except Exception as exc:
            raise StoreError(f"counting Chroma collection {self.collection_name!r} failed: {exc}") from exc

    def drop(self) -> None:
        self._count = None
        try:
            self._client.delete_collection(self.collection_name)
        except Exception as exc:
            log.warning("could not delete Chroma collection %s: %s", self.collection_name, exc)


def drop_collection(collection: str, *, path: Path | None = None, url: str | None = None) -> None:
    """Best-effort removal of an old generation's collection."""
    try:
        _client(path, url).delete_collection(collection)
    except Exception as exc:
        log.debug("no collection %s to drop: %s", collection, exc)
