"""The durable inbox: every update is stored before Telegram is told we have it.

Telegram forgets an update once a later ``getUpdates`` carries a higher offset. python-telegram-bot
sends that offset as soon as the update is *queued*, so a hard kill (SIGKILL, OOM, power loss)
used to lose every question that was fetched but not yet answered. With the inbox:

1. ``put_many`` stores the fetched updates (one transaction, fsynced) *before* ``getUpdates``
   returns to the Updater, i.e. before the next call acknowledges them (``bot/polling.py``);
2. after an update was handled, ``mark_answered`` records it and drops its payload (question text
   is kept only while it is unanswered);
3. on start, ``pending`` returns the stored updates that were never answered; they are handled
   first;
4. ``put_many`` reports which ids are new: an update Telegram delivers again (because the crash
   came before its acknowledgement) is not handled a second time.

The one remaining window: an answer delivered in the milliseconds before ``mark_answered`` and a
kill at that instant is answered again after the restart (a duplicate, never silence).

``Inbox`` is the seam; ``SqliteInbox`` is the default backend (the bot's own SQLite file). Another
backend (PostgreSQL for several replicas) implements the same four methods; ``put_many`` must be
atomic and "new" must mean "this replica inserted it" (``INSERT … ON CONFLICT DO NOTHING RETURNING``).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol, runtime_checkable

from bot.store import BotStoreError

ANSWERED_KEEP_S = 2 * 86400  # answered ids are kept this long to recognise a late re-delivery

_SCHEMA = """
CREATE TABLE IF NOT EXISTS inbox (
    update_id INTEGER PRIMARY KEY,
    payload TEXT,
    received_at REAL NOT NULL,
    answered_at REAL
);
CREATE INDEX IF NOT EXISTS inbox_pending ON inbox (answered_at, update_id);
"""


@runtime_checkable
class Inbox(Protocol):
    def put_many(self, items: Iterable[tuple[int, str]]) -> set[int]:
        """Store (update_id, JSON payload) pairs atomically; returns the ids not seen before."""
        ...

    def pending(self) -> list[tuple[int, str]]:
        """Stored updates never marked answered, oldest first."""
        ...

    def mark_answered(self, update_id: int) -> None: ...

    def prune(self, now: float | None = None) -> int:
        """Forget answered ids older than ``ANSWERED_KEEP_S``; returns how many."""
        ...


class SqliteInbox:
    """``Inbox`` in a SQLite file (by default the bot's ``bot.sqlite3``), its own connection."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        try:
            self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")  # stored means on disk, before the ack
            self._db.execute("PRAGMA secure_delete=ON")
            self._db.execute("PRAGMA busy_timeout=5000")
            self._db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise BotStoreError(f"{path}: not a usable SQLite database ({exc}); move it aside") from exc

    def put_many(self, items: Iterable[tuple[int, str]]) -> set[int]:
        now = time.time()
        new: set[int] = set()
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for update_id, payload in items:
                    cur = self._db.execute(
                        "INSERT OR IGNORE INTO inbox (update_id, payload, received_at) VALUES (?, ?, ?)",
                        (update_id, payload, now),
                    )
                    if cur.rowcount == 1:
                        new.add(update_id)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return new

    def pending(self) -> list[tuple[int, str]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT update_id, payload FROM inbox WHERE answered_at IS NULL AND payload IS NOT NULL "
                "ORDER BY update_id"
            ).fetchall()
        return [(int(u), str(p)) for u, p in rows]

    def mark_answered(self, update_id: int) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE inbox SET answered_at = ?, payload = NULL WHERE update_id = ?",
                (time.time(), update_id),
            )

    def prune(self, now: float | None = None) -> int:
        cutoff = (now if now is not None else time.time()) - ANSWERED_KEEP_S
        with self._lock:
            cur = self._db.execute(
                "DELETE FROM inbox WHERE answered_at IS NOT NULL AND answered_at < ?", (cutoff,)
            )
        return cur.rowcount

    def close(self) -> None:
        with self._lock:
            self._db.close()
