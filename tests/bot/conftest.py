"""Bot test fixtures: a fake Telegram server, a FakeService with canned answers, and a helper that
runs the real Application against them exactly as ``run_polling`` would."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_application
from bot.settings import BotSettings
from bot.store import BotStore
from rag.types import Answer, Citation, Document, SanctionRef, Unit
from tests.fakes.documents import PP53, PP94
from tests.fakes.telegram_api import FakeTelegram, running

UNIT_LABEL = "PP 94/2021 Pasal 5 huruf n angka 4"
UNIT = Unit(
    id="pp-94-2021::pasal-5/huruf-n/angka-4",
    doc_id="pp-94-2021",
    label=UNIT_LABEL,
    kind="angka",
    text="mengadakan kegiatan yang mengarah kepada keberpihakan terhadap pasangan calon <yang> & ikut serta",
    lead_in="PNS dilarang: memberikan dukungan kepada calon …",
)
LONG_LABEL = "SE MenPANRB 18/2023 Lampiran Pedoman Pengawasan Netralitas angka 12 huruf b"
LONG_UNIT = replace(
    UNIT, id="se::lampiran-12b", label=LONG_LABEL, text="Teks lampiran panjang.", kind="lampiran"
)

CITATION = Citation(
    label=UNIT_LABEL,
    document="PP 94/2021",
    title=PP94.title,
    status="berlaku",
    kind="wording",
    quote=UNIT.text,
    summary="",
    source_url=PP94.source_url,
)
SUMMARY_CITATION = Citation(
    label="PP 53/2010 Pasal 4 angka 15",
    document="PP 53/2010",
    title=PP53.title,
    status="dicabut",
    kind="summary",
    quote="",
    summary="RINGKASAN-RAHASIA yang tidak boleh tampil sebagai kutipan",
    replaced_by="PP 94/2021",
)


def default_answer(question: str) -> Answer:
    return Answer(
        question=question,
        verdict="dilarang",
        answer=f"PNS dilarang melakukan itu. (q={question})",
        explanation=f"PNS dilarang melakukan itu. (q={question})",
        citations=(CITATION, SUMMARY_CITATION),
        key=(CITATION.label, SUMMARY_CITATION.label),
        sanctions=(SanctionRef("hukuman disiplin berat"),),
    )


class FakeService:
    """A rag.protocols.Service with canned answers; records what it was asked."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str | None]] = []
        self.canned: dict[str, Answer] = {}
        self.reloads = 0
        self._lock = threading.Lock()

    def answer(self, question: str, previous_question: str | None = None) -> Answer:
        with self._lock:
            self.calls.append((question, previous_question))
        if question.startswith("BOOM"):
            raise RuntimeError("internal failure at /srv/secret/index.sqlite")
        canned = self.canned.get(question)
        return replace(canned, question=question) if canned else default_answer(question)

    def documents(self) -> list[Document]:
        return [PP94, PP53]

    def unit(self, label: str) -> tuple[Unit, Document] | None:
        return {UNIT_LABEL.lower(): (UNIT, PP94), LONG_LABEL.lower(): (LONG_UNIT, PP94)}.get(label.lower())

    def reload(self) -> None:
        self.reloads += 1


ADMIN_ID = 777001


def bot_settings(tg: FakeTelegram, data_dir: Path, **overrides: Any) -> BotSettings:
    values: dict[str, Any] = {
        "TELEGRAM_BOT_TOKEN": tg.token,
        "TELEGRAM_API_BASE_URL": tg.base_url,
        "admin_ids": [ADMIN_ID],
        "data_dir": data_dir,
        "environment": "test",
        "rate_limit_per_minute": 100,
    }
    values.update(overrides)
    return BotSettings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


@pytest.fixture
def fake_service() -> FakeService:
    return FakeService()


@pytest.fixture
def store(tmp_path: Path) -> BotStore:
    return BotStore(tmp_path / "bot.sqlite3", salt="test-salt", retention_days=30)


BotFactory = Callable[..., AbstractAsyncContextManager[Any]]


@pytest.fixture
def bot_app(tg: FakeTelegram, fake_service: FakeService, store: BotStore, tmp_path: Path) -> BotFactory:
    """``async with bot_app(**settings_overrides) as app:`` runs the real bot against the fakes."""

    def factory(**overrides: Any) -> AbstractAsyncContextManager[Any]:
        settings = bot_settings(tg, tmp_path, **overrides)
        # No overall throttling in tests: the rate limiter's retry path is exercised by the 429 test.
        return running(build_application(settings, fake_service, store, overall_max_rate=0))

    return factory
