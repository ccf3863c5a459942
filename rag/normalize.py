"""Normalise question text once, at the edge, before intent, scope and retrieval see it.

Copy-paste from web pages, WhatsApp and RTL keyboards brings invisible characters: zero-width
spaces and joiners, the BOM, bidi marks/embeddings/isolates (U+200E/F, U+202A–E, U+2066–9),
soft hyphens. They are Unicode category Cf ("format") and were enough to flip a verdict
(``kampanye\u200b`` is not the word ``kampanye``). NFKC folds compatibility forms (full-width
letters, ligatures, non-breaking spaces) into the plain ones the analyzer knows.

``normalize_text`` is pure and idempotent.
"""

from __future__ import annotations

import re
import unicodedata

# Controls other than the whitespace ones, plus C1 controls: never meaningful in a question.
_CONTROLS = {chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"} | {chr(c) for c in range(0x7F, 0xA0)}
# Invisible or filler characters that are not category Cf but render as nothing.
_INVISIBLE = {"\u034f", "\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"}
# U+FFFC/U+FFFD (object replacement, replacement char) carry nothing either.
_DROP = _CONTROLS | _INVISIBLE | {"\ufffc", "\ufffd"}
_SPACES = re.compile(r"[^\S\n]+")


def _keep(ch: str) -> bool:
    if ch in _DROP:
        return False
    # Cf: format characters (ZWSP, ZWJ, ZWNJ, BOM, bidi controls, soft hyphen, …).
    # Variation selectors (Mn) and tag characters only decorate emoji.
    return unicodedata.category(ch) != "Cf" and not (
        "\ufe00" <= ch <= "\ufe0f" or "\U000e0100" <= ch <= "\U000e01ef"
    )


def normalize_text(text: str) -> str:
    """NFKC, drop invisible format/control characters, collapse runs of spaces (lines kept)."""
    if text.isascii() and text.isprintable():
        return _SPACES.sub(" ", text).strip()
    folded = unicodedata.normalize("NFKC", text)
    kept = "".join(ch for ch in folded if _keep(ch))
    lines = [
        _SPACES.sub(" ", line).strip() for line in kept.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    ]
    return "\n".join(lines).strip()
