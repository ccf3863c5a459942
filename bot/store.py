"""What the bot remembers, in SQLite, with as little identity as possible.

* Users appear only as salted HMAC-SHA256 hashes (never the Telegram ID).
* Question text is never stored; questions only bump a counter per (day, verdict).
* Feedback rows (hashed user, verdict, cited labels, vote, time) are purged after
  ``retention_days``; ``delete_user`` removes every row of one user, and the deleted content is
  overwritten (``secure_delete``) and the write-ahead log truncated, so it is not left readable
  in ``bot.sqlite3-wal``.
* The DB records a fingerprint of the salt. Rows hashed with a salt that is no longer available
  (salt file lost, ``NETRAL_USER_HASH_SALT`` changed) can never be found by ``/hapus`` again, so
  they are deleted at start-up instead of lingering unreachable.
* One vote per (user, answer) is a unique key in the DB, so vote de-duplication survives restarts.

A broken DB or salt file is a :class:`BotStoreError`: one line naming the file, no traceback.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.limits import LRU, Budgets
from bot.settings import BotSettings
from rag.errors import NetralError

log = logging.getLogger(__name__)

SALT_FILE_NAME = "bot_user_salt"
SALT_CHECK = b"netral salt fingerprint v1"

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
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS counters (
    name TEXT PRIMARY KEY,
    n INTEGER NOT NULL DEFAULT 0
);
"""


class SaltedKeys:
    """The keyed hashes both stores derive from the salt (the same on every replica that shares
    it): user hashes, button MACs, chat keys, and the salt's fingerprint."""

    _salt: bytes

    def _mac(self, data: bytes) -> str:
        return hmac.new(self._salt, data, hashlib.sha256).hexdigest()

    def user_hash(self, user_id: int) -> str:
        """Salted hash of a Telegram user ID; the only user key ever stored or logged."""
        return self._mac(str(user_id).encode())[:32]

    def sign(self, text: str, length: int = 8) -> str:
        """A short keyed MAC of ``text`` (hex), to tell our own button data from forged data."""
        return self._mac(b"button:" + text.encode("utf-8"))[:length]

    def chat_key(self, chat_id: int) -> str:
        return self._mac(b"chat:" + str(chat_id).encode())[:32]

    def salt_fingerprint(self) -> str:
        return self._mac(SALT_CHECK)


class BotStoreError(NetralError):
    """The bot's DB or salt file is unusable; ``str(err)`` names the file and what to do."""


@dataclass(frozen=True)
class Stats:
    """Aggregates only: nothing here identifies a user."""

    questions: int
    verdicts: dict[str, int]
    feedback_up: int
    feedback_down: int
    undelivered: int = 0  # answers given up on after every retry (bot/sending.py)


ANSWER_KEEP_S = 86400.0  # a "Selengkapnya" or 👍/👎 button finds its answer this long


@dataclass(frozen=True)
class Remembered:
    """What an answer's buttons need later: the cited labels (for 👍/👎) and the rendered
    "Selengkapnya" messages (sources, full quotes, notes). No question text, no user."""

    verdict: str
    labels: tuple[str, ...]
    detail: tuple[str, ...]


def load_or_create_salt(directory: Path) -> str:
    """The install's random salt, created once beside the DB with 0600 permissions.

    An empty salt file (a crash between creating and writing it) is replaced by a new salt; rows
    hashed with an earlier salt are then dropped by :class:`BotStore` (see the module docstring).
    """
    path = directory / SALT_FILE_NAME
    try:
        directory.mkdir(parents=True, exist_ok=True)
        try:
            # O_EXCL: two processes starting together must not both write a different salt.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            salt = path.read_text(encoding="utf-8").strip()
            if salt:
                return salt
            log.warning("%s is empty; creating a new salt", path)
            tmp = path.with_name(f"{SALT_FILE_NAME}.{os.getpid()}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(secrets.token_hex(32))
            os.replace(tmp, path)
            return path.read_text(encoding="utf-8").strip()
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(secrets.token_hex(32))
        return path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or type(exc).__name__
        raise BotStoreError(f"{path}: cannot read or create the user-hash salt ({reason})") from exc


class BotStore(SaltedKeys):
    """Thread-safe (one lock) SQLite store; every call is a few-row statement.

    The zero-configuration backend for one process: rate-limit buckets, the follow-up context and
    the update ids already seen stay in memory, as before. :class:`bot.pg_store.PgBotStore` has
    the same interface over PostgreSQL for several replicas."""

    shared = False  # state is this process's own

    def __init__(self, path: Path | str, salt: str, retention_days: int = 30) -> None:
        if not salt:
            raise BotStoreError(f"{path}: the user-hash salt is empty")
        self.path = Path(path)
        self._salt = salt.encode("utf-8")
        self.retention_days = retention_days
        self._lock = threading.Lock()
        self.last_purge = 0.0
        self._context: LRU[int, tuple[str, str, float]] = LRU(50_000)  # chat -> (user, question, at)
        self._claimed: LRU[int, tuple[float, bool]] = LRU(100_000)  # id -> (claimed at, answered)
        self._answers: LRU[str, tuple[Remembered, float]] = LRU(5000)
        try:
            if str(path) != ":memory:":
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            # Deleted rows are overwritten with zeros, not merely unlinked (/hapus must mean it).
            self._db.execute("PRAGMA secure_delete=ON")
            self._db.executescript(_SCHEMA)
            self._migrate()
            self._check_salt()
        except sqlite3.DatabaseError as exc:
            raise BotStoreError(
                f"{path}: not a usable SQLite database ({exc}); move it aside and start again "
                "(a new, empty one is created)"
            ) from exc

    @classmethod
    def from_settings(cls, settings: BotSettings) -> BotStore:
        path = settings.resolved_bot_db_path
        salt = (
            settings.user_hash_salt.get_secret_value()
            if settings.user_hash_salt
            else load_or_create_salt(path.parent)
        )
        return cls(path, salt, settings.retention_days)

    @property
    def connection(self) -> sqlite3.Connection:
        """The DB connection, for sibling SQLite components (e.g. ``bot.inbox``); hold ``lock``."""
        return self._db

    @property
    def lock(self) -> threading.Lock:
        return self._lock

    def _migrate(self) -> None:
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(feedback)")}
        if "answer_key" not in columns:
            self._db.execute("ALTER TABLE feedback ADD COLUMN answer_key TEXT")
        self._db.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS feedback_one_vote ON feedback (user_hash, answer_key) "
            "WHERE answer_key IS NOT NULL"
        )

    def _check_salt(self) -> None:
        fingerprint = self.salt_fingerprint()
        row = self._db.execute("SELECT value FROM meta WHERE key = 'salt_fingerprint'").fetchone()
        if row is not None and row[0] != fingerprint:
            cur = self._db.execute("DELETE FROM feedback")
            log.warning(
                "the user-hash salt changed (salt file lost or NETRAL_USER_HASH_SALT changed): "
                "%d feedback rows under the old salt could no longer be deleted on request, deleted them",
                cur.rowcount,
            )
        self._db.execute(
            "INSERT INTO meta (key, value) VALUES ('salt_fingerprint', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (fingerprint,),
        )

    def budgets(self, user_per_minute: int, chat_per_minute: int) -> Budgets:
        return Budgets(user_per_minute, chat_per_minute)

    def swap_context(
        self, chat_id: int, user_hash: str, question: str, ttl: float, now: float | None = None
    ) -> str | None:
        """Keep ``question`` as the chat's last one (memory only); the previous one if younger than ``ttl``."""
        now = time.time() if now is None else now
        with self._lock:
            prev = self._context.get(chat_id)
            self._context.put(chat_id, (user_hash, question, now))
        return prev[1] if prev and now - prev[2] <= ttl else None

    def clear_context(self, chat_id: int) -> None:
        with self._lock:
            self._context.pop(chat_id)

    def claim_update(self, update_id: int, now: float | None = None, lease_s: float = 60.0) -> bool:
        """True the first time this process sees ``update_id`` (or when its claim is older than
        ``lease_s`` and still unanswered: as in PostgreSQL)."""
        now = time.time() if now is None else now
        with self._lock:
            found = self._claimed.get(update_id)
            if found is not None and (found[1] or now - found[0] < lease_s):
                return False
            self._claimed.put(update_id, (now, False))
        return True

    def update_answered(self, update_id: int) -> bool:
        with self._lock:
            found = self._claimed.get(update_id)
        return bool(found and found[1])

    def mark_answered(self, update_id: int) -> None:
        """In memory (the durable inbox records answers durably in polling mode)."""
        with self._lock:
            found = self._claimed.get(update_id)
            self._claimed.put(update_id, (found[0] if found else time.time(), True))

    def remember_answer(self, answer_id: str, memo: Remembered, now: float | None = None) -> None:
        """Memory only, like the follow-up context: lost on restart (the button then says so)."""
        with self._lock:
            self._answers.put(answer_id, (memo, time.time() if now is None else now))

    def recall_answer(self, answer_id: str, now: float | None = None) -> Remembered | None:
        now = time.time() if now is None else now
        with self._lock:
            found = self._answers.get(answer_id)
        return found[0] if found and now - found[1] <= ANSWER_KEEP_S else None

    def ping(self) -> bool:
        try:
            with self._lock:
                self._db.execute("SELECT 1").fetchone()
        except sqlite3.Error:
            return False
        return True

    def record_question(self, verdict: str, now: float | None = None) -> None:
        """Count one answered question (no text, no user) under today's date."""
        day = time.strftime("%Y-%m-%d", time.gmtime(now if now is not None else time.time()))
        with self._lock:
            self._db.execute(
                "INSERT INTO question_counts (day, verdict, n) VALUES (?, ?, 1) "
                "ON CONFLICT (day, verdict) DO UPDATE SET n = n + 1",
                (day, verdict),
            )

    def count(self, name: str, n: int = 1) -> None:
        """Bump a named operational counter (e.g. ``undelivered``); aggregates only."""
        with self._lock:
            self._db.execute(
                "INSERT INTO counters (name, n) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET n = n + ?",
                (name, n, n),
            )

    def counter(self, name: str) -> int:
        with self._lock:
            row = self._db.execute("SELECT n FROM counters WHERE name = ?", (name,)).fetchone()
        return int(row[0]) if row else 0

    def record_feedback(
        self,
        user_hash: str,
        verdict: str,
        labels: Sequence[str],
        vote: int,
        now: float | None = None,
        answer_key: str | None = None,
    ) -> bool:
        """Store one 👍 (vote=1) or 👎 (vote=-1); False when this user already voted on ``answer_key``."""
        with self._lock:
            cur = self._db.execute(
                "INSERT OR IGNORE INTO feedback (user_hash, verdict, labels, vote, created_at, answer_key) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    user_hash,
                    verdict,
                    json.dumps(list(labels), ensure_ascii=False),
                    vote,
                    now or time.time(),
                    answer_key,
                ),
            )
        return cur.rowcount == 1

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
        """Delete everything stored about one user; returns the number of rows removed.

        The rows are overwritten in the DB file (secure_delete) and the WAL, which still holds
        the pages as they were, is checkpointed and truncated.
        """
        with self._lock:
            cur = self._db.execute("DELETE FROM feedback WHERE user_hash = ?", (user_hash,))
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            for chat_id in [c for c, (u, _, _) in self._context.items() if u == user_hash]:
                self._context.pop(chat_id)
        return cur.rowcount

    def purge(self, now: float | None = None, context_ttl: float = 30 * 60) -> int:
        """Delete feedback older than the retention period; returns the number removed."""
        now = now if now is not None else time.time()
        cutoff = now - self.retention_days * 86400
        with self._lock:
            cur = self._db.execute("DELETE FROM feedback WHERE created_at < ?", (cutoff,))
            if cur.rowcount:
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
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
            row = self._db.execute("SELECT n FROM counters WHERE name = 'undelivered'").fetchone()
        return Stats(
            questions=sum(verdicts.values()),
            verdicts=verdicts,
            feedback_up=votes.get(1, 0),
            feedback_down=votes.get(-1, 0),
            undelivered=int(row[0]) if row else 0,
        )

    def close(self) -> None:
        with self._lock:
            self._db.close()
