"""The Telegram front end: thin handlers over a ``rag.protocols.Service`` and one wiring function.

Edited messages are deliberately ignored (not requested in ``allowed_updates`` and filtered out):
answering an edit would post a second, possibly contradicting answer below the first one, and
the user can simply send the corrected question again.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dtm
import hashlib
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    MessageEntity,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import BadRequest, RetryAfter, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.render import (
    VERDICT_LINES,
    Lang,
    Piece,
    answer_pieces,
    documents_pieces,
    esc,
    html_to_plain,
    pack,
    unit_pieces,
)
from bot.store import BotStore
from rag.protocols import Service
from rag.settings import Settings
from rag.types import VERDICTS, Answer

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "callback_query"]  # no edited_message: see the module docstring
MAX_UNIT_BUTTONS = 6
TYPING_AFTER_S = 1.0  # only show "typing…" for slow answers: each chat action costs a rate-limit slot
TYPING_MAX_IN_FLIGHT = 5  # ... and not during a burst
CONTEXT_TTL_S = 30 * 60  # a follow-up after half an hour is a new conversation
FINAL_SEND_ATTEMPTS = 5  # on top of the rate limiter's own retries, for answers only

ERROR_TEXT = "Maaf, terjadi kesalahan. Silakan coba lagi."
UNKNOWN_COMMAND_TEXT = "Perintah tidak dikenal."
NON_TEXT_TEXT = "Maaf, saya hanya bisa membaca pertanyaan dalam bentuk teks. Silakan ketik pertanyaan Anda."
EXPIRED_TEXT = "Tombol ini sudah kedaluwarsa. Silakan ajukan pertanyaannya lagi."

EXAMPLES: tuple[str, ...] = (
    "Bolehkah PNS menghadiri kampanye calon kepala daerah?",
    "Apa sanksi bagi ASN yang memberi like pada unggahan kampanye di media sosial?",
    "Bolehkah ASN menjadi anggota atau pengurus partai politik?",
)

PUBLIC_COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "Mulai dan lihat contoh pertanyaan"),
    ("bantuan", "Cara bertanya dan daftar perintah"),
    ("sumber", "Daftar peraturan yang menjadi sumber jawaban"),
    ("privasi", "Data apa yang disimpan dan berapa lama"),
    ("hapus", "Hapus semua data Anda"),
)

START_TEXT = (
    "Halo! Saya <b>Tanya Netral</b>, asisten yang menjawab pertanyaan tentang "
    "<b>aturan netralitas ASN</b>: boleh atau tidak, apa sanksinya, dan pasal mana yang menjadi dasarnya.\n\n"
    "Ketik saja pertanyaan Anda, misalnya tentang kampanye, media sosial, atau partai politik. "
    "Setiap jawaban mencantumkan kutipan pasal; tekan 📜 untuk membaca teks lengkapnya.\n\n"
    "<i>Jawaban bersifat informasi umum, bukan nasihat hukum. Untuk keputusan resmi, "
    "periksa teks peraturan dan tanyakan kepada atasan atau Bawaslu/BKN.</i>\n\n"
    "🔒 Isi pertanyaan Anda tidak disimpan. Lihat /privasi.\n\n"
    "Coba salah satu contoh berikut:"
)

HELP_TEXT = (
    "<b>Cara bertanya</b>\n"
    "Tulis satu pertanyaan dalam satu pesan, sejelas mungkin (siapa, melakukan apa, kapan). "
    "Pertanyaan lanjutan seperti “kalau hanya membagikan?” dipahami dalam konteks pertanyaan sebelumnya.\n\n"
    "Di grup, sebut saya (@{username}) atau balas pesan saya.\n\n"
    "<b>Perintah</b>\n"
    "/start — mulai dan contoh pertanyaan\n"
    "/sumber — daftar peraturan yang dipakai\n"
    "/privasi — data yang disimpan\n"
    "/hapus — hapus data Anda\n"
    "/bantuan — pesan ini\n\n"
    "<i>Bukan nasihat hukum.</i>"
)

PRIVACY_TEXT = (
    "<b>Privasi</b>\n"
    "• <b>Isi pertanyaan tidak disimpan.</b> Yang dicatat hanya jumlah pertanyaan per jenis jawaban per hari, "
    "tanpa identitas.\n"
    "• Umpan balik 👍/👎 disimpan bersama ID pengguna yang telah di-hash (disamarkan), jenis jawaban, dan "
    "pasal yang dikutip, selama {days} hari, lalu dihapus otomatis.\n"
    "• Pertanyaan terakhir di obrolan ini disimpan sementara di memori (tidak di disk) agar pertanyaan "
    "lanjutan bisa dipahami; hilang setelah 30 menit atau saat bot dimulai ulang.\n"
    "• /hapus menghapus semua umpan balik Anda dan konteks percakapan ini."
)

K = TypeVar("K")
V = TypeVar("V")


class LRU(Generic[K, V]):
    """A small bounded mapping: button keys must not grow memory without limit."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        if key not in self._data:
            return None
        self._data.move_to_end(key)
        return self._data[key]

    def put(self, key: K, value: V) -> None:
        self._data[key] = value
        self._data.move_to_end(key)
        while len(self._data) > self.size:
            self._data.popitem(last=False)

    def pop(self, key: K) -> None:
        self._data.pop(key, None)


class TokenBuckets:
    """Per-user token bucket: ``per_minute`` questions of burst, refilled continuously."""

    def __init__(self, per_minute: int, max_users: int = 50_000) -> None:
        self.capacity = float(max(per_minute, 1))
        self.rate = self.capacity / 60.0
        self._buckets: LRU[str, tuple[float, float]] = LRU(max_users)

    def take(self, key: str, now: float | None = None) -> float:
        """Consume one token; returns 0 when allowed, else the seconds until one is available."""
        now = time.monotonic() if now is None else now
        tokens, last = self._buckets.get(key) or (self.capacity, now)
        tokens = min(self.capacity, tokens + (now - last) * self.rate)
        if tokens >= 1.0:
            self._buckets.put(key, (tokens - 1.0, now))
            return 0.0
        self._buckets.put(key, (tokens, now))
        return (1.0 - tokens) / self.rate

    def forget(self, key: str) -> None:
        self._buckets.pop(key)


@dataclass
class AnswerRef:
    """What a 👍/👎 button needs to know about the answer it sits under."""

    verdict: str
    labels: tuple[str, ...]
    voters: set[str] = field(default_factory=set)


def _retry_seconds(exc: RetryAfter) -> float:
    value: Any = exc.retry_after
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


class NetralBot:
    """The handlers and the little state they share (caches, buckets, executor)."""

    def __init__(
        self, settings: Settings, service: Service, store: BotStore, answer_workers: int = 4
    ) -> None:
        self.settings = settings
        self.service = service
        self.store = store
        self.admins = frozenset(settings.admin_ids)
        self.buckets = TokenBuckets(settings.rate_limit_per_minute)
        # The answer pipeline is CPU-bound and synchronous: keep it off the event loop.
        self.executor = ThreadPoolExecutor(max_workers=answer_workers, thread_name_prefix="netral-answer")
        self._in_flight = 0  # answers queued or being computed (event-loop thread only)
        self.long_labels: LRU[str, str] = LRU(5000)
        self.answers: LRU[str, AnswerRef] = LRU(5000)
        self.purge_task: asyncio.Task[None] | None = None

    # ----------------------------------------------------------------- commands

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/start: what the bot does, disclaimer, privacy note and example buttons."""
        if not (msg := update.effective_message):
            return
        buttons = [[InlineKeyboardButton(q, callback_data=f"ex:{i}")] for i, q in enumerate(EXAMPLES)]
        await msg.reply_html(START_TEXT, reply_markup=InlineKeyboardMarkup(buttons), do_quote=False)

    async def help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/bantuan: how to ask and the command list."""
        if msg := update.effective_message:
            await msg.reply_html(HELP_TEXT.format(username=esc(context.bot.username)), do_quote=False)

    async def sources(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/sumber: the documents in the index with status and official link."""
        if not (chat := update.effective_chat):
            return
        docs = await self._off_loop(self.service.documents)
        header = Piece("", prefix="<b>Sumber yang dipakai</b> (status saat ini):")
        await self._send(context, chat.id, pack([header, *documents_pieces(docs)]))

    async def privacy(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/privasi: what is stored and for how long."""
        if msg := update.effective_message:
            await msg.reply_html(PRIVACY_TEXT.format(days=self.settings.retention_days), do_quote=False)

    async def forget(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/hapus: delete everything stored about the user (and this chat's context)."""
        if not (msg := update.effective_message) or not (user := update.effective_user):
            return
        key = self.store.user_hash(user.id)
        removed = self.store.delete_user(key)
        self.buckets.forget(key)
        if context.chat_data is not None:
            context.chat_data.pop("prev", None)
        await msg.reply_html(
            f"🗑️ Data Anda sudah dihapus ({removed} umpan balik). Konteks percakapan juga dihapus.",
            do_quote=False,
        )

    async def stats(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/stats (admins only): aggregate counts, nothing per user."""
        if not (msg := update.effective_message) or not self._is_admin(update):
            await self.unknown_command(update, context)
            return
        s = self.store.stats()
        lines = [f"📊 <b>Statistik</b>\nPertanyaan terjawab: {s.questions}"]
        names: dict[str, str] = {str(k): v for k, v in VERDICT_LINES["id"].items()}
        lines += [f"• {esc(names.get(v, v))}: {n}" for v, n in s.verdicts.items()]
        lines.append(f"Umpan balik: 👍 {s.feedback_up} / 👎 {s.feedback_down}")
        await msg.reply_html("\n".join(lines), do_quote=False)

    async def reload(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/reload (admins only): reopen the index after a re-ingest."""
        if not (msg := update.effective_message) or not self._is_admin(update):
            await self.unknown_command(update, context)
            return
        await self._off_loop(self.service.reload)
        docs = await self._off_loop(self.service.documents)
        log.info("index reloaded by an admin: %d documents", len(docs))
        await msg.reply_html(f"✅ Indeks dimuat ulang: {len(docs)} dokumen.", do_quote=False)

    async def unknown_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Any other command: a short reply in private chats or when addressed to us by name."""
        msg = update.effective_message
        if not msg or not msg.text:
            return
        command = msg.text.split()[0]
        addressed = (
            "@" in command and command.split("@", 1)[1].lower() == (context.bot.username or "").lower()
        )
        if msg.chat.type == ChatType.PRIVATE or addressed:
            await msg.reply_text(UNKNOWN_COMMAND_TEXT, do_quote=False)

    # ----------------------------------------------------------------- messages

    async def text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Free text: answer it (in groups only when mentioned or replied to)."""
        msg = update.effective_message
        if not msg or not msg.text or not update.effective_user:
            return
        question = self._question_in(msg, context)
        if question is None:
            return
        if not question:
            await msg.reply_text("Silakan tulis pertanyaan Anda setelah menyebut saya.", do_quote=True)
            return
        await self._answer(context, msg.chat_id, update.effective_user.id, question, reply_to=msg.message_id)

    async def non_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Photos, stickers, voice, documents…: a short polite text (groups: only replies to us)."""
        msg = update.effective_message
        if not msg:
            return
        if msg.chat.type == ChatType.PRIVATE or self._replies_to_bot(msg, context):
            await msg.reply_text(NON_TEXT_TEXT, do_quote=False)

    # ----------------------------------------------------------------- buttons

    async def example(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """An example-question button from /start: answer that question."""
        query, chat_id = update.callback_query, update.effective_chat
        if not query or not query.data or not chat_id:
            return
        await query.answer()
        index = int(query.data.split(":", 1)[1])
        if not 0 <= index < len(EXAMPLES):
            return
        await self._answer(context, chat_id.id, query.from_user.id, EXAMPLES[index], echo=True)

    async def show_unit(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A "📜 Lihat pasal" button: send the unit's verbatim text, status and official link."""
        query, chat = update.callback_query, update.effective_chat
        if not query or not query.data or not chat:
            return
        kind, rest = query.data.split(":", 1)
        lang: Lang = "en" if kind in {"U", "K"} else "id"
        label = rest if kind in {"u", "U"} else self.long_labels.get(rest)
        if label is None:
            await query.answer(EXPIRED_TEXT, show_alert=True)
            return
        await query.answer()
        found = await self._off_loop(self.service.unit, label)
        if found is None:
            text = (
                "Pasal ini tidak ditemukan di indeks." if lang == "id" else "This unit is not in the index."
            )
            await self._send(context, chat.id, [esc(text)])
            return
        await self._send(context, chat.id, pack(unit_pieces(found[0], found[1], lang)))

    async def feedback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A 👍/👎 button: store the vote (hashed user, verdict, cited labels)."""
        query = update.callback_query
        if not query or not query.data:
            return
        _, vote, verdict_index, key = query.data.split(":", 3)
        user = self.store.user_hash(query.from_user.id)
        index = int(verdict_index)
        fallback = VERDICTS[index] if index < len(VERDICTS) else "tidak_jelas"
        # After a restart the LRU is empty: the verdict travels in the button, the labels do not.
        ref = self.answers.get(key) or AnswerRef(fallback, ())
        if user in ref.voters:
            await query.answer("Umpan balik Anda sudah tercatat.")
            return
        ref.voters.add(user)
        self.answers.put(key, ref)
        self.store.record_feedback(user, ref.verdict, ref.labels, 1 if vote == "1" else -1)
        await query.answer("Terima kasih atas umpan balik Anda!")

    # ----------------------------------------------------------------- errors

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log the exception with its traceback; tell the user something went wrong, nothing more."""
        update_id = update.update_id if isinstance(update, Update) else None
        log.error("error while handling update %s", update_id, exc_info=context.error)
        if isinstance(update, Update) and update.effective_chat:
            try:
                await context.bot.send_message(update.effective_chat.id, ERROR_TEXT)
            except TelegramError as exc:  # the error reply itself failed: nothing more to do
                log.warning("could not send the error reply: %s", type(exc).__name__)

    # ----------------------------------------------------------------- lifecycle

    async def post_init(self, app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        """Register the command menu and start the daily retention purge."""
        try:
            await app.bot.set_my_commands([BotCommand(c, d) for c, d in PUBLIC_COMMANDS])
        except TelegramError as exc:  # the menu is cosmetic: never fail start-up over it
            log.warning("could not set the command menu: %s", exc)
        self.purge_task = asyncio.create_task(self._purge_daily(), name="netral-retention-purge")

    async def post_shutdown(self, app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        """Stop the purge loop and the answer threads."""
        if self.purge_task:
            self.purge_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.purge_task
        self.executor.shutdown(wait=False, cancel_futures=True)

    async def _purge_daily(self) -> None:
        while True:
            removed = self.store.purge()
            if removed:
                log.info("retention purge removed %d feedback rows", removed)
            await asyncio.sleep(86400)

    # ----------------------------------------------------------------- helpers

    def _is_admin(self, update: Update) -> bool:
        return bool(update.effective_user and update.effective_user.id in self.admins)

    def _replies_to_bot(self, msg: Message, context: ContextTypes.DEFAULT_TYPE) -> bool:
        replied = msg.reply_to_message
        return bool(replied and replied.from_user and replied.from_user.id == context.bot.id)

    def _question_in(self, msg: Message, context: ContextTypes.DEFAULT_TYPE) -> str | None:
        """The question to answer, "" when we were addressed without one, None when not for us."""
        text = msg.text or ""
        if msg.chat.type == ChatType.PRIVATE:
            return text.strip()
        username = (context.bot.username or "").lower()
        mentioned = False
        for entity, value in msg.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION]).items():
            if (entity.type == MessageEntity.MENTION and value[1:].lower() == username) or (
                entity.user and entity.user.id == context.bot.id
            ):
                mentioned = True
        if not (mentioned or self._replies_to_bot(msg, context)):
            return None
        if username:
            text = re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE)
        return " ".join(text.split())

    async def _off_loop(self, fn: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.executor, fn, *args)

    async def _answer(
        self,
        context: ContextTypes.DEFAULT_TYPE,
        chat_id: int,
        user_id: int,
        question: str,
        reply_to: int | None = None,
        echo: bool = False,
    ) -> None:
        """Check length and rate, answer with the chat's previous question as context, send."""
        limit = self.settings.max_question_chars
        if len(question) > limit:
            await self._send(
                context,
                chat_id,
                [
                    f"Pertanyaan terlalu panjang ({len(question)} karakter). Mohon persingkat menjadi paling banyak {limit} karakter."
                ],
                reply_to=reply_to,
            )
            return
        wait = self.buckets.take(self.store.user_hash(user_id))
        if wait:
            await self._send(
                context,
                chat_id,
                [f"Anda bertanya terlalu cepat. Silakan coba lagi dalam {max(1, round(wait))} detik. 🙏"],
                reply_to=reply_to,
            )
            return
        previous = self._take_context(context, question)
        answer = await self._compute(context, chat_id, question, previous)
        self.store.record_question(answer.verdict)
        pieces = answer_pieces(answer)
        if echo:
            pieces.insert(0, Piece(question, prefix="❔ <i>", suffix="</i>"))
        await self._send(context, chat_id, pack(pieces), self._answer_keyboard(answer), reply_to=reply_to)

    def _take_context(self, context: ContextTypes.DEFAULT_TYPE, question: str) -> str | None:
        """Swap this chat's previous question for the current one (memory only, no identity)."""
        if context.chat_data is None:
            return None
        now = time.monotonic()
        prev = context.chat_data.get("prev")
        context.chat_data["prev"] = (question, now)
        if prev and now - prev[1] <= CONTEXT_TTL_S:
            return str(prev[0])
        return None

    async def _compute(
        self, context: ContextTypes.DEFAULT_TYPE, chat_id: int, question: str, previous: str | None
    ) -> Answer:
        future = asyncio.get_running_loop().run_in_executor(
            self.executor, self.service.answer, question, previous
        )
        self._in_flight += 1
        try:
            return await asyncio.wait_for(asyncio.shield(future), TYPING_AFTER_S)
        except TimeoutError:
            # In a burst every answer waits in the queue; a chat action per answer would then
            # take half of Telegram's 30 messages/s from the answers themselves.
            if self._in_flight <= TYPING_MAX_IN_FLIGHT:
                with contextlib.suppress(TelegramError):
                    await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
            return await future
        finally:
            self._in_flight -= 1

    def _answer_keyboard(self, answer: Answer) -> InlineKeyboardMarkup:
        """📜 per cited unit, then 👍/👎. callback_data must stay ≤ 64 bytes."""
        en = answer.language == "en"
        labels = tuple(dict.fromkeys(c.label for c in answer.citations))
        rows = [
            [
                InlineKeyboardButton(
                    f"📜 {'View' if en else 'Lihat'} {label}", callback_data=self._unit_data(label, en)
                )
            ]
            for label in labels[:MAX_UNIT_BUTTONS]
        ]
        key = hashlib.blake2s(f"{time.time_ns()}:{answer.question}".encode(), digest_size=6).hexdigest()
        self.answers.put(key, AnswerRef(answer.verdict, labels))
        verdict_index = VERDICTS.index(answer.verdict)
        rows.append(
            [
                InlineKeyboardButton("👍", callback_data=f"f:1:{verdict_index}:{key}"),
                InlineKeyboardButton("👎", callback_data=f"f:0:{verdict_index}:{key}"),
            ]
        )
        return InlineKeyboardMarkup(rows)

    def _unit_data(self, label: str, en: bool) -> str:
        """The label itself when it fits (survives restarts), else a short key into an LRU."""
        direct = f"{'U' if en else 'u'}:{label}"
        if len(direct.encode("utf-8")) <= 64:
            return direct
        key = hashlib.blake2s(label.encode("utf-8"), digest_size=8).hexdigest()
        self.long_labels.put(key, label)
        return f"{'K' if en else 'k'}:{key}"

    async def _send(
        self,
        context: ContextTypes.DEFAULT_TYPE,
        chat_id: int,
        messages: Sequence[str],
        markup: InlineKeyboardMarkup | None = None,
        reply_to: int | None = None,
    ) -> None:
        """Send HTML messages in order: reply to the question with the first, buttons on the last."""
        for i, text in enumerate(messages):
            await self._send_one(
                context,
                chat_id,
                text,
                markup if i == len(messages) - 1 else None,
                reply_to if i == 0 else None,
            )

    async def _send_one(
        self,
        context: ContextTypes.DEFAULT_TYPE,
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
            "reply_parameters": ReplyParameters(reply_to, allow_sending_without_reply=True)
            if reply_to
            else None,
        }
        for attempt in range(FINAL_SEND_ATTEMPTS):
            try:
                try:
                    await context.bot.send_message(text=text, parse_mode=ParseMode.HTML, **kwargs)
                except BadRequest as exc:
                    if "can't parse entities" not in str(exc).lower():
                        raise
                    log.warning("Telegram rejected the HTML entities; resending as plain text")
                    await context.bot.send_message(text=html_to_plain(text), **kwargs)
                return
            except RetryAfter as exc:
                # AIORateLimiter already retried; an answer is worth waiting for, not dropping.
                if attempt == FINAL_SEND_ATTEMPTS - 1:
                    raise
                await asyncio.sleep(_retry_seconds(exc) + 0.1)


class _RedactToken(logging.Filter):
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


def _quiet_loggers(token: str) -> None:
    # httpx logs every request URL at INFO, and the URL contains the token; PTB logs whole
    # updates (with user IDs) at DEBUG. Neither belongs in our logs.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    for name in ("telegram", "telegram.ext"):
        if logging.getLogger(name).getEffectiveLevel() < logging.INFO:
            logging.getLogger(name).setLevel(logging.INFO)
    redact = _RedactToken(token)
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, _RedactToken) for f in handler.filters):
            handler.addFilter(redact)


def build_application(
    settings: Settings,
    service: Service,
    store: BotStore,
    *,
    overall_max_rate: float = 30,
    max_retries: int = 3,
    answer_workers: int = 4,
) -> Application[Any, Any, Any, Any, Any, Any]:
    """Build the fully wired Application (handlers, rate limiter, command menu, error handler)."""
    if settings.telegram_bot_token is None:
        raise ValueError("build_application needs settings.telegram_bot_token")
    token = settings.telegram_bot_token.get_secret_value()
    _quiet_loggers(token)
    base = settings.telegram_api_base_url.rstrip("/")
    bot = NetralBot(settings, service, store, answer_workers=answer_workers)
    store.purge()  # at start-up; post_init keeps purging daily
    app = (
        ApplicationBuilder()
        .token(token)
        .base_url(base)
        # A self-hosted Bot API serves files under /file/bot<token>; derive it from the base URL.
        .base_file_url(re.sub(r"/bot$", "/file/bot", base))
        .concurrent_updates(True)
        # Telegram accepts ~30 messages/s, so more parallel connections buy nothing, while
        # httpcore's pool bookkeeping grows with its size (measured: 2x throughput at 32 vs 256).
        .connection_pool_size(32)
        # Under a burst, sends queue for a connection; the default 1 s pool wait would drop answers.
        .pool_timeout(30)
        .rate_limiter(AIORateLimiter(overall_max_rate=overall_max_rate, max_retries=max_retries))
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
            ),
            bot.non_text,
        )
    )
    app.add_handler(CallbackQueryHandler(bot.example, pattern=r"^ex:\d+$"))
    app.add_handler(CallbackQueryHandler(bot.show_unit, pattern=r"^[uUkK]:"))
    app.add_handler(CallbackQueryHandler(bot.feedback, pattern=r"^f:[01]:\d+:\w+$"))
    app.add_error_handler(bot.on_error)
    return app
