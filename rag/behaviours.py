"""The behaviour catalogue: what a civil servant did or wants to do, and what the rules say of it.

A behaviour, not a text unit, is the unit of decision: the verdict of an answer is the verdict of the
best-matching applicable behaviour (rag/decide.py). Entries are written in knowledge/behaviours/*.yaml
(format in knowledge/FORMAT.md), validated at ingest (ingest/behaviours.py) and stored in the index
generation as behaviours.json.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from rag.types import SanctionRef

BehaviourVerdict = Literal["dilarang", "boleh", "bersyarat", "tidak_jelas", "informasi"]
BEHAVIOUR_VERDICTS: tuple[BehaviourVerdict, ...] = get_args(BehaviourVerdict)

# Who an entry applies to. Entries for anyone but ASN in general are situational: they apply only when
# the question names the group (see Behaviour.situation).
Audience = Literal[
    "asn",
    "pns",
    "pppk",
    "cpns",
    "pejabat",
    "pj_kepala_daerah",
    "non_asn",
    "pasangan_calon",
    "keluarga_calon",
    "pelamar",
    "pensiunan",
    "perangkat_desa",
    "masyarakat",
]
AUDIENCES: tuple[Audience, ...] = get_args(Audience)

SANCTION_LEVELS = (
    "sanksi moral",
    "hukuman disiplin ringan",
    "hukuman disiplin sedang",
    "hukuman disiplin berat",
    "PTDH",
    "pemberhentian dengan hormat",
    "pidana",
    "PHK",
    "tidak ditentukan",
)

Confidence = Literal["C2-primary", "C2", "C1", "U"]


@dataclass(frozen=True)
class Bilingual:
    id: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.id


# How a reading names the team's domain notes as its source (knowledge/FORMAT.md).
OWN_NOTES = "domain notes"


@dataclass(frozen=True)
class Reading:
    """One reading of an uncertain point: what was said, by whom, when, where."""

    text: Bilingual
    who: str
    when: str
    url: str | None = None

    @property
    def official(self) -> bool:
        """False for the team's own finding ("domain notes (U-2)": no source settles it), which an ASN
        must not read as an official's opinion."""
        return not self.who.lower().startswith(OWN_NOTES)


@dataclass(frozen=True)
class Behaviour:
    id: str
    title: Bilingual
    applies_to: tuple[Audience, ...]
    verdict: BehaviourVerdict
    explanation: Bilingual
    basis: tuple[str, ...]  # regulation unit labels (never curated notes); checked at ingest
    examples: tuple[str, ...]
    conditions: tuple[Bilingual, ...] = ()
    # Phrases saying the condition of a `bersyarat` entry is met ("SK pensiunnya sudah berlaku"): a
    # question naming one (and no "belum") is answered boleh (rag/decide.py, rule condition-met).
    met_when: tuple[str, ...] = ()
    # Phrases saying the condition is not met yet, so the act is still prohibited ("masih MPP"): a
    # question naming one is answered dilarang (rule condition-unmet).
    unmet_when: tuple[str, ...] = ()
    # The acts this entry has someone else do (a relative puts up the banner, the team uploads the
    # photo): a question where the asker says they do one themselves ("saya pasang", "aku yang
    # upload") is not this entry's situation (rag/behaviour_match.py).
    others_act: tuple[str, ...] = ()
    sanctions: tuple[SanctionRef, ...] = ()
    sanction_details: tuple[Bilingual | None, ...] = ()  # per sanction, the route in both languages
    uncertainty: tuple[Reading, ...] = ()
    # Words that name the situation the entry is about (a spouse who is a candidate, an incumbent,
    # official duty, CLTN, non-ASN staff). Non-empty: the entry applies only when one is named.
    situation: tuple[str, ...] = ()
    # Words of which one must also be typed for the situation to count: a spouse entry is about a spouse
    # who is a candidate, and "ikut suami tugas di luar negeri" names a spouse, not a candidacy.
    situation_with: tuple[str, ...] = ()
    # How the rules apply to the group its situation names (honorer, retirees): a question about another
    # act that names the group gets this entry beside the act's answer.
    group_rule: bool = False
    terms: tuple[str, ...] = ()  # extra words users type for this behaviour
    more_specific: tuple[str, ...] = ()  # ids of exceptions / narrower cases of this entry
    more_general: tuple[str, ...] = ()  # ids of the general rule this entry narrows
    notes: tuple[str, ...] = ()  # labels of curated notes with more detail (shown as notes, never as basis)
    # The domain-note entries an entry comes from, e.g. "behaviours-party-roles.md PR-9".
    provenance: tuple[str, ...] = ()
    confidence: Confidence = "C2"
    source: str = ""  # "file.yaml", for messages

    @property
    def situational(self) -> bool:
        return bool(self.situation)


def behaviour_to_dict(b: Behaviour) -> dict[str, object]:
    from dataclasses import asdict

    return asdict(b)


def _bi(d: dict[str, str] | None) -> Bilingual | None:
    return Bilingual(d["id"], d["en"]) if d else None


def behaviour_from_dict(d: dict[str, object]) -> Behaviour:
    """Inverse of behaviour_to_dict (the index stores the validated catalogue as JSON)."""
    data: dict = dict(d)  # type: ignore[type-arg]
    title = _bi(data.pop("title"))
    explanation = _bi(data.pop("explanation"))
    assert title is not None and explanation is not None
    return Behaviour(
        title=title,
        explanation=explanation,
        applies_to=tuple(data.pop("applies_to")),
        basis=tuple(data.pop("basis")),
        examples=tuple(data.pop("examples")),
        conditions=tuple(b for c in data.pop("conditions", ()) if (b := _bi(c)) is not None),
        sanctions=tuple(
            SanctionRef(s["level"], tuple(s.get("basis") or ()), s.get("detail", ""))
            for s in data.pop("sanctions", ())
        ),
        sanction_details=tuple(_bi(x) for x in data.pop("sanction_details", ())),
        uncertainty=tuple(
            Reading(_bi(r["text"]) or Bilingual("", ""), r["who"], r["when"], r.get("url"))
            for r in data.pop("uncertainty", ())
        ),
        situation=tuple(data.pop("situation", ())),
        situation_with=tuple(data.pop("situation_with", ())),
        met_when=tuple(data.pop("met_when", ())),
        unmet_when=tuple(data.pop("unmet_when", ())),
        others_act=tuple(data.pop("others_act", ())),
        terms=tuple(data.pop("terms", ())),
        more_specific=tuple(data.pop("more_specific", ())),
        more_general=tuple(data.pop("more_general", ())),
        notes=tuple(data.pop("notes", ())),
        provenance=tuple(data.pop("provenance", ())),
        **data,
    )
