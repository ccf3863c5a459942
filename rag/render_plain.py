"""The main message of an Answer as plain text: what the console prints first, what `netral ask
--json` calls ``answer``, and what the Telegram renderer mirrors in HTML. Built from the Answer's
fields and the phrase table (rag/texts.py) only; nothing here parses text."""

from __future__ import annotations

from rag.texts import TEXTS, Texts
from rag.types import Answer, Citation, SanctionRef

QUOTE_CHARS = 100  # a short reminder of the wording; the whole unit is one button away
SUMMARY_CHARS = 200
CAVEAT_CHARS = 150
PART_CHARS = 140
EXPLANATION_CHARS = 300


def shorten(text: str, limit: int) -> str:
    """Collapse whitespace and cut at a word boundary, marking the cut with an ellipsis. A cut inside
    parentheses goes back to before them: "sanksi moral (jalur kode etik (ikut…" reads as broken."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0] or flat[:limit]
    depth, opened = 0, -1
    for i, ch in enumerate(cut):
        if ch == "(":
            if depth == 0:
                opened = i
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
    if depth and opened > 0 and cut[:opened].strip():
        cut = cut[:opened].rstrip()
    return cut.rstrip(",;:.") + "…"


def is_cut(text: str, limit: int) -> bool:
    """Whether ``shorten(text, limit)`` leaves something out (then the full text is shown elsewhere)."""
    return len(" ".join(text.split())) > limit


def sanction_line(s: SanctionRef, t: Texts, short: bool = False) -> str:
    """One sanction route; ``short`` (the main message) keeps the first basis and a brief detail."""
    level = t.no_sanction_level if s.level == "tidak ditentukan" else s.level
    detail_text = shorten(s.detail, 40) if short else s.detail
    detail = f", {detail_text}" if detail_text else ""
    labels = s.basis[:1] if short else s.basis[:2]
    basis = f" ({'; '.join(labels)}{detail})" if labels else (f" ({detail_text})" if detail_text else "")
    return f"{level}{basis}"


def key_citations(answer: Answer) -> list[Citation]:
    by_label = {c.label: c for c in answer.citations}
    return [by_label[k] for k in answer.key if k in by_label]


def basis_line(c: Citation, t: Texts, lang: str, with_text: bool) -> str:
    revoked = t.revoked_inline.format(replaced_by=c.replaced_by) if c.status == "dicabut" else ""
    if c.kind == "wording" and c.quote:
        return f"{c.label}{revoked}: “{shorten(c.quote, QUOTE_CHARS)}”"
    if not with_text:
        return f"{c.label}{revoked}"
    return f"{c.label}{revoked} ({t.summary_word}): {shorten(c.summary, SUMMARY_CHARS)}"


def main_text(answer: Answer) -> str:
    t = TEXTS[answer.language]
    lines = [t.verdict_line[answer.verdict]]
    if answer.refusal:
        lines.append(answer.explanation)
        return "\n".join(lines)
    if answer.explanation:
        # An abstention's text says who decides: it is never cut.
        limit = len(answer.explanation) if answer.abstained else EXPLANATION_CHARS
        lines.append(shorten(answer.explanation, limit))
    for p in answer.parts:
        lines.append(
            f"{t.part_heading.format(n=answer.parts.index(p) + 1, title=p.behaviour.title)} — "
            f"{t.verdict_line[p.verdict]} {p.explanation}"
        )
    if answer.conditions:
        lines.append(f"{t.conditions_heading}: " + "; ".join(answer.conditions))
    keys = key_citations(answer)[:2]
    if keys:
        # Without an explanation of ours, the units' own text is the answer.
        with_text = not answer.explanation
        joined = "; ".join(basis_line(c, t, answer.language, with_text) for c in keys)
        heading = t.closest_heading if answer.abstained else t.basis_heading
        lines.append(f"{heading}: {joined}")
        # Two key units with quotes are enough in the main message; the rest are in the sources.
    if answer.sanctions:
        lines.append(
            f"{t.sanction_heading}: "
            + t.sanction_or.join(sanction_line(s, t, short=True) for s in answer.sanctions[:2])
        )
    if answer.caveats:
        # One line; the full readings are in the sources view ("Selengkapnya", the console's list).
        lines.append(f"{t.caveat_heading}: {shorten(answer.caveats[0], CAVEAT_CHARS)}")
    return "\n".join(lines)
