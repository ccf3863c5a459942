"""Citations are built only from indexed units: the quote is the unit's own indexed text."""

from __future__ import annotations

from rag.pinpoint import lead_in_for
from rag.status import status_note, unit_status
from rag.types import Citation, Document, Unit


def citation_for(unit: Unit, document: Document) -> Citation:
    wording = unit.text_kind == "wording"
    return Citation(
        label=unit.label,
        document=document.label,
        title=document.title,
        status=unit_status(unit, document),
        kind=unit.text_kind,
        quote=unit.text if wording else "",
        summary="" if wording else unit.text,
        source_url=document.source_url,
        replaced_by=document.replaced_by,
        status_note=status_note(unit, document),
        lead_in=lead_in_for(unit) if wording else "",
    )
