"""Webhook mode: the real Application behind bot/webhook.py's server, fed by HTTP POSTs as Telegram
(or a load balancer) would; ``/healthz`` and ``/metrics``; and two replicas sharing one PostgreSQL
store: a re-delivered update is answered once, a follow-up on the other replica sees the earlier
question, the rate limit counts across replicas, and /hapus through one replica clears both."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.app import ALLOWED_UPDATES, build_application
from bot.pg_store import PgBotStore
from bot.state import StateStore
from bot.store import BotStore
from bot.webhook import SECRET_HEADER, serve
from tests.bot.conftest import FakeService, bot_settings
from tests.fakes.telegram_api import FakeTelegram, callback_update, message_update

SECRET = "test-webhook-secret"
_ids = itertools.count(50_000)


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Replica:
    def __init__(self, port: int, store: StateStore) -> None:
        self.port, self.store = port, store
        self.url = f"http://127.0.0.1:{port}"

    async def post(self, session: aiohttp.ClientSession, update: dict[str, Any], secret: str = SECRET) -> int:
        async with session.post(f"{self.url}/hook", json=update, headers={SECRET_HEADER: secret}) as r:
            return r.status

    async def get(self, session: aiohttp.ClientSession, path: str) -> tuple[int, str]:
        async with session.get(f"{self.url}{path}") as r:
            return r.status, await r.text()


@contextlib.asynccontextmanager
async def replica(
    tg: FakeTelegram, service: FakeService, store: StateStore, tmp_path: Path, **overrides: Any
) -> AsyncIterator[Replica]:
    port = _port()
    settings = bot_settings(tg, tmp_path, webhook_url=f"http://127.0.0.1:{port}/hook", **overrides)
    app = build_application(settings, service, store, overall_max_rate=0)
    stop = asyncio.Event()
    task = asyncio.create_task(
        serve(
            app,
            listen="127.0.0.1",
            port=port,
            url_path="hook",
            webhook_url=settings.webhook_url or "",
            secret=SECRET,
            allowed_updates=ALLOWED_UPDATES,
            stop=stop,
        )
    )
    rep = Replica(port, store)
    async with aiohttp.ClientSession() as session:
        for _ in range(200):  # bounded: the server is up within a few seconds
            with contextlib.suppress(aiohttp.ClientError):
                if (await rep.get(session, "/healthz"))[0] == 200:
                    break
            await asyncio.sleep(0.05)
    try:
        yield rep
    finally:
        stop.set()
        await task


def question(tg: FakeTelegram, text: str, user_id: int = 1001) -> dict[str, Any]:
    update = message_update(tg, text, user_id=user_id)
    update["update_id"] = next(_ids)
    return update


def answers(tg: FakeTelegram, chat_id: int | None = None) -> list[dict[str, Any]]:
    """Delivered answers (they carry the feedback keyboard; notices do not)."""
    return [m for m in tg.sent(chat_id) if m.get("reply_markup")]


async def test_webhook_answers_and_serves_health_and_metrics(
    tg: FakeTelegram, fake_service: FakeService, tmp_path: Path
) -> None:
    store = BotStore(tmp_path / "bot.sqlite3", salt="s", retention_days=30)
    async with replica(tg, fake_service, store, tmp_path) as rep, aiohttp.ClientSession() as session:
        update = question(tg, "Bolehkah PNS ikut kampanye?")
        assert await rep.post(session, update, secret="forged") == 403
        assert await rep.post(session, update) == 200
        assert await rep.post(session, update) == 200  # Telegram re-sends: answered once
        await tg.wait_sent(1)
        status, body = await rep.get(session, "/healthz")
        assert status == 200 and '"store": true' in body
        for _ in range(100):  # the answer is counted right after it was sent
            status, text = await rep.get(session, "/metrics")
            if 'verdict="dilarang"' in text:
                break
            await asyncio.sleep(0.05)
        assert status == 200
        assert 'netral_answers_total{verdict="dilarang"} 1' in text
        assert "netral_answer_seconds_count 1" in text
        assert "netral_duplicate_updates_total 1" in text
        assert "netral_telegram_429_total 0" in text
        store.close()
        status, body = await rep.get(session, "/healthz")
        assert status == 503 and '"store": false' in body
    assert len(answers(tg)) == 1
    assert len(fake_service.calls) == 1


@pytest.mark.slow
async def test_two_replicas_on_one_postgres(
    tg: FakeTelegram, fake_service: FakeService, tmp_path: Path, postgres_url: str
) -> None:
    sa, sb = PgBotStore.connect(postgres_url), PgBotStore.connect(postgres_url)
    limits = {"rate_limit_per_minute": 4}
    async with (
        replica(tg, fake_service, sa, tmp_path / "a", **limits) as a,
        replica(tg, fake_service, sb, tmp_path / "b", **limits) as b,
        aiohttp.ClientSession() as session,
    ):
        # Exactly once, also when the same update is re-delivered to the other replica.
        first = question(tg, "Bolehkah ASN memberi like pada postingan calon?", user_id=1)
        assert await a.post(session, first) == 200
        await tg.wait_sent(1, chat_id=1)
        assert await b.post(session, first) == 200
        # A follow-up landing on the other replica is answered with the earlier question as context.
        follow = question(tg, "kalau hanya share?", user_id=1)
        assert await b.post(session, follow) == 200
        await tg.wait_sent(2, chat_id=1)
        assert fake_service.calls == [
            ("Bolehkah ASN memberi like pada postingan calon?", None),
            ("kalau hanya share?", "Bolehkah ASN memberi like pada postingan calon?"),
        ]
        assert len(answers(tg, 1)) == 2

        # The per-user limit (4/min) counts across replicas: 8 questions alternating, 4 answered.
        for i, rep in zip(range(8), itertools.cycle([a, b]), strict=False):
            assert await rep.post(session, question(tg, f"Pertanyaan nomor {i}?", user_id=2)) == 200
        await tg.wait_for(lambda: len(answers(tg, 2)) == 4 and len(tg.sent(2)) >= 5, timeout=15)
        await asyncio.sleep(0.3)
        assert len(answers(tg, 2)) == 4

        # Feedback through both replicas, then /hapus through one removes it for both.
        keyboard = answers(tg, 1)[0]["reply_markup"]["inline_keyboard"][-1]
        up = keyboard[0]["callback_data"]
        vote = callback_update(tg, up, user_id=1)
        vote["update_id"] = next(_ids)
        assert await a.post(session, vote) == 200
        second = answers(tg, 1)[1]["reply_markup"]["inline_keyboard"][-1][1]["callback_data"]
        vote2 = callback_update(tg, second, user_id=1)
        vote2["update_id"] = next(_ids)
        assert await b.post(session, vote2) == 200
        user = sa.user_hash(1)
        await tg.wait_for(lambda: len(tg.calls_to("answerCallbackQuery")) >= 2)
        assert len(sb.feedback_rows(user)) == 2
        forget = question(tg, "/hapus", user_id=1)
        assert await b.post(session, forget) == 200
        await tg.wait_for(lambda: any("dihapus" in m["text"] for m in tg.sent(1)))
        assert sa.feedback_rows(user) == [] and sb.feedback_rows(user) == []
        # ... and the follow-up context is gone on the other replica too.
        after = question(tg, "kalau komentar?", user_id=1)
        assert await a.post(session, after) == 200
        await tg.wait_for(lambda: len(answers(tg, 1)) == 3)
        assert fake_service.calls[-1] == ("kalau komentar?", None)
    sa.close()
    sb.close()
