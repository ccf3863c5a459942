"""netral's own exception hierarchy. Foreign exceptions are translated at the adapters.

NetralError
├── ConfigError            bad or missing settings
├── IndexError_
│   ├── IndexMissingError  no index has been built yet
│   └── ModelMismatchError the index was built with another embedding model
├── StoreError             the vector store (Chroma) failed
├── EmbeddingError         the embedding model failed to load or run
├── IngestError            a source file could not be ingested (carries the file name)
├── GoldFormatError        an eval gold file is malformed (carries file and line)
└── ChatModelError         the optional LLM failed (timeout, HTTP error, bad reply)
"""

from __future__ import annotations


class NetralError(Exception):
    """Base class of every error netral raises on purpose."""


class ConfigError(NetralError):
    pass


class IndexError_(NetralError):
    pass


class IndexMissingError(IndexError_):
    pass


class ModelMismatchError(IndexError_):
    pass


class StoreError(NetralError):
    pass


class EmbeddingError(NetralError):
    pass


class IngestError(NetralError):
    """A source could not be ingested. ``str(err)`` is a one-line message naming the file."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class GoldFormatError(NetralError):
    def __init__(self, path: str, line: int, reason: str) -> None:
        super().__init__(f"{path}:{line}: {reason}")
        self.path = path
        self.line = line
        self.reason = reason


class ChatModelError(NetralError):
    pass
