"""The default answerer: deterministic, no LLM. It composes the answer from the retrieved units'
own text and metadata. The verdict comes from the norms the units state (a prohibition, a
permission, a conditional permission, a point the corpus marks uncertain); the sanctions from
the sanction annotations of those units; citations only from indexed units."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rag.citations import citation_for
from rag.index import IndexReader
from rag.intent import Intent, read_intent
from rag.language import detect_language
from rag.lexical import Analyzer, fold
from rag.retrieval import HybridRetriever, Retrieval
from rag.texts import TEXTS, Texts
from rag.types import Answer, Citation, Passage, SanctionRef, Unit, Verdict

MAX_QUESTION_CHARS = 1500  # longer input is answered from its beginning
MAX_CITATIONS = 6
NORMATIVE = {"prohibition": "dilarang", "permission": "boleh", "conditional": "bersyarat", "uncertain": "tidak_jelas"}
# How close (as a share of the best normative score) a competing norm must come to count.
CONFLICT_RATIO = 0.85

# Words that anchor a question in the domain (folded; stems are added at start-up).
DEFAULT_SCOPE_TERMS = frozenset(
    """
    netral netralitas kampanye kampanyekan pemilu pemilihan pilkada pilpres pileg politik politis
    partai parpol calon capres cawapres caleg cakada cagub cawagub cabup cawabup cawalkot paslon
    bacalon bakal kandidat timses tim sukses pemenangan relawan deklarasi dukung dukungan mendukung
    memihak keberpihakan berpihak coblos mencoblos nyoblos pilih memilih hak suara bawaslu kpu
    gakkumdu kasn sbt satgas lapor melapor laporkan pelaporan lapor lapor! sp4n skb kode etik disiplin
    hukuman sanksi ptdh pidana kurungan denda pemberhentian dipecat asn pns pppk p3k ppnpn honorer
    like share komen follow posting unggah medsos spanduk baliho atribut alat peraga pose jari
    simbol nyaleg mencalonkan mundur cltn suami istri pasangan campaign election elections party
    parties candidate candidates vote voting neutral neutrality politics political sanction
    sanctions penalty punishment fired dismissal spouse husband wife report civil servant servants
    uu pp pasal ayat huruf perpres putusan mk lampiran penjelasan menpanrb kemenpanrb bkn
    """.split()
)
# Anchors that alone do not make a question about neutrality ("berapa gaji PNS?").
WEAK_SCOPE_TERMS = frozenset("asn pns pppk p3k ppnpn honorer civil servant servants".split())


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
        scope_terms: Iterable[str] = (),
    ) -> None:
        self.retriever = retriever
        self.index = index
        self.k = k
        terms = set(DEFAULT_SCOPE_TERMS) | {fold(t) for t in scope_terms}
        self._weak = set(WEAK_SCOPE_TERMS) | {analyzer.stemmer.stem(t) for t in WEAK_SCOPE_TERMS}
        self._scope = (terms | {analyzer.stemmer.stem(t) for t in terms}) - self._weak
        self._analyzer = analyzer

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
        return self._compose(question, lang, t, decision, retrieval)

    # ------------------------------------------------------------------ scope and verdict
    def _in_scope(self, query: str, retrieval: Retrieval) -> bool:
        if retrieval.references.units or retrieval.references.documents:
            return True
        words = fold(query).split()
        stems = {self._analyzer.stemmer.stem(w) for w in words}
        return bool((set(words) | stems) & self._scope) and bool(retrieval.passages)

    def _decide(self, intent: Intent, retrieval: Retrieval) -> _Decision:
        passages = retrieval.passages
        explicit = tuple(p for p in passages if p.explicit)
        if explicit and not intent.permission:
            return _Decision("informasi", explicit)
        normative = [p for p in passages if p.unit.norm in NORMATIVE]
        if intent.informational and not intent.permission:
            return _Decision("informasi", self._informative(passages))
        if not normative:
            return _Decision("informasi", self._informative(passages))
        best = normative[0]
        verdict: Verdict = NORMATIVE[best.unit.norm or ""]  # type: ignore[assignment]
        # A point the corpus marks uncertain, ranked close to the deciding norm, makes it unclear.
        for other in normative[1:4]:
            if other.score < best.score * CONFLICT_RATIO:
                break
            if other.unit.norm == "uncertain" and verdict != "tidak_jelas":
                verdict = "tidak_jelas"
                break
        same = [p for p in normative if NORMATIVE[p.unit.norm or ""] == NORMATIVE[best.unit.norm or ""]]
        return _Decision(verdict, tuple([best, *[p for p in same[1:3] if p is not best]]))

    @staticmethod
    def _informative(passages: tuple[Passage, ...]) -> tuple[Passage, ...]:
        return passages[:3]

    # ------------------------------------------------------------------ composing
    def _compose(self, question: str, lang: str, t: Texts, decision: _Decision, retrieval: Retrieval) -> Answer:
        cited_units: list[Unit] = []

        def add(unit: Unit | None) -> None:
            if unit is not None and unit not in cited_units and len(cited_units) < MAX_CITATIONS:
                cited_units.append(unit)

        for p in decision.primary:
            add(p.unit)
        sanctions = self._sanctions(decision)
        for s in sanctions:
            for label in s.basis[:1]:
                add(self.index.unit_by_label(label))
        for p in decision.primary[:1]:
            for label in p.unit.see[:2]:
                add(self.index.unit_by_label(label))

        citations = tuple(citation_for(u, self.index.document_of(u)) for u in cited_units)
        caveats = self._caveats(t, decision, retrieval, citations)
        sanction_lines = tuple(self._sanction_line(t, s) for s in sanctions)

        lines = [t.verdict_line[decision.verdict]]
        for p in decision.primary:
            lines.append(self._explain(t, p.unit))
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

    def _explain(self, t: Texts, unit: Unit) -> str:
        doc = self.index.document_of(unit)
        text = unit.text if len(unit.text) <= 420 else unit.text[:400].rsplit(" ", 1)[0] + " …"
        revoked = t.revoked_inline.format(replaced_by=doc.replaced_by) if doc.status == "dicabut" else ""
        if unit.text_kind == "wording":
            lead = f"{unit.lead_in} … " if unit.lead_in and len(unit.lead_in) < 260 else ""
            return f"{unit.label}{revoked}: “{lead}{text}”"
        return f"{unit.label}{revoked} ({t.summary_word}): {text}"

    def _sanctions(self, decision: _Decision) -> list[SanctionRef]:
        if decision.verdict not in ("dilarang", "tidak_jelas", "bersyarat"):
            return []
        out: list[SanctionRef] = []
        for p in decision.primary:
            refs = list(p.unit.sanctions)
            if not refs:
                for label in p.unit.see:
                    seen = self.index.unit_by_label(label)
                    if seen is not None:
                        refs.extend(seen.sanctions)
            for s in refs:
                if s not in out:
                    out.append(s)
        return out[:4]

    @staticmethod
    def _sanction_line(t: Texts, s: SanctionRef) -> str:
        basis = f" — {t.basis_word}: {'; '.join(s.basis)}" if s.basis else ""
        detail = f" ({s.detail})" if s.detail else ""
        return f"{s.level}{detail}{basis}"

    def _caveats(
        self, t: Texts, decision: _Decision, retrieval: Retrieval, citations: tuple[Citation, ...]
    ) -> tuple[str, ...]:
        out: list[str] = []
        for p in retrieval.passages[:5]:
            u = p.unit
            if u.norm == "uncertain" and u not in [q.unit for q in decision.primary[:1]]:
                text = u.text if len(u.text) <= 300 else u.text[:290].rsplit(" ", 1)[0] + " …"
                out.append(f"{u.label}: {text}")
                break
        for c in citations:
            if c.status == "dicabut":
                line = t.revoked.format(document=c.document, replaced_by=c.replaced_by or "?")
                if line not in out:
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
