"""Chat spelling → standard words, before matching a question against the behaviour catalogue.

Civil servants type on phones: "pns blh gk nge-like postingan caleg", "sy asn klo ikut kampanye
gmn". The analyzer's stopwords and stemmer expect standard Indonesian, so these forms are
rewritten first. Only whole tokens are replaced, from a table of forms that have one meaning in
this domain; anything else is left as typed (typo correction happens later, against the
vocabulary). Pure functions; the table is data and is tested row by row.
"""

from __future__ import annotations

import functools
import re

# One meaning each in a question about ASN conduct. Keys are lower-case tokens.
ABBREVIATIONS: dict[str, str] = {
    "blh": "boleh",
    # Jakarta spellings of verbs the catalogue writes formally.
    "pinjem": "pinjam",
    "dipinjem": "dipinjam",
    "minjem": "meminjam",
    "minjemin": "meminjamkan",
    "ketemuan": "pertemuan",
    "bleh": "boleh",
    "bolh": "boleh",
    "bole": "boleh",
    "bolee": "boleh",
    "bolehh": "boleh",
    "blhkah": "bolehkah",
    "boleeh": "boleh",
    "gk": "tidak",
    "gak": "tidak",
    "ga": "tidak",
    "ngga": "tidak",
    "nggak": "tidak",
    "enggak": "tidak",
    "engga": "tidak",
    "kagak": "tidak",
    "tdk": "tidak",
    "tak": "tidak",
    "g": "tidak",
    "yg": "yang",
    "sy": "saya",
    "sya": "saya",
    "aq": "aku",
    "ak": "aku",
    "gw": "saya",
    "gue": "saya",
    "klo": "kalau",
    "kalo": "kalau",
    "kl": "kalau",
    "kalu": "kalau",
    "dgn": "dengan",
    "dg": "dengan",
    "utk": "untuk",
    "untk": "untuk",
    "tuk": "untuk",
    "krn": "karena",
    "karna": "karena",
    "sdh": "sudah",
    "udh": "sudah",
    "udah": "sudah",
    "blm": "belum",
    "jd": "jadi",
    "jdi": "jadi",
    "lg": "lagi",
    "aja": "saja",
    "aj": "saja",
    "bgt": "banget",
    "bs": "bisa",
    "bsa": "bisa",
    "dr": "dari",
    "pd": "pada",
    "sm": "sama",
    "org": "orang",
    "tmn": "teman",
    "temen": "teman",
    "kntr": "kantor",
    "ktr": "kantor",
    "skrg": "sekarang",
    "gmn": "bagaimana",
    "gimana": "bagaimana",
    "gmna": "bagaimana",
    "knp": "kenapa",
    "knapa": "kenapa",
    "kmn": "kemana",
    "kmana": "kemana",
    "dmn": "dimana",
    "dmna": "dimana",
    "kpn": "kapan",
    "spa": "siapa",
    "ato": "atau",
    "atw": "atau",
    "mksd": "maksud",
    "krna": "karena",
    "jg": "juga",
    "jgn": "jangan",
    "lpr": "lapor",
    "sblmnya": "sebelumnya",
    "ap": "apa",
    "apkh": "apakah",
    "apakh": "apakah",
    "brp": "berapa",
    "hrs": "harus",
    "msh": "masih",
    "spt": "seperti",
    "tsb": "tersebut",
    "trus": "terus",
    "trs": "terus",
    "mw": "mau",
    "pny": "punya",
    "pnya": "punya",
    "py": "punya",
    "tp": "tapi",
    "tpi": "tapi",
    "dl": "dulu",
    "dlu": "dulu",
    "emg": "memang",
    "emang": "memang",
    "kyk": "kayak",
    "gtu": "begitu",
    "bgmn": "bagaimana",
    "bgm": "bagaimana",
    "sblm": "sebelum",
    "stlh": "setelah",
    "sesudh": "sesudah",
    "nyapres": "mencalonkan presiden",
    "nyaleg": "mencalonkan caleg",
    "nyalon": "mencalonkan",
    "pengen": "ingin",
    "pgn": "ingin",
    "tau": "tahu",
    "tw": "tahu",
    "gpp": "tidak apa apa",
    "gapapa": "tidak apa apa",
    "medsos": "media sosial",
    "sosmed": "media sosial",
    "wa": "whatsapp",
    "ig": "instagram",
    "fb": "facebook",
    "twit": "twitter",
    "timses": "tim sukses",
    "paslon": "pasangan calon",
    "bacalon": "bakal calon",
    "kades": "kepala desa",
    "pemda": "pemerintah daerah",
    "mobdin": "mobil dinas",
    "ranmor": "kendaraan",
    "parpol": "partai politik",
}

# Colloquial verb prefixes on a known base: "nge-like", "ngelike", "ngeshare", "di-share".
_PREFIXED = re.compile(
    r"^(?:nge|ng|di|me)-?(like|share|repost|follow|post|posting|upload|tag|forward|retweet|"
    r"endorse|live|vote|coblos|komen|komentar|dm|chat|save|screenshot|ss)$"
)
# A letter typed three or more times ("bolehhh", "kampanyeee") is one letter.
_STRETCHED = re.compile(r"([a-z])\1{2,}")
# Real words spelt with a tripled letter, which the stretched-letter rule would otherwise collapse
# ("pppk" read as "pk", so no PPPK situation was ever named).
_TRIPLE_LETTER_WORDS = ("pppk",)
_PPPK = re.compile(r"^p{3,}k")
# Not after a "may I" word: "boleh gak pake mobil dinas" asks "may I use it", not "without it".
_WITHOUT = re.compile(
    r"(?<!boleh )(?<!bolehkah )(?<!bisa )(?<!dapat )(?<!apakah )(?<!aman )(?<!gapapa )(?<!salah )"
    r"\btidak (?:pakai|pake|memakai|mengenakan|bawa|membawa|pakai apa apa|ada)\b|\bwithout\b|\bno longer\b"
)
# Chat reduplication: "guru2", "teman2", "bagi2" are "guru-guru", …, and read as the hyphenated form
# folds ("guru guru"): the lexicon's reduplicated phrases ("bagi-bagi uang") then match both spellings.
_REDUPLICATED = re.compile(r"^([a-z]{3,})2$")
_HYPHEN_PREFIX = re.compile(r"\b(nge|ng|di|me)-(?=[a-z])", re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def prepare(question: str) -> str:
    """The question folded (rag.lexical.fold) with chat spellings rewritten. Cached: one answer reads
    the same question (and its clauses) several times, in intent, scope, matching and retrieval."""
    from rag.lexical import fold

    text = normalize_chat(fold(_HYPHEN_PREFIX.sub(r"\1", question)))
    # "ga pake kaos" means "tanpa kaos": keep the negation as a word the catalogue's phrasings share,
    # since "tidak" itself is a stopword.
    return _WITHOUT.sub("tanpa", text)


def normalize_chat(folded: str) -> str:
    """Rewrite chat spellings in an already folded (lower-case, ASCII) question."""
    out: list[str] = []
    for token in folded.split():
        token = _PPPK.sub("pppk", token)
        if not token.startswith(_TRIPLE_LETTER_WORDS):
            token = _STRETCHED.sub(r"\1", token)
        twice = _REDUPLICATED.match(token)
        if twice:
            token = twice.group(1)
        m = _PREFIXED.match(token)
        if m:
            token = m.group(1)
        token = ABBREVIATIONS.get(token, token)
        out.append(f"{token} {token}" if twice else token)
    return " ".join(out)


# Greetings before a question and thanks after it ("pagi kak, …", "… mohon infonya"): they say nothing
# about the act but move the question's embedding (measured: a clean question losing 0.06 of its match).
_LEADING_PLEASANTRIES = re.compile(
    r"^(?:\s*(?:hi|hai|halo|hallo|hello|hey|min|kak|gan|bang|pak|bu|pagi|siang|sore|malam|"
    r"selamat (?:pagi|siang|sore|malam)|permisi|mau tanya|numpang tanya|izin bertanya|izin tanya|"
    r"assalamualaikum(?: wr wb)?|good (?:morning|afternoon|evening))\b[\s,.!:;-]*)+",
    re.IGNORECASE,
)
_TRAILING_PLEASANTRIES = re.compile(
    r"(?:[\s,.!]*\b(?:makasih|makasi|terima ?kasih|thx|thanks|thank you|tq|mohon (?:info(?:nya)?|"
    r"pencerahan(?:nya)?|bantuan(?:nya)?|jawaban(?:nya)?)|min|kak|gan|ya)\b[\s,.!?]*)+$",
    re.IGNORECASE,
)


def strip_pleasantries(question: str) -> str:
    """The question without greetings before it and thanks after it (never empty)."""
    core = _TRAILING_PLEASANTRIES.sub("", _LEADING_PLEASANTRIES.sub("", question)).strip()
    return core or question
