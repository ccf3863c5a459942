"""Explicit references in a question: "Pasal 5 huruf n PP 94 Tahun 2021", "pasal 280 ayat 3
UU Pemilu", "PP 94/2021", and the aliases users write ("UU ASN", "PP Disiplin", "SKB Netralitas")."""

from __future__ import annotations

import re
from dataclasses import dataclass

# alias (folded, lower-case) -> document labels it may mean, most likely first
ALIASES: dict[str, tuple[str, ...]] = {
    "uu pemilu": ("UU 7/2017",),
    "undang undang pemilu": ("UU 7/2017",),
    "uu pemilihan umum": ("UU 7/2017",),
    "uu asn lama": ("UU 5/2014",),
    "uu asn": ("UU 20/2023",),
    "undang undang asn": ("UU 20/2023",),
    "uu aparatur sipil negara": ("UU 20/2023",),
    "uu pilkada": ("UU 10/2016", "UU 8/2015", "UU 1/2015"),
    "undang undang pilkada": ("UU 10/2016", "UU 8/2015", "UU 1/2015"),
    "uu pemilihan": ("UU 10/2016", "UU 8/2015", "UU 1/2015"),
    "pp disiplin": ("PP 94/2021",),
    "pp disiplin pns": ("PP 94/2021",),
    "pp disiplin lama": ("PP 53/2010",),
    "pp kode etik": ("PP 42/2004",),
    "pp korps": ("PP 42/2004",),
    "pp jiwa korps": ("PP 42/2004",),
    "pp manajemen pns": ("PP 11/2017",),
    "pp manajemen pppk": ("PP 49/2018",),
    "pp pppk": ("PP 49/2018",),
    "pp parpol": ("PP 37/2004",),
    "skb netralitas": ("SKB 2/2022",),
    "skb 5 menteri": ("SKB 2/2022",),
    "skb lima lembaga": ("SKB 2/2022",),
    "skb 5 lembaga": ("SKB 2/2022",),
    "skb 2022": ("SKB 2/2022",),
    "se 18": ("SE MenPANRB 18/2023",),
    "se menpan 18": ("SE MenPANRB 18/2023",),
    "se menpanrb 18": ("SE MenPANRB 18/2023",),
    "se 1 2023": ("SE MenPANRB 1/2023",),
    "se menpanrb 1": ("SE MenPANRB 1/2023",),
    "putusan mk 121": ("Putusan MK 121/PUU-XXII/2024",),
}

_TYPE_WORDS = {
    "law": "UU",
    "act": "UU",
    "government regulation": "PP",
    "presidential regulation": "Perpres",
    "uu": "UU",
    "undang undang": "UU",
    "pp": "PP",
    "peraturan pemerintah": "PP",
    "perpres": "Perpres",
    "peraturan presiden": "Perpres",
    "skb": "SKB",
    "se menpanrb": "SE MenPANRB",
    "se menpan rb": "SE MenPANRB",
    "se menpan": "SE MenPANRB",
    "se": "SE MenPANRB",
}
_DOC = re.compile(
    r"\b(?P<type>undang undang|uu|peraturan pemerintah|pp|peraturan presiden|perpres|skb|law|act|"
    r"government regulation|presidential regulation|"
    r"se menpan rb|se menpanrb|se menpan|se)\s+(?:nomor\s+|no\s+)?(?P<num>\d{1,4})"
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


def find_references(folded: str, known_docs: set[str]) -> References:
    """``folded`` is rag.lexical.fold(question); ``known_docs`` the indexed document labels."""
    docs: list[str] = []
    padded = f" {folded} "
    for alias, labels in sorted(ALIASES.items(), key=lambda kv: -len(kv[0])):
        if f" {alias} " in padded:
            for label in labels:
                if label in known_docs and label not in docs:
                    docs.append(label)
            padded = padded.replace(f" {alias} ", " ")
    for m in _DOC.finditer(padded):
        doc_type = _TYPE_WORDS[m.group("type")]
        num, year = str(int(m.group("num"))), m.group("year")
        candidates = [d for d in known_docs if d.startswith(f"{doc_type} {num}/")]
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
