"""Canonical citation labels (a contract with the evals and the bot).

Documents: ``UU 20/2023``, ``PP 94/2021``, ``SKB 2/2022``, ``SE MenPANRB 18/2023``,
``Putusan MK 121/PUU-XXII/2024``, ``Perpres 92/2024`` (numbers without leading zeros).

Units: ``<doc> Pasal <n>[ ayat (<m>)][ huruf <x>][ angka <k>]``,
``<doc> Penjelasan Pasal <n>[ huruf <x>][ angka <k>]``, ``<doc> Lampiran <Table> angka <k>``,
``<doc> angka <k>[ huruf <x>]`` (numbered points of a circular), ``<doc> Catatan <k>`` (curated notes).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_WS = re.compile(r"\s+")
_LEADING_ZEROS = re.compile(r"(?<![\w/])0+(\d)")


def normalize_label(label: str) -> str:
    """Case-insensitive comparable form: whitespace collapsed, leading zeros dropped."""
    s = _WS.sub(" ", label.strip()).lower()
    return _LEADING_ZEROS.sub(r"\1", s)


def label_matches(expected: str, got: str) -> bool:
    """True when ``got`` equals ``expected`` or is a sub-unit of it.

    ``PP 94/2021 Pasal 5`` matches ``PP 94/2021 Pasal 5 huruf n angka 4`` but not ``PP 94/2021 Pasal 50``.
    """
    e, g = normalize_label(expected), normalize_label(got)
    return g == e or g.startswith(e + " ")


def doc_label(doc_type: str, number: str | int, year: int | str, issuer: str | None = None) -> str:
    num = str(number).strip()
    if num.isdigit():
        num = str(int(num))
    t = doc_type.strip()
    if t.upper() == "SE" and issuer:
        return f"SE {issuer} {num}/{year}"
    if t.lower() == "putusan":
        return f"Putusan {issuer or 'MK'} {num}"
    return f"{t} {num}/{year}"


@dataclass(frozen=True)
class Path:
    """A unit's structural position, from which both its label and its stable id are built."""

    part: str = "body"  # body | penjelasan | lampiran | catatan
    pasal: str | None = None
    ayat: str | None = None
    huruf: str | None = None
    angka: str | None = None
    table: str | None = None  # Lampiran table name, e.g. "Kode Etik"
    note: str | None = None

    def steps(self) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        if self.table is not None:
            out.append(("lampiran", self.table))
        if self.note is not None:
            out.append(("catatan", self.note))
        if self.pasal is not None:
            out.append(("pasal", self.pasal))
        if self.ayat is not None:
            out.append(("ayat", self.ayat))
        if self.huruf is not None:
            out.append(("huruf", self.huruf))
        if self.angka is not None:
            out.append(("angka", self.angka))
        return out

    def kind(self) -> str:
        steps = self.steps()
        if not steps:
            return self.part
        last = steps[-1][0]
        if self.part == "penjelasan" and last == "pasal":
            return "penjelasan"
        return last

    def label(self, doc: str) -> str:
        words: list[str] = [doc]
        if self.part == "penjelasan":
            words.append("Penjelasan")
        if self.table is not None:
            words.append(f"Lampiran {self.table}")
        if self.note is not None:
            words.append(f"Catatan {self.note}")
        if self.pasal is not None:
            words.append(f"Pasal {self.pasal}")
        if self.ayat is not None:
            words.append(f"ayat ({self.ayat})")
        if self.huruf is not None:
            words.append(f"huruf {self.huruf}")
        if self.angka is not None:
            words.append(f"angka {self.angka}")
        return " ".join(words)

    def slug(self) -> str:
        parts = [self.part] + [f"{k}-{_slug(v)}" for k, v in self.steps()]
        return "/".join(parts)


def _slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")


def unit_id(doc_id: str, path: Path) -> str:
    return f"{doc_id}::{path.slug()}"


def any_label_matches(expected: Sequence[str], got: Sequence[str]) -> bool:
    return any(label_matches(e, g) for e in expected for g in got)
