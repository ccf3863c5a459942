"""bot/store.py and bot/limits.py on their own: privacy of deletes, broken files, budgets, retries."""

from __future__ import annotations

from pathlib import Path

import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.limits import Budgets, Recent, TokenBuckets
from bot.sending import RetryPolicy, next_delay
from bot.store import SALT_FILE_NAME, BotStore, BotStoreError, load_or_create_salt


def _raw_bytes(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*") if p.is_file())


def test_hapus_leaves_nothing_readable_in_the_db_or_wal(tmp_path: Path) -> None:
    db = tmp_path / "bot.sqlite3"
    store = BotStore(db, salt="s")
    marker = "LABEL-PENANDA-RAHASIA"
    victim = store.user_hash(1)
    for i in range(30):
        store.record_feedback(victim, "boleh", [f"{marker} {i}"], 1, answer_key=f"a{i}")
    store.record_feedback(store.user_hash(2), "boleh", ["lain"], 1, answer_key="b")
    assert marker.encode() in _raw_bytes(db)
    assert store.delete_user(victim) == 30
    raw = _raw_bytes(db)
    assert marker.encode() not in raw and victim.encode() not in raw
    assert [r[0] for r in store.feedback_rows()] == [store.user_hash(2)]


def test_a_lost_salt_drops_rows_no_one_can_delete_any_more(tmp_path: Path) -> None:
    db = tmp_path / "bot.sqlite3"
    store = BotStore(db, load_or_create_salt(tmp_path))
    store.record_feedback(store.user_hash(7), "boleh", ["X"], 1)
    store.close()
    (tmp_path / SALT_FILE_NAME).unlink()  # the salt file is lost
    store = BotStore(db, load_or_create_salt(tmp_path))
    assert store.feedback_rows() == []  # else /hapus would say "0 deleted" while the row stays
    store.record_feedback(store.user_hash(7), "boleh", ["X"], 1)
    store.close()
    store = BotStore(db, load_or_create_salt(tmp_path))  # same salt again: rows are kept
    assert store.delete_user(store.user_hash(7)) == 1


def test_an_empty_salt_file_is_replaced(tmp_path: Path) -> None:
    (tmp_path / SALT_FILE_NAME).write_text("")
    salt = load_or_create_salt(tmp_path)
    assert len(salt) == 64 and load_or_create_salt(tmp_path) == salt


def test_a_corrupt_db_is_one_line_naming_the_file(tmp_path: Path) -> None:
    db = tmp_path / "bot.sqlite3"
    db.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(BotStoreError) as err:
        BotStore(db, salt="s")
    message = str(err.value)
    assert str(db) in message and "\n" not in message and "move it aside" in message


def test_one_vote_per_user_and_answer(tmp_path: Path) -> None:
    store = BotStore(tmp_path / "bot.sqlite3", salt="s")
    u = store.user_hash(1)
    assert store.record_feedback(u, "boleh", [], 1, answer_key="k1")
    assert not store.record_feedback(u, "boleh", [], -1, answer_key="k1")
    assert store.record_feedback(u, "boleh", [], 1, answer_key="k2")
    assert store.stats().feedback_up == 2


def test_buttons_are_signed(tmp_path: Path) -> None:
    a, b = BotStore(tmp_path / "a.sqlite3", salt="s1"), BotStore(tmp_path / "b.sqlite3", salt="s2")
    assert a.sign("0:abc") == a.sign("0:abc") != b.sign("0:abc")
    assert a.sign("0:abc") != a.sign("1:abc")


# ----------------------------------------------------------------- limits

BUCKET_CASES = [
    # (per_minute, [(time, cost)], expected waits)
    (2, [(0, 1), (0, 1), (0, 1)], [0, 0, 30]),
    (2, [(0, 1), (0, 1), (30, 1)], [0, 0, 0]),
    (10, [(0, 5), (0, 5), (0, 0.5)], [0, 0, 3]),
]


@pytest.mark.parametrize(("per_minute", "actions", "waits"), BUCKET_CASES)
def test_token_bucket(per_minute: int, actions: list[tuple[float, float]], waits: list[float]) -> None:
    buckets = TokenBuckets(per_minute)
    assert [round(buckets.take("u", cost, now=t), 3) for t, cost in actions] == waits


def test_budgets_need_both_user_and_chat() -> None:
    budgets = Budgets(user_per_minute=10, chat_per_minute=3)
    waits = [budgets.take(f"user{i}", -1, now=0) for i in range(4)]
    assert waits[:3] == [0, 0, 0] and waits[3] > 0  # the group's budget is shared
    assert budgets.take("user0", 5, now=0) == 0  # another chat: the user still has budget
    # A refused action spends nothing.
    budgets = Budgets(user_per_minute=1, chat_per_minute=10)
    assert budgets.take("u", 1, now=0) == 0 and budgets.take("u", 1, now=0) > 0
    assert budgets.take("other", 1, now=0) == 0


def test_recent_window() -> None:
    recent = Recent(window=30)
    assert recent.first("k", now=0) and not recent.first("k", now=10) and recent.first("k", now=31)
    assert not recent.seen("x", now=0)
    recent.mark("x", now=0)
    assert recent.seen("x", now=29) and not recent.seen("x", now=30)


# ----------------------------------------------------------------- retry policy

POLICY = RetryPolicy(network_attempts=3, backoff_s=(0.5, 1.0), max_wait_s=10)
RETRY_CASES = [
    (NetworkError("Internal Server Error (500)"), 1, 0.0, 0.5),
    (NetworkError("Internal Server Error (500)"), 2, 0.0, 1.0),
    (NetworkError("Internal Server Error (500)"), 3, 0.0, None),
    (TimedOut("read timeout"), 1, 0.0, 0.5),
    (RetryAfter(2), 0, 0.0, 2.1),
    (RetryAfter(2), 0, 8.0, None),
    (BadRequest("chat not found"), 0, 0.0, None),
    (Forbidden("bot was blocked by the user"), 0, 0.0, None),
]


@pytest.mark.parametrize(("exc", "failures", "waited", "expected"), RETRY_CASES)
def test_next_delay(exc: Exception, failures: int, waited: float, expected: float | None) -> None:
    assert next_delay(exc, failures, waited, POLICY) == expected
