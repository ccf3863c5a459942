"""Tell an English question from an Indonesian one, well enough to pick the reply language.

Counting common function words is enough here: users write either Bahasa Indonesia or
English, both share legal terms ("PNS", "Pasal", "ASN"), and a model-free rule is
deterministic for the tests and the extractive path alike. Ties go to Indonesian, the
product's default language.
"""

from __future__ import annotations

import re
from typing import Literal

Language = Literal["id", "en"]

# Short, frequent words that rarely occur in the other language. Words shared by both
# ("di" is not English, but "a", "i" or "me" could appear in Indonesian abbreviations)
# are left out so a mixed question is not tipped by noise.
_EN_WORDS = frozenset(
    """
    the a an is are was were be been am do does did can could may might must should would will
    i you he she we they it my your our their me him her us them this that these those
    what which who whom whose when where why how if or and but not no of to in on for with
    about from at by as allowed forbidden permitted civil servant servants please any there
    """.split()  # noqa: SIM905 - a word block reads better than 70 quoted strings
)
_ID_WORDS = frozenset(
    """
    yang dan di ke dari untuk dengan pada dalam tidak bukan apakah apa bagaimana kenapa mengapa
    boleh dilarang saya aku kami kita anda kamu dia mereka ini itu jika kalau atau juga sudah
    belum akan bisa dapat harus kah ya ga gak nggak adalah oleh karena seorang sebagai
    tentang bagi kalo mau ikut
    """.split()  # noqa: SIM905
)
_WORD = re.compile(r"[a-zA-Z]+")


def detect_language(text: str) -> Language:
    """``"en"`` when the text has more English than Indonesian function words, else ``"id"``."""
    words = [w.lower() for w in _WORD.findall(text)]
    en = sum(w in _EN_WORDS for w in words)
    idn = sum(w in _ID_WORDS for w in words)
    return "en" if en > idn else "id"
