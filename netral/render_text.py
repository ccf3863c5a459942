"""Plain-text rendering of an Answer for the console (the bot renders HTML in bot/render.py): the
main message, then the full sources, the other sanctions and caveats, and the curated notes."""

from __future__ import annotations

import textwrap

from rag.render_plain import CAVEAT_CHARS, is_cut, sanction_line, shorten
from rag.texts import TEXTS
from rag.types import Answer


def render_answer(answer: Answer, width: int = 100) -> str:
    t = TEXTS[answer.language]
    out = [answer.answer]
    if answer.refusal:
        return "\n".join(out)
    # The main message shortens the first caveat; the full text of every caveat is listed here.
    first_cut = bool(answer.caveats) and is_cut(answer.caveats[0], CAVEAT_CHARS)
    extra_caveats = answer.caveats if first_cut else answer.caveats[1:]
    extra_sanctions = answer.sanctions[3:]
    if extra_caveats or extra_sanctions:
        out.append("")
        out.extend(f"• {sanction_line(s, t)}" for s in extra_sanctions)
        out.extend(f"• {c}" for c in extra_caveats)
    if answer.citations:
        out.append("")
        out.append(f"{t.sources_heading}:")
        for i, c in enumerate(answer.citations, 1):
            status = c.status if not c.replaced_by else f"{c.status}, {c.replaced_by}"
            kind = "" if c.kind == "wording" else f" [{t.summary_word}]"
            out.append(f"[{i}] {c.label}{kind} — {c.title} ({status})")
            body = c.quote or c.summary
            if body:
                text = f"“{shorten(body, 480)}”" if c.quote else shorten(body, 480)
                if c.quote and c.lead_in:
                    # The parent's words a list item needs, marked as context before the quote.
                    text = f"[{shorten(c.lead_in, 240)} …] {text}"
                out.append(textwrap.indent(textwrap.fill(text, width - 4), "    "))
            if c.source_url:
                out.append(f"    {c.source_url}")
    if answer.notes:
        out.append("")
        out.append(f"{t.notes_heading}:")
        for n in answer.notes:
            out.append(textwrap.indent(textwrap.fill(f"{n.label}: {shorten(n.text, 400)}", width - 4), "  "))
    out.append("")
    out.append(t.disclaimer)
    return "\n".join(out)
