"""Layered documents: a curated layer (the ``knowledge/`` file) plus, when ingested, an official layer.

An official text whose identity matches a curated document attaches to it instead of replacing it
(``merge``): units are matched by label; the official wording becomes the unit's quotable text while the
curated annotations (norm, sanctions, ``@see``, ``@terms``, ``@when``) and the curated summary (kept for
search) stay on it; units only in the official text are added as parsed (norm inferred); units only in
the curated layer stay as they are (summaries). Removing the official layer returns to curated-only.

The layers are stored per generation in ``layers.jsonl`` so that either layer can be re-ingested or
removed later; ``units.jsonl`` holds the merged result the read side uses."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from ingest.indexer import Entry
from rag.labels import normalize_label
from rag.serialize import document_from_dict, document_to_dict, unit_from_dict, unit_to_dict
from rag.types import Unit
from rag.versions import article_key

Layer = Literal["curated", "official"]
LAYERS_FILE = "layers.jsonl"


@dataclass(frozen=True)
class Layers:
    """The layers of one document: at least one is set."""

    curated: Entry | None = None
    official: Entry | None = None

    def with_layer(self, layer: Layer, entry: Entry | None) -> Layers:
        return replace(self, curated=entry) if layer == "curated" else replace(self, official=entry)

    def get(self, layer: Layer) -> Entry | None:
        return self.curated if layer == "curated" else self.official

    @property
    def empty(self) -> bool:
        return self.curated is None and self.official is None


def merge(layers: Layers) -> Entry:
    """The document the index serves: the curated layer with the official wording on its units."""
    curated, official = layers.curated, layers.official
    if curated is None:
        assert official is not None
        return official
    if official is None:
        return curated
    by_label = official_by_label(official.units)
    matched: set[str] = set()
    matched_ids: dict[str, str] = {}  # official unit id -> the curated label (normalised) it matched
    id_map: dict[str, str] = {}
    taken = {u.id for u in curated.units}
    merged_curated: dict[str, Unit] = {}
    for u in curated.units:
        key = normalize_label(u.label)
        o = by_label.get(key)
        if o is None or u.kind == "catatan" or u.text_kind == "note":
            merged_curated[key] = u
            continue
        matched.add(key)
        matched_ids[o.id] = key
        id_map[o.id] = u.id
        summary = u.text if u.text_kind != "wording" else ""
        merged_curated[key] = _rehash(
            replace(
                u,
                text=o.text,
                text_kind="wording",
                norm=u.norm or o.norm,
                lead_in=o.lead_in or u.lead_in,
                heading=u.heading or o.heading,
                summary=summary,
                amends=o.amends or u.amends,
                amended_by=o.amended_by or u.amended_by,
                change=o.change or u.change,
            )
        )
    for o in official.units:  # ids of official-only units, kept unique against the curated ones
        if o.id in matched_ids:
            continue
        new_id = o.id if o.id not in taken else f"{o.id}#official"
        id_map[o.id] = new_id
        taken.add(new_id)
    out: list[Unit] = []
    placed: set[str] = set()
    for o in official.units:  # official order, curated units in place of their official match
        key = matched_ids.get(o.id) or normalize_label(o.label)
        if o.id in matched_ids:
            out.append(merged_curated[key])
        else:
            parent = id_map.get(o.parent_id, o.parent_id) if o.parent_id else None
            out.append(replace(o, id=id_map[o.id], parent_id=parent))
        placed.add(key)
    out.extend(u for key, u in merged_curated.items() if key not in placed)
    units = tuple(replace(u, order=i) for i, u in enumerate(out))
    combined = hashlib.sha256(
        (curated.document.content_hash + official.document.content_hash).encode("utf-8")
    ).hexdigest()
    document = replace(
        curated.document,
        content_hash=combined,
        official_source=official.document.source_path,
    )
    return Entry(document, units)


def official_by_label(units: Sequence[Unit]) -> dict[str, Unit]:
    """Official units by normalised label; an enacting law's annexed articles also under the label people
    cite ("UU 1/2015 Pasal 188" for "UU 1/2015 Lampiran Perppu 1/2014 Pasal 188") when no unit has it."""
    out = {normalize_label(u.label): u for u in units}
    for u in units:
        if " lampiran " in normalize_label(u.label) and (key := article_key(u.label)) is not None:
            out.setdefault(f"{key[0]} {key[1]}", u)
    return out


def _rehash(unit: Unit) -> Unit:
    src = "\n".join(
        [
            unit.text,
            unit.text_kind,
            str(unit.norm),
            repr(unit.sanctions),
            repr(unit.see),
            repr(unit.terms),
            repr(unit.when),
            unit.summary,
            unit.lead_in,
        ]
    )
    return replace(unit, content_hash=hashlib.sha256(src.encode("utf-8")).hexdigest())


def write_layers(gen: Path, layers: dict[str, Layers]) -> None:
    with (gen / LAYERS_FILE).open("w", encoding="utf-8") as fh:
        for doc_id in sorted(layers):
            for layer in ("curated", "official"):
                entry = layers[doc_id].get(layer)  # type: ignore[arg-type]
                if entry is None:
                    continue
                rec = {
                    "layer": layer,
                    "document": document_to_dict(entry.document),
                    "units": [unit_to_dict(u) for u in entry.units],
                }
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


def read_layers(gen: Path, merged: dict[str, Entry]) -> dict[str, Layers]:
    """The stored layers of a generation; one written before layers existed counts as curated-only."""
    path = gen / LAYERS_FILE
    if not path.exists():
        return {doc_id: Layers(curated=entry) for doc_id, entry in merged.items()}
    out: dict[str, Layers] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            doc = document_from_dict(rec["document"])
            entry = Entry(doc, tuple(unit_from_dict(u) for u in rec["units"]))
            out[doc.id] = out.get(doc.id, Layers()).with_layer(rec["layer"], entry)
    return out
