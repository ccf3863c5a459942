"""The optional LLM path wired through the real service and index, against a fake
OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import re

from netral.app import NetralService
from rag.settings import Settings
from tests.fakes.openai_server import FakeOpenAIServer

QUESTION = "Bolehkah PNS memakai mobil dinas untuk kampanye?"


def llm_service(full_settings: Settings, server: FakeOpenAIServer) -> NetralService:
    settings = full_settings.model_copy(
        update={
            "answer_mode": "llm",
            "llm_base_url": server.base_url,
            "llm_model": "fake-model",
            "llm_timeout_s": 2.0,
        }
    )
    return NetralService(settings)


def test_llm_answer_cites_only_presented_units(full_settings: Settings) -> None:
    with FakeOpenAIServer() as server:
        service = llm_service(full_settings, server)
        server.reply_json(
            {
                "verdict": "dilarang",
                "answer": "Tidak boleh. Menggunakan fasilitas negara saat kampanye dilarang [1] [42].",
                "sanctions": ["hukuman disiplin berat"],
                "caveats": [],
            }
        )
        answer = service.answer(QUESTION)
        sent = server.messages(0)["user"]
    assert answer.mode == "llm" and answer.verdict == "dilarang"
    assert "[42]" not in answer.answer  # never presented: dropped
    presented = re.findall(r"^\[(\d+)\]", sent, flags=re.M)
    assert presented and "42" not in presented
    # The engine's citations plus the unit the model cited as [1]; every quote comes from the index.
    first_presented = re.search(r"^\[1\] (.+)$", sent, flags=re.M)
    assert first_presented is not None
    assert first_presented.group(1).strip() in {c.label for c in answer.citations}
    for cited in answer.citations:
        unit = service.unit(cited.label)
        assert unit is not None
        assert (cited.quote or cited.summary) in unit[0].text  # quotes come from the index, not the model


def test_llm_failure_falls_back_to_extractive(full_settings: Settings) -> None:
    with FakeOpenAIServer() as server:
        service = llm_service(full_settings, server)
        server.fail(500)
        answer = service.answer(QUESTION)
    assert answer.mode == "extractive"
    assert answer.verdict == "dilarang"
    assert any(c.label == "PP 94/2021 Pasal 5 huruf n angka 4" for c in answer.citations)
