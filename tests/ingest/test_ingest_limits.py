"""Issue 10, finding 7: ingest has limits. Hostile files are refused quickly, with one line naming
the file and the limit, and the live index is left exactly as it was."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from ingest.limits import IngestLimits, check_units
from ingest.loaders import load_source
from ingest.pipeline import run_ingest
from rag.errors import IngestError
from rag.settings import Settings
from tests.conftest import ROOT, make_settings
from tests.ingest.conftest import SAMPLE_REGULATION


def _zip_bomb(path: Path, inflated: int = 100_000_000) -> Path:
    """A .docx of a few hundred KB whose document.xml inflates to ``inflated`` bytes."""
    chunk = b"<w:p><w:r><w:t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</w:t></w:r></w:p>" * 1000
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as fh:
            written = 0
            while written < inflated:
                fh.write(chunk)
                written += len(chunk)
    return path


def _index_snapshot(data_dir: Path) -> dict[str, int]:
    return {
        str(p.relative_to(data_dir)): p.stat().st_size for p in (data_dir / "index").rglob("*") if p.is_file()
    }


def _ingest(data_dir: Path, *args: str, **env: str) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "netral", "ingest", *args],
        cwd=ROOT,
        env={**os.environ, "NETRAL_DATA_DIR": str(data_dir), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    return proc, time.perf_counter() - started


@pytest.fixture
def index_copy(full_settings: Settings, tmp_path: Path) -> Path:
    data_dir = tmp_path / "data"
    shutil.copytree(full_settings.data_dir, data_dir)
    return data_dir


def test_zip_bomb_and_huge_text_are_refused_fast_and_leave_the_index(
    index_copy: Path, tmp_path: Path
) -> None:
    bomb = _zip_bomb(tmp_path / "bomb.docx")
    assert bomb.stat().st_size < 1_000_000
    big = tmp_path / "besar.txt"
    line = ("Pasal 1 Pegawai dilarang ikut kampanye dan " * 20 + "\n").encode()
    with big.open("wb") as fh:
        for _ in range(50_000_000 // len(line) + 1):
            fh.write(line)
    before = _index_snapshot(index_copy)
    for path, limit in (
        (bomb, "NETRAL_INGEST_MAX_UNCOMPRESSED_BYTES"),
        (big, "NETRAL_INGEST_MAX_FILE_BYTES"),
    ):
        proc, seconds = _ingest(index_copy, str(path))
        assert proc.returncode == 1
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1, proc.stderr
        assert str(path) in lines[0] and limit in lines[0]
        assert "Traceback" not in proc.stderr + proc.stdout
        # The refusal itself, without interpreter start-up (which alone can take seconds on a
        # loaded 2-core machine): the limit is checked before anything is read or inflated.
        settings = make_settings(index_copy)
        started = time.perf_counter()
        with pytest.raises(IngestError):
            run_ingest(settings, [path], progress=False)
        assert time.perf_counter() - started < 5, f"{path.name}: CLI took {seconds:.1f} s in all"
    assert _index_snapshot(index_copy) == before


def test_pdf_flate_bomb_is_one_line(index_copy: Path, tmp_path: Path) -> None:
    content = zlib.compress(b"BT /F1 12 Tf (a) Tj ET\n" * 400_000, 9)  # ~9 MB inflated
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    body = b"%PDF-1.4\n"
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    body += b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    pdf = tmp_path / "bom.pdf"
    pdf.write_bytes(body)
    proc, _ = _ingest(index_copy, str(pdf), NETRAL_INGEST_MAX_PDF_STREAM_BYTES="1000000")
    assert proc.returncode == 1
    assert len(proc.stderr.strip().splitlines()) == 1 and str(pdf) in proc.stderr, proc.stderr
    assert "NETRAL_INGEST_MAX_PDF_STREAM_BYTES" in proc.stderr and "Traceback" not in proc.stderr


def test_malformed_docx_is_one_line(index_copy: Path, tmp_path: Path) -> None:
    path = tmp_path / "rusak.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types")
        z.writestr("word/document.xml", "<w:document><unclosed>")
    proc, _ = _ingest(index_copy, str(path))
    assert proc.returncode == 1
    assert len(proc.stderr.strip().splitlines()) == 1 and str(path) in proc.stderr, proc.stderr
    assert "unreadable DOCX" in proc.stderr and "Traceback" not in proc.stderr


def test_pdf_page_limit(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    for i in range(5):
        pdf.add_page()
        pdf.set_font("helvetica", size=9)
        pdf.multi_cell(0, 5, f"Pasal {i + 1} Pegawai dilarang ikut kampanye.")
    path = tmp_path / "lima.pdf"
    pdf.output(str(path))
    with pytest.raises(IngestError) as err:
        load_source(path, IngestLimits(max_pdf_pages=3))
    assert "5 pages" in str(err.value) and "NETRAL_INGEST_MAX_PDF_PAGES" in str(err.value)


def test_one_invalid_byte_does_not_turn_utf8_into_mojibake(tmp_path: Path) -> None:
    path = tmp_path / "rusak.txt"
    path.write_bytes(SAMPLE_REGULATION.replace("contoh", "contoh—café", 1).encode("utf-8") + b"\xff tail\n")
    text = load_source(path).text
    assert "contoh—café" in text and "Ã" not in text and "â€" not in text


def test_windows_1252_text_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "lama.txt"
    path.write_bytes(SAMPLE_REGULATION.replace("contoh", "café", 1).encode("cp1252"))
    assert "café" in load_source(path).text


def test_a_unit_longer_than_the_limit_is_rejected_with_its_label(tmp_path: Path) -> None:
    from ingest.parse import parse_source

    path = tmp_path / "pp-7-2099.txt"
    path.write_text(
        SAMPLE_REGULATION.replace("Pegawai adalah", "Pegawai adalah " + "kata " * 1000, 1), encoding="utf-8"
    )
    units = parse_source(path).units
    longest = max(units, key=lambda u: len(u.text))
    with pytest.raises(IngestError) as err:
        check_units(path, units, IngestLimits(max_unit_chars=len(longest.text) - 1))
    assert longest.label in str(err.value) and "NETRAL_INGEST_MAX_UNIT_CHARS" in str(err.value)
