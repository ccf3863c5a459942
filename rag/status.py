"""Legal status of one unit, from its document's status.

An instrument can be revoked in part (``dicabut_sebagian``): PP 53/2010 is revoked except its forms of
hukuman disiplin sedang (PP 94/2021 Pasal 42, Pasal 45 angka 3). Its surviving units are listed in the
front matter (``surviving:``) with the reason they still apply; every other unit is revoked."""

from __future__ import annotations

from rag.labels import normalize_label
from rag.types import Document, Status, Unit


def survives(unit_label: str, document: Document) -> bool:
    """The unit is, or sits inside, a provision that the partial revocation kept in force."""
    label = normalize_label(unit_label)
    for kept in document.surviving:
        k = normalize_label(kept)
        if label == k or label.startswith(k + " "):
            return True
    return False


def unit_status(unit: Unit, document: Document) -> Status:
    """The status a citation of ``unit`` shows: a partly revoked document's units are ``dicabut`` unless
    they survive, then ``dicabut_sebagian`` (the instrument is revoked, this provision still applies)."""
    if unit.superseded_by and document.status in ("berlaku", "diubah"):
        return "diubah"  # a later law restated this article (rag/versions.py)
    if document.status != "dicabut_sebagian":
        return document.status
    return "dicabut_sebagian" if survives(unit.label, document) else "dicabut"


def is_revoked(unit: Unit, document: Document) -> bool:
    """Cited only as history: the unit's instrument is revoked and the unit did not survive."""
    return unit_status(unit, document) == "dicabut"


def status_note(unit: Unit, document: Document) -> str:
    """Why a surviving provision of a partly revoked instrument still applies; for an amended article,
    which law changed it and where its current text is ("" otherwise)."""
    status = unit_status(unit, document)
    if status == "dicabut_sebagian":
        return document.surviving_reason
    if status == "diubah" and unit.superseded_by:
        via = f" ({unit.superseded_via})" if unit.superseded_via else ""
        return f"telah diubah; bunyi yang berlaku: {unit.superseded_by}{via}"
    if unit.amended_by and unit.amends:
        return f"bunyi {unit.amends} sebagaimana {unit.change or 'diubah'} dengan {unit.amended_by}"
    return ""
