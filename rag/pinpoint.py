"""The most specific unit that carries the answer: an ayat, huruf or angka rather than a long Pasal.

A Pasal's text holds all its children's, so it matches any question about one of them; quoting it
whole (cut to fit) may cut off the very ayat that answers. ``most_specific`` walks down from a
retrieved unit while some child keeps every question term the unit matched (a child's search
tokens include its lead-in, the ancestors' own words), preferring the shortest such child. A short
unit is kept whole: it reads better than a fragment.

``lead_in_for`` decides when a child's quote needs its parent's lead-in to be understood
("PNS dilarang: … n. memberikan dukungan … dengan cara: … 4. sebagai peserta kampanye dengan
menggunakan fasilitas negara"): list items (huruf, angka) and ayat that do not start a sentence.
The quote itself stays the unit's own indexed text; the lead-in is shown before it, marked as context.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

from rag.types import Unit


@dataclass(frozen=True)
class PinpointRules:
    min_chars: int = 400  # a unit up to this long is quoted whole
    max_depth: int = 3  # Pasal → ayat → huruf → angka


RULES = PinpointRules()


def coverage(terms: Collection[str], tokens: Collection[str]) -> int:
    """How many of the question's terms the unit's search tokens hold."""
    have = set(tokens)
    return sum(1 for t in set(terms) if t in have)


def most_specific(
    unit: Unit,
    children: Callable[[str], Sequence[Unit]],
    tokens: Callable[[str], Collection[str]],
    terms: Collection[str],
    rules: PinpointRules = RULES,
) -> Unit:
    """The smallest unit under ``unit`` (or ``unit``) that matches all the terms ``unit`` matches."""
    if not terms:
        return unit
    node = unit
    for _ in range(rules.max_depth):
        if len(node.text) <= rules.min_chars:
            break
        wanted = coverage(terms, tokens(node.id))
        if wanted == 0:
            break
        keeping = [c for c in children(node.id) if coverage(terms, tokens(c.id)) >= wanted]
        if not keeping:
            break
        node = min(keeping, key=lambda c: (len(c.text), c.order))
    return node


def children_in(units: Mapping[str, Unit]) -> Callable[[str], Sequence[Unit]]:
    """``children(unit_id)`` over an index's units, in document order."""

    def children(unit_id: str) -> Sequence[Unit]:
        return sorted((u for u in units.values() if u.parent_id == unit_id), key=lambda u: u.order)

    return children


def lead_in_for(unit: Unit) -> str:
    """The ancestors' own words to show before ``unit``'s quote, or "" when it reads well alone."""
    lead = " ".join(unit.lead_in.split())
    if not lead or unit.text_kind != "wording":
        return ""
    if unit.kind in ("huruf", "angka"):
        return lead
    if unit.kind == "ayat":
        first = unit.text.lstrip()[:1]
        return lead if first and not first.isupper() else ""
    return ""
