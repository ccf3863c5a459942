"""``netral bot``: run the Telegram bot (long polling by default, a webhook when configured).

Update delivery (verified against python-telegram-bot 22.8, ``telegram/ext/_updater.py`` and
``_application.py``): the Updater fetches with ``offset = last fetched update_id + 1``, so an
update is confirmed to Telegram by the *next* getUpdates after it was put on the Application's
queue, not after its handler finished. On a graceful stop (SIGINT/SIGTERM) ``Application.stop``
joins the update queue, i.e. waits until every fetched update has been handled, and the Updater
confirms the last batch; nothing is lost or answered twice across a restart
(``scripts/bench_bot.py --restart`` shows it). A hard kill (SIGKILL, power loss) can lose the
updates that were fetched and still being answered at that instant. ``drop_pending_updates`` is
False, so questions sent while the bot was down are answered when it comes back.
"""

from __future__ import annotations

import argparse
import logging
import sys
from urllib.parse import urlparse

from bot.settings import BotSettings

log = logging.getLogger(__name__)

NO_TOKEN_MESSAGE = """\
netral bot: no Telegram bot token is configured.
  Create a bot with @BotFather, then put its token in .env (or the environment):
      NETRAL_TELEGRAM_BOT_TOKEN=123456:ABC...      (TELEGRAM_BOT_TOKEN also works)
  To try the same answers without Telegram, run:  netral chat"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--polling",
        action="store_true",
        help="use long polling even when NETRAL_WEBHOOK_URL is set",
    )
    parser.add_argument("--poll-timeout", type=int, default=30, help="getUpdates long-poll timeout, seconds")


def run(args: argparse.Namespace, settings: BotSettings) -> int:
    if settings.telegram_bot_token is None:
        print(NO_TOKEN_MESSAGE, file=sys.stderr)
        return 2
    # Imported here so `netral --help` and the no-token path stay fast and need no index.
    from telegram.error import InvalidToken, NetworkError

    from bot.app import ALLOWED_UPDATES, build_application
    from bot.inbox import SqliteInbox
    from bot.state import open_store
    from netral.app import build_service

    problem = _check_token(settings)
    if problem:
        print(f"netral bot: {problem}", file=sys.stderr)
        return 2
    service = build_service(settings)
    store = open_store(settings)
    polling = not settings.webhook_url or args.polling
    # Webhook mode: Telegram re-sends an update until our HTTP answer, so the inbox is for polling
    # (with PostgreSQL, update ids are claimed in the shared store instead: bot/pg_store.py).
    inbox = (
        SqliteInbox(settings.resolved_bot_db_path)
        if settings.durable_inbox and polling and not store.shared
        else None
    )
    app = build_application(
        settings, service, store, answer_workers=settings.resolved_answer_workers, inbox=inbox
    )
    try:
        if settings.webhook_url and not args.polling:
            import asyncio

            from bot.webhook import serve

            secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
            if not secret:
                # Derived from the store's salt: every replica sharing a PostgreSQL store registers
                # the same secret, and forged updates stay out.
                secret = store.sign("webhook-secret", 48)
                log.warning("NETRAL_WEBHOOK_SECRET is not set; using one derived from the store's salt")
            asyncio.run(
                serve(
                    app,
                    listen=settings.webhook_listen,
                    port=settings.webhook_port,
                    url_path=urlparse(settings.webhook_url).path.lstrip("/"),
                    webhook_url=settings.webhook_url,
                    secret=secret,
                    allowed_updates=ALLOWED_UPDATES,
                )
            )
        else:
            log.info("starting long polling")
            app.run_polling(
                timeout=args.poll_timeout,
                allowed_updates=ALLOWED_UPDATES,
                drop_pending_updates=False,
            )
    except InvalidToken:
        # PTB's message repeats the token: say it in our own words instead.
        print(
            "netral bot: Telegram rejected the bot token; check TELEGRAM_BOT_TOKEN in .env", file=sys.stderr
        )
        return 2
    except NetworkError as exc:
        print(f"netral bot: cannot reach the Telegram Bot API ({type(exc).__name__})", file=sys.stderr)
        return 1
    finally:
        if inbox is not None:
            inbox.close()
        store.close()
    return 0


def _check_token(settings: BotSettings) -> str | None:
    """Ask Telegram who we are before starting, so a wrong token or an unreachable Bot API is one
    clear line here instead of PTB's retry-loop traceback (which would also print the token)."""
    import asyncio

    from telegram import Bot
    from telegram.error import InvalidToken, NetworkError, TelegramError

    assert settings.telegram_bot_token is not None
    bot = Bot(
        settings.telegram_bot_token.get_secret_value(), base_url=settings.telegram_api_base_url.rstrip("/")
    )

    async def probe() -> None:
        async with bot:
            await bot.get_me()

    try:
        asyncio.run(probe())
    except InvalidToken:
        return "Telegram rejected the bot token; check TELEGRAM_BOT_TOKEN in .env"
    except NetworkError as exc:
        return f"cannot reach the Telegram Bot API at {settings.telegram_api_base_url} ({type(exc).__name__})"
    except TelegramError as exc:
        return f"the Telegram Bot API refused the bot ({type(exc).__name__})"
    return None
