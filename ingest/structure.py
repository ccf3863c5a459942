"""Structure parser: a regulation's text → addressable ``Unit``s (Pasal, ayat, huruf, angka, ...).

One parser serves both inputs:

* curated knowledge Markdown (``knowledge/FORMAT.md``): markers are trusted as written, since
  a file may quote only some Pasal or huruf, and ``@`` annotations are read;
* raw regulation text (OCR, PDF, DOCX): markers are accepted only when they continue the
  numbering (``Pasal 6`` after ``Pasal 5``; ``Pasal 5A`` insertions allowed; small gaps
  tolerated where OCR lost a heading). That is what keeps a wrapped reference such as
  "... dimaksud dalam\\nPasal 3 ayat (1)" or a quoted amended article from opening a Pasal.

Amending laws ("Pasal I" / "Pasal II"): the body units are the roman Pasal and their numbered
amendment points ("UU 8/2015 Pasal I angka 5"), which is how such laws are cited; the amended
articles quoted inside a point stay text of that point.

A law enacting an annexed instrument (UU 1/2015 enacts Perppu 1/2014): when numbering
restarts at ``Pasal 1`` after the law's own closing, the annex's articles are parsed as
``<doc> Lampiran <annex label> Pasal N`` (and its elucidation as
``<doc> Penjelasan Lampiran <annex label> Pasal N``).

The general elucidation ("I. UMUM") becomes one unit labelled ``<doc> Penjelasan``; it is not
the parent of the ``Penjelasan Pasal N`` units (its text holds only the general part).
Units with no text at all (a heading whose content OCR lost) are left out.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass, field
from typing import Literal, cast, get_args

from ingest.amendments import Point, base_label, consolidate
from ingest.clean import REFERENCE_WORDS
from ingest.metadata import infer_identity
from rag.errors import IngestError
from rag.labels import Path as LPath
from rag.labels import unit_id
from rag.types import NORMS, Document, Norm, SanctionRef, TextKind, Unit

Mode = Literal["raw", "md"]

NO_STRUCTURE = "no legal structure found (no Pasal, Lampiran or numbered points)"
SANCTION_LEVELS = (
    "sanksi moral", "hukuman disiplin ringan", "hukuman disiplin sedang", "hukuman disiplin berat",
    "PTDH", "pidana", "PHK", "tidak ditentukan",
)  # fmt: skip
ANNOTATION_KEYS = ("kind", "norm", "sanction", "see", "terms", "when")

MAX_PASAL_JUMP = 3  # OCR sometimes loses a "Pasal N" heading; a bigger jump is a reference
MAX_ITEM_JUMP = 2
LOOKAHEAD_LINES = 600
LOOKAHEAD_CONFIRM = 2  # following headings that must continue a jump's numbering

_PASAL = re.compile(r"^Pasal\s+(\d+[A-Z]?|[IVXLC]+)$")
_AYAT = re.compile(r"^\((\d{1,3})\)\s*(.*)$")
_HURUF = re.compile(r"^([a-z])\.\s+(.*)$")
_ANGKA = re.compile(r"^(\d{1,3})\.\s+(.*)$")
_PJ_AYAT = re.compile(r"^Ayat\s+\((\d{1,3})\)\s*(.*)$")
_PJ_HURUF = re.compile(r"^Huruf\s+([a-zA-Z])\b\.?\s*(.*)$")
_PJ_ANGKA = re.compile(r"^Angka\s+(\d{1,3})\b\.?\s*(.*)$")
_POINT = re.compile(r"^Angka\s+(\d{1,3})$")
_NOTE = re.compile(r"^Catatan\s+(\d{1,3})$")
_LAMPIRAN = re.compile(r"^LAMPIRAN\s+(.+)$")
_PENJELASAN = re.compile(r"^PENJELASAN(?:\s+ATAS\b.*)?$")
_UMUM = re.compile(r"^I\.\s*UMUM\b\.?\s*(.*)$")
_PASAL_DEMI_PASAL = re.compile(r"^II\.\s*PASAL\s+DEMI\s+PASAL\b\s*(.*)$")
_CLOSING = re.compile(
    r"^(?:Agar setiap orang mengetahuinya|TAMBAHAN\s+LEMBARAN\s+NEGARA|Ditetapkan di\b|Disahkan di\b)"
)
_BAB = re.compile(r"^BAB\s+([IVXLC]+)\b\s*(.*)$")
_BAGIAN = re.compile(r"^Bagian\s+(Ke[a-z]+|Pertama)\b\s*(.*)$")
_PARAGRAF = re.compile(r"^Paragraf\s+(\d+)\b\s*(.*)$")
_ANNOTATION = re.compile(r"^@([a-z_]+)\s*:\s*(.*)$")
_AMENDMENT_POINT = re.compile(
    r"^(\d{1,3})\.\s+(?=(?:Ketentuan|Di\s*antara|Judul|Penjelasan|Lampiran|Bab|BAB|Bagian|Paragraf|Setelah|"
    r"Sebelum|Menambahkan|Mengubah|Menghapus|Menyisipkan|Pasal|Ayat|Huruf|Angka|Istilah|Kata|Frasa)\b)(.*)$"
)
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}

_SANCTION_WORDS = re.compile(r"\b(?:hukuman disiplin|sanksi|dipidana|pidana|denda|diberhentikan)\b", re.I)
_PROHIBITION_WORDS = re.compile(r"\b(?:dilarang|tidak boleh)\b", re.I)
_OBLIGATION_WORDS = re.compile(r"\b(?:wajib|harus)\b", re.I)
_DEFINITION_WORDS = re.compile(r"\byang dimaksud (?:dengan|dalam)\b", re.I)


@dataclass
class _Annotations:
    kind: TextKind | None = None
    norm: Norm | None = None
    sanctions: list[SanctionRef] = field(default_factory=list)
    see: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    when: list[str] = field(default_factory=list)


@dataclass
class _Node:
    path: LPath
    marker: str  # how the node is introduced inside its parent's text: "(1)", "a.", "Huruf n"
    parent: _Node | None
    heading: str
    own: list[str] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)
    ann: _Annotations = field(default_factory=_Annotations)
    sequence: dict[str, str] = field(default_factory=dict)  # last child marker per level

    def empty(self) -> bool:
        return not self.children and not any(s.strip() for s in self.own)


@dataclass
class _State:
    part: str = "preamble"  # preamble | body | closing | penjelasan | lampiran | points | catatan
    table: str | None = None  # Lampiran table, or the annexed instrument's label
    pasal: _Node | None = None
    levels: dict[str, _Node] = field(default_factory=dict)  # open ayat/huruf/angka (body or Penjelasan)
    top: _Node | None = None  # open node outside Pasal: Penjelasan Umum, Lampiran item, point, note
    last_pasal: str | None = None
    last_pj_pasal: str | None = None
    roman: bool = False
    bab: str = ""
    bagian: str = ""
    paragraf: str = ""
    heading_open: str = ""  # "bab" | "bagian" | "": a heading whose title may continue on the next line
    closing_lines: list[str] = field(default_factory=list)
    previous_line: str = ""


class StructureParser:
    def __init__(
        self, doc: Document, mode: Mode, default_kind: TextKind = "wording", *, quoted: bool = False
    ) -> None:
        self.doc = doc
        self.mode: Mode = mode
        self.default_kind: TextKind = default_kind
        self.roots: list[_Node] = []
        self.nodes: list[_Node] = []
        self.s = _State()
        self.body_pasal: set[str] = set()
        self.last_opened: _Node | None = None
        self.by_path: dict[LPath, _Node] = {}
        self.lines: list[str] = []
        self.index = 0
        self.umum_ids: set[str] = set()
        # quoted: an article quoted in an amending law, parsed on its own (its numbering starts anywhere).
        self.quoted = quoted
        self.amending = doc.title.lower().startswith("perubahan") and not quoted

    # --- driving ------------------------------------------------------------------------------

    def parse(self, text: str) -> list[Unit]:
        self.lines = [self._prepare(raw) for raw in text.split("\n")]
        for index, line in enumerate(self.lines):
            if not line:
                continue
            self.index = index
            self._feed(line, index + 1)
            self.s.previous_line = line
        units = self._units()
        if not any(u.id not in self.umum_ids for u in units):
            raise IngestError(self.doc.source_path, NO_STRUCTURE)
        if self.amending and self.s.roman:
            units += self._consolidated(len(units))
        return units

    def _consolidated(self, order: int) -> list[Unit]:
        """The amended articles quoted in ``Pasal I``'s points, as units of their own (ingest/amendments.py)."""
        roots = [n for n in self.roots if n.path.part == "body" and _is_roman(n.path.pasal or "")]
        points = [
            Point(child.path.label(self.doc.label), unit_id(self.doc.id, child.path), tuple(child.own))
            for root in roots
            for child in root.children
            if child.path.angka is not None
        ]
        base = next((b for r in roots if (b := base_label(_own_text(r)))), None)
        if base is None and self.doc.amends:
            base = self.doc.amends[0]
        extra = consolidate(self.doc, base, points)
        return [dataclasses.replace(u, order=order + i) for i, u in enumerate(extra)]

    def _prepare(self, raw: str) -> str:
        line = " ".join(raw.split())
        if self.mode == "md":
            line = re.sub(r"^#{1,6}\s*", "", line)
            if line.startswith("**") and line.endswith("**") and len(line) > 4:
                line = line[2:-2].strip()
        return line

    def _feed(self, line: str, number: int) -> None:
        if self.mode == "md" and (m := _ANNOTATION.match(line)):
            self._annotate(m.group(1), m.group(2), number)
            return
        for handler in (
            self._penjelasan_start,
            self._closing,
            self._penjelasan_sections,
            self._heading,
            self._pasal,
            self._lampiran,
            self._top_level_marker,
            self._pj_marker,
            self._body_marker,
        ):
            if handler(line):
                return
        self._text(line)

    # --- parts --------------------------------------------------------------------------------

    def _penjelasan_start(self, line: str) -> bool:
        is_start = bool(_PENJELASAN.match(line)) or (self.mode == "md" and line.lower() == "penjelasan")
        if not is_start or self.s.part == "penjelasan":
            return False
        if self.mode == "raw" and self.s.part not in ("body", "closing"):
            return False
        self._close_all()
        self.s.part = "penjelasan"
        self.s.last_pj_pasal = None
        return True

    def _closing(self, line: str) -> bool:
        if not _CLOSING.match(line) or self.s.part == "preamble" or self.mode == "md":
            return False
        self._close_all()
        self.s.part = "closing"
        self.s.closing_lines = [line]
        return True

    def _penjelasan_sections(self, line: str) -> bool:
        if self.s.part != "penjelasan" or self.s.pasal is not None:
            return False
        if m := _UMUM.match(line):
            self._open_umum()
            if m.group(1):
                self._text(m.group(1))
            return True
        if _PASAL_DEMI_PASAL.match(line):
            self._close_all()
            return True
        return False

    def _heading(self, line: str) -> bool:
        if self.s.part not in ("preamble", "body"):
            return False
        if m := _BAB.match(line):
            self._set_heading(bab=f"BAB {m.group(1)} {m.group(2)}".strip())
            self.s.heading_open = "bab" if not m.group(2) else ""
            return True
        if m := _BAGIAN.match(line):
            self._set_heading(bagian=f"Bagian {m.group(1)} {m.group(2)}".strip())
            self.s.heading_open = "bagian" if not m.group(2) else ""
            return True
        if m := _PARAGRAF.match(line):
            self._set_heading(paragraf=f"Paragraf {m.group(1)} {m.group(2)}".strip())
            return True
        return False

    def _set_heading(
        self, bab: str | None = None, bagian: str | None = None, paragraf: str | None = None
    ) -> None:
        if bab is not None:
            if self.s.bab.startswith(bab) and bab == f"BAB {bab.split()[1]}":
                return  # a bare "BAB II" repeated before "BAB II KEWAJIBAN ..."
            self.s.bab, self.s.bagian, self.s.paragraf = bab, "", ""
        if bagian is not None:
            self.s.bagian, self.s.paragraf = bagian, ""
        if paragraf is not None:
            self.s.paragraf = paragraf
        self._close_body()

    def _heading_text(self) -> str:
        return " / ".join(h for h in (self.s.bab, self.s.bagian, self.s.paragraf) if h)

    # --- Pasal --------------------------------------------------------------------------------

    def _pasal(self, line: str) -> bool:
        m = _PASAL.match(line)
        if m is None:
            return False
        key = m.group(1)
        if key == "I" and not self.amending:
            key = "1"  # OCR reads "Pasal 1" as "Pasal I"; only amending laws number Pasal in roman
        if self.s.part == "penjelasan":
            return self._pj_pasal(key)
        if self.s.pasal is not None and self.s.pasal.path.pasal == key and self.s.pasal.empty():
            return True  # the heading repeated at a page break
        if self.mode == "md":
            self._open_body_pasal(key)
            return True
        if not self._pasal_follows(key):
            return False
        if self.s.part == "closing":
            self._start_annex()
        self._open_body_pasal(key)
        return True

    def _pasal_follows(self, key: str) -> bool:
        last = self.s.last_pasal
        if self.s.part == "closing":
            return key == "1" and last is not None
        if self.s.part not in ("preamble", "body"):
            return False
        if self._after_reference_word():
            # "... dimaksud dalam\nPasal 7\n..." is a wrapped reference unless the numbering
            # visibly carries on from it.
            return last is not None and not self.s.roman and self._numbering_resumes(last, key)
        if last is None:
            if self.quoted and not _is_roman(key):
                return True
            if key in ("1", "I"):
                self.s.roman = key == "I"
                return True
            return False
        if self.s.roman:
            return _is_roman(key) and _roman(key) == _roman(last) + 1
        return _pasal_next(last, key) or self._numbering_resumes(last, key)

    def _numbering_resumes(self, last: str, key: str) -> bool:
        """Accept a larger jump when the next article headings continue from ``key``.

        OCR may lose several headings in a row; without this, one lost heading too many
        would turn the rest of the body into text of a single Pasal.
        """
        if _is_roman(key) or _pasal_key(key) <= _pasal_key(last):
            return False
        previous, confirmed = key, 0
        for line in self.lines[self.index + 1 : self.index + LOOKAHEAD_LINES]:
            m = _PASAL.match(line)
            if m is None:
                continue
            if not _pasal_next(previous, m.group(1)):
                return False
            previous, confirmed = m.group(1), confirmed + 1
            if confirmed == LOOKAHEAD_CONFIRM:
                return True
        return False

    def _after_reference_word(self) -> bool:
        words = self.s.previous_line.split()
        return bool(words) and words[-1].lower().rstrip(",") in REFERENCE_WORDS

    def _open_body_pasal(self, key: str) -> None:
        self._close_all()
        if self.s.part in ("preamble", "closing", "lampiran", "points", "catatan"):
            self.s.part = "body"
        path = LPath(part="lampiran" if self.s.table else "body", table=self.s.table, pasal=key)
        node = self._new(path, "", None, self._heading_text())
        self.s.pasal = node
        self.s.last_pasal = key
        self.body_pasal.add(key)

    def _start_annex(self) -> None:
        """Numbering restarts after the closing formula: an annexed instrument follows."""
        identity = infer_identity("\n".join(self.s.closing_lines))
        self.s.table = identity.label if identity else "I"
        self.s.last_pasal = None
        self.s.roman = False
        self.s.bab = self.s.bagian = self.s.paragraf = ""
        self.body_pasal = set()

    def _pj_pasal(self, key: str) -> bool:
        last = self.s.last_pj_pasal
        if self.s.pasal is not None and self.s.pasal.path.pasal == key:
            return True  # repeated at a page break
        if self.mode == "raw" and not self._pj_pasal_follows(last, key):
            return False
        self._close_all()
        path = LPath(part="penjelasan", table=self._annex_table(), pasal=key)
        self.s.pasal = self._new(path, "", None, "Penjelasan")
        self.s.last_pj_pasal = key
        return True

    def _pj_pasal_follows(self, last: str | None, key: str) -> bool:
        if self.body_pasal and key not in self.body_pasal:
            return False
        if self._after_reference_word():
            return False
        if self.s.roman or _is_roman(key):
            return _is_roman(key) and (last is None or _roman(key) > _roman(last))
        return last is None or _pasal_key(key) > _pasal_key(last)

    def _annex_table(self) -> str | None:
        return self.s.table

    # --- Lampiran, numbered points, notes (curated Markdown) ----------------------------------

    def _lampiran(self, line: str) -> bool:
        m = _LAMPIRAN.match(line)
        if m is None or self.mode != "md":
            return False
        self._close_all()
        self.s.part = "lampiran"
        self.s.table = m.group(1).strip()
        self.s.top = None
        return True

    def _top_level_marker(self, line: str) -> bool:
        if m := _NOTE.match(line):
            self._close_all()
            node = self._open_top(LPath(part="catatan", note=m.group(1)), "", "")
            node.ann.kind = "note"
            self.s.part = "catatan"
            return True
        m = _POINT.match(line)
        if m and self.s.pasal is None and self.s.part in ("preamble", "points", "catatan", "body"):
            self._close_all()
            self.s.part = "points"
            self.s.table = None
            self._open_top(LPath(angka=m.group(1)), "", "")
            return True
        m = _ANGKA.match(line)
        if m and self.s.part == "lampiran" and self.s.table:
            self._close_all()
            node = self._open_top(LPath(part="lampiran", table=self.s.table, angka=m.group(1)), "", "")
            node.heading = f"Lampiran {self.s.table}"
            node.own.append(m.group(2))
            return True
        return False

    def _open_umum(self) -> _Node:
        """The Penjelasan Umum (general elucidation), labelled ``<doc> Penjelasan``."""
        path = LPath(part="penjelasan", table=self._annex_table())
        self.umum_ids.add(unit_id(self.doc.id, path))
        node = self.by_path.get(path)
        if node is None:
            return self._open_top(path, "", "Penjelasan")
        self._close_all()
        self.s.top = node
        return node

    def _open_top(self, path: LPath, marker: str, heading: str) -> _Node:
        self._close_all()
        node = self._new(path, marker, None, heading)
        self.s.top = node
        return node

    # --- ayat / huruf / angka -----------------------------------------------------------------

    def _pj_marker(self, line: str) -> bool:
        if self.s.part != "penjelasan" or self.s.pasal is None:
            return False
        roman = _is_roman(self.s.pasal.path.pasal or "")
        if (m := _PJ_AYAT.match(line)) and not roman:
            return self._open_item("ayat", m.group(1), f"Ayat ({m.group(1)})", m.group(2))
        if (m := _PJ_HURUF.match(line)) and not roman:
            letter = m.group(1)
            if letter == "I":  # OCR reads "Huruf l" as "Huruf I"
                letter = "l"
            if not letter.islower():
                return False
            return self._open_item("huruf", letter, f"Huruf {letter}", m.group(2))
        if m := _PJ_ANGKA.match(line):
            return self._open_item("angka", m.group(1), f"Angka {m.group(1)}", m.group(2))
        return False

    def _body_marker(self, line: str) -> bool:
        if self.s.part != "body" or self.s.pasal is None:
            return False
        if self.s.roman:
            point = _AMENDMENT_POINT.match(line)
            return point is not None and self._open_item(
                "angka", point.group(1), f"{point.group(1)}.", point.group(2)
            )
        if m := _AYAT.match(line):
            return self._open_item("ayat", m.group(1), f"({m.group(1)})", m.group(2))
        if m := _HURUF.match(line):
            return self._open_item("huruf", m.group(1), f"{m.group(1)}.", m.group(2))
        if m := _ANGKA.match(line):
            return self._open_item("angka", m.group(1), f"{m.group(1)}.", m.group(2))
        return False

    def _open_item(self, level: str, value: str, marker: str, rest: str) -> bool:
        parent = self._parent_for(level, value)
        if parent is None:
            return False
        current = self.s.levels.get(level)
        if current is not None and current.parent is parent and getattr(current.path, level) == value:
            if rest:
                current.own.append(rest)
            return True  # the marker repeated at a page break
        self._close_levels_below(parent)
        path = dataclasses.replace(parent.path, **{level: value})
        node = self._new(path, marker, parent, parent.heading)
        parent.sequence[level] = value
        self.s.levels[level] = node
        if rest:
            node.own.append(rest)
        return True

    def _parent_for(self, level: str, value: str) -> _Node | None:
        """The open node a new ayat/huruf/angka attaches to, or None when the marker is text."""
        pasal = self.s.pasal
        assert pasal is not None
        ayat = self.s.levels.get("ayat")
        huruf = self.s.levels.get("huruf")
        angka = self.s.levels.get("angka")
        if level == "ayat":
            return pasal if self._follows(pasal, level, value) else None
        if level == "huruf":
            if angka is not None and huruf is None and value == "a" and self.mode == "raw":
                return None  # "1. X adalah: a. ..." — a list inside a definition stays its text
            base = ayat or pasal
            return base if self._follows(base, level, value) else None
        candidates = [n for n in (huruf, ayat, pasal) if n is not None]
        for candidate in candidates:
            if self._follows(candidate, level, value):
                return candidate
            if self.mode == "md":
                break
        return None

    def _follows(self, parent: _Node, level: str, value: str) -> bool:
        if self.mode == "md":
            return True
        last = parent.sequence.get(level)
        in_penjelasan = parent.path.part == "penjelasan"
        if last is None:
            # Penjelasan may skip items ("Huruf c" alone), the body never starts mid-list.
            return in_penjelasan or value in ("1", "a")
        step = ord(value) - ord(last) if level == "huruf" else int(value) - int(last)
        return step > 0 if in_penjelasan else 0 < step <= MAX_ITEM_JUMP

    # --- text and annotations -----------------------------------------------------------------

    def _text(self, line: str) -> None:
        if self.s.part == "closing":
            self.s.closing_lines.append(line)
            return
        node = self._deepest()
        if node is None:
            if self.s.part == "penjelasan" and self.s.pasal is None:
                node = self._open_umum()
            elif self.s.heading_open:
                self._continue_heading(line)
                return
            else:
                return  # preamble (Menimbang, Mengingat) and heading fragments
        node.own.append(line)

    def _continue_heading(self, line: str) -> None:
        if self.s.heading_open == "bab":
            self.s.bab = f"{self.s.bab} {line}"
        elif self.s.heading_open == "bagian":
            self.s.bagian = f"{self.s.bagian} {line}"
        self.s.heading_open = ""

    def _deepest(self) -> _Node | None:
        for level in ("angka", "huruf", "ayat"):
            if level in self.s.levels:
                return self.s.levels[level]
        return self.s.pasal or self.s.top

    def _annotate(self, key: str, value: str, number: int) -> None:
        node = self.last_opened
        where = f"line {number}"
        if node is None:
            raise IngestError(self.doc.source_path, f"{where}: annotation @{key} before any unit")
        if key not in ANNOTATION_KEYS:
            raise IngestError(self.doc.source_path, f"{where}: unknown annotation @{key}")
        value = value.strip()
        if key == "kind":
            if value not in get_args(TextKind):
                raise IngestError(self.doc.source_path, f"{where}: invalid @kind {value!r}")
            node.ann.kind = cast(TextKind, value)
        elif key == "norm":
            if value not in NORMS:
                raise IngestError(self.doc.source_path, f"{where}: invalid @norm {value!r}")
            node.ann.norm = cast(Norm, value)
        elif key == "sanction":
            node.ann.sanctions.append(self._sanction(value, where))
        elif key == "see":
            node.ann.see.extend(_split_list(value))
        elif key == "when":
            node.ann.when.extend(_split_list(value))
        else:
            node.ann.terms.extend(_split_list(value))

    def _sanction(self, value: str, where: str) -> SanctionRef:
        parts = [p.strip() for p in value.split("|")]
        level = parts[0]
        if level not in SANCTION_LEVELS:
            raise IngestError(self.doc.source_path, f"{where}: unknown sanction level {level!r}")
        basis = tuple(_split_list(parts[1])) if len(parts) > 1 else ()
        detail = " | ".join(parts[2:]).strip()
        return SanctionRef(level=level, basis=basis, detail=detail)

    # --- tree bookkeeping ---------------------------------------------------------------------

    def _new(self, path: LPath, marker: str, parent: _Node | None, heading: str) -> _Node:
        existing = self.by_path.get(path)
        if existing is not None:
            if self.mode == "md":
                raise IngestError(self.doc.source_path, f"duplicate unit {path.label(self.doc.label)}")
            self.last_opened = existing
            return existing  # OCR repeated a marker far from its first occurrence: keep one unit
        node = _Node(path=path, marker=marker, parent=parent, heading=heading)
        self.by_path[path] = node
        if parent is None:
            self.roots.append(node)
        else:
            parent.children.append(node)
        self.nodes.append(node)
        self.last_opened = node
        self.s.heading_open = ""
        return node

    def _close_levels_below(self, parent: _Node) -> None:
        order = ("ayat", "huruf", "angka")
        keep = {lvl for lvl in order if (n := self.s.levels.get(lvl)) is not None and _is_ancestor(n, parent)}
        self.s.levels = {lvl: n for lvl, n in self.s.levels.items() if lvl in keep}

    def _close_body(self) -> None:
        self.s.pasal = None
        self.s.levels = {}
        self.s.top = None

    def _close_all(self) -> None:
        self._close_body()

    # --- units --------------------------------------------------------------------------------

    def _units(self) -> list[Unit]:
        texts: dict[int, str] = {}
        for root in self.roots:
            _collect_text(root, texts)
        units: list[Unit] = []
        kinds: dict[int, TextKind] = {}
        annotated: dict[int, Norm | None] = {}
        norms: dict[int, Norm] = {}
        for node in self.nodes:
            parent = id(node.parent) if node.parent else None
            kind = node.ann.kind or (kinds[parent] if parent is not None else self.default_kind)
            kinds[id(node)] = kind
            annotated[id(node)] = node.ann.norm or (annotated[parent] if parent is not None else None)
            text = texts[id(node)]
            inherited = norms.get(parent) if parent is not None else None
            norm = annotated[id(node)] or _infer_norm(node, text, inherited)
            norms[id(node)] = norm
            if text:
                units.append(self._unit(node, text, kind, norm, len(units)))
        return units

    def _unit(self, node: _Node, text: str, kind: TextKind, norm: Norm, order: int) -> Unit:
        ann = node.ann
        hash_src = "\n".join(
            [text, kind, norm, repr(ann.sanctions), repr(ann.see), repr(ann.terms), repr(ann.when)]
        )
        parent_id = unit_id(self.doc.id, node.parent.path) if node.parent else None
        return Unit(
            id=unit_id(self.doc.id, node.path),
            doc_id=self.doc.id,
            label=node.path.label(self.doc.label),
            kind=node.path.kind(),
            text=text,
            text_kind=kind,
            norm=norm,
            sanctions=tuple(ann.sanctions),
            see=tuple(ann.see),
            parent_id=parent_id,
            order=order,
            heading=node.heading,
            lead_in=_lead_in(node),
            content_hash=hashlib.sha256(hash_src.encode("utf-8")).hexdigest(),
            terms=tuple(ann.terms),
            when=tuple(ann.when),
        )


def _is_ancestor(node: _Node, maybe_descendant: _Node) -> bool:
    current: _Node | None = maybe_descendant
    while current is not None:
        if current is node:
            return True
        current = current.parent
    return False


def _own_text(node: _Node) -> str:
    return " ".join(" ".join(node.own).split())


def _collect_text(node: _Node, out: dict[int, str]) -> str:
    parts = [_own_text(node)] if _own_text(node) else []
    for child in node.children:
        child_text = _collect_text(child, out)
        if child_text:
            parts.append(f"{child.marker} {child_text}")
    text = "\n".join(parts)
    out[id(node)] = text
    return text


def _lead_in(node: _Node) -> str:
    chain: list[_Node] = []
    current = node.parent
    while current is not None:
        chain.append(current)
        current = current.parent
    words: list[str] = []
    for ancestor in reversed(chain):
        own = _own_text(ancestor)
        prefix = f"{ancestor.marker} " if ancestor.parent is not None and ancestor.marker else ""
        if own:
            words.append(prefix + own)
    return " ".join(words)


def _infer_norm(node: _Node, text: str, inherited: Norm | None) -> Norm:
    """Norm of raw text from its own words (all words when it has only items); else its parent's."""
    if node.path.part == "catatan":
        return "info"
    own = _own_text(node) or text
    if _SANCTION_WORDS.search(own):
        return "sanction"
    if _PROHIBITION_WORDS.search(own):
        return "prohibition"
    if _OBLIGATION_WORDS.search(own):
        return "obligation"
    if _DEFINITION_WORDS.search(own):
        return "definition"
    return inherited or "info"


def _split_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(";") if item.strip()]


def _is_roman(key: str) -> bool:
    return bool(key) and all(ch in _ROMAN_VALUES for ch in key)


def _roman(key: str) -> int:
    total = 0
    for i, ch in enumerate(key):
        value = _ROMAN_VALUES[ch]
        nxt = _ROMAN_VALUES[key[i + 1]] if i + 1 < len(key) else 0
        total += -value if value < nxt else value
    return total


def _pasal_key(key: str) -> tuple[int, str]:
    m = re.match(r"^(\d+)([A-Z]?)$", key)
    if m is None:
        return (_roman(key) if _is_roman(key) else 0, "")
    return int(m.group(1)), m.group(2)


def _pasal_next(last: str, key: str) -> bool:
    """``key`` continues the numbering after ``last`` (5 → 6, 5 → 5A, 5A → 5B or 6; small OCR gaps)."""
    if _is_roman(key):
        return False
    (ln, ls), (kn, ks) = _pasal_key(last), _pasal_key(key)
    if kn == ln:
        return bool(ks) and ord(ks) == (ord(ls) + 1 if ls else ord("A"))
    return ks == "" and 0 < kn - ln <= MAX_PASAL_JUMP


def parse_units(doc: Document, text: str, mode: Mode, default_kind: TextKind = "wording") -> list[Unit]:
    """Units of ``doc`` found in ``text`` (cleaned). Raises IngestError when there is no structure."""
    return StructureParser(doc, mode, default_kind).parse(text)
