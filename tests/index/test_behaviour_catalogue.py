"""The behaviour catalogue in the index: stored with its vectors, reused when unchanged, and a
dangling basis label fails ingest naming file, behaviour and label, with the index untouched."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from ingest.pipeline import run_ingest
from netral.cli import main
from rag.behaviour_match import BehaviourMatcher
from rag.errors import IngestError
from rag.index import IndexReader, current_generation
from rag.lexical import Analyzer, Stemmer
from tests.conftest import KNOWLEDGE, make_settings
from tests.index.test_pipeline import tree_digest

ENTRY = """\
behaviours:
  - id: uji-sanksi-moral
    title: {{id: Melanggar kode etik PNS, en: Breaching the civil-service code of ethics}}
    applies_to: [pns]
    verdict: dilarang
    basis: [{basis}]
    sanctions:
      - level: sanksi moral
        basis: [PP 42/2004 Pasal 15]
    explanation: {{id: Pelanggaran kode etik dikenai sanksi moral., en: A breach of the code of ethics brings a moral sanction.}}
    examples:
      - Apa akibatnya kalau PNS melanggar kode etik?
      - pns langgar kode etik kena apa
      - kalo sy melanggar kode etik gmn
      - What happens if a civil servant breaches the code of ethics?
      - {extra}
    provenance: {{notes: ["test"], confidence: C2}}
"""


def corpus(
    tmp: Path, basis: str = "PP 42/2004 Pasal 15", extra: str = "Sanksi kode etik PNS apa saja?"
) -> Path:
    src = tmp / "src"
    (src / "behaviours").mkdir(parents=True, exist_ok=True)
    for name in ("pp-42-2004.md", "pp-37-2004.md"):
        shutil.copy(KNOWLEDGE / name, src / name)
    write_entry(src, basis, extra)
    return src


def write_entry(src: Path, basis: str, extra: str = "Sanksi kode etik PNS apa saja?") -> None:
    (src / "behaviours" / "uji.yaml").write_text(
        textwrap.dedent(ENTRY.format(basis=basis, extra=extra)), encoding="utf-8"
    )


def test_catalogue_is_stored_and_reused(tmp_path: Path) -> None:
    src = corpus(tmp_path)
    settings = make_settings(tmp_path / "data")
    first = run_ingest(settings, [src], progress=False)
    assert first.behaviours == 1 and first.behaviours_changed
    reader = IndexReader.open(settings)
    [b] = reader.catalogue.behaviours
    assert b.id == "uji-sanksi-moral" and b.basis == ("PP 42/2004 Pasal 15",)
    assert (
        reader.catalogue.vectors is not None and len(reader.catalogue.vectors) == 7
    )  # 2 titles + 5 examples
    assert not run_ingest(settings, [src], progress=False).changed

    # One new example: a new generation, the catalogue changed, the documents did not.
    write_entry(src, "PP 42/2004 Pasal 15", extra="Kalau PNS tidak menjaga kode etik, sanksinya apa?")
    third = run_ingest(settings, [src], progress=False)
    assert third.changed and third.behaviours_changed and third.ingested == ()
    # Ingesting one document keeps the catalogue of the live generation.
    fourth = run_ingest(settings, [src / "pp-37-2004.md"], rebuild=False, progress=False)
    assert fourth.behaviours == 1


def test_stored_phrasing_tokens_match_as_tokens_read_at_start_up(tmp_path: Path) -> None:
    # Ingest stores each phrasing's tokens so start-up need not fold them; a matcher from the stored
    # tokens must score every question exactly as one that reads the phrasings itself.
    settings = make_settings(tmp_path / "data")
    run_ingest(settings, [corpus(tmp_path)], progress=False)
    reader = IndexReader.open(settings)
    cat = reader.catalogue
    analyzer = Analyzer(Stemmer(reader.stems), reader.lexicon)
    assert cat.phrases is not None and len(cat.phrases[0]) == 7  # 2 titles + 5 examples
    stored = BehaviourMatcher(cat.behaviours, cat.tokens, analyzer, phrases=cat.phrases)
    computed = BehaviourMatcher(cat.behaviours, cat.tokens, analyzer)
    for q in ("pns langgar kode etik kena apa", "Sanksi moral itu apa?", "boleh nge-like postingan?"):
        assert [(m.behaviour.id, m.score) for m in stored.match(q)] == [
            (m.behaviour.id, m.score) for m in computed.match(q)
        ]


@pytest.mark.parametrize(
    ("basis", "reason"),
    [
        ("PP 42/2004 Pasal 99", "basis label 'PP 42/2004 Pasal 99' is not in the index"),
        ("UU 99/2099 Pasal 1", "basis label 'UU 99/2099 Pasal 1' is not in the index"),
    ],
)
def test_dangling_basis_label_fails_and_leaves_the_index(tmp_path: Path, basis: str, reason: str) -> None:
    src = corpus(tmp_path)
    settings = make_settings(tmp_path / "data")
    run_ingest(settings, [src], progress=False)
    live, digest = current_generation(settings.index_dir), tree_digest(settings.index_dir)

    write_entry(src, basis)
    with pytest.raises(IngestError) as err:
        run_ingest(settings, [src], progress=False)
    message = str(err.value)
    assert "uji.yaml" in message and "behaviour uji-sanksi-moral" in message and reason in message
    assert current_generation(settings.index_dir) == live
    assert tree_digest(settings.index_dir) == digest


def test_dangling_label_through_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    src = corpus(tmp_path)
    data = tmp_path / "data"
    monkeypatch.setenv("NETRAL_DATA_DIR", str(data))
    assert main(["ingest", "-q", str(src)]) == 0
    before = tree_digest(data / "index")
    capsys.readouterr()
    write_entry(src, "PP 42/2004 Pasal 77")
    assert main(["ingest", "-q", str(src)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "uji.yaml" in err[0] and "uji-sanksi-moral" in err[0] and "Pasal 77" in err[0]
    assert tree_digest(data / "index") == before


def test_removing_a_cited_document_fails(tmp_path: Path) -> None:
    src = corpus(tmp_path)
    settings = make_settings(tmp_path / "data")
    run_ingest(settings, [src], progress=False)
    with pytest.raises(IngestError, match="PP 42/2004 Pasal 15"):
        run_ingest(settings, [], remove=["pp-42-2004"], progress=False)


def test_schema_errors_name_the_field(tmp_path: Path) -> None:
    src = corpus(tmp_path)
    path = src / "behaviours" / "uji.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("verdict: dilarang", "verdikt: dilarang"), "utf-8"
    )
    settings = make_settings(tmp_path / "data")
    with pytest.raises(IngestError, match=r"uji\.yaml: behaviour uji-sanksi-moral: .*verdi"):
        run_ingest(settings, [src], progress=False)


def test_met_when_belongs_to_a_conditional_entry(tmp_path: Path) -> None:
    """`met_when` says a condition is met: on a dilarang entry it is a mistake ingest names."""
    from ingest.behaviours import load_file

    src = corpus(tmp_path)
    path = src / "behaviours" / "uji.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    basis: [", "    met_when: [sudah pensiun]\n    basis: [", 1), "utf-8")
    with pytest.raises(IngestError, match=r"uji\.yaml: behaviour uji-sanksi-moral: .*met_when"):
        load_file(path)
    conditional = text.replace(
        "verdict: dilarang", "verdict: bersyarat\n    conditions: [{id: SK berlaku, en: decree in force}]"
    )
    path.write_text(
        conditional.replace("    basis: [", "    met_when: [sudah pensiun]\n    basis: [", 1), "utf-8"
    )
    [b] = load_file(path)
    assert b.met_when == ("sudah pensiun",)
    path.write_text(text.replace("    basis: [", "    unmet_when: [masih mpp]\n    basis: [", 1), "utf-8")
    with pytest.raises(IngestError, match=r"uji\.yaml: behaviour uji-sanksi-moral: .*unmet_when"):
        load_file(path)
    disputed = text.replace("verdict: dilarang", "verdict: tidak_jelas")
    path.write_text(
        disputed.replace("    basis: [", "    unmet_when: [tanpa mundur]\n    basis: [", 1), "utf-8"
    )
    [b] = load_file(path)
    assert b.unmet_when == ("tanpa mundur",)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        # `others_act` says someone else does the act: without situation words there is no one else.
        ("others_act", "pasang"),
        # `situation_with` qualifies the situation words: without them there is nothing to qualify.
        ("situation_with", "caleg"),
    ],
)
def test_a_situation_field_needs_the_situation_words(tmp_path: Path, field: str, value: str) -> None:
    from ingest.behaviours import load_file

    src = corpus(tmp_path)
    path = src / "behaviours" / "uji.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    basis: [", f"    {field}: [{value}]\n    basis: [", 1), "utf-8")
    with pytest.raises(IngestError, match=rf"uji\.yaml: behaviour uji-sanksi-moral: .*{field}"):
        load_file(path)
    path.write_text(
        text.replace("    basis: [", f"    situation: [suami saya]\n    {field}: [{value}]\n    basis: [", 1),
        "utf-8",
    )
    [b] = load_file(path)
    assert getattr(b, field) == (value,) and b.situation == ("suami saya",)
