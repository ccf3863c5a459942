"""Core data types shared by ingestion, retrieval, answering, the bot and the evals.

All are frozen dataclasses: citations need typed legal fields, not framework documents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, get_args

Verdict = Literal["dilarang", "boleh", "bersyarat", "tidak_jelas", "informasi", "di_luar_cakupan"]
VERDICTS: tuple[Verdict, ...] = get_args(Verdict)

# "wording": the regulation's own text, shown as a quote.
# "summary": our summary of the regulation, never shown as a quote.
# "note": a curated note (uncertainty, practice, where to report), never shown as a quote.
TextKind = Literal["wording", "summary", "note"]

# What kind of norm a unit states. Set in knowledge/ with ``@norm:``; inferred from the text otherwise.
# "uncertain": whether the behaviour is allowed is unclear or disputed (decides tidak_jelas).
# "caveat": a note on the sources themselves (an unverified article number, conflicting sanction
# levels); never decides a verdict, shown as a caveat.
Norm = Literal[
    "prohibition",
    "obligation",
    "permission",
    "conditional",
    "sanction",
    "definition",
    "uncertain",
    "caveat",
    "info",
]
NORMS: tuple[Norm, ...] = get_args(Norm)

# "dicabut_sebagian": revoked in part; ``Document.surviving`` lists the provisions still in force.
Status = Literal["berlaku", "dicabut", "dicabut_sebagian", "diubah"]

Mode = Literal["extractive", "llm"]


@dataclass(frozen=True)
class Document:
    """One legal instrument (or a guidance document) in the corpus."""

    id: str  # slug, e.g. "pp-94-2021"
    label: str  # canonical short label, e.g. "PP 94/2021"
    type: str  # UU, PP, SKB, SE, Putusan, Perpres, ...
    number: str
    year: int
    title: str
    status: Status = "berlaku"
    replaced_by: str | None = None  # label of the replacing instrument
    amends: tuple[str, ...] = ()
    # Names people use for it ("UU ASN", "UU Pilkada"), from front matter (rag/instruments.py).
    aliases: tuple[str, ...] = ()
    enacted: str | None = None  # ISO date
    source_url: str | None = None
    notes: str | None = None
    # dicabut_sebagian: labels of the provisions still in force, and why (rag/status.py).
    surviving: tuple[str, ...] = ()
    surviving_reason: str = ""
    source_path: str = ""
    # Path of the official text attached to this curated document ("" when curated-only; ingest/layers.py).
    official_source: str = ""
    content_hash: str = ""


@dataclass(frozen=True)
class SanctionRef:
    """A sanction attached to a norm, e.g. a Lampiran item or a Pasal 5 huruf n angka."""

    level: str  # e.g. "sanksi moral", "hukuman disiplin berat", "PTDH", "pidana", "PHK", "tidak ditentukan"
    basis: tuple[str, ...] = ()  # canonical labels of the units that set the sanction
    detail: str = ""  # e.g. "kurungan paling lama 1 tahun dan denda paling banyak Rp12.000.000"


@dataclass(frozen=True)
class Unit:
    """An addressable unit of a document: a Pasal, ayat, huruf, angka, Penjelasan, Lampiran item or note.

    ``text`` is the unit's full text (its own words followed by its children's, each child
    prefixed with its marker), so a quote of any unit is a substring of that unit's text.
    """

    id: str  # stable: "<doc_id>::<path>", e.g. "pp-94-2021::pasal-5/huruf-n/angka-4"
    doc_id: str
    label: str  # canonical citation label, e.g. "PP 94/2021 Pasal 5 huruf n angka 4"
    kind: str  # pasal | ayat | huruf | angka | penjelasan | lampiran | catatan | item
    text: str
    text_kind: TextKind = "wording"
    norm: Norm | None = None
    sanctions: tuple[SanctionRef, ...] = ()
    see: tuple[str, ...] = ()  # labels of related units (e.g. the norm a Lampiran item rests on)
    terms: tuple[str, ...] = ()  # extra search terms from ``@terms:`` (words users type)
    # ``@when:``: the unit only applies in a situation named by one of these words (a spouse who is a
    # candidate, an incumbent's post, ...); it ranks lower for questions that name none of them.
    when: tuple[str, ...] = ()
    parent_id: str | None = None
    order: int = 0  # position in the document
    heading: str = ""  # BAB / Bagian / Lampiran table the unit sits under
    lead_in: str = ""  # ancestors' own words ("PNS dilarang: … dengan cara:"), for context
    content_hash: str = ""
    # Our curated summary, kept for search when the official wording became ``text`` (ingest/layers.py).
    summary: str = ""
    # Amendments (ingest/amendments.py, rag/versions.py). On an amended article as an amending law
    # states it: the base law's label of the same article ("UU 1/2015 Pasal 7"), the point that
    # changed it ("UU 8/2015 Pasal I angka 6") and how (diubah | disisipkan | dihapus).
    amends: str = ""
    amended_by: str = ""
    change: str = ""
    # Set when the index is read, on an article a later law changed: the current version's label and
    # that version's provenance ("diubah dengan UU 8/2015 Pasal I angka 6").
    superseded_by: str = ""
    superseded_via: str = ""

    @property
    def is_leaf_pasal(self) -> bool:
        return self.kind == "pasal"


@dataclass(frozen=True)
class Passage:
    """A retrieved unit with its scores."""

    unit: Unit
    document: Document
    score: float
    lexical_rank: int | None = None
    dense_rank: int | None = None
    explicit: bool = False  # reached by an explicit reference in the question
    specific: bool = False  # the unit's ``@when`` situation is named in the question


@dataclass(frozen=True)
class Citation:
    label: str
    document: str  # document label, e.g. "PP 94/2021"
    title: str
    status: Status
    kind: TextKind
    quote: str  # verbatim indexed text of the unit when kind == "wording"; "" otherwise
    summary: str  # the indexed summary/note text when kind != "wording"; "" otherwise
    source_url: str | None = None
    replaced_by: str | None = None
    # Why a provision of a partly revoked instrument still applies (status "dicabut_sebagian").
    status_note: str = ""
    # The parent's words a list item needs to be understood ("PNS dilarang: …"), shown before the quote
    # as context; not part of the quote (rag/pinpoint.py).
    lead_in: str = ""


@dataclass(frozen=True)
class BehaviourMatch:
    """A catalogue behaviour matched to the question (knowledge/behaviours/), with its match score."""

    id: str
    title: str
    verdict: Verdict
    score: float


@dataclass(frozen=True)
class Note:
    """A curated note (our words, not law) shown under an answer, with the rules it rests on."""

    label: str
    text: str
    see: tuple[str, ...] = ()


@dataclass(frozen=True)
class AnswerPart:
    """One behaviour of a question that names two ("boleh like … dan ikut kampanye …?")."""

    behaviour: BehaviourMatch
    verdict: Verdict
    explanation: str
    key: tuple[str, ...] = ()  # labels of its key citations


Refusal = Literal["empty", "injection", "opinion", "out_of_scope"]


@dataclass(frozen=True)
class Answer:
    """A structured answer. Renderers (console, Telegram, JSON) format it from these fields with one
    phrase table (rag/texts.py); ``answer`` is the main message as plain text, made from the same
    fields by rag/render_plain.py, never parsed back."""

    question: str
    verdict: Verdict
    answer: str = ""
    citations: tuple[Citation, ...] = ()  # regulation units only, key ones first
    sanctions: tuple[SanctionRef, ...] = ()  # detail in the answer's language
    caveats: tuple[str, ...] = ()
    mode: Mode = "extractive"
    language: Literal["id", "en"] = "id"
    # The behaviours the verdict rests on, best first (empty for factual answers and refusals).
    behaviours: tuple[BehaviourMatch, ...] = ()
    # True when no behaviour in the knowledge matched well enough: the answer says so, shows the closest
    # rules and who decides, instead of borrowing the nearest rule's verdict.
    abstained: bool = False
    explanation: str = ""
    conditions: tuple[str, ...] = ()
    key: tuple[str, ...] = ()  # labels of the 1-3 citations the main message names ("Dasar hukum")
    notes: tuple[Note, ...] = ()
    parts: tuple[AnswerPart, ...] = ()
    closest: tuple[BehaviourMatch, ...] = ()  # when abstained: the nearest entries, not borrowed
    refusal: Refusal | None = None
    rule: str = ""  # the decision rule that decided (rag/decide.py), for --explain
    # The applicable entries the rules looked at (effective scores), for --explain and the evals.
    considered: tuple[BehaviourMatch, ...] = field(default=(), compare=False, repr=False)
    retrieved: tuple[Passage, ...] = field(default=(), compare=False, repr=False)

    def to_json_dict(self) -> dict[str, object]:
        def match(b: BehaviourMatch) -> dict[str, object]:
            return {"id": b.id, "title": b.title, "verdict": b.verdict, "score": round(b.score, 3)}

        return {
            "question": self.question,
            "verdict": self.verdict,
            "answer": self.answer,
            "explanation": self.explanation,
            "conditions": list(self.conditions),
            "behaviours": [match(b) for b in self.behaviours],
            "abstained": self.abstained,
            "closest": [match(b) for b in self.closest],
            "parts": [
                {
                    "behaviour": match(p.behaviour),
                    "verdict": p.verdict,
                    "explanation": p.explanation,
                    "key": list(p.key),
                }
                for p in self.parts
            ],
            "citations": [
                {
                    "label": c.label,
                    "document": c.document,
                    "title": c.title,
                    "status": c.status,
                    "kind": c.kind,
                    "quote": c.quote,
                    "summary": c.summary,
                    "source_url": c.source_url,
                    "replaced_by": c.replaced_by,
                    "status_note": c.status_note,
                    "lead_in": c.lead_in,
                }
                for c in self.citations
            ],
            "key": list(self.key),
            "sanctions": [
                {"level": s.level, "basis": list(s.basis), "detail": s.detail} for s in self.sanctions
            ],
            "caveats": list(self.caveats),
            "notes": [{"label": n.label, "text": n.text, "see": list(n.see)} for n in self.notes],
            "refusal": self.refusal,
            "rule": self.rule,
            "mode": self.mode,
            "language": self.language,
            "retrieved": [p.unit.label for p in self.retrieved],
        }
