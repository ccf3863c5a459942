"""``netral check``: the consistency report of every layered document in the live index."""

from __future__ import annotations

import argparse

from ingest.consistency import check
from ingest.indexer import load_entries
from ingest.layers import read_layers
from rag.errors import IndexMissingError
from rag.index import current_generation
from rag.settings import Settings


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--strict", action="store_true", help="exit 1 on any missing label or mismatch")
    parser.add_argument("--gaps", action="store_true", help="list every parse gap, not only their count")


def run(args: argparse.Namespace, settings: Settings) -> int:
    gen = current_generation(settings.index_dir)
    if gen is None:
        raise IndexMissingError(f"no index in {settings.index_dir}: run netral ingest first")
    layers = read_layers(gen, load_entries(gen))
    reports = [r for r in (check(lay) for _, lay in sorted(layers.items())) if r is not None]
    if not reports:
        print("No document has an official layer (ingest the official texts: see README).")
        return 0
    bad = 0
    for r in reports:
        print(
            f"{r.label}: {len(r.missing)} curated label(s) missing from the official text, "
            f"{len(r.mismatched)} wording mismatch(es), {len(r.gaps)} parse gap(s)"
        )
        for label in r.missing:
            print(f"  missing    {label}")
        for label in r.mismatched:
            print(f"  mismatch   {label}")
        for gap in r.gaps if args.gaps else r.gaps[:3]:
            print(f"  gap        {gap}")
        if not args.gaps and len(r.gaps) > 3:
            print(f"  gap        … {len(r.gaps) - 3} more (--gaps)")
        bad += len(r.missing) + len(r.mismatched)
    return 1 if args.strict and bad else 0
