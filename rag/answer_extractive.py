"""The default answerer: deterministic, no LLM. It composes the answer from the retrieved units'
own text and metadata. The verdict comes from the norms the units state (a prohibition, a
permission, a conditional permission, a point the corpus marks uncertain); the sanctions from
the sanction annotations of those units; citations only from indexed units."""

from __future__ import annotations

from dataclasses import dataclass

from rag.citations import citation_for
from rag.index import IndexReader
from rag.intent import Intent, read_intent
from rag.language import detect_language
from rag.lexical import Analyzer, fold
from rag.retrieval import HybridRetriever, Retrieval
from rag.status import is_revoked
from rag.texts import TEXTS, Texts
from rag.types import Answer, Citation, Passage, SanctionRef, Unit, Verdict

MAX_QUESTION_CHARS = 1500  # longer input is answered from its beginning
MAX_CITATIONS = 6
PARENT_MAX_CHARS = 1200  # an informational answer may show a whole Pasal up to this size
MAX_NOTES = 2  # uncertainty/caveat notes shown under an answer
EVIDENCE_DEPTH = 5  # normative units that vote on the verdict
# Steep: the best-matching norm decides unless several units just below it agree on another verdict.
RANK_DECAY = (1.0, 0.35, 0.2, 0.1, 0.05)
# A question whose best match states no rule (a procedure, a definition, a duty) is informational
# unless a rule matches nearly as well.
INFO_MARGIN = 0.9
NORMATIVE: dict[str, Verdict] = {
    "prohibition": "dilarang",
    "permission": "boleh",
    "conditional": "bersyarat",
    "uncertain": "tidak_jelas",
}
# Norms that vote on a verdict. A duty ("ASN wajib menjaga netralitas") answers an informational
# question about that duty, and makes a "may I ...?" question conditional on the duty ("boleh
# mencalonkan diri" - "wajib mengundurkan diri"); a sanction for an act ("diberhentikan tidak
# dengan hormat karena menjadi anggota partai politik") means the act is prohibited.
VOTING: dict[str, Verdict] = {**NORMATIVE, "obligation": "informasi", "sanction": "dilarang"}

# Built-in anchors; knowledge/lexicon.yaml ``scope:`` extends them (folded phrases).
DEFAULT_SCOPE = (
    "netralitas",
    "kampanye",
    "pemilu",
    "pilkada",
    "partai politik",
    "kode etik",
    "hukuman disiplin",
)


@dataclass(frozen=True)
class _Decision:
    verdict: Verdict
    primary: tuple[Passage, ...]


class ExtractiveAnswerer:
    def __init__(
        self,
        retriever: HybridRetriever,
        index: IndexReader,
        analyzer: Analyzer,
        k: int = 8,
    ) -> None:
        self.retriever = retriever
        self.index = index
        self.k = k
        self._analyzer = analyzer
        phrases = {fold(p) for p in (*DEFAULT_SCOPE, *analyzer.lexicon.scope)} - {""}
        self._scope_phrases = {p for p in phrases if " " in p}
        self._scope_stems = {analyzer.stemmer.stem(p) for p in phrases if " " not in p} | {
            p for p in phrases if " " not in p
        }

    # ------------------------------------------------------------------ public
    def answer(self, question: str, previous_question: str | None = None) -> Answer:
        q = " ".join(question.split())[:MAX_QUESTION_CHARS]
        lang = detect_language(q)
        t = TEXTS[lang]
        intent = read_intent(q)
        if intent.empty:
            return self._refuse(question, lang, t.empty)
        if intent.injection:
            return self._refuse(question, lang, t.injection)
        if intent.opinion:
            return self._refuse(question, lang, t.opinion)

        query = q
        if previous_question and (intent.follow_up or len(fold(q).split()) <= 3):
            query = f"{' '.join(previous_question.split())[:MAX_QUESTION_CHARS]} {q}"
        retrieval = self.retriever.search(query, self.k)
        if not self._in_scope(query, retrieval):
            return self._refuse(question, lang, t.out_of_scope, retrieval.passages)

        decision = self._decide(intent, retrieval)
        return self._compose(question, lang, t, decision, retrieval, intent)

    # ------------------------------------------------------------------ scope and verdict
    def _in_scope(self, query: str, retrieval: Retrieval) -> bool:
        if retrieval.references.units or retrieval.references.documents:
            return True
        folded = fold(query)
        if not retrieval.passages:
            return False
        padded = f" {folded} "
        if any(f" {p} " in padded for p in self._scope_phrases):
            return True
        words = folded.split()
        return any(
            w in self._scope_stems
            or w.removesuffix("s") in self._scope_stems
            or self._analyzer.stemmer.stem(w) in self._scope_stems
            for w in words
        )

    def _decide(self, intent: Intent, retrieval: Retrieval) -> _Decision:
        passages = retrieval.passages
        explicit = tuple(p for p in passages if p.explicit)
        if explicit and not intent.permission:
            return _Decision("informasi", explicit)
        normative = [p for p in passages if self._norm(p.unit) in VOTING][:EVIDENCE_DEPTH]
        if (intent.informational and not intent.permission) or not normative:
            return _Decision("informasi", self._informative(passages))
        if (
            self._norm(passages[0].unit) not in VOTING
            and normative[0].score < passages[0].score * INFO_MARGIN
        ):
            return _Decision("informasi", self._informative(passages))
        # Each verdict gathers rank-decayed evidence from the normative units that state it, so one
        # stray unit at the top does not outvote several agreeing units just below it.
        evidence: dict[Verdict, float] = {}
        voting = VOTING
        if intent.consequence:
            voting = {**VOTING, "obligation": "dilarang"}  # breaching a duty is the violation asked about
        elif intent.permission:
            voting = {**VOTING, "obligation": "bersyarat"}
        for rank, p in enumerate(normative):
            verdict = voting[self._norm(p.unit)]
            evidence[verdict] = evidence.get(verdict, 0.0) + p.score * RANK_DECAY[rank]
        order = [voting[self._norm(p.unit)] for p in normative]
        verdict = max(evidence, key=lambda v: (evidence[v], -order.index(v)))
        backing = [p for p in normative if voting[self._norm(p.unit)] == verdict]
        chosen = backing[:3]
        # The rule for the asker's own situation (a spouse, non-ASN staff) is always cited.
        specific = next((p for p in backing if p.specific), None)
        if specific is not None and specific not in chosen:
            chosen = [*chosen[:2], specific]
        # A rule reads before the Penjelasan that explains it.
        units = {p.unit.id for p in chosen}
        chosen.sort(key=lambda p: (body := self._explained(p.unit)) is not None and body.id in units)
        return _Decision(verdict, tuple(chosen))

    def _explained(self, unit: Unit) -> Unit | None:
        """The body unit a Penjelasan unit explains, if indexed."""
        if unit.label.startswith(f"{self.index.documents[unit.doc_id].label} Penjelasan "):
            return self.index.unit_by_label(unit.label.replace(" Penjelasan ", " ", 1))
        return None

    def _norm(self, unit: Unit) -> str:
        """A Penjelasan explains a body unit: for the verdict it carries that unit's norm."""
        body = self._explained(unit)
        if body is not None and body.norm in NORMATIVE:
            return body.norm
        return unit.norm or "info"

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
        return tuple(top)

    # ------------------------------------------------------------------ composing
    def _compose(
        self, question: str, lang: str, t: Texts, decision: _Decision, retrieval: Retrieval, intent: Intent
    ) -> Answer:
        cited_units: list[Unit] = []

        def add(unit: Unit | None) -> None:
            if unit is not None and unit not in cited_units and len(cited_units) < MAX_CITATIONS:
                cited_units.append(unit)

        for p in decision.primary:
            add(p.unit)
            # A curated note is not law: cite the rules it rests on right after it.
            if p.unit.kind == "catatan":
                for unit in self._rules_behind(p.unit):
                    add(unit)
        # An informational answer lists sanctions when the question asks about them, or when it
        # explains a duty or a rule (not when it explains a status, a history or a procedure).
        sanctions = self._sanctions(decision)
        if decision.verdict == "informasi" and not intent.asks_sanction:
            rules = [p for p in decision.primary if p.unit.norm in ("obligation", "prohibition", "sanction")]
            sanctions = self._sanctions(_Decision("informasi", tuple(rules))) if rules else []
        for s in sanctions:
            for label in s.basis[:2]:
                add(self.index.unit_by_label(label))
        for p in decision.primary[:1]:
            for label in p.unit.see[:3]:
                add(self.index.unit_by_label(label))

        citations = tuple(citation_for(u, self.index.document_of(u)) for u in cited_units)
        caveats = self._caveats(t, decision, retrieval, citations)
        sanction_lines = tuple(self._sanction_line(t, s) for s in sanctions)

        lines = [t.verdict_line[decision.verdict]]
        lines.extend(self._explanations(t, [p.unit for p in decision.primary]))
        if sanction_lines:
            lines.append(t.sanctions_heading)
            lines.extend(f"• {s}" for s in sanction_lines)
        if caveats:
            lines.append(t.caveats_heading)
            lines.extend(f"• {c}" for c in caveats)
        lines.append(t.disclaimer)
        return Answer(
            question=question,
            verdict=decision.verdict,
            answer="\n".join(lines),
            citations=citations,
            sanctions=sanction_lines,
            caveats=caveats,
            mode="extractive",
            language="en" if lang == "en" else "id",
            retrieved=retrieval.passages,
        )

    def _explanations(self, t: Texts, units: list[Unit]) -> list[str]:
        """One line per distinct text; units with the same text (the SKB's two tables often
        list the same act) share a line."""
        groups: dict[str, list[Unit]] = {}
        for unit in units:
            groups.setdefault(unit.text, []).append(unit)
        return [self._explain(t, same) for same in groups.values()]

    def _explain(self, t: Texts, units: list[Unit]) -> str:
        unit = units[0]
        doc = self.index.document_of(unit)
        limit = 260 if unit.kind == "catatan" else (900 if unit.kind == "pasal" else 420)
        text = unit.text if len(unit.text) <= limit else unit.text[: limit - 20].rsplit(" ", 1)[0] + " …"
        revoked = t.revoked_inline.format(replaced_by=doc.replaced_by) if is_revoked(unit, doc) else ""
        labels = "; ".join(u.label for u in units)
        if unit.text_kind == "wording":
            lead = f"{unit.lead_in} … " if unit.lead_in and len(unit.lead_in) < 260 else ""
            return f"{labels}{revoked}: “{lead}{text}”"
        word = t.note_word if unit.text_kind == "note" else t.summary_word
        return f"{labels}{revoked} ({word}): {text}"

    def _rules_behind(self, note: Unit) -> list[Unit]:
        """The rules a note points to that state the same norm (at most two)."""
        out = []
        for label in note.see:
            unit = self.index.unit_by_label(label)
            if unit is not None and unit.kind != "catatan" and unit.norm == note.norm:
                out.append(unit)
        return out[:2]

    def _sanctions(self, decision: _Decision) -> list[SanctionRef]:
        if decision.verdict == "boleh":
            return []
        out: list[SanctionRef] = []
        for p in decision.primary:
            refs = list(p.unit.sanctions)
            body = self._explained(p.unit)
            if not refs and body is not None:
                refs = list(body.sanctions)  # a Penjelasan takes the sanction of what it explains
            if not refs:
                for label in p.unit.see:
                    seen = self.index.unit_by_label(label)
                    if seen is not None:
                        refs.extend(seen.sanctions)
            out.extend(refs)
        return _merge_by_level(out)[:4]

    @staticmethod
    def _sanction_line(t: Texts, s: SanctionRef) -> str:
        basis = f" — {t.basis_word}: {'; '.join(s.basis)}" if s.basis else ""
        detail = f" ({s.detail})" if s.detail else ""
        return f"{s.level}{detail}{basis}"

    def _caveats(
        self, t: Texts, decision: _Decision, retrieval: Retrieval, citations: tuple[Citation, ...]
    ) -> tuple[str, ...]:
        out: list[str] = []
        notes: list[Unit] = []
        primary = [p.unit for p in decision.primary]
        # Notes the deciding units point to, then notes retrieved near the top.
        linked = [self.index.unit_by_label(label) for u in primary[:2] for label in u.see]
        nearby = [p.unit for p in retrieval.passages[:4]]
        for u in [*linked, *nearby]:
            if u is None or u in primary or u in notes or u.norm not in ("uncertain", "caveat"):
                continue
            if u.norm == "uncertain" and decision.verdict == "tidak_jelas":
                continue  # the explanation already says so
            notes.append(u)
        for u in notes[:MAX_NOTES]:
            text = u.text if len(u.text) <= 320 else u.text[:310].rsplit(" ", 1)[0] + " …"
            out.append(f"{u.label}: {text}")
        for c in citations:
            if c.status == "dicabut":
                line = t.revoked.format(document=c.document, replaced_by=c.replaced_by or "?")
                if line not in out:
                    out.append(line)
            elif c.status_note and (line := f"{c.label}: {c.status_note}") not in out:
                out.append(line)
        if any(c.kind != "wording" for c in citations):
            out.append(t.summary_caveat)
        return tuple(out)

    def _refuse(self, question: str, lang: str, message: str, passages: tuple[Passage, ...] = ()) -> Answer:
        t = TEXTS[lang]
        return Answer(
            question=question,
            verdict="di_luar_cakupan",
            answer=f"{t.verdict_line['di_luar_cakupan']}\n{message}",
            mode="extractive",
            language="en" if lang == "en" else "id",
            retrieved=passages,
        )


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
