"""Explicit references in a question: "Pasal 5 huruf n PP 94 Tahun 2021", "pasal 280 ayat 3
UU Pemilu", "PP 94/2021", and the aliases users write ("UU ASN", "PP Disiplin", "SKB Netralitas")."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from rag.instruments import label_prefix_matches, typed_words

_TYPE_WORDS = dict(typed_words())  # folded words → label prefix ("peraturan pemerintah" → "PP")
_DOC = re.compile(
    r"\b(?P<type>"
    + "|".join(re.escape(w) for w, _ in typed_words())
    + r")\s+(?:nomor\s+|no\s+)?(?P<num>\d{1,4})"
    r"(?:\s+(?:tahun\s+|thn\s+|th\s+)?(?P<year>(?:19|20)\d\d))?\b"
)
_PASAL = re.compile(
    r"\b(?P<penj>penjelasan\s+|elucidation\s+(?:of\s+)?)?(?:pasal|article|art)\s+(?P<pasal>\d{1,3}[a-z]?)"
    r"(?:\s+(?:ayat|paragraph|para)\s+(?P<ayat>\d{1,2}))?"
    r"(?:\s+(?:huruf|letter|point)\s+(?P<huruf>[a-z]))?"
    r"(?:\s+(?:angka|number|no|item)\s+(?P<angka>\d{1,2}))?\b"
)
_LAMPIRAN = re.compile(
    r"\blampiran\s+(?P<table>kode etik|disiplin)\s+(?:angka|no|nomor|butir|poin)\s+(?P<n>\d{1,2})\b"
)


@dataclass(frozen=True)
class UnitRef:
    penjelasan: bool
    pasal: str | None
    ayat: str | None = None
    huruf: str | None = None
    angka: str | None = None
    table: str | None = None

    def labels(self, doc: str) -> list[str]:
        """Candidate labels, most specific first (a missing angka/huruf/ayat falls back upward)."""
        if self.table:
            return [f"{doc} Lampiran {self.table} angka {self.angka}"]
        head = f"{doc} {'Penjelasan ' if self.penjelasan else ''}Pasal {self.pasal.upper() if self.pasal else ''}"
        steps = [(" ayat", self.ayat, True), (" huruf", self.huruf, False), (" angka", self.angka, False)]
        out: list[str] = []
        for n in range(len(steps), -1, -1):
            label = head
            for word, value, paren in steps[:n]:
                if value:
                    label += f"{word} ({value})" if paren else f"{word} {value}"
            if label not in out:
                out.append(label)
        return out


@dataclass(frozen=True)
class References:
    documents: tuple[str, ...]  # document labels mentioned, in order of mention
    units: tuple[UnitRef, ...]

    @property
    def empty(self) -> bool:
        return not self.documents and not self.units


def find_references(
    folded: str, known_docs: set[str], aliases: Mapping[str, tuple[str, ...]] | None = None
) -> References:
    """``folded`` is rag.lexical.fold(question); ``known_docs`` the indexed document labels;
    ``aliases`` folded alias → document labels (rag.instruments.alias_table over the index)."""
    docs: list[str] = []
    padded = f" {folded} "
    for alias, labels in sorted((aliases or {}).items(), key=lambda kv: (-len(kv[0]), kv[0])):
        if f" {alias} " in padded:
            for label in labels:
                if label in known_docs and label not in docs:
                    docs.append(label)
            padded = padded.replace(f" {alias} ", " ")
    for m in _DOC.finditer(padded):
        doc_type = _TYPE_WORDS[m.group("type")]
        num, year = str(int(m.group("num"))), m.group("year")
        candidates = [d for d in known_docs if _is_doc(d, doc_type, num)]
        if year:
            candidates = [d for d in candidates if d.endswith(f"/{year}")]
        for d in sorted(candidates):
            if d not in docs:
                docs.append(d)
    units: list[UnitRef] = []
    for m in _PASAL.finditer(folded):
        units.append(
            UnitRef(
                penjelasan=bool(m.group("penj")),
                pasal=m.group("pasal"),
                ayat=m.group("ayat"),
                huruf=m.group("huruf"),
                angka=m.group("angka"),
            )
        )
    for m in _LAMPIRAN.finditer(folded):
        units.append(UnitRef(False, None, angka=m.group("n"), table=m.group("table").title()))
    return References(tuple(docs), tuple(units))


def _is_doc(label: str, prefix: str, number: str) -> bool:
    """``label`` ("SE MenPANRB 18/2023") is document ``number`` of type ``prefix`` ("SE")."""
    head, _, _year = label.rpartition("/")
    label_type, _, label_number = head.rpartition(" ")
    return label_number == number and label_prefix_matches(label_type, prefix)
