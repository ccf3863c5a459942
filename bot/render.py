"""Answer → Telegram HTML messages. Pure functions: no Telegram objects, no I/O.

Every dynamic string goes through ``html.escape`` *after* any splitting, so a split can never
cut an entity (``&amp;``) or a tag in half. Messages are measured as the HTML string itself,
which is never shorter than the text Telegram counts after parsing entities: conservative.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from rag.render_plain import is_cut, key_citations, sanction_line, shorten
from rag.texts import TEXTS
from rag.types import Answer, Citation, Document, Unit, Verdict

TELEGRAM_LIMIT = 4096
QUOTE_CHARS = 180  # citation quotes are a reminder, the full text is one button away
CAVEAT_CHARS = 220  # the main message's caution line; a longer caution is shown whole in "Selengkapnya"
DETAIL_QUOTE_CHARS = 1500  # "Selengkapnya": the whole quote of an ordinary unit; a huge one is cut

Lang = Literal["id", "en"]

VERDICT_LINES: dict[Lang, dict[Verdict, str]] = {
    "id": {
        "dilarang": "⛔ TIDAK BOLEH",
        "boleh": "✅ BOLEH",
        "bersyarat": "⚠️ BOLEH DENGAN SYARAT",
        "tidak_jelas": "❓ TIDAK JELAS",
        "informasi": "ℹ️ INFORMASI",
        "di_luar_cakupan": "🚫 DI LUAR CAKUPAN",
    },
    "en": {
        "dilarang": "⛔ NOT ALLOWED",
        "boleh": "✅ ALLOWED",
        "bersyarat": "⚠️ ALLOWED WITH CONDITIONS",
        "tidak_jelas": "❓ UNCLEAR",
        "informasi": "ℹ️ INFORMATION",
        "di_luar_cakupan": "🚫 OUT OF SCOPE",
    },
}

_WORDS: dict[Lang, dict[str, str]] = {
    "id": {
        "sanctions": "Sanksi",
        "caveats": "Catatan",
        "citations": "Dasar hukum",
        "berlaku": "berlaku",
        "dicabut": "dicabut",
        "replaced": "dicabut, diganti {x}",
        "diubah": "diubah",
        "partly": "dicabut sebagian; ketentuan ini masih berlaku",
        "amended": "diubah dengan {x}",
        "summary": "ringkasan",
        "note": "catatan",
        "footer": "Informasi umum, bukan nasihat hukum.",
        "official": "tautan resmi",
        "document": "Dokumen",
        "not_wording": "Ringkasan/catatan, bukan teks resmi peraturan.",
    },
    "en": {
        "sanctions": "Sanctions",
        "caveats": "Notes",
        "citations": "Legal basis",
        "berlaku": "in force",
        "dicabut": "revoked",
        "replaced": "revoked, replaced by {x}",
        "diubah": "amended",
        "partly": "revoked in part; this provision still applies",
        "amended": "amended by {x}",
        "summary": "summary",
        "note": "note",
        "footer": "General information, not legal advice.",
        "official": "official link",
        "document": "Document",
        "not_wording": "Summary/note, not the official wording of the regulation.",
    },
}


@dataclass(frozen=True)
class Piece:
    """One paragraph or list item: ``prefix + escape(text) + suffix``.

    ``prefix``/``suffix`` are trusted HTML (our own tags, already-escaped values); ``text`` is
    raw and escaped at render time, so it can be split safely. ``sep`` joins the piece to the
    previous one when both land in the same message.
    """

    text: str
    prefix: str = ""
    suffix: str = ""
    sep: str = "\n\n"

    def render(self, text: str | None = None) -> str:
        return self.prefix + html.escape(self.text if text is None else text, quote=False) + self.suffix


def esc(value: str) -> str:
    """Escape a dynamic string for Telegram HTML (quotes too, so it is safe inside attributes)."""
    return html.escape(value, quote=True)


def words(lang: Lang) -> dict[str, str]:
    return _WORDS[lang]


def status_text(status: str, replaced_by: str | None, lang: Lang) -> str:
    """Human status of an instrument, flagging revoked ones with their replacement."""
    w = _WORDS[lang]
    if status == "dicabut":
        return w["replaced"].format(x=replaced_by) if replaced_by else w["dicabut"]
    if status == "dicabut_sebagian":
        return w["partly"]
    if status == "diubah":
        return w["amended"].format(x=replaced_by) if replaced_by else w["diubah"]
    return w["berlaku"]


def _citation_pieces(
    citations: Sequence[Citation],
    lang: Lang,
    with_quote: bool = True,
    heading: str | None = None,
    quote_chars: int = QUOTE_CHARS,
    with_lead_in: bool = False,
) -> list[Piece]:
    w = _WORDS[lang]
    pieces = [Piece("", prefix=f"<b>{esc(heading or w['citations'])}:</b>")]
    seen: set[str] = set()
    for c in citations:
        if c.label in seen:
            continue
        seen.add(c.label)
        status = status_text(c.status, c.replaced_by, lang)
        head = f"• <b>{esc(c.label)}</b> ({esc(status)})"
        if c.status == "dicabut":
            head = "⚠️ " + head[2:]
        if with_quote and c.kind == "wording" and c.quote.strip():
            # A short verbatim reminder; the full unit is behind the "Lihat pasal" button.
            if with_lead_in and c.lead_in.strip():
                # The parent's words a list item needs ("PNS dilarang: … dengan cara:"), as context.
                head += f"\n  [{esc(shorten(c.lead_in, 240))} …]"
            pieces.append(
                Piece(f"“{shorten(c.quote, quote_chars)}”", prefix=head + "\n  <i>", suffix="</i>", sep="\n")
            )
        else:
            # Summaries and notes are ours, not the regulation's words: never shown as a quote.
            pieces.append(
                Piece(
                    "", prefix=f"{head} — {esc(w['summary'] if c.kind == 'summary' else w['note'])}", sep="\n"
                )
            )
    return pieces


def answer_pieces(answer: Answer) -> list[Piece]:
    """The main message of an answer: verdict marker, explanation, key legal basis (short quotes),
    one sanction line, one caution line, footer. Built from the Answer's fields; the full quotes are
    behind the "📜 Lihat pasal" buttons, the rest in ``detail_pieces``."""
    lang: Lang = answer.language
    t = TEXTS[lang]
    w = _WORDS[lang]
    pieces = [Piece("", prefix=f"<b>{esc(VERDICT_LINES[lang][answer.verdict])}</b>")]
    if answer.explanation:
        pieces.append(Piece(answer.explanation))
    for i, part in enumerate(answer.parts, 1):
        head = t.part_heading.format(n=i, title=part.behaviour.title)
        pieces.append(
            Piece(part.explanation, prefix=f"<b>{esc(head)}</b> — {esc(VERDICT_LINES[lang][part.verdict])}\n")
        )
    if answer.conditions:
        pieces.append(Piece("", prefix=f"<b>{esc(t.conditions_heading)}:</b>"))
        pieces.extend(Piece(c, prefix="• ", sep="\n") for c in answer.conditions)
    keys = key_citations(answer)
    if keys:
        heading = t.closest_heading if answer.abstained else None
        pieces.extend(_citation_pieces(keys, lang, with_quote=True, heading=heading))
    if answer.sanctions:
        line = t.sanction_or.join(sanction_line(s, t) for s in answer.sanctions[:3])
        pieces.append(Piece(line, prefix=f"<b>{esc(t.sanction_heading)}:</b> "))
    if answer.caveats:
        pieces.append(
            Piece(shorten(answer.caveats[0], CAVEAT_CHARS), prefix=f"<b>{esc(t.caveat_heading)}:</b> ")
        )
    if not answer.refusal:
        pieces.append(Piece(w["footer"], prefix="<i>", suffix="</i>"))
    return pieces


def detail_pieces(answer: Answer) -> list[Piece]:
    """What "Selengkapnya" shows: every source with its status, other cautions, curated notes."""
    lang: Lang = answer.language
    t = TEXTS[lang]
    pieces: list[Piece] = []
    if answer.citations:
        pieces.extend(
            _citation_pieces(
                answer.citations, lang, with_quote=True, quote_chars=DETAIL_QUOTE_CHARS, with_lead_in=True
            )
        )
    # The main message cuts a long first caution; here it is whole.
    first_cut = bool(answer.caveats) and is_cut(answer.caveats[0], CAVEAT_CHARS)
    extra_caveats = answer.caveats if first_cut else answer.caveats[1:]
    if extra_caveats:
        pieces.append(Piece("", prefix=f"<b>{esc(t.caveat_heading)}:</b>"))
        pieces.extend(Piece(c, prefix="• ", sep="\n") for c in extra_caveats)
    if answer.notes:
        pieces.append(Piece("", prefix=f"<b>{esc(t.notes_heading)}:</b>"))
        pieces.extend(
            Piece(shorten(n.text, 500), prefix=f"• <b>{esc(n.label)}</b>: ", sep="\n") for n in answer.notes
        )
    return pieces


def render_answer(answer: Answer, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Render an Answer as Telegram HTML messages, each at most ``limit`` characters."""
    return pack(answer_pieces(answer), limit)


def unit_pieces(unit: Unit, document: Document, lang: Lang = "id") -> list[Piece]:
    """The verbatim text of one unit with its label, status and official link."""
    w = _WORDS[lang]
    status = status_text(document.status, document.replaced_by, lang)
    pieces = [
        Piece("", prefix=f"📜 <b>{esc(unit.label)}</b>"),
        Piece(f"{document.label} — {document.title} ({status})", prefix=f"{esc(w['document'])}: ", sep="\n"),
    ]
    if unit.text_kind != "wording":
        pieces.append(Piece(w["not_wording"], prefix="<i>", suffix="</i>", sep="\n"))
    if unit.lead_in.strip():
        pieces.append(Piece(unit.lead_in.strip(), prefix="<i>", suffix="</i>"))
    pieces.extend(Piece(p) for p in _paragraphs(unit.text))
    if document.source_url:
        pieces.append(Piece("", prefix=f'<a href="{esc(document.source_url)}">{esc(w["official"])}</a>'))
    return pieces


def documents_pieces(documents: Iterable[Document], lang: Lang = "id") -> list[Piece]:
    """One line per document: label, title, status and official link."""
    w = _WORDS[lang]
    pieces: list[Piece] = []
    for d in documents:
        status = status_text(d.status, d.replaced_by, lang)
        link = f' — <a href="{esc(d.source_url)}">{esc(w["official"])}</a>' if d.source_url else ""
        pieces.append(
            Piece(f"{d.title} ({status})", prefix=f"• <b>{esc(d.label)}</b>: ", suffix=link, sep="\n")
        )
    return pieces


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def pack(pieces: Sequence[Piece], limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Pack pieces into as few messages as fit in ``limit``, splitting only between pieces
    (or, for a piece too long on its own, between words of its raw text)."""
    messages: list[str] = []
    current = ""
    for piece in pieces:
        for part in _fit(piece, limit):
            if not current:
                current = part
            elif len(current) + len(piece.sep) + len(part) <= limit:
                current += piece.sep + part
            else:
                messages.append(current)
                current = part
    if current:
        messages.append(current)
    return messages


def _fit(piece: Piece, limit: int) -> list[str]:
    """Render a piece as one or more strings each ≤ limit, splitting its raw text on words."""
    whole = piece.render()
    if len(whole) <= limit:
        return [whole]
    budget = limit - len(piece.prefix) - len(piece.suffix)
    if budget < 8:
        raise ValueError(f"limit {limit} too small for a piece's markup")
    parts: list[str] = []
    chunk = ""
    for token in re.findall(r"\S+\s*", piece.text):
        candidate = chunk + token
        if len(html.escape(candidate.rstrip(), quote=False)) <= budget:
            chunk = candidate
            continue
        if chunk.strip():
            parts.append(chunk.rstrip())
        chunk = ""
        # A single "word" longer than the budget (a URL, a run of symbols): cut by characters.
        for ch in token:
            if len(html.escape(chunk + ch, quote=False)) > budget:
                parts.append(chunk)
                chunk = ""
            chunk += ch
    if chunk.strip():
        parts.append(chunk.rstrip())
    return [piece.render(p) for p in parts]


def html_to_plain(message: str) -> str:
    """Plain-text fallback of a message we rendered: drop our tags, unescape the text."""
    # Keep link targets visible: "<a href="u">t</a>" → "t (u)".
    linked = re.sub(r'<a href="([^"]*)">(.*?)</a>', r"\2 (\1)", message)
    return html.unescape(re.sub(r"<[^>]+>", "", linked))
