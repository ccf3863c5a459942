"""A no-change re-ingest skips parsing files whose bytes are unchanged; a changed file is parsed again."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import ingest.pipeline
from ingest import source_cache
from ingest.parse import Overrides, parse_source
from ingest.pipeline import run_ingest
from rag.index import IndexReader, current_generation
from rag.settings import Settings
from tests.conftest import ROOT, make_settings
from tests.index.test_behaviour_catalogue import corpus
from tests.index.test_layers import _write
from tests.index.test_pipeline import tree_digest


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files the pipeline parses (the real parser runs)."""
    names: list[str] = []

    def spy(path: Path, *args: Any, **kwargs: Any) -> Any:
        names.append(path.name)
        return parse_source(path, *args, **kwargs)

    monkeypatch.setattr(ingest.pipeline, "parse_source", spy)
    return names


def _layered(tmp: Path) -> tuple[Settings, Path, Path]:
    curated, official = _write(tmp)
    settings = make_settings(tmp / "data")
    run_ingest(settings, [curated, official], progress=False)
    return settings, curated, official


def test_unchanged_files_are_not_parsed_again(tmp_path: Path, parsed: list[str]) -> None:
    settings, curated, official = _layered(tmp_path)
    assert sorted(parsed) == ["pp-7-2099.md", "pp_2099_7.txt"]
    gen, digest = current_generation(settings.index_dir), tree_digest(settings.index_dir)
    parsed.clear()

    again = run_ingest(settings, [curated, official], progress=False)
    assert not again.changed and parsed == []
    assert sorted(again.unchanged) == ["PP 7/2099", "PP 7/2099"]  # both layers
    assert current_generation(settings.index_dir) == gen and tree_digest(settings.index_dir) == digest

    # Nothing changed and the cache was checked against the live generation: the index is not read.
    def unread(*args: Any) -> Any:
        raise AssertionError("the no-change path read the index")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(ingest.pipeline, "load_entries", unread)
        assert run_ingest(settings, [curated, official], progress=False).unchanged == again.unchanged
    # One file alone, and the folder it is in, are found in the cache too.
    assert not run_ingest(settings, [official.parent], progress=False).changed and parsed == []


def test_a_changed_file_is_parsed_again_and_its_new_wording_served(tmp_path: Path, parsed: list[str]) -> None:
    settings, curated, official = _layered(tmp_path)
    parsed.clear()
    text = official.read_text(encoding="utf-8")
    official.write_text(text.replace("memasang alat peraga", "menempel alat peraga"), encoding="utf-8")

    report = run_ingest(settings, [curated, official], progress=False)
    assert parsed == ["pp_2099_7.txt"]  # the curated file is still skipped
    assert report.changed and report.ingested == ("PP 7/2099",)
    (timing,) = report.timings  # per document: this one was parsed and one unit re-embedded
    assert timing.label == "PP 7/2099" and timing.parse_seconds > 0
    assert 1 <= timing.texts_embedded <= 3 and timing.embed_seconds > 0
    texts = [u.text for u in IndexReader.open(settings).units.values()]
    assert any("menempel alat peraga" in t for t in texts)
    assert not any("memasang alat peraga" in t for t in texts)
    parsed.clear()
    assert not run_ingest(settings, [curated, official], progress=False).changed and parsed == []


def test_touching_a_file_without_changing_it_still_parses_and_changes_nothing(
    tmp_path: Path, parsed: list[str]
) -> None:
    """Same bytes, same key: even an editor's rewrite of identical text is a cache hit."""
    settings, _, official = _layered(tmp_path)
    parsed.clear()
    official.write_bytes(official.read_bytes())
    assert not run_ingest(settings, [official], progress=False).changed and parsed == []


def _remove_official(s: Settings, mp: pytest.MonkeyPatch) -> None:
    run_ingest(s, [], remove_official=["PP 7/2099"], progress=False)


def _damage_cache(s: Settings, mp: pytest.MonkeyPatch) -> None:
    (s.index_dir / source_cache.CACHE_FILE).write_text("{not json", encoding="utf-8")


def _change_parser(s: Settings, mp: pytest.MonkeyPatch) -> None:
    mp.setattr(source_cache, "parser_fingerprint", lambda: "another parser version")


@pytest.mark.parametrize(
    "disturb",
    [
        _remove_official,  # the cached parse vouches for a layer that is no longer live
        _damage_cache,  # a damaged cache file counts as none
        _change_parser,  # a change to a parsing module's source changes every key
    ],
)
def test_the_cache_never_stands_in_for_a_parse_it_cannot_vouch_for(
    tmp_path: Path,
    parsed: list[str],
    monkeypatch: pytest.MonkeyPatch,
    disturb: Callable[[Settings, pytest.MonkeyPatch], None],
) -> None:
    settings, _, official = _layered(tmp_path)
    disturb(settings, monkeypatch)
    parsed.clear()
    run_ingest(settings, [official], progress=False)
    assert parsed == ["pp_2099_7.txt"]
    units = IndexReader.open(settings).units.values()
    assert any(u.text_kind == "wording" and "alat peraga" in u.text for u in units)
    parsed.clear()  # the parse was recorded, by a no-change run too: the next one is a hit
    assert not run_ingest(settings, [official], progress=False).changed and parsed == []


def test_overrides_are_part_of_the_key(tmp_path: Path, parsed: list[str]) -> None:
    settings, _, official = _layered(tmp_path)
    parsed.clear()
    run_ingest(settings, [official], overrides=Overrides(url="https://example.test/pp7"), progress=False)
    assert parsed == ["pp_2099_7.txt"]


def test_the_cache_keeps_entries_of_files_not_given_and_drops_replaced_ones(tmp_path: Path) -> None:
    settings, _, official = _layered(tmp_path)

    def cache() -> dict[str, str]:
        data = json.loads((settings.index_dir / source_cache.CACHE_FILE).read_text(encoding="utf-8"))
        return {key: v["layer"] for key, v in data["sources"].items()}

    before = cache()
    assert sorted(before.values()) == ["curated", "official"]
    official.write_text(official.read_text(encoding="utf-8").replace("memasang", "menempel"), "utf-8")
    run_ingest(settings, [official], progress=False)  # the curated file is not given this time
    after = cache()
    assert sorted(after.values()) == ["curated", "official"]
    assert [k for k, v in after.items() if v == "curated"] == [k for k, v in before.items() if v == "curated"]
    assert set(after) != set(before)  # the replaced official parse is gone


def test_parser_modules_list_every_module_a_parse_imports() -> None:
    code = (
        "import sys, ingest.parse; "
        "print('\\n'.join(m for m in sys.modules if m.split('.')[0] in ('ingest', 'rag') and '.' in m))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert set(out) <= set(source_cache.PARSER_MODULES), set(out) - set(source_cache.PARSER_MODULES)


def test_a_changed_lexicon_is_not_a_no_change(tmp_path: Path) -> None:
    """(A changed catalogue file: tests/index/test_behaviour_catalogue.py.)"""
    src = corpus(tmp_path)
    lexicon = src / "lexicon.yaml"
    lexicon.write_text("groups:\n  - [kode etik, etika]\n", encoding="utf-8")
    settings = make_settings(tmp_path / "data")
    assert run_ingest(settings, [src], progress=False).changed
    lexicon.write_text("groups:\n  - [kode etik, etika]\n# sama\n", encoding="utf-8")
    assert not run_ingest(settings, [src], progress=False).changed  # new bytes, same lexicon
    lexicon.write_text("groups:\n  - [kode etik, etika, etik]\n", encoding="utf-8")
    assert run_ingest(settings, [src], progress=False).changed
