"""One contract for both state-store backends (SQLite default, PostgreSQL for replicas), and the
replica properties only the shared backend has: two stores on one PostgreSQL database behave as
two replicas of the bot."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.pg_store import SCHEMA_VERSION, PgBotStore, migrate
from bot.settings import BotSettings
from bot.state import StateStore, open_store
from bot.store import ANSWER_KEEP_S, BotStore, Remembered

TTL = 1800.0


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StateStore]:
    s: StateStore
    if request.param == "sqlite":
        s = BotStore(tmp_path / "bot.sqlite3", salt="test-salt", retention_days=30)
    else:
        s = PgBotStore.connect(request.getfixturevalue("postgres_url"), salt="test-salt", retention_days=30)
    yield s
    s.close()


def test_feedback_counters_and_stats(store: StateStore) -> None:
    u = store.user_hash(1)
    assert store.record_feedback(u, "dilarang", ["PP 94/2021 Pasal 5"], 1, answer_key="a1")
    assert not store.record_feedback(u, "dilarang", ["PP 94/2021 Pasal 5"], -1, answer_key="a1")  # one vote
    assert store.record_feedback(store.user_hash(2), "boleh", [], -1, answer_key="a1")
    store.record_question("dilarang")
    store.record_question("dilarang")
    store.count("undelivered")
    s = store.stats()
    assert (s.questions, s.verdicts, s.feedback_up, s.feedback_down, s.undelivered) == (
        2,
        {"dilarang": 2},
        1,
        1,
        1,
    )
    assert store.feedback_rows(u)[0][:4] == (u, "dilarang", ["PP 94/2021 Pasal 5"], 1)


def test_context_swaps_and_expires(store: StateStore) -> None:
    u = store.user_hash(1)
    assert store.swap_context(10, u, "q1", TTL, now=1000.0) is None
    assert store.swap_context(10, u, "q2", TTL, now=1010.0) == "q1"
    assert store.swap_context(11, u, "other chat", TTL, now=1010.0) is None
    assert store.swap_context(10, u, "q3", TTL, now=1010.0 + TTL + 1) is None  # expired
    store.clear_context(10)
    assert store.swap_context(10, u, "q4", TTL, now=5000.0) is None


def test_delete_user_removes_feedback_and_context_but_keeps_the_budget(store: StateStore) -> None:
    u, other = store.user_hash(1), store.user_hash(2)
    store.record_feedback(u, "dilarang", [], 1, answer_key="a")
    store.record_feedback(other, "dilarang", [], 1, answer_key="a")
    store.swap_context(10, u, "secret question", TTL, now=1000.0)
    budgets = store.budgets(2, 100)
    assert budgets.take(u, 10, now=1000.0) == 0
    assert budgets.take(u, 10, now=1000.0) == 0
    assert store.delete_user(u) == 1
    assert store.feedback_rows(u) == [] and len(store.feedback_rows(other)) == 1
    assert store.swap_context(10, u, "next", TTL, now=1001.0) is None  # context gone
    assert budgets.take(u, 10, now=1000.0) > 0  # /hapus does not buy a fresh quota


def test_budgets_user_and_chat(store: StateStore) -> None:
    budgets = store.budgets(3, 4)
    u1, u2 = store.user_hash(1), store.user_hash(2)
    assert [budgets.take(u1, 10, now=100.0) for _ in range(3)] == [0, 0, 0]
    wait = budgets.take(u1, 10, now=100.0)
    assert wait == pytest.approx(20.0)  # 3/min: one token every 20 s
    assert budgets.take(u2, 10, now=100.0) == 0  # the chat's 4th
    assert budgets.take(u2, 10, now=100.0) > 0  # chat budget spent, user budget left
    assert budgets.take(u1, 10, now=121.0) == 0  # refilled (user 1 token, chat 1.4)


def test_update_claimed_once_and_purge(store: StateStore) -> None:
    assert store.claim_update(1000)
    assert not store.claim_update(1000)
    assert store.claim_update(1001)
    u = store.user_hash(1)
    store.record_feedback(u, "dilarang", [], 1, now=0.0 + 1, answer_key="old")
    store.record_feedback(u, "dilarang", [], 1, answer_key="new")
    assert store.purge() == 1
    assert len(store.feedback_rows(u)) == 1
    assert store.ping()


def test_answers_are_remembered_for_their_buttons_then_forgotten(store: StateStore) -> None:
    memo = Remembered("dilarang", ("PP 94/2021 Pasal 5",), ("<b>Sumber</b> satu", "dua"))
    store.remember_answer("a1b2c3d4e5f6", memo, now=1000.0)
    assert store.recall_answer("a1b2c3d4e5f6", now=1000.0 + 60) == memo
    assert store.recall_answer("ffffffffffff", now=1000.0) is None
    assert store.recall_answer("a1b2c3d4e5f6", now=1000.0 + ANSWER_KEEP_S + 1) is None


# ---------------------------------------------------------------- replicas on one PostgreSQL


def test_two_replicas_share_salt_limits_context_and_update_ids(postgres_url: str) -> None:
    a = PgBotStore.connect(postgres_url)  # no configured salt: created once in the DB
    b = PgBotStore.connect(postgres_url)
    try:
        assert a.user_hash(42) == b.user_hash(42)
        assert a.sign("x") == b.sign("x")
        u = a.user_hash(42)
        ba, bb = a.budgets(2, 100), b.budgets(2, 100)
        assert ba.take(u, 1, now=50.0) == 0
        assert bb.take(u, 1, now=50.0) == 0
        assert ba.take(u, 1, now=50.0) > 0 and bb.take(u, 1, now=50.0) > 0  # counted across replicas
        assert a.swap_context(1, u, "Bolehkah like postingan calon?", TTL) is None
        assert b.swap_context(1, u, "kalau share?", TTL) == "Bolehkah like postingan calon?"
        assert a.claim_update(7) and not b.claim_update(7)
        b.record_feedback(u, "dilarang", [], 1, answer_key="k")
        assert a.delete_user(u) == 1 and b.feedback_rows(u) == []
        assert a.swap_context(1, u, "baru", TTL) is None  # /hapus on a cleared b's context too
        memo = Remembered("boleh", ("L",), ("detail",))
        a.remember_answer("0123456789ab", memo)
        assert b.recall_answer("0123456789ab") == memo  # a button works on the other replica
    finally:
        a.close()
        b.close()


def _settings(data_dir: Path, **overrides: object) -> BotSettings:
    return BotSettings(_env_file=None, data_dir=data_dir, environment="test", **overrides)  # type: ignore[call-arg, arg-type]


def test_schema_migration_is_idempotent_and_open_store_picks_postgres(
    postgres_url: str, tmp_path: Path
) -> None:
    settings = _settings(tmp_path, database_url=postgres_url)
    store = open_store(settings)
    try:
        assert isinstance(store, PgBotStore)
        assert migrate(store.db) == migrate(store.db) == SCHEMA_VERSION == 2
        assert not (tmp_path / "bot.sqlite3").exists()  # nothing local with PostgreSQL
    finally:
        store.close()
    assert isinstance(open_store(_settings(tmp_path)), BotStore)  # zero configuration: SQLite


def test_unreachable_database_is_one_clear_error(tmp_path: Path) -> None:
    from bot.store import BotStoreError

    with pytest.raises(BotStoreError, match="cannot connect to PostgreSQL") as err:
        PgBotStore.connect("postgresql://u:topsecret@127.0.0.1:1/db?connect_timeout=1")
    assert "topsecret" not in str(err.value)
