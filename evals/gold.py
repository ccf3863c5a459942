"""Loading and strict validation of the gold set (JSON Lines; format in evals/README.md).

Validation is strict on purpose: a typo in a verdict or a field name would otherwise silently turn
a case into one that can never pass (or always passes), and nobody would notice."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from rag.errors import GoldFormatError
from rag.types import VERDICTS, Verdict

REQUIRED_FIELDS = ("id", "question", "verdict", "must_cite")
OPTIONAL_FIELDS = ("answer_must_mention", "tags", "notes", "abstain")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class GoldCase:
    """One gold question. ``verdicts`` lists every acceptable verdict (any one passes);
    ``must_cite`` and ``answer_must_mention`` are groups of alternatives (each group must be met
    by at least one of its alternatives)."""

    id: str
    question: str
    verdicts: tuple[Verdict, ...]
    must_cite: tuple[tuple[str, ...], ...] = ()
    answer_must_mention: tuple[tuple[str, ...], ...] = ()
    tags: tuple[str, ...] = ()
    notes: str = ""
    source: str = ""  # "path:line", for messages
    # The knowledge has no rule for this behaviour: the case passes only when the answer
    # abstains honestly (``Answer.abstained``) instead of borrowing the nearest rule's verdict.
    abstain: bool = False

    @property
    def out_of_scope(self) -> bool:
        """The gold accepts a refusal: the question is outside what netral answers."""
        return "di_luar_cakupan" in self.verdicts

    def to_json_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "id": self.id,
            "question": self.question,
            "verdict": self.verdicts[0] if len(self.verdicts) == 1 else list(self.verdicts),
            "must_cite": [list(g) for g in self.must_cite],
        }
        if self.answer_must_mention:
            data["answer_must_mention"] = [list(g) for g in self.answer_must_mention]
        if self.tags:
            data["tags"] = list(self.tags)
        if self.notes:
            data["notes"] = self.notes
        if self.abstain:
            data["abstain"] = True
        return data


def gold_files(path: Path | str) -> list[Path]:
    """The .jsonl files a gold path names: the file itself, or a directory's *.jsonl sorted by name."""
    p = Path(path)
    if p.is_dir():
        files = sorted(f for f in p.glob("*.jsonl") if f.is_file())
        if not files:
            raise GoldFormatError(str(p), 0, "directory contains no .jsonl files")
        return files
    if not p.is_file():
        raise GoldFormatError(str(p), 0, "no such file or directory")
    return [p]


def load_gold(path: Path | str) -> list[GoldCase]:
    """Load a gold file or every .jsonl file of a directory. Ids must be unique across all files.

    Raises GoldFormatError(path, line, reason) on the first problem."""
    cases: list[GoldCase] = []
    seen: dict[str, str] = {}
    for file in gold_files(path):
        for case in _load_file(file):
            if case.id in seen:
                file_name, line = case.source.rsplit(":", 1)
                raise GoldFormatError(
                    file_name, int(line), f"duplicate id {case.id!r} (first at {seen[case.id]})"
                )
            seen[case.id] = case.source
            cases.append(case)
    if not cases:
        raise GoldFormatError(str(path), 0, "no gold cases")
    return cases


def _load_file(file: Path) -> Iterable[GoldCase]:
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldFormatError(str(file), 0, f"cannot read: {exc}") from exc
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue  # blank lines are harmless separators
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise GoldFormatError(
                str(file), number, f"malformed JSON: {exc.msg} (column {exc.colno})"
            ) from exc
        try:
            yield parse_case(data, source=f"{file}:{number}")
        except ValueError as exc:
            raise GoldFormatError(str(file), number, str(exc)) from exc


def parse_case(data: Any, source: str = "") -> GoldCase:
    """Validate one decoded JSON object. Raises ValueError with a one-line reason."""
    if not isinstance(data, dict):
        raise ValueError(f"expected a JSON object, got {type(data).__name__}")
    unknown = sorted(set(data) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS))
    if unknown:
        raise ValueError(f"unknown field(s): {', '.join(unknown)}")
    missing = [f for f in REQUIRED_FIELDS if f not in data]
    if missing:
        raise ValueError(f"missing field(s): {', '.join(missing)}")

    case_id = data["id"]
    if not isinstance(case_id, str) or not _ID.match(case_id):
        raise ValueError(f"invalid id {case_id!r}: a non-empty string of letters, digits, '.', '_' or '-'")
    question = data["question"]
    if not isinstance(question, str) or not question.strip():
        raise ValueError("question must be a non-empty string")

    return GoldCase(
        id=case_id,
        question=question,
        verdicts=_verdicts(data["verdict"]),
        must_cite=_groups(data["must_cite"], "must_cite"),
        answer_must_mention=_groups(data.get("answer_must_mention", []), "answer_must_mention"),
        tags=_strings(data.get("tags", []), "tags"),
        notes=_notes(data.get("notes", "")),
        source=source,
        abstain=_abstain(data.get("abstain", False), data["verdict"]),
    )


def _verdicts(value: Any) -> tuple[Verdict, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items:
        raise ValueError("verdict must be a label or a non-empty list of labels")
    out: list[Verdict] = []
    for item in items:
        if item not in VERDICTS:
            raise ValueError(f"unknown verdict label {item!r} (expected one of {', '.join(VERDICTS)})")
        if item in out:
            raise ValueError(f"verdict label {item!r} listed twice")
        out.append(cast(Verdict, item))
    return tuple(out)


def _groups(value: Any, name: str) -> tuple[tuple[str, ...], ...]:
    if not isinstance(value, list):
        raise ValueError(f"{name} must be a list of groups (lists of strings)")
    groups: list[tuple[str, ...]] = []
    for i, group in enumerate(value, start=1):
        if not isinstance(group, list) or not group:
            raise ValueError(f"{name} group {i} must be a non-empty list of strings")
        groups.append(_strings(group, f"{name} group {i}"))
    return tuple(groups)


def _strings(value: Any, name: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ValueError(f"{name} must be a list of strings")
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise ValueError(f"{name} must contain only non-empty strings, got {item!r}")
    return tuple(value)


def _abstain(value: Any, verdict: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("abstain must be true or false")
    if value:
        verdicts = [verdict] if isinstance(verdict, str) else list(verdict)
        wrong = [v for v in verdicts if v not in ("tidak_jelas", "informasi")]
        if wrong:
            raise ValueError(f"an abstain case accepts only tidak_jelas/informasi, not {', '.join(wrong)}")
    return value


def _notes(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("notes must be a string")
    return value
