"""Deliver HTML messages in order, surviving rate limits, transient failures and rejected HTML.

What is retried (``next_delay``, a pure function, table-tested):

* ``RetryAfter`` (429): wait as long as Telegram asks, until ``max_wait_s`` of waiting per message
  (on top of the ``AIORateLimiter``'s own retries).
* 5xx, connection errors and timeouts (PTB's ``NetworkError``/``TimedOut``): a bounded backoff.
  A reset or timeout *after* Telegram accepted the message cannot be told apart from one before,
  so a retry may deliver a message twice; for a legal answer a duplicate is better than silence.
* Anything else (400 other than rejected HTML, 403 bot blocked, …) is not retried.

When a message cannot be delivered, ``send_html`` raises :class:`DeliveryError`; the error handler
logs it, counts it in ``/stats`` and sends no error message (it would fail the same way).
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from telegram import Bot, InlineKeyboardMarkup, LinkPreviewOptions, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError

from bot.render import html_to_plain

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    network_attempts: int = 5  # tries in all for 5xx / connection errors / timeouts
    backoff_s: tuple[float, ...] = (0.5, 1.0, 2.0, 4.0)
    max_wait_s: float = 120.0  # total RetryAfter waiting per message before giving up


DEFAULT_POLICY = RetryPolicy()


class DeliveryError(Exception):
    """A message could not be delivered after every retry (``delivered`` earlier parts were)."""

    def __init__(self, reason: str, attempts: int, delivered: int = 0) -> None:
        super().__init__(f"message not delivered after {attempts} attempts: {reason}")
        self.reason = reason
        self.attempts = attempts
        self.delivered = delivered


def _retry_seconds(exc: RetryAfter) -> float:
    value: Any = exc.retry_after
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


def next_delay(
    exc: Exception, network_failures: int, waited_s: float, policy: RetryPolicy = DEFAULT_POLICY
) -> float | None:
    """Seconds to wait before the next attempt, or None to give up.

    ``network_failures`` counts the 5xx/connection/timeout failures so far (this one included);
    ``waited_s`` is the RetryAfter waiting already spent on this message."""
    if isinstance(exc, RetryAfter):
        delay = _retry_seconds(exc) + 0.1
        return delay if waited_s + delay <= policy.max_wait_s else None
    if isinstance(exc, NetworkError) and not isinstance(exc, BadRequest):
        if network_failures >= policy.network_attempts:
            return None
        return policy.backoff_s[min(network_failures - 1, len(policy.backoff_s) - 1)]
    return None


async def send_html(
    bot: Bot,
    chat_id: int,
    messages: Sequence[str],
    markup: InlineKeyboardMarkup | None = None,
    reply_to: int | None = None,
    policy: RetryPolicy = DEFAULT_POLICY,
) -> None:
    """Send HTML messages in order: reply to the question with the first, buttons on the last."""
    for i, text in enumerate(messages):
        try:
            await _send_one(
                bot,
                chat_id,
                text,
                markup if i == len(messages) - 1 else None,
                reply_to if i == 0 else None,
                policy,
            )
        except DeliveryError as exc:
            exc.delivered = i
            raise


async def _send_one(
    bot: Bot,
    chat_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None,
    reply_to: int | None,
    policy: RetryPolicy,
) -> None:
    kwargs: dict[str, Any] = {
        "chat_id": chat_id,
        "reply_markup": markup,
        "link_preview_options": LinkPreviewOptions(is_disabled=True),
        # Replying ties each answer to its question (several may be in flight in one chat);
        # allow_sending_without_reply keeps the answer if the question was deleted meanwhile.
        "reply_parameters": ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None,
    }
    attempts = network_failures = 0
    waited = 0.0
    while True:
        attempts += 1
        try:
            try:
                await bot.send_message(text=text, parse_mode=ParseMode.HTML, **kwargs)
            except BadRequest as exc:
                if "can't parse entities" not in str(exc).lower():
                    raise
                log.warning("Telegram rejected the HTML entities; resending as plain text")
                await bot.send_message(text=html_to_plain(text), **kwargs)
            return
        except TelegramError as exc:
            if isinstance(exc, NetworkError) and not isinstance(exc, BadRequest):
                network_failures += 1
            delay = next_delay(exc, network_failures, waited, policy)
            if delay is None:
                raise DeliveryError(type(exc).__name__, attempts) from exc
            if isinstance(exc, RetryAfter):
                waited += delay
            log.warning(
                "sending failed (%s), attempt %d; retrying in %.1f s", type(exc).__name__, attempts, delay
            )
            await asyncio.sleep(delay)
