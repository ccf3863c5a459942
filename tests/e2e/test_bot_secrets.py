"""Issue 10, finding 6: at DEBUG the bot token appears in no log line, no exception and no file
under the data dir; neither do raw user ids or question text."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from rag.settings import Settings
from tests.conftest import ROOT
from tests.fakes.telegram_api import FakeTelegram, message_update

QUESTION = "Bolehkah PNS memakai mobil dinas untuk kampanye RAHASIA?"


async def test_debug_logging_leaks_no_token_user_id_or_question(
    full_settings: Settings, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(full_settings.data_dir, data_dir, ignore=shutil.ignore_patterns("bot*"))
    user_id = 918273777
    async with FakeTelegram() as tg:
        tg.push_update(message_update(tg, QUESTION, user_id=user_id))
        tg.fail_next("sendMessage", 1, status=500)  # a logged retry, with an exception behind it
        env = {
            **os.environ,
            "NETRAL_DATA_DIR": str(data_dir),
            "NETRAL_LOG_LEVEL": "DEBUG",
            "TELEGRAM_BOT_TOKEN": tg.token + "\n",  # a trailing newline is not part of the token
            "TELEGRAM_API_BASE_URL": tg.base_url,
        }
        proc = subprocess.Popen(
            [sys.executable, "-m", "netral", "-v", "bot", "--poll-timeout", "1"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            sent = await tg.wait_sent(1, chat_id=user_id, timeout=90)
        finally:
            proc.send_signal(signal.SIGTERM)
            out, err = await asyncio.to_thread(proc.communicate, timeout=30)
    assert "TIDAK BOLEH" in sent[0]["text"]
    assert proc.returncode == 0, err
    log = out + err
    assert "DEBUG" in log and "sending failed" in log  # DEBUG really was on, the retry was logged
    secret = tg.token.split(":", 1)[1]
    assert tg.token not in log and secret not in log
    assert str(user_id) not in log and "RAHASIA" not in log
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path
