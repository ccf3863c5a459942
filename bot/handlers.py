"""The Telegram handlers: thin glue between updates and a ``rag.protocols.Service``."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatAction, ChatType
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes

from bot.limits import LRU, TokenBuckets
from bot.render import (
    VERDICT_LINES,
    Lang,
    Piece,
    answer_pieces,
    documents_pieces,
    esc,
    pack,
    unit_pieces,
)
from bot.sending import send_html
from bot.store import BotStore
from bot.texts import (
    ERROR_TEXT,
    EXAMPLES,
    EXPIRED_TEXT,
    HELP_TEXT,
    NON_TEXT_TEXT,
    PRIVACY_TEXT,
    PUBLIC_COMMANDS,
    START_TEXT,
    UNKNOWN_COMMAND_TEXT,
)
from rag.protocols import Service
from rag.settings import Settings
from rag.types import VERDICTS, Answer

log = logging.getLogger(__name__)

MAX_UNIT_BUTTONS = 6
TYPING_AFTER_S = 1.0  # only show "typing…" for slow answers: each chat action costs a rate-limit slot
TYPING_MAX_IN_FLIGHT = 5  # ... and not during a burst
CONTEXT_TTL_S = 30 * 60  # a follow-up after half an hour is a new conversation


@dataclass
class AnswerRef:
    """What a 👍/👎 button needs to know about the answer it sits under."""

    verdict: str
    labels: tuple[str, ...]
    voters: set[str] = field(default_factory=set)


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
        await send_html(context.bot, chat.id, pack([header, *documents_pieces(docs)]))

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
            await send_html(context.bot, chat.id, [esc(text)])
            return
        await send_html(context.bot, chat.id, pack(unit_pieces(found[0], found[1], lang)))

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
            await send_html(
                context.bot,
                chat_id,
                [
                    f"Pertanyaan terlalu panjang ({len(question)} karakter). Mohon persingkat menjadi paling banyak {limit} karakter."
                ],
                reply_to=reply_to,
            )
            return
        wait = self.buckets.take(self.store.user_hash(user_id))
        if wait:
            await send_html(
                context.bot,
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
        await send_html(context.bot, chat_id, pack(pieces), self._answer_keyboard(answer), reply_to=reply_to)

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
