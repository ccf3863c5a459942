"""A small fake Telegram Bot API server (aiohttp, 127.0.0.1, random port) for tests and benchmarks.

Point a real ``telegram.ext.Application`` at ``server.base_url`` and it talks to this instead of
api.telegram.org. Like Telegram, getUpdates drops only the updates *below* the offset it is
called with, so a bot that restarts gets every unconfirmed update again.

Switches: ``fail_next(method, n, retry_after)`` answers 429 to the next n calls of a method
(``status=500`` for a server error, ``status=0`` to reset the connection without an answer);
``delay_next(method, n, seconds)`` answers the next n calls late (but delivers them);
``reject_html_marker`` answers 400 "can't parse entities" to HTML messages containing it;
``push_raw_update`` queues an update exactly as given (e.g. one PTB cannot parse).
Webhook mode: ``webhook_targets`` lists the replicas' webhook URLs (Telegram plus a round-robin
load balancer in one); ``deliver`` POSTs an update to them alternately with the secret the bot
registered through ``setWebhook``, and re-sends it to the next replica when one fails to answer 2xx
(connection refused or reset, error, timeout), as Telegram re-delivers. ``hold_sends`` makes
``sendMessage`` for some chats hang unanswered (never delivered), to stop a replica mid-answer.
Every call is recorded in ``calls``; ``wait_for`` waits (event-driven) for a condition on them.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from aiohttp import web

BOT_USER: dict[str, Any] = {
    "id": 424242,
    "is_bot": True,
    "first_name": "Tanya Netral",
    "username": "netral_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}

# Form fields PTB sends JSON-encoded.
_JSON_FIELDS = {
    "reply_markup",
    "allowed_updates",
    "commands",
    "reply_parameters",
    "link_preview_options",
    "entities",
    "scope",
}
_TELEGRAM_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "span",
                  "tg-spoiler", "tg-emoji", "blockquote"}  # fmt: skip


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float  # time.perf_counter() when received
    status: int = 200


class _EntityChecker(HTMLParser):
    """Telegram-like HTML validation: known tags only, properly nested; counts the visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.error: str | None = None
        self.visible = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _TELEGRAM_TAGS:
            self.error = self.error or f'Unsupported start tag "{tag}"'
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.error = self.error or f'Unexpected end tag "{tag}"'
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.visible += len(data)


def check_html(text: str) -> tuple[str | None, int]:
    """(error or None, visible length) for a parse_mode=HTML text."""
    checker = _EntityChecker()
    checker.feed(text)
    checker.close()
    if checker.stack and not checker.error:
        checker.error = f'Can\'t find end tag corresponding to start tag "{checker.stack[-1]}"'
    if "<" in checker.rawdata:  # an unterminated tag left in the buffer
        checker.error = checker.error or "Unclosed start tag"
    return checker.error, checker.visible


@dataclass
class Delivery:
    update_id: int
    target: int  # index into ``webhook_targets``
    status: int  # HTTP status, 0 when the connection failed
    started: float  # perf_counter
    seconds: float


@dataclass
class FakeTelegram:
    """The server's state. Use ``async with FakeTelegram() as tg:``."""

    token: str = "123456:TEST-TOKEN-abcdefghijklmnopqrstuvwx"
    long_poll_cap: float = 1.0  # getUpdates never waits longer than this, whatever the timeout
    calls: list[Call] = field(default_factory=list)
    reject_html_marker: str | None = None
    port: int = 0
    _updates: list[dict[str, Any]] = field(default_factory=list)
    _next_update_id: int = 1000
    _next_message_id: int = 1
    _served_at: dict[int, float] = field(default_factory=dict)
    _failures: dict[str, tuple[int, float, int]] = field(default_factory=dict)
    _delays: dict[str, tuple[int, float]] = field(default_factory=dict)
    _chats: dict[int, dict[str, Any]] = field(default_factory=dict)
    _changed: asyncio.Condition | None = None
    _runner: web.AppRunner | None = None
    _closing: bool = False
    webhook: dict[str, Any] | None = None  # the last setWebhook parameters
    webhook_targets: list[str] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    _next_target: int = 0
    _session: Any = None
    _held_chats: set[int] = field(default_factory=set)
    _release: asyncio.Event | None = None

    # ------------------------------------------------------------ lifecycle

    async def start(self) -> FakeTelegram:
        self._changed = asyncio.Condition()
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()
        return self

    async def stop(self) -> None:
        # Release pending long polls first, or the server's graceful shutdown waits them out.
        self._closing = True
        if self._changed is not None:
            async with self._changed:
                self._changed.notify_all()
        if self._release is not None:
            self._release.set()
        if self._session is not None:
            await self._session.close()
        if self._runner:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeTelegram:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    # ------------------------------------------------------------ switches and inputs

    def fail_next(self, method: str, n: int = 1, retry_after: float = 1, status: int = 429) -> None:
        """Answer the next ``n`` calls of ``method`` with 429 Too Many Requests (or ``status``;
        0 closes the connection without any answer, like a reset)."""
        self._failures[method] = (n, retry_after, status)

    def delay_next(self, method: str, n: int = 1, seconds: float = 1.0) -> None:
        """Handle the next ``n`` calls of ``method`` normally, but answer only after ``seconds``."""
        self._delays[method] = (n, seconds)

    def push_raw_update(self, update: dict[str, Any]) -> int:
        """Queue ``update`` as given (only ``update_id`` is assigned), even if it is malformed."""
        update = dict(update)
        update["update_id"] = self._next_update_id
        self._next_update_id += 1
        self._updates.append(update)
        self._notify()
        return int(update["update_id"])

    def push_update(self, update: dict[str, Any]) -> int:
        """Queue an update (``update_id`` is assigned); returns its id."""
        update = dict(update)
        update["update_id"] = self._next_update_id
        self._next_update_id += 1
        message = update.get("message") or (update.get("callback_query") or {}).get("message")
        if message:
            self._chats[message["chat"]["id"]] = message["chat"]
        self._updates.append(update)
        self._notify()
        return int(update["update_id"])

    def hold_sends(self, chat_ids: set[int]) -> None:
        """``sendMessage`` to these chats hangs without an answer and is never delivered (until
        ``release_sends``): the replica sending it is stuck mid-answer."""
        self._held_chats = set(chat_ids)
        self._release = asyncio.Event()

    def release_sends(self) -> None:
        self._held_chats = set()
        if self._release is not None:
            self._release.set()

    async def deliver(
        self,
        update: dict[str, Any],
        *,
        to: int | None = None,
        attempts: int = 60,
        retry_delay: float = 0.2,
        timeout: float = 60.0,
    ) -> Delivery:
        """POST ``update`` (its ``update_id`` kept, else assigned) to a replica's webhook: ``to``,
        else the next one in turn; on anything but 2xx, again to the next replica after
        ``retry_delay`` (bounded by ``attempts``). Returns the delivery that was accepted."""
        import aiohttp

        if not self.webhook_targets:
            raise RuntimeError("deliver() needs webhook_targets")
        update = dict(update)
        if "update_id" not in update:
            update["update_id"] = self._next_update_id
            self._next_update_id += 1
        message = update.get("message") or (update.get("callback_query") or {}).get("message")
        if message:
            self._chats[message["chat"]["id"]] = message["chat"]
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout))
        secret = str((self.webhook or {}).get("secret_token") or "")
        if to is None:
            to = self._next_target
            self._next_target = (self._next_target + 1) % len(self.webhook_targets)
        target = to % len(self.webhook_targets)
        for attempt in range(attempts):
            started = time.perf_counter()
            status = 0
            try:
                async with self._session.post(
                    self.webhook_targets[target],
                    json=update,
                    headers={"X-Telegram-Bot-Api-Secret-Token": secret},
                ) as response:
                    status = response.status
            except (aiohttp.ClientError, TimeoutError, OSError):
                status = 0
            delivery = Delivery(
                int(update["update_id"]), target, status, started, time.perf_counter() - started
            )
            self.deliveries.append(delivery)
            if 200 <= status < 300:
                return delivery
            target = (target + 1) % len(self.webhook_targets)
            if attempt + 1 < attempts:
                await asyncio.sleep(retry_delay)
        raise RuntimeError(f"update {update['update_id']} not accepted after {attempts} attempts")

    def next_message_id(self) -> int:
        self._next_message_id += 1
        return self._next_message_id

    # ------------------------------------------------------------ queries

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method and c.status == 200]

    def sent(self, chat_id: int | None = None) -> list[dict[str, Any]]:
        """Successfully delivered sendMessage parameters, optionally for one chat."""
        return [
            c.params
            for c in self.calls_to("sendMessage")
            if chat_id is None or c.params["chat_id"] == chat_id
        ]

    def served_at(self, update_id: int) -> float | None:
        """When an update was first handed out by getUpdates (perf_counter)."""
        return self._served_at.get(update_id)

    @property
    def pending(self) -> list[int]:
        """IDs of updates Telegram would still deliver (not yet confirmed by an offset)."""
        return [u["update_id"] for u in self._updates]

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        """Wait until ``predicate()`` holds, re-checking on every API call; TimeoutError otherwise."""
        assert self._changed is not None

        async def _wait() -> None:
            assert self._changed is not None
            async with self._changed:
                await self._changed.wait_for(predicate)

        await asyncio.wait_for(_wait(), timeout)

    async def wait_sent(
        self, n: int, chat_id: int | None = None, timeout: float = 10.0
    ) -> list[dict[str, Any]]:
        """Wait until at least ``n`` messages were delivered (to ``chat_id``); returns them."""
        await self.wait_for(lambda: len(self.sent(chat_id)) >= n, timeout)
        return self.sent(chat_id)

    def __iter__(self) -> Iterator[Call]:
        return iter(self.calls)

    # ------------------------------------------------------------ HTTP

    def _notify(self) -> None:
        cond = self._changed
        if cond is None:
            return

        async def _go() -> None:
            async with cond:
                cond.notify_all()

        asyncio.get_running_loop().create_task(_go())

    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            raw: dict[str, Any] = await request.json()
        else:
            raw = dict(await request.post())
        params: dict[str, Any] = {}
        for key, value in raw.items():
            if isinstance(value, str) and key in _JSON_FIELDS:
                value = json.loads(value)
            elif isinstance(value, str) and key in {"chat_id", "offset", "limit", "message_id"}:
                value = int(value)
            elif isinstance(value, str) and key == "timeout":
                value = float(value)
            params[key] = value
        return params

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        params = await self._params(request)
        call = Call(method, params, time.perf_counter())
        self.calls.append(call)
        if method == "sendMessage" and int(params.get("chat_id", 0) or 0) in self._held_chats:
            call.status = 0  # held (hold_sends): never counts as delivered
        n, _, status = self._failures.get(method, (0, 0, 0))
        if n > 0 and status == 0:
            self._failures[method] = (n - 1, 0, 0)
            call.status = 0
            assert request.transport is not None
            request.transport.abort()  # the client sees a connection reset, no response
            self._notify()
            raise ConnectionResetError("fake reset")
        n, delay = self._delays.get(method, (0, 0.0))
        if n > 0:
            self._delays[method] = (n - 1, delay)
        try:
            response = await self._dispatch(method, params)
            if n > 0:
                await asyncio.sleep(delay)
        finally:
            self._notify()
        call.status = response.status
        return response

    async def _dispatch(self, method: str, params: dict[str, Any]) -> web.Response:
        n, retry_after, status = self._failures.get(method, (0, 0, 0))
        if n > 0:
            self._failures[method] = (n - 1, retry_after, status)
            if status != 429:
                return _error(status, "Internal Server Error")
            return _error(429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after})
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return _error(404, "Not Found: method not found")
        result: web.Response = await handler(params)
        return result

    async def _m_getMe(self, params: dict[str, Any]) -> web.Response:
        return _ok(BOT_USER)

    async def _m_getUpdates(self, params: dict[str, Any]) -> web.Response:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        if offset:
            # Like Telegram: an offset confirms every update below it; those are gone for good.
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        wait = min(float(params.get("timeout") or 0), self.long_poll_cap)
        if not self._updates and wait > 0:
            assert self._changed is not None
            async with self._changed:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        self._changed.wait_for(lambda: bool(self._updates) or self._closing), wait
                    )
        batch = self._updates[:limit]
        now = time.perf_counter()
        for u in batch:
            self._served_at.setdefault(u["update_id"], now)
        return _ok(batch)

    async def _m_sendMessage(self, params: dict[str, Any]) -> web.Response:
        if self._held_chats and int(params.get("chat_id", 0)) in self._held_chats:
            assert self._release is not None
            await self._release.wait()  # the sender is killed meanwhile: nothing delivered
            return _error(500, "Internal Server Error: held")
        text = str(params.get("text", ""))
        visible = len(text)
        if params.get("parse_mode") == "HTML":
            if self.reject_html_marker and self.reject_html_marker in text:
                return _error(
                    400, 'Bad Request: can\'t parse entities: Unsupported start tag "marker" at byte offset 0'
                )
            error, visible = check_html(text)
            if error:
                return _error(400, f"Bad Request: can't parse entities: {error}")
        if not text.strip():
            return _error(400, "Bad Request: message text is empty")
        if visible > 4096:
            return _error(400, "Bad Request: message is too long")
        for row in (params.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                if len(button.get("callback_data", "").encode("utf-8")) > 64:
                    return _error(400, "Bad Request: BUTTON_DATA_INVALID")
        return _ok(self._message(params, text))

    async def _m_editMessageText(self, params: dict[str, Any]) -> web.Response:
        return _ok(self._message(params, str(params.get("text", "")), message_id=params.get("message_id")))

    async def _m_answerCallbackQuery(self, params: dict[str, Any]) -> web.Response:
        return _ok(True)

    async def _m_sendChatAction(self, params: dict[str, Any]) -> web.Response:
        return _ok(True)

    async def _m_setMyCommands(self, params: dict[str, Any]) -> web.Response:
        return _ok(True)

    async def _m_setWebhook(self, params: dict[str, Any]) -> web.Response:
        self.webhook = dict(params)
        return _ok(True)

    async def _m_deleteWebhook(self, params: dict[str, Any]) -> web.Response:
        return _ok(True)

    async def _m_getWebhookInfo(self, params: dict[str, Any]) -> web.Response:
        return _ok({"url": "", "has_custom_certificate": False, "pending_update_count": len(self._updates)})

    def _message(self, params: dict[str, Any], text: str, message_id: int | None = None) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        chat = self._chats.get(chat_id) or {"id": chat_id, "type": "private" if chat_id > 0 else "group"}
        message: dict[str, Any] = {
            "message_id": message_id or self.next_message_id(),
            "date": int(time.time()),
            "chat": chat,
            "from": BOT_USER,
            "text": text,
        }
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return message


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _error(code: int, description: str, parameters: dict[str, Any] | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=code)


# ------------------------------------------------------------------ update builders (Telegram's JSON)


def user_json(user_id: int, first_name: str = "Budi") -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "id"}


def chat_json(chat_id: int, kind: str | None = None, user_id: int | None = None) -> dict[str, Any]:
    kind = kind or ("private" if chat_id > 0 else "supergroup")
    if kind == "private":
        return {"id": chat_id, "type": "private", "first_name": "Budi"}
    return {"id": chat_id, "type": kind, "title": "ASN Diskusi"}


def message_update(
    tg: FakeTelegram,
    text: str | None,
    *,
    user_id: int = 1001,
    chat_id: int | None = None,
    chat_type: str | None = None,
    reply_to: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A ``message`` update as Telegram sends it; commands and @mentions get their entities."""
    chat_id = chat_id if chat_id is not None else user_id
    message: dict[str, Any] = {
        "message_id": tg.next_message_id(),
        "date": int(time.time()),
        "chat": chat_json(chat_id, chat_type),
        "from": user_json(user_id),
    }
    if text is not None:
        message["text"] = text
        entities: list[dict[str, Any]] = []
        if text.startswith("/"):
            entities.append({"type": "bot_command", "offset": 0, "length": len(text.split()[0])})
        start = text.find("@")
        while start != -1:
            end = start + 1
            while end < len(text) and (text[end].isalnum() or text[end] == "_"):
                end += 1
            if end - start > 1 and not (
                entities and entities[0]["type"] == "bot_command" and start < entities[0]["length"]
            ):
                entities.append({"type": "mention", "offset": start, "length": end - start})
            start = text.find("@", end)
        if entities:
            message["entities"] = entities
    if reply_to is not None:
        message["reply_to_message"] = reply_to
    if extra:
        message.update(extra)
    return {"message": message}


def callback_update(
    tg: FakeTelegram, data: str, *, user_id: int = 1001, chat_id: int | None = None, message_id: int = 1
) -> dict[str, Any]:
    """A ``callback_query`` update: a user pressed an inline button with ``data``."""
    chat_id = chat_id if chat_id is not None else user_id
    return {
        "callback_query": {
            "id": str(tg.next_message_id()),
            "from": user_json(user_id),
            "chat_instance": "ci-1",
            "data": data,
            "message": {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": chat_json(chat_id),
                "from": BOT_USER,
                "text": "…",
            },
        }
    }


@contextlib.asynccontextmanager
async def running(app: Any) -> AsyncIterator[Any]:
    """Start and stop an Application the way ``run_polling`` does, inside the caller's loop; the
    stop is graceful (fetched updates are handled first)."""
    from bot.app import ALLOWED_UPDATES

    await app.initialize()
    if app.post_init:
        await app.post_init(app)
    await app.updater.start_polling(poll_interval=0.0, timeout=1, allowed_updates=ALLOWED_UPDATES)
    await app.start()
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)
