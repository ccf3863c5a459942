"""Which text of an amended article is current: links base-law articles to their amended versions.

An amended article is a unit of the amending law labelled as people cite it (``UU 8/2015 Pasal 7``,
ingest/amendments.py) whose ``amends`` names the base law's article (``UU 1/2015 Pasal 7``). A
curated unit of a document whose front matter says ``amends: [UU 1/2015]`` and that is labelled
``UU 10/2016 Pasal 71 ayat (1)`` is the same kind of thing. The current version of an article is
the one from the newest amending law that restates it (year, then number); a lookup of a unit below
the article (ayat, huruf) goes into that version, up to the nearest unit it has.

Base articles in an enacting law's annex (``UU 1/2015 Lampiran Perppu 1/2014 Pasal 7``) are the
articles people cite as ``UU 1/2015 Pasal 7``; both spellings resolve.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rag.labels import normalize_label
from rag.types import Document, Unit

_ARTICLE = re.compile(r"^(?P<doc>.+?)\s+(?:lampiran\s+.+?\s+)?(?P<rest>pasal\s+\d+[a-z]?(?:\s.*)?)$")


def article_key(label: str) -> tuple[str, str] | None:
    """("uu 1/2015", "pasal 7 huruf t") for "UU 1/2015 [Lampiran Perppu 1/2014] Pasal 7 huruf t"; ``None``
    for labels outside a body article (Penjelasan, Lampiran items, notes, roman articles)."""
    m = _ARTICLE.match(normalize_label(label))
    if m is None or " penjelasan" in f" {m.group('doc')}":
        return None
    return m.group("doc"), m.group("rest")


def _pasal(rest: str) -> str:
    return " ".join(rest.split()[:2])


@dataclass(frozen=True)
class Version:
    unit_id: str
    rank: tuple[int, int]  # (year, number) of the amending document: newer is larger


class Versions:
    """Built once per index from its units and documents."""

    def __init__(self, units: Mapping[str, Unit], documents: Mapping[str, Document]) -> None:
        self._units = units
        # amending document label (normalised) -> the base document label it amends (normalised)
        self._base_of: dict[str, str] = {}
        for doc in documents.values():
            if doc.amends:
                self._base_of[normalize_label(doc.label)] = normalize_label(doc.amends[0])
        for unit in units.values():
            if unit.amends and (key := article_key(unit.amends)) and (own := article_key(unit.label)):
                self._base_of.setdefault(own[0], key[0])
        # (base doc, "pasal n") -> versions of that article, newest first
        self._articles: dict[tuple[str, str], list[Version]] = {}
        # (amending doc, rest) -> unit id, for lookups inside a version
        self._by_key: dict[tuple[str, str], str] = {}
        for unit in units.values():
            own = article_key(unit.label)
            if own is None:
                continue
            self._by_key.setdefault(own, unit.id)
            base = self._base_of.get(own[0])
            if base is None:
                continue
            owner = documents.get(unit.doc_id)
            rank = (owner.year, int(owner.number) if owner.number.isdigit() else 0) if owner else (0, 0)
            if _pasal(own[1]) == own[1]:
                self._articles.setdefault((base, own[1]), []).append(Version(unit.id, rank))
        for versions in self._articles.values():
            versions.sort(key=lambda v: v.rank, reverse=True)

    def base_of(self, doc_label: str) -> str | None:
        return self._base_of.get(normalize_label(doc_label))

    def current(self, label: str) -> Unit | None:
        """The current version of the article unit ``label`` names (under the base law or any amending
        law), ``None`` when no amending law restates that article."""
        key = article_key(label)
        if key is None:
            return None
        doc, rest = key
        base = self._base_of.get(doc, doc)
        versions = self._articles.get((base, _pasal(rest)))
        if not versions:
            return None
        newest = self._units[versions[0].unit_id]
        newest_doc = article_key(newest.label)
        assert newest_doc is not None
        words = rest.split()
        while len(words) >= 2:
            uid = self._by_key.get((newest_doc[0], " ".join(words)))
            if uid is not None:
                return self._units[uid]
            words = words[:-2]  # "huruf t" off, then "ayat (2)"
        return newest

    def superseded(self) -> Iterable[tuple[str, Unit]]:
        """(unit id, current version) for every unit that a newer version replaces."""
        for uid, unit in self._units.items():
            key = article_key(unit.label)
            if key is None:
                continue
            current = self.current(unit.label)
            if current is not None and current.id != uid:
                yield uid, current


def provenance(unit: Unit) -> str:
    """ "diubah dengan UU 8/2015 Pasal I angka 6" for an amended article, "" otherwise."""
    if not unit.amended_by:
        return ""
    return f"{unit.change or 'diubah'} dengan {unit.amended_by}"
