"""The main job as a user starts it: `netral start` with a token runs the real bot process, which
answers through the fake Bot API server on 127.0.0.1 and stops cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys

from rag.settings import Settings
from tests.conftest import ROOT
from tests.fakes.telegram_api import FakeTelegram, message_update


async def test_start_with_a_token_runs_the_bot(full_settings: Settings) -> None:
    async with FakeTelegram() as tg:
        tg.push_update(message_update(tg, "Bolehkah PNS memakai mobil dinas untuk kampanye?", user_id=777))
        env = {
            **os.environ,
            "NETRAL_DATA_DIR": str(full_settings.data_dir),
            "TELEGRAM_BOT_TOKEN": tg.token,
            "TELEGRAM_API_BASE_URL": tg.base_url,
        }
        proc = subprocess.Popen(
            [sys.executable, "-m", "netral", "start", "--poll-timeout", "1"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            sent = await tg.wait_sent(1, chat_id=777, timeout=60)
        finally:
            proc.send_signal(signal.SIGTERM)
            _, err = await asyncio.to_thread(proc.communicate, timeout=30)
        assert "TIDAK BOLEH" in sent[0]["text"]
        assert "PP 94/2021 Pasal 5 huruf n angka 4" in sent[0]["text"]
        assert proc.returncode == 0, err
        assert tg.token not in err  # the token never reaches the log


async def test_a_rejected_token_is_a_one_line_error(full_settings: Settings) -> None:
    async with FakeTelegram() as tg:
        env = {
            **os.environ,
            "NETRAL_DATA_DIR": str(full_settings.data_dir),
            "TELEGRAM_BOT_TOKEN": "999:WRONG-token",
            "TELEGRAM_API_BASE_URL": tg.base_url,
        }
        proc = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "netral", "bot"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert proc.returncode == 2
    assert "rejected the bot token" in proc.stderr
    assert "WRONG-token" not in proc.stderr and "Traceback" not in proc.stderr
