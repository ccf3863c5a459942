"""Ingestion: read regulation sources, clean them, infer identity and structure, build the index."""
