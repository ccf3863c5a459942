"""The few seams of the system. Real implementations and test fakes both satisfy these."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

from rag.types import Answer, Document, Passage, Unit

if TYPE_CHECKING:
    from rag.retrieval import Retrieval


class Embedder(Protocol):
    """langchain's ``Embeddings`` shape plus a stable model name recorded in the index."""

    @property
    def name(self) -> str: ...

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


class Retriever(Protocol):
    def retrieve(self, question: str, k: int = 8) -> list[Passage]: ...


class ChatModel(Protocol):
    """A chat model that turns (system, user) prompts into text. Raises ChatModelError on failure."""

    def complete(self, system: str, user: str) -> str: ...


class Answerer(Protocol):
    def answer(self, question: str, previous_question: str | None = None) -> Answer:
        """Answer ``question``. ``previous_question`` is the chat's previous question, used as
        context for short follow-ups ("kalau share?")."""
        ...


class Service(Protocol):
    """What the front ends (CLI chat, Telegram bot, evals) need from the core."""

    def answer(self, question: str, previous_question: str | None = None) -> Answer: ...

    def documents(self) -> list[Document]:
        """Every document in the index, in a stable order."""
        ...

    def unit(self, label: str) -> tuple[Unit, Document] | None:
        """The indexed unit with this canonical label (compared with rag.labels.normalize_label)."""
        ...

    def reload(self) -> None:
        """Reopen the index (after a maintainer re-ingested)."""
        ...


class UnitIndex(Protocol):
    """What the answerer reads from an index generation (rag.index.IndexReader, or a test fake)."""

    @property
    def units(self) -> Mapping[str, Unit]: ...

    @property
    def documents(self) -> Mapping[str, Document]: ...

    def unit_by_label(self, label: str) -> Unit | None: ...

    def document_of(self, unit: Unit) -> Document: ...


class Searcher(Protocol):
    """Unit retrieval with its evidence (rag.retrieval.HybridRetriever, or a test fake)."""

    def search(self, question: str, k: int = 8) -> Retrieval: ...
