"""The one state-store interface the handlers use, and the factory that picks its backend:
SQLite (:class:`bot.store.BotStore`, zero configuration, one process) by default, PostgreSQL
(:class:`bot.pg_store.PgBotStore`, shared by replicas) when ``NETRAL_DATABASE_URL`` is set."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.store import BotStore, Stats, load_or_create_salt
from rag.settings import Settings


class Budgets(Protocol):
    def take(self, user_key: str, chat_id: int, cost: float = 1.0, now: float | None = None) -> float: ...


class StateStore(Protocol):
    shared: bool
    retention_days: int

    def user_hash(self, user_id: int) -> str: ...
    def sign(self, text: str, length: int = 8) -> str: ...
    def budgets(self, user_per_minute: int, chat_per_minute: int) -> Budgets: ...
    def swap_context(
        self, chat_id: int, user_hash: str, question: str, ttl: float, now: float | None = None
    ) -> str | None: ...
    def clear_context(self, chat_id: int) -> None: ...
    def claim_update(self, update_id: int, now: float | None = None) -> bool: ...
    def mark_answered(self, update_id: int) -> None: ...
    def record_question(self, verdict: str, now: float | None = None) -> None: ...
    def count(self, name: str, n: int = 1) -> None: ...
    def counter(self, name: str) -> int: ...
    def record_feedback(
        self,
        user_hash: str,
        verdict: str,
        labels: Sequence[str],
        vote: int,
        now: float | None = None,
        answer_key: str | None = None,
    ) -> bool: ...
    def feedback_rows(self, user_hash: str | None = None) -> list[tuple[str, str, list[str], int, float]]: ...
    def delete_user(self, user_hash: str) -> int: ...
    def purge(self, now: float | None = None, context_ttl: float = 30 * 60) -> int: ...
    def stats(self) -> Stats: ...
    def ping(self) -> bool: ...
    def close(self) -> None: ...


def open_store(settings: Settings) -> StateStore:
    """PostgreSQL when ``NETRAL_DATABASE_URL`` is set (schema created or migrated now), else SQLite."""
    salt = settings.user_hash_salt.get_secret_value() if settings.user_hash_salt else None
    if settings.database_url:
        from bot.pg_store import PgBotStore

        return PgBotStore.connect(
            settings.database_url.get_secret_value(),
            salt,
            settings.retention_days,
            pool_size=settings.database_pool_size,
        )
    path = settings.resolved_bot_db_path
    return BotStore(path, salt or load_or_create_salt(path.parent), settings.retention_days)
