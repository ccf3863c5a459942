"""A hand-written fake Service for the eval tests: canned Answers over a tiny in-memory unit table."""

from __future__ import annotations

from rag.citations import citation_for
from rag.labels import normalize_label
from rag.types import Answer, BehaviourMatch, Citation, Document, Passage, Unit, Verdict
from tests.fakes.documents import PP53, PP94, SKB


def _unit(doc: Document, path: str, label: str, text: str, kind: str = "wording") -> Unit:
    return Unit(
        id=f"{doc.id}::{path}",
        doc_id=doc.id,
        label=label,
        kind="angka",
        text=text,
        text_kind=kind,  # type: ignore[arg-type]
    )


UNITS: list[tuple[Unit, Document]] = [
    (
        _unit(
            PP94,
            "body/pasal-5/huruf-n/angka-4",
            "PP 94/2021 Pasal 5 huruf n angka 4",
            "sebagai peserta kampanye dengan menggunakan fasilitas negara;",
        ),
        PP94,
    ),
    (
        _unit(
            PP94,
            "body/pasal-14/huruf-i/angka-2",
            "PP 94/2021 Pasal 14 huruf i angka 2",
            "Pasal 5 huruf n angka 4: hukuman disiplin berat.",
        ),
        PP94,
    ),
    (
        _unit(
            SKB,
            "lampiran/lampiran-kode-etik/angka-4",
            "SKB 2/2022 Lampiran Kode Etik angka 4",
            "Membuat posting, comment, share, like, bergabung/follow dalam grup/akun pemenangan bakal calon.",
            kind="summary",
        ),
        SKB,
    ),
    (
        _unit(
            SKB,
            "lampiran/lampiran-disiplin/angka-6",
            "SKB 2/2022 Lampiran Disiplin angka 6",
            "Membuat posting, comment, share, like, bergabung/follow dalam grup/akun pemenangan bakal calon.",
            kind="summary",
        ),
        SKB,
    ),
    (
        _unit(
            PP53,
            "body/pasal-4",
            "PP 53/2010 Pasal 4",
            "Setiap PNS dilarang: ... ikut serta sebagai pelaksana kampanye",
        ),
        PP53,
    ),
]


def passage(label: str, score: float = 1.0) -> Passage:
    unit, doc = next((u, d) for u, d in UNITS if u.label == label)
    return Passage(unit=unit, document=doc, score=score)


def cite(label: str) -> Citation:
    unit, doc = next((u, d) for u, d in UNITS if u.label == label)
    return citation_for(unit, doc)


def make_answer(
    question: str,
    verdict: Verdict,
    text: str = "",
    cites: tuple[str, ...] = (),
    retrieved: tuple[str, ...] = (),
    extra_citations: tuple[Citation, ...] = (),
    behaviours: tuple[str, ...] = (),
    abstained: bool = False,
) -> Answer:
    return Answer(
        question=question,
        verdict=verdict,
        answer=text or f"Jawaban: {verdict}.",
        citations=tuple(cite(label) for label in cites) + extra_citations,
        retrieved=tuple(passage(label) for label in retrieved),
        behaviours=tuple(BehaviourMatch(id=b, title=b, verdict=verdict, score=0.9) for b in behaviours),
        abstained=abstained,
    )


class FakeService:
    """rag.protocols.Service with canned answers; unknown questions get a refusal."""

    def __init__(self, answers: dict[str, Answer] | None = None, raise_on: tuple[str, ...] = ()) -> None:
        self.answers = dict(answers or {})
        self.raise_on = raise_on
        self.asked: list[str] = []

    def answer(self, question: str, previous_question: str | None = None) -> Answer:
        self.asked.append(question)
        if question in self.raise_on:
            raise RuntimeError("boom")
        return self.answers.get(question) or make_answer(question, "di_luar_cakupan", "Di luar cakupan.")

    def documents(self) -> list[Document]:
        return [PP94, SKB, PP53]

    def unit(self, label: str) -> tuple[Unit, Document] | None:
        key = normalize_label(label)
        return next(((u, d) for u, d in UNITS if normalize_label(u.label) == key), None)

    def reload(self) -> None:
        pass


class FakeCatalogueService(FakeService):
    """A FakeService that also offers the optional ``behaviour_ids()`` hook of the report."""

    def __init__(self, catalogue: tuple[str, ...], answers: dict[str, Answer] | None = None) -> None:
        super().__init__(answers)
        self.catalogue = catalogue

    def behaviour_ids(self) -> tuple[str, ...]:
        return self.catalogue
