from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from ingest.loaders import load_source, split_front_matter
from rag.errors import IngestError


def _pdf_with_text(path: Path, lines: list[str]) -> Path:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=9)
    for line in lines:
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def _expect_error(path: Path, reason: str) -> None:
    with pytest.raises(IngestError) as info:
        load_source(path)
    message = str(info.value)
    assert path.name in message
    assert reason in message
    assert "\n" not in message


def test_markdown_front_matter_is_split(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_text("---\nlabel: PP 1/2099\nyear: 2099\n---\nPasal 1\nIsi.\n", encoding="utf-8")
    raw = load_source(path)
    assert raw.front_matter == {"label": "PP 1/2099", "year": 2099}
    assert raw.text.startswith("Pasal 1")
    assert raw.format == "md"


def test_text_without_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("Pasal 1\r\nIsi.\r\n", encoding="utf-8")
    raw = load_source(path)
    assert raw.front_matter is None
    assert raw.text == "Pasal 1\nIsi.\n"


def test_invalid_front_matter(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="front matter"):
        split_front_matter("---\n: [\n---\nPasal 1\n", tmp_path / "bad.md")


def test_html_keeps_block_line_breaks(tmp_path: Path) -> None:
    path = tmp_path / "x.html"
    path.write_text(
        "<html><head><title>t</title><script>var x;</script></head><body>"
        "<h1>Pasal 1</h1><p>PNS <b>dilarang</b>:</p><ol><li>a. ikut kampanye;</li></ol>"
        "<p>baris satu<br>baris dua</p></body></html>",
        encoding="utf-8",
    )
    text = load_source(path).text
    assert text.split("\n") == ["Pasal 1", "PNS dilarang:", "a. ikut kampanye;", "baris satu", "baris dua"]


def test_docx_paragraphs_and_tables(tmp_path: Path) -> None:
    from docx import Document

    doc = Document()
    doc.add_paragraph("Pasal 1")
    table = doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "1"
    table.rows[0].cells[1].text = "Memasang spanduk"
    doc.add_paragraph("Pasal 2")
    path = tmp_path / "x.docx"
    doc.save(str(path))
    assert load_source(path).text.split("\n") == ["Pasal 1", "1 | Memasang spanduk", "Pasal 2"]


def test_pdf_text_layer(tmp_path: Path) -> None:
    path = _pdf_with_text(tmp_path / "x.pdf", ["Pasal 1", "Pegawai dilarang ikut kampanye."])
    assert "Pegawai dilarang ikut kampanye." in load_source(path).text


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "kosong.md"
    path.write_text("  \n", encoding="utf-8")
    _expect_error(path, "empty file")


def test_binary_garbage_named_pdf(tmp_path: Path) -> None:
    path = tmp_path / "sampah.pdf"
    path.write_bytes(bytes(range(256)) * 4)
    _expect_error(path, "not a PDF")


def test_encrypted_pdf(tmp_path: Path) -> None:
    plain = _pdf_with_text(tmp_path / "plain.pdf", ["Pasal 1", "Rahasia."])
    writer = PdfWriter()
    for page in PdfReader(plain).pages:
        writer.add_page(page)
    writer.encrypt("rahasia", algorithm="RC4-128")
    path = tmp_path / "terkunci.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    _expect_error(path, "encrypted PDF")


def test_image_only_pdf(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    path = tmp_path / "pindaian.pdf"
    pdf.output(str(path))
    _expect_error(path, "no text layer")


def test_unreadable_docx(tmp_path: Path) -> None:
    path = tmp_path / "rusak.docx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip archive")
    _expect_error(path, "unreadable DOCX")


def test_unsupported_extension(tmp_path: Path) -> None:
    path = tmp_path / "aturan.rtf"
    path.write_text("Pasal 1", encoding="utf-8")
    _expect_error(path, "unsupported file type")


def test_binary_text_file(tmp_path: Path) -> None:
    path = tmp_path / "biner.txt"
    path.write_bytes(b"Pasal 1\x00\x00\x01")
    _expect_error(path, "binary file")
