"""Seeded, meaning-preserving noisy variants of gold questions (``netral eval --perturb N``).

Every function is pure: the same question and seed give the same variant. Rules that keep the
meaning: numbers and regulation references ("94/2021", "Pasal 5") are never touched; negations
are only replaced by their chat spellings (tidak → gk/tdk/nggak), never dropped or misspelt;
typos only hit longer plain words; greetings are added around the question, not inside it."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# Chat abbreviations people really type; each maps a word to spellings with the same meaning.
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "boleh": ("blh", "boleh"),
    "bolehkah": ("blh gk", "bolehkah"),
    "tidak": ("gk", "tdk", "nggak"),
    "enggak": ("gk", "nggak"),
    "yang": ("yg",),
    "saya": ("sy", "aku"),
    "kalau": ("klo", "kalo"),
    "sudah": ("udh", "sdh"),
    "belum": ("blm",),
    "bagaimana": ("gmn", "gimana"),
    "dengan": ("dgn",),
    "untuk": ("utk", "buat"),
    "juga": ("jg",),
    "saja": ("aja",),
    "banget": ("bgt",),
    "apakah": ("apa",),
    "karena": ("krn",),
    "sama": ("sm",),
    "tapi": ("tp",),
    "bisa": ("bs",),
}
# Words a typo must never hit: negations and short function words whose misspelling changes or
# hides the meaning, plus the subjects and key terms the whole question hangs on.
PROTECTED = frozenset(
    {"tidak", "bukan", "jangan", "belum", "tanpa", "gk", "tdk", "nggak", "not", "no", "dan", "atau"}
)
GREETINGS_BEFORE: tuple[str, ...] = ("min, ", "pagi kak, ", "halo min ", "permisi, ", "hi, ", "mau tanya, ")
GREETINGS_AFTER: tuple[str, ...] = (" makasih", " terima kasih min", " thx", " mohon infonya")

_WORD = re.compile(r"[A-Za-zÀ-ÿ]+|[^A-Za-zÀ-ÿ]+")
_PUNCT = re.compile(r"[?!.,;:]")
MIN_TYPO_LEN = 6  # shorter words stay intact: a typo in "PNS" or "like" changes what is asked


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text)


def _is_word(token: str) -> bool:
    return token[:1].isalpha()


def _typo_candidate(token: str) -> bool:
    return (
        _is_word(token)
        and len(token) >= MIN_TYPO_LEN
        and token.lower() not in PROTECTED
        and token.lower() not in ABBREVIATIONS
        and not token.isupper()  # acronyms (ASN, PPPK, KPU) carry the meaning
    )


def typo_word(word: str, rng: random.Random) -> str:
    """One swap, drop or doubled letter inside the word (first and last letters kept)."""
    i = rng.randrange(1, len(word) - 2)
    kind = rng.choice(("swap", "drop", "double"))
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def add_typos(text: str, rng: random.Random, max_typos: int = 2) -> str:
    tokens = _tokens(text)
    candidates = [i for i, t in enumerate(tokens) if _typo_candidate(t)]
    for i in rng.sample(candidates, min(max_typos, len(candidates))):
        tokens[i] = typo_word(tokens[i], rng)
    return "".join(tokens)


def abbreviate(text: str, rng: random.Random) -> str:
    """Replace known words by a chat spelling of the same word (case-insensitive)."""
    out: list[str] = []
    for token in _tokens(text):
        options = ABBREVIATIONS.get(token.lower())
        out.append(rng.choice(options) if options else token)
    return "".join(out)


def flatten(text: str, rng: random.Random) -> str:
    """Lowercase, no sentence punctuation (the slash of "94/2021" and brackets stay)."""
    del rng
    return re.sub(r"\s+", " ", _PUNCT.sub("", text)).strip().lower()


def greet(text: str, rng: random.Random) -> str:
    """A greeting before the question, a thanks after it, or both."""
    where = rng.choice(("before", "after", "both"))
    if where in ("before", "both"):
        text = rng.choice(GREETINGS_BEFORE) + text[:1].lower() + text[1:]
    if where in ("after", "both"):
        text = text.rstrip() + rng.choice(GREETINGS_AFTER)
    return text


Rule = Callable[[str, random.Random], str]
RULES: dict[str, Rule] = {"typo": add_typos, "abbrev": abbreviate, "flat": flatten, "greet": greet}


@dataclass(frozen=True)
class Variant:
    text: str
    rules: tuple[str, ...]  # which rules made it, in order


def perturb(question: str, seed: int, index: int) -> Variant:
    """Variant ``index`` of ``question``: two or three rules in a seeded order. Deterministic for
    (question, seed, index); different indexes give (usually) different variants."""
    rng = random.Random(f"{seed}:{index}:{question}")
    names = rng.sample(sorted(RULES), rng.choice((2, 3)))
    # Flattening and greetings read most naturally last; typos must come after abbreviation so
    # an abbreviation is never misspelt into something unreadable.
    order = ("abbrev", "typo", "flat", "greet")
    names = [n for n in order if n in names]
    text = question
    for name in names:
        text = RULES[name](text, rng)
    if text == question:  # e.g. nothing to abbreviate and no long word: always change something
        names.append("greet")
        text = greet(text, rng)
    return Variant(text=text, rules=tuple(names))


def variants(question: str, n: int, seed: int) -> list[Variant]:
    return [perturb(question, seed, i) for i in range(n)]


PROTECTED_PATTERNS = (re.compile(r"\d+(?:/[\w-]+)*"),)


def preserved_numbers(original: str, variant: str) -> bool:
    """Every number / regulation reference of the original occurs unchanged in the variant."""
    return all(m.group(0) in variant for pattern in PROTECTED_PATTERNS for m in pattern.finditer(original))


def negations_kept(
    original: str, variant: str, spellings: Sequence[str] = ("tidak", "gk", "tdk", "nggak")
) -> bool:
    """Each 'tidak' of the original is still a negation (any of its spellings) in the variant."""
    count = len(re.findall(r"\btidak\b", original, re.IGNORECASE))
    found = sum(len(re.findall(rf"\b{s}\b", variant, re.IGNORECASE)) for s in spellings)
    return found >= count
