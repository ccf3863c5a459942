"""Composition root: the ``netral`` command wires settings, ingest, rag, bot and evals together."""
