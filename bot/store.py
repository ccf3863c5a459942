"""What the bot remembers, in SQLite, with as little identity as possible.

* Users appear only as salted HMAC-SHA256 hashes (never the Telegram ID).
* Question text is never stored; questions only bump a counter per (day, verdict).
* Feedback rows (hashed user, verdict, cited labels, vote, time) are purged after
  ``retention_days``; ``delete_user`` removes every row of one user.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rag.settings import Settings

SALT_FILE_NAME = "bot_user_salt"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS question_counts (
    day TEXT NOT NULL,
    verdict TEXT NOT NULL,
    n INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, verdict)
);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_hash TEXT NOT NULL,
    verdict TEXT NOT NULL,
    labels TEXT NOT NULL,
    vote INTEGER NOT NULL,
    created_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS feedback_user ON feedback (user_hash);
CREATE INDEX IF NOT EXISTS feedback_time ON feedback (created_at);
"""


@dataclass(frozen=True)
class Stats:
    """Aggregates only: nothing here identifies a user."""

    questions: int
    verdicts: dict[str, int]
    feedback_up: int
    feedback_down: int


def load_or_create_salt(directory: Path) -> str:
    """The install's random salt, created once beside the DB with 0600 permissions."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / SALT_FILE_NAME
    try:
        # O_EXCL: two processes starting together must not both write a different salt.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(secrets.token_hex(32))
    return path.read_text(encoding="utf-8").strip()


class BotStore:
    """Thread-safe (one lock) SQLite store; every call is a few-row statement."""

    def __init__(self, path: Path | str, salt: str, retention_days: int = 30) -> None:
        if not salt:
            raise ValueError("salt must not be empty")
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._salt = salt.encode("utf-8")
        self.retention_days = retention_days
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)
        self.last_purge = 0.0

    @classmethod
    def from_settings(cls, settings: Settings) -> BotStore:
        path = settings.resolved_bot_db_path
        salt = (
            settings.user_hash_salt.get_secret_value()
            if settings.user_hash_salt
            else load_or_create_salt(path.parent)
        )
        return cls(path, salt, settings.retention_days)

    def user_hash(self, user_id: int) -> str:
        """Salted hash of a Telegram user ID; the only user key ever stored or logged."""
        return hmac.new(self._salt, str(user_id).encode(), hashlib.sha256).hexdigest()[:32]

    def record_question(self, verdict: str, now: float | None = None) -> None:
        """Count one answered question (no text, no user) under today's date."""
        day = time.strftime("%Y-%m-%d", time.gmtime(now if now is not None else time.time()))
        with self._lock:
            self._db.execute(
                "INSERT INTO question_counts (day, verdict, n) VALUES (?, ?, 1) "
                "ON CONFLICT (day, verdict) DO UPDATE SET n = n + 1",
                (day, verdict),
            )

    def record_feedback(
        self, user_hash: str, verdict: str, labels: Sequence[str], vote: int, now: float | None = None
    ) -> None:
        """Store one 👍 (vote=1) or 👎 (vote=-1)."""
        with self._lock:
            self._db.execute(
                "INSERT INTO feedback (user_hash, verdict, labels, vote, created_at) VALUES (?, ?, ?, ?, ?)",
                (user_hash, verdict, json.dumps(list(labels), ensure_ascii=False), vote, now or time.time()),
            )

    def feedback_rows(self, user_hash: str | None = None) -> list[tuple[str, str, list[str], int, float]]:
        """Feedback rows (user_hash, verdict, labels, vote, created_at), optionally for one user."""
        sql = "SELECT user_hash, verdict, labels, vote, created_at FROM feedback"
        args: tuple[str, ...] = ()
        if user_hash is not None:
            sql += " WHERE user_hash = ?"
            args = (user_hash,)
        with self._lock:
            rows = self._db.execute(sql + " ORDER BY id", args).fetchall()
        return [(u, v, json.loads(lbl), vote, ts) for u, v, lbl, vote, ts in rows]

    def delete_user(self, user_hash: str) -> int:
        """Delete everything stored about one user; returns the number of rows removed."""
        with self._lock:
            cur = self._db.execute("DELETE FROM feedback WHERE user_hash = ?", (user_hash,))
        return cur.rowcount

    def purge(self, now: float | None = None) -> int:
        """Delete feedback older than the retention period; returns the number removed."""
        now = now if now is not None else time.time()
        cutoff = now - self.retention_days * 86400
        with self._lock:
            cur = self._db.execute("DELETE FROM feedback WHERE created_at < ?", (cutoff,))
            self.last_purge = now
        return cur.rowcount

    def stats(self) -> Stats:
        with self._lock:
            verdicts = dict(
                self._db.execute(
                    "SELECT verdict, SUM(n) FROM question_counts GROUP BY verdict ORDER BY verdict"
                ).fetchall()
            )
            votes = dict(self._db.execute("SELECT vote, COUNT(*) FROM feedback GROUP BY vote").fetchall())
        return Stats(
            questions=sum(verdicts.values()),
            verdicts=verdicts,
            feedback_up=votes.get(1, 0),
            feedback_down=votes.get(-1, 0),
        )

    def close(self) -> None:
        with self._lock:
            self._db.close()
