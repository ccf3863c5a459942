"""A scripted fake of an OpenAI-compatible ``POST /v1/chat/completions`` endpoint.

It runs a real aiohttp server on 127.0.0.1 (random port) in a background thread, so the real
HTTP client stack (langchain -> openai -> httpx) is exercised, including timeouts, HTTP errors
and refused connections, while sync tests stay sync. Each request consumes the next scripted
behaviour; every request body is recorded for assertions.

    with FakeOpenAIServer() as server:
        server.reply('{"verdict": "dilarang", "answer": "... [1]"}')
        model = LangchainChatModel(base_url=server.base_url, model="fake")
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
from collections import deque
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Literal

from aiohttp import web

BehaviourKind = Literal["reply", "status"]


@dataclass(frozen=True)
class Behaviour:
    kind: BehaviourKind
    content: str = ""
    delay_s: float = 0.0
    status: int = 200


class FakeOpenAIServer:
    """Scripted fake server. Use as a context manager or call ``start()``/``stop()``."""

    def __init__(self, model: str = "fake-model") -> None:
        self.model = model
        self.requests: list[dict[str, Any]] = []
        self._script: deque[Behaviour] = deque()
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._stopping: asyncio.Event | None = None
        self.port = 0

    # --- scripting -------------------------------------------------------------------------

    def reply(self, content: str, delay_s: float = 0.0) -> None:
        """Answer the next request with ``content`` as the assistant message."""
        self._push(Behaviour("reply", content=content, delay_s=delay_s))

    def reply_json(self, payload: dict[str, Any], delay_s: float = 0.0) -> None:
        self.reply(json.dumps(payload, ensure_ascii=False), delay_s=delay_s)

    def slow_reply(self, delay_s: float, content: str = '{"verdict": "boleh", "answer": "[1]"}') -> None:
        """Sleep ``delay_s`` before replying, to trip the client's timeout."""
        self.reply(content, delay_s=delay_s)

    def fail(self, status: int = 500) -> None:
        """Answer the next request with an HTTP error in OpenAI's error shape."""
        self._push(Behaviour("status", status=status))

    def cite_unknown_source(self, number: int = 99, verdict: str = "dilarang") -> None:
        """A well-formed reply whose only citation points at a unit that was never presented."""
        self.reply_json(
            {
                "verdict": verdict,
                "answer": f"PNS dilarang melakukan hal itu [{number}].",
                "sanctions": [],
                "caveats": [],
            }
        )

    def ignore_instructions(self) -> None:
        """Plain prose with no JSON object: the model ignored the required format."""
        self.reply(
            "Tentu! Menurut saya sebagai asisten, hal itu sebaiknya dihindari saja, "
            "tetapi semua kembali kepada hati nurani Anda."
        )

    def _push(self, behaviour: Behaviour) -> None:
        with self._lock:
            self._script.append(behaviour)

    def _next(self) -> Behaviour | None:
        with self._lock:
            return self._script.popleft() if self._script else None

    @property
    def pending(self) -> int:
        """Scripted behaviours not consumed yet."""
        with self._lock:
            return len(self._script)

    # --- lifecycle ---------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> FakeOpenAIServer:
        ready = threading.Event()
        errors: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self._start_site())
            except BaseException as exc:  # reported to the starting thread below
                errors.append(exc)
                ready.set()
                loop.close()
                return
            ready.set()
            loop.run_forever()
            loop.close()

        self._thread = threading.Thread(target=run, name="fake-openai-server", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("fake OpenAI server did not start")
        if errors:
            raise RuntimeError("fake OpenAI server failed to start") from errors[0]
        return self

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        asyncio.run_coroutine_threadsafe(self._stop_site(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        self._loop = self._thread = None

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    async def _start_site(self) -> None:
        self._stopping = asyncio.Event()
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._chat_completions)
        # A short shutdown timeout: a handler still "sleeping" for the timeout test must not
        # hold the test run for aiohttp's default 60 s.
        self._runner = web.AppRunner(app, shutdown_timeout=0.5, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def _stop_site(self) -> None:
        if self._stopping is not None:
            self._stopping.set()
        if self._runner is not None:
            await self._runner.cleanup()

    # --- handler -----------------------------------------------------------------------------

    async def _chat_completions(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.requests.append(body)
        behaviour = self._next()
        if behaviour is None:
            # An unscripted call is a test bug: answer loudly with a status tests can see.
            return _error(599, "no scripted behaviour left")
        if behaviour.delay_s and self._stopping is not None:
            # Wait on the stop event rather than sleep, so stopping the server ends the wait.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), behaviour.delay_s)
        if behaviour.kind == "status":
            return _error(behaviour.status, "scripted failure")
        return web.json_response(
            {
                "id": f"chatcmpl-fake-{len(self.requests)}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body.get("model", self.model),
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": behaviour.content},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
            }
        )

    # --- assertions helpers ------------------------------------------------------------------

    def messages(self, index: int = -1) -> dict[str, str]:
        """The ``{role: content}`` of a recorded request (the last one by default)."""
        return {m["role"]: _content_text(m.get("content")) for m in self.requests[index]["messages"]}


def _content_text(content: object) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)
    return ""


def _error(status: int, message: str) -> web.Response:
    return web.json_response(
        {"error": {"message": message, "type": "server_error", "param": None, "code": None}},
        status=status,
    )
