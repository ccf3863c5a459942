"""The Telegram front end's wiring: one function that builds the Application around ``NetralBot``.

Edited messages are deliberately ignored (not requested in ``allowed_updates`` and filtered out):
answering an edit would post a second, possibly contradicting answer below the first one, and
the user can simply send the corrected question again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from telegram import Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot import callbacks
from bot.handlers import NetralBot
from bot.inbox import Inbox
from bot.logging_redact import quiet_loggers
from bot.polling import SafeBot
from bot.settings import BotSettings
from bot.state import StateStore
from rag.protocols import Service

ALLOWED_UPDATES = ["message", "callback_query"]  # no edited_message: see the module docstring


class CountingRequest(HTTPXRequest):
    """HTTPXRequest that reports every Bot API response status to ``on_status`` (for /metrics:
    errors and 429s are counted per HTTP attempt, retries included)."""

    def __init__(self, on_status: Callable[[int], None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._on_status = on_status

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        status, payload = await super().do_request(*args, **kwargs)
        self._on_status(status)
        return status, payload


def build_application(
    settings: BotSettings,
    service: Service,
    store: StateStore,
    *,
    overall_max_rate: float = 30,
    max_retries: int = 3,
    answer_workers: int = 4,
    inbox: Inbox | None = None,
) -> Application[Any, Any, Any, Any, Any, Any]:
    """Build the fully wired Application (handlers, rate limiter, command menu, error handler)."""
    if settings.telegram_bot_token is None:
        raise ValueError("build_application needs settings.telegram_bot_token")
    token = settings.telegram_bot_token.get_secret_value()
    quiet_loggers(token)
    base = settings.telegram_api_base_url.rstrip("/")
    bot = NetralBot(settings, service, store, answer_workers=answer_workers, inbox=inbox)
    store.purge()  # at start-up; post_init keeps purging daily
    telegram_bot = SafeBot(
        token,
        base_url=base,
        # A self-hosted Bot API serves files under /file/bot<token>; derive it from the base URL.
        base_file_url=re.sub(r"/bot$", "/file/bot", base),
        request=CountingRequest(
            bot.metrics.telegram_status,
            # Telegram accepts ~30 messages/s, so more parallel connections buy nothing, while
            # httpcore's pool bookkeeping grows with its size (measured: 2x throughput at 32 vs 256).
            connection_pool_size=32,
            # Under a burst, sends queue for a connection; the default 1 s pool wait would drop answers.
            pool_timeout=30,
            # PTB's default 5 s read timeout turned a slow (6 s) but successful send into an error;
            # sends are retried on timeouts (bot/sending.py), so wait long enough not to duplicate.
            read_timeout=15,
            write_timeout=15,
        ),
        get_updates_request=HTTPXRequest(connection_pool_size=1),
        rate_limiter=AIORateLimiter(overall_max_rate=overall_max_rate, max_retries=max_retries),
        inbox=inbox,
    )
    app = (
        ApplicationBuilder()
        .bot(telegram_bot)
        .concurrent_updates(True)
        .post_init(bot.post_init)
        .post_shutdown(bot.post_shutdown)
        .build()
    )
    app.bot_data["netral"] = bot
    # CommandHandler also matches edited messages by default; edits are ignored (module docstring).
    new_messages = filters.UpdateType.MESSAGE
    app.add_handler(CommandHandler("start", bot.start, filters=new_messages))
    app.add_handler(CommandHandler(["bantuan", "help"], bot.help, filters=new_messages))
    app.add_handler(CommandHandler("sumber", bot.sources, filters=new_messages))
    app.add_handler(CommandHandler("privasi", bot.privacy, filters=new_messages))
    app.add_handler(CommandHandler("hapus", bot.forget, filters=new_messages))
    app.add_handler(CommandHandler("stats", bot.stats, filters=new_messages))
    app.add_handler(CommandHandler("reload", bot.reload, filters=new_messages))
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.COMMAND, bot.unknown_command))
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND, bot.text))
    # A photo (or document) with a caption: the caption is the question.
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.CAPTION, bot.text))
    app.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE
            & (
                filters.PHOTO
                | filters.Sticker.ALL
                | filters.VOICE
                | filters.AUDIO
                | filters.VIDEO
                | filters.VIDEO_NOTE
                | filters.ANIMATION
                | filters.Document.ALL
                | filters.LOCATION
                | filters.CONTACT
                | filters.Dice.ALL
                | filters.POLL
                | filters.VENUE
            ),
            bot.non_text,
        )
    )
    app.add_handler(CallbackQueryHandler(bot.example, pattern=callbacks.EXAMPLE_PATTERN))
    app.add_handler(CallbackQueryHandler(bot.show_unit, pattern=callbacks.UNIT_PATTERN))
    app.add_handler(CallbackQueryHandler(bot.detail, pattern=callbacks.DETAIL_PATTERN))
    app.add_handler(CallbackQueryHandler(bot.feedback, pattern=callbacks.FEEDBACK_PATTERN))
    app.add_handler(CallbackQueryHandler(bot.unknown_button))  # every query is answered
    app.add_error_handler(bot.on_error)
    # Group -1 runs first: a re-delivered update (another replica has it) stops here.
    app.add_handler(TypeHandler(Update, bot.claim), group=-1)
    # Group 1 runs after group 0 has handled the update (also when a handler raised).
    app.add_handler(TypeHandler(Update, bot.mark_answered), group=1)
    return app
