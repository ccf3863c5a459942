"""Amending laws consolidated: each amended article becomes a unit labelled as people cite it.

An amending law ("Perubahan atas Undang-Undang Nomor 1 Tahun 2015 ...") has one or two roman
articles; ``Pasal I`` lists numbered points, each an instruction on the amended law:

* "Ketentuan Pasal 7 diubah sehingga berbunyi sebagai berikut: Pasal 7 …" (also "Ketentuan ayat (2)
  Pasal 57 diubah, sehingga Pasal 57 berbunyi …", "Ketentuan Pasal 27 ditambahkan 2 (dua) ayat …");
* "Di antara Pasal 10 dan Pasal 11 disisipkan 1 (satu) pasal, yakni Pasal 10A …";
* "Ketentuan Pasal 4 dihapus."

The structure parser keeps each point as one unit (``UU 8/2015 Pasal I angka 6``, a label in use).
Here the article quoted in a point is parsed again, as an article of its own, into units labelled
under the amending law — ``UU 8/2015 Pasal 7``, ``UU 8/2015 Pasal 7 huruf t`` — which is how
officials and users cite the amended text. Each unit records the article it replaces
(``Unit.amends``: ``UU 1/2015 Pasal 7 huruf t``), the point that made the change
(``Unit.amended_by``: ``UU 8/2015 Pasal I angka 6``) and how (``Unit.change``). A deleted article
becomes a unit whose text is the deleting instruction itself (verbatim text of the amending law).
The base law's article is linked to its current version when the index is read (rag/versions.py).

Only whole quoted articles open a ``Pasal`` unit; a quote of one ayat ("(2) …" without the
article heading) gives that ayat's units only, so a lookup of another ayat does not land on a
partial article. Instructions on headings (BAB, Bagian) and on the elucidation only are skipped.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rag.errors import IngestError
from rag.instruments import code_for_words, prose_pattern
from rag.labels import Path, doc_label, unit_id
from rag.types import Document, Unit

# The base law, from Pasal I's opening ("Beberapa ketentuan dalam [Lampiran] Undang-Undang Nomor 1
# Tahun 2015 tentang … diubah sebagai berikut").
_BASE = re.compile(
    rf"\b(?:ketentuan|dalam)\s+(?:Lampiran\s+)?({prose_pattern()})\s+(?:Republik\s+Indonesia\s+)?"
    r"Nomor\s+(\d{1,4})\s+Tahun\s+(\d{4})",
    re.IGNORECASE,
)
_QUOTE_START = re.compile(r"berbunyi\s+sebagai\s+berikut\s*:?", re.IGNORECASE)
_INSERTED = re.compile(r"^Di\s*antara\b.*?\bdisisipkan\b", re.IGNORECASE)
_DELETED = re.compile(r"^Ketentuan\s+Pasal\s+(\d+[A-Z]?)\s+dihapus\s*\.?\s*$", re.IGNORECASE)
_TARGET = re.compile(r"\bPasal\s+(\d+[A-Z]?)\b")
_ARTICLE_HEADING = re.compile(r"^Pasal\s+(\d+[A-Z]?)$")
_ELUCIDATION_ONLY = re.compile(r"\btetap\s*,?\s*dengan\s+perubahan\s+penjelasan\b", re.IGNORECASE)


@dataclass(frozen=True)
class Point:
    """One numbered point of an amending article: its label, id and its source lines."""

    label: str  # "UU 8/2015 Pasal I angka 6"
    id: str
    lines: tuple[str, ...]  # first line: the instruction (without the "6." marker)


@dataclass(frozen=True)
class Instruction:
    change: str  # diubah | disisipkan | dihapus
    target: str  # the article the instruction names first ("7", "10A")
    quoted: tuple[str, ...]  # the lines of the quoted text (empty for a deletion)


def read_instruction(lines: Sequence[str]) -> Instruction | None:
    """What one point does; ``None`` for points on headings or the elucidation only."""
    if not lines:
        return None
    head = ""
    rest: list[str] = []
    for i, line in enumerate(lines):
        candidate = f"{head} {line}".strip()
        m = _QUOTE_START.search(candidate)  # "berbunyi" / "sebagai berikut:" may wrap
        if m is None:
            head = candidate
            continue
        head = candidate[: m.end()]
        tail = candidate[m.end() :].strip()
        rest = ([tail] if tail else []) + [ln for ln in lines[i + 1 :] if ln.strip()]
        break
    instruction = " ".join(head.split())
    if _ELUCIDATION_ONLY.search(instruction):
        return None
    if not rest:
        deleted = _DELETED.match(instruction)
        return Instruction("dihapus", deleted.group(1), ()) if deleted else None
    if _INSERTED.match(instruction):
        inserted = re.search(r"\byakni\s+Pasal\s+(\d+[A-Z]?)", instruction)
        if inserted is None:
            return None
        return Instruction("disisipkan", inserted.group(1), tuple(rest))
    if not instruction.lower().startswith("ketentuan"):
        return None
    # "sehingga Pasal 57 berbunyi" names the article when the instruction opens with an ayat.
    whole = re.search(r"sehingga\s+Pasal\s+(\d+[A-Z]?)\s+berbunyi", instruction)
    target = whole.group(1) if whole else (m.group(1) if (m := _TARGET.search(instruction)) else None)
    if target is None:
        return None
    return Instruction("diubah", target, tuple(rest))


def base_label(pasal_text: str) -> str | None:
    """The amended law's label from the amending article's opening words, e.g. "UU 1/2015"."""
    m = _BASE.search(pasal_text)
    if m is None:
        return None
    code = code_for_words(m.group(1))
    return doc_label(code, m.group(2), m.group(3)) if code else None


def consolidate(doc: Document, base: str | None, points: Sequence[Point]) -> list[Unit]:
    """Units of the articles the points quote, labelled under ``doc``; ``base`` is the amended law's
    label (``None`` when unknown: the units are still made, without ``amends``)."""
    from ingest.structure import StructureParser  # the structure parser builds on this module's output

    out: list[Unit] = []
    seen: set[str] = set()
    for point in points:
        instruction = read_instruction(point.lines)
        if instruction is None:
            continue
        if instruction.change == "dihapus":
            units = [_deleted_unit(doc, instruction.target, point)]
        else:
            lines = list(instruction.quoted)
            whole = any(_ARTICLE_HEADING.match(line) for line in lines)
            if not whole:
                lines.insert(0, f"Pasal {instruction.target}")
            try:
                parsed = StructureParser(doc, "raw", quoted=True).parse("\n".join(lines))
            except IngestError:
                continue
            units = [u for u in parsed if whole or u.kind != "pasal"]
        for unit in units:
            if unit.id in seen:
                continue  # an article quoted twice (rare): the first quote wins
            seen.add(unit.id)
            rest = unit.label[len(doc.label) :].strip()
            out.append(
                dataclasses.replace(
                    unit,
                    amends=f"{base} {rest}" if base else "",
                    amended_by=point.label,
                    change=instruction.change,
                )
            )
    return out


def _deleted_unit(doc: Document, pasal: str, point: Point) -> Unit:
    path = Path(pasal=pasal)
    text = " ".join(" ".join(point.lines).split())
    return Unit(
        id=unit_id(doc.id, path),
        doc_id=doc.id,
        label=path.label(doc.label),
        kind="pasal",
        text=text,
        norm="info",
        content_hash=hashlib.sha256(f"{text}\ndihapus".encode()).hexdigest(),
    )
