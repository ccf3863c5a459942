from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import SAMPLE_LABELS, SAMPLE_REGULATION
from fpdf import FPDF

from ingest.parse import Overrides, ParsedDocument, discover, parse_source
from rag.errors import IngestError


def _normalised(parsed: ParsedDocument) -> list[tuple[str, str]]:
    return [(u.label, " ".join(u.text.split())) for u in parsed.units]


def test_parse_txt(sample_txt: Path) -> None:
    parsed = parse_source(sample_txt)
    doc = parsed.document
    assert (doc.id, doc.label, doc.title, doc.source_path) == (
        "pp-7-2099", "PP 7/2099", "Netralitas Pegawai Contoh", str(sample_txt)
    )  # fmt: skip
    assert len(doc.content_hash) == 64
    assert [u.label.removeprefix("PP 7/2099 ") for u in parsed.units] == SAMPLE_LABELS
    assert all(u.doc_id == "pp-7-2099" for u in parsed.units)
    assert "dimaksud dalam Pasal 4 Peraturan Pemerintah ini" in parsed.units[12].text


def test_content_hash_ignores_whitespace_only_changes(sample_txt: Path, tmp_path: Path) -> None:
    other = tmp_path / "spasi.txt"
    other.write_text(
        SAMPLE_REGULATION.replace("\n", "  \n").replace("Pasal 2\n", "Pasal  2\n"), encoding="utf-8"
    )
    assert parse_source(sample_txt).document.content_hash == parse_source(other).document.content_hash
    assert parse_source(sample_txt).document.content_hash != hashlib.sha256(b"").hexdigest()


def test_overrides(sample_txt: Path) -> None:
    parsed = parse_source(sample_txt, Overrides(title="Judul Lain", status="dicabut", url="https://contoh"))
    assert (parsed.document.title, parsed.document.status, parsed.document.source_url) == (
        "Judul Lain", "dicabut", "https://contoh"
    )  # fmt: skip


def _latin1(text: str) -> str:
    # The PDF core fonts are latin-1 only; the sample is ASCII but keep the guard explicit.
    return text.encode("latin-1", errors="replace").decode("latin-1")


def _write_pdf(path: Path, text: str) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=9)
    for line in text.splitlines():
        pdf.multi_cell(0, 4.5, _latin1(line), new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def _write_docx(path: Path, text: str) -> None:
    from docx import Document

    doc = Document()
    for line in text.splitlines():
        doc.add_paragraph(line)
    doc.save(str(path))


def test_pdf_docx_and_html_parse_like_txt(sample_txt: Path, tmp_path: Path) -> None:
    expected = _normalised(parse_source(sample_txt))
    pdf, docx, html = tmp_path / "contoh.pdf", tmp_path / "contoh.docx", tmp_path / "contoh.html"
    _write_pdf(pdf, SAMPLE_REGULATION)
    _write_docx(docx, SAMPLE_REGULATION)
    body = "".join(f"<p>{line}</p>" for line in SAMPLE_REGULATION.splitlines())
    html.write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    for path in (pdf, docx, html):
        parsed = parse_source(path)
        assert parsed.document.label == "PP 7/2099"
        assert _normalised(parsed) == expected, path.suffix


def test_parse_errors_name_the_file(tmp_path: Path) -> None:
    unknown = tmp_path / "tanpa-judul.txt"
    unknown.write_text("Pasal 1\nPegawai dilarang berpolitik.\n", encoding="utf-8")
    with pytest.raises(IngestError, match=r"tanpa-judul\.txt: cannot determine the instrument"):
        parse_source(unknown)
    flat = tmp_path / "datar.txt"
    flat.write_text("PERATURAN PEMERINTAH NOMOR 1 TAHUN 2099 TENTANG CONTOH\nHanya kalimat biasa.\n")
    with pytest.raises(IngestError, match=r"datar\.txt: no legal structure found"):
        parse_source(flat)
    # The same text parses once the identity is given on the command line.
    assert (
        parse_source(unknown, Overrides(label="PP 5/2099", title="Contoh")).units[0].label
        == "PP 5/2099 Pasal 1"
    )


def test_discover(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".hidden").mkdir()
    for name in ("a.md", "README.md", "FORMAT.md", "lexicon.yaml", "b.pdf", "c.json", ".d.md"):
        (tmp_path / name).write_text("x")
    (tmp_path / "sub" / "e.docx").write_text("x")
    (tmp_path / ".hidden" / "f.md").write_text("x")
    single = tmp_path / "sub" / "g.html"
    single.write_text("x")
    found = discover([tmp_path, single])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a.md",
        "b.pdf",
        "sub/e.docx",
        "sub/g.html",
    ]
