"""The curated corpus as package data: ``netral ingest`` and the first-run index build read the
Markdown files and ``lexicon.yaml`` in this folder (``rag.settings.default_knowledge_dir``)."""
