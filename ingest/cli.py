"""``netral ingest``: build or update the index from regulation files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rag.settings import Settings


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", type=Path, help="files or folders (default: the knowledge dir)")
    parser.add_argument("--list", action="store_true", help="list indexed documents with unit counts")
    parser.add_argument("--remove", action="append", default=[], metavar="ID", help="remove a document")
    parser.add_argument(
        "--remove-official",
        action="append",
        default=[],
        metavar="ID",
        help="remove a document's official layer (back to its curated file only)",
    )
    parser.add_argument("--rebuild", action="store_true", help="rebuild the whole index from the given paths")
    parser.add_argument("--label", help="canonical label when the file has none (e.g. 'PP 94/2021')")
    parser.add_argument("--title", help="title when the file has none")
    parser.add_argument(
        "--status", choices=["berlaku", "dicabut", "dicabut_sebagian", "diubah"], help="legal status"
    )
    parser.add_argument("--url", help="official source URL")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bars")


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.list:
        return list_documents(settings)
    from ingest.parse import Overrides
    from ingest.pipeline import run_ingest

    paths: list[Path] = list(args.paths)
    if not paths and not args.remove and not args.remove_official:
        paths = [settings.knowledge_dir]
    overrides = Overrides(label=args.label, title=args.title, status=args.status, url=args.url)
    report = run_ingest(
        settings,
        paths,
        rebuild=args.rebuild,
        remove=args.remove,
        remove_official=args.remove_official,
        overrides=overrides,
        progress=not args.quiet and sys.stderr.isatty(),
    )
    if not report.changed:
        print(
            f"Nothing to do: {len(report.unchanged)} document(s) unchanged, "
            f"{report.documents} in the index, {report.units} units, {report.behaviours} behaviours "
            f"({report.seconds:.1f} s)."
        )
        return 0
    for label in report.ingested:
        print(f"  ingested  {label}")
    for label in report.removed:
        print(f"  removed   {label}")
    print(
        f"Index {report.generation}: {report.documents} documents, {report.units} units; "
        f"{len(report.ingested)} ingested, {len(report.unchanged)} unchanged, {len(report.removed)} removed; "
        f"{report.units_embedded} units embedded in {report.seconds:.1f} s; "
        f"{report.behaviours} behaviours{' (updated)' if report.behaviours_changed else ''}."
    )
    if report.timings:
        print(f"Per document (parse, texts embedded, embedding); peak RSS {_peak_rss_mb():.0f} MB:")
    width = max((len(t.label) for t in report.timings), default=0)
    for t in report.timings:
        print(
            f"  {t.label:<{width}}  {t.parse_seconds:6.2f} s  {t.texts_embedded:5} texts  "
            f"{t.embed_seconds:7.1f} s"
        )
    if report.layers:
        print("Official layers (netral check for the details):")
    for c in report.layers:
        print(
            f"  {c.label}: {c.official_wording} curated units quote the official wording, "
            f"{c.official_only} official-only units, {c.curated_only} curated label(s) missing from the "
            f"official text, {c.mismatched} wording mismatch(es), {c.gaps} parse gap(s)"
        )
    return 0


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def list_documents(settings: Settings) -> int:
    from rag.index import Manifest, current_generation

    gen = current_generation(settings.index_dir)
    if gen is None:
        print(f"No index yet. Build it with: netral ingest {settings.knowledge_dir}", file=sys.stderr)
        return 1
    manifest = Manifest.read(gen)
    docs = sorted(manifest.documents, key=lambda d: d["id"])
    width = max((len(d["label"]) for d in docs), default=10)
    print(f"{'DOCUMENT':<{width}}  {'STATUS':<16} {'UNITS':>5}  {'LAYERS':<18} TITLE   [id]")
    for d in docs:
        layers = _layers(d)
        print(
            f"{d['label']:<{width}}  {d['status']:<16} {d['units']:>5}  {layers:<18} {d['title']}   [{d['id']}]"
        )
    total = sum(d["units"] for d in docs)
    print(f"{len(docs)} documents, {total} units; model {manifest.embedding_model}; generation {gen.name}")
    return 0


def _layers(doc: dict[str, object]) -> str:
    """Which layers a document has: its curated file, an official text, or both (ingest/layers.py)."""
    source = str(doc.get("source_path") or "")
    official = str(doc.get("official") or "")
    if not official:
        return "curated"
    return "official" if official == source else "curated+official"
