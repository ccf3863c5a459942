"""Reading and validating the behaviour catalogue (knowledge/behaviours/*.yaml).

The YAML is checked against a strict schema (a typo in a field name is an error, not a silently ignored
key), then against the index being built: every basis and sanction label must be a regulation unit in
it, and every relation must name an entry. Any problem raises IngestError naming the file, the behaviour
and the label, before anything is written.

    python -m ingest.behaviours [knowledge_dir]   # validate against knowledge/ without building an index
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from rag.behaviours import (
    SANCTION_LEVELS,
    Audience,
    Behaviour,
    BehaviourVerdict,
    Bilingual,
    Confidence,
    Reading,
)
from rag.errors import IngestError
from rag.labels import normalize_label
from rag.types import SanctionRef

CATALOGUE_DIR = "behaviours"
MIN_EXAMPLES = 5
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Text(_Model):
    id: str = Field(min_length=3)
    en: str = Field(min_length=3)


class _Sanction(_Model):
    level: str
    basis: list[str] = Field(min_length=1)
    detail: _Text | None = None

    @field_validator("level")
    @classmethod
    def _level(cls, v: str) -> str:
        if v not in SANCTION_LEVELS:
            raise ValueError(f"unknown sanction level {v!r} (one of: {', '.join(SANCTION_LEVELS)})")
        return v


class _Reading(_Model):
    id: str = Field(min_length=3)
    en: str = Field(min_length=3)
    who: str
    when: str
    url: str | None = None


class _Provenance(_Model):
    notes: list[str] = Field(min_length=1)
    confidence: Confidence


class _Entry(_Model):
    id: str
    title: _Text
    applies_to: list[Audience] = Field(min_length=1)
    situation: list[str] = []
    situation_with: list[str] = []
    group_rule: bool = False
    verdict: BehaviourVerdict
    conditions: list[_Text] = []
    met_when: list[str] = []
    unmet_when: list[str] = []
    others_act: list[str] = []
    basis: list[str] = Field(min_length=1)
    sanctions: list[_Sanction] = []
    explanation: _Text
    uncertainty: list[_Reading] = []
    examples: list[str] = Field(min_length=MIN_EXAMPLES)
    terms: list[str] = []
    more_specific: list[str] = []
    more_general: list[str] = []
    notes: list[str] = []
    provenance: _Provenance

    @field_validator("id")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not _ID.match(v):
            raise ValueError("id must be a lowercase slug (a-z, 0-9, -)")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> _Entry:
        if self.group_rule and not self.situation:
            raise ValueError("a group_rule entry needs the situation words that name its group")
        if self.verdict == "bersyarat" and not self.conditions:
            raise ValueError("a bersyarat entry needs conditions")
        if self.met_when and self.verdict != "bersyarat":
            raise ValueError("met_when (the condition is met) belongs to a bersyarat entry")
        if self.unmet_when and self.verdict not in ("bersyarat", "tidak_jelas"):
            raise ValueError(
                "unmet_when (the condition is not met yet) belongs to a bersyarat or tidak_jelas entry"
            )
        if self.situation_with and not self.situation:
            raise ValueError("situation_with (a word the situation needs beside it) needs situation words")
        if self.others_act and not self.situation:
            raise ValueError("others_act (someone else does the act) needs the situation words naming who")
        if (
            self.provenance.confidence == "U"
            and self.verdict in ("boleh", "dilarang")
            and not self.uncertainty
        ):
            raise ValueError(
                "an entry with confidence U and a firm verdict must list the conflicting readings"
            )
        return self


class _File(_Model):
    behaviours: list[_Entry]


def catalogue_files(paths: Iterable[Path]) -> list[Path]:
    """The catalogue YAML files named by ingest paths: a knowledge dir's behaviours/ folder, a
    behaviours/ folder itself, or single .yaml files inside one."""
    found: set[Path] = set()
    for path in paths:
        if path.is_dir():
            folder = path if path.name == CATALOGUE_DIR else path / CATALOGUE_DIR
            if folder.is_dir():
                found.update(p for p in folder.glob("*.y*ml") if p.is_file())
        elif path.suffix.lower() in (".yaml", ".yml") and path.parent.name == CATALOGUE_DIR:
            found.add(path)
    return sorted(found)


def load_file(path: Path) -> list[Behaviour]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise IngestError(str(path), f"cannot read behaviour catalogue: {_one_line(str(e))}") from None
    try:
        parsed = _File.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        entry = _entry_id(data, err["loc"])
        raise IngestError(str(path), f"behaviour {entry}: {where}: {err['msg']}") from None
    return [_to_behaviour(e, path.name) for e in parsed.behaviours]


def load_catalogue(files: Iterable[Path]) -> list[Behaviour]:
    out: list[Behaviour] = []
    seen: dict[str, str] = {}
    for path in files:
        for b in load_file(path):
            if b.id in seen:
                raise IngestError(str(path), f"behaviour {b.id}: duplicate id (also in {seen[b.id]})")
            seen[b.id] = path.name
            out.append(b)
    return out


def validate(
    behaviours: Iterable[Behaviour], unit_kinds: Mapping[str, str], root: Path | None = None
) -> None:
    """Every label a behaviour cites must be an indexed unit; basis and sanction labels must be
    regulation units, not curated notes. ``unit_kinds`` maps normalised labels to unit kinds."""
    items = list(behaviours)
    ids = {b.id for b in items}
    for b in items:
        file = str(root / b.source) if root else b.source

        def fail(reason: str, b: Behaviour = b, file: str = file) -> None:
            raise IngestError(file, f"behaviour {b.id}: {reason}")

        for label in (*b.basis, *(lab for s in b.sanctions for lab in s.basis)):
            kind = unit_kinds.get(normalize_label(label))
            if kind is None:
                fail(f"basis label {label!r} is not in the index")
            elif kind == "catatan":
                fail(f"basis label {label!r} is a curated note, not a regulation (list it under notes:)")
        for label in b.notes:
            if normalize_label(label) not in unit_kinds:
                fail(f"note label {label!r} is not in the index")
        for other in (*b.more_specific, *b.more_general):
            if other not in ids:
                fail(f"relation to unknown behaviour {other!r}")


def _to_behaviour(e: _Entry, source: str) -> Behaviour:
    def bi(t: _Text) -> Bilingual:
        return Bilingual(t.id.strip(), t.en.strip())

    return Behaviour(
        id=e.id,
        title=bi(e.title),
        applies_to=tuple(e.applies_to),
        verdict=e.verdict,
        explanation=bi(e.explanation),
        basis=tuple(e.basis),
        examples=tuple(x.strip() for x in e.examples),
        conditions=tuple(bi(c) for c in e.conditions),
        met_when=tuple(x.strip() for x in e.met_when if x.strip()),
        unmet_when=tuple(x.strip() for x in e.unmet_when if x.strip()),
        others_act=tuple(x.strip() for x in e.others_act if x.strip()),
        sanctions=tuple(
            SanctionRef(s.level, tuple(s.basis), s.detail.id if s.detail else "") for s in e.sanctions
        ),
        sanction_details=tuple(bi(s.detail) if s.detail else None for s in e.sanctions),
        uncertainty=tuple(Reading(Bilingual(r.id, r.en), r.who, r.when, r.url) for r in e.uncertainty),
        situation=tuple(e.situation),
        situation_with=tuple(x.strip() for x in e.situation_with if x.strip()),
        group_rule=e.group_rule,
        terms=tuple(e.terms),
        more_specific=tuple(e.more_specific),
        more_general=tuple(e.more_general),
        notes=tuple(e.notes),
        provenance=tuple(e.provenance.notes),
        confidence=e.provenance.confidence,
        source=source,
    )


def _entry_id(data: Any, loc: tuple[int | str, ...]) -> str:
    try:
        if loc[0] == "behaviours" and isinstance(loc[1], int):
            return str(data["behaviours"][loc[1]].get("id", f"#{loc[1] + 1}"))
    except (IndexError, KeyError, TypeError, AttributeError):
        pass
    return "?"


def _one_line(s: str) -> str:
    return " ".join(s.split())[:300]


def main(argv: list[str]) -> int:
    """Validate the catalogue of a knowledge dir against its curated units (no index needed)."""
    from ingest.parse import discover, parse_source

    root = Path(argv[0]) if argv else Path("knowledge")
    try:
        kinds: dict[str, str] = {}
        for src in discover([root]):
            for u in parse_source(src).units:
                kinds[normalize_label(u.label)] = u.kind
        files = catalogue_files([root])
        items = load_catalogue(files)
        validate(items, kinds, root / CATALOGUE_DIR)
    except IngestError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    by_verdict: dict[str, int] = {}
    for b in items:
        by_verdict[b.verdict] = by_verdict.get(b.verdict, 0) + 1
    print(f"{len(items)} behaviours in {len(files)} files OK: {by_verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
