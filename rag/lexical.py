"""Indonesian-aware text analysis for the lexical ranker: normalisation, stopwords, cached Sastrawi
stemming, and the maintained lexicon of colloquial/English terms (knowledge/lexicon.yaml)."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

_TOKEN = re.compile(r"[a-z0-9]+")

# Function words and question words that carry no topic. "boleh"/"tidak" are decided by the
# answerer from the units' norms, not by word overlap, so they are stopwords here.
STOPWORDS_ID = frozenset(
    [
        "yang",
        "dan",
        "di",
        "ke",
        "dari",
        "untuk",
        "dengan",
        "pada",
        "ini",
        "itu",
        "atau",
        "juga",
        "dalam",
        "oleh",
        "sebagai",
        "akan",
        "ada",
        "adalah",
        "apakah",
        "apa",
        "bagaimana",
        "gimana",
        "gmn",
        "kah",
        "bolehkah",
        "boleh",
        "bisa",
        "bisakah",
        "dapat",
        "tidak",
        "tak",
        "gak",
        "ga",
        "gk",
        "nggak",
        "enggak",
        "ngga",
        "engga",
        "kalau",
        "kalo",
        "klo",
        "jika",
        "bila",
        "saya",
        "aku",
        "gue",
        "gw",
        "gua",
        "kami",
        "kita",
        "anda",
        "kamu",
        "min",
        "admin",
        "mas",
        "mbak",
        "pak",
        "bu",
        "bapak",
        "ibu",
        "tolong",
        "mohon",
        "tanya",
        "nanya",
        "dong",
        "sih",
        "ya",
        "yah",
        "kok",
        "deh",
        "lah",
        "nih",
        "tuh",
        "pun",
        "saja",
        "aja",
        "cuma",
        "hanya",
        "sudah",
        "udah",
        "belum",
        "masih",
        "mau",
        "ingin",
        "pengen",
        "seorang",
        "para",
        "hal",
        "tentang",
        "soal",
        "terus",
        "lalu",
        "trs",
        "tsb",
        "tersebut",
        "itu",
        "nya",
        "an",
        "gitu",
        "begitu",
        "sama",
        "kalian",
        "mereka",
        "dia",
        "ia",
        "beliau",
    ]
)
STOPWORDS_EN = frozenset(
    [
        "a",
        "an",
        "the",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "can",
        "could",
        "may",
        "might",
        "must",
        "should",
        "would",
        "will",
        "do",
        "does",
        "did",
        "i",
        "me",
        "my",
        "we",
        "our",
        "you",
        "your",
        "he",
        "she",
        "it",
        "they",
        "them",
        "their",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "by",
        "from",
        "as",
        "or",
        "and",
        "if",
        "what",
        "which",
        "who",
        "how",
        "when",
        "where",
        "why",
        "this",
        "that",
        "these",
        "those",
        "not",
        "no",
        "allowed",
        "there",
        "any",
        "about",
        "am",
        "please",
        "tell",
        # The English of Indonesian stopwords above (kita, cuma/hanya, juga, masih, lalu, sama, seperti,
        # sudah): a word the Indonesian question drops must not dilute the English one's match. Not "his"
        # or "her": "his campaign rally" is the spouse's rally, as "kampanyenya" is.
        "us",
        "its",
        "just",
        "only",
        "also",
        "still",
        "then",
        "into",
        "same",
        "such",
        "has",
        "have",
        "had",
    ]
)
STOPWORDS = STOPWORDS_ID | STOPWORDS_EN


@functools.lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Lower-case, strip accents, and turn every non-alphanumeric character into a space.

    Cached: the same unit conditions and catalogue words are folded for every question."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(_TOKEN.findall(text))


class Stemmer:
    """Sastrawi with a cache: unseen words can take tens of milliseconds each."""

    def __init__(self, cache: dict[str, str] | None = None) -> None:
        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

        self._stemmer: Any = StemmerFactory().create_stemmer()
        self.cache: dict[str, str] = dict(cache or {})

    def stem(self, word: str) -> str:
        hit = self.cache.get(word)
        if hit is None:
            # Digits, short words and ASCII loanwords Sastrawi mangles are kept as they are.
            hit = word if (len(word) <= 3 or word.isdigit()) else (self._stemmer.stem(word) or word)
            self.cache[word] = hit
        return hit


@dataclass
class Lexicon:
    """Groups of phrases that mean the same thing (first item = the corpus's term)."""

    groups: list[list[str]] = field(default_factory=list)
    scope: list[str] = field(default_factory=list)  # phrases that anchor a question in the domain

    @classmethod
    def load(cls, path: Path) -> Lexicon:
        """Read a ``lexicon.yaml`` (at ingest time; queries use the copy in the index generation)."""
        if not path.exists():
            return cls()
        loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it
        return cls.from_dict(yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {})

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Lexicon:
        groups = [[fold(str(t)) for t in g if fold(str(t))] for g in data.get("groups", [])]
        scope = [fold(str(t)) for t in data.get("scope", []) if fold(str(t))]
        return cls([g for g in groups if len(g) > 1], scope)

    def to_dict(self) -> dict[str, Any]:
        return {"groups": self.groups, "scope": self.scope}

    @functools.cached_property
    def words(self) -> frozenset[str]:
        """The one-word members: words a user types that the lexicon reads, so never typos."""
        return frozenset(m for g in self.groups for m in g if " " not in m)

    @functools.cached_property
    def _by_first_word(self) -> dict[str, list[int]]:
        """Group indices by the first word of each member: a group can match only if the question has
        one of them, so each question visits a handful of groups instead of all of them."""
        index: dict[str, list[int]] = {}
        for i, group in enumerate(self.groups):
            for member in group:
                first = member.split()[0]
                if i not in index.setdefault(first, []):
                    index[first].append(i)
        return index

    def expansions(self, folded_query: str) -> list[tuple[str, list[str]]]:
        """(member found in the query, the other members of its group) for every matching group."""
        padded = f" {folded_query} "
        index = self._by_first_word
        candidates = sorted({i for w in set(folded_query.split()) for i in index.get(w, ())})
        out: list[tuple[str, list[str]]] = []
        for group in (self.groups[i] for i in candidates):
            found = [m for m in group if f" {m} " in padded]
            if found:
                out.append((found[0], [m for m in group if f" {m} " not in padded]))
        return out


class Analyzer:
    def __init__(self, stemmer: Stemmer, lexicon: Lexicon | None = None) -> None:
        self.stemmer = stemmer
        self.lexicon = lexicon or Lexicon()

    def tokens(self, text: str) -> list[str]:
        return [self.stemmer.stem(w) for w in fold(text).split() if w not in STOPWORDS]

    def query_terms(self, text: str, known: Callable[[str], bool] | None = None) -> dict[str, float]:
        """Weighted query terms: the question's own words weigh 1, lexicon expansions 0.5, or 1
        when the word they translate is unknown to the corpus (English, slang): then the
        expansion is the only way the question's meaning reaches the index."""
        folded = fold(text)
        weights: dict[str, float] = {}
        for tok in self.tokens(folded):
            weights[tok] = 1.0
        for member, others in self.lexicon.expansions(folded):
            unknown = known is not None and not any(known(t) for t in self.tokens(member))
            weight = 1.0 if unknown else 0.5
            for phrase in others:
                for tok in self.tokens(phrase):
                    weights[tok] = max(weights.get(tok, 0.0), weight)
        return weights
