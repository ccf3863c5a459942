"""The default answerer: deterministic, no LLM.

question → intent (rag/intent.py) → units (rag/retrieval.py) and behaviours (rag/behaviour_match.py)
→ verdict rules (rag/decide.py, pure) → a structured Answer. A conduct question is answered from the
best-matching behaviour of the catalogue: its verdict, explanation, basis units and sanction routes.
A factual question (an article, a status, a procedure) is answered from the units themselves. When
no behaviour matches, the answer says so and shows the closest rules instead of borrowing a verdict.
Citations are regulation units from the index only; curated notes are notes, never legal basis.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from rag.behaviour_match import BehaviourMatcher, Match
from rag.behaviours import Behaviour
from rag.citations import citation_for
from rag.decide import Candidate, Decision, Evidence, Thresholds, applicable, decide
from rag.index import IndexReader
from rag.intent import INTENT_WORDS, Intent, asks_about_asn_conduct, read_intent
from rag.language import detect_language
from rag.lexical import STOPWORDS, Analyzer, fold
from rag.pinpoint import children_in, most_specific
from rag.protocols import Searcher, UnitIndex
from rag.render_plain import main_text
from rag.retrieval import Retrieval
from rag.slang import prepare, strip_pleasantries
from rag.texts import TEXTS, Texts
from rag.types import (
    Answer,
    AnswerPart,
    BehaviourMatch,
    Citation,
    Note,
    Passage,
    Refusal,
    SanctionRef,
    Unit,
    Verdict,
)
from rag.typos import MIN_LEN as MIN_TYPO_LEN
from rag.typos import CloseMatch, correct, likeliest_slip

MAX_QUESTION_CHARS = 1500  # longer input is answered from its beginning
MAX_CITATIONS = 6
MAX_KEY = 3
PARENT_MAX_CHARS = 1200  # an informational answer may show a whole Pasal up to this size
# More restrictive first: a two-part answer's overall verdict is its most restrictive part's.
RESTRICTIVENESS: tuple[Verdict, ...] = ("dilarang", "tidak_jelas", "bersyarat", "boleh", "informasi")
_CLAUSE_SPLIT = re.compile(
    r"\?|;|\b(?:dan|serta|terus|trus|trs|lalu|juga|jg|sekalian|plus|kemudian|and|also|then)\b", re.IGNORECASE
)
MIN_CLAUSE_WORDS = 3
# A clause that says an act was *not* done ("… dan fotonya tidak saya unggah") describes the first act's
# circumstances; it is not a second behaviour to answer. "boleh tidak …" / "… atau tidak" ask, not deny.
_NEGATIONS = frozenset({"tidak", "tak", "bukan", "belum", "not", "never", "didnt", "dont", "havent"})
_ASKING_AROUND_NEGATION = frozenset(
    {"boleh", "bisa", "apakah", "atau", "or", "kan", "ya", "sih", "dong", "kah"}
)
_NOT_A_DENIAL = frozenset({"sengaja", "tahu", "tau", "paham"})  # "tidak sengaja ikut" still did it
# Norms of retrieved units that agree with a verdict (such units are added as further sources).
_AGREEING: dict[str, tuple[str, ...]] = {
    "dilarang": ("prohibition", "sanction"),
    "bersyarat": ("conditional", "obligation"),
    "tidak_jelas": ("prohibition", "conditional", "uncertain"),
    "boleh": ("permission",),
}

# Built-in anchors; knowledge/lexicon.yaml ``scope:`` extends them (folded phrases).
DEFAULT_SCOPE = (
    "netralitas",
    "sanksi",
    "kampanye",
    "pemilu",
    "pilkada",
    "partai politik",
    "kode etik",
    "hukuman disiplin",
)


@dataclass(frozen=True)
class _Matched:
    decision: Decision
    matches: dict[str, Match]
    ranked: list[tuple[Match, float]]  # applicable entries with effective scores, best first


class ExtractiveAnswerer:
    def __init__(
        self,
        retriever: Searcher,
        index: UnitIndex,
        analyzer: Analyzer,
        k: int = 8,
        matcher: BehaviourMatcher | None = None,
        thresholds: Thresholds | None = None,
    ) -> None:
        self.retriever = retriever
        self.index = index
        self.k = k
        self._analyzer = analyzer
        self.thresholds = thresholds or Thresholds()
        if matcher is None:
            assert isinstance(index, IndexReader), "a fake index needs an explicit matcher"
            cat = index.catalogue
            matcher = BehaviourMatcher(
                cat.behaviours, cat.tokens, analyzer, cat.vectors, cat.owners, phrases=cat.phrases
            )
        self.matcher = matcher
        self._by_id = {b.id: b for b in matcher.behaviours}
        # Which entries each entry narrows, from either side of the relation.
        general: dict[str, set[str]] = {b.id: set(b.more_general) for b in matcher.behaviours}
        for b in matcher.behaviours:
            for narrower in b.more_specific:
                general.setdefault(narrower, set()).add(b.id)
        self._general = {k: tuple(sorted(v)) for k, v in general.items() if v}
        phrases = {fold(p) for p in (*DEFAULT_SCOPE, *analyzer.lexicon.scope)} - {""}
        self._scope_phrases = {p for p in phrases if " " in p}
        self._scope_stems = {analyzer.stemmer.stem(p) for p in phrases if " " not in p} | {
            p for p in phrases if " " not in p
        }
        self._scope_words = CloseMatch(p for p in phrases if " " not in p and len(p) >= 4)
        self._scope_vocab = sorted({w for p in phrases for w in p.split() if len(w) >= MIN_TYPO_LEN})
        # Built on first use: the corpus words a typo in a question may be read as (see _one_slip_fix).
        self._surface: dict[tuple[str, int], list[tuple[str, float]]] | None = None
        self._intent_words: dict[tuple[str, int], list[str]] = {}
        for w in sorted(INTENT_WORDS):
            self._intent_words.setdefault((w[0], len(w)), []).append(w)
        self._unit_words: set[str] = set()

    def behaviour_ids(self) -> list[str]:
        return [b.id for b in self.matcher.behaviours]

    # ------------------------------------------------------------------ public
    def answer(self, question: str, previous_question: str | None = None) -> Answer:
        q = " ".join(question.split())[:MAX_QUESTION_CHARS]
        lang = detect_language(q)
        t = TEXTS[lang]
        # Read without greetings and thanks: "… dasar hukumnya apa makasih" still ends in "apa".
        intent = read_intent(self._intent_text(prepare(strip_pleasantries(q))))
        if intent.empty:
            return self._refuse(question, lang, "empty", t.empty)
        if intent.injection:
            return self._refuse(question, lang, "injection", t.injection)
        if intent.opinion:
            return self._refuse(question, lang, "opinion", t.opinion)

        query = q
        if previous_question and (intent.follow_up or len(fold(q).split()) <= 3):
            query = f"{' '.join(previous_question.split())[:MAX_QUESTION_CHARS]} {q}"
        # Retrieval and the behaviour match read the question with greetings dropped and one-slip typos
        # of corpus words corrected; intent was read from what the user typed.
        search = self._search_text(query)
        retrieval = self.retriever.search(search, self.k)
        matched = self._match(search, intent, retrieval)
        decision = matched.decision
        if decision.rule == "out-of-scope":
            return self._refuse(question, lang, "out_of_scope", t.out_of_scope, retrieval.passages)
        if (
            decision.rule == "factual"
            and not decision.behaviours
            and self._unit_coverage(query, retrieval) < 0.5
        ):
            # A factual question that neither the catalogue nor the units' words cover (how to vote from
            # abroad, how to move polling stations): say so instead of showing loosely related rules.
            decision = Decision("informasi", "abstain", abstained=True)
        if decision.rule == "explicit" or (decision.rule == "factual" and not decision.behaviours):
            answer = self._from_units(question, lang, t, intent, retrieval)
        elif decision.abstained:
            answer = self._abstain(question, lang, t, decision, matched, retrieval)
        else:
            answer = self._from_behaviours(question, lang, t, decision, matched, retrieval, intent)
            # "Are part-time PPPK also bound …" is one question, and so is one whose stated condition
            # ("the pension decree is in force") answers it.
            if decision.rule not in ("group-named", "condition-met", "condition-unmet"):
                answer = self._two_parts(answer, query, intent, retrieval, lang, t, matched)
            answer = self._status_part(answer, matched, lang)
        considered = tuple(self._bm(m.behaviour, score, lang) for m, score in matched.ranked[:5])
        return replace(answer, answer=main_text(answer), considered=considered)

    def _intent_text(self, prepared: str) -> str:
        """The prepared question with one-slip typos of intent words fixed ("who shold i vote for",
        "akibanya apa"), but only in words neither the catalogue nor the units know."""
        out = []
        for word in prepared.split():
            if (
                len(word) >= MIN_TYPO_LEN
                and word not in INTENT_WORDS
                and word.isalpha()
                and not self.matcher.known(word)
                and (
                    fix := correct(word, self._intent_words.get((word[0], len(word)), ()))
                    or correct(word, self._intent_words.get((word[0], len(word) + 1), ()))
                    or correct(word, self._intent_words.get((word[0], len(word) - 1), ()))
                )
            ):
                out.append(fix)
            else:
                out.append(word)
        return " ".join(out)

    def _search_text(self, query: str) -> str:
        """What retrieval (and so the query embedding the matcher shares) sees: the question without
        greetings and thanks, with words no catalogue entry or unit knows replaced by the catalogue word
        they are one typo from ("menghhadiri" → "hadir"). The embedding of a typo'd question drifts
        far more than its words do; the lexical matcher corrects its own words the same way."""
        core = strip_pleasantries(query)
        stem = self._analyzer.stemmer.stem
        if self._surface is None:
            self._surface = self._corpus_words()
        out = []
        for token in core.split():
            word = fold(token)
            if (
                len(word) >= MIN_TYPO_LEN
                and word.isalpha()
                and word not in STOPWORDS
                and not self.matcher.known(word)
                and word not in self._analyzer.lexicon.words  # "villagers" is a synonym, not "village"
                and stem(word) not in self._unit_words
                # A five-letter word is read only as a one-slip typo ("banos" → "bansos"); the looser
                # similarity fix needs a longer word, and a word the units or several entries use:
                # "demokrasi" is not the "deklrasi" one example misspells.
                and (
                    fix := self._one_slip_fix(word)
                    or (len(word) > MIN_TYPO_LEN and self._common_fix(word, stem(word)))
                )
            ):
                out.append(fix)
            else:
                out.append(token)
        return " ".join(out)

    def _common_fix(self, word: str, stemmed: str) -> str | None:
        fix = self.matcher._fix(word, stemmed)
        if fix and (
            self._analyzer.stemmer.stem(fix) in self._unit_words or self.matcher.entries_with(fix) > 1
        ):
            return fix
        return None

    def _corpus_words(self) -> dict[tuple[str, int], list[tuple[str, float]]]:
        """Surface words of the units (taken before any question adds to the stemmer's cache), by
        first letter and length, each with its stem's IDF."""
        bm25 = getattr(self.retriever, "bm25", None)
        idf: dict[str, float] = dict(bm25.idf) if bm25 is not None else {}
        self._unit_words = set(idf)
        buckets: dict[tuple[str, int], list[tuple[str, float]]] = {}
        for w, st in sorted(self._analyzer.stemmer.cache.items()):
            if st in idf and w.isalpha() and len(w) >= MIN_TYPO_LEN and w not in STOPWORDS:
                buckets.setdefault((w[0], len(w)), []).append((w, idf[st]))
        return buckets

    def _one_slip_fix(self, word: str) -> str | None:
        """The corpus word one slip from ``word`` (regulation text, not the catalogue's deliberately
        misspelt example phrasings); of several, the most common ("pemlu" is "pemilu", not "perlu")."""
        surface = self._surface or {}
        return likeliest_slip(
            word,
            (c for n in (len(word), len(word) - 1, len(word) + 1) for c in surface.get((word[0], n), ())),
        )

    # ------------------------------------------------------------------ matching and deciding
    def evidence(
        self,
        query: str,
        intent: Intent,
        retrieval: Retrieval,
        matches: list[Match],
        in_scope: bool | None = None,
    ) -> Evidence:
        """``in_scope`` given (a clause of a question already in scope) skips the scope check."""
        factual = intent.informational and not intent.permission
        return Evidence(
            candidates=tuple(
                Candidate(
                    m.behaviour.id,
                    m.behaviour.verdict,
                    m.score,
                    m.behaviour.situational,
                    m.situation_named,
                    self._general.get(m.behaviour.id, ()),
                    m.situations,
                    m.behaviour.group_rule,
                    m.condition_met,
                    m.condition_unmet,
                )
                for m in matches
            ),
            in_scope=self._in_scope(query, retrieval, matches) if in_scope is None else in_scope,
            # Naming an article or an instrument ("masih berlaku PP 53/2010?") asks about the text.
            explicit_reference=bool(retrieval.references.units or retrieval.references.documents),
            factual=factual,
            asks_sanction=intent.asks_sanction or intent.consequence,
            permission=intent.permission,
            favouring=intent.favouring,
            words=len(self.matcher.content_words(query)),
        )

    def _match(self, query: str, intent: Intent, retrieval: Retrieval) -> _Matched:
        matches = self.matcher.match(query, retrieval.query_vector)
        evidence = self.evidence(query, intent, retrieval, matches)
        decision = decide(evidence, self.thresholds)
        by_id = {m.behaviour.id: m for m in matches}
        ranked = [(by_id[c.id], s) for c, s in applicable(evidence, self.thresholds)]
        return _Matched(decision, by_id, ranked)

    def _in_scope(self, query: str, retrieval: Retrieval, matches: list[Match]) -> bool:
        if retrieval.references.units or retrieval.references.documents:
            return True
        if not retrieval.passages and not matches:
            return False
        folded = prepare(query)
        # A "may I …" question that matches a behaviour is about ASN conduct even without an election
        # word ("boleh ikut survei elektabilitas?"); any other question needs an anchor.
        if read_intent(folded).permission and any(
            m.score >= self.thresholds.match for m in matches[:3] if not m.behaviour.situational
        ):
            return True
        if self._anchored(folded) or asks_about_asn_conduct(self._intent_text(folded)):
            return True
        # A typo must not push an in-scope question out ("pemlu", "pilakda", "melaprokan", "saksi moral",
        # "cuti di luar tanggunagn negara"): words one slip from an anchor's word are read as that word,
        # and a word close to a one-word anchor counts, and so do the matcher's typo fixes.
        words = folded.split()
        corrected = " ".join(
            w if w in self._scope_vocab else (correct(w, self._scope_vocab) or w) for w in words
        )
        if corrected != folded and self._anchored(corrected):
            return True
        unknown = [w for w in words if len(w) >= 4 and not self.matcher.known(w)]
        if any(self._scope_words.best(w, 0.75) for w in unknown):
            return True
        return any(
            self._analyzer.stemmer.stem(fix) in self._scope_stems
            for w in words
            if len(w) >= 4
            and not self.matcher.known(w)
            and (fix := self.matcher._fix(w, self._analyzer.stemmer.stem(w)))
        )

    def _anchored(self, folded: str) -> bool:
        padded = f" {folded} "
        if any(f" {p} " in padded for p in self._scope_phrases):
            return True
        return any(
            w in self._scope_stems
            or w.removesuffix("s") in self._scope_stems
            or self._analyzer.stemmer.stem(w) in self._scope_stems
            for w in folded.split()
        )

    def _unit_coverage(self, query: str, retrieval: Retrieval) -> float:
        """The IDF-weighted share of the question's content words found in its two best units."""
        tokens = getattr(self.index, "tokens", None)
        bm25 = getattr(self.retriever, "bm25", None)
        if tokens is None or bm25 is None or not retrieval.passages:
            return 1.0 if retrieval.passages else 0.0
        words = {self._analyzer.stemmer.stem(w) for w in self.matcher._content_words(prepare(query))}
        if not words:
            return 1.0
        found: set[str] = set()
        for p in retrieval.passages[:2]:
            found |= set(tokens.get(p.unit.id, ()))
        idf_max = max(bm25.idf.values(), default=1.0)
        total = sum(bm25.idf.get(w, idf_max) for w in words)
        return sum(bm25.idf.get(w, idf_max) for w in words if w in found) / total if total else 1.0

    # ------------------------------------------------------------------ behaviour answers
    def _from_behaviours(
        self,
        question: str,
        lang: str,
        t: Texts,
        decision: Decision,
        matched: _Matched,
        retrieval: Retrieval,
        intent: Intent,
    ) -> Answer:
        entries = [self._by_id[i] for i in decision.behaviours]
        best = entries[0]
        scores = dict(zip(decision.behaviours, decision.scores, strict=False))
        if decision.rule in ("asymmetric-risk", "weak-boleh") and len(entries) > 1:
            first, second = entries[0], entries[1]
            explanation = t.two_readings.format(
                first=first.explanation.get(lang), second=second.explanation.get(lang)
            )
        elif decision.rule == "condition-breached":
            explanation = t.condition_breached.format(explanation=best.explanation.get(lang))
        elif decision.rule == "condition-met":
            explanation = t.condition_met.format(explanation=best.explanation.get(lang))
        elif decision.rule == "condition-unmet":
            explanation = t.condition_unmet.format(explanation=best.explanation.get(lang))
        else:
            explanation = best.explanation.get(lang)
        units = self._basis_units(entries)
        sanctions: list[SanctionRef] = []
        if decision.verdict != "boleh":
            for b in entries:
                if b.verdict != "boleh":
                    sanctions.extend(_sanctions_of(b, lang))
        for s in sanctions:
            for label in s.basis[:2]:
                unit = self.index.unit_by_label(label)
                if unit is not None and unit not in units:
                    units.append(unit)
        citations = self._citations(units)
        key = tuple(c.label for c in citations if c.label in {lab for b in entries for lab in b.basis})[
            :MAX_KEY
        ]
        caveats = self._behaviour_caveats(t, lang, entries, citations)
        return Answer(
            question=question,
            verdict=decision.verdict,
            citations=citations,
            sanctions=tuple(_merge_by_level(sanctions))[:3],
            caveats=caveats,
            language=_lang(lang),
            behaviours=tuple(
                self._bm(b, scores.get(b.id, matched.matches[b.id].score), lang) for b in entries
            ),
            explanation=explanation,
            conditions=tuple(c.get(lang) for b in entries[:1] for c in b.conditions),
            key=key,
            notes=self._notes([lab for b in entries for lab in b.notes]),
            rule=decision.rule,
            retrieved=retrieval.passages,
        )

    def _two_parts(
        self,
        answer: Answer,
        query: str,
        intent: Intent,
        retrieval: Retrieval,
        lang: str,
        t: Texts,
        matched: _Matched,
    ) -> Answer:
        """A question naming two behaviours gets both answered, each from its own clause."""
        if not answer.behaviours:
            return answer
        # Entries the whole question (words and meaning) puts close behind the answered one: a clause
        # whose own best entry is one of them names a second act even when its words alone score low
        # ("…naik mobil dinas, sekalian ngajak 5 staf saya").
        # A stricter act is looked for further down: a forbidden second act must not be dropped.
        t_ = self.thresholds
        best_whole = matched.ranked[0][1] if matched.ranked else 0.0
        close_behind = {
            m.behaviour.id for m, s in matched.ranked[: t_.part_rank] if s >= best_whole - t_.part_margin
        } | {
            m.behaviour.id
            for m, s in matched.ranked[: t_.part_rank_stricter]
            if s >= best_whole - t_.part_margin_stricter
            and RESTRICTIVENESS.index(m.behaviour.verdict) < RESTRICTIVENESS.index(answer.verdict)
        }
        first = answer.behaviours[0].id
        clauses = [c for c in _CLAUSE_SPLIT.split(query) if len(_content(c)) >= MIN_CLAUSE_WORDS]
        if len(clauses) < 2:
            return answer
        clauses = clauses[:1] + [c for c in clauses[1:] if not negated(c)]
        if len(clauses) < 2:
            return answer
        parts: list[AnswerPart] = []
        seen = {first}
        unanswered: list[str] = []  # later clauses that ask about an act of their own and match none
        for clause in clauses:
            # Clauses are matched on their words alone: one more embedding per clause would double the
            # latency of every long question, and a clause's words are what tells its behaviour apart.
            # The situation is told once for the whole question ("Adik saya caleg. … datang makan malam
            # keluarga di rumahnya"): a clause's entries keep what the whole question named.
            matches = [
                replace(m, situation_named=True, situations=whole.situations)
                if not m.situation_named
                and (whole := matched.matches.get(m.behaviour.id))
                and whole.situation_named
                else m
                for m in self.matcher.match(clause, None)
            ]
            evidence = replace(
                self.evidence(clause, intent, retrieval, matches, in_scope=True), explicit_reference=False
            )
            # Clause scores are lexical only, so a stricter part may pass a slightly lower bar.
            d = decide(evidence, replace(self.thresholds, match=self.thresholds.match - 0.05))
            if d.abstained or not d.behaviours:
                low = self.thresholds.part_clause
                d = decide(evidence, replace(self.thresholds, match=low, match_long=low, match_story=low))
                if d.abstained or not d.behaviours or d.behaviours[0] not in close_behind:
                    if clause is not clauses[0] and _asks_of_its_own(clause):
                        unanswered.append(clause)
                    continue
            if d.behaviours[0] in seen:
                continue
            # A part needs a clear match (match + 0.05); a part stricter than the first needs only the
            # match bar, so a forbidden act hidden in the second clause is not dropped (a typo'd "share"
            # after "boleh nonton"), yet a clause that only says who asks ("Saya kepala dinas PUPR") is
            # not read as an official's prohibition. Backed by the whole question, part_clause suffices.
            stricter = RESTRICTIVENESS.index(d.verdict) < RESTRICTIVENESS.index(answer.verdict)
            corroborated = d.behaviours[0] in close_behind and d.scores[0] >= self.thresholds.part_clause
            if (
                d.scores
                and d.scores[0] < self.thresholds.match + (0.0 if stricter else 0.05)
                and not corroborated
            ):
                continue
            b = self._by_id[d.behaviours[0]]
            seen.add(b.id)
            parts.append(
                AnswerPart(self._bm(b, d.scores[0], lang), d.verdict, b.explanation.get(lang), b.basis[:2])
            )
        merged = self._with_parts(answer, parts, lang)
        if merged.verdict == "boleh" and unanswered:
            # "Can I watch the debate at home? And if I comment in the live chat cheering for number 1?":
            # a boleh must cover the whole question. The second act matched no entry, so the answer is
            # not a plain boleh: tidak_jelas, the first part shown, the unmatched one named.
            return replace(
                merged,
                verdict="tidak_jelas",
                rule="part-unmatched",
                caveats=(*merged.caveats, t.part_unmatched.format(part=_quoted_part(unanswered[0]))),
            )
        return merged

    def _status_part(self, answer: Answer, matched: _Matched, lang: str) -> Answer:
        """The asker names a group outside the civil service with rules of its own (honorer, PPNPN) while
        asking about an act: the answer also says how the group is treated, from the group's entry,
        instead of answering an honorer as if they were a civil servant."""
        if not answer.behaviours:
            return answer
        answered = {b.id for b in answer.behaviours}
        if any(self._by_id[i].group_rule for i in answered):
            return answer
        status = next(
            (
                m
                for m in sorted(matched.matches.values(), key=lambda m: (-m.score, m.behaviour.id))
                # Groups inside the civil service (PPPK, CPNS) take the act's answer as it is.
                if m.situation_named and m.behaviour.group_rule and not _covers_asn(m.behaviour)
            ),
            None,
        )
        if status is None:
            return answer
        b = status.behaviour
        # The act's verdict stands (the status entries say the same acts are barred); the part tells how
        # the status is treated, and its sanction (a contract ended, not a civil-service penalty) comes first.
        part = AnswerPart(self._bm(b, status.score, lang), "informasi", b.explanation.get(lang), b.basis[:2])
        merged = self._with_parts(answer, [part], lang)
        merged = replace(merged, notes=self._notes([*b.notes[:1], *(n.label for n in answer.notes)]))
        own = _sanctions_of(b, lang)
        return replace(merged, sanctions=tuple(_merge_by_level([*own, *answer.sanctions]))[:3])

    def _with_parts(self, answer: Answer, parts: list[AnswerPart], lang: str) -> Answer:
        if not parts:
            return answer
        head = answer.parts or (
            AnswerPart(answer.behaviours[0], answer.verdict, answer.explanation, answer.key),
        )
        all_parts = (*head, *parts)
        verdict = min((p.verdict for p in all_parts), key=RESTRICTIVENESS.index)
        extra_units = [
            u for p in parts for label in p.key if (u := self.index.unit_by_label(label)) is not None
        ]
        extra_sanctions = [
            s for p in parts if p.verdict != "boleh" for s in _sanctions_of(self._by_id[p.behaviour.id], lang)
        ]
        # Each part's key units before the first part's further sources, so the cap drops sources, not parts.
        head_keys = [u for p in head for label in p.key if (u := self.index.unit_by_label(label)) is not None]
        citations = self._citations([*head_keys, *extra_units, *self._units_of(answer.citations)])
        return replace(
            answer,
            verdict=verdict,
            parts=all_parts,
            explanation="",
            behaviours=(*answer.behaviours, *(p.behaviour for p in parts)),
            citations=citations,
            key=tuple(dict.fromkeys((*answer.key[:2], *(p.key[0] for p in parts if p.key))))[:MAX_KEY],
            sanctions=tuple(_merge_by_level([*answer.sanctions, *extra_sanctions]))[:3],
        )

    def _abstain(
        self, question: str, lang: str, t: Texts, decision: Decision, matched: _Matched, retrieval: Retrieval
    ) -> Answer:
        """No entry matches: say so, show the closest rules (not their verdicts), say who decides."""
        closest = [m for m, _ in matched.ranked[:2] if m.score > 0]
        titles = ", ".join(m.behaviour.title.get(lang) for m in closest)
        explanation = t.no_rule
        if titles:
            explanation += " " + t.closest.format(items=titles)
        explanation += " " + t.who_decides
        units = self._basis_units([m.behaviour for m in closest])[:2]
        if not units:
            # No entry is even close (or the index has no catalogue): the nearest regulation units.
            units = [p.unit for p in retrieval.passages if p.unit.kind != "catatan"][:2]
        citations = self._citations(units)
        return Answer(
            question=question,
            verdict=decision.verdict,
            citations=citations,
            language=_lang(lang),
            abstained=True,
            explanation=explanation,
            key=tuple(c.label for c in citations)[:2],
            closest=tuple(self._bm(m.behaviour, m.score, lang) for m in closest),
            rule=decision.rule,
            retrieved=retrieval.passages,
        )

    def _basis_units(self, entries: list[Behaviour]) -> list[Unit]:
        out: list[Unit] = []
        for b in entries:
            for label in b.basis:
                unit = self.index.unit_by_label(label)
                if unit is not None and unit not in out:
                    out.append(unit)
        return out

    def _behaviour_caveats(
        self, t: Texts, lang: str, entries: list[Behaviour], citations: tuple[Citation, ...]
    ) -> tuple[str, ...]:
        out: list[str] = []
        readings = [r for b in entries for r in b.uncertainty]
        official = [r for r in readings if r.official]
        if official:
            items = "; ".join(f"{r.who} ({r.when}): {r.text.get(lang).rstrip('.')}" for r in official[:3])
            out.append(t.readings.format(items=items))
        if gaps := [r for r in readings if not r.official]:
            out.append(t.unsettled.format(items="; ".join(r.text.get(lang).rstrip(".") for r in gaps[:2])))
        out.extend(line for line in _status_lines(t, citations) if line not in out)
        return tuple(out)

    def _bm(self, b: Behaviour, score: float, lang: str) -> BehaviourMatch:
        return BehaviourMatch(b.id, b.title.get(lang), b.verdict, score)

    # ------------------------------------------------------------------ unit answers (factual)
    def _from_units(self, question: str, lang: str, t: Texts, intent: Intent, retrieval: Retrieval) -> Answer:
        passages = retrieval.passages
        explicit = tuple(p for p in passages if p.explicit)
        top = explicit or self._informative(passages)
        units: list[Unit] = []
        notes: list[Unit] = []
        for p in top:
            if p.unit.kind == "catatan":
                notes.append(p.unit)
                units.extend(self._rules_behind(p.unit))
            elif (cited := p.unit if p.explicit else self._pinpoint(p.unit, retrieval)) not in units:
                units.append(cited)
        sanctions: list[SanctionRef] = []
        if intent.asks_sanction or any(u.norm in ("obligation", "prohibition", "sanction") for u in units):
            for u in units:
                sanctions.extend(u.sanctions)
            for s in sanctions:
                for label in s.basis[:2]:
                    unit = self.index.unit_by_label(label)
                    if unit is not None and unit not in units:
                        units.append(unit)
        citations = self._citations(units)
        explanation = ""
        if notes and not explicit:
            # A curated note explains best; the rules it rests on are the citations.
            explanation = _shorten(notes[0].text, 420)
        key = tuple(c.label for c in citations)[: (2 if explanation else MAX_KEY)]
        caveats = self._unit_caveats(t, citations, passages)
        return Answer(
            question=question,
            verdict="informasi",
            citations=citations,
            sanctions=tuple(_merge_by_level(sanctions))[:3],
            caveats=caveats,
            language=_lang(lang),
            explanation=explanation,
            key=key,
            notes=self._notes([n.label for n in notes[:2]]),
            rule="explicit" if explicit else "factual",
            retrieved=passages,
        )

    def _informative(self, passages: tuple[Passage, ...]) -> tuple[Passage, ...]:
        """The top passages; when two of them are parts of one short Pasal, the whole Pasal."""
        top = list(passages[:3])
        parents = [p.unit.parent_id for p in top if p.unit.parent_id]
        for parent_id in dict.fromkeys(parents):
            parent = self.index.units.get(parent_id)
            if parents.count(parent_id) >= 2 and parent is not None and len(parent.text) <= PARENT_MAX_CHARS:
                siblings = [p for p in top if p.unit.parent_id == parent_id]
                whole = Passage(parent, siblings[0].document, siblings[0].score)
                top = [whole, *[p for p in top if p.unit.parent_id != parent_id and p.unit.id != parent_id]]
                break
        return tuple(top[:2])

    def _pinpoint(self, unit: Unit, retrieval: Retrieval) -> Unit:
        # The ayat/huruf/angka that carries the answer rather than a long Pasal (rag/pinpoint.py).
        tokens = getattr(self.index, "tokens", None)
        if tokens is None:
            return unit
        kids = children_in(self.index.units)
        return most_specific(unit, kids, lambda i: tokens.get(i, ()), retrieval.matched_terms)

    def _rules_behind(self, note: Unit) -> list[Unit]:
        out = []
        for label in note.see:
            unit = self.index.unit_by_label(label)
            if unit is not None and unit.kind != "catatan":
                out.append(unit)
        return out[:2]

    def _unit_caveats(
        self, t: Texts, citations: tuple[Citation, ...], passages: tuple[Passage, ...]
    ) -> tuple[str, ...]:
        out = _status_lines(t, citations)
        for p in passages[:3]:
            if p.unit.norm == "caveat":
                out.append(_shorten(p.unit.text, 300))
                break
        return tuple(out)

    # ------------------------------------------------------------------ shared
    def _citations(self, units: list[Unit]) -> tuple[Citation, ...]:
        out: list[Citation] = []
        for u in units:
            if u.kind == "catatan":
                continue  # curated notes are notes, never legal basis
            c = citation_for(u, self.index.document_of(u))
            if c.label not in {x.label for x in out}:
                out.append(c)
        return tuple(out[:MAX_CITATIONS])

    def _units_of(self, citations: tuple[Citation, ...]) -> list[Unit]:
        return [u for c in citations if (u := self.index.unit_by_label(c.label)) is not None]

    def _notes(self, labels: list[str]) -> tuple[Note, ...]:
        out: list[Note] = []
        for label in dict.fromkeys(labels):
            unit = self.index.unit_by_label(label)
            if unit is not None:
                out.append(Note(unit.label, unit.text, unit.see))
        return tuple(out[:2])

    def _refuse(
        self, question: str, lang: str, reason: Refusal, message: str, passages: tuple[Passage, ...] = ()
    ) -> Answer:
        answer = Answer(
            question=question,
            verdict="di_luar_cakupan",
            language=_lang(lang),
            explanation=message,
            refusal=reason,
            rule="out-of-scope" if reason == "out_of_scope" else reason,
            retrieved=passages,
        )
        return replace(answer, answer=main_text(answer))


def _lang(lang: str) -> Literal["id", "en"]:
    return "en" if lang == "en" else "id"


def _asks_of_its_own(clause: str) -> bool:
    """Whether a clause asks about an act ("…, and if I comment in the live chat, is that a problem?"),
    not just tells the setting."""
    intent = read_intent(prepare(clause))
    return intent.permission or intent.consequence or intent.asks_sanction


def _quoted_part(clause: str) -> str:
    return "“" + _shorten(clause.strip(" ,.;:!?"), 80) + "”"


def negated(clause: str) -> bool:
    """Whether a clause denies an act ("fotonya tidak saya unggah"), as opposed to asking about one."""
    words = prepare(clause).replace("n't", "nt").split()
    for i, w in enumerate(words):
        if w not in _NEGATIONS:
            continue
        before = words[i - 1] if i else ""
        after = words[i + 1] if i + 1 < len(words) else ""
        if (
            after
            and before not in _ASKING_AROUND_NEGATION
            and after not in _ASKING_AROUND_NEGATION | _NOT_A_DENIAL
        ):
            return True
    return False


def _status_lines(t: Texts, citations: tuple[Citation, ...]) -> list[str]:
    """One caution line per revoked document or status note (an amended or partly revoked unit)."""
    out: list[str] = []
    for c in citations:
        if c.status == "dicabut":
            line = t.revoked.format(document=c.document, replaced_by=c.replaced_by or "?")
        elif c.status_note:
            line = f"{c.label}: {c.status_note}"
        else:
            continue
        if line not in out:
            out.append(line)
    return out


def _content(text: str) -> list[str]:
    return [w for w in prepare(text).split() if w not in STOPWORDS]


def _shorten(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 2].rsplit(" ", 1)[0] + " …"


def _sanctions_of(b: Behaviour, lang: str) -> list[SanctionRef]:
    out = []
    for i, s in enumerate(b.sanctions):
        detail = b.sanction_details[i] if i < len(b.sanction_details) else None
        out.append(SanctionRef(s.level, s.basis, detail.get(lang) if detail else s.detail))
    return out


def _merge_by_level(refs: list[SanctionRef]) -> list[SanctionRef]:
    """One sanction per level: the bases joined, the first detail kept."""
    merged: dict[str, SanctionRef] = {}
    for ref in refs:
        old = merged.get(ref.level)
        if old is None:
            merged[ref.level] = ref
            continue
        basis = tuple(dict.fromkeys((*old.basis, *ref.basis)))
        merged[ref.level] = SanctionRef(ref.level, basis, old.detail or ref.detail)
    return list(merged.values())


_ASN_GROUPS = frozenset({"asn", "pns", "pppk", "cpns"})


def _covers_asn(b: Behaviour) -> bool:
    return bool(_ASN_GROUPS & set(b.applies_to))
