"""Webhook mode with ``/healthz`` and ``/metrics`` beside the webhook (the one module using tornado,
the server python-telegram-bot's own webhook mode uses).

Several replicas can serve one webhook URL behind a load balancer (deploy/nginx.conf): with
``NETRAL_DATABASE_URL`` they share rate limits, follow-up context, feedback and the ids of
updates already taken, so an update Telegram re-delivers to another replica is answered once.
Every replica registers the same URL and secret with ``setWebhook`` (the secret is derived from
the shared salt when ``NETRAL_WEBHOOK_SECRET`` is unset).

``/healthz``: 200 ``{"ok": true, ...}`` when an index generation is loaded and the store answers,
else 503 (a load balancer takes the replica out). ``/metrics``: Prometheus text (bot/metrics.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import signal
from typing import Any

from telegram import Update
from telegram.ext import Application
from tornado.httpserver import HTTPServer
from tornado.web import Application as WebApplication
from tornado.web import RequestHandler

from bot.handlers import NetralBot

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ACK_TIMEOUT_S = 30.0


def health(bot: NetralBot) -> dict[str, Any]:
    """What /healthz reports: the live index generation and whether the store answers."""
    index = getattr(bot.service, "index", None)
    manifest = getattr(index, "manifest", None)
    generation = getattr(manifest, "generation", None) if manifest is not None else None
    documents = len(getattr(index, "documents", {}) or {}) if index is not None else None
    if index is None:  # a Service without an index attribute (tests' fakes): ask for documents
        with contextlib.suppress(Exception):
            documents = len(bot.service.documents())
    store_ok = bot.store.ping()
    ok = bool(store_ok and (generation or documents))
    return {"ok": ok, "generation": generation, "documents": documents, "store": store_ok}


class _Webhook(RequestHandler):
    def initialize(self, app: Application[Any, Any, Any, Any, Any, Any], secret: str) -> None:
        self.app, self.secret = app, secret

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            self.set_status(403)
            return
        try:
            update = Update.de_json(json.loads(self.request.body), self.app.bot)
        except Exception as exc:  # a malformed update must not be retried forever: acknowledge it
            log.warning("skipped a webhook update that does not parse (%s)", type(exc).__name__)
            return
        # Acknowledge only once the update is answered (or dropped as a duplicate): a replica that
        # dies mid-answer gives Telegram no 200, so Telegram re-delivers the update and another
        # replica answers it (bot/handlers.py ``claim``). A slow answer is acknowledged after
        # ACK_TIMEOUT_S anyway, to stay under Telegram's own timeout.
        bot: NetralBot = self.app.bot_data["netral"]
        handled = bot.handled(update.update_id)
        await self.app.update_queue.put(update)
        try:
            await asyncio.wait_for(asyncio.shield(handled), ACK_TIMEOUT_S)
        except TimeoutError:
            log.warning(
                "update %s not answered within %.0f s; acknowledging it", update.update_id, ACK_TIMEOUT_S
            )


class _Health(RequestHandler):
    def initialize(self, bot: NetralBot) -> None:
        self.bot = bot

    async def get(self) -> None:
        report = await asyncio.get_running_loop().run_in_executor(None, health, self.bot)
        self.set_status(200 if report["ok"] else 503)
        self.set_header("Content-Type", "application/json")
        self.write(json.dumps(report))


class _Metrics(RequestHandler):
    def initialize(self, bot: NetralBot) -> None:
        self.bot = bot

    async def get(self) -> None:
        self.set_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        self.write(self.bot.metrics.render())


def web_app(app: Application[Any, Any, Any, Any, Any, Any], url_path: str, secret: str) -> WebApplication:
    bot: NetralBot = app.bot_data["netral"]
    return WebApplication(
        [
            (r"/healthz", _Health, {"bot": bot}),
            (r"/metrics", _Metrics, {"bot": bot}),
            (rf"/{url_path.strip('/')}", _Webhook, {"app": app, "secret": secret}),
        ]
    )


async def serve(
    app: Application[Any, Any, Any, Any, Any, Any],
    *,
    listen: str,
    port: int,
    url_path: str,
    webhook_url: str,
    secret: str,
    allowed_updates: list[str],
    stop: asyncio.Event | None = None,
) -> None:
    """Start the Application, register the webhook, serve until SIGTERM/SIGINT (or ``stop``), and
    stop gracefully (updates already received are answered first)."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    await app.initialize()
    if app.post_init:
        await app.post_init(app)
    await app.start()
    server = HTTPServer(web_app(app, url_path, secret))
    server.listen(port, address=listen)
    try:
        await app.bot.set_webhook(
            url=webhook_url, secret_token=secret, allowed_updates=allowed_updates, drop_pending_updates=False
        )
        log.info("webhook replica serving on %s:%d (/%s, /healthz, /metrics)", listen, port, url_path)
        await stop.wait()
    finally:
        server.stop()
        await app.stop()
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)
