"""Plain-text rendering of an Answer for the console (the bot renders HTML in bot/render.py)."""

from __future__ import annotations

import textwrap

from rag.types import Answer


def render_answer(answer: Answer, width: int = 100) -> str:
    out = [answer.answer]
    if answer.citations:
        out.append("")
        out.append("Sumber:" if answer.language == "id" else "Sources:")
        for i, c in enumerate(answer.citations, 1):
            status = c.status if not c.replaced_by else f"{c.status}, diganti {c.replaced_by}"
            out.append(f"[{i}] {c.label} — {c.title} ({status})")
            if c.quote:
                body = c.quote if len(c.quote) < 500 else c.quote[:480] + " …"
                out.append(textwrap.indent(textwrap.fill(f"“{body}”", width - 4), "    "))
            if c.source_url:
                out.append(f"    {c.source_url}")
    return "\n".join(out)
