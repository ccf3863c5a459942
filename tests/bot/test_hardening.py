"""Issue 10: hostile input and faults, through the real Application and the fake Bot API."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from bot.store import BotStore
from bot.texts import EMPTY_PRIVATE_TEXT, ERROR_TEXT, NON_TEXT_TEXT
from tests.bot.conftest import UNIT_LABEL, BotFactory, FakeService
from tests.fakes.telegram_api import FakeTelegram, callback_update, message_update

GROUP = -100777


def ask(tg: FakeTelegram, text: str, **kwargs: Any) -> dict[str, Any]:
    update = message_update(tg, text, **kwargs)
    tg.push_update(update)
    return dict(update["message"])


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for row in (message.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]


def group_tap(tg: FakeTelegram, data: str, user_id: int) -> None:
    update = callback_update(tg, data, user_id=user_id, chat_id=GROUP)
    update["callback_query"]["message"]["chat"] = {"id": GROUP, "type": "supergroup", "title": "g"}
    tg.push_update(update)


# ----------------------------------------------------------------- major 1: button floods


async def test_forty_taps_on_one_unit_button_send_it_once(tg: FakeTelegram, bot_app: BotFactory) -> None:
    async with bot_app(rate_limit_per_minute=10, chat_rate_limit_per_minute=20):
        for _ in range(40):
            group_tap(tg, f"u:{UNIT_LABEL}", user_id=3001)
        await tg.wait_for(lambda: len(tg.calls_to("answerCallbackQuery")) >= 40, timeout=15)
        # Another member's question in the same group is answered at once, not a minute later.
        started = time.perf_counter()
        ask(tg, "@netral_test_bot bolehkah PNS ikut kampanye?", chat_id=GROUP, user_id=3002)
        await tg.wait_for(lambda: any("TIDAK BOLEH" in m["text"] for m in tg.sent(GROUP)), timeout=10)
        waited = time.perf_counter() - started
    units = [
        m for m in tg.sent(GROUP) if f"<b>{UNIT_LABEL}</b>" in m["text"] and "TIDAK BOLEH" not in m["text"]
    ]
    assert len(units) == 1
    assert waited < 3
    assert len(tg.calls_to("answerCallbackQuery")) == 40  # every tap answered, none spinning


async def test_distinct_unit_taps_are_budgeted_per_user(
    tg: FakeTelegram, bot_app: BotFactory, fake_service: FakeService
) -> None:
    # Different units (here: unknown labels) are not de-duplicated, but they spend the budget.
    async with bot_app(rate_limit_per_minute=5, chat_rate_limit_per_minute=100):
        for i in range(12):
            group_tap(tg, f"u:PP 94/2021 Pasal {i}", user_id=3003)
        await tg.wait_for(lambda: len(tg.calls_to("answerCallbackQuery")) >= 12, timeout=15)
    assert len(tg.sent(GROUP)) == 5
    alerts = [c.params.get("text", "") for c in tg.calls_to("answerCallbackQuery")]
    assert sum("terlalu cepat" in a for a in alerts) == 7


async def test_unmatched_callback_data_is_answered(tg: FakeTelegram, bot_app: BotFactory) -> None:
    async with bot_app():
        tg.push_update(callback_update(tg, "zzz:forged"))
        tg.push_update(callback_update(tg, "f:1:99:abc"))
        tg.push_update(callback_update(tg, "ex:17"))
        await tg.wait_for(lambda: len(tg.calls_to("answerCallbackQuery")) >= 3, timeout=10)
    assert tg.sent() == []


# ----------------------------------------------------------------- major 2: /hapus keeps the throttle


async def test_hapus_does_not_reset_the_rate_limit(
    tg: FakeTelegram, bot_app: BotFactory, fake_service: FakeService
) -> None:
    async with bot_app(rate_limit_per_minute=10, chat_rate_limit_per_minute=100):
        for i in range(14):
            ask(tg, f"pertanyaan {i}", user_id=4100)
            ask(tg, "/hapus", user_id=4100)
        await tg.wait_for(lambda: len([m for m in tg.sent() if "dihapus" in m["text"]]) >= 14, timeout=15)
        await asyncio.sleep(0.3)
    assert len(fake_service.calls) == 10


async def test_throttle_notices_are_coalesced(
    tg: FakeTelegram, bot_app: BotFactory, fake_service: FakeService
) -> None:
    async with bot_app(rate_limit_per_minute=3):
        for i in range(10):
            ask(tg, f"cepat {i}", user_id=4200)
        await tg.wait_for(lambda: len(fake_service.calls) >= 3, timeout=10)
        await asyncio.sleep(0.5)
    notices = [m for m in tg.sent(4200) if "terlalu cepat" in m["text"]]
    assert len(fake_service.calls) == 3 and len(notices) == 1


# ----------------------------------------------------------------- feedback


async def test_forged_feedback_keys_are_refused(
    tg: FakeTelegram, bot_app: BotFactory, store: BotStore
) -> None:
    async with bot_app():
        for i in range(20):
            tg.push_update(callback_update(tg, f"f:1:0:{i:012x}deadbeef", user_id=4300))
        await tg.wait_for(lambda: len(tg.calls_to("answerCallbackQuery")) >= 20, timeout=10)
    assert store.feedback_rows() == []


async def test_one_vote_per_answer_survives_a_restart(
    tg: FakeTelegram, bot_app: BotFactory, store: BotStore
) -> None:
    async with bot_app():
        ask(tg, "Bolehkah PNS ikut kampanye?", user_id=4400)
        [answer] = await tg.wait_sent(1)
        [up] = [b["callback_data"] for b in buttons(answer) if b["text"] == "👍"]
        [down] = [b["callback_data"] for b in buttons(answer) if b["text"] == "👎"]
        tg.push_update(callback_update(tg, up, user_id=4400))
        await tg.wait_for(lambda: len(tg.calls_to("answerCallbackQuery")) >= 1)
    async with bot_app():  # a new process: nothing in memory
        tg.push_update(callback_update(tg, up, user_id=4400))
        tg.push_update(callback_update(tg, down, user_id=4400))
        await tg.wait_for(lambda: len(tg.calls_to("answerCallbackQuery")) >= 3)
    assert len(store.feedback_rows()) == 1
    assert "sudah tercatat" in tg.calls_to("answerCallbackQuery")[-1].params["text"]


# ----------------------------------------------------------------- major 4: the fault matrix on sendMessage
# Each row is one line of the table in bot/README.md ("Delivery guarantees").

FAULTS: list[tuple[str, dict[str, Any], str]] = [
    ("one 500", {"fail": (1, 0, 500)}, "the answer, once"),
    ("one reset", {"fail": (1, 0, 0)}, "the answer, once"),
    ("two 500s", {"fail": (2, 0, 500)}, "the answer, once"),
    ("4 s slow", {"delay": (1, 4.0)}, "the answer, once"),
    ("6 s slow", {"delay": (1, 6.0)}, "the answer, once"),
    ("25 x 429", {"fail": (25, 0.1, 429)}, "the answer, once"),
]


@pytest.mark.parametrize(("name", "fault", "expected"), FAULTS, ids=[f[0] for f in FAULTS])
async def test_fault_matrix_on_send_message(
    tg: FakeTelegram, bot_app: BotFactory, store: BotStore, name: str, fault: dict[str, Any], expected: str
) -> None:
    async with bot_app():
        if "fail" in fault:
            n, retry_after, status = fault["fail"]
            tg.fail_next("sendMessage", n, retry_after=retry_after, status=status)
        else:
            n, seconds = fault["delay"]
            tg.delay_next("sendMessage", n, seconds)
        ask(tg, "Bolehkah PNS ikut kampanye?", user_id=4500)
        await tg.wait_sent(1, chat_id=4500, timeout=40)
        await asyncio.sleep(0.5)  # an error message would follow right after
    texts = [m["text"] for m in tg.sent(4500)]
    assert expected == "the answer, once"
    assert len(texts) == 1 and "TIDAK BOLEH" in texts[0], texts
    assert ERROR_TEXT not in texts
    assert store.stats().undelivered == 0


async def test_giving_up_is_logged_and_counted_without_an_error_message(
    tg: FakeTelegram, bot_app: BotFactory, store: BotStore, caplog: pytest.LogCaptureFixture
) -> None:
    async with bot_app():
        tg.fail_next("sendMessage", 50, status=500)
        ask(tg, "Bolehkah PNS ikut kampanye?", user_id=4600)
        await tg.wait_for(lambda: store.stats().undelivered == 1, timeout=30)
        await asyncio.sleep(0.3)
    assert tg.sent(4600) == []
    assert "gave up delivering" in caplog.text
    assert len([c for c in tg.calls if c.method == "sendMessage"]) == 5  # bounded


# ----------------------------------------------------------------- minor: message kinds


async def test_photo_caption_is_read_as_the_question(
    tg: FakeTelegram, bot_app: BotFactory, fake_service: FakeService
) -> None:
    photo = [{"file_id": "p1", "file_unique_id": "u1", "width": 10, "height": 10}]
    async with bot_app():
        ask(tg, None, user_id=4700, extra={"photo": photo, "caption": "Bolehkah PNS ikut kampanye?"})
        [sent] = await tg.wait_sent(1, chat_id=4700)
    assert fake_service.calls == [("Bolehkah PNS ikut kampanye?", None)]
    assert "TIDAK BOLEH" in sent["text"]


async def test_dice_and_polls_get_the_text_only_reply(tg: FakeTelegram, bot_app: BotFactory) -> None:
    poll = {
        "id": "1",
        "question": "Setuju?",
        "options": [
            {"text": "ya", "voter_count": 0, "persistent_id": "a"},
            {"text": "tidak", "voter_count": 0, "persistent_id": "b"},
        ],
        "total_voter_count": 0,
        "is_closed": False,
        "is_anonymous": True,
        "type": "regular",
        "allows_multiple_answers": False,
        "allows_revoting": False,
        "members_only": False,
    }
    async with bot_app():
        ask(tg, None, user_id=4800, extra={"dice": {"emoji": "🎲", "value": 3}})
        ask(tg, None, user_id=4800, extra={"poll": poll})
        sent = await tg.wait_sent(2, chat_id=4800)
    assert [m["text"] for m in sent] == [NON_TEXT_TEXT, NON_TEXT_TEXT]


async def test_blank_private_message_gets_the_private_wording(
    tg: FakeTelegram, bot_app: BotFactory, fake_service: FakeService
) -> None:
    async with bot_app():
        ask(tg, "   \u200b\u200e  ", user_id=4900)
        [sent] = await tg.wait_sent(1, chat_id=4900)
    assert sent["text"] == EMPTY_PRIVATE_TEXT
    assert fake_service.calls == []


async def test_invisible_characters_are_removed_before_the_service(
    tg: FakeTelegram, bot_app: BotFactory, fake_service: FakeService
) -> None:
    async with bot_app():
        ask(tg, "Bolehkah PNS ikut kam\u200dpanye calon bupati?\u200b\ufeff\u202e", user_id=4950)
        await tg.wait_sent(1, chat_id=4950)
    assert fake_service.calls == [("Bolehkah PNS ikut kampanye calon bupati?", None)]


# ----------------------------------------------------------------- major 7, the bot's side: a huge unit


async def test_a_huge_unit_view_is_capped_with_a_pointer_to_the_official_text(
    tg: FakeTelegram, bot_app: BotFactory, fake_service: FakeService
) -> None:
    from dataclasses import replace

    from tests.bot.conftest import UNIT
    from tests.fakes.documents import PP94

    huge = replace(
        UNIT, label="PP 94/2021 Pasal 99", text="Pegawai dilarang ikut kampanye. " * 300_000
    )  # ~9.6 MB
    fake_service.unit = lambda label: (huge, PP94) if label.lower() == huge.label.lower() else None  # type: ignore[method-assign]
    async with bot_app():
        started = time.perf_counter()
        tg.push_update(callback_update(tg, f"u:{huge.label}", user_id=5100))
        ask(tg, "Bolehkah PNS ikut kampanye?", user_id=5101)  # another chat is not blocked
        await tg.wait_sent(1, chat_id=5101, timeout=10)
        other_chat = time.perf_counter() - started
        await tg.wait_for(lambda: any("sumber resmi" in m["text"] for m in tg.sent(5100)), timeout=20)
        await asyncio.sleep(0.3)
    sent = tg.sent(5100)
    assert len(sent) <= 3
    assert PP94.source_url is not None and PP94.source_url in sent[-1]["text"]
    assert other_chat < 3
