"""``netral start``: the main job. The Telegram bot when a token is configured; otherwise the
console chat on the same pipeline."""

from __future__ import annotations

import argparse
import sys

from bot.settings import BotSettings


def configure(parser: argparse.ArgumentParser) -> None:
    from netral import bot_cli

    bot_cli.configure(parser)
    parser.add_argument("--no-history", action="store_true", help="console chat: keep no readline history")


def run(args: argparse.Namespace, settings: BotSettings) -> int:
    if settings.telegram_bot_token is not None:
        from netral import bot_cli

        return int(bot_cli.run(args, settings))
    print(
        "Tidak ada TELEGRAM_BOT_TOKEN di .env: memulai chat konsol (netral chat).\n"
        "No Telegram token configured: starting the console chat.",
        file=sys.stderr,
    )
    from netral import chat_cli

    return chat_cli.run(args, settings)
