"""JSON (de)serialisation of Document and Unit for the index files."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from rag.types import Document, SanctionRef, Unit


def document_to_dict(doc: Document) -> dict[str, Any]:
    return asdict(doc)


def document_from_dict(d: dict[str, Any]) -> Document:
    data = dict(d)
    data["amends"] = tuple(data.get("amends") or ())
    data["aliases"] = tuple(data.get("aliases") or ())
    data["surviving"] = tuple(data.get("surviving") or ())
    return Document(**data)


def unit_to_dict(unit: Unit) -> dict[str, Any]:
    return asdict(unit)


def unit_from_dict(d: dict[str, Any]) -> Unit:
    data = dict(d)
    data["sanctions"] = tuple(
        SanctionRef(level=s["level"], basis=tuple(s.get("basis") or ()), detail=s.get("detail", ""))
        for s in data.get("sanctions") or ()
    )
    data["see"] = tuple(data.get("see") or ())
    data["terms"] = tuple(data.get("terms") or ())
    data["when"] = tuple(data.get("when") or ())
    return Unit(**data)
