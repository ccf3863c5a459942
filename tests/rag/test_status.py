"""Partial revocation: the surviving provisions of PP 53/2010 are cited with why they still apply."""

from __future__ import annotations

import pytest

from rag.citations import citation_for
from rag.status import is_revoked, status_note, unit_status
from rag.types import Document, Unit

PP53 = Document(
    id="pp-53-2010",
    label="PP 53/2010",
    type="PP",
    number="53",
    year=2010,
    title="Disiplin Pegawai Negeri Sipil",
    status="dicabut_sebagian",
    replaced_by="PP 94/2021",
    surviving=("PP 53/2010 Pasal 7 ayat (3)",),
    surviving_reason="PP 94/2021 Pasal 42 dan Pasal 45 angka 3.",
)


def _unit(label: str) -> Unit:
    return Unit(id=label, doc_id="pp-53-2010", label=label, kind="ayat", text="…")


@pytest.mark.parametrize(
    ("label", "status"),
    [
        ("PP 53/2010 Pasal 7 ayat (3)", "dicabut_sebagian"),
        ("PP 53/2010 Pasal 7 ayat (3) huruf a", "dicabut_sebagian"),
        ("PP 53/2010 Pasal 7 ayat (4)", "dicabut"),
        ("PP 53/2010 Pasal 7", "dicabut"),
        ("PP 53/2010 Pasal 4", "dicabut"),
        ("PP 53/2010 Pasal 7 ayat (31)", "dicabut"),
    ],
)
def test_unit_status_of_a_partly_revoked_instrument(label: str, status: str) -> None:
    unit = _unit(label)
    assert unit_status(unit, PP53) == status
    assert is_revoked(unit, PP53) == (status == "dicabut")


def test_a_surviving_provision_is_cited_with_its_reason() -> None:
    cited = citation_for(_unit("PP 53/2010 Pasal 7 ayat (3)"), PP53)
    assert cited.status == "dicabut_sebagian"
    assert "Pasal 42" in cited.status_note
    assert citation_for(_unit("PP 53/2010 Pasal 4"), PP53).status_note == ""
    assert status_note(_unit("PP 53/2010 Pasal 4"), PP53) == ""


def test_other_documents_keep_their_status() -> None:
    doc = Document(id="x", label="PP 94/2021", type="PP", number="94", year=2021, title="t")
    assert unit_status(_unit("PP 94/2021 Pasal 8"), doc) == "berlaku"
