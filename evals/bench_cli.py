"""``netral bench``: measure this machine (index build, re-ingest, cold start, warm latency,
batch throughput, peak RSS) and compare retrieval with a naive RAG baseline (evals/naive.py).

Everything is built in a temporary data dir, so the live index is never touched. Timings are
medians over --repeats (the from-scratch build, by far the slowest step, over --build-repeats).
Repeats stop early once --budget-s is spent (every measurement still runs once), which keeps the
whole run under 10 minutes on a 2-CPU machine."""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from evals.gold import GoldCase, load_gold
from evals.metrics import percentile
from evals.naive import NaiveIndex, doc_hit, knowledge_chunks
from rag.protocols import Service
from rag.settings import Settings

DEFAULT_GOLD = Path(__file__).resolve().parent / "gold"  # package data when installed
COLD_QUESTION = "Bolehkah ASN memberi like pada postingan capres?"
SUBPROCESS_TIMEOUT_S = 300.0
OURS_K = 5  # documents of answer.retrieved[:5]
NAIVE_K = 4  # the naive baseline's own top-k (langchain's default similarity_search k)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--repeats", type=int, default=3, help="repeat each timing N times (median; 3)")
    parser.add_argument("--build-repeats", type=int, default=1, help="from-scratch index builds (median; 1)")
    parser.add_argument(
        "--budget-s", type=float, default=420.0, help="stop repeating once this many seconds are spent (420)"
    )
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="questions for latency and retrieval")
    parser.add_argument("--no-subprocess", action="store_true", help="skip cold-start and batch runs")


def run(args: argparse.Namespace, settings: Settings, build_service: Callable[..., Service]) -> int:
    """``build_service(settings, build_if_missing=False)`` comes from the composition root
    (``netral/bench_cli.py``): evals never import ``netral.app``."""
    plan = Plan(
        repeats=max(1, int(args.repeats)),
        build_repeats=max(1, int(args.build_repeats)),
        deadline=time.monotonic() + float(args.budget_s),
    )
    cases = load_gold(args.gold)
    with tempfile.TemporaryDirectory(prefix="netral-bench-") as tmp:
        results = bench(
            settings, cases, Path(tmp), plan, subprocesses=not args.no_subprocess, build_service=build_service
        )
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        print(format_table(results))
    return 0


@dataclass(frozen=True)
class Plan:
    repeats: int
    build_repeats: int
    deadline: float  # time.monotonic() after which repeats stop

    def runs(self, n: int) -> Iterator[int]:
        """0..n-1, stopping early past the deadline (the first run always happens)."""
        for i in range(n):
            if i > 0 and time.monotonic() > self.deadline:
                return
            yield i


def _median(xs: Sequence[float]) -> float | None:
    return statistics.median(xs) if xs else None


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def bench(
    settings: Settings,
    cases: Sequence[GoldCase],
    tmp: Path,
    plan: Plan,
    subprocesses: bool,
    build_service: Callable[..., Service],
) -> dict[str, Any]:
    from ingest.pipeline import run_ingest
    from rag.embeddings import make_embedder

    out: dict[str, Any] = {
        "machine": machine_info(settings),
        "repeats": plan.repeats,
        "questions": len(cases),
    }

    # --- index build from scratch, then a no-change re-ingest of the same files
    builds, reingests = [], []
    data_dir = tmp / "data"
    report: Any = None
    for i in plan.runs(plan.build_repeats):
        data_dir = tmp / f"data{i}"
        s = settings.model_copy(update={"data_dir": data_dir})
        seconds, report = _timed(
            partial(run_ingest, s, [settings.knowledge_dir], rebuild=True, progress=False)
        )
        builds.append(seconds)
    for _ in plan.runs(plan.repeats):
        seconds, _ = _timed(partial(run_ingest, s, [settings.knowledge_dir], rebuild=False, progress=False))
        reingests.append(seconds)
    out["index"] = {
        "documents": getattr(report, "documents", None),
        "units": getattr(report, "units", None),
        "build_s": _median(builds),
        "reingest_s": _median(reingests),
        "build_runs_s": builds,
        "reingest_runs_s": reingests,
    }
    bench_settings = settings.model_copy(update={"data_dir": data_dir})

    # --- warm per-question latency over the gold questions
    load_s, service = _timed(lambda: build_service(bench_settings, build_if_missing=False))
    service.answer(COLD_QUESTION)  # warm-up: first call pays lazy initialisation
    latencies: list[float] = []
    ours_docs: dict[str, list[str]] = {}
    for _ in plan.runs(plan.repeats):
        for case in cases:
            seconds, answer = _timed(partial(service.answer, case.question))
            latencies.append(seconds)
            ours_docs[case.id] = [p.document.label for p in answer.retrieved[:OURS_K]]
    # The question's embedding alone, over the same questions: how much of an answer is the model
    # (it grows with the question's length) and how much is ours.
    embedder = make_embedder(settings)
    embed_times = [
        _timed(partial(embedder.embed_query, case.question))[0] for _ in plan.runs(1) for case in cases
    ]
    out["service_load_s"] = load_s
    out["query_embedding"] = {
        "p50_ms": 1000 * percentile(embed_times, 50),
        "p95_ms": 1000 * percentile(embed_times, 95),
    }
    out["warm"] = {
        "answers": len(latencies),
        "p50_ms": 1000 * percentile(latencies, 50),
        "p95_ms": 1000 * percentile(latencies, 95),
        "max_ms": 1000 * max(latencies) if latencies else None,
    }

    # --- cold start to first answer, and batch throughput, in fresh processes
    if subprocesses:
        out["cold_start"] = cold_start(data_dir, plan)
        out["cold_start"]["peak_rss_mb"] = ask_peak_rss_mb(data_dir)
        out["batch"] = batch_throughput(data_dir, [c.question for c in cases], tmp, plan)

    # --- naive baseline and the retrieval comparison
    chunks = knowledge_chunks(settings.knowledge_dir)
    naive_build_s, naive = _timed(lambda: NaiveIndex(chunks, embedder))
    doc_labels = sorted({d.label for d in service.documents()} | set(naive.doc_labels))
    scored = [c for c in cases if c.must_cite]
    ours_hits = naive_hits4 = naive_hits5 = 0
    for case in scored:
        naive_docs = naive.search_docs(case.question, 5)
        ours_hits += doc_hit(case, ours_docs.get(case.id, []), doc_labels, OURS_K)
        naive_hits4 += doc_hit(case, naive_docs, doc_labels, NAIVE_K)
        naive_hits5 += doc_hit(case, naive_docs, doc_labels, 5)
    n = len(scored)
    out["naive"] = {"chunks": len(chunks), "build_s": naive_build_s, "chunk_size": 1000, "chunk_overlap": 200}
    out["retrieval"] = {
        "cases": n,
        "ours_doc_hit_at_5": ours_hits / n if n else None,
        "naive_doc_hit_at_4": naive_hits4 / n if n else None,
        "naive_doc_hit_at_5": naive_hits5 / n if n else None,
    }

    out["peak_rss_mb"] = {
        "bench_process": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / _RSS_SCALE,
        "largest_child": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / _RSS_SCALE or None,
    }
    return out


# ru_maxrss is in KiB on Linux (bytes on macOS): normalise to MiB.
_RSS_SCALE = 1024 * 1024 if sys.platform == "darwin" else 1024


def machine_info(settings: Settings) -> dict[str, Any]:
    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "embedding_model": settings.embedding_model,
        "answer_mode": settings.answer_mode,
    }


def _env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["NETRAL_DATA_DIR"] = str(data_dir)
    return env


def _run(cmd: list[str], data_dir: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    proc = subprocess.run(
        cmd,
        env=_env(data_dir),
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT_S,
        check=False,
    )
    return time.perf_counter() - start, proc


def _failure(proc: subprocess.CompletedProcess[str]) -> str:
    tail = (proc.stderr or "").strip().splitlines()[-3:]
    return f"exit {proc.returncode}: {' / '.join(tail)}"


def cold_start(data_dir: Path, plan: Plan) -> dict[str, Any]:
    """Wall time of `python -m netral ask --json QUESTION` on an existing index."""
    runs: list[float] = []
    for _ in plan.runs(plan.repeats):
        seconds, proc = _run([sys.executable, "-m", "netral", "ask", "--json", COLD_QUESTION], data_dir)
        if proc.returncode != 0:
            return {"error": _failure(proc), "runs_s": runs}
        runs.append(seconds)
    return {"median_s": _median(runs), "runs_s": runs}


# A child forked from the bench inherits the bench's high-water RSS (Linux keeps it across exec), so
# `netral ask` is started from a small Python process that reports its own child's peak.
_RSS_PROBE = (
    "import resource, subprocess, sys; rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode; "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(rc)"
)


def ask_peak_rss_mb(data_dir: Path) -> float | None:
    """Peak RSS of one `python -m netral ask --json QUESTION`, in MB."""
    _, proc = _run(
        [sys.executable, "-c", _RSS_PROBE, sys.executable, "-m", "netral", "ask", "--json", COLD_QUESTION],
        data_dir,
    )
    if proc.returncode != 0 or not proc.stdout.strip().isdigit():
        return None
    return int(proc.stdout.strip()) / _RSS_SCALE


def batch_throughput(data_dir: Path, questions: Sequence[str], tmp: Path, plan: Plan) -> dict[str, Any]:
    """Questions per second of `python -m netral ask --json --batch FILE` (start-up included)."""
    qfile = tmp / "questions.txt"
    # One question per line is the batch format; gold questions never contain newlines.
    qfile.write_text("\n".join(q.replace("\n", " ") for q in questions) + "\n", encoding="utf-8")
    runs: list[float] = []
    for _ in plan.runs(plan.repeats):
        seconds, proc = _run(
            [sys.executable, "-m", "netral", "ask", "--json", "--batch", str(qfile)], data_dir
        )
        if proc.returncode != 0:
            return {"error": _failure(proc), "runs_s": runs}
        answered = sum(1 for line in proc.stdout.splitlines() if line.strip().startswith("{"))
        if answered != len(questions):
            return {"error": f"{answered} answers for {len(questions)} questions", "runs_s": runs}
        runs.append(seconds)
    median = _median(runs)
    return {
        "questions": len(questions),
        "median_s": median,
        "questions_per_s": len(questions) / median if median else None,
        "runs_s": runs,
    }


def _f(value: Any, unit: str = "", digits: int = 2) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}{unit}"
    return f"{value}{unit}"


def format_table(r: dict[str, Any]) -> str:
    m, idx, warm = r["machine"], r["index"], r["warm"]
    rows: list[tuple[str, str]] = [
        ("machine", f"{m['platform']} · {m['cpus']} CPU · Python {m['python']}"),
        ("embedding model", str(m["embedding_model"])),
        ("corpus", f"{_f(idx['documents'])} documents · {_f(idx['units'])} units"),
        ("index build (scratch)", _f(idx["build_s"], " s")),
        ("re-ingest (no change)", _f(idx["reingest_s"], " s")),
        ("service load (in-process)", _f(r.get("service_load_s"), " s")),
        (
            "warm latency p50 / p95 / max",
            f"{_f(warm['p50_ms'], ' ms', 0)} / {_f(warm['p95_ms'], ' ms', 0)} / "
            f"{_f(warm['max_ms'], ' ms', 0)}  ({warm['answers']} answers)",
        ),
    ]
    emb = r.get("query_embedding")
    if emb is not None:
        rows.append(
            (
                "  of which question embedding",
                f"{_f(emb['p50_ms'], ' ms', 0)} / {_f(emb['p95_ms'], ' ms', 0)}  (p50 / p95, embedding alone)",
            )
        )
    cold = r.get("cold_start")
    if cold is not None:
        rows.append(("cold start to first answer", cold.get("error") or _f(cold.get("median_s"), " s")))
        if cold.get("peak_rss_mb"):
            rows.append(("`netral ask` peak RSS", _f(cold["peak_rss_mb"], " MB", 0)))
    batch = r.get("batch")
    if batch is not None:
        rows.append(
            (
                "batch CLI throughput",
                batch.get("error")
                or f"{_f(batch.get('questions_per_s'), ' q/s')} ({batch['questions']} q in {_f(batch['median_s'], ' s')})",
            )
        )
    rss = r["peak_rss_mb"]
    rows.append(
        (
            "peak RSS bench / largest child",
            f"{_f(rss['bench_process'], ' MB', 0)} / {_f(rss['largest_child'], ' MB', 0)}",
        )
    )
    width = max(len(k) for k, _ in rows)
    lines = [f"{k:<{width}}  {v}" for k, v in rows]

    ret, naive = r["retrieval"], r["naive"]
    lines += [
        "",
        f"Retrieval: document hit rate on {ret['cases']} gold cases with must_cite",
        f"  {'system':<42} {'doc hit':>8}",
        f"  {'netral (documents of retrieved[:5])':<42} {_pct(ret['ours_doc_hit_at_5']):>8}",
        f"  {'naive RAG, top-4 (its own k)':<42} {_pct(ret['naive_doc_hit_at_4']):>8}",
        f"  {'naive RAG, top-5':<42} {_pct(ret['naive_doc_hit_at_5']):>8}",
        f"  naive: {naive['chunks']} chunks of {naive['chunk_size']}/{naive['chunk_overlap']} chars, "
        f"built in {_f(naive['build_s'], ' s')}",
    ]
    return "\n".join(lines)


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f}%"
