"""The optional LLM answering path: the rule engine's answer in, a better-worded checked ``Answer`` out.

The extractive answerer (the fallback) runs first and owns intent, scope, follow-ups, refusals and
honest abstention: a refused or abstained question is answered by it alone. Otherwise the model sees
the engine's verdict and behaviour as grounding plus the numbered units, and writes the explanation.
**The engine's verdict is kept** unless the model answers another verdict *and* cites a presented
unit whose own norm states that verdict (a prohibition for dilarang, a conditional permission for
bersyarat, an uncertain point for tidak_jelas); a change to "boleh" is never taken from the model,
since a wrong "boleh" is the costliest error. Sanctions and caveats stay the engine's.

The model only writes prose and points at sources by number. Everything legal that the user
sees as evidence is rebuilt from the index: a citation exists only for a number we presented,
and its quote is the unit's indexed text (``citation_for``), never the model's words. Any
reply we cannot verify (bad format, bad verdict, no valid citation, an instrument we never
showed it, a model failure) is replaced by the extractive answer, so the LLM can make an
answer better worded but never less grounded.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from string import Template
from typing import cast

from rag.citations import citation_for
from rag.errors import ChatModelError, ConfigError
from rag.instruments import code_for_words, prose_pattern
from rag.language import Language, detect_language
from rag.protocols import Answerer, ChatModel, Retriever
from rag.render_plain import main_text
from rag.status import is_revoked
from rag.types import VERDICTS, Answer, Citation, Passage, Verdict

log = logging.getLogger(__name__)

PROMPTS_DIR = Path(__file__).resolve().parent / "prompts"

# A question this short after another one is read as a follow-up ("kalau share?"): on its own
# it retrieves nothing useful, so the previous question is added to the search and the prompt.
FOLLOW_UP_MAX_WORDS = 6

# Units are presented in full up to this size; the model only needs enough to reason, the
# quote shown to the user comes from the index anyway, and a long Pasal would crowd out the rest.
MAX_UNIT_CHARS = 3000

_TEXT_KIND = {"wording": "bunyi peraturan", "summary": "ringkasan", "note": "catatan"}
_LANGUAGE_NAME = {"id": "Bahasa Indonesia", "en": "English (the user asked in English)"}

# "[1]", "[1, 3]", "[2-4]"; anything else in brackets is left alone.
_REF = re.compile(r"\[\s*(\d+(?:\s*[,;–-]\s*\d+)*)\s*\]")
_FENCE = re.compile(r"```[a-zA-Z]*")
# Our own prompt delimiters: a question must not be able to close its data block.
_TAGS = re.compile(r"<\s*/?\s*(?:pertanyaan|pertanyaan_sebelumnya|sumber)\s*>", re.IGNORECASE)
# Statute references in prose ("PP 53/2010", "UU Nomor 20 Tahun 2023", "Peraturan Pemerintah
# Nomor 94 Tahun 2021"), to catch a model naming an instrument it was never shown.
_INSTRUMENT = re.compile(
    rf"\b({prose_pattern()})\s+(?:No(?:mor)?\.?\s*)?(\d+)\s*(?:/|Tahun)\s*(\d{{4}})\b",
    re.IGNORECASE,
)
_NO_LEGAL_ADVICE = ("bukan nasihat hukum", "not legal advice")


class _Rejected(Exception):
    """The reply cannot be shown; the message is the (loggable) reason."""


class LLMAnswerer:
    """``Answerer`` that lets a chat model word the answer and falls back to ``fallback``."""

    def __init__(
        self,
        retriever: Retriever,
        fallback: Answerer,
        chat: ChatModel,
        prompts_dir: Path | None = None,
        k: int = 8,
    ) -> None:
        self._retriever = retriever
        self._fallback = fallback
        self._chat = chat
        self._k = k
        directory = prompts_dir or PROMPTS_DIR
        self.system_prompt = _read_prompt(directory / "system.txt")
        self._user_template = Template(_read_prompt(directory / "user.txt"))

    def answer(self, question: str, previous_question: str | None = None) -> Answer:
        base = self._fallback.answer(question, previous_question)
        if base.refusal is not None or base.abstained or base.verdict == "di_luar_cakupan":
            return base
        context = previous_question if _is_follow_up(question, previous_question) else None
        query = f"{context} {question}" if context else question
        # Retrieval errors propagate: the fallback reads the same index, so it could not help.
        passages = self._retriever.retrieve(query, self._k)
        if not passages:
            return self._fall_back(base, "no passages retrieved")
        language = detect_language(question)
        user = self.user_prompt(question, passages, language, context, base)
        try:
            reply = self._chat.complete(self.system_prompt, user)
            return self._checked_answer(base, reply, passages, language)
        except (ChatModelError, _Rejected) as exc:
            return self._fall_back(base, str(exc))

    def user_prompt(
        self,
        question: str,
        passages: Sequence[Passage],
        language: Language = "id",
        previous_question: str | None = None,
        base: Answer | None = None,
    ) -> str:
        """The user message: the question as data plus the numbered units [1]..[n]."""
        previous = (
            "Pertanyaan sebelumnya (konteks saja):\n"
            f"<pertanyaan_sebelumnya>\n{_neutralise(previous_question)}\n</pertanyaan_sebelumnya>\n\n"
            if previous_question
            else ""
        )
        units = "\n\n".join(_present(i, p) for i, p in enumerate(passages, start=1))
        # substitute() is single-pass, so a "$units" typed in the question stays literal.
        return self._user_template.substitute(
            previous=previous,
            question=_neutralise(question),
            language=_LANGUAGE_NAME[language],
            engine=_engine_summary(base),
            units=units,
        )

    def _fall_back(self, base: Answer, reason: str) -> Answer:
        log.warning("LLM answer not used (%s); falling back to the extractive answer", reason)
        return base

    def _checked_answer(
        self, base: Answer, reply: str, passages: Sequence[Passage], language: Language
    ) -> Answer:
        data = _parse_json_object(reply)
        verdict = _verdict(data.get("verdict"))
        text = data.get("answer")
        if not isinstance(text, str) or not text.strip():
            raise _Rejected("reply has no answer text")

        cited: list[int] = []
        answer_text = _keep_valid_refs(text, len(passages), cited)
        answer_cites = len(cited)
        sanctions = [_keep_valid_refs(s, len(passages), cited) for s in _strings(data.get("sanctions"))]
        caveats = [_keep_valid_refs(c, len(passages), cited) for c in _strings(data.get("caveats"))]
        if answer_cites == 0 and verdict != "di_luar_cakupan":
            raise _Rejected("answer cites no presented source")
        unknown = _unknown_instruments(" ".join([answer_text, *sanctions, *caveats]), passages)
        if unknown:
            raise _Rejected(f"reply names instruments not among the sources: {', '.join(unknown)}")

        citations = _citations(passages, cited)
        caveats = _with_required_caveats(caveats, answer_text, passages, cited, language)
        kept = _kept_verdict(base.verdict, verdict, [passages[n - 1] for n in cited])
        merged = tuple({c.label: c for c in (*base.citations, *citations)}.values())
        answer = replace(
            base,
            verdict=kept,
            explanation=answer_text,
            citations=merged,
            caveats=tuple(dict.fromkeys((*base.caveats, *(c for c in caveats if c not in answer_text)))),
            mode="llm",
            rule=f"{base.rule}+llm" if kept == base.verdict else "llm-cited-unit",
            retrieved=tuple(passages),
        )
        return replace(answer, answer=main_text(answer))


# Which norm of a cited unit states which verdict (for _kept_verdict).
_NORM_VERDICT: dict[str, Verdict] = {
    "prohibition": "dilarang",
    "sanction": "dilarang",
    "conditional": "bersyarat",
    "uncertain": "tidak_jelas",
}


def _kept_verdict(engine: Verdict, model: Verdict, cited: Sequence[Passage]) -> Verdict:
    """The engine's verdict, unless the model's is stated by a unit it cites (never to "boleh")."""
    if model == engine or model in ("boleh", "di_luar_cakupan", "informasi"):
        return engine
    if any(_NORM_VERDICT.get(p.unit.norm or "") == model for p in cited):
        return model
    return engine


def _engine_summary(base: Answer | None) -> str:
    if base is None:
        return "(tidak ada)"
    lines = [f"verdict: {base.verdict}"]
    lines += [f"perilaku: {b.title}" for b in base.behaviours[:2]]
    if base.explanation:
        lines.append(f"penjelasan: {_neutralise(base.explanation)}")
    if base.key:
        lines.append(f"dasar: {'; '.join(base.key)}")
    return "\n".join(lines)


# --- prompt ----------------------------------------------------------------------------------


def _read_prompt(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"prompt file missing or unreadable: {path}") from exc


def _is_follow_up(question: str, previous_question: str | None) -> bool:
    return bool(previous_question) and len(question.split()) <= FOLLOW_UP_MAX_WORDS


def _neutralise(text: str | None) -> str:
    return _TAGS.sub(" ", text or "").strip()


def _present(number: int, passage: Passage) -> str:
    unit, doc = passage.unit, passage.document
    if is_revoked(unit, doc):
        status = f"dicabut, diganti {doc.replaced_by}" if doc.replaced_by else "dicabut"
        status += " (hanya sejarah)"
    elif doc.status == "dicabut_sebagian":
        status = f"dicabut sebagian; ketentuan ini masih berlaku: {doc.surviving_reason}"
    elif doc.status == "diubah":
        status = "berlaku, sebagian telah diubah"
    else:
        status = "berlaku"
    text = unit.text if len(unit.text) <= MAX_UNIT_CHARS else unit.text[:MAX_UNIT_CHARS] + " …(dipotong)"
    lines = [
        f"[{number}] {unit.label}",
        f"Dokumen: {doc.label} — {doc.title}",
        f"Status: {status}",
        f"Jenis teks: {_TEXT_KIND.get(unit.text_kind, unit.text_kind)}",
    ]
    if unit.lead_in and unit.lead_in not in unit.text:
        lines.append(f"Konteks: {_neutralise(unit.lead_in)}")
    for sanction in unit.sanctions:
        basis = f" (dasar: {'; '.join(sanction.basis)})" if sanction.basis else ""
        detail = f": {sanction.detail}" if sanction.detail else ""
        lines.append(f"Sanksi tercatat: {sanction.level}{basis}{detail}")
    lines.append(f"Teks: {_neutralise(text)}")
    return "\n".join(lines)


# --- reply checks ----------------------------------------------------------------------------


def _parse_json_object(reply: str) -> dict[str, object]:
    """The first JSON object in the reply, tolerating code fences and chatter around it."""
    text = _FENCE.sub("", reply)
    decoder = json.JSONDecoder()
    for match in re.finditer(r"\{", text):
        try:
            value, _ = decoder.raw_decode(text, match.start())
        except json.JSONDecodeError:
            continue
        if isinstance(value, dict):
            return cast(dict[str, object], value)
    raise _Rejected("reply is not a JSON object")


def _verdict(value: object) -> Verdict:
    label = re.sub(r"[\s-]+", "_", value.strip().lower()) if isinstance(value, str) else ""
    if label not in VERDICTS:
        raise _Rejected(f"invalid verdict {str(value)[:40]!r}")
    return cast(Verdict, label)


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    return [v.strip() for v in value if isinstance(v, str) and v.strip()]


def _ref_numbers(group: str) -> list[int]:
    numbers: list[int] = []
    for part in re.split(r"\s*[,;]\s*", group):
        bounds = [int(b) for b in re.split(r"\s*[–-]\s*", part) if b]
        if len(bounds) == 2 and bounds[0] <= bounds[1]:
            # Bounded by the caller's valid range check; cap the span so "[1-99999]" is cheap.
            numbers.extend(range(bounds[0], min(bounds[1], bounds[0] + 50) + 1))
        else:
            numbers.extend(bounds)
    return numbers


def _keep_valid_refs(text: str, count: int, cited: list[int]) -> str:
    """Drop references outside [1..count]; record valid ones in ``cited`` (first-seen order)."""

    def rewrite(match: re.Match[str]) -> str:
        valid = [n for n in _ref_numbers(match.group(1)) if 1 <= n <= count]
        for n in valid:
            if n not in cited:
                cited.append(n)
        return f"[{', '.join(str(n) for n in dict.fromkeys(valid))}]" if valid else ""

    out = _REF.sub(rewrite, text)
    # A removed marker leaves "kampanye ." or a double space behind.
    out = re.sub(r"[ \t]+([.,;:!?)])", r"\1", out)
    return re.sub(r"[ \t]{2,}", " ", out).strip()


def _instrument_key(match: re.Match[str]) -> tuple[str, int, int]:
    words = match.group(1)
    code = code_for_words(words) or " ".join(words.upper().split())
    return (code.upper(), int(match.group(2)), int(match.group(3)))


def _unknown_instruments(text: str, passages: Sequence[Passage]) -> list[str]:
    """Statutes named in the reply that neither the documents nor the unit texts mention."""
    known_text = " ".join(
        " ".join(
            [
                p.document.label,
                p.document.replaced_by or "",
                " ".join(p.document.amends),
                p.document.title,
                p.unit.text,
                p.unit.lead_in,
            ]
        )
        for p in passages
    )
    known = {_instrument_key(m) for m in _INSTRUMENT.finditer(known_text)}
    # The shown documents themselves, whatever their label spells ("SE MenPANRB 18/2023" is "SE 18/2023").
    known |= {
        (p.document.type.upper(), int(p.document.number), p.document.year)
        for p in passages
        if p.document.number.isdigit()
    }
    unknown = [m.group(0) for m in _INSTRUMENT.finditer(text) if _instrument_key(m) not in known]
    return list(dict.fromkeys(unknown))


def _citations(passages: Sequence[Passage], cited: Sequence[int]) -> tuple[Citation, ...]:
    seen: set[str] = set()
    out: list[Citation] = []
    for n in cited:
        passage = passages[n - 1]
        if passage.unit.id in seen:
            continue
        seen.add(passage.unit.id)
        # The quote is the unit's indexed text, whatever the model wrote about it.
        out.append(citation_for(passage.unit, passage.document))
    return tuple(out)


def _with_required_caveats(
    caveats: list[str],
    answer_text: str,
    passages: Sequence[Passage],
    cited: Sequence[int],
    language: Language,
) -> list[str]:
    """Guarantee the disclaimer and a history note for cited revoked instruments."""
    out = [c for c in caveats if c]
    said = " ".join([answer_text, *out]).lower()
    revoked = {
        passages[n - 1].document.label: passages[n - 1].document.replaced_by
        for n in cited
        if is_revoked(passages[n - 1].unit, passages[n - 1].document)
    }
    for label, replacement in revoked.items():
        if label.lower() in said and ("dicabut" in said or "revoked" in said):
            continue
        if language == "en":
            out.append(
                f"{label} has been revoked" + (f" and replaced by {replacement}" if replacement else "")
            )
        else:
            out.append(f"{label} sudah dicabut" + (f", diganti {replacement}" if replacement else ""))
    if not any(phrase in said for phrase in _NO_LEGAL_ADVICE):
        out.append("Not legal advice (bukan nasihat hukum)." if language == "en" else "Bukan nasihat hukum.")
    return out
