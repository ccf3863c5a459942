"""The Telegram handlers: thin glue between updates and a ``rag.protocols.Service``."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import hashlib
import json
import logging
import re
import secrets
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from telegram import (
    BotCommand,
    CallbackQuery,
    Chat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatAction, ChatType
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes

from bot import callbacks
from bot.inbox import Inbox
from bot.limits import LRU, Costs, Recent
from bot.metrics import Metrics
from bot.render import (
    VERDICT_LINES,
    Lang,
    Piece,
    answer_pieces,
    detail_pieces,
    documents_pieces,
    esc,
    pack,
    unit_pieces,
)
from bot.sending import DeliveryError, send_html
from bot.settings import BotSettings
from bot.state import StateStore
from bot.store import Remembered
from bot.texts import (
    DETAIL_RECENT_TEXT,
    EMPTY_PRIVATE_TEXT,
    ERROR_TEXT,
    EXAMPLES,
    EXPIRED_TEXT,
    FEEDBACK_INVALID_TEXT,
    FEEDBACK_REPEAT_TEXT,
    FEEDBACK_THANKS_TEXT,
    HELP_TEXT,
    MENTION_EMPTY_TEXT,
    NON_TEXT_TEXT,
    PUBLIC_COMMANDS,
    RELOADED_TEXT,
    SOURCES_HEADING,
    START_TEXT,
    STATS_FEEDBACK,
    STATS_HEADING,
    STATS_UNDELIVERED,
    UNIT_RECENT_TEXT,
    UNKNOWN_COMMAND_TEXT,
    detail_button_text,
    forgotten_text,
    privacy_text,
    too_fast_text,
    too_long_text,
    unit_button_text,
    unit_cut_text,
    unit_missing_text,
)
from rag.normalize import normalize_text
from rag.protocols import Service
from rag.types import Answer, Document, Unit

log = logging.getLogger(__name__)
_B = TypeVar("_B", callbacks.UnitView, callbacks.Detail)

MAX_UNIT_BUTTONS = 6
TYPING_AFTER_S = 1.0  # only show "typing…" for slow answers: each chat action costs a rate-limit slot
TYPING_MAX_IN_FLIGHT = 5  # ... and not during a burst
CLAIM_POLL_S = 0.25  # a re-delivered update taken by another replica: how often to look again
CONTEXT_TTL_S = 30 * 60  # a follow-up after half an hour is a new conversation
UNIT_MESSAGE_CHARS = 3500  # unit text per message when a unit view is cut (render packs ≤ 4096)


class NetralBot:
    """The handlers and the little state they share (caches, buckets, executor)."""

    def __init__(
        self,
        settings: BotSettings,
        service: Service,
        store: StateStore,
        answer_workers: int = 4,
        inbox: Inbox | None = None,
    ) -> None:
        self.settings = settings
        self.inbox = inbox
        self.service = service
        self.store = store
        self.admins = frozenset(settings.admin_ids)
        # In the store: with PostgreSQL a user's limit counts across replicas.
        self.budgets = store.budgets(settings.rate_limit_per_minute, settings.chat_rate_limit_per_minute)
        self.costs = Costs()
        self.metrics = Metrics()
        self.notices = Recent(settings.throttle_notice_window_s)
        self.recent_views = Recent(settings.unit_view_dedup_s)
        # The answer pipeline is CPU-bound and synchronous: keep it off the event loop.
        self.executor = ThreadPoolExecutor(max_workers=answer_workers, thread_name_prefix="netral-answer")
        # Store calls (PostgreSQL round trips) get their own threads: queued behind CPU-bound
        # answers they would delay every claim, limit check and button by the whole burst.
        self.store_executor = ThreadPoolExecutor(
            max_workers=max(2, settings.database_pool_size), thread_name_prefix="netral-store"
        )
        self._in_flight = 0  # answers queued or being computed (event-loop thread only)
        self.long_labels: LRU[str, str] = LRU(5000)
        self.purge_task: asyncio.Task[None] | None = None
        self._handled: dict[int, asyncio.Future[None]] = {}  # webhook requests awaiting their update

    # ----------------------------------------------------------------- commands

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/start: what the bot does, disclaimer, privacy note and example buttons."""
        if not (msg := update.effective_message):
            return
        buttons = [
            [InlineKeyboardButton(q, callback_data=callbacks.example(i))] for i, q in enumerate(EXAMPLES)
        ]
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
        header = Piece("", prefix=SOURCES_HEADING)
        await send_html(context.bot, chat.id, pack([header, *documents_pieces(docs)]))

    async def privacy(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/privasi: what is stored and for how long."""
        if msg := update.effective_message:
            text = privacy_text(self.settings.retention_days, shared_store=self.store.shared)
            await msg.reply_html(text, do_quote=False)

    async def forget(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/hapus: delete everything stored about the user (and this chat's context).

        The rate-limit budgets stay: deleting one's data must not buy a fresh quota."""
        if not (msg := update.effective_message) or not (user := update.effective_user):
            return
        removed = await self._store(self.store.delete_user, self.store.user_hash(user.id))
        if chat := update.effective_chat:
            await self._store(self.store.clear_context, chat.id)
        await msg.reply_html(forgotten_text(removed), do_quote=False)

    async def stats(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/stats (admins only): aggregate counts, nothing per user."""
        if not (msg := update.effective_message) or not self._is_admin(update):
            await self.unknown_command(update, context)
            return
        s = await self._store(self.store.stats)
        lines = [STATS_HEADING.format(questions=s.questions)]
        names: dict[str, str] = {str(k): v for k, v in VERDICT_LINES["id"].items()}
        lines += [f"• {esc(names.get(v, v))}: {n}" for v, n in s.verdicts.items()]
        lines.append(STATS_FEEDBACK.format(up=s.feedback_up, down=s.feedback_down))
        if s.undelivered:
            lines.append(STATS_UNDELIVERED.format(n=s.undelivered))
        await msg.reply_html("\n".join(lines), do_quote=False)

    async def reload(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/reload (admins only): reopen the index after a re-ingest."""
        if not (msg := update.effective_message) or not self._is_admin(update):
            await self.unknown_command(update, context)
            return
        await self._off_loop(self.service.reload)
        docs = await self._off_loop(self.service.documents)
        log.info("index reloaded by an admin: %d documents", len(docs))
        await msg.reply_html(RELOADED_TEXT.format(documents=len(docs)), do_quote=False)

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
        if not msg or not (msg.text or msg.caption) or not update.effective_user:
            return
        question = self._question_in(msg, context)
        if question is None:
            return
        if not question:
            private = msg.chat.type == ChatType.PRIVATE
            await msg.reply_text(
                EMPTY_PRIVATE_TEXT if private else MENTION_EMPTY_TEXT,
                do_quote=not private,
            )
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
        if not query or not chat_id:
            return
        button = callbacks.decode(query.data)
        index = button.index if isinstance(button, callbacks.Example) else -1
        if not 0 <= index < len(EXAMPLES):
            await query.answer(EXPIRED_TEXT, show_alert=True)
            return
        if not await self._charge_button(query, chat_id.id, self.costs.example):
            return
        await query.answer()
        await self._answer(context, chat_id.id, query.from_user.id, EXAMPLES[index], echo=True, charged=True)

    async def _pressed(self, update: Update, kind: type[_B]) -> tuple[CallbackQuery, Chat, _B] | None:
        """The query, chat and decoded button of a press of a ``kind`` button; None when there is
        nothing to answer, or (after telling the user it expired) when the data is not such a button."""
        query, chat = update.callback_query, update.effective_chat
        if not query or not chat:
            return None
        button = callbacks.decode(query.data)
        if not isinstance(button, kind):
            await query.answer(EXPIRED_TEXT, show_alert=True)
            return None
        return query, chat, button

    async def show_unit(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A "📜 Lihat pasal" button: send the unit's verbatim text, status and official link."""
        pressed = await self._pressed(update, callbacks.UnitView)
        if pressed is None:
            return
        query, chat, button = pressed
        lang: Lang = button.lang
        label = button.label or (self.long_labels.get(button.key) if button.key else None)
        if label is None:
            await query.answer(EXPIRED_TEXT, show_alert=True)
            return
        # 40 taps on one button must not become 40 copies of the text in the group.
        view = (chat.id, label.lower())
        if not await self._charge_view(query, chat.id, view, UNIT_RECENT_TEXT):
            return
        await query.answer()
        found = await self._off_loop(self.service.unit, label)
        if found is None:
            await send_html(context.bot, chat.id, [esc(unit_missing_text(lang))])
            return
        messages = await self._off_loop(self._unit_messages, found[0], found[1], lang)
        await send_html(context.bot, chat.id, messages)

    def _unit_messages(self, unit: Unit, doc: Document, lang: Lang) -> list[str]:
        """The unit view, at most ``max_unit_messages`` messages; a longer unit is cut before
        rendering (a 50 MB unit must not block the loop or become 12,800 messages) and ends with
        a pointer to the official text."""
        most = max(1, self.settings.max_unit_messages)
        budget = most * UNIT_MESSAGE_CHARS
        cut = len(unit.text) > budget
        if cut:
            unit = dataclasses.replace(unit, text=unit.text[: budget - UNIT_MESSAGE_CHARS // 2] + " …")
        messages = pack(unit_pieces(unit, doc, lang))
        if len(messages) > most:
            cut, messages = True, messages[: most - 1] if most > 1 else messages[:1]
        if cut:
            messages.append(unit_cut_text(lang, doc.source_url))
        return messages

    async def unknown_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Callback data no other handler matched (forged, or from an older version): answer the
        query anyway, or the user's Telegram client keeps spinning."""
        if query := update.callback_query:
            await query.answer(EXPIRED_TEXT, show_alert=True)

    async def detail(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """ "Selengkapnya": every source of one answer with its full quote, other cautions and notes
        (the main message stays short). Rendered when the answer was sent; kept in the store, so
        the button works on every replica (bot/store.py ANSWER_KEEP_S)."""
        pressed = await self._pressed(update, callbacks.Detail)
        if pressed is None:
            return
        query, chat, button = pressed
        memo = await self._store(self.store.recall_answer, button.answer_id)
        if memo is None or not memo.detail:
            await query.answer(EXPIRED_TEXT, show_alert=True)
            return
        view = (chat.id, "d:" + button.answer_id)
        if not await self._charge_view(query, chat.id, view, DETAIL_RECENT_TEXT):
            return
        await query.answer()
        await send_html(context.bot, chat.id, list(memo.detail))

    async def feedback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A 👍/👎 button: store the vote (hashed user, verdict, cited labels)."""
        query, chat = update.callback_query, update.effective_chat
        if not query or not chat:
            return
        button = callbacks.decode(query.data)
        # Only buttons we made count: the MAC covers the answer id and the verdict, so made-up
        # keys cannot add votes (nor pick the verdict they vote on).
        if not isinstance(button, callbacks.Feedback) or not button.valid(self.store.sign):
            await query.answer(FEEDBACK_INVALID_TEXT, show_alert=True)
            return
        if not await self._charge_button(query, chat.id, self.costs.feedback):
            return
        user = self.store.user_hash(query.from_user.id)
        # The verdict travels in the button; the cited labels are in the store (any replica) while
        # the answer is remembered, and empty after that.
        memo = await self._store(self.store.recall_answer, button.answer_id)
        labels = memo.labels if memo else ()
        # One vote per user per answer is a unique key in the DB, so it also holds after a restart.
        recorded = await self._store(
            functools.partial(
                self.store.record_feedback,
                user,
                button.verdict,
                labels,
                button.vote,
                answer_key=button.answer_id,
            )
        )
        await query.answer(FEEDBACK_THANKS_TEXT if recorded else FEEDBACK_REPEAT_TEXT)

    # ----------------------------------------------------------------- errors

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log the exception with its traceback; tell the user something went wrong, nothing more."""
        update_id = update.update_id if isinstance(update, Update) else None
        if isinstance(context.error, DeliveryError):
            # Sending itself failed after every retry: an error message would fail the same way,
            # and after a partly delivered answer it would contradict what the user already has.
            log.error(
                "gave up delivering a message for update %s after %d attempts (%s)",
                update_id,
                context.error.attempts,
                context.error.reason,
            )
            with contextlib.suppress(Exception):
                self.store.count("undelivered")
            return
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
        if self.inbox is not None:
            # Updates stored before a crash and never answered: handle them before new ones.
            pending = await self._off_loop(self.inbox.pending)
            for _, payload in pending:
                await app.update_queue.put(Update.de_json(json.loads(payload), app.bot))
            if pending:
                log.info("answering %d updates left unanswered by the previous run", len(pending))

    async def claim(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Before any handler: take the update, so it is answered once across replicas.

        Telegram re-delivers an update that got no 200 (bot/webhook.py acknowledges only after
        answering) to whichever replica the load balancer picks. Already answered: dropped. Taken
        by a replica that is still working on it: this one waits, and takes it over once the
        claim is older than ``update_claim_lease_s`` and still unanswered (that replica died)."""
        update_id = update.update_id
        lease = self.settings.update_claim_lease_s
        deadline = time.monotonic() + lease + CLAIM_POLL_S
        while not await self._store(self.store.claim_update, update_id, None, lease):
            if await self._store(self.store.update_answered, update_id) or time.monotonic() > deadline:
                log.info("update %s was already taken; not answering it again", update_id)
                self.metrics.duplicate()
                self._settle(update_id)
                raise ApplicationHandlerStop
            await asyncio.sleep(CLAIM_POLL_S)

    async def mark_answered(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """After every handler ran for an update: record it, then let the webhook acknowledge it."""
        loop = asyncio.get_running_loop()
        try:
            if self.inbox is not None:
                await loop.run_in_executor(self.store_executor, self.inbox.mark_answered, update.update_id)
            await loop.run_in_executor(self.store_executor, self.store.mark_answered, update.update_id)
        finally:
            self._settle(update.update_id)

    def handled(self, update_id: int) -> asyncio.Future[None]:
        """Resolves once ``update_id`` has been answered or dropped (bot/webhook.py awaits it
        before answering Telegram 200)."""
        future = self._handled.get(update_id)
        if future is None:
            future = asyncio.get_running_loop().create_future()
            self._handled[update_id] = future
        return future

    def _settle(self, update_id: int) -> None:
        future = self._handled.pop(update_id, None)
        if future is not None and not future.done():
            future.set_result(None)

    async def post_shutdown(self, app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        """Stop the purge loop and the answer threads."""
        if self.purge_task:
            self.purge_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.purge_task
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.store_executor.shutdown(wait=False, cancel_futures=True)

    async def _purge_daily(self) -> None:
        while True:
            if self.inbox is not None:
                self.inbox.prune()
            removed = await self._store(self.store.purge)
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
        """The question to answer, "" when we were addressed without one, None when not for us.

        A photo's caption counts as its text. The text is normalised here, once (rag/normalize.py),
        so invisible characters neither hide a mention nor count as a question."""
        text = msg.text or msg.caption or ""
        if msg.chat.type == ChatType.PRIVATE:
            return normalize_text(text)
        username = (context.bot.username or "").lower()
        mentioned = False
        entities = (
            msg.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION])
            if msg.text
            else msg.parse_caption_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION])
        )
        for entity, value in entities.items():
            if (entity.type == MessageEntity.MENTION and value[1:].lower() == username) or (
                entity.user and entity.user.id == context.bot.id
            ):
                mentioned = True
        if not (mentioned or self._replies_to_bot(msg, context)):
            return None
        text = normalize_text(text)
        if username:
            text = re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE)
        return " ".join(text.split())

    async def _charge_button(self, query: CallbackQuery, chat_id: int, cost: float) -> bool:
        """Spend a button's cost from the user's and the chat's budgets; when they are empty,
        answer the query with the wait (an alert costs no chat message) and return False."""
        wait = await self._store(self.budgets.take, self.store.user_hash(query.from_user.id), chat_id, cost)
        if wait:
            self.metrics.limited()
            await query.answer(too_fast_text(wait), show_alert=True)
            return False
        return True

    async def _charge_view(self, query: CallbackQuery, chat_id: int, view: Any, recent_text: str) -> bool:
        """A view sent again in one chat within the window is not re-sent (40 taps on one button
        must not become 40 copies in a group); otherwise it is charged like a question."""
        if not self.recent_views.first(view):  # marked now: the charge below awaits the store
            await query.answer(recent_text)
            return False
        if not await self._charge_button(query, chat_id, self.costs.unit_view):
            self.recent_views.forget(view)
            return False
        return True

    async def _off_loop(self, fn: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.executor, fn, *args)

    async def _store(self, fn: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.store_executor, fn, *args)

    async def _answer(
        self,
        context: ContextTypes.DEFAULT_TYPE,
        chat_id: int,
        user_id: int,
        question: str,
        reply_to: int | None = None,
        echo: bool = False,
        charged: bool = False,
    ) -> None:
        """Check length and rate, answer with the chat's previous question as context, send."""
        limit = self.settings.max_question_chars
        if len(question) > limit:
            await send_html(context.bot, chat_id, [too_long_text(len(question), limit)], reply_to=reply_to)
            return
        user = self.store.user_hash(user_id)
        wait = 0.0 if charged else await self._store(self.budgets.take, user, chat_id, self.costs.question)
        if wait:
            self.metrics.limited()
            # One notice per user and chat per window: a flood must not become a flood of notices.
            if self.notices.first((user, chat_id)):
                await send_html(context.bot, chat_id, [too_fast_text(wait)], reply_to=reply_to)
            return
        started = time.perf_counter()
        previous = await self._store(self.store.swap_context, chat_id, user, question, CONTEXT_TTL_S)
        answer = await self._compute(context, chat_id, question, previous)
        await self._store(self.store.record_question, answer.verdict)
        pieces = answer_pieces(answer)
        if echo:
            pieces.insert(0, Piece(question, prefix="❔ <i>", suffix="</i>"))
        keyboard = await self._answer_keyboard(answer)
        await send_html(context.bot, chat_id, pack(pieces), keyboard, reply_to=reply_to)
        self.metrics.answered(answer.verdict, time.perf_counter() - started)

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

    async def _answer_keyboard(self, answer: Answer) -> InlineKeyboardMarkup:
        """📜 per cited unit, "Selengkapnya" when there is more than the main message shows, then
        👍/👎. The answer's labels and rendered detail are remembered in the store under a random id."""
        lang: Lang = answer.language
        labels = tuple(dict.fromkeys(c.label for c in answer.citations))
        rows = [
            [InlineKeyboardButton(unit_button_text(label, lang), callback_data=self._unit_data(label, lang))]
            for label in labels[:MAX_UNIT_BUTTONS]
        ]
        answer_id = secrets.token_hex(callbacks.ANSWER_ID_CHARS // 2)
        detail = self._detail_messages(answer)
        memo = Remembered(answer.verdict, labels, tuple(detail))
        await self._store(self.store.remember_answer, answer_id, memo)
        if detail:
            rows.append(
                [InlineKeyboardButton(detail_button_text(lang), callback_data=callbacks.detail(answer_id))]
            )
        rows.append(
            [
                InlineKeyboardButton(
                    "👍", callback_data=callbacks.feedback(1, answer.verdict, answer_id, self.store.sign)
                ),
                InlineKeyboardButton(
                    "👎", callback_data=callbacks.feedback(0, answer.verdict, answer_id, self.store.sign)
                ),
            ]
        )
        return InlineKeyboardMarkup(rows)

    def _detail_messages(self, answer: Answer) -> list[str]:
        """The "Selengkapnya" messages, at most ``max_unit_messages`` (each unit's whole text is
        one 📜 button away)."""
        pieces = detail_pieces(answer)
        return pack(pieces)[: max(1, self.settings.max_unit_messages)] if pieces else []

    def _unit_data(self, label: str, lang: Lang) -> str:
        """The label itself when it fits (survives restarts), else a short key into an LRU."""
        direct = callbacks.unit(label, lang)
        if direct is not None:
            return direct
        key = hashlib.blake2s(label.encode("utf-8"), digest_size=8).hexdigest()
        self.long_labels.put(key, label)
        return callbacks.unit_key(key, lang)
