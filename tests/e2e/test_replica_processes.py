"""Two ``netral bot`` processes in webhook mode on one throwaway PostgreSQL, with the real index, fed
by the fake Bot API acting as Telegram plus a round-robin load balancer (tests/fakes/telegram_api.py
``deliver``): every question answered exactly once, also an update re-sent to the other replica;
a follow-up at the other replica uses the earlier context; the per-user limit counts across
replicas; /hapus through one clears the user's data for both; the load figure (50 chats x 4
questions, p50/p95, /metrics scraped during the run); and one replica SIGKILLed mid-burst while
the other keeps answering, nothing answered twice.

The load figure alone, for the closing note:
    .venv/bin/python -m pytest tests/e2e/test_replica_processes.py -s -q   (prints a "LOAD" line)
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.pg_store import PgBotStore
from rag.settings import Settings
from tests.fakes.telegram_api import FakeTelegram, callback_update, message_update

pytestmark = pytest.mark.slow

CONTEXT_QUESTION = "Bolehkah ASN memberi like pada postingan calon kepala daerah di Instagram?"
FOLLOW_UP = "kalau hanya share?"  # alone: out of scope; after CONTEXT_QUESTION: TIDAK BOLEH
LOAD_QUESTIONS = (
    "Bolehkah PNS ikut kampanye?",
    "Bolehkah PNS datang ke acara partai politik?",
    "kalau berfoto dengan calon?",
    "Apa sanksi bagi ASN yang memberi like pada unggahan kampanye?",
)
_ids = itertools.count(700_000)


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Replica:
    proc: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


async def _get(session: aiohttp.ClientSession, url: str) -> tuple[int, str]:
    async with session.get(url, timeout=aiohttp.ClientTimeout(total=5)) as r:
        return r.status, await r.text()


@contextlib.asynccontextmanager
async def replicas(
    tg: FakeTelegram, index_dir: Path, tmp: Path, database_url: str, n: int = 2
) -> AsyncIterator[list[Replica]]:
    """Start ``n`` ``netral bot`` processes (127.0.0.1, own ports and data dirs, one database);
    yield once every one serves /healthz 200 and has registered its webhook; stop them after."""
    started: list[Replica] = []
    try:
        for i in range(n):
            data_dir = tmp / f"replica{i}"
            shutil.copytree(index_dir, data_dir, ignore=shutil.ignore_patterns("bot*"))
            port = _port()
            env = {
                **{k: v for k, v in os.environ.items() if not k.startswith("NETRAL_")},
                "NETRAL_ENVIRONMENT": "test",
                "NETRAL_DATA_DIR": str(data_dir),
                "NETRAL_TELEGRAM_BOT_TOKEN": tg.token,
                "NETRAL_TELEGRAM_API_BASE_URL": tg.base_url,
                "NETRAL_DATABASE_URL": database_url,
                "NETRAL_WEBHOOK_URL": f"http://127.0.0.1:{port}/hook",
                "NETRAL_WEBHOOK_LISTEN": "127.0.0.1",
                "NETRAL_WEBHOOK_PORT": str(port),
                "NETRAL_RATE_LIMIT_PER_MINUTE": "4",
                "NETRAL_CHAT_RATE_LIMIT_PER_MINUTE": "100",
                "NETRAL_UPDATE_CLAIM_LEASE_S": "3",
                # Two replicas on 2 cores: OpenMP threads spinning while they wait took 4x the CPU of
                # the answers themselves (102 vs 27 ms per answer measured under load); see deploy/.
                "OMP_WAIT_POLICY": "PASSIVE",
            }
            log = tmp / f"replica{i}.log"
            with log.open("wb") as out:
                proc = subprocess.Popen(
                    [sys.executable, "-m", "netral", "bot"],
                    cwd=tmp,  # no developer .env
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            started.append(Replica(proc, port, log))
            tg.webhook_targets.append(f"http://127.0.0.1:{port}/hook")
        deadline = time.monotonic() + 180  # bounded: model load on a busy 2-core machine
        async with aiohttp.ClientSession() as session:
            for rep in started:
                while True:
                    assert rep.proc.poll() is None, rep.log.read_text(errors="replace")[-3000:]
                    with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                        if (await _get(session, f"{rep.url}/healthz"))[0] == 200:
                            break
                    assert time.monotonic() < deadline, "replica did not become healthy"
                    await asyncio.sleep(0.2)
        await tg.wait_for(lambda: len(tg.calls_to("setWebhook")) >= n, timeout=30)
        yield started
    finally:
        for rep in started:
            if rep.proc.poll() is None:
                rep.proc.send_signal(signal.SIGTERM)
        for rep in started:
            try:
                await asyncio.to_thread(rep.proc.wait, 20)
            except subprocess.TimeoutExpired:
                rep.proc.kill()
                await asyncio.to_thread(rep.proc.wait, 10)


def question(tg: FakeTelegram, text: str, user_id: int) -> dict[str, Any]:
    update = message_update(tg, text, user_id=user_id)
    update["update_id"] = next(_ids)
    return update


def replies_to(tg: FakeTelegram, message_id: int) -> list[dict[str, Any]]:
    return [m for m in tg.sent() if (m.get("reply_parameters") or {}).get("message_id") == message_id]


def answers(tg: FakeTelegram, chat_id: int) -> list[dict[str, Any]]:
    """Delivered answers (with the answer keyboard; notices have none)."""
    return [m for m in tg.sent(chat_id) if m.get("reply_markup")]


def answered_total(metrics: str) -> int:
    return sum(int(n) for n in re.findall(r'^netral_answers_total\{verdict="[^"]+"\} (\d+)$', metrics, re.M))


async def deliver_all(tg: FakeTelegram, updates: Iterable[dict[str, Any]], concurrency: int = 40) -> None:
    """Like Telegram with ``max_connections`` 40: many webhook requests in flight at once."""
    gate = asyncio.Semaphore(concurrency)

    async def one(update: dict[str, Any]) -> None:
        async with gate:
            await tg.deliver(update)

    await asyncio.gather(*(one(u) for u in updates))


async def test_two_netral_bot_processes_on_one_postgres(
    full_settings: Settings, postgres_url: str, tmp_path: Path
) -> None:
    async with FakeTelegram() as tg, replicas(tg, full_settings.data_dir, tmp_path, postgres_url) as reps:
        a, b = reps
        inspect = PgBotStore.connect(postgres_url)
        try:
            await _scenarios(tg, a, b, inspect)
        finally:
            inspect.close()


async def _scenarios(tg: FakeTelegram, a: Replica, b: Replica, inspect: PgBotStore) -> None:
    # 1. Exactly once, also when the fake re-sends the same update to the other replica.
    first = question(tg, CONTEXT_QUESTION, user_id=1)
    assert (await tg.deliver(first, to=0)).target == 0
    assert (await tg.deliver(first, to=1)).target == 1  # acknowledged, not answered again
    [answer] = replies_to(tg, first["message"]["message_id"])
    assert "TIDAK BOLEH" in answer["text"]

    # 2. A follow-up landing on the other replica is answered in the earlier question's context
    # (alone, in a fresh chat, the same words are out of scope).
    follow = question(tg, FOLLOW_UP, user_id=1)
    await tg.deliver(follow, to=1)
    [answer] = replies_to(tg, follow["message"]["message_id"])
    assert "TIDAK BOLEH" in answer["text"]
    alone = question(tg, FOLLOW_UP, user_id=3)
    await tg.deliver(alone, to=0)
    [answer] = replies_to(tg, alone["message"]["message_id"])
    assert "TIDAK BOLEH" not in answer["text"]

    # 3. The per-user limit (4/min) counts across replicas: 8 questions alternating, 4 answered.
    await deliver_all(tg, [question(tg, q, user_id=2) for q in LOAD_QUESTIONS * 2], concurrency=1)
    assert len(answers(tg, 2)) == 4
    assert any("terlalu cepat" in m["text"] for m in tg.sent(2))

    # 4. Votes through both replicas; /hapus through one removes them and the context for both.
    for i, target in enumerate((0, 1)):
        data = next(
            btn["callback_data"]
            for row in answers(tg, 1)[i]["reply_markup"]["inline_keyboard"]
            for btn in row
            if btn["text"] == "👍"
        )
        vote = callback_update(tg, data, user_id=1)
        vote["update_id"] = next(_ids)
        await tg.deliver(vote, to=target)
    user = inspect.user_hash(1)
    assert len(inspect.feedback_rows(user)) == 2
    await tg.deliver(question(tg, "/hapus", user_id=1), to=1)
    assert any("dihapus" in m["text"] for m in tg.sent(1))
    assert inspect.feedback_rows(user) == []
    again = question(tg, FOLLOW_UP, user_id=1)
    await tg.deliver(again, to=0)  # the other replica: no earlier context any more
    [answer] = replies_to(tg, again["message"]["message_id"])
    assert "TIDAK BOLEH" not in answer["text"]

    await _load(tg, a, b)
    await _kill_mid_burst(tg, a, b)


async def _load(tg: FakeTelegram, a: Replica, b: Replica) -> None:
    """2 replicas x 50 chats x 4 questions: all answered exactly once; p50/p95 from the webhook
    POST to the answer's sendMessage; /metrics scraped while it runs."""
    chats = range(10_000, 10_050)
    updates = [question(tg, q, user_id=c) for q in LOAD_QUESTIONS for c in chats]
    async with aiohttp.ClientSession() as session:
        before = sum(await _answered(session, a, b))
        samples: list[int] = []
        done = asyncio.Event()

        async def scrape() -> None:
            while not done.is_set():
                texts = [(await _get(session, f"{r.url}/metrics"))[1] for r in (a, b)]
                assert all("netral_answer_seconds_bucket" in t for t in texts)
                samples.append(sum(answered_total(t) for t in texts) - before)
                await asyncio.sleep(0.25)

        scraper = asyncio.create_task(scrape())
        cpu = _cpu_seconds(a, b)
        started = time.perf_counter()
        await deliver_all(tg, updates)
        # Acknowledged means answered, except past bot/webhook.py ACK_TIMEOUT_S on a starved machine.
        await tg.wait_for(lambda: all(any(_replies(m, u) for m in tg.sent()) for u in updates), 180)
        wall = time.perf_counter() - started
        cpu = _cpu_seconds(a, b) - cpu
        done.set()
        await scraper
        after = await _answered(session, a, b)
    latencies = []
    for u in updates:
        [reply] = [c for c in tg.calls_to("sendMessage") if _replies(c.params, u)]  # exactly once
        first = min(d.started for d in tg.deliveries if d.update_id == u["update_id"])
        latencies.append(reply.at - first)
    assert sum(after) - before == len(updates)
    assert min(after) > 0  # both replicas answered part of the load
    assert any(0 < s < len(updates) for s in samples), samples  # scraped during the run
    q = statistics.quantiles(latencies, n=20)
    report = {
        "questions": len(updates),
        "replicas": 2,
        "wall_s": round(wall, 2),
        "per_s": round(len(updates) / wall, 1),
        "p50_ms": round(1000 * statistics.median(latencies)),
        "p95_ms": round(1000 * q[18]),
        "replica_cpu_s": round(cpu, 2) if cpu is not None else None,
        "by_replica": after,
        "loadavg": os.getloadavg()[0],
    }
    print("LOAD " + json.dumps(report))


async def _answered(session: aiohttp.ClientSession, *reps: Replica) -> list[int]:
    return [answered_total((await _get(session, f"{r.url}/metrics"))[1]) for r in reps]


def _replies(params: dict[str, Any], update: dict[str, Any]) -> bool:
    return bool((params.get("reply_parameters") or {}).get("message_id") == update["message"]["message_id"])


def _cpu_seconds(*reps: Replica) -> float | None:
    """User + system CPU of the replica processes so far (Linux /proc), a load-independent figure."""
    total = 0.0
    try:
        for rep in reps:
            fields = Path(f"/proc/{rep.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None
    return total


async def _kill_mid_burst(tg: FakeTelegram, a: Replica, b: Replica) -> None:
    """SIGKILL replica A with answers in every state: queued, being computed, being sent. What A
    had not answered got no 200, so the fake re-delivers it to B, which takes A's stale claims
    over after the lease (3 s here); new updates for A go to B. Each question answered once."""
    chats = range(20_000, 20_030)
    updates = [question(tg, q, user_id=c) for q in LOAD_QUESTIONS[:2] for c in chats]
    burst = asyncio.create_task(deliver_all(tg, updates))
    await tg.wait_for(lambda: sum(1 for u in updates if any(_replies(m, u) for m in tg.sent())) >= 10, 60)
    # A stuck mid-answer: from now on sendMessage hangs (and delivers nothing); sends that went
    # through before are recorded as answered within a moment.
    tg.hold_sends(set(chats))
    await asyncio.sleep(0.5)
    a.proc.send_signal(signal.SIGKILL)
    await asyncio.to_thread(a.proc.wait, 10)
    tg.release_sends()  # B's held sends fail once (500) and are retried
    await asyncio.wait_for(burst, 180)
    await tg.wait_for(lambda: all(any(_replies(m, u) for m in tg.sent()) for u in updates), 180)
    await asyncio.sleep(1.0)  # a late duplicate would show up now
    for u in updates:
        assert len([m for m in tg.sent() if _replies(m, u)]) == 1, u["message"]["text"]
    retried = {d.update_id for d in tg.deliveries if d.target == 0 and d.status != 200}
    assert retried, "the kill caught no delivery in flight at A"
    async with aiohttp.ClientSession() as session:
        assert (await _get(session, f"{b.url}/healthz"))[0] == 200
