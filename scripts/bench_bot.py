"""Load benchmark of the Telegram bot against the fake Bot API server (127.0.0.1 only).

N chats × M questions are queued at once; the real Application (rate limiter included) answers
them. Reports answered/lost/duplicated, unhandled errors and the latency from the moment an
update was served by getUpdates to the moment its answer's sendMessage reached the server.

    python scripts/bench_bot.py                      # 50 chats × 4 questions, fake service
    python scripts/bench_bot.py --service real       # netral.app.build_service(BotSettings())
    python scripts/bench_bot.py --restart            # stop the bot midway, start a new one
    python scripts/bench_bot.py --overall-rate 0     # without the 30 msg/s Telegram throttle
    python scripts/bench_bot.py --json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.app import build_application  # noqa: E402
from bot.settings import BotSettings  # noqa: E402
from bot.store import BotStore  # noqa: E402
from rag.protocols import Service  # noqa: E402
from rag.types import Answer, Citation, Document, Unit  # noqa: E402
from tests.fakes.telegram_api import FakeTelegram, message_update, running  # noqa: E402

QUESTIONS = (
    "Bolehkah PNS menghadiri kampanye calon bupati?",
    "Apa sanksi ASN yang memberi like unggahan kampanye?",
    "Bolehkah ASN menjadi pengurus partai politik?",
    "Kalau hanya membagikan ulang unggahan calon?",
)


class BenchService:
    """A fast fake Service with a realistic answer shape (and optional simulated compute time)."""

    def __init__(self, latency_s: float = 0.0) -> None:
        self.latency_s = latency_s

    def answer(self, question: str, previous_question: str | None = None) -> Answer:
        if self.latency_s:
            time.sleep(self.latency_s)
        citation = Citation(
            label="PP 94/2021 Pasal 5 huruf n angka 4",
            document="PP 94/2021",
            title="Disiplin Pegawai Negeri Sipil",
            status="berlaku",
            kind="wording",
            quote="mengadakan kegiatan yang mengarah kepada keberpihakan terhadap pasangan calon",
            summary="",
        )
        return Answer(
            question=question,
            verdict="dilarang",
            answer="PNS dilarang melakukan kegiatan yang mengarah pada keberpihakan kepada calon. " * 5,
            citations=(citation,),
            sanctions=("hukuman disiplin berat",),
        )

    def documents(self) -> list[Document]:
        return []

    def unit(self, label: str) -> tuple[Unit, Document] | None:
        return None

    def reload(self) -> None:
        return None


class ErrorCounter(logging.Handler):
    """Counts ERROR+ log records (the bot's error handler and PTB both log there)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(f"{record.name}: {record.getMessage()}")


def answered(tg: FakeTelegram) -> dict[tuple[int, int], list[float]]:
    """(chat_id, question message_id) → arrival times of answers replying to it."""
    out: dict[tuple[int, int], list[float]] = {}
    for call in tg.calls_to("sendMessage"):
        reply = call.params.get("reply_parameters")
        if reply:
            out.setdefault((call.params["chat_id"], reply["message_id"]), []).append(call.at)
    return out


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def bench(args: argparse.Namespace) -> dict[str, Any]:
    errors = ErrorCounter()
    logging.getLogger().addHandler(errors)
    loop_errors: list[str] = []
    asyncio.get_running_loop().set_exception_handler(
        lambda _loop, ctx: loop_errors.append(str(ctx.get("message")))
    )
    tmp = Path(tempfile.mkdtemp(prefix="netral-bench-"))
    async with FakeTelegram() as tg:
        overrides: dict[str, Any] = {
            "TELEGRAM_BOT_TOKEN": tg.token,
            "TELEGRAM_API_BASE_URL": tg.base_url,
            "bot_db_path": tmp / "bot.sqlite3",
            "user_hash_salt": "bench",
        }
        if args.service == "real":
            from netral.app import build_service

            settings = BotSettings(**overrides)
            service: Service = build_service(settings)
        else:
            settings = BotSettings(_env_file=None, environment="test", data_dir=tmp, **overrides)  # type: ignore[call-arg]
            service = BenchService(args.fake_latency_ms / 1000)
        store = BotStore.from_settings(settings)

        def new_app() -> Any:
            return build_application(
                settings,
                service,
                store,
                overall_max_rate=args.overall_rate,
                answer_workers=args.workers or settings.resolved_answer_workers,
            )

        questions: dict[tuple[int, int], int] = {}  # (chat, message_id) → update_id

        def push(chats: range) -> None:
            for chat in chats:
                user_id = 10_000 + chat
                for q in range(args.questions):
                    update = message_update(tg, QUESTIONS[q % len(QUESTIONS)], user_id=user_id)
                    questions[(user_id, update["message"]["message_id"])] = tg.push_update(update)

        # In restart mode half the chats write before the stop and half while the bot is down.
        push(range(args.chats // 2) if args.restart else range(args.chats))
        total = args.chats * args.questions

        def done(n: int) -> bool:
            return sum(1 for k in answered(tg) if k in questions) >= n

        t0 = time.perf_counter()
        restart_s = None
        answered_before_restart = pending_at_restart = None
        timed_out = False
        try:
            if args.restart:
                async with running(new_app()):
                    await tg.wait_for(lambda: done(len(questions) // 2), args.timeout)
                    t_stop = time.perf_counter()
                # The graceful stop above handled every update already fetched. Now the second
                # half arrives while no bot is polling; a brand-new Application must get it all.
                answered_before_restart = sum(1 for k in answered(tg) if k in questions)
                push(range(args.chats // 2, args.chats))
                pending_at_restart = len(tg.pending)
                async with running(new_app()):
                    restart_s = time.perf_counter() - t_stop
                    await tg.wait_for(lambda: done(total), args.timeout)
            else:
                async with running(new_app()):
                    await tg.wait_for(lambda: done(total), args.timeout)
        except TimeoutError:
            timed_out = True
        wall = time.perf_counter() - t0
        got = answered(tg)
        latencies = []
        for key, update_id in questions.items():
            served = tg.served_at(update_id)
            if key in got and served is not None:
                latencies.append(min(got[key]) - served)
        statuses: dict[int, int] = {}
        for call in tg.calls:
            statuses[call.status] = statuses.get(call.status, 0) + 1
        store.close()
    logging.getLogger().removeHandler(errors)
    n_answered = sum(1 for k in questions if k in got)
    return {
        "service": args.service,
        "chats": args.chats,
        "questions_per_chat": args.questions,
        "total": total,
        "answered": n_answered,
        "lost": total - n_answered,
        "duplicated": sum(1 for k in questions if len(got.get(k, [])) > 1),
        "unconfirmed_updates_left": len(tg.pending),
        "errors_logged": len(errors.records),
        "error_samples": errors.records[:5],
        "loop_exceptions": len(loop_errors),
        "timed_out": timed_out,
        "restart": bool(args.restart),
        "restart_gap_s": None if restart_s is None else round(restart_s, 3),
        "answered_before_restart": answered_before_restart,
        "pending_at_restart": pending_at_restart,
        "overall_rate_per_s": args.overall_rate,
        "wall_s": round(wall, 3),
        "throughput_per_s": round(n_answered / wall, 1) if wall else None,
        "latency_p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
        "latency_p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
        "latency_max_ms": round(max(latencies) * 1000, 1) if latencies else None,
        "latency_mean_ms": round(statistics.fmean(latencies) * 1000, 1) if latencies else None,
        "http_statuses": statuses,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--service", choices=["fake", "real"], default="fake")
    parser.add_argument("--chats", type=int, default=50)
    parser.add_argument("--questions", type=int, default=4, help="questions per chat")
    parser.add_argument("--restart", action="store_true", help="stop the bot midway and start a new one")
    parser.add_argument(
        "--overall-rate", type=float, default=30, help="bot-wide messages/s (Telegram allows ~30; 0 = off)"
    )
    parser.add_argument(
        "--workers", type=int, default=0, help="answer threads (0: as the bot, see NETRAL_ANSWER_WORKERS)"
    )
    parser.add_argument("--fake-latency-ms", type=float, default=0, help="simulated compute time per answer")
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    result = asyncio.run(bench(args))
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        mode = "restart midway" if args.restart else "single run"
        print(f"bot load: {args.chats} chats × {args.questions} questions, service={args.service}, {mode}")
        print(f"  answered {result['answered']}/{result['total']}  lost {result['lost']}  "
              f"duplicated {result['duplicated']}  errors {result['errors_logged']}  "
              f"loop exceptions {result['loop_exceptions']}")  # fmt: skip
        print(f"  latency p50 {result['latency_p50_ms']} ms  p95 {result['latency_p95_ms']} ms  "
              f"max {result['latency_max_ms']} ms")  # fmt: skip
        print(f"  wall {result['wall_s']} s  throughput {result['throughput_per_s']}/s  "
              f"(overall rate limit {args.overall_rate}/s)")  # fmt: skip
        if result["restart_gap_s"] is not None:
            print(f"  restart: {result['answered_before_restart']} answered before the stop (graceful, drains "
                  f"fetched updates), {result['pending_at_restart']} updates pending while down, "
                  f"gap {result['restart_gap_s']} s")  # fmt: skip
    ok = (
        result["answered"] == result["total"]
        and not result["errors_logged"]
        and not result["loop_exceptions"]
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
