"""Identify the instrument a source holds: front matter, the heading of the text, CLI flags.

Priority per field: front matter, then explicit CLI flags (``Overrides``), then what the
heading says ("PERATURAN PEMERINTAH REPUBLIK INDONESIA NOMOR 94 TAHUN 2021 TENTANG ...").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast, get_args

from rag.errors import IngestError
from rag.instruments import alias_problem, code_for_heading, heading_names
from rag.labels import doc_label
from rag.types import Document, Status, TextKind

NO_IDENTITY = (
    "cannot determine the instrument (no front matter, no recognisable heading; pass --label and --title)"
)


@dataclass(frozen=True)
class Overrides:
    """CLI flags (``--label/--title/--status/--url``); ``None`` means "not given"."""

    label: str | None = None
    title: str | None = None
    status: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Identity:
    type: str
    number: str
    year: int
    title: str

    @property
    def label(self) -> str:
        return doc_label(self.type, self.number, self.year)

    @property
    def id(self) -> str:
        return make_id(self.type, self.number, self.year)


INSTRUMENT_TYPES = heading_names()  # (official name, code), longest first

_NUM = r"[0-9OoIlLi]{1,4}"
_TYPE_ALT = "|".join(
    re.escape(name).replace(r"\ ", r"\s+").replace(r"\-", r"\s*[-.]\s*") for name, _ in INSTRUMENT_TYPES
)
_HEADING = re.compile(
    rf"(?P<type>{_TYPE_ALT})(?:\s+[A-Z][A-Z ,.&-]*?)??(?:\s+REPUBLIK\s+INDONESIA)?\s+NOMOR\s*:?\s*(?P<number>{_NUM})"
    rf"\s+TAHUN\s+(?P<year>{_NUM})\s+(?P<tentang>TENTANG)\s+(?P<rest>.*)",
    re.DOTALL,
)
_HEADING_ANY_CASE = re.compile(_HEADING.pattern, re.DOTALL | re.IGNORECASE)
_DIGIT_LIKE = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "i": "1", "L": "1"})
_HEAD_CHARS = 4000  # the identifying heading is at the top; later matches are references

SMALL_WORDS = frozenset(
    {"dan", "atau", "di", "ke", "dari", "yang", "untuk", "atas", "tentang", "serta", "pada", "dalam",
     "dengan", "bagi", "terhadap", "oleh", "sebagai", "jo", "antara"}
)  # fmt: skip
ACRONYMS = frozenset(
    {"PNS", "ASN", "PPPK", "DPR", "DPRD", "DPD", "MPR", "KPU", "TNI", "POLRI", "BKN", "KASN", "RI", "UUD",
     "MK", "MA", "BUMN", "BUMD", "KORPRI", "PPK", "PPS", "TPS", "KPPS", "DKPP", "BPK", "KPK", "NKRI", "SKB",
     "SE", "APBN", "APBD", "JPT", "PANRB", "II", "III", "IV"}
)  # fmt: skip


def make_id(doc_type: str, number: str, year: int | str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", f"{doc_type} {number} {year}".lower())
    return slug.strip("-")


def infer_identity(text: str) -> Identity | None:
    """Type, number, year and title from the text's heading, or None when there is none."""
    head = text[:_HEAD_CHARS]
    match = _HEADING.search(head) or _first_lines_match(head)
    if match is None:
        return None
    number = _digits(match.group("number"))
    year = _digits(match.group("year"))
    if number is None or year is None or not 1900 <= int(year) <= 2100:
        return None
    upper = match.group("tentang").isupper()
    raw_title = _title_words(match.group("rest"), match.group("type"), upper=upper)
    if not raw_title:
        return None
    return Identity(_type_code(match.group("type")), str(int(number)), int(year), title_case(raw_title))


def _first_lines_match(head: str) -> re.Match[str] | None:
    """A mixed-case heading ("Peraturan Pemerintah Nomor 94 Tahun 2021 tentang ...") on the first lines."""
    first = "\n".join(line for line in head.split("\n")[:6] if line.strip())
    match = _HEADING_ANY_CASE.match(first.strip())
    return match


def _digits(token: str) -> str | None:
    fixed = token.translate(_DIGIT_LIKE)
    return fixed if fixed.isdigit() else None


def _type_code(raw: str) -> str:
    return code_for_heading(raw)


_TITLE_STOPS = re.compile(
    r"\b(?:DENGAN\s+RAHMAT|PRESIDEN\s+REPUBLIK\s+INDONESIA|Menimbang|MENIMBANG|Mengingat|MEMUTUSKAN)\b"
)


def _title_words(rest: str, raw_type: str, *, upper: bool) -> str:
    """The title after TENTANG: the run of upper-case words (or the rest of the line when mixed case)."""
    rest = _TITLE_STOPS.split(rest, maxsplit=1)[0]
    repeat = re.search(re.escape(" ".join(raw_type.split())).replace(r"\ ", r"\s+") + r"\s+REPUBLIK", rest)
    if repeat:
        rest = rest[: repeat.start()]
    if not upper:
        return " ".join(rest.split("\n")[0].split()).rstrip(" .")
    words: list[str] = []
    for word in rest.split():
        if any(ch.islower() for ch in word):
            break
        words.append(word)
    return " ".join(words).rstrip(" .,;")


def _looks_upper(line: str) -> bool:
    letters = [ch for ch in line[:80] if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) / len(letters) > 0.8


def title_case(title: str) -> str:
    """ "DISIPLIN PEGAWAI NEGERI SIPIL" → "Disiplin Pegawai Negeri Sipil" (acronyms and small words kept)."""
    if not _looks_upper(title):
        return " ".join(title.split())
    words = title.split()
    return " ".join(_case_word(word, first=(i == 0)) for i, word in enumerate(words))


def _case_word(word: str, *, first: bool) -> str:
    core = word.strip(",.;:()\"'")
    if core in ACRONYMS or any(ch.isdigit() for ch in core):
        return word
    lower = word.lower()
    if not first and core.lower() in SMALL_WORDS:
        return lower
    return "-".join(part[:1].upper() + part[1:] for part in lower.split("-"))


_LABEL = re.compile(r"^(?P<type>.+?)\s+(?P<number>[\w.-]+(?:/[A-Z][\w.-]*)*)/(?P<year>\d{4})$")


def parse_label(label: str) -> tuple[str, str, int] | None:
    """ "PP 94/2021" → ("PP", "94", 2021); ``None`` when the label is not of that form."""
    match = _LABEL.match(" ".join(label.split()))
    if match is None:
        return None
    return match.group("type"), match.group("number"), int(match.group("year"))


def build_document(
    path: Path, front: dict[str, Any] | None, text: str, overrides: Overrides | None = None
) -> tuple[Document, TextKind]:
    """The Document for a source plus the default text kind of its units."""
    fields = _merged_fields(path, front or {}, text, overrides or Overrides())
    status = str(fields.get("status") or "berlaku")
    if status not in get_args(Status):
        raise IngestError(
            str(path), f"invalid status {status!r} (berlaku, dicabut, dicabut_sebagian or diubah)"
        )
    default_kind = str((front or {}).get("default_kind") or "wording")
    if default_kind not in get_args(TextKind):
        raise IngestError(str(path), f"invalid default_kind {default_kind!r} (wording, summary or note)")
    doc = Document(
        id=str(fields["id"]),
        label=str(fields["label"]),
        type=str(fields["type"]),
        number=str(fields["number"]),
        year=int(fields["year"]),
        title=str(fields["title"]),
        status=cast(Status, status),
        replaced_by=_opt_str(fields.get("replaced_by")),
        amends=tuple(str(a) for a in fields.get("amends") or ()),
        aliases=_aliases(path, fields.get("aliases")),
        enacted=_iso_date(fields.get("enacted")),
        source_url=_opt_str(fields.get("source_url")),
        notes=_opt_str(fields.get("notes")),
        surviving=tuple(str(s) for s in fields.get("surviving") or ()),
        surviving_reason=_opt_str(fields.get("surviving_reason")) or "",
        source_path=str(path),
    )
    return doc, cast(TextKind, default_kind)


def _merged_fields(path: Path, front: dict[str, Any], text: str, flags: Overrides) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    inferred = infer_identity(text)
    if inferred is not None:
        fields.update(type=inferred.type, number=inferred.number, year=inferred.year, title=inferred.title)
    fields.update(_flag_fields(path, flags))
    given = {k: v for k, v in front.items() if v is not None}
    fields.update(given)
    if "label" in given and (parsed := parse_label(str(given["label"]))) is not None:
        for key, value in zip(("type", "number", "year"), parsed, strict=True):
            if key not in given:
                fields[key] = value
    if {"id", "label", "type", "title"} <= given.keys():
        # A guidance document (no number, no year) identified entirely by its front matter.
        fields.setdefault("number", "")
        fields.setdefault("year", 0)
        return fields
    missing = [k for k in ("type", "number", "year", "title") if fields.get(k) in (None, "")]
    if missing:
        if inferred is None and not front and flags.label is None:
            raise IngestError(str(path), NO_IDENTITY)
        raise IngestError(
            str(path), f"cannot determine the instrument's {', '.join(missing)} (pass --label/--title)"
        )
    fields.setdefault("label", doc_label(str(fields["type"]), str(fields["number"]), int(fields["year"])))
    fields.setdefault("id", make_id(str(fields["type"]), str(fields["number"]), int(fields["year"])))
    return fields


def _flag_fields(path: Path, flags: Overrides) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if flags.label:
        out.update(_label_fields(path, flags.label))
        out["label"] = " ".join(flags.label.split())
    if flags.title:
        out["title"] = flags.title.strip()
    if flags.status:
        out["status"] = flags.status.strip()
    if flags.url:
        out["source_url"] = flags.url.strip()
    return out


def _label_fields(path: Path, label: str) -> dict[str, Any]:
    parsed = parse_label(label)
    if parsed is None:
        raise IngestError(str(path), f"cannot parse label {label!r} (expected e.g. 'PP 94/2021')")
    doc_type, number, year = parsed
    return {"type": doc_type, "number": number, "year": year}


def _aliases(path: Path, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise IngestError(str(path), f"aliases must be a list of names, not {value!r}")
    for alias in value:
        if (problem := alias_problem(alias)) is not None:
            raise IngestError(str(path), f"invalid aliases: {problem}")
    return tuple(dict.fromkeys(" ".join(str(a).split()) for a in value))


def _opt_str(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _iso_date(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
