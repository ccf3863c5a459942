"""Shared fixtures: settings pointing at temporary data dirs, and one full index per session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import netral  # noqa: F401  (sets the BLAS thread count before numpy loads, as the CLI does)
from rag.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
SHARED = ROOT.parent / "shared"


def make_settings(data_dir: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {"data_dir": data_dir, "knowledge_dir": KNOWLEDGE, "environment": "test"}
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def _no_user_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # A developer's own .env or NETRAL_* variables must not leak into tests.
    for key in list(os.environ):
        if key.startswith("NETRAL_") or key in {"TELEGRAM_BOT_TOKEN", "TELEGRAM_API_BASE_URL", "ADMIN_IDS"}:
            monkeypatch.delenv(key, raising=False)


@pytest.fixture(scope="session")
def full_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings with the whole knowledge/ corpus indexed once for the session."""
    from ingest.pipeline import run_ingest

    settings = make_settings(tmp_path_factory.mktemp("full-index"))
    run_ingest(settings, [KNOWLEDGE], progress=False)
    return settings


@pytest.fixture(scope="session")
def service(full_settings: Settings) -> Iterator[object]:
    from netral.app import NetralService

    yield NetralService(full_settings)


@pytest.fixture(scope="session")
def curated_gold(service: object) -> object:
    """The gold set (evals/gold) on the curated index, scored once for the session
    (tests/e2e/test_answers.py checks its floors, tests/e2e/test_overlay_gold.py compares with it)."""
    from evals.gold import load_gold
    from evals.runner import run_eval

    return run_eval(service, load_gold(ROOT / "evals" / "gold"), gold="evals/gold")  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """A throwaway PostgreSQL 15 server for the session (tests/fakes/postgres.py)."""
    from tests.fakes.postgres import postgres_server

    with postgres_server() as url:
        yield url


@pytest.fixture
def postgres_url(postgres_admin_url: str, request: pytest.FixtureRequest) -> str:
    """An empty database of its own for one test."""
    import re

    from tests.fakes.postgres import fresh_database

    name = "t_" + re.sub(r"[^a-z0-9]+", "_", request.node.name.lower())[:50]
    return fresh_database(postgres_admin_url, name)
