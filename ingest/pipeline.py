"""``run_ingest``: parse sources, merge them with the live index, write a new generation."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from ingest.behaviours import catalogue_files, load_catalogue, validate
from ingest.catalogue_index import catalogue_hash, previous_catalogue, stored_hash, write_catalogue
from ingest.consistency import check
from ingest.indexer import Entry, index_lock, load_entries, prune_generations, write_generation
from ingest.layers import Layer, Layers, merge, read_layers, write_layers
from ingest.limits import IngestLimits
from ingest.loaders import SUPPORTED_EXTENSIONS
from ingest.parse import Overrides, discover, parse_source
from rag.embeddings import make_embedder
from rag.errors import IngestError, ModelMismatchError
from rag.index import Manifest, current_generation, embedder_name, read_lexicon
from rag.labels import normalize_label
from rag.lexical import Lexicon
from rag.settings import Settings


@dataclass(frozen=True)
class LayerCounts:
    """One layered document in the ingest summary (the full report: ``netral check``)."""

    label: str
    official_wording: int  # curated units that now quote the official wording
    official_only: int  # units only the official text has (added)
    curated_only: int  # curated units the official text lacks (they stay summaries)
    mismatched: int  # curated wording units that differ from the official text
    gaps: int  # parse gaps in the official text


@dataclass(frozen=True)
class IngestReport:
    generation: str | None  # None when nothing changed
    documents: int
    ingested: tuple[str, ...]  # labels written (new or changed)
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]
    units: int
    units_embedded: int
    seconds: float
    errors: tuple[str, ...] = field(default=())
    behaviours: int = 0
    behaviours_changed: bool = False
    layers: tuple[LayerCounts, ...] = ()

    @property
    def changed(self) -> bool:
        return self.generation is not None


def run_ingest(
    settings: Settings,
    paths: Sequence[Path],
    *,
    rebuild: bool = False,
    remove: Sequence[str] = (),
    remove_official: Sequence[str] = (),
    overrides: Overrides | None = None,
    progress: bool = True,
) -> IngestReport:
    """Ingest ``paths`` (files or folders). Any bad source aborts the whole run with IngestError
    before anything is written, so the live index stays exactly as it was."""
    start = time.perf_counter()
    index_dir = settings.index_dir
    with index_lock(index_dir):
        prune_generations(index_dir, settings.chroma_url, settings.chroma_collection)
        live = current_generation(index_dir)
        previous = {} if (rebuild or live is None) else load_entries(live)
        old_layers = read_layers(live, previous) if previous and live is not None else {}
        if live is not None and not rebuild:
            built_with = Manifest.read(live).embedding_model
            if built_with != embedder_name(settings.embedding_model):
                raise ModelMismatchError(
                    f"the index was built with {built_with!r}; the configured model is "
                    f"{embedder_name(settings.embedding_model)!r}: run netral ingest --rebuild"
                )

        for path in paths:
            if not path.exists():
                raise IngestError(str(path), "no such file or folder")
            if (
                path.is_file()
                and path.suffix.lower() not in SUPPORTED_EXTENSIONS
                and not catalogue_files([path])
            ):
                supported = " ".join(sorted(SUPPORTED_EXTENSIONS))
                raise IngestError(
                    str(path), f"unsupported file type {path.suffix or '(none)'} (supported: {supported})"
                )
        sources = discover(list(paths))
        given = catalogue_files(paths)
        if paths and not sources and not given and not remove and not remove_official:
            raise IngestError(", ".join(map(str, paths)), "no ingestible files found")
        limits = IngestLimits.from_settings(settings)
        parsed: dict[tuple[str, Layer], Entry] = {}
        origin: dict[tuple[str, Layer], Path] = {}
        bar = tqdm(sources, desc="parsing", unit="file", disable=not progress or len(sources) < 2)
        for path in bar:
            result = parse_source(path, overrides, limits)
            doc_id = result.document.id
            # A knowledge file is a document's curated layer; an official (raw) text its official layer.
            key: tuple[str, Layer] = (doc_id, "curated" if result.curated else "official")
            if key in origin:
                raise IngestError(str(path), f"same document id {doc_id!r} as {origin[key]}")
            origin[key] = path
            doc = result.document
            if not result.curated:
                doc = dataclasses.replace(doc, official_source=doc.source_path)
            parsed[key] = Entry(doc, tuple(result.units))

        removed = _removals(previous, remove)
        layers = {k: v for k, v in old_layers.items() if k not in removed}
        stripped: list[str] = []
        for doc_id in _removals(previous, remove_official):
            if doc_id in layers and layers[doc_id].official is not None:
                layers[doc_id] = layers[doc_id].with_layer("official", None)
                stripped.append(doc_id)
                if layers[doc_id].empty:
                    del layers[doc_id]
        ingested, unchanged = [], []
        for (doc_id, layer), entry in parsed.items():
            current = layers.get(doc_id, Layers())
            old = current.get(layer)
            if (
                old is not None
                and old.document.content_hash == entry.document.content_hash
                and ([u.content_hash for u in old.units] == [u.content_hash for u in entry.units])
            ):
                unchanged.append(entry.document.label)
                continue
            layers[doc_id] = current.with_layer(layer, entry)
            ingested.append(entry.document.label)
        merged = {doc_id: merge(lay) for doc_id, lay in layers.items()}

        units = sum(len(e.units) for e in merged.values())
        # The catalogue: the one given, else the live generation's; checked against the merged units
        # every time, so removing or changing a document a behaviour cites fails here, before writing.
        behaviours = load_catalogue(given) if given else previous_catalogue(live)
        kinds = {normalize_label(u.label): u.kind for e in merged.values() for u in e.units}
        root = given[0].parent if given else None
        validate(behaviours, kinds, root)
        catalogue_changed = (
            catalogue_hash(behaviours) != stored_hash(live) if behaviours else bool(stored_hash(live))
        )
        lexicon = choose_lexicon(paths, read_lexicon(live), settings.knowledge_dir)
        lexicon_changed = live is None or lexicon != read_lexicon(live)
        if (
            not ingested
            and not removed
            and not stripped
            and not lexicon_changed
            and not catalogue_changed
            and not rebuild
        ):
            return IngestReport(
                None,
                len(merged),
                (),
                tuple(unchanged),
                (),
                units,
                0,
                time.perf_counter() - start,
                behaviours=len(behaviours),
            )
        embedder = make_embedder(settings)

        def write_behaviours(gen: Path, stems: dict[str, str]) -> None:
            if behaviours:
                write_catalogue(gen, behaviours, embedder, stems=stems, previous=live, progress=progress)

        ordered = sorted(merged.values(), key=lambda e: e.document.id)
        name, embedded = write_generation(
            index_dir,
            ordered,
            embedder,
            chroma_url=settings.chroma_url,
            collection_prefix=settings.chroma_collection,
            previous=live,
            progress=progress,
            extra=write_behaviours,
            lexicon=lexicon,
            before_switch=lambda gen: write_layers(gen, layers),
            curated=curated_ids(layers, merged),
        )
        prune_generations(index_dir, settings.chroma_url, settings.chroma_collection)
        removed_labels = tuple(previous[d].document.label for d in removed) + tuple(
            f"{previous[d].document.label} (official layer)" for d in stripped
        )
        return IngestReport(
            name,
            len(merged),
            tuple(ingested),
            tuple(unchanged),
            removed_labels,
            units,
            embedded,
            time.perf_counter() - start,
            behaviours=len(behaviours),
            behaviours_changed=catalogue_changed,
            layers=layer_counts(layers, merged),
        )


def layer_counts(layers: dict[str, Layers], merged: dict[str, Entry]) -> tuple[LayerCounts, ...]:
    out: list[LayerCounts] = []
    for doc_id, lay in sorted(layers.items()):
        report = check(lay)
        if report is None or lay.curated is None:
            continue
        mine = {u.id for u in lay.curated.units}
        units = merged[doc_id].units
        out.append(
            LayerCounts(
                report.label,
                official_wording=sum(1 for u in units if u.id in mine and u.summary),
                official_only=sum(1 for u in units if u.id not in mine),
                curated_only=len(report.missing),
                mismatched=len(report.mismatched),
                gaps=len(report.gaps),
            )
        )
    return tuple(out)


def curated_ids(layers: dict[str, Layers], merged: dict[str, Entry]) -> frozenset[str]:
    """Ids of the merged units that come from a curated layer (the rest are official-only)."""
    out: set[str] = set()
    for doc_id, lay in layers.items():
        if lay.curated is not None:
            mine = {u.id for u in lay.curated.units}
            out.update(u.id for u in merged[doc_id].units if u.id in mine)
    return frozenset(out)


def choose_lexicon(paths: Sequence[Path], previous: Lexicon | None, knowledge_dir: Path) -> Lexicon:
    """The lexicon the new generation carries: a ``lexicon.yaml`` in an ingested folder, else the
    previous generation's (ingesting one file keeps it), else the knowledge dir's, else none."""
    for path in paths:
        if path.is_dir() and (path / "lexicon.yaml").is_file():
            return Lexicon.load(path / "lexicon.yaml")
    if previous is not None:
        return previous
    return Lexicon.load(knowledge_dir / "lexicon.yaml")


def _removals(previous: dict[str, Entry], wanted: Sequence[str]) -> set[str]:
    out: set[str] = set()
    for key in wanted:
        match = [
            doc_id
            for doc_id, e in previous.items()
            if key == doc_id or normalize_label(key) == normalize_label(e.document.label)
        ]
        if not match:
            raise IngestError(key, "no such document in the index (see netral ingest --list)")
        out.update(match)
    return out
