"""``SafeBot``: the ExtBot whose ``getUpdates`` survives a poison update and feeds the inbox.

python-telegram-bot parses a whole ``getUpdates`` batch at once; one update it cannot parse (seen:
a poll option lacking a field) raised, the Updater fetched the same batch again, forever: nobody
was answered and every retry logged the raw batch (user ids, question text) at CRITICAL. Here each
update is parsed on its own; one that fails is skipped with a warning carrying only its
``update_id`` and the error type, and acknowledged (the next offset goes past it) so polling moves
on. The updates that parse are stored in the durable inbox (``bot/inbox.py``) before this call
returns, i.e. before the Updater's next ``getUpdates`` acknowledges them; ids the inbox already
holds are dropped, so a re-delivered update is not answered twice.

We hook ``_post`` (the one place the raw JSON is visible) rather than copy ``get_updates``'s
timeout arithmetic; it is checked against python-telegram-bot 22.x (``tests/bot``).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import JSONDict, ODVInput
from telegram.ext import ExtBot

from bot.inbox import Inbox

log = logging.getLogger(__name__)


@dataclass
class _PollState:
    floor: int = 0  # every update below this id was seen: the next offset is at least this
    skipped: int = 0


class SafeBot(ExtBot[None]):
    __slots__ = ("_inbox", "_poll")

    def __init__(self, *args: Any, inbox: Inbox | None = None, **kwargs: Any) -> None:
        # Bot freezes its attributes at the end of __init__; the mutable state lives in _poll.
        self._inbox = inbox
        self._poll = _PollState()
        super().__init__(*args, **kwargs)

    @property
    def skipped_updates(self) -> int:
        return self._poll.skipped

    async def _post(
        self,
        endpoint: str,
        data: JSONDict | None = None,
        *,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
        api_kwargs: JSONDict | None = None,
    ) -> Any:
        if endpoint == "getUpdates":
            data = dict(data or {})
            if self._poll.floor and int(data.get("offset") or 0) < self._poll.floor:
                data["offset"] = self._poll.floor
        result = await super()._post(
            endpoint,
            data,
            read_timeout=read_timeout,
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
            api_kwargs=api_kwargs,
        )
        if endpoint != "getUpdates" or not isinstance(result, list):
            return result
        return self._admit(result)

    def _admit(self, batch: list[Any]) -> list[JSONDict]:
        """The updates of one batch that parse and are new; the rest are acknowledged and dropped."""
        parsed: list[JSONDict] = []
        for item in batch:
            update_id = item.get("update_id") if isinstance(item, dict) else None
            if isinstance(update_id, int):
                self._poll.floor = max(self._poll.floor, update_id + 1)
            try:
                if not isinstance(update_id, int):
                    raise TypeError("update_id missing")
                Update.de_json(item, self)
            except Exception as exc:  # whatever PTB raises for this one update: skip it, not the bot
                self._poll.skipped += 1
                log.warning(
                    "skipped update %s: python-telegram-bot cannot parse it (%s); acknowledged",
                    update_id,
                    type(exc).__name__,
                )
                continue
            parsed.append(item)
        if self._inbox is None or not parsed:
            return parsed
        new = self._inbox.put_many((u["update_id"], json.dumps(u, ensure_ascii=False)) for u in parsed)
        return [u for u in parsed if u["update_id"] in new]
