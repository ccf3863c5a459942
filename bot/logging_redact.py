"""Keep the bot token and user data out of the logs: quiet chatty loggers, redact the token."""

from __future__ import annotations

import logging


class RedactToken(logging.Filter):
    """Last line of defence: no log line may carry the bot token (it is part of every API URL)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if self.token and self.token in record.getMessage():
            record.msg = record.getMessage().replace(self.token, "[TOKEN]")
            record.args = None
        if record.exc_info and self.token:
            # Exception messages carry the token too (PTB's InvalidToken, httpx URL errors):
            # format the traceback once, redacted, and let handlers print that text.
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = text.replace(self.token, "[TOKEN]")
            record.exc_info = None
        return True


def quiet_loggers(token: str) -> None:
    """Idempotent: call it as early as possible (``netral.cli.main``) and again when building the bot."""
    # httpx logs every request URL at INFO, and the URL contains the token; PTB logs whole
    # updates (with user IDs) at DEBUG. Neither belongs in our logs.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    for name in ("telegram", "telegram.ext"):
        if logging.getLogger(name).getEffectiveLevel() < logging.INFO:
            logging.getLogger(name).setLevel(logging.INFO)
    if not token:
        return
    redact = RedactToken(token)
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactToken) for f in handler.filters):
            handler.addFilter(redact)
