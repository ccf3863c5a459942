"""Deliver HTML messages in order, surviving Telegram's rate limits and rejected HTML."""

from __future__ import annotations

import asyncio
import datetime as dtm
import logging
from collections.abc import Sequence
from typing import Any

from telegram import Bot, InlineKeyboardMarkup, LinkPreviewOptions, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import BadRequest, RetryAfter

from bot.render import html_to_plain

log = logging.getLogger(__name__)

FINAL_SEND_ATTEMPTS = 5  # on top of the rate limiter's own retries, for answers only


def _retry_seconds(exc: RetryAfter) -> float:
    value: Any = exc.retry_after
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


async def send_html(
    bot: Bot,
    chat_id: int,
    messages: Sequence[str],
    markup: InlineKeyboardMarkup | None = None,
    reply_to: int | None = None,
) -> None:
    """Send HTML messages in order: reply to the question with the first, buttons on the last."""
    for i, text in enumerate(messages):
        await _send_one(
            bot,
            chat_id,
            text,
            markup if i == len(messages) - 1 else None,
            reply_to if i == 0 else None,
        )


async def _send_one(
    bot: Bot,
    chat_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None,
    reply_to: int | None,
) -> None:
    kwargs: dict[str, Any] = {
        "chat_id": chat_id,
        "reply_markup": markup,
        "link_preview_options": LinkPreviewOptions(is_disabled=True),
        # Replying ties each answer to its question (several may be in flight in one chat);
        # allow_sending_without_reply keeps the answer if the question was deleted meanwhile.
        "reply_parameters": ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None,
    }
    for attempt in range(FINAL_SEND_ATTEMPTS):
        try:
            try:
                await bot.send_message(text=text, parse_mode=ParseMode.HTML, **kwargs)
            except BadRequest as exc:
                if "can't parse entities" not in str(exc).lower():
                    raise
                log.warning("Telegram rejected the HTML entities; resending as plain text")
                await bot.send_message(text=html_to_plain(text), **kwargs)
            return
        except RetryAfter as exc:
            # AIORateLimiter already retried; an answer is worth waiting for, not dropping.
            if attempt == FINAL_SEND_ATTEMPTS - 1:
                raise
            await asyncio.sleep(_retry_seconds(exc) + 0.1)
