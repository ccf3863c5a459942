"""Okapi BM25 over pre-tokenised units, with typo correction of unknown query words."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from rag.typos import CloseMatch


class BM25:
    """Okapi BM25 over pre-tokenised documents."""

    def __init__(self, docs: Mapping[str, Sequence[str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.ids = list(docs)
        self.tf = [Counter(docs[i]) for i in self.ids]
        self.len = [len(docs[i]) for i in self.ids]
        self.avg = (sum(self.len) / len(self.len)) if self.len else 1.0
        df: Counter[str] = Counter()
        for tf in self.tf:
            df.update(tf.keys())
        n = len(self.ids)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self._vocab = CloseMatch(t for t in self.idf if len(t) >= 4 and not t.isdigit())
        self._fixes: dict[str, str] = {}
        self.postings: dict[str, list[int]] = {}
        for idx, tf in enumerate(self.tf):
            for t in tf:
                self.postings.setdefault(t, []).append(idx)

    def search(self, terms: dict[str, float], k: int) -> list[tuple[str, float]]:
        scores: dict[int, float] = {}
        for term, weight in terms.items():
            idf = self.idf.get(term)
            if idf is None:
                continue
            for idx in self.postings[term]:
                f = self.tf[idx][term]
                norm = f * (self.k1 + 1) / (f + self.k1 * (1 - self.b + self.b * self.len[idx] / self.avg))
                scores[idx] = scores.get(idx, 0.0) + weight * idf * norm
        best = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
        return [(self.ids[i], s) for i, s in best]

    def known(self, terms: Iterable[str]) -> list[str]:
        return [t for t in terms if t in self.idf]

    def with_typo_fixes(self, terms: dict[str, float]) -> dict[str, float]:
        """Add the nearest corpus word for each unknown query word ("whatsap" -> "whatsapp")."""
        out = dict(terms)
        for term, weight in terms.items():
            if term in self.idf or len(term) < 5 or term.isdigit():
                continue
            fix = self._fixes.get(term)
            if fix is None:
                fix = self._vocab.best(term, 0.84) or ""
                self._fixes[term] = fix
            if fix:
                out.setdefault(fix, weight * 0.7)
        return out
