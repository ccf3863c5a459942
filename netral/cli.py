"""``netral`` command line. Each sub-command lives in its own module exposing
``configure(parser)`` and ``run(args, settings) -> int``; this file only dispatches."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import os
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from rag.errors import NetralError

# name -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "ingest": ("ingest.cli", "ingest regulation files into the index (Markdown, TXT, PDF, DOCX, HTML)"),
    "check": ("ingest.check_cli", "consistency report: curated layers against their official texts"),
    "ask": ("netral.ask_cli", "answer one question (or a batch) and print it"),
    "chat": ("netral.chat_cli", "interactive console chat on the same pipeline as the bot"),
    "bot": ("netral.bot_cli", "run the Telegram bot"),
    "start": ("netral.start_cli", "the main job: the bot when a token is configured, else the console chat"),
    "eval": ("netral.eval_cli", "run the answer-quality eval on a gold set"),
    "bench": ("netral.bench_cli", "measure index build, latency, throughput and the naive baseline"),
}


def _command_of(argv: Sequence[str]) -> str | None:
    """The sub-command argv names: its first word that is not an option (the only global options,
    -v and -h, take no value)."""
    return next((a for a in argv if not a.startswith("-")), None)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser, with the options of the sub-command ``argv`` names (all of them when ``argv`` is
    None). Configuring a sub-command imports its module, and the ones not asked for cost about half a
    second of start-up (the checker pulls in the indexer, the eval the report), so a command line gets
    only its own; ``netral --help`` lists every command from COMMANDS without importing any."""
    parser = argparse.ArgumentParser(
        prog="netral",
        description="Tanya Netral: jawaban aturan netralitas ASN dengan kutipan pasal yang terverifikasi.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    wanted = None if argv is None else _command_of(argv)
    for name, (module, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        if argv is None or name == wanted:
            importlib.import_module(module).configure(p)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    # The bot's settings extend the core ones: one object for every sub-command.
    from bot.settings import BotSettings

    try:
        settings = BotSettings()
    except ValidationError as exc:  # the user's configuration: say what is wrong, plainly
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}" for e in exc.errors()
        )
        print(f"netral: invalid settings (.env or environment): {problems}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else getattr(logging, settings.log_level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # Before anything can log (the token check, PTB's "Set Bot API URL …/bot<TOKEN>" at DEBUG):
    # quiet the loggers that print request URLs or whole updates, and redact the token.
    from bot.logging_redact import quiet_loggers

    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else ""
    quiet_loggers(token)
    module = importlib.import_module(COMMANDS[args.command][0])
    try:
        code = int(module.run(args, settings))
        sys.stdout.flush()  # inside the try: a closed pipe surfaces here, not at interpreter exit
        return code
    except NetralError as exc:
        print(f"netral: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `netral ask … | head`: the reader left; that is not an error worth a traceback.
        # Point stdout at /dev/null so the interpreter's final flush does not raise again.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
