"""A poison update never stops the bot; a SIGKILL mid-burst loses and duplicates nothing."""

from __future__ import annotations

import asyncio
import collections
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_application
from bot.inbox import Inbox, SqliteInbox
from bot.store import BotStore
from tests.bot.conftest import FakeService, bot_settings
from tests.conftest import ROOT
from tests.fakes.telegram_api import FakeTelegram, message_update, running

SECRET_QUESTION = "Bolehkah PNS RAHASIA-PERTANYAAN ikut kampanye?"


def poison_update(tg: FakeTelegram, user_id: int) -> dict[str, Any]:
    """A message with a poll python-telegram-bot 22 cannot parse (an option lacks voter_count)."""
    update = message_update(tg, None, user_id=user_id)
    update["message"]["poll"] = {
        "id": "p",
        "question": SECRET_QUESTION,
        "options": [{"text": "ya"}],
        "total_voter_count": 0,
        "is_closed": False,
        "is_anonymous": True,
        "type": "regular",
        "allows_multiple_answers": False,
    }
    return update


async def test_a_poison_update_is_skipped_and_the_bot_keeps_answering(
    tg: FakeTelegram,
    fake_service: FakeService,
    store: BotStore,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    user_id = 918273001
    settings = bot_settings(tg, tmp_path)
    inbox = SqliteInbox(store.path)
    tg.push_update(message_update(tg, "pertanyaan sebelum", user_id=user_id))
    poison = tg.push_raw_update(poison_update(tg, user_id))
    tg.push_update(message_update(tg, "pertanyaan sesudah", user_id=user_id))
    app = build_application(settings, fake_service, store, overall_max_rate=0, inbox=inbox)
    async with running(app):
        await tg.wait_sent(2, chat_id=user_id)
        tg.push_raw_update(poison_update(tg, user_id))  # a poison update alone in its batch
        tg.push_update(message_update(tg, "pertanyaan ketiga", user_id=user_id))
        await tg.wait_sent(3, chat_id=user_id)
        await tg.wait_for(lambda: tg.pending == [], timeout=5)
    assert sorted(q for q, _ in fake_service.calls) == [
        "pertanyaan ketiga",
        "pertanyaan sebelum",
        "pertanyaan sesudah",
    ]
    assert len(tg.calls_to("getUpdates")) < 20  # no refetch loop
    assert f"skipped update {poison}" in caplog.text
    assert str(user_id) not in caplog.text and "RAHASIA-PERTANYAAN" not in caplog.text
    assert "pertanyaan sesudah" not in caplog.text


def test_inbox_contract(tmp_path: Path) -> None:
    inbox: Inbox = SqliteInbox(tmp_path / "bot.sqlite3")
    assert inbox.put_many([(1, "{}"), (2, "{}")]) == {1, 2}
    assert inbox.put_many([(2, "{}"), (3, "{}")]) == {3}  # re-delivered 2 is not new
    inbox.mark_answered(1)
    assert [u for u, _ in inbox.pending()] == [2, 3]
    inbox.mark_answered(2)
    inbox.mark_answered(3)
    assert inbox.pending() == [] and inbox.put_many([(3, "{}")]) == set()
    assert inbox.prune(now=time.time() + 10 * 86400) == 3


def _bot_process(tg: FakeTelegram, data_dir: Path, block_after: int | None) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "NETRAL_TEST_BASE_URL": tg.base_url,
        "NETRAL_TEST_TOKEN": tg.token,
        "NETRAL_TEST_DATA_DIR": str(data_dir),
    }
    if block_after is not None:
        env["NETRAL_TEST_BLOCK_AFTER"] = str(block_after)
    return subprocess.Popen(
        [sys.executable, "-m", "tests.bot.inbox_bot"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


async def test_sigkill_mid_burst_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    async with FakeTelegram() as tg:
        questions = []
        for i in range(60):
            chat = 8000 + i % 20
            update = message_update(tg, f"pertanyaan {i} dari {chat}", user_id=chat)
            tg.push_update(update)
            questions.append(update["message"]["message_id"])
        first = _bot_process(tg, tmp_path, block_after=12)
        try:
            await tg.wait_sent(12, timeout=60)
            # Every one of the 60 was fetched and acknowledged to Telegram: without the inbox
            # the 48 in flight would now be gone for good.
            await tg.wait_for(lambda: tg.pending == [], timeout=10)
            await asyncio.sleep(0.3)
        finally:
            first.send_signal(signal.SIGKILL)
            await asyncio.to_thread(first.wait, 10)
        answered_before = len(tg.sent())
        assert answered_before == 12
        restarted = time.perf_counter()
        second = _bot_process(tg, tmp_path, block_after=None)
        try:
            await tg.wait_sent(60, timeout=90)
            drain = time.perf_counter() - restarted
            await asyncio.sleep(1.0)  # a duplicate would arrive now
        finally:
            second.send_signal(signal.SIGTERM)
            _, err = await asyncio.to_thread(second.communicate, timeout=30)
    replies = collections.Counter(m["reply_parameters"]["message_id"] for m in tg.sent())
    assert sorted(replies) == sorted(questions), err
    assert max(replies.values()) == 1
    print(
        f"\ndurable inbox: {answered_before}/60 answered before SIGKILL, 60/60 after restart, drain {drain:.2f} s"
    )
