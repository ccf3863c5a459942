"""A bot process for the SIGKILL test: the real Application with a slow FakeService and the
durable inbox, polling the fake Bot API named in the environment.

``python -m tests.bot.inbox_bot`` with NETRAL_TEST_BASE_URL, NETRAL_TEST_TOKEN, NETRAL_TEST_DATA_DIR
and optionally NETRAL_TEST_BLOCK_AFTER=n (answers after the n-th never finish: the process is
killed while they are in flight).
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from bot.app import ALLOWED_UPDATES, build_application
from bot.inbox import SqliteInbox
from bot.settings import BotSettings
from bot.store import BotStore
from rag.types import Answer
from tests.bot.conftest import FakeService


class SlowService(FakeService):
    def __init__(self, latency_s: float, block_after: int | None) -> None:
        super().__init__()
        self.latency_s = latency_s
        self.block_after = block_after
        self.answered = 0
        self._count = threading.Lock()

    def answer(self, question: str, previous_question: str | None = None) -> Answer:
        with self._count:
            self.answered += 1
            n = self.answered
        if self.block_after is not None and n > self.block_after:
            threading.Event().wait()  # in flight until the process is killed
        time.sleep(self.latency_s)
        return super().answer(question, previous_question)


def main() -> None:
    data_dir = Path(os.environ["NETRAL_TEST_DATA_DIR"])
    block = os.environ.get("NETRAL_TEST_BLOCK_AFTER")
    settings = BotSettings(  # type: ignore[call-arg]
        _env_file=None,
        TELEGRAM_BOT_TOKEN=os.environ["NETRAL_TEST_TOKEN"],
        TELEGRAM_API_BASE_URL=os.environ["NETRAL_TEST_BASE_URL"],
        data_dir=data_dir,
        environment="test",
        rate_limit_per_minute=100,
        chat_rate_limit_per_minute=100,
    )
    store = BotStore(data_dir / "bot.sqlite3", salt="inbox-test")
    inbox = SqliteInbox(store.path)
    service = SlowService(0.02, int(block) if block else None)
    app = build_application(settings, service, store, overall_max_rate=0, answer_workers=2, inbox=inbox)
    app.run_polling(poll_interval=0.0, timeout=1, allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False)


if __name__ == "__main__":
    main()
