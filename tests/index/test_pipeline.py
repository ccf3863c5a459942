"""Ingestion into the index: idempotence, replacement, removal, bad input, model mismatch."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from ingest.pipeline import run_ingest
from netral.cli import main
from rag.errors import ModelMismatchError
from rag.index import IndexReader, current_generation
from tests.conftest import KNOWLEDGE, make_settings

SMALL = ["pp-42-2004.md", "pp-37-2004.md"]


def small_corpus(tmp: Path) -> Path:
    src = tmp / "src"
    src.mkdir()
    for name in SMALL:
        shutil.copy(KNOWLEDGE / name, src / name)
    return src


def tree_digest(path: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(path.rglob("*")):
        if p.is_file() and p.name != ".lock":
            h.update(str(p.relative_to(path)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def test_reingest_is_a_no_op_and_changes_replace_units(tmp_path: Path) -> None:
    src = small_corpus(tmp_path)
    settings = make_settings(tmp_path / "data")
    first = run_ingest(settings, [src], progress=False)
    assert first.changed and first.documents == 2 and first.units > 5
    gen = current_generation(settings.index_dir)
    digest = tree_digest(settings.index_dir)

    second = run_ingest(settings, [src], progress=False)
    assert not second.changed
    assert sorted(second.unchanged) == sorted(first.ingested)
    assert current_generation(settings.index_dir) == gen
    assert tree_digest(settings.index_dir) == digest

    # Change one document: its units are replaced, no stale or duplicate unit remains.
    path = src / "pp-37-2004.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text + "\nCatatan 99\nCatatan uji yang ditambahkan oleh tes.\n@kind: note\n", encoding="utf-8"
    )
    third = run_ingest(settings, [src], progress=False)
    assert third.ingested == ("PP 37/2004",) and third.unchanged == ("PP 42/2004",)
    assert third.units_embedded >= 1 and third.units_embedded < third.units  # unchanged vectors reused
    reader = IndexReader.open(settings)
    labels = [u.label for u in reader.units.values()]
    assert len(labels) == len(set(labels))
    assert reader.unit_by_label("PP 37/2004 Catatan 99") is not None
    assert reader.store.count() == len(reader.units)

    removed = run_ingest(settings, [], remove=["PP 37/2004"], progress=False)
    assert removed.removed == ("PP 37/2004",)
    reader = IndexReader.open(settings)
    assert {d.label for d in reader.documents.values()} == {"PP 42/2004"}
    assert all(u.doc_id != "pp-37-2004" for u in reader.units.values())


def test_model_mismatch_is_refused(tmp_path: Path) -> None:
    src = small_corpus(tmp_path)
    settings = make_settings(tmp_path / "data")
    run_ingest(settings, [src], progress=False)
    other = make_settings(tmp_path / "data", embedding_model="minilm")
    with pytest.raises(ModelMismatchError, match="rebuild"):
        IndexReader.open(other)


def _encrypted_pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt("rahasia")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _image_only_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")  # a scanned page: no text layer
    return bytes(pdf.output())


BAD_INPUTS: dict[str, bytes] = {
    "terkunci.pdf": _encrypted_pdf(),
    "hasil-scan.pdf": _image_only_pdf(),
    "kosong.md": b"",
    "rusak.pdf": b"\x00\x01garbage\xff\xfe" * 50,
    "tanpa-struktur.txt": (
        b"PERATURAN PEMERINTAH REPUBLIK INDONESIA NOMOR 7 TAHUN 2020 TENTANG CONTOH\n"
        b"Teks ini hanya paragraf biasa tanpa pasal atau butir bernomor.\n"
    ),
    "tanpa-identitas.txt": b"Pasal 1\nIni pasal tanpa judul peraturan.\n\nPasal 2\nIni pasal kedua.\n",
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_fails_cleanly_and_leaves_the_index(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    src = small_corpus(tmp_path)
    data = tmp_path / "data"
    monkeypatch.setenv("NETRAL_DATA_DIR", str(data))
    monkeypatch.setenv("NETRAL_KNOWLEDGE_DIR", str(KNOWLEDGE))
    assert main(["ingest", "-q", str(src)]) == 0
    before = tree_digest(data / "index")
    capsys.readouterr()

    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / name).write_bytes(BAD_INPUTS[name])
    shutil.copy(src / SMALL[0], bad / SMALL[0])  # a good file beside it is not ingested either
    assert main(["ingest", "-q", str(bad)]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and name in err[0], err
    assert tree_digest(data / "index") == before


def test_list_shows_documents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    src = small_corpus(tmp_path)
    monkeypatch.setenv("NETRAL_DATA_DIR", str(tmp_path / "data"))
    assert main(["ingest", "--list"]) == 1  # no index yet: says how to build it
    assert "netral ingest" in capsys.readouterr().err
    assert main(["ingest", "-q", str(src)]) == 0
    capsys.readouterr()
    assert main(["ingest", "--list"]) == 0
    out = capsys.readouterr().out
    assert "PP 42/2004" in out and "PP 37/2004" in out and "berlaku" in out


@pytest.mark.parametrize(
    ("name", "reason"),
    [("tidak-ada.pdf", "no such file or folder"), ("tabel.xlsx", "unsupported file type .xlsx")],
)
def test_missing_or_unsupported_path_is_named(
    name: str,
    reason: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("NETRAL_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / name
    if name.endswith(".xlsx"):
        path.write_bytes(b"PK\x03\x04")
    assert main(["ingest", "-q", str(path)]) == 1
    err = capsys.readouterr().err.strip()
    assert err == f"netral: {path}: {reason}" or (name in err and reason in err)
    assert not (tmp_path / "data" / "index" / "CURRENT").exists()


def test_invalid_settings_are_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NETRAL_TOP_K", "banyak")
    assert main(["ingest", "--list"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("netral: invalid settings") and "top_k" in err and "\n" not in err
