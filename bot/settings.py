"""The Telegram front end's settings: the core :class:`rag.settings.Settings` plus everything only
the bot reads (token, webhook, limits, the state store). ``netral`` builds one ``BotSettings`` in
``main()`` and passes it down; the other sub-commands see it as plain ``Settings``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import NoDecode

from rag.settings import Settings

_PLACEHOLDERS = {"changeme", "change-me", "your-token-here", "<token>", "xxx", "isi-token-anda"}


def _env(*names: str) -> AliasChoices:
    return AliasChoices(*names)


class BotSettings(Settings):
    """Environment variables use the ``NETRAL_`` prefix; a few Telegram settings also accept the
    plain names Telegram tutorials use (``TELEGRAM_BOT_TOKEN``)."""

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

    # --- limits
    rate_limit_per_minute: int = 10
    # Every action (question, unit view, feedback, example button) also spends from a per-chat budget:
    # Telegram lets a bot send only ~20 messages a minute into one group, shared by all its members.
    chat_rate_limit_per_minute: int = 20
    unit_view_dedup_s: float = 30.0  # the same unit asked again in one chat within this window: not re-sent
    throttle_notice_window_s: float = 30.0  # at most one "too fast" notice per user and chat per window
    max_unit_messages: int = 3  # a unit view longer than this many messages is cut, with the official link
    max_question_chars: int = 1000

    # --- state
    durable_inbox: bool = True  # polling: store each update before confirming it, answer leftovers on start
    bot_db_path: Path | None = None  # default: <data_dir>/bot.sqlite3
    user_hash_salt: SecretStr | None = None  # default: a random salt stored in the data dir (or the DB)
    retention_days: int = 30
    # Shared state for several webhook replicas (postgresql://user:pass@host:5432/db); unset = SQLite.
    database_url: SecretStr | None = None
    database_pool_size: int = 4
    # Webhook replicas: an update a replica claimed but has not answered within this many seconds
    # is taken over by another replica when Telegram re-delivers it (the first one died).
    update_claim_lease_s: float = 60.0
    # Threads computing answers in the bot. 0 = automatic: 1 for extractive answers (CPU-bound; measured
    # 65 answers/s with 1 thread vs 35/s with 4 on 2 cores), 4 for LLM answers (waiting on the network).
    answer_workers: int = 0

    @property
    def resolved_answer_workers(self) -> int:
        if self.answer_workers > 0:
            return self.answer_workers
        return 4 if self.answer_mode == "llm" else 1

    @property
    def resolved_bot_db_path(self) -> Path:
        return self.bot_db_path or (self.data_dir / "bot.sqlite3")

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
    def _no_placeholder_token(self) -> BotSettings:
        token = self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else ""
        if token.strip().lower() in _PLACEHOLDERS:
            if self.environment == "production":
                raise ValueError("TELEGRAM_BOT_TOKEN is a placeholder; set the real token from @BotFather")
            self.telegram_bot_token = None
        return self
