"""Hybrid retrieval: explicit references first, then BM25 (Indonesian analyzer + lexicon) and
dense vectors from Chroma, fused with reciprocal rank fusion."""

from __future__ import annotations

from dataclasses import dataclass

from rag.bm25 import BM25
from rag.index import IndexReader
from rag.instruments import alias_table
from rag.labels import normalize_label
from rag.lexical import Analyzer, fold
from rag.protocols import Embedder
from rag.references import References, find_references
from rag.status import is_revoked
from rag.types import Passage, Unit

RRF_K = 10  # low: the first ranks of each ranker should count clearly more than the tail
POOL = 40  # candidates taken from each ranker before fusion
# The small multilingual model separates legal units poorly (cosine ~0.85-0.9 for most pairs),
# so its votes count less than BM25's; measured on the gold set (scripts/compare_embedders.py).
LEXICAL_WEIGHT = 1.0
DENSE_WEIGHT = 0.5
WHEN_DAMPING = 0.5  # a unit for a situation the question does not name
WHEN_BOOST = 1.3  # ... and one for the situation it does name: the specific rule before the general
# A Pasal's text holds all its children's, so it matches every question about any of them; the
# specific child is the better citation (the parent stays reachable as context).
PARENT_DAMPING = 0.7


@dataclass(frozen=True)
class Retrieval:
    passages: tuple[Passage, ...]
    references: References
    lexical_top: float  # best BM25 score: how much the question's words matched at all
    matched_terms: tuple[str, ...]  # query terms found in the corpus vocabulary
    query_vector: tuple[float, ...] | None = None  # the question's embedding (reused for behaviours)


def as_question(text: str) -> str:
    """The text the embedder reads: chat often drops the final question mark, and the embedder reads
    "… which rules does that break" far from the same words ending in "?", the way the catalogue's
    phrasings are written."""
    stripped = text.rstrip()
    return stripped if not stripped or stripped[-1] in "?.!" else f"{stripped}?"


class HybridRetriever:
    def __init__(self, index: IndexReader, embedder: Embedder, analyzer: Analyzer) -> None:
        self.index = index
        self.embedder = embedder
        self.analyzer = analyzer
        self.bm25 = BM25(index.tokens)
        self._doc_labels = {d.label for d in index.documents.values()}
        self._aliases = alias_table(index.documents.values())
        self._parents = {u.parent_id for u in index.units.values() if u.parent_id}

    def retrieve(self, question: str, k: int = 8) -> list[Passage]:
        return list(self.search(question, k).passages)

    def search(self, question: str, k: int = 8) -> Retrieval:
        folded = fold(question)
        refs = find_references(folded, self._doc_labels, self._aliases)
        explicit = self._explicit_units(refs)

        terms = self.bm25.with_typo_fixes(self.analyzer.query_terms(question, self.bm25.idf.__contains__))
        lexical = self.bm25.search(terms, POOL) if terms else []
        vector = self.embedder.embed_query(as_question(question)) if folded else None
        dense = self.index.store.query(vector, POOL) if vector is not None else []

        scores: dict[str, float] = {}
        lex_rank: dict[str, int] = {}
        dense_rank: dict[str, int] = {}
        for rank, (uid, _) in enumerate(lexical, 1):
            lex_rank[uid] = rank
            scores[uid] = scores.get(uid, 0.0) + LEXICAL_WEIGHT / (RRF_K + rank)
        for rank, (uid, _) in enumerate(dense, 1):
            if uid not in self.index.units:
                continue
            dense_rank[uid] = rank
            scores[uid] = scores.get(uid, 0.0) + DENSE_WEIGHT / (RRF_K + rank)
        # A document named in the question lifts its units; revoked documents sink a little
        # unless named, so the current rule outranks its predecessor.
        named = {self.index.doc_by_label.get(normalize_label(d)) for d in refs.documents}
        padded = f" {folded} "
        stems = {self.analyzer.stemmer.stem(w) for w in folded.split()}
        specific: set[str] = set()
        for uid in list(scores):
            unit = self.index.units[uid]
            doc = self.index.documents[unit.doc_id]
            if unit.doc_id in named:
                scores[uid] *= 1.5
            elif is_revoked(unit, doc) or unit.superseded_by:
                scores[uid] *= 0.8  # history: the current rule (or current text) first
            if unit.when and self._applies(unit.when, padded, stems):
                scores[uid] *= WHEN_BOOST
                specific.add(uid)
            elif unit.when:
                scores[uid] *= WHEN_DAMPING
            if uid in self._parents:
                scores[uid] *= PARENT_DAMPING

        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        passages: list[Passage] = []
        seen: set[str] = set()
        for unit in explicit:
            seen.add(unit.id)
            passages.append(self._passage(unit, 1.0, lex_rank, dense_rank, explicit=True))
        for uid, score in ranked:
            if len(passages) >= k:
                break
            if uid in seen:
                continue
            seen.add(uid)
            passages.append(
                self._passage(self.index.units[uid], score, lex_rank, dense_rank, uid in specific)
            )
        return Retrieval(
            passages=tuple(passages[: max(k, len(explicit))]),
            references=refs,
            lexical_top=lexical[0][1] if lexical else 0.0,
            matched_terms=tuple(self.bm25.known(terms)),
            query_vector=tuple(vector) if vector is not None else None,
        )

    def _passage(
        self,
        unit: Unit,
        score: float,
        lex: dict[str, int],
        dense: dict[str, int],
        specific: bool = False,
        explicit: bool = False,
    ) -> Passage:
        return Passage(
            unit=unit,
            document=self.index.documents[unit.doc_id],
            score=score,
            lexical_rank=lex.get(unit.id),
            dense_rank=dense.get(unit.id),
            explicit=explicit,
            specific=specific,
        )

    def _explicit_units(self, refs: References) -> list[Unit]:
        out: list[Unit] = []
        for ref in refs.units:
            docs = refs.documents
            for doc in docs:
                for label in ref.labels(doc):
                    unit = self.index.unit_by_label(label)
                    # An amended article: its current version first, then the text asked for.
                    current = self.index.versions.current(label)
                    found = [u for u in (current, unit) if u is not None]
                    if found:
                        out.extend(u for u in dict.fromkeys(found) if u not in out)
                        break
                else:
                    continue
                break  # the first document that has the article wins (e.g. among Pilkada laws)
        return out

    def _applies(self, when: tuple[str, ...], padded: str, stems: set[str]) -> bool:
        for phrase in when:
            f = fold(phrase)
            if f and (f" {f} " in padded or (" " not in f and self.analyzer.stemmer.stem(f) in stems)):
                return True
        return False

    def parent(self, unit: Unit) -> Unit | None:
        return self.index.units.get(unit.parent_id) if unit.parent_id else None
