"""Most specific unit (rag/pinpoint.py): pure functions over made-up units, no index."""

from __future__ import annotations

import pytest

from rag.citations import citation_for
from rag.pinpoint import PinpointRules, children_in, coverage, lead_in_for, most_specific
from rag.types import Document, Unit

LONG = " ".join(["kata"] * 120)  # a long text: over the quote-whole limit


def _u(uid: str, kind: str, text: str, parent: str | None = None, lead: str = "", order: int = 0) -> Unit:
    return Unit(id=uid, doc_id="pp", label=f"PP 1/2099 {uid}", kind=kind, text=text, parent_id=parent,
                lead_in=lead, order=order)  # fmt: skip


UNITS = {
    u.id: u
    for u in [
        _u("Pasal 5", "pasal", LONG + " ayat satu ayat dua kampanye fasilitas"),
        _u("Pasal 5 ayat (1)", "ayat", LONG + " kampanye fasilitas", "Pasal 5", order=1),
        _u("Pasal 5 ayat (1) huruf a", "huruf", "ikut kampanye.", "Pasal 5 ayat (1)", "PNS dilarang:", 2),
        _u("Pasal 5 ayat (1) huruf b", "huruf", "ikut kampanye dengan fasilitas negara.", "Pasal 5 ayat (1)",
           "PNS dilarang:", 3),
        _u("Pasal 5 ayat (2)", "ayat", "Ayat dua tentang cuti.", "Pasal 5", order=4),
        _u("Pasal 6", "pasal", "Pasal pendek tentang kampanye dan cuti."),
        _u("Pasal 6 ayat (1)", "ayat", "kampanye.", "Pasal 6", order=1),
    ]
}  # fmt: skip
# Search tokens: a unit's own words plus its lead-in's (as the index builds them), stemmed alike.
TOKENS = {
    "Pasal 5": {"ayat", "satu", "dua", "kampanye", "fasilitas", "cuti", "pns", "larang"},
    "Pasal 5 ayat (1)": {"kampanye", "fasilitas", "pns", "larang"},
    "Pasal 5 ayat (1) huruf a": {"kampanye", "pns", "larang"},
    "Pasal 5 ayat (1) huruf b": {"kampanye", "fasilitas", "negara", "pns", "larang"},
    "Pasal 5 ayat (2)": {"ayat", "dua", "cuti"},
    "Pasal 6": {"kampanye", "cuti"},
    "Pasal 6 ayat (1)": {"kampanye"},
}


@pytest.mark.parametrize(
    ("start", "terms", "expected"),
    [
        ("Pasal 5", ["kampanye", "fasilitas"], "Pasal 5 ayat (1) huruf b"),  # down to the huruf that has both
        ("Pasal 5", ["kampanye"], "Pasal 5 ayat (1) huruf a"),  # the shortest child that keeps the terms
        ("Pasal 5", ["cuti"], "Pasal 5 ayat (2)"),
        ("Pasal 5", ["kampanye", "cuti"], "Pasal 5"),  # no child has both: the whole Pasal
        ("Pasal 5", ["pensiun"], "Pasal 5"),  # nothing matched: unchanged
        ("Pasal 5", [], "Pasal 5"),
        ("Pasal 6", ["kampanye"], "Pasal 6"),  # short: quoted whole
        ("Pasal 5 ayat (2)", ["cuti"], "Pasal 5 ayat (2)"),  # a leaf
    ],
)
def test_most_specific(start: str, terms: list[str], expected: str) -> None:
    got = most_specific(UNITS[start], children_in(UNITS), lambda i: TOKENS[i], terms)
    assert got.id == expected


def test_depth_limit_and_coverage() -> None:
    shallow = PinpointRules(max_depth=1)
    got = most_specific(UNITS["Pasal 5"], children_in(UNITS), lambda i: TOKENS[i], ["kampanye"], shallow)
    assert got.id == "Pasal 5 ayat (1)"
    assert coverage(["kampanye", "kampanye", "x"], {"kampanye"}) == 1


@pytest.mark.parametrize(
    ("kind", "text", "lead", "text_kind", "shown"),
    [
        ("huruf", "memberikan dukungan dengan cara:", "PNS dilarang:", "wording", "PNS dilarang:"),
        ("angka", "sebagai peserta kampanye", "PNS dilarang: n. memberikan dukungan", "wording",
         "PNS dilarang: n. memberikan dukungan"),
        ("ayat", "dalam hal pegawai cuti, …", "Pasal pembuka", "wording", "Pasal pembuka"),
        ("ayat", "Pegawai wajib netral.", "Pasal pembuka", "wording", ""),  # a sentence of its own
        ("pasal", "Isi.", "", "wording", ""),
        ("huruf", "ringkasan kami", "PNS dilarang:", "summary", ""),  # our summary: no quote, no lead-in
        ("huruf", "tanpa induk", "", "wording", ""),
    ],
)  # fmt: skip
def test_lead_in_only_where_the_child_reads_badly_alone(
    kind: str, text: str, lead: str, text_kind: str, shown: str
) -> None:
    unit = Unit(id="u", doc_id="pp", label="PP 1/2099 Pasal 5 huruf n", kind=kind, text=text,
                lead_in=lead, text_kind=text_kind)  # type: ignore[arg-type]  # fmt: skip
    assert lead_in_for(unit) == shown
    doc = Document("pp", "PP 1/2099", "PP", "1", 2099, "Contoh")
    citation = citation_for(unit, doc)
    assert citation.lead_in == shown
    assert citation.quote == (text if text_kind == "wording" else "")  # the quote stays the unit's own text


def test_console_sources_show_the_lead_in_as_context_before_the_quote() -> None:
    from netral.render_text import render_answer
    from rag.types import Answer, Citation

    c = Citation(label="PP 94/2021 Pasal 5 huruf n angka 4", document="PP 94/2021", title="Disiplin",
                 status="berlaku", kind="wording", quote="sebagai peserta kampanye dengan fasilitas negara",
                 summary="", lead_in="PNS dilarang: n. memberikan dukungan dengan cara:")  # fmt: skip
    text = render_answer(Answer(question="q", verdict="informasi", answer="Informasi.", citations=(c,)))
    assert "[PNS dilarang: n. memberikan dukungan dengan cara: …] “sebagai peserta kampanye" in " ".join(
        text.split()
    )
