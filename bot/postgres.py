"""The one module that imports psycopg (3) and psycopg_pool: a small connection pool and two helpers.

psycopg's exceptions are translated here into :class:`bot.store.BotStoreError`, so callers never
see a vendor exception. Every statement runs in its own short transaction (``with pool.connection()``
commits on success, rolls back on error).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from bot.store import BotStoreError


def _redact(url: str) -> str:
    """The URL without its password, for error messages."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "<invalid NETRAL_DATABASE_URL>"
    return f"postgresql://{info.get('user', '')}@{info.get('host', '')}:{info.get('port', '')}/{info.get('dbname', '')}"


class Database:
    """A pool of a few connections to one PostgreSQL database."""

    def __init__(self, url: str, *, min_size: int = 1, max_size: int = 4, timeout: float = 10.0) -> None:
        self.where = _redact(url)
        try:
            self._pool = ConnectionPool(
                url,
                min_size=min_size,
                max_size=max_size,
                timeout=timeout,
                open=False,
                kwargs={"autocommit": False},
            )
            self._pool.open(wait=True, timeout=timeout)
        except (psycopg.Error, PoolTimeout) as exc:
            raise BotStoreError(f"{self.where}: cannot connect to PostgreSQL ({type(exc).__name__})") from exc

    @contextlib.contextmanager
    def transaction(self) -> Iterator[psycopg.Cursor[Any]]:
        """One transaction on a pooled connection (committed when the block ends without error)."""
        try:
            with self._pool.connection() as conn, conn.cursor() as cur:
                yield cur
        except (psycopg.Error, PoolTimeout) as exc:
            raise BotStoreError(f"{self.where}: {type(exc).__name__}: {exc}".splitlines()[0]) from exc

    def execute(self, sql: str, args: Sequence[Any] = ()) -> int:
        """Run one statement; returns the affected row count."""
        with self.transaction() as cur:
            cur.execute(sql, args)  # type: ignore[arg-type]
            return cur.rowcount

    def fetch(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self.transaction() as cur:
            cur.execute(sql, args)  # type: ignore[arg-type]
            return list(cur.fetchall())

    def ping(self) -> bool:
        try:
            return self.fetch("SELECT 1") == [(1,)]
        except BotStoreError:
            return False

    def close(self) -> None:
        self._pool.close()
