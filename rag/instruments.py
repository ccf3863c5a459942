"""The one table of instrument types: label codes, official spellings, the words people type.

Ingest reads headings with it ("PERATURAN PEMERINTAH REPUBLIK INDONESIA NOMOR 94 ..." → ``PP``),
explicit references read questions with it ("pp 94 tahun 2021", "government regulation 94"), and
the LLM check reads the model's prose with it ("Peraturan Pemerintah Nomor 94 Tahun 2021").
Per-instrument aliases ("UU ASN", "UU Pilkada") are not here: they sit in each knowledge
document's front matter (``aliases:``) and reach the index as ``Document.aliases``
(``alias_table`` turns them into the lookup the references use).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rag.lexical import fold
from rag.types import Document


@dataclass(frozen=True)
class InstrumentType:
    code: str  # the label prefix: "PP" in "PP 94/2021"
    names: tuple[str, ...]  # official spellings as headings print them (upper case)
    words: tuple[str, ...] = ()  # further words people type, folded (rag.lexical.fold)
    # (folded words, label prefix) for an issuer-qualified type: "se menpanrb" → "SE MenPANRB".
    issuers: tuple[tuple[str, str], ...] = ()

    def spellings(self) -> tuple[str, ...]:
        """Every folded spelling that names this type: code, official names, typed words."""
        out = [fold(self.code), *(fold(n) for n in self.names), *self.words]
        return tuple(dict.fromkeys(s for s in out if s))


TYPES: tuple[InstrumentType, ...] = (
    InstrumentType("UU", ("UNDANG-UNDANG",), ("law", "act", "undang2")),
    InstrumentType(
        "Perppu",
        ("PERATURAN PEMERINTAH PENGGANTI UNDANG-UNDANG",),
        ("perpu", "government regulation in lieu of law"),
    ),
    InstrumentType("PP", ("PERATURAN PEMERINTAH",), ("government regulation",)),
    InstrumentType("Perpres", ("PERATURAN PRESIDEN",), ("presidential regulation", "perpers")),
    InstrumentType("Keppres", ("KEPUTUSAN PRESIDEN",), ("kepres", "presidential decree")),
    InstrumentType("Inpres", ("INSTRUKSI PRESIDEN",), ("presidential instruction",)),
    InstrumentType("PMK", ("PERATURAN MAHKAMAH KONSTITUSI",)),
    InstrumentType("PKPU", ("PERATURAN KOMISI PEMILIHAN UMUM",), ("peraturan kpu",)),
    InstrumentType("Perbawaslu", ("PERATURAN BADAN PENGAWAS PEMILIHAN UMUM",), ("peraturan bawaslu",)),
    InstrumentType("Peraturan BKN", ("PERATURAN BADAN KEPEGAWAIAN NEGARA",), ("perbkn", "perka bkn")),
    InstrumentType("Permen", ("PERATURAN MENTERI",), ("permenpan", "ministerial regulation")),
    InstrumentType("SKB", ("SURAT KEPUTUSAN BERSAMA", "KEPUTUSAN BERSAMA"), ("joint decree",)),
    InstrumentType(
        "SE",
        ("SURAT EDARAN",),
        ("circular",),
        issuers=(
            ("se menpanrb", "SE MenPANRB"),
            ("se menpan rb", "SE MenPANRB"),
            ("se menpan", "SE MenPANRB"),
        ),
    ),
)

_BY_CODE = {t.code.lower(): t for t in TYPES}


def by_code(code: str) -> InstrumentType | None:
    return _BY_CODE.get(code.strip().lower())


def heading_names() -> tuple[tuple[str, str], ...]:
    """(official name, code), longest name first: "PERATURAN PEMERINTAH PENGGANTI UNDANG-UNDANG"
    contains "UNDANG-UNDANG" and "PERATURAN PEMERINTAH"."""
    pairs = [(name, t.code) for t in TYPES for name in t.names]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def code_for_heading(raw: str) -> str:
    """The code of a heading's type words ("UNDANG.UNDANG" → "UU"); the words themselves when unknown."""
    norm = re.sub(r"\s*[-.]\s*", "-", " ".join(raw.upper().split()))
    for name, code in heading_names():
        if norm == name:
            return code
    return norm


def typed_words() -> tuple[tuple[str, str], ...]:
    """(folded words, label prefix) for everything a question may name a type with, longest first."""
    pairs: list[tuple[str, str]] = []
    for t in TYPES:
        pairs.extend((w, prefix) for w, prefix in t.issuers)
        pairs.extend((s, t.code) for s in t.spellings())
    seen: dict[str, str] = {}
    for words, prefix in pairs:
        seen.setdefault(words, prefix)
    return tuple(sorted(seen.items(), key=lambda p: (-len(p[0]), p[0])))


def code_for_words(words: str) -> str | None:
    """The label prefix named by typed words ("peraturan pemerintah" → "PP"), or None."""
    key = fold(words)
    for spelled, prefix in typed_words():
        if spelled == key:
            return prefix
    return None


def label_prefix_matches(label_type: str, prefix: str) -> bool:
    """A document whose label type is ``label_type`` ("SE MenPANRB") is of type ``prefix`` ("SE")."""
    a, b = label_type.lower(), prefix.lower()
    return a == b or a.startswith(b + " ")


def prose_pattern() -> str:
    """Regex alternation (case-insensitive use) of every code and official name, longest first,
    for instrument names in running text ("Undang-Undang", "Peraturan Pemerintah", "PP", "Perpu")."""
    names = {t.code for t in TYPES} | {n.title() for t in TYPES for n in t.names} | {"Perpu"}
    ordered = sorted(names, key=lambda n: -len(n))
    return "|".join(re.escape(n).replace(r"\ ", r"\s+").replace(r"\-", r"[-\s]") for n in ordered)


def alias_table(documents: Iterable[Document]) -> Mapping[str, tuple[str, ...]]:
    """Folded alias → the labels of the documents that carry it, most likely first.

    Several documents may share an alias (the Pilkada law and the laws amending it): the one in
    force first, then the newest (year, then number), so "UU Pilkada" names the latest amendment
    first; the explicit lookup falls back along the list when a document lacks the article.
    """
    table: dict[str, list[Document]] = {}
    for doc in documents:
        for alias in doc.aliases:
            key = fold(alias)
            if key and doc not in table.setdefault(key, []):
                table[key].append(doc)
    return {key: tuple(d.label for d in sorted(docs, key=_alias_rank)) for key, docs in table.items()}


def _alias_rank(doc: Document) -> tuple[int, int, int, str]:
    number = int(doc.number) if doc.number.isdigit() else 0
    return (0 if doc.status in ("berlaku", "diubah") else 1, -doc.year, -number, doc.label)


def alias_problem(alias: object) -> str | None:
    """Why a front-matter alias is unusable (``None`` when fine): not text, no letters, or a bare
    type word ("UU"), which would swallow every numbered reference of that type."""
    if not isinstance(alias, str):
        return f"alias {alias!r} is not a string"
    key = fold(alias)
    if not key or not any(ch.isalpha() for ch in key):
        return f"alias {alias!r} has no words"
    if code_for_words(key) is not None:
        return f"alias {alias!r} is only a type name"
    if len(key) > 80:
        return f"alias {alias!r} is too long (over 80 characters)"
    return None
