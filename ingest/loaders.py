"""Read a source file into raw text plus optional YAML front matter.

Formats: Markdown/plain text (front matter optional), PDF, DOCX and HTML.

PDF goes through pypdf: it is pure Python (no poppler or other system packages on the bot's
host), it reports encryption before we try to read a page, and its text layer extraction is
good enough for born-digital regulations. Scanned PDFs have no text layer; we refuse them
with a clear message instead of indexing nothing (OCR is out of scope here).

Every failure raises :class:`rag.errors.IngestError` with a short one-line reason.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ingest.limits import DEFAULT_LIMITS, IngestLimits, check_file_size, size
from rag.errors import IngestError

TEXT_EXTENSIONS = frozenset({".md", ".markdown", ".txt"})
SUPPORTED_EXTENSIONS = frozenset({*TEXT_EXTENSIONS, ".pdf", ".docx", ".html", ".htm"})

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_MIN_PDF_LETTERS = 20  # fewer letters than this across all pages means "no usable text layer"


@dataclass(frozen=True)
class RawSource:
    """A source file's text before cleaning."""

    path: Path
    text: str
    front_matter: dict[str, Any] | None = None  # None when the file has none
    format: str = "txt"  # txt | md | pdf | docx | html


def load_source(path: Path, limits: IngestLimits = DEFAULT_LIMITS) -> RawSource:
    """Read ``path`` (any supported format) into text and optional front matter, within ``limits``."""
    ext = path.suffix.lower()
    if ext not in SUPPORTED_EXTENSIONS:
        raise IngestError(str(path), f"unsupported file type {ext or '(none)'!r}")
    try:
        check_file_size(path, path.stat().st_size, limits)  # before reading a byte
    except OSError as exc:
        raise IngestError(str(path), f"cannot read file ({exc.strerror or type(exc).__name__})") from exc
    data = _read_bytes(path)
    if not data.strip():
        raise IngestError(str(path), "empty file")
    if ext in TEXT_EXTENSIONS:
        text = _decode_text(path, data)
        front, body = split_front_matter(text, path)
        fmt = "txt" if ext == ".txt" else "md"
        return RawSource(path, _require_text(path, body), front, fmt)
    if ext == ".pdf":
        return RawSource(path, _require_text(path, read_pdf(path, data, limits)), None, "pdf")
    if ext == ".docx":
        return RawSource(path, _require_text(path, read_docx(path, limits)), None, "docx")
    html = _decode_text(path, data)
    return RawSource(path, _require_text(path, read_html(html)), None, "html")


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any] | None, str]:
    """Split a leading ``---`` YAML block from the body; the body keeps its own lines."""
    match = _FRONT_MATTER.match(text)
    if match is None:
        return None, text
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise IngestError(str(path), f"invalid YAML front matter ({reason})") from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise IngestError(str(path), "front matter is not a YAML mapping")
    return data, text[match.end() :]


def read_pdf(path: Path, data: bytes, limits: IngestLimits = DEFAULT_LIMITS) -> str:
    """Text layer of a PDF, pages separated by newlines."""
    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import LimitReachedError

    if b"%PDF-" not in data[:1024]:
        raise IngestError(str(path), "not a PDF file (no %PDF header)")
    stream_limit = limits.max_pdf_stream_bytes
    try:
        # pypdf's decompression limits (Flate bombs), set to ours for this read only.
        with apply_configuration(
            zlib_maximum_output_length=stream_limit,
            lzw_maximum_output_length=stream_limit,
            run_length_maximum_output_length=stream_limit,
            brotli_maximum_output_length=stream_limit,
            array_based_stream_maximum_output_length=stream_limit,
            maximum_declared_stream_length=stream_limit,
        ):
            reader = PdfReader(path)
            _unlock(path, reader)
            n_pages = len(reader.pages)
            if n_pages > limits.max_pdf_pages:
                raise IngestError(
                    str(path),
                    f"PDF has {n_pages:,} pages, over the limit of {limits.max_pdf_pages:,} "
                    "(NETRAL_INGEST_MAX_PDF_PAGES)",
                )
            pages = [_page_text(page) for page in reader.pages]
    except IngestError:
        raise
    except LimitReachedError as exc:
        raise IngestError(
            str(path),
            f"a PDF stream decompresses to more than {size(stream_limit)} "
            "(NETRAL_INGEST_MAX_PDF_STREAM_BYTES)",
        ) from exc
    except Exception as exc:  # pypdf raises many types on malformed files; one line, no traceback
        raise IngestError(str(path), f"unreadable PDF ({type(exc).__name__})") from exc
    text = "\n".join(pages)
    if sum(ch.isalpha() for ch in text) < _MIN_PDF_LETTERS:
        raise IngestError(str(path), "PDF has no text layer (image-only or scanned; OCR it first)")
    return text


def _page_text(page: Any) -> str:
    # extract_text swallows pypdf's LimitReachedError (a bomb reads as an empty page, i.e.
    # "no text layer"); decoding the content stream first lets the limit surface as itself.
    contents = page.get_contents()
    if contents is not None:
        contents.get_data()
    return str(page.extract_text() or "")


def _unlock(path: Path, reader: Any) -> None:
    """Open PDFs protected only by an owner password; refuse those needing a user password."""
    if not reader.is_encrypted:
        return
    try:
        ok = reader.decrypt("")
    except Exception as exc:  # pypdf raises several types here (missing crypto backend, bad key)
        raise IngestError(str(path), "encrypted PDF (password required)") from exc
    if not ok:
        raise IngestError(str(path), "encrypted PDF (password required)")


def check_zip(path: Path, limits: IngestLimits) -> None:
    """Refuse a zip (DOCX) whose members inflate past the limit, before anything is inflated.

    The declared sizes are what the zip module will let a member inflate to (it stops at them and
    fails the CRC check), so checking them is enough."""
    limit = limits.max_uncompressed_bytes
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise IngestError(str(path), "unreadable DOCX (not a Word .docx file or corrupted)") from exc
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > limit or total > limit:
            what = f"member {member.filename!r}" if member.file_size > limit else "its members together"
            raise IngestError(
                str(path),
                f"DOCX {what} would uncompress to more than {size(limit)} "
                "(NETRAL_INGEST_MAX_UNCOMPRESSED_BYTES)",
            )


def read_docx(path: Path, limits: IngestLimits = DEFAULT_LIMITS) -> str:
    """Paragraphs and table rows of a Word document, in document order."""
    from docx import Document as open_docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    check_zip(path, limits)
    try:
        doc = open_docx(str(path))
        lines: list[str] = []
        for child in doc.element.body.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                lines.append(Paragraph(child, doc).text)
            elif tag == "tbl":
                lines.extend(_table_rows(Table(child, doc)))
    except Exception as exc:  # python-docx/lxml raise many types on malformed parts; one line, no traceback
        raise IngestError(
            str(path), f"unreadable DOCX (not a Word .docx file or corrupted: {type(exc).__name__})"
        ) from exc
    return "\n".join(lines)


def _table_rows(table: Any) -> list[str]:
    rows: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = " ".join(cell.text.split())
            # Merged cells repeat in python-docx; keep one copy.
            if text and (not cells or cells[-1] != text):
                cells.append(text)
        if cells:
            rows.append(" | ".join(cells))
    return rows


_BLOCK_TAGS = (
    "p", "div", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6",
    "section", "article", "header", "footer", "blockquote", "pre", "dd", "dt", "dl",
)  # fmt: skip


def read_html(html: str) -> str:
    """Visible text of an HTML page, one line per block element."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "template", "head"]):
        tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for cell in soup.find_all(["td", "th"]):
        cell.append(" ")
    for block in soup.find_all(_BLOCK_TAGS):
        block.insert_before("\n")
        block.insert_after("\n")
    lines = (" ".join(line.split()) for line in soup.get_text().splitlines())
    return "\n".join(line for line in lines if line)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise IngestError(str(path), f"cannot read file ({exc.strerror or type(exc).__name__})") from exc


def _decode_text(path: Path, data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise IngestError(str(path), "binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = _decode_damaged(data)
    return text.replace("\r\n", "\n").replace("\r", "\n")


_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _decode_damaged(data: bytes) -> str:
    """Bytes that are not valid UTF-8: UTF-8 with a few bad bytes, or a legacy Windows-1252 file.

    A file that holds valid UTF-8 multi-byte sequences is UTF-8 with damage: decoding all of it as
    cp1252 would turn every "é" into "Ã©" in the index. Only a file with no UTF-8 sequence at all
    is read as cp1252 (older government sites still serve Windows-1252 pages)."""
    if _UTF8_MULTIBYTE.search(data) or not re.search(rb"[\x80-\xff]", data):
        return data.decode("utf-8-sig", errors="replace")
    return data.decode("cp1252", errors="replace")


def _require_text(path: Path, text: str) -> str:
    if not text.strip():
        raise IngestError(str(path), "empty file (no text)")
    return text
