"""The CLI as a user runs it: ask (text, JSON, batch), chat on stdin, start without a token."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from rag.settings import Settings
from tests.conftest import ROOT


def run(settings: Settings, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "NETRAL_DATA_DIR": str(settings.data_dir),
        "NETRAL_KNOWLEDGE_DIR": str(settings.knowledge_dir),
    }
    env.pop("TELEGRAM_BOT_TOKEN", None)
    env.pop("NETRAL_TELEGRAM_BOT_TOKEN", None)
    return subprocess.run(
        [sys.executable, "-m", "netral", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_ask_json(full_settings: Settings) -> None:
    proc = run(full_settings, "ask", "--json", "Bolehkah ASN memberi like pada postingan calon presiden?")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    for key in ("question", "verdict", "answer", "citations", "sanctions", "caveats", "mode"):
        assert key in data
    assert data["verdict"] == "dilarang" and data["mode"] == "extractive"
    for c in data["citations"]:
        assert {"label", "document", "title", "status", "quote", "source_url"} <= set(c)


def test_ask_batch_keeps_order(full_settings: Settings) -> None:
    questions = [
        "Bolehkah PNS menjadi anggota partai politik?",
        "Berapa gaji pokok PNS?",
        "Apa itu PP 94/2021?",
    ]
    batch = ["# a comment line, not a question", "", *questions]
    proc = run(full_settings, "ask", "--json", "--batch", "-", stdin="\n".join(batch) + "\n")
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [d["question"] for d in lines] == questions
    assert lines[1]["verdict"] == "di_luar_cakupan"


def test_ask_text_prints_sources(full_settings: Settings) -> None:
    proc = run(full_settings, "ask", "Bolehkah PNS memakai mobil dinas untuk kampanye?")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Tidak boleh")
    assert "Sumber:" in proc.stdout and "PP 94/2021 Pasal 5 huruf n angka 4" in proc.stdout


def test_chat_reads_questions_until_keluar(full_settings: Settings) -> None:
    proc = run(
        full_settings,
        "chat",
        "--no-history",
        stdin="Bolehkah PNS like postingan capres?\nkalau share?\nkeluar\n",
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("Tidak boleh") == 2


def test_start_without_token_falls_back_to_chat(full_settings: Settings) -> None:
    proc = run(full_settings, "start", stdin="keluar\n")
    assert proc.returncode == 0, proc.stderr
    assert "netral chat" in proc.stderr and "Tanya Netral" in proc.stdout


def test_ask_without_question_is_a_usage_error(full_settings: Settings) -> None:
    proc = run(full_settings, "ask")
    assert proc.returncode == 2 and "question" in proc.stderr


def test_help_lists_every_command(full_settings: Any) -> None:
    proc = run(full_settings, "--help")
    for cmd in ("ingest", "ask", "chat", "bot", "start", "eval", "bench"):
        assert cmd in proc.stdout


def test_a_command_line_imports_only_its_own_command() -> None:
    # Start-up time: `netral ask` must not pay for the checker's indexer or the eval's report.
    code = (
        "import sys; from netral.cli import build_parser, COMMANDS;"
        "args = build_parser(['-v', 'ask', '--json', 'q']).parse_args(['-v', 'ask', '--json', 'q']);"
        "print(args.command, args.json, args.verbose);"
        "print(sorted(m for m, _ in COMMANDS.values() if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["ask True True", "['netral.ask_cli']"]


def test_sub_command_help_still_shows_its_options(full_settings: Settings) -> None:
    proc = run(full_settings, "-v", "eval", "--help")
    assert proc.returncode == 0 and "--perturb" in proc.stdout


def test_readme_example_is_what_the_program_prints(service: Any) -> None:
    from netral.render_text import render_answer

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = '$ .venv/bin/netral ask "'
    start = readme.index(command)
    question = readme[start + len(command) : readme.index('"\n', start)]
    shown = readme[readme.index("\n", start) + 1 : readme.index("```", start)].rstrip()
    assert render_answer(service.answer(question)).rstrip() == shown


def test_bench_measures_the_ask_process_not_its_parent(full_settings: Settings) -> None:
    """`netral bench` reports the peak RSS of `netral ask` itself: a child forked from the (large)
    test process would report the parent's high-water mark instead. The issue's budget is 350 MB."""
    from evals.bench_cli import ask_peak_rss_mb

    rss = ask_peak_rss_mb(full_settings.data_dir)
    assert rss is not None and 40 < rss <= 350, rss
