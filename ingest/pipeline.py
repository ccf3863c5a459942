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
from ingest.source_cache import (
    Seen,
    SourceCache,
    catalogue_key,
    read_cache,
    seen_for,
    source_key,
    write_cache,
)
from ingest.vectors import EmbedStats
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
class DocTiming:
    """Where one document's ingest time went (parse 0 when its files were unchanged: source cache)."""

    label: str
    parse_seconds: float
    texts_embedded: int
    embed_seconds: float


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
    timings: tuple[DocTiming, ...] = ()  # the documents parsed or embedded this run

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
        cache = read_cache(index_dir)
        keys = {path: source_key(path, overrides, limits) for path in sources}
        if not (rebuild or remove or remove_official) and live is not None:
            lexicon = choose_lexicon(paths, read_lexicon(live), settings.knowledge_dir)
            nothing = _nothing_changed(live, cache, list(keys.values()), given, lexicon, start)
            if nothing is not None:
                return nothing
        previous = {} if (rebuild or live is None) else load_entries(live)
        old_layers = read_layers(live, previous) if previous and live is not None else {}
        parsed: dict[tuple[str, Layer], Entry] = {}
        origin: dict[tuple[str, Layer], Path] = {}
        bar = tqdm(sources, desc="parsing", unit="file", disable=not progress or len(sources) < 2)
        seen_now: dict[str, Seen] = {}
        parse_seconds: dict[str, float] = {}
        for path in bar:
            began = time.perf_counter()
            source = keys[path]
            hit = _cached(cache.sources.get(source), old_layers)
            key: tuple[str, Layer]
            if hit is not None:  # the file is byte for byte what the live layer was parsed from
                key, entry = hit
            else:
                result = parse_source(path, overrides, limits)
                doc = result.document
                # A knowledge file is a document's curated layer; an official (raw) text its official layer.
                key = (doc.id, "curated" if result.curated else "official")
                if not result.curated:
                    doc = dataclasses.replace(doc, official_source=doc.source_path)
                entry = Entry(doc, tuple(result.units))
            if key in origin:
                raise IngestError(str(path), f"same document id {key[0]!r} as {origin[key]}")
            origin[key] = path
            parsed[key] = entry
            seen_now[source] = seen_for(entry.document, entry.units, key[1])
            parse_seconds[key[0]] = parse_seconds.get(key[0], 0.0) + time.perf_counter() - began

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
        # No layer changed: the live generation is what merging would give (a no-change re-ingest
        # skips the merge; a generation written for another reason merges afresh below).
        layers_same = bool(previous) and not (ingested or removed or stripped or rebuild)
        merged = dict(previous) if layers_same else _merge_all(layers)

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
        catalogue = CatalogueSeen(catalogue_key(given) if given else "", len(behaviours))
        lexicon = choose_lexicon(paths, read_lexicon(live), settings.knowledge_dir)
        lexicon_changed = live is None or lexicon != read_lexicon(live)
        if (
            not ingested
            and not removed
            and not stripped
            and not lexicon_changed
            and not catalogue_changed
            and not rebuild
            and live is not None
        ):
            _save_cache(index_dir, cache, seen_now, layers, live, catalogue)
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
        if layers_same:
            merged = _merge_all(layers)
            validate(
                behaviours, {normalize_label(u.label): u.kind for e in merged.values() for u in e.units}, root
            )
        embedder = make_embedder(settings)

        def write_behaviours(gen: Path, stems: dict[str, str]) -> None:
            if behaviours:
                write_catalogue(gen, behaviours, embedder, stems=stems, previous=live, progress=progress)

        stats: dict[str, EmbedStats] = {}
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
            stats=stats,
        )
        _save_cache(index_dir, cache, seen_now, layers, index_dir / name, catalogue)
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
            timings=_timings(merged, parse_seconds, stats),
        )


def _merge_all(layers: dict[str, Layers]) -> dict[str, Entry]:
    return {doc_id: merge(lay) for doc_id, lay in layers.items()}


def _timings(
    merged: dict[str, Entry], parse_seconds: dict[str, float], stats: dict[str, EmbedStats]
) -> tuple[DocTiming, ...]:
    out = []
    for doc_id in sorted(set(parse_seconds) | set(stats)):
        if doc_id not in merged:
            continue
        s = stats.get(doc_id, EmbedStats())
        out.append(
            DocTiming(merged[doc_id].document.label, parse_seconds.get(doc_id, 0.0), s.texts, s.seconds)
        )
    return tuple(out)


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


def _cached(seen: Seen | None, layers: dict[str, Layers]) -> tuple[tuple[str, Layer], Entry] | None:
    """The live layer a cached parse produced, if it is still exactly what the cache recorded."""
    if seen is None or seen.doc_id not in layers:
        return None
    entry = layers[seen.doc_id].get(seen.layer)
    if entry is None or seen_for(entry.document, entry.units, seen.layer) != seen:
        return None
    return (seen.doc_id, seen.layer), entry


@dataclass(frozen=True)
class CatalogueSeen:
    key: str  # ``catalogue_key`` of the catalogue files given ("" when none were given)
    behaviours: int


def _save_cache(
    index_dir: Path,
    old: SourceCache,
    now: dict[str, Seen],
    layers: dict[str, Layers],
    gen: Path,
    catalogue: CatalogueSeen,
) -> None:
    """Keep the entries that still describe a layer of the generation now live (files not given this
    time included), so the cache neither grows without bound nor vouches for a replaced layer.
    Written after the switch; should the process die in between, entries are checked on use."""
    sources = {**old.sources, **now}
    stored = stored_hash(gen) or ""
    if not catalogue.key and stored == old.catalogue_hash:  # none given: the live catalogue, as before
        catalogue = CatalogueSeen(old.catalogue_key, catalogue.behaviours)
    cache = SourceCache(
        sources={k: v for k, v in sources.items() if _cached(v, layers) is not None},
        generation=gen.name,
        catalogue_key=catalogue.key,
        catalogue_hash=stored,
        behaviours=catalogue.behaviours,
    )
    if cache != old:
        write_cache(index_dir, cache)


def _nothing_changed(
    live: Path,
    cache: SourceCache,
    keys: list[str],
    given: list[Path],
    lexicon: Lexicon,
    start: float,
) -> IngestReport | None:
    """The no-change report without reading the index, when the cache proves nothing changed: it was
    checked against the live generation, knows every given file's bytes, and the catalogue files (if
    given) and the lexicon are what that generation was built from. None: take the full path."""
    if cache.generation != live.name:
        return None
    seen = [cache.sources.get(k) for k in keys]
    hits = [s for s in seen if s is not None]
    if len(hits) != len(seen) or len({(s.doc_id, s.layer) for s in hits}) != len(hits):
        return None  # an unknown file, or two files of one layer (the full path names the clash)
    if cache.catalogue_hash != (stored_hash(live) or ""):
        return None
    if given and catalogue_key(given) != cache.catalogue_key:
        return None
    if lexicon != read_lexicon(live):
        return None
    manifest = Manifest.read(live)
    return IngestReport(
        None,
        len(manifest.documents),
        (),
        tuple(s.label for s in hits),
        (),
        sum(int(d["units"]) for d in manifest.documents),
        0,
        time.perf_counter() - start,
        behaviours=cache.behaviours,
    )


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
