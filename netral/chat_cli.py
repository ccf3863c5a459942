"""``netral chat``: an interactive console on the same pipeline as the bot."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from netral.render_text import render_answer
from rag.normalize import normalize_text
from rag.settings import Settings

BANNER = (
    "Tanya Netral — aturan netralitas ASN (PNS & PPPK) dalam pemilu dan pilkada.\n"
    "Ketik pertanyaan Anda; 'keluar' atau Ctrl-D untuk selesai. Bukan nasihat hukum."
)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-history", action="store_true", help="do not keep a readline history file")


def run(args: argparse.Namespace, settings: Settings) -> int:
    from netral.app import build_service

    service = build_service(settings)
    history = None if args.no_history else settings.data_dir / "chat_history"
    _setup_readline(history)
    if hasattr(sys.stdin, "reconfigure"):
        sys.stdin.reconfigure(errors="replace")  # a stray invalid byte must not end the chat
    print(BANNER)
    previous: str | None = None
    while True:
        try:
            question = normalize_text(input("\nAnda> "))
        except EOFError:
            print()
            break
        if not question:
            continue
        if question.lower() in {"keluar", "exit", "quit", ":q"}:
            break
        answer = service.answer(question, previous)
        print("\n" + render_answer(answer))
        previous = question
    if history is not None:
        _save_history(history)
    return 0


def _setup_readline(history: Path | None) -> None:
    with contextlib.suppress(ImportError):
        import readline

        if history is not None and history.exists():
            with contextlib.suppress(OSError):
                readline.read_history_file(history)
    if not sys.stdin.isatty():
        return


def _save_history(history: Path) -> None:
    with contextlib.suppress(ImportError, OSError):
        import readline

        history.parent.mkdir(parents=True, exist_ok=True)
        readline.set_history_length(1000)
        readline.write_history_file(history)
