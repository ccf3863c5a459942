"""Writes the validated behaviour catalogue into an index generation:

    behaviours.json          the entries, their lexical tokens, the stems they added, a content hash
    behaviour_vectors.npz    one vector per phrasing (titles and examples) with its owner entry

Vectors are reused from the previous generation by text, so an unchanged catalogue costs nothing and
a new example costs one embedding. Phrasings are embedded as queries: they are questions, compared
with the user's question (e5's symmetric use)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from tqdm import tqdm

from rag.behaviour_match import behaviour_text, phrase_tokens, phrasings
from rag.behaviours import Behaviour, behaviour_to_dict
from rag.index import BEHAVIOUR_VECTORS_FILE, BEHAVIOURS_FILE, read_catalogue
from rag.lexical import Analyzer, Stemmer
from rag.protocols import Embedder
from rag.slang import prepare

# 2: tokens from the chat-normalised text (rag.slang.prepare), as questions are read.
# 3: "pppk" kept; 4: Jakarta verb spellings (pinjem, ketemuan); 5: each phrasing's tokens stored.
# Bump whenever rag.slang's rewriting changes, so the stored tokens are read the way questions now are.
CATALOGUE_VERSION = 8
BATCH = 32


def catalogue_hash(behaviours: Sequence[Behaviour]) -> str:
    data = json.dumps([behaviour_to_dict(b) for b in behaviours], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(f"{CATALOGUE_VERSION}\n{data}".encode()).hexdigest()


def stored_hash(gen: Path | None) -> str | None:
    if gen is None or not (gen / BEHAVIOURS_FILE).exists():
        return None
    return str(json.loads((gen / BEHAVIOURS_FILE).read_text(encoding="utf-8")).get("hash"))


def write_catalogue(
    gen: Path,
    behaviours: Sequence[Behaviour],
    embedder: Embedder,
    *,
    stems: dict[str, str],
    previous: Path | None,
    progress: bool,
) -> int:
    """Write the catalogue files into ``gen``. Returns how many phrasings were embedded."""
    stemmer = Stemmer(stems)
    analyzer = Analyzer(stemmer)
    tokens = [analyzer.tokens(prepare(behaviour_text(b))) for b in behaviours]
    phrases = [phrase_tokens(b, analyzer) for b in behaviours]
    texts: list[str] = []
    owners: list[int] = []
    for i, b in enumerate(behaviours):
        for text in dict.fromkeys(phrasings(b)):
            texts.append(text)
            owners.append(i)
    cached = _cached_vectors(previous)
    todo = [t for t in dict.fromkeys(texts) if t not in cached]
    bar = tqdm(total=len(todo), desc="behaviours", unit="phrase", disable=not progress or not todo)
    batch_embed = getattr(embedder, "embed_queries", None)
    for start in range(0, len(todo), BATCH):
        batch = todo[start : start + BATCH]
        vectors = batch_embed(batch) if batch_embed else [embedder.embed_query(t) for t in batch]
        for text, vec in zip(batch, vectors, strict=True):
            cached[text] = np.asarray(vec, dtype=np.float32)
        bar.update(len(batch))
    bar.close()
    matrix = np.stack([cached[t] for t in texts]) if texts else np.zeros((0, 1), np.float32)
    np.savez(
        gen / BEHAVIOUR_VECTORS_FILE,
        texts=np.array(texts),
        owners=np.array(owners, dtype=np.int32),
        vectors=matrix,
    )
    record = {
        "version": CATALOGUE_VERSION,
        "hash": catalogue_hash(behaviours),
        "behaviours": [behaviour_to_dict(b) for b in behaviours],
        "tokens": tokens,
        "phrases": phrases,
        "stems": {w: s for w, s in stemmer.cache.items() if stems.get(w) != s},
    }
    (gen / BEHAVIOURS_FILE).write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return len(todo)


def previous_catalogue(gen: Path | None) -> list[Behaviour]:
    if gen is None:
        return []
    return read_catalogue(gen).behaviours


def _cached_vectors(gen: Path | None) -> dict[str, np.ndarray]:
    if gen is None or not (gen / BEHAVIOUR_VECTORS_FILE).exists():
        return {}
    with np.load(gen / BEHAVIOUR_VECTORS_FILE) as data:
        return {str(t): v for t, v in zip(data["texts"], data["vectors"], strict=True)}
