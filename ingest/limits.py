"""Ingest limits: a hostile or broken file is refused with one line naming the file and the limit.

Measured before these existed: a 307 KB DOCX zip bomb (100 MB of XML) and a 50 MB ``.txt`` each
became one 44–50 MB unit; the index grew from 2.6 MB to 833 MB, ``netral ask`` needed 2 GB and
one tap on the unit's button blocked the bot. The defaults are far above any real regulation
(the largest official text we know is 240 KB; its longest unit, the amending Pasal I of UU 8/2015,
which holds the amended articles, is 132,000 characters).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rag.errors import IngestError
from rag.settings import Settings
from rag.types import Unit


@dataclass(frozen=True)
class IngestLimits:
    max_file_bytes: int = 20_000_000
    max_uncompressed_bytes: int = 50_000_000  # one DOCX zip member, and all of them together
    max_pdf_pages: int = 2_000
    max_pdf_stream_bytes: int = 50_000_000
    max_unit_chars: int = 500_000

    @classmethod
    def from_settings(cls, settings: Settings) -> IngestLimits:
        return cls(
            max_file_bytes=settings.ingest_max_file_bytes,
            max_uncompressed_bytes=settings.ingest_max_uncompressed_bytes,
            max_pdf_pages=settings.ingest_max_pdf_pages,
            max_pdf_stream_bytes=settings.ingest_max_pdf_stream_bytes,
            max_unit_chars=settings.ingest_max_unit_chars,
        )


DEFAULT_LIMITS = IngestLimits()


def size(n: int) -> str:
    """Bytes for a person: 20 MB, 307 KB."""
    for unit, factor in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if n >= factor:
            return f"{n / factor:.3g} {unit}"
    return f"{n} bytes"


def check_file_size(path: Path, n_bytes: int, limits: IngestLimits) -> None:
    if n_bytes > limits.max_file_bytes:
        raise IngestError(
            str(path),
            f"file is {size(n_bytes)}, over the limit of {size(limits.max_file_bytes)} "
            "(NETRAL_INGEST_MAX_FILE_BYTES)",
        )


def check_units(path: Path, units: Sequence[Unit], limits: IngestLimits) -> None:
    """The structure parser already splits at the finest structure it finds (Pasal, ayat, huruf,
    angka, Lampiran items); a unit still over the limit has no structure left to split at."""
    for unit in units:
        if len(unit.text) > limits.max_unit_chars:
            raise IngestError(
                str(path),
                f"{unit.label} is {len(unit.text):,} characters with no further structure to split at, "
                f"over the limit of {limits.max_unit_chars:,} (NETRAL_INGEST_MAX_UNIT_CHARS)",
            )
