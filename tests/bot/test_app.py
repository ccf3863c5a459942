"""The real Application against the fake Telegram server and a FakeService."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

import pytest

from bot.render import html_to_plain
from bot.store import BotStore
from bot.texts import EXAMPLES, NON_TEXT_TEXT, UNKNOWN_COMMAND_TEXT
from rag.types import Answer, SanctionRef
from tests.bot.conftest import (
    ADMIN_ID,
    LONG_LABEL,
    UNIT_LABEL,
    BotFactory,
    FakeService,
    default_answer,
)
from tests.fakes.telegram_api import BOT_USER, FakeTelegram, callback_update, check_html, message_update


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for row in (message.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]


def ask(tg: FakeTelegram, text: str, **kwargs: Any) -> dict[str, Any]:
    update = message_update(tg, text, **kwargs)
    tg.push_update(update)
    return dict(update["message"])


async def test_start_shows_disclaimer_and_example_buttons(tg: FakeTelegram, bot_app: BotFactory) -> None:
    async with bot_app():
        ask(tg, "/start")
        [sent] = await tg.wait_sent(1)
    assert "bukan nasihat hukum" in sent["text"]
    assert "/privasi" in sent["text"]
    assert [b["callback_data"] for b in buttons(sent)] == ["ex:0", "ex:1", "ex:2"]
    [commands] = tg.calls_to("setMyCommands")
    assert {c["command"] for c in commands.params["commands"]} >= {
        "start",
        "bantuan",
        "sumber",
        "privasi",
        "hapus",
    }


async def test_example_button_is_answered(
    tg: FakeTelegram, bot_app: BotFactory, fake_service: FakeService
) -> None:
    async with bot_app():
        tg.push_update(callback_update(tg, "ex:1"))
        [sent] = await tg.wait_sent(1)
    assert fake_service.calls == [(EXAMPLES[1], None)]
    assert tg.calls_to("answerCallbackQuery")
    assert EXAMPLES[1] in html_to_plain(sent["text"])


async def test_question_with_citations(tg: FakeTelegram, bot_app: BotFactory) -> None:
    async with bot_app():
        question = ask(tg, "Bolehkah PNS ikut kampanye?")
        [sent] = await tg.wait_sent(1)
    text = sent["text"]
    assert text.startswith("<b>⛔ TIDAK BOLEH</b>")
    assert sent["parse_mode"] == "HTML"
    assert sent["reply_parameters"]["message_id"] == question["message_id"]
    assert f"<b>{UNIT_LABEL}</b> (berlaku)" in text
    assert "<i>“mengadakan kegiatan" in text
    # A summary citation is named as such, never quoted; a revoked instrument is flagged.
    assert "RINGKASAN-RAHASIA" not in text
    assert "PP 53/2010 Pasal 4 angka 15</b> (dicabut, diganti PP 94/2021) — ringkasan" in text
    assert "hukuman disiplin berat" in text
    data = [b["callback_data"] for b in buttons(sent)]
    assert f"u:{UNIT_LABEL}" in data
    assert any(d.startswith("f:1:") for d in data) and any(d.startswith("f:0:") for d in data)
    assert all(len(d.encode()) <= 64 for d in data)


async def test_long_answer_is_split_at_paragraphs(
    tg: FakeTelegram, bot_app: BotFactory, fake_service: FakeService
) -> None:
    paragraphs = [f"Paragraf {i}: " + " ".join(f"kata{i}_{j} <&>" for j in range(60)) for i in range(40)]
    paragraphs.append("SATU-PARAGRAF-PANJANG " + "x&y " * 3000)
    body = "\n\n".join(paragraphs)
    fake_service.canned["panjang"] = replace(default_answer("panjang"), answer=body, explanation=body)
    async with bot_app():
        ask(tg, "panjang")
        await tg.wait_for(lambda: any("— ringkasan" in m["text"] for m in tg.sent()), timeout=15)
    sent = tg.sent()
    assert len(sent) >= 5
    for m in sent:
        assert len(m["text"]) <= 4096
        assert check_html(m["text"])[0] is None
    assert all("reply_markup" not in m for m in sent[:-1]) and buttons(sent[-1])
    plain = "\n\n".join(html_to_plain(m["text"]) for m in sent)
    assert plain.split()[:3] == ["⛔", "TIDAK", "BOLEH"]
    assert " ".join(body.split()) in " ".join(plain.split())


async def test_hostile_text_is_escaped(
    tg: FakeTelegram, bot_app: BotFactory, fake_service: FakeService
) -> None:
    hostile = "<script>alert(1)</script> & *tebal* _miring_ `kode` [tautan](http://x) </b><i>"
    fake_service.canned["jahat"] = replace(
        default_answer("jahat"),
        answer=hostile,
        explanation=hostile,
        sanctions=(SanctionRef("<b>sanksi</b> & denda"),),
    )
    async with bot_app():
        ask(tg, "jahat")
        [sent] = await tg.wait_sent(1)
    assert "<script>" not in sent["text"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; *tebal* _miring_ `kode`" in sent["text"]
    assert check_html(sent["text"])[0] is None
    assert hostile in html_to_plain(sent["text"])


async def test_lihat_pasal_button_sends_the_unit(tg: FakeTelegram, bot_app: BotFactory) -> None:
    async with bot_app():
        tg.push_update(callback_update(tg, f"u:{UNIT_LABEL}"))
        [sent] = await tg.wait_sent(1)
    text = sent["text"]
    assert f"<b>{UNIT_LABEL}</b>" in text
    assert "pasangan calon &lt;yang&gt; &amp; ikut serta" in text  # verbatim, escaped
    assert "Disiplin Pegawai Negeri Sipil (berlaku)" in text
    assert '<a href="https://peraturan.bpk.go.id/Details/165653/pp-no-94-tahun-2021">' in text
    assert tg.calls_to("answerCallbackQuery")


async def test_long_label_uses_a_short_key(
    tg: FakeTelegram, bot_app: BotFactory, fake_service: FakeService
) -> None:
    citation = replace(default_answer("x").citations[0], label=LONG_LABEL)
    fake_service.canned["lampiran"] = replace(default_answer("lampiran"), citations=(citation,))
    async with bot_app():
        ask(tg, "lampiran")
        [answer] = await tg.wait_sent(1)
        [key] = [b["callback_data"] for b in buttons(answer) if b["text"].startswith("📜")]
        assert key.startswith("k:") and len(key.encode()) <= 64
        tg.push_update(callback_update(tg, key))
        sent = await tg.wait_sent(2)
        tg.push_update(callback_update(tg, "k:0123456789abcdef"))  # not in the cache (e.g. after a restart)
        await tg.wait_for(lambda: len(tg.calls_to("answerCallbackQuery")) >= 2)
    assert f"<b>{LONG_LABEL}</b>" in sent[1]["text"]
    assert "kedaluwarsa" in tg.calls_to("answerCallbackQuery")[-1].params["text"]


async def test_feedback_is_stored_with_hashed_user(
    tg: FakeTelegram, bot_app: BotFactory, store: BotStore
) -> None:
    async with bot_app():
        ask(tg, "Bolehkah PNS ikut kampanye?", user_id=5550001)
        [answer] = await tg.wait_sent(1)
        [up] = [b["callback_data"] for b in buttons(answer) if b["text"] == "👍"]
        tg.push_update(callback_update(tg, up, user_id=5550001))
        tg.push_update(callback_update(tg, up, user_id=5550001))  # a second press does not count twice
        await tg.wait_for(lambda: len(tg.calls_to("answerCallbackQuery")) >= 2)
    [row] = store.feedback_rows()
    user_hash, verdict, labels, vote, _ = row
    assert user_hash == store.user_hash(5550001) and "5550001" not in user_hash
    assert (verdict, vote) == ("dilarang", 1)
    assert labels == [UNIT_LABEL, "PP 53/2010 Pasal 4 angka 15"]
    assert store.stats().questions == 1


async def test_follow_up_uses_previous_question(
    tg: FakeTelegram, bot_app: BotFactory, fake_service: FakeService
) -> None:
    async with bot_app():
        ask(tg, "Bolehkah PNS like postingan calon?")
        await tg.wait_sent(1)
        ask(tg, "kalau share?")
        ask(tg, "Pertanyaan di chat lain", user_id=2002)
        await tg.wait_sent(3)
    assert ("kalau share?", "Bolehkah PNS like postingan calon?") in fake_service.calls
    assert ("Pertanyaan di chat lain", None) in fake_service.calls


async def test_group_answers_only_when_mentioned_or_replied_to(
    tg: FakeTelegram, bot_app: BotFactory, fake_service: FakeService
) -> None:
    group = -100123
    bot_message = {
        "message_id": 1,
        "date": 0,
        "chat": {"id": group, "type": "supergroup", "title": "g"},
        "from": BOT_USER,
    }
    async with bot_app():
        ask(tg, "obrolan biasa tentang kampanye", chat_id=group)
        mention = ask(tg, "@netral_test_bot bolehkah PNS ikut kampanye?", chat_id=group)
        [first] = await tg.wait_sent(1)
        ask(tg, "kalau cuma datang?", chat_id=group, reply_to=bot_message)
        await tg.wait_sent(2)
        ask(tg, "/bantuan", chat_id=group)
        await tg.wait_sent(3)
    assert first["reply_parameters"]["message_id"] == mention["message_id"]
    assert [q for q, _ in fake_service.calls] == ["bolehkah PNS ikut kampanye?", "kalau cuma datang?"]


async def test_non_text_and_edited_messages(
    tg: FakeTelegram, bot_app: BotFactory, fake_service: FakeService
) -> None:
    photo = {"photo": [{"file_id": "f1", "file_unique_id": "u1", "width": 90, "height": 90}]}
    async with bot_app():
        tg.push_update(message_update(tg, None, extra=photo))
        edited = message_update(tg, "pertanyaan yang diedit")
        tg.push_update({"edited_message": {**edited["message"], "edit_date": 1}})
        edited_command = message_update(tg, "/start")
        tg.push_update({"edited_message": {**edited_command["message"], "edit_date": 1}})
        ask(tg, "pertanyaan baru")
        await tg.wait_sent(2)
    # The graceful stop above handled every fetched update, so nothing more can arrive.
    assert len(tg.sent()) == 2
    assert tg.sent()[0]["text"] == NON_TEXT_TEXT
    assert [q for q, _ in fake_service.calls] == ["pertanyaan baru"]


async def test_too_long_question_asks_to_shorten(
    tg: FakeTelegram, bot_app: BotFactory, fake_service: FakeService
) -> None:
    async with bot_app(max_question_chars=50):
        ask(tg, "x" * 51)
        [sent] = await tg.wait_sent(1)
    assert "persingkat" in sent["text"] and "50" in sent["text"]
    assert fake_service.calls == []


async def test_rate_limit_per_user(tg: FakeTelegram, bot_app: BotFactory, fake_service: FakeService) -> None:
    async with bot_app(rate_limit_per_minute=2):
        for i in range(3):
            ask(tg, f"pertanyaan {i}")
        ask(tg, "pengguna lain", user_id=3003)
        sent = await tg.wait_sent(4)
    assert sum("terlalu cepat" in m["text"] for m in sent) == 1
    assert len(fake_service.calls) == 3


async def test_answer_survives_a_429(tg: FakeTelegram, bot_app: BotFactory) -> None:
    tg.fail_next("sendMessage", 1, retry_after=1)
    async with bot_app():
        ask(tg, "Bolehkah PNS ikut kampanye?")
        [sent] = await tg.wait_sent(1, timeout=15)
    assert [c.status for c in tg.calls if c.method == "sendMessage"] == [429, 200]
    assert sent["text"].startswith("<b>⛔")


async def test_rejected_entities_fall_back_to_plain_text(
    tg: FakeTelegram, bot_app: BotFactory, fake_service: FakeService
) -> None:
    tg.reject_html_marker = "PENANDA"
    fake_service.canned["q"] = replace(
        default_answer("q"), answer="Teks PENANDA <tetap> & utuh", explanation="Teks PENANDA <tetap> & utuh"
    )
    async with bot_app():
        ask(tg, "q")
        [sent] = await tg.wait_sent(1)
    assert "parse_mode" not in sent
    assert "Teks PENANDA <tetap> & utuh" in sent["text"] and "<b>" not in sent["text"]
    assert buttons(sent)


async def test_hapus_deletes_the_users_data(tg: FakeTelegram, bot_app: BotFactory, store: BotStore) -> None:
    store.record_feedback(store.user_hash(1001), "boleh", ["X"], 1)
    store.record_feedback(store.user_hash(4004), "boleh", ["X"], -1)
    async with bot_app():
        ask(tg, "/hapus")
        [sent] = await tg.wait_sent(1)
    assert "dihapus (1 umpan balik)" in sent["text"]
    assert [r[0] for r in store.feedback_rows()] == [store.user_hash(4004)]


async def test_admin_commands(tg: FakeTelegram, bot_app: BotFactory, fake_service: FakeService) -> None:
    async with bot_app():
        ask(tg, "/stats")
        ask(tg, "/reload")
        ask(tg, "/entahapa")
        await tg.wait_sent(3)
        assert [m["text"] for m in tg.sent()] == [UNKNOWN_COMMAND_TEXT] * 3
        assert fake_service.reloads == 0
        ask(tg, "Bolehkah PNS ikut kampanye?", user_id=ADMIN_ID)
        await tg.wait_sent(1, chat_id=ADMIN_ID)
        ask(tg, "/stats", user_id=ADMIN_ID)
        ask(tg, "/reload", user_id=ADMIN_ID)
        sent = await tg.wait_sent(3, chat_id=ADMIN_ID)
    texts = sorted(m["text"] for m in sent[1:])
    assert "Indeks dimuat ulang: 2 dokumen" in texts[0]
    assert "Pertanyaan terjawab: 1" in texts[1] and "TIDAK BOLEH: 1" in texts[1]
    assert fake_service.reloads == 1


async def test_sumber_lists_documents(tg: FakeTelegram, bot_app: BotFactory) -> None:
    async with bot_app():
        ask(tg, "/sumber")
        [sent] = await tg.wait_sent(1)
    assert "<b>PP 94/2021</b>: Disiplin Pegawai Negeri Sipil (berlaku)" in sent["text"]
    assert "<b>PP 53/2010</b>: Disiplin Pegawai Negeri Sipil (dicabut, diganti PP 94/2021)" in sent["text"]
    assert "tautan resmi" in sent["text"]


async def test_errors_reply_generically_and_logs_hide_token_and_user_ids(
    tg: FakeTelegram, bot_app: BotFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    user_id = 918273645
    async with bot_app():
        ask(tg, "Bolehkah PNS ikut kampanye?", user_id=user_id)
        ask(tg, "BOOM", user_id=user_id)
        await tg.wait_sent(2, chat_id=user_id)
    texts = [m["text"] for m in tg.sent()]
    assert "Maaf, terjadi kesalahan. Silakan coba lagi." in texts
    assert not any("/srv/secret" in t for t in texts)
    assert "internal failure" in caplog.text  # the traceback is logged for the maintainer...
    assert tg.token not in caplog.text  # ...but never the token
    assert tg.token.split(":")[1] not in caplog.text
    assert str(user_id) not in caplog.text


def test_fake_service_satisfies_the_protocol() -> None:
    from rag.protocols import Service

    service: Service = FakeService()
    assert isinstance(service.answer("q"), Answer)


async def test_restart_loses_no_update(
    tg: FakeTelegram, fake_service: FakeService, store: BotStore, tmp_path: Any
) -> None:
    from bot.app import build_application
    from tests.bot.conftest import bot_settings, running

    settings = bot_settings(tg, tmp_path)
    first = [ask(tg, f"gelombang satu {i}", user_id=6000 + i) for i in range(6)]
    async with running(build_application(settings, fake_service, store, overall_max_rate=0)):
        await tg.wait_sent(1)
    # Graceful stop: whatever was fetched has been answered and confirmed.
    assert len(tg.sent()) == len(first) and tg.pending == []
    second = [ask(tg, f"gelombang dua {i}", user_id=6000 + i) for i in range(6)]  # while the bot is down
    async with running(build_application(settings, fake_service, store, overall_max_rate=0)):
        await tg.wait_sent(len(first) + len(second))
    replied = sorted(m["reply_parameters"]["message_id"] for m in tg.sent())
    assert replied == sorted(m["message_id"] for m in first + second)


def test_cli_without_token_points_to_env_and_chat(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    from bot.settings import BotSettings
    from netral import bot_cli as cli

    parser = argparse.ArgumentParser()
    cli.configure(parser)
    code = cli.run(parser.parse_args([]), BotSettings(_env_file=None, data_dir=tmp_path, environment="test"))  # type: ignore[call-arg]
    err = capsys.readouterr().err
    assert code == 2
    assert ".env" in err and "NETRAL_TELEGRAM_BOT_TOKEN" in err and "TELEGRAM_BOT_TOKEN" in err
    assert "netral chat" in err


async def test_selengkapnya_sends_full_quotes_all_sources_and_notes(
    tg: FakeTelegram, bot_app: BotFactory, fake_service: FakeService
) -> None:
    from rag.types import Note

    long_quote = "mengadakan kegiatan " + " ".join(f"kata{i}" for i in range(60)) + " AKHIR-KUTIPAN"
    base = default_answer("PERTANYAAN-UNIK rinci")
    fake_service.canned["PERTANYAAN-UNIK rinci"] = replace(
        base,
        citations=(replace(base.citations[0], quote=long_quote), base.citations[1]),
        caveats=("Perhatian pertama.", "PERHATIAN-KEDUA hanya di rincian."),
        notes=(Note("Catatan kurasi", "CATATAN-KURASI: isi catatan."),),
    )
    async with bot_app():
        ask(tg, "PERTANYAAN-UNIK rinci", user_id=5551)
        [answer] = await tg.wait_sent(1)
        # The main message stays short: the quote is cut, the second caution and the note are not there.
        assert "AKHIR-KUTIPAN" not in answer["text"] and "CATATAN-KURASI" not in answer["text"]
        assert "PERHATIAN-KEDUA" not in answer["text"]
        [more] = [b for b in buttons(answer) if "Selengkapnya" in b["text"]]
        assert more["callback_data"].startswith("d:") and len(more["callback_data"].encode()) <= 64
        tg.push_update(callback_update(tg, more["callback_data"], user_id=5551))
        sent = await tg.wait_sent(2)
        tg.push_update(callback_update(tg, more["callback_data"], user_id=5551))  # a second tap: not resent
        tg.push_update(callback_update(tg, "d:0123456789ab", user_id=5551))  # unknown (e.g. expired)
        await tg.wait_for(lambda: len(tg.calls_to("answerCallbackQuery")) >= 3)
    detail = sent[1]["text"]
    assert check_html(detail)[0] is None
    assert "AKHIR-KUTIPAN" in detail and f"<b>{UNIT_LABEL}</b> (berlaku)" in detail
    assert "PP 53/2010 Pasal 4 angka 15" in detail and "RINGKASAN-RAHASIA" not in detail
    assert "PERHATIAN-KEDUA" in detail and "CATATAN-KURASI" in detail
    assert "PERTANYAAN-UNIK" not in html_to_plain(detail)  # the question is not part of what is kept
    assert len(tg.sent()) == 2
    replies = [c.params.get("text", "") for c in tg.calls_to("answerCallbackQuery")]
    assert any("baru saja" in r for r in replies) and any("kedaluwarsa" in r for r in replies)


async def test_privacy_text_follows_the_store(tg: FakeTelegram, bot_app: BotFactory) -> None:
    from bot.texts import privacy_text

    async with bot_app():
        ask(tg, "/privasi")
        [sent] = await tg.wait_sent(1)
    assert "di memori" in sent["text"] and "30 hari" in sent["text"]
    shared = privacy_text(30, shared_store=True)
    assert "PostgreSQL" in shared and "30 menit" in shared and "/hapus" in shared
    assert "di memori" not in shared
