"""The bot's state in PostgreSQL, shared by every replica (``NETRAL_DATABASE_URL``).

Same interface and privacy rules as the SQLite :class:`bot.store.BotStore` (hashed users, no
question text except the chat's last question for follow-ups, with expiry), plus what a single
process could keep in memory and several replicas cannot:

* rate-limit buckets (one row per user / chat key, updated under ``SELECT … FOR UPDATE``), so a
  user's limit counts across replicas;
* the follow-up context per chat (question + time, expires after ``ttl``), so a follow-up that
  lands on the other replica still sees the previous question;
* update de-duplication by ``update_id`` (``INSERT … ON CONFLICT DO NOTHING``): an update Telegram
  re-delivers to another replica is answered once;
* the user-hash salt (``meta``), created once by whichever replica starts first, so every
  replica hashes a user to the same key (unless ``NETRAL_USER_HASH_SALT`` is set).

The schema is created or migrated at start (``meta.schema_version``), under an advisory lock so
replicas starting together do not race.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Sequence

from bot.limits import Costs
from bot.postgres import Database
from bot.store import ANSWER_KEEP_S, Remembered, SaltedKeys, Stats

SCHEMA_VERSION = 2
_LOCK_ID = 7316021  # pg_advisory_xact_lock key for migrations
UPDATE_KEEP_S = 2 * 86400  # update ids are remembered this long to recognise a late re-delivery

_MIGRATIONS: dict[int, str] = {
    1: """
CREATE TABLE IF NOT EXISTS question_counts (
    day TEXT NOT NULL, verdict TEXT NOT NULL, n BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (day, verdict));
CREATE TABLE IF NOT EXISTS feedback (
    id BIGSERIAL PRIMARY KEY, user_hash TEXT NOT NULL, verdict TEXT NOT NULL, labels TEXT NOT NULL,
    vote INTEGER NOT NULL, created_at DOUBLE PRECISION NOT NULL, answer_key TEXT);
CREATE INDEX IF NOT EXISTS feedback_user ON feedback (user_hash);
CREATE INDEX IF NOT EXISTS feedback_time ON feedback (created_at);
CREATE UNIQUE INDEX IF NOT EXISTS feedback_one_vote ON feedback (user_hash, answer_key)
    WHERE answer_key IS NOT NULL;
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, n BIGINT NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS buckets (
    key TEXT PRIMARY KEY, tokens DOUBLE PRECISION NOT NULL, updated DOUBLE PRECISION NOT NULL);
CREATE TABLE IF NOT EXISTS chat_context (
    chat_key TEXT PRIMARY KEY, user_hash TEXT NOT NULL, question TEXT NOT NULL,
    at DOUBLE PRECISION NOT NULL);
CREATE INDEX IF NOT EXISTS chat_context_user ON chat_context (user_hash);
CREATE TABLE IF NOT EXISTS updates (
    update_id BIGINT PRIMARY KEY, received_at DOUBLE PRECISION NOT NULL,
    answered_at DOUBLE PRECISION);
""",
    # The buttons under an answer work on every replica: cited labels and rendered detail.
    2: """
CREATE TABLE IF NOT EXISTS answers (
    answer_key TEXT PRIMARY KEY, verdict TEXT NOT NULL, labels TEXT NOT NULL, detail TEXT NOT NULL,
    at DOUBLE PRECISION NOT NULL);
CREATE INDEX IF NOT EXISTS answers_time ON answers (at);
""",
}


def migrate(db: Database) -> int:
    """Create or upgrade the schema; returns the version now in place."""
    with db.transaction() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_ID,))
        cur.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        cur.execute("SELECT value FROM meta WHERE key = 'schema_version'")
        row = cur.fetchone()
        current = int(row[0]) if row else 0
        for version in sorted(v for v in _MIGRATIONS if v > current):
            cur.execute(_MIGRATIONS[version])  # type: ignore[arg-type]
            current = version
        cur.execute(
            "INSERT INTO meta (key, value) VALUES ('schema_version', %s) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (str(current),),
        )
    return current


def shared_salt(db: Database) -> str:
    """The salt every replica uses: created once (first writer wins), then read back."""
    db.execute(
        "INSERT INTO meta (key, value) VALUES ('user_hash_salt', %s) ON CONFLICT (key) DO NOTHING",
        (secrets.token_hex(32),),
    )
    return str(db.fetch("SELECT value FROM meta WHERE key = 'user_hash_salt'")[0][0])


class PgBudgets:
    """:class:`bot.limits.Budgets` in PostgreSQL: the user's and the chat's buckets, both or neither."""

    def __init__(self, db: Database, user_per_minute: int, chat_per_minute: int) -> None:
        self._db = db
        self.costs = Costs()
        self._caps = {"u": float(max(user_per_minute, 1)), "c": float(max(chat_per_minute, 1))}

    def take(self, user_key: str, chat_id: int, cost: float = 1.0, now: float | None = None) -> float:
        """Spend ``cost`` from both buckets; 0 when allowed, else the seconds to wait (nothing spent)."""
        now = time.time() if now is None else now
        keys = sorted([("c", f"c:{chat_id}"), ("u", f"u:{user_key}")], key=lambda k: k[1])
        with self._db.transaction() as cur:
            levels: dict[str, float] = {}
            for kind, key in keys:  # sorted: two replicas lock the same rows in the same order
                cap = self._caps[kind]
                cur.execute(
                    "INSERT INTO buckets (key, tokens, updated) VALUES (%s, %s, %s) ON CONFLICT (key) DO NOTHING",
                    (key, cap, now),
                )
                cur.execute("SELECT tokens, updated FROM buckets WHERE key = %s FOR UPDATE", (key,))
                row = cur.fetchone()
                assert row is not None
                tokens, updated = float(row[0]), float(row[1])
                levels[key] = min(cap, tokens + max(0.0, now - updated) * cap / 60.0)
            wait = max(
                0.0 if levels[key] >= cost else (cost - levels[key]) / (self._caps[kind] / 60.0)
                for kind, key in keys
            )
            if not wait:
                for _, key in keys:
                    cur.execute(
                        "UPDATE buckets SET tokens = %s, updated = %s WHERE key = %s",
                        (levels[key] - cost, now, key),
                    )
        return wait


class PgBotStore(SaltedKeys):
    """The :class:`bot.store.BotStore` interface over a shared PostgreSQL database."""

    shared = True  # state is visible to every replica

    def __init__(self, db: Database, salt: str | None = None, retention_days: int = 30) -> None:
        self.db = db
        self.path = db.where
        migrate(db)
        self._salt = (salt or shared_salt(db)).encode("utf-8")
        if not self._salt:
            raise ValueError("salt must not be empty")
        self.retention_days = retention_days
        self.last_purge = 0.0
        self._check_salt()

    @classmethod
    def connect(
        cls, url: str, salt: str | None = None, retention_days: int = 30, pool_size: int = 4
    ) -> PgBotStore:
        return cls(Database(url, max_size=pool_size), salt, retention_days)

    def _check_salt(self) -> None:
        # As in SQLite: rows hashed with a salt no longer in use can never be found by /hapus.
        fingerprint = self.salt_fingerprint()
        rows = self.db.fetch("SELECT value FROM meta WHERE key = 'salt_fingerprint'")
        if rows and rows[0][0] != fingerprint:
            self.db.execute("DELETE FROM feedback")
            self.db.execute("DELETE FROM chat_context")
        self.db.execute(
            "INSERT INTO meta (key, value) VALUES ('salt_fingerprint', %s) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (fingerprint,),
        )

    # ------------------------------------------------------------ limits and context

    def budgets(self, user_per_minute: int, chat_per_minute: int) -> PgBudgets:
        return PgBudgets(self.db, user_per_minute, chat_per_minute)

    def swap_context(
        self, chat_id: int, user_hash: str, question: str, ttl: float, now: float | None = None
    ) -> str | None:
        """Store ``question`` as the chat's last one; return the previous one if younger than ``ttl``."""
        now = time.time() if now is None else now
        key = self.chat_key(chat_id)
        with self.db.transaction() as cur:
            cur.execute("SELECT question, at FROM chat_context WHERE chat_key = %s FOR UPDATE", (key,))
            row = cur.fetchone()
            cur.execute(
                "INSERT INTO chat_context (chat_key, user_hash, question, at) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (chat_key) DO UPDATE SET user_hash = excluded.user_hash, "
                "question = excluded.question, at = excluded.at",
                (key, user_hash, question, now),
            )
        if row and now - float(row[1]) <= ttl:
            return str(row[0])
        return None

    def clear_context(self, chat_id: int) -> None:
        self.db.execute("DELETE FROM chat_context WHERE chat_key = %s", (self.chat_key(chat_id),))

    def claim_update(self, update_id: int, now: float | None = None, lease_s: float = 60.0) -> bool:
        """True for the first replica that sees ``update_id``; False for a re-delivery, unless the
        claim is older than ``lease_s`` and still unanswered (the replica holding it died): then
        this replica takes it over."""
        now = time.time() if now is None else now
        if (
            self.db.execute(
                "INSERT INTO updates (update_id, received_at) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                (update_id, now),
            )
            == 1
        ):
            return True
        return (
            self.db.execute(
                "UPDATE updates SET received_at = %s "
                "WHERE update_id = %s AND answered_at IS NULL AND received_at < %s",
                (now, update_id, now - lease_s),
            )
            == 1
        )

    def update_answered(self, update_id: int) -> bool:
        rows = self.db.fetch("SELECT answered_at FROM updates WHERE update_id = %s", (update_id,))
        return bool(rows and rows[0][0] is not None)

    def mark_answered(self, update_id: int) -> None:
        self.db.execute("UPDATE updates SET answered_at = %s WHERE update_id = %s", (time.time(), update_id))

    def remember_answer(self, answer_id: str, memo: Remembered, now: float | None = None) -> None:
        self.db.execute(
            "INSERT INTO answers (answer_key, verdict, labels, detail, at) VALUES (%s, %s, %s, %s, %s) "
            "ON CONFLICT (answer_key) DO NOTHING",
            (
                answer_id,
                memo.verdict,
                json.dumps(list(memo.labels), ensure_ascii=False),
                json.dumps(list(memo.detail), ensure_ascii=False),
                time.time() if now is None else now,
            ),
        )

    def recall_answer(self, answer_id: str, now: float | None = None) -> Remembered | None:
        now = time.time() if now is None else now
        rows = self.db.fetch(
            "SELECT verdict, labels, detail FROM answers WHERE answer_key = %s AND at >= %s",
            (answer_id, now - ANSWER_KEEP_S),
        )
        if not rows:
            return None
        verdict, labels, detail = rows[0]
        return Remembered(str(verdict), tuple(json.loads(labels)), tuple(json.loads(detail)))

    # ------------------------------------------------------------ counters and feedback

    def record_question(self, verdict: str, now: float | None = None) -> None:
        day = time.strftime("%Y-%m-%d", time.gmtime(now if now is not None else time.time()))
        self.db.execute(
            "INSERT INTO question_counts (day, verdict, n) VALUES (%s, %s, 1) "
            "ON CONFLICT (day, verdict) DO UPDATE SET n = question_counts.n + 1",
            (day, verdict),
        )

    def count(self, name: str, n: int = 1) -> None:
        self.db.execute(
            "INSERT INTO counters (name, n) VALUES (%s, %s) ON CONFLICT (name) DO UPDATE SET n = counters.n + %s",
            (name, n, n),
        )

    def counter(self, name: str) -> int:
        rows = self.db.fetch("SELECT n FROM counters WHERE name = %s", (name,))
        return int(rows[0][0]) if rows else 0

    def record_feedback(
        self,
        user_hash: str,
        verdict: str,
        labels: Sequence[str],
        vote: int,
        now: float | None = None,
        answer_key: str | None = None,
    ) -> bool:
        return (
            self.db.execute(
                "INSERT INTO feedback (user_hash, verdict, labels, vote, created_at, answer_key) "
                "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (
                    user_hash,
                    verdict,
                    json.dumps(list(labels), ensure_ascii=False),
                    vote,
                    now or time.time(),
                    answer_key,
                ),
            )
            == 1
        )

    def feedback_rows(self, user_hash: str | None = None) -> list[tuple[str, str, list[str], int, float]]:
        sql = "SELECT user_hash, verdict, labels, vote, created_at FROM feedback"
        args: tuple[str, ...] = ()
        if user_hash is not None:
            sql += " WHERE user_hash = %s"
            args = (user_hash,)
        rows = self.db.fetch(sql + " ORDER BY id", args)
        return [(u, v, json.loads(lbl), int(vote), float(ts)) for u, v, lbl, vote, ts in rows]

    def delete_user(self, user_hash: str) -> int:
        """Delete the user's feedback and every follow-up context they left; returns feedback rows removed.
        Rate-limit buckets stay (deleting one's data must not buy a fresh quota)."""
        with self.db.transaction() as cur:
            cur.execute("DELETE FROM feedback WHERE user_hash = %s", (user_hash,))
            removed = cur.rowcount
            cur.execute("DELETE FROM chat_context WHERE user_hash = %s", (user_hash,))
        return removed

    def purge(self, now: float | None = None, context_ttl: float = 30 * 60) -> int:
        """Retention: old feedback, expired contexts, old update ids, idle buckets."""
        now = now if now is not None else time.time()
        with self.db.transaction() as cur:
            cur.execute("DELETE FROM feedback WHERE created_at < %s", (now - self.retention_days * 86400,))
            removed = cur.rowcount
            cur.execute("DELETE FROM chat_context WHERE at < %s", (now - context_ttl,))
            cur.execute("DELETE FROM updates WHERE received_at < %s", (now - UPDATE_KEEP_S,))
            cur.execute("DELETE FROM buckets WHERE updated < %s", (now - 86400,))
            cur.execute("DELETE FROM answers WHERE at < %s", (now - ANSWER_KEEP_S,))
        self.last_purge = now
        return removed

    def stats(self) -> Stats:
        verdicts = {
            str(v): int(n)
            for v, n in self.db.fetch(
                "SELECT verdict, SUM(n) FROM question_counts GROUP BY verdict ORDER BY verdict"
            )
        }
        votes = {
            int(v): int(n) for v, n in self.db.fetch("SELECT vote, COUNT(*) FROM feedback GROUP BY vote")
        }
        return Stats(
            questions=sum(verdicts.values()),
            verdicts=verdicts,
            feedback_up=votes.get(1, 0),
            feedback_down=votes.get(-1, 0),
            undelivered=self.counter("undelivered"),
        )

    def ping(self) -> bool:
        return self.db.ping()

    def close(self) -> None:
        self.db.close()
